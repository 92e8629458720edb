"""The operator functions (keys from a host callback, re-sealing, the store's
lockout policy) through the ctypes table generated from the header: their
declarations are what a Python host calls them with."""

from __future__ import annotations

import base64
import ctypes
import json
from typing import Any, List

import pytest

from stytch_totp import ErrorCode, StytchError, _native
from stytch_totp._signatures import KEY_PROVIDER_FN, stytch_error
from stytch_totp.errors import take_error

lib = _native.lib
KEY = bytes(range(32))


def keyed_config(database: str) -> bytes:
    return json.dumps({"database": database, "encryption_keys": [{"id": "hsm-1"}]}).encode()


def open_with_provider(config: bytes, asked: List[bytes]) -> Any:
    """A client whose key comes from a Python callback; raises its error."""

    def provide(key_id: bytes, out: Any, _context: Any) -> bool:
        asked.append(key_id)
        if key_id != b"hsm-1":
            return False
        ctypes.memmove(out, KEY, len(KEY))
        return True

    error = ctypes.POINTER(stytch_error)()
    client = lib.stytch_client_new_with_key_provider(config, KEY_PROVIDER_FN(provide), None, ctypes.byref(error))
    if not client:
        raise take_error(error)
    return client


def check(ok: bool, error: Any) -> None:
    if not ok:
        raise take_error(error)


def test_a_key_provider_a_rewrap_and_a_lockout_policy(tmp_path):
    database = str(tmp_path / "sealed.db")
    asked: List[bytes] = []
    client = open_with_provider(keyed_config(database), asked)
    try:
        assert asked == [b"hsm-1"]
        error = ctypes.POINTER(stytch_error)()
        rewrapped = ctypes.c_uint64(99)
        check(lib.stytch_client_rewrap(client, 100, ctypes.byref(rewrapped), ctypes.byref(error)), error)
        assert rewrapped.value == 0  # an empty store: nothing to re-seal
        check(lib.stytch_client_set_lockout_policy(client, 3, 15, ctypes.byref(error)), error)
        assert not lib.stytch_client_set_lockout_policy(client, 3, 1, ctypes.byref(error))
        assert take_error(error).code is ErrorCode.BAD_REQUEST
    finally:
        lib.stytch_client_free(client)

    # The same key, given inline, opens the store and adopts its policy; asking
    # for another policy than the one just set is refused.
    inline = {"database": database, "encryption_keys": [{"id": "hsm-1", "key": base64.b64encode(KEY).decode()}]}
    error = ctypes.POINTER(stytch_error)()
    client = lib.stytch_client_new(json.dumps(inline).encode(), ctypes.byref(error))
    assert client, take_error(error)
    lib.stytch_client_free(client)
    other = dict(inline, lockout={"max_failures": 10, "duration_minutes": 60})
    assert not lib.stytch_client_new(json.dumps(other).encode(), ctypes.byref(error))
    assert take_error(error).code is ErrorCode.LOCKOUT_POLICY_MISMATCH


def test_a_provider_without_the_key_is_invalid_config(tmp_path):
    asked: List[bytes] = []
    config = json.dumps({"database": ":memory:", "encryption_keys": [{"id": "other"}]}).encode()
    with pytest.raises(StytchError) as info:
        open_with_provider(config, asked)
    assert info.value.code is ErrorCode.INVALID_CONFIG
    assert asked == [b"other"]
