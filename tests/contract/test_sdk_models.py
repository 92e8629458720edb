"""Every body parses with the official `stytch` SDK's pydantic models, strictly,
with no member the models would silently drop."""

import json

import pytest
from stytch.consumer.models import totps, users
from pydantic import BaseModel
from stytch.core.response_base import StytchError

MODELS = {
    "api_user_v1_CreateResponse": users.CreateResponse,
    "api_user_v1_GetResponse": users.GetResponse,
    "api_user_v1_DeleteResponse": users.DeleteResponse,
    "api_user_v1_DeleteTOTPResponse": users.DeleteTOTPResponse,
    "api_user_v1_SearchResponse": users.SearchResponse,
    "api_totp_v1_CreateResponse": totps.CreateResponse,
    "api_totp_v1_AuthenticateResponse": totps.AuthenticateResponse,
    "api_totp_v1_RecoveryCodesResponse": totps.RecoveryCodesResponse,
    "api_totp_v1_RecoverResponse": totps.RecoverResponse,
}


def unknown_members(value, model):
    """Members of `value` that `model` does not declare (pydantic would ignore them)."""
    fields = type(model).model_fields
    extra = [k for k in value if k not in fields]
    for key, item in value.items():
        child = getattr(model, key, None) if key in fields else None
        if isinstance(item, dict) and isinstance(child, BaseModel):
            extra += [f"{key}.{k}" for k in unknown_members(item, child)]
        elif isinstance(item, list) and isinstance(child, list):
            for sub_value, sub_model in zip(item, child):
                if isinstance(sub_value, dict) and isinstance(sub_model, BaseModel):
                    extra += [f"{key}[].{k}" for k in unknown_members(sub_value, sub_model)]
    return extra


def test_success_bodies_parse_strictly_and_round_trip(bodies):
    parsed = 0
    for operation, status, raw in bodies:
        if operation == "error":
            continue
        model = MODELS[operation]
        strict = model.model_validate_json(raw, strict=True)
        via_sdk = model.from_json(status, json.loads(raw))  # what the SDK does after each call
        assert via_sdk == strict
        assert unknown_members(json.loads(raw), strict) == [], operation
        body = json.loads(raw)
        assert strict.status_code == body["status_code"] and strict.request_id == body["request_id"]
        if operation == "api_user_v1_SearchResponse":
            assert [u.user_id for u in strict.results] == [u["user_id"] for u in body["results"]] != []
            assert strict.results_metadata.total == body["results_metadata"]["total"]
        if "user" in body:
            assert strict.user.user_id == body["user"]["user_id"]
            assert [t.totp_id for t in strict.user.totps] == [t["totp_id"] for t in body["user"]["totps"]]
            assert strict.user.created_at is not None
        if operation == "api_totp_v1_CreateResponse":
            assert strict.secret == body["secret"] and strict.recovery_codes == body["recovery_codes"]
        if operation in ("api_totp_v1_AuthenticateResponse", "api_totp_v1_RecoverResponse"):
            assert strict.session is None and strict.session_token == "" and strict.session_jwt == ""
        parsed += 1
    assert parsed == 12


def test_error_bodies_raise_the_sdk_error_with_every_field(bodies):
    errors = [(status, json.loads(raw)) for op, status, raw in bodies if op == "error"]
    assert len(errors) >= 21
    for status, body in errors:
        with pytest.raises(StytchError) as raised:
            totps.AuthenticateResponse.from_json(status, body)
        details = raised.value.details
        assert (details.status_code, details.request_id, details.error_type, details.error_message,
                details.error_url) == (status, body["request_id"], body["error_type"], body["error_message"],
                                       body["error_url"])
