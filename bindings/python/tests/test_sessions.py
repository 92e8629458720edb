"""``client.sessions``: authenticate by token and by JWT, list, revoke, and
the JWKS that verifies the JWTs, through the library's JSON door."""

from __future__ import annotations

import asyncio
import base64
import json
from typing import Any, Dict, Tuple

import pytest

import stytch_totp
from conftest import PROJECT, T0, error_of
from test_official_models import assert_same


def jwt_header(jwt: str) -> Dict[str, Any]:
    part = jwt.split(".")[0]
    decoded: Dict[str, Any] = json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    return decoded


def test_authenticate_by_token_and_by_jwt_finds_the_session(session_client, signed_in):
    user_id, started, _ = signed_in
    session_id = started.session.session_id
    by_token = session_client.sessions.authenticate(session_token=started.session_token)
    assert by_token.session.session_id == session_id
    assert by_token.user.user_id == user_id
    assert by_token.session_token == started.session_token
    by_jwt = session_client.sessions.authenticate(session_jwt=started.session_jwt)
    assert by_jwt.session.session_id == session_id


def test_session_responses_are_values_that_hide_their_tokens(session_client, signed_in):
    import copy
    import pickle

    _, started, _ = signed_in
    by_token = session_client.sessions.authenticate(session_token=started.session_token)
    for response in (started, by_token, session_client.sessions.authenticate_jwt(started.session_jwt)):
        again = pickle.loads(pickle.dumps(response))
        assert again == response and again.session == response.session and copy.deepcopy(response) == response
        text = repr(response)
        assert started.session.session_id in text and "session_jwt=<hidden>" in text
        assert started.session_jwt not in text and started.session_token not in text
    assert "session_token=<hidden>" in repr(by_token)
    # A different session is a different value.
    extended = session_client.sessions.authenticate(session_token=started.session_token, session_duration_minutes=90)
    assert extended.session != by_token.session and extended.session.session_id == by_token.session.session_id
    factor = by_token.session.authentication_factors[0]
    assert factor.authenticator_app_factor is not None and factor.authenticator_app_factor.totp_id
    assert factor.recovery_code_factor is None and factor.email_factor is None


def test_authenticate_extends_and_adds_claims(session_client, signed_in):
    _, started, _ = signed_in
    extended = session_client.sessions.authenticate(
        session_token=started.session_token, session_duration_minutes=120, session_custom_claims={"plan": "pro"}
    )
    assert extended.session.expires_at > started.session.expires_at
    assert extended.session.custom_claims == {"plan": "pro"}


def test_get_lists_the_users_live_sessions(session_client, signed_in):
    user_id, started, _ = signed_in
    listed = session_client.sessions.get(user_id=user_id)
    assert [s.session_id for s in listed.sessions] == [started.session.session_id]


def test_revoke_ends_the_session(session_client, signed_in):
    user_id, started, _ = signed_in
    assert session_client.sessions.revoke(session_id=started.session.session_id).status_code == 200
    err = error_of(session_client.sessions.authenticate, session_token=started.session_token)
    assert err.details.error_type == "session_not_found"
    assert session_client.sessions.get(user_id=user_id).sessions == []


def test_revoke_by_token_and_by_jwt(session_client, signed_in):
    user_id, started, totp = signed_in
    again = session_client.totps.recover(
        user_id=user_id, recovery_code=totp.recovery_codes[0], session_duration_minutes=60
    )
    session_client.sessions.revoke(session_token=started.session_token)
    session_client.sessions.revoke(session_jwt=again.session_jwt)
    assert error_of(session_client.sessions.authenticate, session_jwt=again.session_jwt).details.error_type == (
        "session_not_found"
    )
    assert session_client.sessions.get(user_id=user_id).sessions == []


def test_get_jwks_has_the_key_that_signed_the_jwt(session_client, signed_in):
    _, started, _ = signed_in
    kid = jwt_header(started.session_jwt)["kid"]
    keys = session_client.sessions.get_jwks(project_id=PROJECT).keys
    assert kid in [k.kid for k in keys]
    err = error_of(session_client.sessions.get_jwks, project_id=PROJECT.replace("6f1e", "0000"))
    assert err.details.status_code == 400


def test_bad_arguments_get_the_librarys_errors(session_client):
    assert error_of(session_client.sessions.revoke).details.error_type == "bad_request"
    err = error_of(session_client.sessions.authenticate, session_token="not-a-token")
    assert err.details.error_type == "invalid_session_token"
    with pytest.raises(ValueError, match="NUL"):
        session_client.sessions.get(user_id="user\0x")


def test_async_twins(session_client, signed_in):
    user_id, started, _ = signed_in

    async def run() -> Tuple[Any, Any, Any]:
        sessions = session_client.sessions
        return (
            await sessions.authenticate_async(session_token=started.session_token),
            await sessions.get_async(user_id=user_id),
            await sessions.get_jwks_async(project_id=PROJECT),
        )

    authenticated, listed, jwks = asyncio.run(run())
    assert authenticated.session.session_id == listed.sessions[0].session_id
    assert jwt_header(started.session_jwt)["kid"] in [k.kid for k in jwks.keys]
    asyncio.run(session_client.sessions.revoke_async(session_token=started.session_token))
    assert session_client.sessions.get(user_id=user_id).sessions == []


def test_authenticate_jwt_local_accepts_a_fresh_jwt(session_client, signed_in):
    user_id, started, _ = signed_in
    session = session_client.sessions.authenticate_jwt_local(started.session_jwt)
    assert session is not None
    assert session.session_id == started.session.session_id
    assert session.user_id == user_id
    assert session.expires_at == started.session.expires_at
    assert [f.type for f in session.authentication_factors] == ["totp"]


