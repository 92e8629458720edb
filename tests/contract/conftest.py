"""A minimal ctypes view of the C ABI: enough to produce every JSON body the
library emits. (The `stytch_totp` package is tested on its own.)"""

import ctypes
import json
import os
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
LIB = ctypes.CDLL(os.environ.get("STYTCH_TOTP_LIB", str(ROOT / "target/release/libstytch_totp.so")))
LIB.stytch_client_new.argtypes = [ctypes.c_char_p, ctypes.c_void_p]
LIB.stytch_client_new.restype = ctypes.c_void_p
LIB.stytch_client_free.argtypes = [ctypes.c_void_p]
LIB.stytch_client_free.restype = None
LIB.stytch_client_set_time.argtypes = [ctypes.c_void_p, ctypes.c_int64, ctypes.c_void_p]
LIB.stytch_client_set_time.restype = ctypes.c_bool
LIB.stytch_call.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p]
LIB.stytch_call.restype = ctypes.c_void_p
LIB.stytch_totp_code.argtypes = [ctypes.c_char_p, ctypes.c_int64]
LIB.stytch_totp_code.restype = ctypes.c_void_p
LIB.stytch_string_free.argtypes = [ctypes.c_void_p]
LIB.stytch_string_free.restype = None

T = 1_700_000_010


def _take(ptr):
    assert ptr, "the library returned NULL"
    try:
        return ctypes.string_at(ptr).decode()
    finally:
        LIB.stytch_string_free(ptr)


def totp_code(secret, t):
    return _take(LIB.stytch_totp_code(secret.encode(), t))


class Api:
    def __init__(self, **config):
        config.setdefault("database", ":memory:")
        self.client = LIB.stytch_client_new(json.dumps(config).encode(), None)
        assert self.client

    def set_time(self, t):
        assert LIB.stytch_client_set_time(self.client, t, None)

    def raw(self, method, path, body=None):
        """The JSON text `stytch_call` returns."""
        payload = None if body is None else json.dumps(body).encode()
        return _take(LIB.stytch_call(self.client, method.encode(), path.encode(), payload))

    def call(self, method, path, body=None):
        return json.loads(self.raw(method, path, body))

    def close(self):
        LIB.stytch_client_free(self.client)


@pytest.fixture
def api():
    a = Api()
    a.set_time(T)
    yield a
    a.close()


def every_body(api):
    """Drives every route through success and every error; returns
    [(operation, status, raw JSON)], operation naming Stytch's schema."""
    out = []

    def record(operation, method, path, body=None, status=200):
        raw = api.raw(method, path, body)
        got = json.loads(raw)["status_code"]
        assert got == status, f"{operation}: expected {status}, got {raw}"
        out.append((operation, status, raw))
        return json.loads(raw)

    user = record("api_user_v1_CreateResponse", "POST", "/v1/users",
                  {"email": "ada@example.com", "phone_number": "+12025550123", "external_id": "crm-7",
                   "name": {"first_name": "Ada"}, "trusted_metadata": {"plan": "pro"}})
    record("api_user_v1_CreateResponse", "POST", "/v1/users", {"phone_number": "+12025550199"})
    record("api_user_v1_SearchResponse", "POST", "/v1/users/search",
           {"query": {"operator": "AND",
                      "operands": [{"filter_name": "email_address", "filter_value": ["ADA@example.com"]}]}})
    uid = user["user_id"]
    record("api_user_v1_GetResponse", "GET", f"/v1/users/{uid}")
    totp = record("api_totp_v1_CreateResponse", "POST", "/v1/totps", {"user_id": uid})
    record("api_totp_v1_RecoveryCodesResponse", "POST", "/v1/totps/recovery_codes", {"user_id": uid})
    secret = totp["secret"]
    record("api_totp_v1_AuthenticateResponse", "POST", "/v1/totps/authenticate",
           {"user_id": uid, "totp_code": totp_code(secret, T)})
    record("api_totp_v1_RecoverResponse", "POST", "/v1/totps/recover",
           {"user_id": uid, "recovery_code": totp["recovery_codes"][0]})
    record("api_user_v1_GetResponse", "GET", "/v1/users/crm-7")

    err = "error"
    record(err, "POST", "/v1/totps", {"user_id": ""}, 400)  # invalid_user_id
    record(err, "POST", "/v1/totps", {"user_id": "nobody"}, 404)  # user_not_found
    record(err, "POST", "/v1/totps", {"user_id": uid, "expiration_minutes": 4}, 400)  # invalid_expiration
    record(err, "POST", "/v1/totps", {"user_id": uid}, 400)  # active_totp_exists
    record(err, "POST", "/v1/users", {"email": "nope"}, 400)  # invalid_email
    record(err, "POST", "/v1/users", {"phone_number": "12"}, 400)  # invalid_phone_number
    record(err, "POST", "/v1/users", {"email": "x@example.com", "external_id": "crm-7"}, 400)  # duplicate_external_id
    record(err, "POST", "/v1/users", {"email": "ADA@example.com"}, 400)  # duplicate_email
    record(err, "POST", "/v1/users", {"phone_number": "+12025550123"}, 400)  # duplicate_phone_number
    record(err, "POST", "/v1/users", {}, 400)  # bad_request: no email or phone_number
    record(err, "POST", "/v1/users", {"email": 1}, 400)  # bad_request
    record(err, "POST", "/v1/totps/authenticate", {"user_id": uid, "totp_code": "12"}, 400)  # invalid_totp_code
    record(err, "POST", "/v1/totps/authenticate",
           {"user_id": uid, "totp_code": totp_code(secret, T)}, 400)  # totp_code_already_authenticated
    record(err, "POST", "/v1/totps/authenticate", {"user_id": uid, "totp_code": "000000"}, 401)
    record(err, "POST", "/v1/totps/recover", {"user_id": uid, "recovery_code": "123456"}, 400)
    record(err, "POST", "/v1/totps/recover", {"user_id": uid, "recovery_code": "x"}, 400)
    record(err, "POST", "/v1/totps/recover", {"user_id": uid, "recovery_code": "aaaa-aaaa-aaaa"}, 401)
    record(err, "GET", "/v1/nowhere", None, 404)  # route_not_found

    fresh = api.call("POST", "/v1/users", {"email": "fresh@example.com"})["user_id"]
    record(err, "POST", "/v1/totps/authenticate", {"user_id": fresh, "totp_code": "123456"}, 404)  # totp_not_found
    api.call("POST", "/v1/totps", {"user_id": fresh, "expiration_minutes": 5})
    api.set_time(T + 3600)
    record(err, "POST", "/v1/totps/authenticate", {"user_id": fresh, "totp_code": "123456"}, 400)  # expired_totp
    for _ in range(8):
        api.call("POST", "/v1/totps/authenticate", {"user_id": uid, "totp_code": "000000"})
    record(err, "POST", "/v1/totps/authenticate", {"user_id": uid, "totp_code": "000000"}, 429)
    locked = record("api_user_v1_GetResponse", "GET", f"/v1/users/{uid}")
    assert locked["is_locked"] is True

    deleted = record("api_user_v1_DeleteTOTPResponse", "DELETE", f"/v1/users/totps/{totp['totp_id']}")
    assert deleted["user"]["totps"] == []
    record(err, "DELETE", f"/v1/users/totps/{totp['totp_id']}", None, 404)  # totp_not_found
    record("api_user_v1_DeleteResponse", "DELETE", f"/v1/users/{uid}")
    return out


@pytest.fixture
def bodies(api):
    return every_body(api)
