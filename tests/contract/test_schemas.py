"""Every JSON body the library emits validates against Stytch's own schemas."""

import json
import pathlib

import jsonschema
import pytest
from referencing import Registry, Resource

DATA = pathlib.Path(__file__).resolve().parents[1] / "data" / "schemas"
COMPONENTS = json.loads((DATA / "stytch_components.json").read_text())
ERROR_SCHEMA = json.loads((DATA / "stytch_ErrorResponse.json").read_text())
ROOT_URI = "urn:stytch:components"
REGISTRY = Registry().with_resource(ROOT_URI, Resource.opaque(COMPONENTS))

EXPECTED_ERROR_TYPES = {
    "invalid_user_id", "user_not_found", "invalid_expiration", "active_totp_exists", "invalid_email",
    "invalid_phone_number", "duplicate_external_id", "duplicate_email", "duplicate_phone_number", "bad_request", "invalid_totp_code",
    "totp_code_already_authenticated", "unable_to_authenticate_totp", "totp_code_used_as_recovery_code",
    "invalid_recovery_code", "unable_to_authenticate_recovery_code", "route_not_found", "totp_not_found",
    "expired_totp", "user_lock_limit_reached",
}


def validator(name):
    schema = {"$ref": f"{ROOT_URI}#/components/schemas/{name}"}
    return jsonschema.Draft202012Validator(schema, registry=REGISTRY)


def resolve(schema):
    ref = schema.get("$ref")
    return COMPONENTS["components"]["schemas"][ref.rsplit("/", 1)[1]] if ref else schema


def drop_optional_nulls(value, schema):
    """Stytch sends `null` for absent optional values, though its schemas never say
    nullable: drop such members (only where the schema does not require them)."""
    schema = resolve(schema)
    if isinstance(value, dict):
        required = set(schema.get("required", []))
        props = schema.get("properties", {})
        out = {}
        for key, item in value.items():
            if item is None:
                assert key not in required, f"required member {key} is null"
                continue
            out[key] = drop_optional_nulls(item, props.get(key, {}))
        return out
    if isinstance(value, list):
        return [drop_optional_nulls(v, schema.get("items", {})) for v in value]
    return value


def walk(value):
    if isinstance(value, dict):
        for k, v in value.items():
            yield k, v
            yield from walk(v)
    elif isinstance(value, list):
        for v in value:
            yield from walk(v)


def test_every_body_validates(bodies):
    operations = {op for op, _, _ in bodies}
    assert operations >= {
        "api_user_v1_CreateResponse", "api_user_v1_GetResponse", "api_user_v1_DeleteResponse",
        "api_user_v1_DeleteTOTPResponse", "api_totp_v1_CreateResponse", "api_totp_v1_AuthenticateResponse",
        "api_totp_v1_RecoveryCodesResponse", "api_totp_v1_RecoverResponse", "error",
    }
    error_types = set()
    for operation, status, raw in bodies:
        body = json.loads(raw)
        assert body["status_code"] == status
        if operation == "error":
            jsonschema.Draft202012Validator(ERROR_SCHEMA).validate(body)
            assert set(body) == {"status_code", "request_id", "error_type", "error_message", "error_url"}
            # Stytch documents its types; this project the one it adds here.
            own = body["error_type"] == "route_not_found"
            assert body["error_url"] == (
                f"https://github.com/stytch-totp/stytch-totp/blob/main/docs/ERRORS.md#{body['error_type']}" if own
                else f"https://stytch.com/docs/api-reference/consumer/api/errors/{status}#{body['error_type']}")
            error_types.add(body["error_type"])
        else:
            validator(operation).validate(drop_optional_nulls(body, {"$ref": f"#/x/{operation}"}))
        for key, value in walk(body):
            if key.endswith("_at"):
                assert value is None or (isinstance(value, str) and value.endswith("Z") and len(value) == 20), (key, value)
    assert error_types == EXPECTED_ERROR_TYPES


def test_the_validator_can_fail(bodies):
    """The schemas are really applied: a body with a wrong type is rejected."""
    _, _, raw = next(b for b in bodies if b[0] == "api_totp_v1_CreateResponse")
    body = json.loads(raw)
    body["recovery_codes"] = "not-a-list"
    with pytest.raises(jsonschema.ValidationError):
        validator("api_totp_v1_CreateResponse").validate(body)
    body = json.loads(raw)
    del body["user"]["totps"]
    with pytest.raises(jsonschema.ValidationError):
        validator("api_totp_v1_CreateResponse").validate(drop_optional_nulls(body, {"$ref": "#/x/api_totp_v1_CreateResponse"}))
