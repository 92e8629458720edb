"""examples/python/demo.py runs the walk-through end to end."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

DEMO = Path(__file__).resolve().parents[3] / "examples" / "python" / "demo.py"


def test_demo_walk_through(tmp_path):
    result = subprocess.run(
        [sys.executable, str(DEMO)], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "verified: yes" in out
    assert '"error_type":"totp_code_already_authenticated"' in out
    assert "recovery codes left: 9 of 10" in out
    assert (tmp_path / "qr.png").read_bytes().startswith(b"\x89PNG")
    assert (tmp_path / "stytch_totp.db").exists()
