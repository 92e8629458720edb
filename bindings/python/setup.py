"""Builds libstytch_totp with cargo and bundles it in the package.

The package loads the library with ctypes: it has no Python extension, so one
wheel serves every Python 3 on a platform and is tagged ``py3-none-<platform>``.

The Rust crate is found beside this file as ``rust/`` (the sdist carries it
there) or two levels up (a checkout of the repository). cargo must be on PATH
(or named by ``CARGO``); ``CARGO_TARGET_DIR`` is honoured, so a checkout's
``target/`` can be reused.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.bdist_wheel import bdist_wheel
from setuptools.command.build_py import build_py
from setuptools.command.sdist import sdist
from setuptools.dist import Distribution

HERE = Path(__file__).resolve().parent
# What building the crate needs, relative to its root: shipped in the sdist.
CRATE_FILES = ("Cargo.toml", "Cargo.lock", "build.rs", "cbindgen.toml", "LICENSE", "README.md",
               "src", "include")
LIBRARY = {"win32": "stytch_totp.dll", "darwin": "libstytch_totp.dylib"}.get(
    sys.platform, "libstytch_totp.so")


def crate_dir() -> Path:
    for candidate in (HERE / "rust", HERE.parent.parent):
        if (candidate / "Cargo.toml").is_file() and (candidate / "src").is_dir():
            return candidate
    sys.exit("stytch_totp: the Rust crate is missing: neither rust/ nor ../../ holds its Cargo.toml")


def progress_stream():
    """Where cargo reports its progress: the terminal pip runs in, if any.

    pip shows a build's own output only with -v; a Rust build takes minutes, so
    its progress goes straight to the terminal. Without one, to stderr (pip -v).
    """
    try:
        return open("/dev/tty", "w")  # noqa: SIM115 (closed by the caller)
    except OSError:
        return None


def build_library() -> Path:
    cargo = os.environ.get("CARGO") or shutil.which("cargo")
    if not cargo:
        sys.exit(
            "stytch_totp: building from source needs Rust's cargo on PATH (https://rustup.rs); "
            "or install a wheel for your platform, which needs nothing else"
        )
    crate = crate_dir()
    target = Path(os.environ.get("CARGO_TARGET_DIR") or crate / "target")
    command = [cargo, "build", "--release", "--locked", "--lib",
               "--manifest-path", str(crate / "Cargo.toml"), "--target-dir", str(target)]
    tty = progress_stream()
    out = tty or sys.stderr
    print("stytch_totp: building libstytch_totp with cargo (minutes on a first build): "
          + " ".join(command), file=out, flush=True)
    try:
        subprocess.run(command, check=True, stdout=out, stderr=out)
    except subprocess.CalledProcessError as e:
        sys.exit(f"stytch_totp: cargo failed (exit {e.returncode}); its output is above")
    finally:
        if tty:
            tty.close()
    return target / "release" / LIBRARY


class BuildPyWithLibrary(build_py):
    """Copies the freshly built library into the package, beside _native.py."""

    def run(self) -> None:
        super().run()
        library = build_library()
        package = Path(self.build_lib) / "stytch_totp"
        package.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(library, package / LIBRARY)


class PlatformWheel(bdist_wheel):
    """py3-none-<platform>: platform-specific (the library), Python-independent."""

    def finalize_options(self) -> None:
        super().finalize_options()
        self.root_is_pure = False

    def get_tag(self):
        return ("py3", "none", super().get_tag()[2])


def declared_targets(crate: Path) -> list:
    """The files of the targets Cargo.toml declares ([[bench]], [[test]], ...):
    cargo looks for them even when it builds only the library."""
    import tomllib  # Python 3.11+, which building the sdist needs

    manifest = tomllib.loads((crate / "Cargo.toml").read_text())
    folders = {"bench": "benches", "test": "tests", "example": "examples", "bin": "src/bin"}
    paths = []
    for kind, folder in folders.items():
        for target in manifest.get(kind, []):
            path = target.get("path") or f"{folder}/{target['name']}.rs"
            paths.append(path if (crate / path).exists() else f"{folder}/{target['name']}")
    return paths


class SdistWithCrate(sdist):
    """Puts the Rust crate into the sdist as rust/, so that it builds on its own."""

    def make_release_tree(self, base_dir: str, files) -> None:
        super().make_release_tree(base_dir, files)
        crate, dest = crate_dir(), Path(base_dir) / "rust"
        dest.mkdir(exist_ok=True)
        for name in (*CRATE_FILES, *declared_targets(crate)):
            source = crate / name
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            if source.is_dir():
                shutil.copytree(source, dest / name, dirs_exist_ok=True)
            else:
                shutil.copy2(source, dest / name)


class BinaryDistribution(Distribution):
    """Installs into platlib: the package carries a native library."""

    def has_ext_modules(self) -> bool:
        return True


setup(
    distclass=BinaryDistribution,
    cmdclass={"build_py": BuildPyWithLibrary, "bdist_wheel": PlatformWheel, "sdist": SdistWithCrate},
)
