"""TOTP models, named as in the official ``stytch.consumer.models.totps``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, List, Optional

from .._native import lib
from ._base import Field, Handle, Ptr, integer, string, strings
from .users import _HasUser, user_field

_CREATE = "stytch_totp_create_response"
_AUTHENTICATE = "stytch_totp_authenticate_response"
_RECOVERY_CODES = "stytch_totp_recovery_codes_response"


@dataclass(frozen=True)
class TOTP:
    """A TOTP with its unused recovery codes."""

    totp_id: str
    verified: bool
    recovery_codes: List[str] = field(default_factory=list)


class CreateResponse(_HasUser):
    """Response of ``client.totps.create`` (``api_totp_v1_CreateResponse``).

    Holds the secret and recovery codes: ``close()`` (or a ``with`` block)
    wipes the library's copy as soon as they have been shown to the user.
    """

    _c_prefix = _CREATE
    status_code = integer(_CREATE + "_status_code")
    request_id = string(_CREATE + "_request_id")
    totp_id = string(_CREATE + "_totp_id")
    secret = string(_CREATE + "_secret")
    qr_code = string(_CREATE + "_qr_code")
    recovery_codes = strings(_CREATE + "_recovery_codes_len", _CREATE + "_recovery_code")
    user_id = string(_CREATE + "_user_id")
    user = user_field(_CREATE + "_user")


class AuthenticateResponse(_HasUser):
    """Response of ``client.totps.authenticate`` (``api_totp_v1_AuthenticateResponse``).

    No session is created: ``session`` is None and the tokens are ``""``.
    """

    _c_prefix = _AUTHENTICATE
    status_code = integer(_AUTHENTICATE + "_status_code")
    request_id = string(_AUTHENTICATE + "_request_id")
    totp_id = string(_AUTHENTICATE + "_totp_id")
    user_id = string(_AUTHENTICATE + "_user_id")
    session_token = string(_AUTHENTICATE + "_session_token")
    session_jwt = string(_AUTHENTICATE + "_session_jwt")
    user = user_field(_AUTHENTICATE + "_user")
    session: Optional[Any] = None
    user_device: Optional[Any] = None


class RecoverResponse(AuthenticateResponse):
    """Response of ``client.totps.recover`` (``api_totp_v1_RecoverResponse``)."""


def _totps(p: Ptr) -> List[TOTP]:
    return [
        TOTP(
            totp_id=lib.stytch_totp_recovery_codes_response_totp_id(p, i).decode(),
            verified=bool(lib.stytch_totp_recovery_codes_response_totp_verified(p, i)),
            recovery_codes=[
                lib.stytch_totp_recovery_codes_response_totp_recovery_code(p, i, j).decode()
                for j in range(lib.stytch_totp_recovery_codes_response_totp_recovery_codes_len(p, i))
            ],
        )
        for i in range(lib.stytch_totp_recovery_codes_response_totps_len(p))
    ]


class RecoveryCodesResponse(Handle):
    """Response of ``client.totps.recovery_codes`` (``api_totp_v1_RecoveryCodesResponse``)."""

    _c_prefix = _RECOVERY_CODES
    status_code = integer(_RECOVERY_CODES + "_status_code")
    request_id = string(_RECOVERY_CODES + "_request_id")
    user_id = string(_RECOVERY_CODES + "_user_id")
    totps = Field(_totps)