def test_authenticate_jwt_local_refuses_a_tampered_jwt(session_client, signed_in):
    _, started, _ = signed_in
    header, payload, signature = started.session_jwt.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["sub"] = "user-test-00000000-0000-4000-8000-000000000000"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    assert session_client.sessions.authenticate_jwt_local(f"{header}.{forged}.{signature}") is None


def test_authenticate_jwt_local_refuses_an_expired_jwt_but_a_leeway_admits_it(session_client, signed_in):
    _, started, _ = signed_in
    session_client.set_time(T0 + 300)
    assert session_client.sessions.authenticate_jwt_local(started.session_jwt) is None
    assert session_client.sessions.authenticate_jwt_local(started.session_jwt, leeway=10) is not None


def test_authenticate_jwt_local_refuses_a_jwt_older_than_max_token_age(session_client, signed_in):
    _, started, _ = signed_in
    session_client.set_time(T0 + 59)
    assert session_client.sessions.authenticate_jwt_local(started.session_jwt, max_token_age_seconds=60) is not None
    session_client.set_time(T0 + 60)
    assert session_client.sessions.authenticate_jwt_local(started.session_jwt, max_token_age_seconds=60) is None
    assert session_client.sessions.authenticate_jwt_local(started.session_jwt, max_token_age_seconds=0) is None


def test_authenticate_jwt_local_refuses_another_projects_jwt(session_client, signed_in):
    other = "project-test-0a1b2c3d-4e5f-4a6b-8c7d-9e8f7a6b5c4d"
    with stytch_totp.Client(database=":memory:", project_id=other) as theirs:
        theirs.set_time(T0)
        user_id = theirs.users.create(email="bob@example.com").user_id
        totp = theirs.totps.create(user_id=user_id)
        code = stytch_totp.totp_code(totp.secret, T0)
        started = theirs.totps.authenticate(user_id=user_id, totp_code=code, session_duration_minutes=60)
    assert session_client.sessions.authenticate_jwt_local(started.session_jwt) is None


def test_authenticate_jwt_local_raises_for_what_is_not_the_jwt(session_client, signed_in):
    _, started, _ = signed_in
    with pytest.raises(stytch_totp.StytchError) as info:
        session_client.sessions.authenticate_jwt_local(started.session_jwt, leeway=-1)
    assert info.value.details.error_type == "bad_request"
    with stytch_totp.Client(database=":memory:") as no_project:
        with pytest.raises(stytch_totp.StytchError) as info:
            no_project.sessions.authenticate_jwt_local(started.session_jwt)
    assert info.value.details.error_type == "invalid_config"


def test_authenticate_jwt_verifies_locally_then_asks_the_store(session_client, signed_in):
    _, started, _ = signed_in
    local = session_client.sessions.authenticate_jwt(started.session_jwt)
    assert local.request_id == "" and local.session_jwt == started.session_jwt
    assert local.session.session_id == started.session.session_id
    # Expired: the store is asked, and a new JWT comes back.
    session_client.set_time(T0 + 600)
    remote = session_client.sessions.authenticate_jwt(started.session_jwt)
    assert remote.request_id.startswith("request-id-test-")
    assert remote.session_jwt != started.session_jwt
    # Revoked: the store says so.
    session_client.sessions.revoke(session_id=started.session.session_id)
    with pytest.raises(stytch_totp.StytchError) as info:
        session_client.sessions.authenticate_jwt(remote.session_jwt, max_token_age_seconds=0)
    assert info.value.details.error_type == "session_not_found"


def test_authenticate_jwt_local_returns_the_session_the_official_sdk_reads():
    """The official SDK's authenticate_jwt_local, handed this project's JWKS in
    process, reads the same session from a JWT as this one does (on the system
    clock: the official SDK checks the JWT's times against it)."""
    import time

    import jwt as pyjwt
    import stytch

    class InProcessJwks(pyjwt.PyJWKClient):
        def __init__(self, body: Dict[str, Any]) -> None:
            super().__init__("http://unused.invalid/")
            self.body = body

        def fetch_data(self) -> Dict[str, Any]:
            return self.body

    with stytch_totp.Client(database=":memory:", project_id=PROJECT) as c:
        user_id = c.users.create(email="ada@example.com").user_id
        totp = c.totps.create(user_id=user_id)
        code = stytch_totp.totp_code(totp.secret, int(time.time()))
        started = c.totps.authenticate(
            user_id=user_id, totp_code=code, session_duration_minutes=60, session_custom_claims={"plan": "pro"}
        )
        ours = c.sessions.authenticate_jwt_local(started.session_jwt)
        jwks = c.sessions.get_jwks(project_id=PROJECT)
    official = stytch.Client(project_id=PROJECT, secret="secret-test-unused")
    official.sessions.jwks_client = InProcessJwks(json.loads(jwks.to_json()))
    theirs = official.sessions.authenticate_jwt_local(started.session_jwt)
    assert ours is not None and theirs is not None
    assert_same(ours, theirs)
    assert ours.custom_claims == {"plan": "pro"} and [f.type for f in ours.authentication_factors] == ["totp"]
    # A tampered JWT: both refuse it.
    forged = started.session_jwt[:-2] + ("A" if started.session_jwt[-2] != "A" else "B") + started.session_jwt[-1]
    assert official.sessions.authenticate_jwt_local(forged) is None
