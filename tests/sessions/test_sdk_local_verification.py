"""The official SDK's own local JWT verification (`authenticate_jwt_local`),
pointed at the library's JWKS, accepts the library's session JWTs and refuses
the ones it must refuse."""

import http.server
import threading

import jwt
import pytest
import stytch

SECRET = "secret-test-not-used-offline-0000000000="


class JwksServer:
    """Serves the JWKS body where the SDK looks for it:
    GET <environment>/v1/sessions/jwks/<project_id>."""

    def __init__(self, project_id, body):
        path = f"/v1/sessions/jwks/{project_id}"
        self.requests = []
        requests = self.requests

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                requests.append(self.path)
                status, payload = (200, body.encode()) if self.path == path else (404, b"{}")
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def server(tokens, jwks_raw):
    server = JwksServer(tokens["project_id"], jwks_raw)
    yield server
    server.close()


@pytest.fixture
def client(tokens, server):
    """An unchanged SDK client whose `environment` is the loopback server."""
    return stytch.Client(project_id=tokens["project_id"], secret=SECRET, environment=server.url)


class InProcessJwks(jwt.PyJWKClient):
    """The documented in-process alternative: hand the SDK the JWKS body."""

    def __init__(self, body):
        super().__init__("http://unused.invalid/")
        self.body = body

    def fetch_data(self):
        return self.body


def assert_is_the_session(session, expected):
    assert session is not None, "the SDK refused the JWT"
    assert session.session_id == expected["session_id"]
    assert session.user_id == expected["user_id"]
    assert session.roles == expected["roles"] == ["stytch_user"]
    assert session.custom_claims == expected["custom_claims"]
    assert session.custom_claims == {"plan": "pro", "org": {"id": 7, "name": "Acme"}, "tags": ["a", "b"]}
    for name in ("started_at", "last_accessed_at", "expires_at"):
        assert getattr(session, name).strftime("%Y-%m-%dT%H:%M:%SZ") == expected[name], name
    assert session.attributes.ip_address == expected["attributes"]["ip_address"]
    assert session.attributes.user_agent == expected["attributes"]["user_agent"]
    factors = [(f.type, f.delivery_method, f.last_authenticated_at.strftime("%Y-%m-%dT%H:%M:%SZ"))
               for f in session.authentication_factors]
    assert factors == [(f["type"], f["delivery_method"], f["last_authenticated_at"])
                       for f in expected["authentication_factors"]]
    totp, recovery = session.authentication_factors
    expected_totp, expected_recovery = expected["authentication_factors"]
    assert (totp.type, totp.delivery_method) == ("totp", "authenticator_app")
    assert totp.authenticator_app_factor.totp_id == expected_totp["authenticator_app_factor"]["totp_id"]
    assert (recovery.type, recovery.delivery_method) == ("recovery_codes", "recovery_code")
    assert recovery.recovery_code_factor.totp_recovery_code_id == (
        expected_recovery["recovery_code_factor"]["totp_recovery_code_id"])


def test_the_sdk_fetches_our_jwks_and_accepts_our_jwt(client, server, tokens, session_body):
    session = client.sessions.authenticate_jwt_local(tokens["valid"])
    assert_is_the_session(session, session_body)
    assert server.requests == [f"/v1/sessions/jwks/{tokens['project_id']}"]


def test_a_jwt_of_the_previous_key_is_accepted_during_its_grace(client, tokens, session_body):
    assert_is_the_session(client.sessions.authenticate_jwt_local(tokens["previous_key"]), session_body)


def test_the_in_process_jwks_works_the_same(tokens, jwks_body, session_body):
    client = stytch.Client(project_id=tokens["project_id"], secret=SECRET)
    client.sessions.jwks_client = InProcessJwks(jwks_body)
    assert_is_the_session(client.sessions.authenticate_jwt_local(tokens["valid"]), session_body)


@pytest.mark.parametrize("name", ["expired", "wrong_audience", "tampered"])
def test_the_sdk_refuses_what_it_must(client, tokens, name):
    assert client.sessions.authenticate_jwt_local(tokens["valid"]) is not None
    assert client.sessions.authenticate_jwt_local(tokens[name]) is None


def test_a_key_missing_from_the_jwks_is_not_found(client, tokens):
    with pytest.raises(jwt.PyJWKClientError, match="Unable to find a signing key"):
        client.sessions.authenticate_jwt_local(tokens["unknown_key"])


def test_pyjwt_alone_verifies_with_the_jwk(tokens, jwks_body):
    """PyJWT, as any RS256 middleware would, with the JWK picked by `kid`."""
    header = jwt.get_unverified_header(tokens["valid"])
    assert list(header) == ["alg", "kid", "typ"]
    assert (header["alg"], header["typ"]) == ("RS256", "JWT")
    jwk = next(k for k in jwks_body["keys"] if k["kid"] == header["kid"])
    claims = jwt.decode(tokens["valid"], jwt.PyJWK(jwk).key, algorithms=["RS256"],
                        audience=tokens["project_id"], issuer=f"stytch.com/{tokens['project_id']}",
                        options={"require": ["exp", "iat", "nbf", "aud", "iss", "sub"]})
    assert claims["exp"] - claims["iat"] == 300
    assert claims["nbf"] == claims["iat"]
    assert claims["aud"] == [tokens["project_id"]]
