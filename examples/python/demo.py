"""The stytch-totp walk-through in Python: enrol a user in TOTP, authenticate,
recover. The same steps as examples/c/demo.c, on the durable default store
(stytch_totp.db in the working directory)."""

import base64
import time

import stytch_totp


def main() -> None:
    print(f"stytch-totp {stytch_totp.library_version()}")
    with stytch_totp.Client() as client:
        # 1. A user.
        user = client.users.create(email="ada@example.com", name={"first_name": "Ada"})
        user_id = user.user_id
        print(f"created user {user_id}")

        # 2. Enrolment: secret, QR code, recovery codes.
        totp = client.totps.create(user_id=user_id)
        print(f"\n== POST /v1/totps\n{totp.to_json()}")
        png = base64.b64decode(totp.qr_code.split(",", 1)[1].strip())
        with open("qr.png", "wb") as f:
            f.write(png)
        print(f"\nwrote qr.png ({len(png)} bytes): scan it with an authenticator app")

        # 3. What the authenticator app shows now.
        code = stytch_totp.totp_code(totp.secret, int(time.time()))
        print(f"current code: {code}")

        # 4. Authenticate with it: the TOTP becomes verified.
        auth = client.totps.authenticate(user_id=user_id, totp_code=code)
        print(f"\n== POST /v1/totps/authenticate\n{auth.to_json()}")
        print(f"verified: {'yes' if auth.user.totps[0].verified else 'no'}")

        # 5. The same code again is a replay, and is refused.
        try:
            client.totps.authenticate(user_id=user_id, totp_code=code)
            raise SystemExit("a replayed code was accepted")
        except stytch_totp.StytchError as e:
            print(f"\n== replayed code\n{e.to_json()}")

        # 6. Lost the phone: sign in with a recovery code, which is then used up.
        recovered = client.totps.recover(user_id=user_id, recovery_code=totp.recovery_codes[0])
        print(f"\n== POST /v1/totps/recover\n{recovered.to_json()}")

        left = client.totps.recovery_codes(user_id=user_id).totps[0].recovery_codes
        print(f"\nrecovery codes left: {len(left)} of 10")
    print("done: the state is in stytch_totp.db")


if __name__ == "__main__":
    main()
