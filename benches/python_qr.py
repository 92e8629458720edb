"""Benchmark of the Python QR helpers beside the pure-Python qrcode package
drawing the same otpauth URI, in one run. Run by `make bench-python-qr`;
prints median and p99 microseconds per call and the ratios.

- PNG bytes: stytch_totp.qr.qr_png versus qrcode (level M, PIL image, PNG);
- SVG: stytch_totp.qr.qr_svg versus qrcode's SvgPathImage;
- the otpauth URI, and the PNG written to a 0600 file.
"""

from __future__ import annotations

import io
import statistics
import tempfile
import time
from pathlib import Path
from typing import Callable, Dict, List

import qrcode
import qrcode.image.svg

from stytch_totp import qr

URI = qr.otpauth_uri("Stytch TOTP", "ada@example.com", "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
N = 300


def measure(fn: Callable[[], object]) -> Dict[str, float]:
    for _ in range(20):
        fn()
    samples: List[int] = []
    for _ in range(N):
        t = time.perf_counter_ns()
        fn()
        samples.append(time.perf_counter_ns() - t)
    samples.sort()
    return {"median": statistics.median(samples) / 1000, "p99": samples[N * 99 // 100] / 1000}


def qrcode_png() -> bytes:
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    code.add_data(URI)
    out = io.BytesIO()
    code.make_image().save(out, format="PNG")
    return out.getvalue()


def qrcode_svg() -> str:
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4,
                         image_factory=qrcode.image.svg.SvgPathImage)
    code.add_data(URI)
    return str(code.make_image().to_string(encoding="unicode"))


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "qr.png"
        rows = [
            ("png", measure(lambda: qr.qr_png(URI)), measure(qrcode_png)),
            ("svg", measure(lambda: qr.qr_svg(URI)), measure(qrcode_svg)),
            ("otpauth_uri", measure(lambda: qr.otpauth_uri("Stytch TOTP", "ada@example.com", "JBSWY3DPEHPK3PXP")), None),
            ("write_qr_png", measure(lambda: qr.write_qr_png(URI, path)), None),
        ]
    print("microseconds per call: stytch_totp median, p99 | qrcode median, p99 | qrcode / stytch_totp")
    for name, ours, theirs in rows:
        line = f"{name:14} {ours['median']:>10.1f} {ours['p99']:>10.1f}"
        if theirs:
            ratio = theirs["median"] / ours["median"]
            line += f" | {theirs['median']:>10.1f} {theirs['p99']:>10.1f} | {ratio:>7.1f}x"
        print(line)
    print("(write_qr_png includes fsync of the file)")


if __name__ == "__main__":
    main()
