"""client.totps, the clock controls and totp_code()."""

from __future__ import annotations

import base64
import json
import re
import time

import pytest

import stytch_totp
from conftest import T0, error_of


def test_create(client, user):
    resp = client.totps.create(user_id=user.user_id, expiration_minutes=30)
    assert resp.status_code == 200 and resp.request_id.startswith("request-id-test-")
    assert resp.totp_id.startswith("totp-test-") and resp.user_id == user.user_id
    assert re.fullmatch(r"[A-Z2-7]{32}", resp.secret)
    assert resp.qr_code.startswith("data:image/png;base64,")
    png = base64.b64decode(resp.qr_code.split(",", 1)[1].strip())
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert len(resp.recovery_codes) == 10 and len(set(resp.recovery_codes)) == 10
    assert all(re.fullmatch(r"[a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4}", c) for c in resp.recovery_codes)
    assert [(t.totp_id, t.verified) for t in resp.user.totps] == [(resp.totp_id, False)]
    assert json.loads(resp.to_json())["secret"] == resp.secret


def test_create_by_external_id(client):
    created = client.users.create(email="ada@example.com", external_id="ada-1815")
    assert client.totps.create(user_id="ada-1815").user_id == created.user_id


def test_authenticate_verifies_the_totp(client, enrolled):
    user_id, totp = enrolled
    resp = client.totps.authenticate(user_id=user_id, totp_code=stytch_totp.totp_code(totp.secret, T0))
    assert resp.status_code == 200 and resp.request_id.startswith("request-id-test-")
    assert resp.totp_id == totp.totp_id and resp.user_id == user_id
    assert resp.session_token == "" and resp.session_jwt == ""
    assert resp.session is None and resp.user_device is None
    assert resp.user.totps[0].verified is True
    assert client.users.get(user_id=user_id).totps[0].verified is True


@pytest.mark.parametrize("offset", [-30, 30])
def test_authenticate_accepts_the_neighbouring_steps(client, enrolled, offset):
    user_id, totp = enrolled
    code = stytch_totp.totp_code(totp.secret, T0 + offset)
    assert client.totps.authenticate(user_id=user_id, totp_code=code).totp_id == totp.totp_id


def test_authenticate_refuses_two_steps_away(client, enrolled):
    user_id, totp = enrolled
    code = stytch_totp.totp_code(totp.secret, T0 + 60)
    err = error_of(client.totps.authenticate, user_id=user_id, totp_code=code)
    assert err.details.error_type == "unable_to_authenticate_totp"


def test_recovery_codes(client, verified):
    user_id, totp = verified
    resp = client.totps.recovery_codes(user_id=user_id)
    assert resp.status_code == 200 and resp.user_id == user_id
    assert [(t.totp_id, t.verified) for t in resp.totps] == [(totp.totp_id, True)]
    assert resp.totps[0].recovery_codes == totp.recovery_codes


def test_recover_uses_up_one_code(client, verified):
    user_id, totp = verified
    code = totp.recovery_codes[3]
    resp = client.totps.recover(user_id=user_id, recovery_code=code.upper().replace("-", ""))
    assert isinstance(resp, stytch_totp.models.totps.RecoverResponse)
    assert resp.status_code == 200 and resp.totp_id == totp.totp_id and resp.user_id == user_id
    assert resp.session is None and resp.session_token == ""
    left = client.totps.recovery_codes(user_id=user_id).totps[0].recovery_codes
    assert left == [c for c in totp.recovery_codes if c != code]
    err = error_of(client.totps.recover, user_id=user_id, recovery_code=code)
    assert err.details.error_type == "unable_to_authenticate_recovery_code"


def test_set_time_and_use_system_clock(client, verified):
    user_id, totp = verified
    client.set_time(T0 + 3600)
    later = stytch_totp.totp_code(totp.secret, T0 + 3600)
    client.totps.authenticate(user_id=user_id, totp_code=later)
    assert client.users.get(user_id=user_id).created_at.timestamp() == T0
    client.use_system_clock()
    now = stytch_totp.totp_code(totp.secret, int(time.time()))
    assert client.totps.authenticate(user_id=user_id, totp_code=now).user_id == user_id
    created = client.users.create(email="now@example.com").user.created_at
    assert abs(created.timestamp() - time.time()) < 60


