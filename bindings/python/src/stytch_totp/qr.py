"""QR helpers, drawn locally by the library (nothing is sent anywhere).

    totp = client.totps.create(user_id=user.user_id)
    uri = otpauth_uri(client.issuer, "ada@example.com", totp.secret)
    write_qr_png(uri, "enrol.png")      # 0600, replaced in one rename
    svg = qr_svg(uri)                   # the same symbol as an SVG document

``qr_png(uri)`` is byte for byte the image inside ``totp.qr_code`` when
``uri`` is built from the client's issuer and the user's email (else phone
number, else user ID): the account the library names in ``qr_code``.
Everything here encodes the TOTP secret: keep it out of logs.
"""

from __future__ import annotations

import ctypes
import os
from typing import Union

from ._native import lib, take_string
from ._signatures import stytch_error
from .client import DEFAULT_ISSUER
from .client import _c_string as _c
from .errors import take_error

__all__ = ["DEFAULT_ISSUER", "otpauth_uri", "qr_png", "qr_svg", "write_qr_png"]

_ERROR = ctypes.POINTER(stytch_error)


def otpauth_uri(issuer: str, account: str, secret: str) -> str:
    """The ``otpauth://totp/...`` URI an authenticator app scans, as in
    ``qr_code``. Raises :class:`~stytch_totp.StytchError` (``bad_request``) for
    a secret that is not base32."""
    error = _ERROR()
    owned = lib.stytch_totp_otpauth_uri(
        _c(issuer, "issuer"), _c(account, "account"), _c(secret, "secret"), ctypes.byref(error)
    )
    uri = take_string(owned)
    if uri is None:
        raise take_error(error)
    return uri


def qr_png(text: str) -> bytes:
    """The PNG of a QR code of ``text`` (usually :func:`otpauth_uri`)."""
    error = _ERROR()
    length = ctypes.c_size_t()
    data = lib.stytch_totp_qr_png(_c(text, "text"), ctypes.byref(length), ctypes.byref(error))
    if not data:
        raise take_error(error)
    try:
        return ctypes.string_at(data, length.value)
    finally:
        lib.stytch_bytes_free(data, length)


def qr_svg(text: str) -> str:
    """The same QR code as :func:`qr_png`, as an SVG document."""
    error = _ERROR()
    svg = take_string(lib.stytch_totp_qr_svg(_c(text, "text"), ctypes.byref(error)))
    if svg is None:
        raise take_error(error)
    return svg


def write_qr_png(text: str, path: Union[str, os.PathLike[str]]) -> None:
    """Writes :func:`qr_png` of ``text`` to ``path``, readable by its owner
    only (0600), replacing any file there in one rename. Raises
    :class:`~stytch_totp.StytchError` (``bad_request``, naming the path and the
    reason) when it cannot be written."""
    error = _ERROR()
    if not lib.stytch_totp_qr_png_write(_c(text, "text"), _c(os.fspath(path), "path"), ctypes.byref(error)):
        raise take_error(error)
