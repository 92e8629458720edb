"""Errors, shaped like the official SDK's ``stytch.core.response_base``, made
from the library's error body as it is (never rebuilt).

``except stytch.core.response_base.StytchError`` (the official class) catches
this package's errors too, without this package depending on the official
one: an ``except`` clause matches by real inheritance only (neither ABC
registration nor ``__subclasscheck__`` is consulted), so while the official
module is imported, errors are raised as a subclass of both classes, made once
on first use. Code that names the official class has imported it, so its
clauses always see that subclass; without it, errors are plain
:class:`StytchError`.
"""

from __future__ import annotations

import ctypes
import json
import sys
from typing import Any, Dict, Optional, Type

from ._errors import ErrorBody, ErrorCode
from ._native import lib, take_json

__all__ = ["ClosedError", "ErrorCode", "StytchError", "StytchErrorDetails", "error_of", "take_error"]


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
    def is_informational(self) -> bool:
        return 100 <= self.status_code < 200

    @property
    def is_success(self) -> bool:
        return 200 <= self.status_code < 300

    @property
    def is_redirection(self) -> bool:
        return 300 <= self.status_code < 400

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
        # BaseException.__new__ has already set ``args`` to ``(details,)``;
        # the official StytchError's __init__ only sets ``details`` too.
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
        # Rebuilt by error_of, as the class it then calls for.
        return (error_of, (self.details,))


_OFFICIAL_MODULE = "stytch.core.response_base"
_official_subclass: Optional[Type[StytchError]] = None


def _error_class() -> Type[StytchError]:
    """StytchError, or while the official SDK's error module is imported, a
    subclass of both it and the official StytchError."""
    global _official_subclass
    official = sys.modules.get(_OFFICIAL_MODULE)
    if official is None:
        return StytchError
    if _official_subclass is None:
        base = getattr(official, "StytchError", None)
        if not (isinstance(base, type) and issubclass(base, Exception)):
            return StytchError
        _official_subclass = type(
            "StytchError", (StytchError, base), {"__module__": __name__, "__doc__": StytchError.__doc__}
        )
    return _official_subclass


def error_of(details: StytchErrorDetails) -> StytchError:
    """The exception to raise for an error body (see the module's docs)."""
    return _error_class()(details)


def take_error(error: ctypes._Pointer[Any]) -> StytchError:
    """The library's error as a StytchError; the C error is freed."""
    text = take_json(error, lib.stytch_error_to_json, lib.stytch_error_free)
    return error_of(StytchErrorDetails.from_json(text))
