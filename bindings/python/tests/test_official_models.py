"""to_json() parses with the official stytch package's models, field for field."""

from __future__ import annotations

import enum
import json
from typing import Any

import pydantic
import pytest
from stytch.consumer.models import sessions as official_sessions
from stytch.consumer.models import totps as official_totps
from stytch.consumer.models import users as official_users
from stytch.core import response_base

import stytch_totp
from conftest import PROJECT, T0, UNKNOWN_USER, error_of


def assert_same(ours: Any, theirs: Any, path: str = "") -> None:
    """Every field of the official model has the same value on our object
    (walked recursively; an official str enum is our str of its value)."""
    if isinstance(theirs, pydantic.BaseModel):
        for name in type(theirs).model_fields:
            assert_same(getattr(ours, name), getattr(theirs, name), f"{path}.{name}")
    elif isinstance(theirs, list):
        assert isinstance(ours, list) and len(ours) == len(theirs), path
        for i, (o, t) in enumerate(zip(ours, theirs)):
            assert_same(o, t, f"{path}[{i}]")
    elif isinstance(theirs, enum.Enum):
        assert ours == theirs.value and type(ours) is str, path
    else:
        assert ours == theirs and type(ours) is type(theirs), path


def parse(model: type, ours: Any) -> Any:
    theirs = model.model_validate_json(ours.to_json())
    assert_same(ours, theirs)
    return theirs


@pytest.fixture
def rich_user(client):
    return client.users.create(
        email="ada@example.com",
        phone_number="+14155550100",
        name={"first_name": "Ada", "middle_name": "K", "last_name": "Lovelace"},
        external_id="ada-1815",
        trusted_metadata={"plan": "pro", "nested": {"a": [1, 2]}},
        untrusted_metadata={"theme": "dark"},
    )


def test_users_create_get_delete(client, rich_user):
    theirs = parse(official_users.CreateResponse, rich_user)
    assert theirs.user.name.middle_name == "K" and theirs.user.trusted_metadata["nested"] == {"a": [1, 2]}
    parse(official_users.User, rich_user.user)
    parse(official_users.GetResponse, client.users.get(user_id=rich_user.user_id))
    parse(official_users.DeleteResponse, client.users.delete(user_id=rich_user.user_id))


def test_totps_create_authenticate_recover_and_codes(client, rich_user):
    user_id = rich_user.user_id
    created = client.totps.create(user_id=user_id)
    theirs = parse(official_totps.CreateResponse, created)
    assert theirs.secret == created.secret and len(theirs.recovery_codes) == 10
    auth = client.totps.authenticate(user_id=user_id, totp_code=stytch_totp.totp_code(created.secret, T0))
    theirs = parse(official_totps.AuthenticateResponse, auth)
    assert theirs.user.totps[0].verified is True and theirs.session is None
    parse(official_totps.RecoveryCodesResponse, client.totps.recovery_codes(user_id=user_id))
    parse(official_totps.RecoverResponse, client.totps.recover(user_id=user_id, recovery_code=created.recovery_codes[0]))
    parse(official_users.DeleteTOTPResponse, client.users.delete_totp(totp_id=created.totp_id))


def test_locked_user_timestamps():
    with stytch_totp.Client(database=":memory:", lockout={"max_failures": 1, "duration_minutes": 5}) as c:
        c.set_time(T0)
        user_id = c.users.create(email="ada@example.com").user_id
        c.totps.create(user_id=user_id)
        error_of(c.totps.authenticate, user_id=user_id, totp_code="000000")
        error_of(c.totps.authenticate, user_id=user_id, totp_code="000000")
        theirs = parse(official_users.GetResponse, c.users.get(user_id=user_id))
        assert theirs.is_locked is True and theirs.lock_expires_at is not None


def test_errors_parse_as_official_details(client):
    err = error_of(client.users.get, user_id=UNKNOWN_USER)
    theirs = response_base.StytchErrorDetails.model_validate_json(err.to_json())
    assert_same(err.details, theirs.model_copy(update={"original_json": err.details.original_json}))
    # The SDK's own path: from_json raises its StytchError with the same details.
    with pytest.raises(response_base.StytchError) as info:
        official_users.GetResponse.from_json(err.details.status_code, json.loads(err.to_json()))
    official = info.value.details
    for field in ("status_code", "request_id", "error_type", "error_message", "error_url"):
        assert getattr(official, field) == getattr(err.details, field)
    assert official.original_json == err.details.original_json


def test_sessions_models_have_every_official_attribute(session_client, signed_in):
    """Sign in with a TOTP code and then a recovery code (two factors), extend
    the session with claims, list, fetch the keys, verify the JWT, revoke:
    each response reads as the official model of its route does."""
    c = session_client
    user_id, started, totp = signed_in
    parse(official_totps.AuthenticateResponse, started)
    recovered = c.totps.recover(
        user_id=user_id, recovery_code=totp.recovery_codes[0], session_token=started.session_token
    )
    theirs = parse(official_totps.RecoverResponse, recovered)
    assert [f.delivery_method for f in theirs.session.authentication_factors] == [
        "authenticator_app",
        "recovery_code",
    ]
    assert recovered.session.authentication_factors[1].recovery_code_factor is not None
    session = parse(official_sessions.Session, recovered.session)
    assert session.attributes is not None and session.started_at is not None
    extended = c.sessions.authenticate(
        session_token=recovered.session_token, session_duration_minutes=120, session_custom_claims={"plan": "pro"}
    )
    theirs = parse(official_sessions.AuthenticateResponse, extended)
    assert theirs.session.custom_claims == {"plan": "pro"} and theirs.verdict is None
    parse(official_sessions.GetResponse, c.sessions.get(user_id=user_id))
    theirs = parse(official_sessions.GetJWKSResponse, c.sessions.get_jwks(project_id=PROJECT))
    assert theirs.keys and theirs.keys[0].kty == "RSA"
    local = c.sessions.authenticate_jwt_local(extended.session_jwt)
    assert local is not None
    parse(official_sessions.Session, local)
    parse(official_sessions.AuthenticateJWTLocalResponse, c.sessions.authenticate_jwt(extended.session_jwt))
    c.set_time(T0 + 600)  # the JWT expired: authenticate_jwt asks the store
    parse(official_sessions.AuthenticateJWTLocalResponse, c.sessions.authenticate_jwt(extended.session_jwt))
    parse(official_sessions.RevokeResponse, c.sessions.revoke(session_id=extended.session.session_id))
