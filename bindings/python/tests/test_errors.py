"""Every error type the library emits, raised as StytchError with Stytch's fields."""

from __future__ import annotations

import json

import pytest

import stytch_totp
from conftest import T0, UNKNOWN_USER, error_of
from stytch_totp import _native

STYTCH_DOCS = "https://stytch.com/docs/api-reference/consumer/api/errors/"
PROJECT_DOCS = "https://github.com/stytch-totp/stytch-totp/blob/main/docs/ERRORS.md#"


def check(err: stytch_totp.StytchError, status: int, error_type: str) -> None:
    d = err.details
    assert (d.status_code, d.error_type) == (status, error_type)
    assert err.code == stytch_totp.ErrorCode[error_type.upper()] == d.code
    assert err.code.status_code == status and err.code.error_type == error_type
    assert d.request_id.startswith("request-id-test-")
    # Stytch documents its own types; this project documents the ones it adds.
    assert d.error_url in (f"{STYTCH_DOCS}{status}#{error_type}", PROJECT_DOCS + error_type)
    assert d.error_message
    assert error_type in str(err) and error_type in repr(err)


def test_invalid_user_id(client):
    check(error_of(client.users.get, user_id=""), 400, "invalid_user_id")
    check(error_of(client.totps.create, user_id=""), 400, "invalid_user_id")
    # Absent is not invalid: it is a bad request naming the field.
    check(error_of(client.totps.create, user_id=None), 400, "bad_request")


def test_user_not_found(client):
    check(error_of(client.users.get, user_id=UNKNOWN_USER), 404, "user_not_found")
    check(error_of(client.totps.authenticate, user_id=UNKNOWN_USER, totp_code="123456"), 404, "user_not_found")


def test_invalid_email(client):
    check(error_of(client.users.create, email="not-an-email"), 400, "invalid_email")


def test_invalid_phone_number(client):
    check(error_of(client.users.create, phone_number="12345"), 400, "invalid_phone_number")


def test_duplicate_external_id(client):
    client.users.create(email="a@example.com", external_id="same")
    err = error_of(client.users.create, email="b@example.com", external_id="same")
    check(err, 400, "duplicate_external_id")


def test_bad_request(client):
    err = error_of(client.users.create, trusted_metadata=[1, 2])
    check(err, 400, "bad_request")
    assert "trusted_metadata" in err.details.error_message
    check(error_of(client.users.delete_totp, totp_id=None), 400, "bad_request")


def test_invalid_expiration(client, user):
    for minutes in (4, 1441, -1, 2**40):
        err = error_of(client.totps.create, user_id=user.user_id, expiration_minutes=minutes)
        check(err, 400, "invalid_expiration")
        assert "expiration_minutes" in err.details.error_message


def test_active_totp_exists(client, verified):
    user_id, _ = verified
    check(error_of(client.totps.create, user_id=user_id), 400, "active_totp_exists")


def test_totp_not_found(client, user):
    check(error_of(client.totps.authenticate, user_id=user.user_id, totp_code="123456"), 404, "totp_not_found")
    check(error_of(client.users.delete_totp, totp_id="totp-test-00000000-0000-4000-8000-000000000000"), 404, "totp_not_found")


@pytest.mark.parametrize("code", ["12345", "1234567", "abcdef", " 12345", "١٢٣٤٥٦"])
def test_invalid_totp_code(client, enrolled, code):
    user_id, _ = enrolled
    check(error_of(client.totps.authenticate, user_id=user_id, totp_code=code), 400, "invalid_totp_code")


def test_expired_totp(client, user):
    totp = client.totps.create(user_id=user.user_id, expiration_minutes=5)
    later = T0 + 6 * 60
    client.set_time(later)
    code = stytch_totp.totp_code(totp.secret, later)
    check(error_of(client.totps.authenticate, user_id=user.user_id, totp_code=code), 400, "expired_totp")


def test_totp_code_already_authenticated(client, verified):
    user_id, totp = verified
    code = stytch_totp.totp_code(totp.secret, T0)
    err = error_of(client.totps.authenticate, user_id=user_id, totp_code=code)
    check(err, 400, "totp_code_already_authenticated")


