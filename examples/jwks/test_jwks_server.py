"""The loopback JWKS server against the official ``stytch`` SDK: an unchanged
``authenticate_jwt_local`` verifies a session JWT the library minted, and a
JWT signed by another key is refused."""

from __future__ import annotations

import threading
import time
from typing import Iterator, Tuple

import jwks_server
import jwt
import pytest
import stytch
import stytch_totp
from cryptography.hazmat.primitives.asymmetric import rsa

PROJECT = "project-test-6f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9"


@pytest.fixture
def app() -> Iterator[Tuple[stytch_totp.Client, str]]:
    """(the library's client, the URL of its JWKS server on loopback)."""
    with stytch_totp.Client(database=":memory:", project_id=PROJECT) as client:
        server = jwks_server.make_server(client, PROJECT)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            yield client, f"http://127.0.0.1:{server.server_address[1]}/"
        finally:
            server.shutdown()
            server.server_close()


def sign_in(client: stytch_totp.Client) -> stytch_totp.models.totps.AuthenticateResponse:
    user_id = client.users.create(email="ada@example.com").user_id
    totp = client.totps.create(user_id=user_id)
    code = stytch_totp.totp_code(totp.secret, int(time.time()))
    return client.totps.authenticate(user_id=user_id, totp_code=code, session_duration_minutes=60)


def test_the_official_sdk_verifies_the_librarys_jwt_against_the_server(app):
    client, url = app
    signed_in = sign_in(client)
    official = stytch.Client(project_id=PROJECT, secret="secret-test-unused", environment=url)
    session = official.sessions.authenticate_jwt_local(signed_in.session_jwt)
    assert session is not None
    assert session.session_id == signed_in.session.session_id
    assert session.user_id == signed_in.user_id


def test_a_jwt_signed_by_another_key_is_refused(app):
    client, url = app
    genuine = sign_in(client).session_jwt
    claims = jwt.decode(genuine, options={"verify_signature": False})
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    forged = jwt.encode(claims, other, algorithm="RS256", headers={"kid": jwt.get_unverified_header(genuine)["kid"]})
    official = stytch.Client(project_id=PROJECT, secret="secret-test-unused", environment=url)
    assert official.sessions.authenticate_jwt_local(genuine) is not None
    assert official.sessions.authenticate_jwt_local(forged) is None  # the SDK's answer to a bad signature
