"""Sessions made by the library's own routes (authenticate, recover,
sessions/authenticate): the official SDK verifies their JWTs locally against
the JWKS route's body, served on loopback or handed over in process, and its
models and Stytch's schemas accept the bodies."""

import json

import stytch
from stytch.consumer.models.sessions import AuthenticateResponse, GetResponse, Session
from test_bodies import round_trip, validate
from test_sdk_local_verification import SECRET, InProcessJwks, JwksServer


def test_the_sdk_verifies_jwts_of_every_route_against_the_jwks_route(route, route_jwks_raw):
    project_id = project_of(route)
    server = JwksServer(project_id, route_jwks_raw)
    try:
        client = stytch.Client(project_id=project_id, secret=SECRET, environment=server.url)
        for name in ("started", "recovered", "authenticated"):
            body = route[name]
            session = client.sessions.authenticate_jwt_local(body["session_jwt"])
            assert session is not None, name
            assert session.session_id == body["session"]["session_id"]
            assert session.user_id == body["session"]["user_id"]
            assert session.custom_claims == {"plan": "pro", "org": {"id": 7}}
            assert [f.type for f in session.authentication_factors] == [
                f["type"] for f in body["session"]["authentication_factors"]]
        assert [f.type for f in session.authentication_factors] == ["totp", "recovery_codes"]
    finally:
        server.close()
    in_process = stytch.Client(project_id=project_id, secret=SECRET)
    in_process.sessions.jwks_client = InProcessJwks(json.loads(route_jwks_raw))
    assert in_process.sessions.authenticate_jwt_local(route["authenticated"]["session_jwt"]) is not None


def project_of(route):
    """The project the JWTs name (their audience)."""
    import jwt

    return jwt.decode(route["started"]["session_jwt"], options={"verify_signature": False})["aud"][0]


def test_the_route_bodies_parse_strictly_and_validate(route):
    for name in ("started", "recovered", "authenticated"):
        session = route[name]["session"]
        round_trip(Session, json.dumps(session))
        validate("api_session_v1_Session", session)
    parsed = AuthenticateResponse.from_json(200, route["authenticated"])
    assert parsed.session.session_id == route["authenticated"]["session"]["session_id"]
    assert parsed.session_token == route["authenticated"]["session_token"]
    listed = GetResponse.from_json(200, route["listed"])
    assert [s.session_id for s in listed.sessions] == [route["authenticated"]["session"]["session_id"]]
