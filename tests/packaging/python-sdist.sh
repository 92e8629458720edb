#!/bin/sh
# `pip install` of the Python sdist from an empty directory into a fresh venv
# (`make test-python-sdist`): the sdist carries the Rust crate and builds it
# with cargo, cold (minutes). pip runs under a pseudo-terminal (script(1)), as
# in a user's terminal, to check that the build's progress shows without -v.
#
# Environment (set by mk/python.mk): PYTHON (builds the venv), BUILD (a scratch
# directory, emptied first), SDIST (the .tar.gz).
set -eu

: "${PYTHON:?}" "${BUILD:?}" "${SDIST:?}"
fail() { echo "FAIL: $*" >&2; exit 1; }

rm -rf "$BUILD"
mkdir -p "$BUILD/empty" "$BUILD/run"
"$PYTHON" -m venv "$BUILD/venv"
cp "$SDIST" "$BUILD/empty/"
name=$(basename "$SDIST")

# No wheel cache (it would skip the build), no CARGO_TARGET_DIR (the build
# starts from nothing); stdin closed, as in CI.
start=$(date +%s)
(cd "$BUILD/empty" && env -u CARGO_TARGET_DIR script -qefc \
    "'$BUILD/venv/bin/pip' install --no-cache-dir --disable-pip-version-check ./$name" \
    "$BUILD/pip.log" < /dev/null > /dev/null) || { tail -n 40 "$BUILD/pip.log"; fail "pip install $name"; }
seconds=$(( $(date +%s) - start ))

grep -aq 'stytch_totp: building libstytch_totp with cargo' "$BUILD/pip.log" || fail "no build banner on the terminal"
grep -aq 'Compiling.* stytch_totp v' "$BUILD/pip.log" || fail "cargo's progress did not reach the terminal"

# The installed package, from another empty directory: its bundled library,
# and one enrolment and sign-in.
(cd "$BUILD/run" && env -u STYTCH_TOTP_LIB "$BUILD/venv/bin/python" - "$BUILD/venv") <<'PY' || fail "the installed package does not work"
import sys
from pathlib import Path

import stytch_totp

venv = Path(sys.argv[1]).resolve()
assert venv in Path(stytch_totp.library_path).resolve().parents, stytch_totp.library_path
with stytch_totp.Client(database=":memory:") as client:
    user = client.users.create(email="ada@example.com")
    totp = client.totps.create(user_id=user.user_id)
    client.set_time(1_750_000_020)
    code = stytch_totp.totp_code(totp.secret, 1_750_000_020)
    auth = client.totps.authenticate(user_id=user.user_id, totp_code=code)
    assert auth.user_id == user.user_id and auth.user.totps[0].verified
print("sdist: the installed package loads", stytch_totp.library_path)
PY
echo "sdist: pip install $name from an empty directory (cold cargo build) took $seconds s; cargo's progress showed on the terminal"
