"""The installed package: where it loads from, its version check, its C declarations."""

from __future__ import annotations

import ctypes
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import stytch_totp
from stytch_totp import _native

PACKAGE_DIR = Path(stytch_totp.__file__).resolve().parent


def run_import(env_lib: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, STYTCH_TOTP_LIB=env_lib)
    code = "import stytch_totp; print(stytch_totp.library_path)"
    return subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60
    )


def test_runs_against_the_installed_package_and_its_bundled_library():
    assert "site-packages" in PACKAGE_DIR.parts
    assert os.environ.get(_native.ENV_VAR) is None
    assert Path(stytch_totp.library_path).resolve().parent == PACKAGE_DIR
    assert Path(stytch_totp.library_path).name.startswith("libstytch_totp")


def test_version_matches_the_library():
    assert stytch_totp.__version__ == "0.1.0"
    assert stytch_totp.library_version() == stytch_totp.__version__
    # The rule the loader applied is the library's own.
    assert _native.lib.stytch_version_is_compatible(b"0.1.0")
    assert not _native.lib.stytch_version_is_compatible(b"0.2.0")


def test_env_var_comes_first(tmp_path):
    copy = tmp_path / "libstytch_totp.so"
    shutil.copy(stytch_totp.library_path, copy)
    result = run_import(str(copy))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(copy)


def test_env_var_pointing_nowhere_fails_clearly(tmp_path):
    missing = tmp_path / "missing.so"
    result = run_import(str(missing))
    assert result.returncode != 0
    assert "ImportError" in result.stderr and str(missing) in result.stderr


def test_version_mismatch_fails_clearly(tmp_path):
    # A copy of the library whose stytch_version() says 9.1.0.
    data = Path(stytch_totp.library_path).read_bytes()
    assert b"0.1.0\x00" in data
    patched = tmp_path / "libstytch_totp.so"
    patched.write_bytes(data.replace(b"0.1.0\x00", b"9.1.0\x00"))
    result = run_import(str(patched))
    assert result.returncode != 0
    assert "ImportError" in result.stderr
    # The library's own rule refused it; both versions are named.
    assert "stytch_totp 0.1.0 cannot use libstytch_totp 9.1.0" in result.stderr


def test_calls_release_the_gil():
    # A PyDLL would hold the GIL through every call and serialize threads.
    assert type(_native.lib) is ctypes.CDLL
    assert not _native.lib._func_flags_ & ctypes._FUNCFLAG_PYTHONAPI


@pytest.mark.skipif(shutil.which("nm") is None, reason="needs nm")
def test_every_exported_function_is_declared():
    out = subprocess.run(
        ["nm", "-D", "--defined-only", stytch_totp.library_path],
        capture_output=True, text=True, check=True,
    ).stdout
    exported = {line.split()[-1] for line in out.splitlines() if " T stytch_" in line}
    assert len(exported) > 90
    assert exported == set(_native.SIGNATURES)
    for name in exported:
        fn = getattr(_native.lib, name)
        assert fn.argtypes is not None and fn.restype is _native.SIGNATURES[name][0]
