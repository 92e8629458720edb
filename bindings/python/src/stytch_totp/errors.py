"""Errors, shaped like the official SDK's ``stytch.core.response_base``."""

from __future__ import annotations

import ctypes
import json
from typing import Any, Dict, Optional

from . import _native
from ._native import lib, text


class ClosedError(ValueError):
    """A client or response was used after ``close()``."""


class StytchErrorDetails:
    """The body of a Stytch error: the same fields as the official
    ``stytch.core.response_base.StytchErrorDetails``."""

    __slots__ = ("status_code", "request_id", "error_type", "error_message", "error_url")

    def __init__(
        self,
        status_code: int,
        request_id: str,
        error_type: Optional[str],
        error_message: str,
        error_url: Optional[str],
    ) -> None:
        self.status_code = status_code
        self.request_id = request_id
        self.error_type = error_type
        self.error_message = error_message
        self.error_url = error_url

    @property
    def original_json(self) -> Dict[str, Any]:
        """The error body as a dict, as Stytch sends it."""
        return {
            "status_code": self.status_code,
            "request_id": self.request_id,
            "error_type": self.error_type,
            "error_message": self.error_message,
            "error_url": self.error_url,
        }

    def to_json(self) -> str:
        """The error body as JSON: the five fields, in Stytch's order."""
        return json.dumps(self.original_json, separators=(",", ":"), ensure_ascii=False)

    @property
    def is_client_error(self) -> bool:
        return 400 <= self.status_code < 500

    @property
    def is_server_error(self) -> bool:
        return 500 <= self.status_code < 600

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, StytchErrorDetails):
            return NotImplemented
        return self.original_json == other.original_json

    def __repr__(self) -> str:
        fields = ", ".join(f"{k}={v!r}" for k, v in self.original_json.items())
        return f"StytchErrorDetails({fields})"

    __str__ = __repr__


class StytchError(Exception):
    """Raised for every error response: ``.details`` carries the Stytch fields."""

    def __init__(self, details: StytchErrorDetails) -> None:
        super().__init__(details)
        self.details = details

    def to_json(self) -> str:
        return self.details.to_json()

    def __repr__(self) -> str:
        return f"StytchError {{{self.details}}}"

    def __str__(self) -> str:
        return str(self.details)


def take_error(error: "ctypes._Pointer[_native.Error]") -> StytchError:
    """Copies a C error into a StytchError and frees the C error."""
    try:
        details = StytchErrorDetails(
            status_code=lib.stytch_error_status_code(error),
            request_id=text(lib.stytch_error_request_id(error)) or "",
            error_type=text(lib.stytch_error_type(error)),
            error_message=text(lib.stytch_error_message(error)) or "",
            error_url=text(lib.stytch_error_url(error)),
        )
    finally:
        lib.stytch_error_free(error)
    return StytchError(details)
