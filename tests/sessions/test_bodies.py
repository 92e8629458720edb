"""The JWKS and session bodies: the SDK's pydantic models parse them strictly
and give them back unchanged, they validate against Stytch's schemas, and the
published certificate is what the JWK says."""

import base64
import datetime
import hashlib
import json
import pathlib

import jsonschema
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
from referencing import Registry, Resource
from stytch.consumer.models.sessions import GetJWKSResponse, Session

SCHEMAS = pathlib.Path(__file__).resolve().parents[1] / "data" / "schemas"
COMPONENTS = json.loads((SCHEMAS / "stytch_sessions_components.json").read_text())
ROOT_URI = "urn:stytch:sessions"
REGISTRY = Registry().with_resource(ROOT_URI, Resource.opaque(COMPONENTS))


def validate(name, body):
    schema = {"$ref": f"{ROOT_URI}#/components/schemas/{name}"}
    jsonschema.Draft202012Validator(schema, registry=REGISTRY).validate(body)


def round_trip(model, raw):
    """Strict parse; the dump of what was parsed is the body itself, so the
    model dropped, renamed and reinterpreted nothing."""
    parsed = model.model_validate_json(raw, strict=True)
    assert json.loads(parsed.model_dump_json(exclude_unset=True)) == json.loads(raw)
    return parsed


def test_the_jwks_body_parses_strictly_and_validates(jwks_raw, jwks_body):
    parsed = round_trip(GetJWKSResponse, jwks_raw)
    assert GetJWKSResponse.from_json(200, jwks_body) == parsed
    assert parsed.status_code == 200 and parsed.request_id == jwks_body["request_id"]
    assert len(parsed.keys) == 2
    validate("api_session_v1_GetJWKSResponse", jwks_body)
    for key in jwks_body["keys"]:
        assert set(key) == {"kty", "use", "key_ops", "alg", "kid", "x5c", "x5tS256", "n", "e"}
        assert (key["kty"], key["use"], key["key_ops"], key["alg"], key["e"]) == (
            "RSA", "sig", ["verify"], "RS256", "AQAB")
        assert key["kid"].startswith("jwk-test-")


def test_the_session_body_parses_strictly_and_validates(session_raw, session_body):
    parsed = round_trip(Session, session_raw)
    assert parsed.started_at.tzinfo == datetime.timezone.utc
    assert [f.type for f in parsed.authentication_factors] == ["totp", "recovery_codes"]
    validate("api_session_v1_Session", session_body)


def b64url_int(text):
    return int.from_bytes(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)), "big")


def test_each_certificate_is_self_signed_for_the_published_key(jwks_body):
    for key in jwks_body["keys"]:
        der = base64.b64decode(key["x5c"][0], validate=True)
        assert key["x5tS256"] == base64.urlsafe_b64encode(hashlib.sha256(der).digest()).decode()
        cert = x509.load_der_x509_certificate(der)
        assert cert.version == x509.Version.v3 and cert.serial_number == 1
        assert cert.subject == cert.issuer
        assert cert.subject.rfc4514_string() == "O=stytch-totp"
        assert cert.signature_hash_algorithm.name == "sha256"
        not_before, not_after = cert.not_valid_before_utc, cert.not_valid_after_utc
        assert not_after.year - not_before.year == 10
        assert not_after.replace(year=not_before.year) == not_before
        extensions = {e.oid: e for e in cert.extensions}
        oids = x509.oid.ExtensionOID
        assert set(extensions) == {oids.KEY_USAGE, oids.BASIC_CONSTRAINTS}
        usage = extensions[oids.KEY_USAGE]
        assert usage.critical and usage.value.digital_signature
        assert not (usage.value.key_encipherment or usage.value.key_cert_sign or usage.value.content_commitment)
        constraints = extensions[oids.BASIC_CONSTRAINTS]
        assert constraints.critical and constraints.value.ca is False
        public = cert.public_key().public_numbers()
        assert (public.n, public.e) == (b64url_int(key["n"]), b64url_int(key["e"]))
        assert public.n.bit_length() == 2048
        cert.public_key().verify(
            cert.signature, cert.tbs_certificate_bytes, padding.PKCS1v15(), hashes.SHA256())
