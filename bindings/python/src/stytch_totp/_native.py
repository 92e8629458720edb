"""Loads libstytch_totp and declares the C signature of every function it exports.

Load order: the ``STYTCH_TOTP_LIB`` environment variable, the copy bundled in this
package, then the system's library path. The library's version must equal the
package's: a mismatched pair could disagree on struct layouts or behaviour.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
from ctypes import POINTER, c_bool, c_char_p, c_int32, c_int64, c_size_t, c_uint8, c_uint32, c_uint64, c_void_p
from pathlib import Path
from typing import List, Optional

from ._version import __version__

ENV_VAR = "STYTCH_TOTP_LIB"


# Opaque handle types: ctypes only ever sees pointers to them.
class Client(ctypes.Structure):
    pass


class Error(ctypes.Structure):
    pass


class User(ctypes.Structure):
    pass


class TotpCreateResponse(ctypes.Structure):
    pass


class TotpAuthenticateResponse(ctypes.Structure):
    pass


class TotpRecoveryCodesResponse(ctypes.Structure):
    pass


class UsersCreateResponse(ctypes.Structure):
    pass


class UsersGetResponse(ctypes.Structure):
    pass


class UsersDeleteResponse(ctypes.Structure):
    pass


class UsersDeleteTotpResponse(ctypes.Structure):
    pass


CLIENT = POINTER(Client)
ERROR = POINTER(Error)
ERROR_OUT = POINTER(ERROR)
USER = POINTER(User)
TOTP_CREATE_RESPONSE = POINTER(TotpCreateResponse)
TOTP_AUTHENTICATE_RESPONSE = POINTER(TotpAuthenticateResponse)
TOTP_RECOVERY_CODES_RESPONSE = POINTER(TotpRecoveryCodesResponse)
USERS_CREATE_RESPONSE = POINTER(UsersCreateResponse)
USERS_GET_RESPONSE = POINTER(UsersGetResponse)
USERS_DELETE_RESPONSE = POINTER(UsersDeleteResponse)
USERS_DELETE_TOTP_RESPONSE = POINTER(UsersDeleteTotpResponse)
CLOCK_FN = ctypes.CFUNCTYPE(c_int64, c_void_p)
KEY_PROVIDER_FN = ctypes.CFUNCTYPE(c_bool, c_char_p, POINTER(c_uint8), c_void_p)
# Owned strings stay raw addresses so that they can be copied, then freed.
OWNED = c_void_p

# name: (restype, argtypes), in the header's order.
SIGNATURES = {
    "stytch_client_new": (CLIENT, [c_char_p, ERROR_OUT]),
    "stytch_client_free": (None, [CLIENT]),
    "stytch_call": (OWNED, [CLIENT, c_char_p, c_char_p, c_char_p]),
    "stytch_client_set_time": (c_bool, [CLIENT, c_int64, ERROR_OUT]),
    "stytch_client_set_clock": (None, [CLIENT, CLOCK_FN, c_void_p]),
    "stytch_version": (c_char_p, []),
    "stytch_totp_code": (OWNED, [c_char_p, c_int64]),
    "stytch_string_free": (None, [OWNED]),
    "stytch_error_status_code": (c_int32, [ERROR]),
    "stytch_error_type": (c_char_p, [ERROR]),
    "stytch_error_message": (c_char_p, [ERROR]),
    "stytch_error_url": (c_char_p, [ERROR]),
    "stytch_error_request_id": (c_char_p, [ERROR]),
    "stytch_error_to_json": (OWNED, [ERROR]),
    "stytch_error_free": (None, [ERROR]),
    "stytch_totp_create": (TOTP_CREATE_RESPONSE, [CLIENT, c_char_p, c_int32, ERROR_OUT]),
    "stytch_totp_authenticate": (TOTP_AUTHENTICATE_RESPONSE, [CLIENT, c_char_p, c_char_p, ERROR_OUT]),
    "stytch_totp_recovery_codes": (TOTP_RECOVERY_CODES_RESPONSE, [CLIENT, c_char_p, ERROR_OUT]),
    "stytch_totp_recover": (TOTP_AUTHENTICATE_RESPONSE, [CLIENT, c_char_p, c_char_p, ERROR_OUT]),
    "stytch_totp_create_response_request_id": (c_char_p, [TOTP_CREATE_RESPONSE]),
    "stytch_totp_create_response_status_code": (c_int32, [TOTP_CREATE_RESPONSE]),
    "stytch_totp_create_response_totp_id": (c_char_p, [TOTP_CREATE_RESPONSE]),
    "stytch_totp_create_response_secret": (c_char_p, [TOTP_CREATE_RESPONSE]),
    "stytch_totp_create_response_qr_code": (c_char_p, [TOTP_CREATE_RESPONSE]),
    "stytch_totp_create_response_recovery_codes_len": (c_size_t, [TOTP_CREATE_RESPONSE]),
    "stytch_totp_create_response_recovery_code": (c_char_p, [TOTP_CREATE_RESPONSE, c_size_t]),
    "stytch_totp_create_response_user_id": (c_char_p, [TOTP_CREATE_RESPONSE]),
    "stytch_totp_create_response_user": (USER, [TOTP_CREATE_RESPONSE]),
    "stytch_totp_create_response_to_json": (OWNED, [TOTP_CREATE_RESPONSE]),
    "stytch_totp_create_response_free": (None, [TOTP_CREATE_RESPONSE]),
    "stytch_totp_authenticate_response_request_id": (c_char_p, [TOTP_AUTHENTICATE_RESPONSE]),
    "stytch_totp_authenticate_response_status_code": (c_int32, [TOTP_AUTHENTICATE_RESPONSE]),
    "stytch_totp_authenticate_response_totp_id": (c_char_p, [TOTP_AUTHENTICATE_RESPONSE]),
    "stytch_totp_authenticate_response_user_id": (c_char_p, [TOTP_AUTHENTICATE_RESPONSE]),
    "stytch_totp_authenticate_response_session_token": (c_char_p, [TOTP_AUTHENTICATE_RESPONSE]),
    "stytch_totp_authenticate_response_session_jwt": (c_char_p, [TOTP_AUTHENTICATE_RESPONSE]),
    "stytch_totp_authenticate_response_user": (USER, [TOTP_AUTHENTICATE_RESPONSE]),
    "stytch_totp_authenticate_response_to_json": (OWNED, [TOTP_AUTHENTICATE_RESPONSE]),
    "stytch_totp_authenticate_response_free": (None, [TOTP_AUTHENTICATE_RESPONSE]),
    "stytch_totp_recovery_codes_response_request_id": (c_char_p, [TOTP_RECOVERY_CODES_RESPONSE]),
    "stytch_totp_recovery_codes_response_status_code": (c_int32, [TOTP_RECOVERY_CODES_RESPONSE]),
    "stytch_totp_recovery_codes_response_user_id": (c_char_p, [TOTP_RECOVERY_CODES_RESPONSE]),
    "stytch_totp_recovery_codes_response_totps_len": (c_size_t, [TOTP_RECOVERY_CODES_RESPONSE]),
    "stytch_totp_recovery_codes_response_totp_id": (c_char_p, [TOTP_RECOVERY_CODES_RESPONSE, c_size_t]),
    "stytch_totp_recovery_codes_response_totp_verified": (c_bool, [TOTP_RECOVERY_CODES_RESPONSE, c_size_t]),
    "stytch_totp_recovery_codes_response_totp_recovery_codes_len": (c_size_t, [TOTP_RECOVERY_CODES_RESPONSE, c_size_t]),
    "stytch_totp_recovery_codes_response_totp_recovery_code": (c_char_p, [TOTP_RECOVERY_CODES_RESPONSE, c_size_t, c_size_t]),
    "stytch_totp_recovery_codes_response_to_json": (OWNED, [TOTP_RECOVERY_CODES_RESPONSE]),
    "stytch_totp_recovery_codes_response_free": (None, [TOTP_RECOVERY_CODES_RESPONSE]),
    "stytch_user_user_id": (c_char_p, [USER]),
    "stytch_user_status": (c_char_p, [USER]),
    "stytch_user_first_name": (c_char_p, [USER]),
    "stytch_user_middle_name": (c_char_p, [USER]),
    "stytch_user_last_name": (c_char_p, [USER]),
    "stytch_user_created_at": (c_char_p, [USER]),
    "stytch_user_external_id": (c_char_p, [USER]),
    "stytch_user_is_locked": (c_bool, [USER]),
    "stytch_user_lock_created_at": (c_char_p, [USER]),
    "stytch_user_lock_expires_at": (c_char_p, [USER]),
    "stytch_user_trusted_metadata": (c_char_p, [USER]),
    "stytch_user_untrusted_metadata": (c_char_p, [USER]),
    "stytch_user_emails_len": (c_size_t, [USER]),
    "stytch_user_email_id": (c_char_p, [USER, c_size_t]),
    "stytch_user_email_address": (c_char_p, [USER, c_size_t]),
    "stytch_user_email_verified": (c_bool, [USER, c_size_t]),
    "stytch_user_phone_numbers_len": (c_size_t, [USER]),
    "stytch_user_phone_id": (c_char_p, [USER, c_size_t]),
    "stytch_user_phone_number": (c_char_p, [USER, c_size_t]),
    "stytch_user_phone_verified": (c_bool, [USER, c_size_t]),
    "stytch_user_totps_len": (c_size_t, [USER]),
    "stytch_user_totp_id": (c_char_p, [USER, c_size_t]),
    "stytch_user_totp_verified": (c_bool, [USER, c_size_t]),
    "stytch_user_roles_len": (c_size_t, [USER]),
    "stytch_user_role": (c_char_p, [USER, c_size_t]),
    "stytch_user_to_json": (OWNED, [USER]),
    "stytch_users_create": (USERS_CREATE_RESPONSE, [CLIENT, c_char_p, ERROR_OUT]),
    "stytch_users_get": (USERS_GET_RESPONSE, [CLIENT, c_char_p, ERROR_OUT]),
    "stytch_users_delete": (USERS_DELETE_RESPONSE, [CLIENT, c_char_p, ERROR_OUT]),
    "stytch_users_delete_totp": (USERS_DELETE_TOTP_RESPONSE, [CLIENT, c_char_p, ERROR_OUT]),
    "stytch_users_create_response_request_id": (c_char_p, [USERS_CREATE_RESPONSE]),
    "stytch_users_create_response_status_code": (c_int32, [USERS_CREATE_RESPONSE]),
    "stytch_users_create_response_user_id": (c_char_p, [USERS_CREATE_RESPONSE]),
    "stytch_users_create_response_email_id": (c_char_p, [USERS_CREATE_RESPONSE]),
    "stytch_users_create_response_phone_id": (c_char_p, [USERS_CREATE_RESPONSE]),
    "stytch_users_create_response_status": (c_char_p, [USERS_CREATE_RESPONSE]),
    "stytch_users_create_response_user": (USER, [USERS_CREATE_RESPONSE]),
    "stytch_users_create_response_to_json": (OWNED, [USERS_CREATE_RESPONSE]),
    "stytch_users_create_response_free": (None, [USERS_CREATE_RESPONSE]),
    "stytch_users_get_response_request_id": (c_char_p, [USERS_GET_RESPONSE]),
    "stytch_users_get_response_status_code": (c_int32, [USERS_GET_RESPONSE]),
    "stytch_users_get_response_user": (USER, [USERS_GET_RESPONSE]),
    "stytch_users_get_response_to_json": (OWNED, [USERS_GET_RESPONSE]),
    "stytch_users_get_response_free": (None, [USERS_GET_RESPONSE]),
    "stytch_users_delete_response_request_id": (c_char_p, [USERS_DELETE_RESPONSE]),
    "stytch_users_delete_response_status_code": (c_int32, [USERS_DELETE_RESPONSE]),
    "stytch_users_delete_response_user_id": (c_char_p, [USERS_DELETE_RESPONSE]),
    "stytch_users_delete_response_to_json": (OWNED, [USERS_DELETE_RESPONSE]),
    "stytch_users_delete_response_free": (None, [USERS_DELETE_RESPONSE]),
    "stytch_users_delete_totp_response_request_id": (c_char_p, [USERS_DELETE_TOTP_RESPONSE]),
    "stytch_users_delete_totp_response_status_code": (c_int32, [USERS_DELETE_TOTP_RESPONSE]),
    "stytch_users_delete_totp_response_user_id": (c_char_p, [USERS_DELETE_TOTP_RESPONSE]),
    "stytch_users_delete_totp_response_user": (USER, [USERS_DELETE_TOTP_RESPONSE]),
    "stytch_users_delete_totp_response_to_json": (OWNED, [USERS_DELETE_TOTP_RESPONSE]),
    "stytch_users_delete_totp_response_free": (None, [USERS_DELETE_TOTP_RESPONSE]),
    "stytch_client_new_with_key_provider": (CLIENT, [c_char_p, KEY_PROVIDER_FN, c_void_p, ERROR_OUT]),
    "stytch_client_rewrap": (c_bool, [CLIENT, c_size_t, POINTER(c_uint64), ERROR_OUT]),
    "stytch_client_set_lockout_policy": (c_bool, [CLIENT, c_uint32, c_uint32, ERROR_OUT]),
}


def _bundled() -> List[Path]:
    """The library copies shipped inside the package (the wheel puts one here)."""
    here = Path(__file__).resolve().parent
    names = ("libstytch_totp*.so", "libstytch_totp*.dylib", "stytch_totp*.dll")
    return sorted(p for pattern in names for p in here.glob(pattern))


def _candidates() -> List[str]:
    explicit = os.environ.get(ENV_VAR)
    if explicit:
        # An explicit choice is final: falling back would hide a wrong path.
        return [explicit]
    found = [str(p) for p in _bundled()]
    system = ctypes.util.find_library("stytch_totp")
    if system:
        found.append(system)
    return found


def _declare(lib: ctypes.CDLL) -> None:
    for name, (restype, argtypes) in SIGNATURES.items():
        fn = getattr(lib, name)
        fn.restype = restype
        fn.argtypes = argtypes


def load() -> ctypes.CDLL:
    """Opens the library, declares its functions and checks its version."""
    candidates = _candidates()
    if not candidates:
        raise ImportError(
            "stytch_totp: libstytch_totp not found: install the package with pip "
            f"(it bundles the library) or set {ENV_VAR} to the library's path"
        )
    errors = []
    for path in candidates:
        try:
            # CDLL, not PyDLL: calls release the GIL, so threads run in parallel.
            lib = ctypes.CDLL(path)
        except OSError as e:
            errors.append(f"{path}: {e}")
            continue
        _declare(lib)
        version = lib.stytch_version().decode()
        if version != __version__:
            raise ImportError(
                f"stytch_totp {__version__} needs libstytch_totp {__version__}, "
                f"but {path} is version {version}"
            )
        lib._stytch_path = path  # type: ignore[attr-defined]
        return lib
    raise ImportError("stytch_totp: cannot load libstytch_totp: " + "; ".join(errors))


lib = load()
path: Optional[str] = lib._stytch_path  # type: ignore[attr-defined]


def take_string(address: Optional[int]) -> Optional[str]:
    """Copies an owned C string into Python, then frees it (wiping it)."""
    if not address:
        return None
    try:
        return ctypes.string_at(address).decode()
    finally:
        lib.stytch_string_free(address)


def text(value: Optional[bytes]) -> Optional[str]:
    """A borrowed C string (already copied by ctypes) as str."""
    return None if value is None else value.decode()

