"""Stytch's TOTP quick-start, written for the official ``stytch`` SDK:
create a user, enrol a TOTP, authenticate a code from the authenticator app,
list the recovery codes, recover with one, delete the user; then the same
with the ``*_async`` methods. Errors are caught as the official SDK raises
them. test_quickstart_port.py runs it against stytch_totp with only the
import and the constructor changed."""

import asyncio

import pyotp
import stytch
from stytch.core.response_base import StytchError

client = stytch.Client(project_id="project-test-00000000-0000-0000-0000-000000000000", secret="secret-test-xxxxxxxxxxxx")


def main():
    user = client.users.create(email="ada@example.com", name={"first_name": "Ada", "last_name": "Lovelace"})
    totp = client.totps.create(user_id=user.user_id, expiration_minutes=60)
    assert totp.qr_code.startswith("data:image/png;base64,")

    # The user scans totp.qr_code and types the code the app shows.
    code = pyotp.TOTP(totp.secret).now()
    auth = client.totps.authenticate(user_id=user.user_id, totp_code=code)
    assert auth.user_id == user.user_id and auth.user.totps[0].verified

    try:
        client.totps.authenticate(user_id=user.user_id, totp_code=code)
        raise AssertionError("a code works once")
    except StytchError as e:
        assert e.details.error_type == "totp_code_already_authenticated", e.details.error_message
        assert e.details.status_code == 400 and e.details.request_id

    codes = client.totps.recovery_codes(user_id=user.user_id)
    assert codes.totps[0].recovery_codes == totp.recovery_codes
    recovered = client.totps.recover(user_id=user.user_id, recovery_code=totp.recovery_codes[0])
    assert recovered.totp_id == totp.totp_id

    client.users.delete_totp(totp_id=totp.totp_id)
    client.users.delete(user_id=user.user_id)
    try:
        client.users.get(user_id=user.user_id)
        raise AssertionError("the user is gone")
    except StytchError as e:
        assert e.details.error_type == "user_not_found"
    return "sync ok"


async def main_async():
    user = await client.users.create_async(email="grace@example.com")
    totp = await client.totps.create_async(user_id=user.user_id)
    auth = await client.totps.authenticate_async(user_id=user.user_id, totp_code=pyotp.TOTP(totp.secret).now())
    assert auth.totp_id == totp.totp_id
    codes = await client.totps.recovery_codes_async(user_id=user.user_id)
    assert len(codes.totps[0].recovery_codes) == 10
    recovered = await client.totps.recover_async(user_id=user.user_id, recovery_code=totp.recovery_codes[1])
    assert recovered.user_id == user.user_id
    try:
        await client.totps.recover_async(user_id=user.user_id, recovery_code=totp.recovery_codes[1])
        raise AssertionError("a recovery code works once")
    except StytchError as e:
        assert e.details.error_type == "unable_to_authenticate_recovery_code"
    await client.users.delete_totp_async(totp_id=totp.totp_id)
    deleted = await client.users.delete_async(user_id=user.user_id)
    assert deleted.user_id == user.user_id
    return "async ok"


if __name__ == "__main__":
    print(main())
    print(asyncio.run(main_async()))
