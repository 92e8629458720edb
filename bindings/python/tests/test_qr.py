"""QR helpers: the otpauth URI, the PNG (the image inside qr_code), the SVG,
the PNG file (0600, replaced in one rename), and their errors."""

from __future__ import annotations

import base64
import os
import stat
import sys
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

import stytch_totp
from stytch_totp import qr
from conftest import T0

URI = "otpauth://totp/i:a?secret=JBSWY3DPEHPK3PXP"


def test_the_png_of_the_uri_is_the_image_in_qr_code() -> None:
    with stytch_totp.Client(database=":memory:", issuer="Acme: Inc") as client:
        assert client.issuer == "Acme: Inc"
        user = client.users.create(email="ada+qr@example.com")
        totp = client.totps.create(user_id=user.user_id)
    uri = qr.otpauth_uri(client.issuer, "ada+qr@example.com", totp.secret)
    parts = urlsplit(uri)
    assert (parts.scheme, parts.netloc, unquote(parts.path)) == ("otpauth", "totp", "/Acme: Inc:ada+qr@example.com")
    query = parse_qs(parts.query)
    assert query["secret"] == [totp.secret] and query["issuer"] == ["Acme: Inc"]
    assert query["digits"] == ["6"] and query["period"] == ["30"] and query["algorithm"] == ["SHA1"]
    prefix = "data:image/png;base64, "
    assert totp.qr_code.startswith(prefix)
    assert qr.qr_png(uri) == base64.b64decode(totp.qr_code[len(prefix):])


def test_the_default_issuer(client: stytch_totp.Client) -> None:
    assert client.issuer == qr.DEFAULT_ISSUER == "Stytch TOTP"
    user = client.users.create(email="ada@example.com")
    totp = client.totps.create(user_id=user.user_id)
    png = qr.qr_png(qr.otpauth_uri(client.issuer, "ada@example.com", totp.secret))
    assert base64.b64encode(png).decode() == totp.qr_code.split(" ", 1)[1]


def test_svg() -> None:
    svg = qr.qr_svg(URI)
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"') and svg.rstrip().endswith("</svg>")
    assert svg != qr.qr_svg(URI.replace("JBSW", "KBSW")), "the symbol depends on the text"


def test_errors() -> None:
    with pytest.raises(stytch_totp.StytchError) as caught:
        qr.otpauth_uri("i", "a", "not base32!")
    assert caught.value.details.error_type == "bad_request" and "base32" in caught.value.details.error_message
    with pytest.raises(stytch_totp.StytchError, match="cannot encode the QR code"):
        qr.qr_png("x" * 4000)
    with pytest.raises(stytch_totp.StytchError, match="cannot encode the QR code"):
        qr.qr_svg("x" * 4000)
    with pytest.raises(TypeError):
        qr.qr_png(b"bytes")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        qr.qr_svg("a\0b")


def test_png_file(tmp_path: Path) -> None:
    path = tmp_path / "enrol.png"
    path.write_bytes(b"old")
    path.chmod(0o644)
    qr.write_qr_png(URI, path)
    assert path.read_bytes() == qr.qr_png(URI)
    if sys.platform != "win32":
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["enrol.png"], "no temporary file left"
    missing = tmp_path / "missing" / "enrol.png"
    with pytest.raises(stytch_totp.StytchError) as caught:
        qr.write_qr_png(URI, str(missing))
    assert str(missing) in caught.value.details.error_message
    assert not missing.parent.exists()


def test_helpers_need_no_client_and_keep_working_after_close() -> None:
    client = stytch_totp.Client(database=":memory:")
    client.set_time(T0)
    client.close()
    assert qr.qr_png(URI)[:8] == b"\x89PNG\r\n\x1a\n"