def test_set_time_out_of_range(client):
    for bad in (-1, 253402300800, 2**70):
        assert error_of(client.set_time, bad).details.error_type == "bad_request"


def test_totp_code_rfc6238_vectors():
    secret = base64.b32encode(b"12345678901234567890").decode()  # RFC 6238, SHA1
    assert stytch_totp.totp_code(secret, 59) == "287082"
    assert stytch_totp.totp_code(secret, 1111111109) == "081804"
    assert stytch_totp.totp_code(secret.lower().rstrip("="), 1234567890) == "005924"


def test_totp_code_rejects_bad_input():
    with pytest.raises(ValueError):
        stytch_totp.totp_code("not base32!", 0)
    with pytest.raises(ValueError):
        stytch_totp.totp_code("", 0)
    with pytest.raises(ValueError):
        stytch_totp.totp_code("GEZDGNBV", 2**64)
    with pytest.raises(TypeError):
        stytch_totp.totp_code(b"GEZDGNBV", 0)


def test_arguments_the_library_judges_get_its_answer(client, user):
    # A wrong type goes to the library as it is, and gets its bad_request.
    err = error_of(client.totps.authenticate, user_id=user.user_id, totp_code=123456)
    assert err.details.error_type == "bad_request"
    assert err.details.error_message.endswith("totp_code must be a string")
    err = error_of(client.totps.create, user_id=user.user_id, expiration_minutes="30")
    assert err.details.error_message.endswith("expiration_minutes must be an integer")
    # A NUL byte in a body is a control character in a user_id.
    err = error_of(client.totps.create, user_id=user.user_id + "\0junk")
    assert err.details.error_type == "invalid_user_id"


def test_arguments_c_cannot_carry_are_refused_before_c_sees_them(client, user):
    # C would see only the part before the NUL: another user ID.
    with pytest.raises(ValueError, match="NUL"):
        client.users.get(user_id=user.user_id + "\0junk")
    with pytest.raises(TypeError):
        client.users.get(user_id=5)


PROJECT = "project-test-6f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9"


def test_sessions_start_on_authenticate_and_gain_the_recovery_factor():
    with stytch_totp.Client(database=":memory:", project_id=PROJECT) as c:
        c.set_time(T0)
        user_id = c.users.create(email="ada@example.com").user_id
        totp = c.totps.create(user_id=user_id)
        resp = c.totps.authenticate(
            user_id=user_id,
            totp_code=stytch_totp.totp_code(totp.secret, T0),
            session_duration_minutes=60,
            session_custom_claims={"plan": "pro"},
        )
        assert len(resp.session_token) == 44 and resp.session_jwt.count(".") == 2
        assert resp.session.custom_claims == {"plan": "pro"}
        assert [f.type for f in resp.session.authentication_factors] == ["totp"]
        recovered = c.totps.recover(
            user_id=user_id,
            recovery_code=totp.recovery_codes[0],
            session_token=resp.session_token,
            session_custom_claims={"plan": None},
        )
        assert recovered.session.session_id == resp.session.session_id
        assert recovered.session_token == resp.session_token
        assert recovered.session.custom_claims == {}
        assert [f.type for f in recovered.session.authentication_factors] == ["totp", "recovery_codes"]


def test_a_bad_session_argument_consumes_nothing(client, enrolled):
    user_id, totp = enrolled
    code = stytch_totp.totp_code(totp.secret, T0)
    with pytest.raises(stytch_totp.StytchError) as e:
        client.totps.authenticate(user_id=user_id, totp_code=code, session_duration_minutes=60)
    assert e.value.details.error_type == "invalid_config"  # no project_id
    assert client.totps.authenticate(user_id=user_id, totp_code=code).status_code == 200
