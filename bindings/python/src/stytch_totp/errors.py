"""Errors, shaped like the official SDK's ``stytch.core.response_base``, made
from the library's error body as it is (never rebuilt)."""

from __future__ import annotations

import ctypes
import json
from typing import Any, Dict

from ._errors import ErrorBody, ErrorCode
from ._native import lib, take_json

__all__ = ["ClosedError", "ErrorCode", "StytchError", "StytchErrorDetails", "take_error"]


class ClosedError(ValueError):
    """A client was used after ``close()``."""


class StytchErrorDetails(ErrorBody):
    """The body of a Stytch error: the fields of the official
    ``stytch.core.response_base.StytchErrorDetails``."""

    __slots__ = ()

    @property
    def original_json(self) -> Dict[str, Any]:
        """The error body as a dict, as Stytch sends it."""
        return dict(json.loads(self.to_json()))

    @property
    def code(self) -> ErrorCode:
        return ErrorCode[self.error_type.upper()]

    @property
    def is_client_error(self) -> bool:
        return 400 <= self.status_code < 500

    @property
    def is_server_error(self) -> bool:
        return 500 <= self.status_code < 600

    __str__ = ErrorBody.__repr__


class StytchError(Exception):
    """Raised for every error response: ``.details`` carries the Stytch fields,
    ``.code`` the :class:`ErrorCode`."""

    def __init__(self, details: StytchErrorDetails) -> None:
        super().__init__(details)
        self.details = details

    @property
    def code(self) -> ErrorCode:
        return self.details.code

    def to_json(self) -> str:
        """The error body exactly as the library sent it."""
        return self.details.to_json()

    def __repr__(self) -> str:
        return f"StytchError {{{self.details}}}"

    def __str__(self) -> str:
        return str(self.details)

    def __reduce__(self) -> Any:
        return (type(self), (self.details,))


def take_error(error: ctypes._Pointer[Any]) -> StytchError:
    """The library's error as a StytchError; the C error is freed."""
    text = take_json(error, lib.stytch_error_to_json, lib.stytch_error_free)
    return StytchError(StytchErrorDetails.from_json(text))
