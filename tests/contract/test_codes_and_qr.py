"""Interoperability of secrets and codes: an independent QR decoder, pyotp and
oathtool agree with the library."""

import base64
import io
import json
import os
import pathlib
import shutil
import subprocess
import urllib.parse

import pyotp
import pytest
import zxingcpp
from PIL import Image

from conftest import T, totp_code

VECTORS = json.loads((pathlib.Path(__file__).resolve().parents[1] / "data/vectors/rfc6238.json").read_text())


# How many random secrets the sampled scan covers (`make test-qr-decoders`: 10,000).
QR_SAMPLES = int(os.environ.get("STYTCH_TOTP_QR_SAMPLES", "300"))


def decode_qr(data_uri, max_bytes=1024):
    prefix, _, b64 = data_uri.partition(",")
    assert prefix == "data:image/png;base64"
    png = base64.b64decode(b64.strip())
    image = Image.open(io.BytesIO(png))
    assert image.mode == "1" and image.width >= 200 and len(png) <= max_bytes, (image.mode, image.width, len(png))
    # QR codes only, as an authenticator app scans: with every format enabled,
    # zxing now and then also reports a 1D barcode inside the QR symbol.
    results = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    assert len(results) == 1 and results[0].valid
    return results[0].text


def test_qr_code_holds_the_otpauth_uri_of_the_secret(api):
    user = api.call("POST", "/v1/users", {"email": "grace+ops@example.com"})
    totp = api.call("POST", "/v1/totps", {"user_id": user["user_id"]})
    uri = decode_qr(totp["qr_code"])
    parsed = urllib.parse.urlparse(uri)
    assert (parsed.scheme, parsed.netloc) == ("otpauth", "totp")
    assert parsed.path == "/Stytch%20TOTP:grace%2Bops@example.com"
    query = urllib.parse.parse_qsl(parsed.query)
    assert query == [("secret", totp["secret"]), ("issuer", "Stytch TOTP"), ("algorithm", "SHA1"),
                     ("digits", "6"), ("period", "30")]
    otp = pyotp.parse_uri(uri)
    assert otp.secret == totp["secret"] and otp.issuer == "Stytch TOTP" and otp.name == "grace+ops@example.com"


def test_zxing_scans_the_qr_codes_of_random_secrets(api):
    for i in range(QR_SAMPLES):
        email = f"user.{i}@example.com"
        user = api.call("POST", "/v1/users", {"email": email})
        totp = api.call("POST", "/v1/totps", {"user_id": user["user_id"]})
        assert decode_qr(totp["qr_code"]) == (
            f"otpauth://totp/Stytch%20TOTP:{email}?secret={totp['secret']}"
            "&issuer=Stytch%20TOTP&algorithm=SHA1&digits=6&period=30"), i


def test_zxing_scans_the_longest_issuer_and_email():
    from conftest import Api

    # 128 bytes of two-byte characters and a 254-byte email of '+': every
    # byte percent-encoded, the longest otpauth URI the limits allow.
    issuer, email = "é" * 64, "+" * (254 - len("@example.com")) + "@example.com"
    api = Api(issuer=issuer)
    user = api.call("POST", "/v1/users", {"email": email})
    totp = api.call("POST", "/v1/totps", {"user_id": user["user_id"]})
    label = urllib.parse.quote(issuer, safe="") + ":" + "%2B" * (254 - 12) + "@example.com"
    uri = decode_qr(totp["qr_code"], max_bytes=8192)
    assert uri.startswith(f"otpauth://totp/{label}?secret={totp['secret']}&"), uri
    api.close()


def test_pyotp_codes_equal_the_library_codes():
    secret = pyotp.random_base32(32)
    for t in [0, 59, 1_111_111_109, T, 2_000_000_000, 20_000_000_000]:
        assert totp_code(secret, t) == pyotp.TOTP(secret).at(t)


def test_rfc6238_sha1_vectors_through_pyotp_and_the_library():
    secret = VECTORS["seeds"]["SHA1"]["base32"]
    rows = [r for r in VECTORS["vectors"] if r["mode"] == "SHA1"]
    assert len(rows) == 6
    for row in rows:
        assert totp_code(secret, row["time"]) == row["totp_6_digits_derived"]
        assert pyotp.TOTP(secret, digits=8).at(row["time"]) == row["totp"]


def authenticator_codes(secret, t):
    """Codes from pyotp and from oathtool (Debian's oathtool) for time t."""
    codes = {"pyotp": pyotp.TOTP(secret).at(t)}
    oathtool = shutil.which("oathtool")
    if oathtool:
        stamp = f"@{t}"
        out = subprocess.run([oathtool, "--totp", "--base32", f"--now={stamp}", secret],
                             check=True, capture_output=True, text=True)
        codes["oathtool"] = out.stdout.strip()
    return codes


def test_oathtool_is_installed():
    assert shutil.which("oathtool"), "make test-contract installs oathtool"


@pytest.mark.parametrize("offset,accepted", [(-60, False), (-30, True), (0, True), (30, True), (60, False)])
def test_authenticator_codes_inside_the_window_are_accepted(offset, accepted):
    from conftest import Api

    for tool in ("pyotp", "oathtool"):
        api = Api()
        api.set_time(T)
        user = api.call("POST", "/v1/users", {"email": "ada@example.com"})
        totp = api.call("POST", "/v1/totps", {"user_id": user["user_id"]})
        code = authenticator_codes(totp["secret"], T + offset)[tool]
        result = api.call("POST", "/v1/totps/authenticate", {"user_id": user["user_id"], "totp_code": code})
        assert (result["status_code"] == 200) == accepted, (tool, offset, result)
        api.close()
