"""stytch_totp: Stytch's TOTP API, offline, over the libstytch_totp C library.

    import stytch_totp

    with stytch_totp.Client(database="app.db") as client:
        user = client.users.create(email="ada@example.com")
        totp = client.totps.create(user_id=user.user_id)
        client.totps.authenticate(user_id=user.user_id, totp_code="123456")

The surface mirrors the official ``stytch`` package; errors raise
:class:`StytchError`, whose ``.details`` carries Stytch's error fields.
"""

from ._native import path as library_path
from ._version import __version__
from .client import Client, Lockout, TOTPs, Users, totp_code
from .errors import ClosedError, StytchError, StytchErrorDetails
from . import models


def library_version() -> str:
    """The version of the loaded libstytch_totp (checked equal to ``__version__``)."""
    from ._native import lib

    return str(lib.stytch_version().decode())


__all__ = [
    "Client",
    "ClosedError",
    "Lockout",
    "StytchError",
    "StytchErrorDetails",
    "TOTPs",
    "Users",
    "__version__",
    "library_path",
    "library_version",
    "models",
    "totp_code",
]
