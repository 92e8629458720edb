"""stytch_totp: Stytch's TOTP API, offline, over the libstytch_totp C library.

    import stytch_totp

    with stytch_totp.Client(database="app.db") as client:
        user = client.users.create(email="ada@example.com")
        totp = client.totps.create(user_id=user.user_id)
        client.totps.authenticate(user_id=user.user_id, totp_code="123456")

The surface mirrors the official ``stytch`` package; errors raise
:class:`StytchError`, whose ``.details`` carries Stytch's error fields and whose
``.code`` is an :class:`ErrorCode`. Responses are values decoded from the
library's JSON: they hold no library memory and need no closing.
"""

from . import models, qr
from ._native import lib as _lib
from ._native import path as library_path
from ._version import __version__
from .client import Client, Lockout, Sessions, TOTPs, Users, totp_code
from .errors import ClosedError, ErrorCode, StytchError, StytchErrorDetails


def library_version() -> str:
    """The version of the loaded libstytch_totp (accepted by its own rule
    for ``__version__``)."""
    return str(_lib.stytch_version().decode())


__all__ = [
    "Client",
    "ClosedError",
    "ErrorCode",
    "Lockout",
    "Sessions",
    "StytchError",
    "StytchErrorDetails",
    "TOTPs",
    "Users",
    "__version__",
    "library_path",
    "library_version",
    "models",
    "qr",
    "totp_code",
]