def test_unable_to_authenticate_totp(client, enrolled):
    user_id, totp = enrolled
    wrong = "%06d" % ((int(stytch_totp.totp_code(totp.secret, T0)) + 1) % 10**6)
    check(error_of(client.totps.authenticate, user_id=user_id, totp_code=wrong), 401, "unable_to_authenticate_totp")


def test_invalid_recovery_code(client, verified):
    user_id, _ = verified
    check(error_of(client.totps.recover, user_id=user_id, recovery_code="nope"), 400, "invalid_recovery_code")


def test_totp_code_used_as_recovery_code(client, verified):
    user_id, _ = verified
    err = error_of(client.totps.recover, user_id=user_id, recovery_code="123456")
    check(err, 400, "totp_code_used_as_recovery_code")


def test_unable_to_authenticate_recovery_code(client, verified):
    user_id, _ = verified
    err = error_of(client.totps.recover, user_id=user_id, recovery_code="aaaa-bbbb-cccc")
    check(err, 401, "unable_to_authenticate_recovery_code")


def test_user_lock_limit_reached_and_lock_expiry():
    with stytch_totp.Client(database=":memory:", lockout={"max_failures": 3, "duration_minutes": 5}) as client:
        client.set_time(T0)
        user_id = client.users.create(email="ada@example.com").user_id
        totp = client.totps.create(user_id=user_id)
        for _ in range(3):
            error_of(client.totps.recover, user_id=user_id, recovery_code="aaaa-bbbb-cccc")
        right = stytch_totp.totp_code(totp.secret, T0)
        check(error_of(client.totps.authenticate, user_id=user_id, totp_code=right), 429, "user_lock_limit_reached")
        user = client.users.get(user_id=user_id)
        assert user.is_locked is True
        assert (user.lock_expires_at - user.lock_created_at).total_seconds() == 5 * 60
        after = T0 + 5 * 60 + 30
        client.set_time(after)
        ok = client.totps.authenticate(user_id=user_id, totp_code=stytch_totp.totp_code(totp.secret, after))
        assert ok.user.is_locked is False


@pytest.mark.parametrize(
    "config",
    [
        {"environment": "prod"},
        {"lockout": {"max_failures": 0, "duration_minutes": 60}},
        {"lockout": stytch_totp.Lockout(max_failures=10, duration_minutes=4)},
        {"lockout": {"max_failures": 10, "duration_minutes": 60, "extra": 1}},
        {"database": ""},
    ],
)
def test_invalid_config(config):
    config.setdefault("database", ":memory:")
    err = error_of(stytch_totp.Client, **config)
    check(err, 400, "invalid_config")
    assert err.details.error_url == PROJECT_DOCS + "invalid_config"


def test_valid_config_is_accepted_and_the_file_store_is_durable(tmp_path):
    lockout = stytch_totp.Lockout(max_failures=100, duration_minutes=10080)
    path = tmp_path / "app.db"
    with stytch_totp.Client(path, environment="live", issuer="Acme", lockout=lockout) as c:
        user_id = c.users.create(email="ada@example.com").user_id
        assert user_id.startswith("user-live-")
        assert c.totps.create(user_id=user_id).totp_id.startswith("totp-live-")
    with stytch_totp.Client(str(path), environment="live") as c:
        assert c.users.get(user_id=user_id).totps[0].verified is False


def test_error_json_is_the_library_body(client):
    # stytch_call gives the raw body for the same request; only request_id differs.
    err = error_of(client.users.get, user_id=UNKNOWN_USER)
    raw_ptr = _native.lib.stytch_call(client._ptr, b"GET", f"/v1/users/{UNKNOWN_USER}".encode(), None)
    raw = json.loads(_native.take_string(raw_ptr))
    ours = json.loads(err.to_json())
    assert list(ours) == list(raw)
    assert {**ours, "request_id": ""} == {**raw, "request_id": ""}
    assert err.details.original_json == ours


def test_every_error_code_is_the_header_s(client):
    # ErrorCode is generated from the header: each member's value is what the
    # library returns for it.
    err = error_of(client.users.get, user_id=UNKNOWN_USER)
    assert err.code is stytch_totp.ErrorCode.USER_NOT_FOUND
    assert int(err.code) == 40401
    assert {c.status_code for c in stytch_totp.ErrorCode} == {400, 401, 404, 429, 500, 503}
