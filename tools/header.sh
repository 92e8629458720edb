#!/bin/sh
# Generates include/stytch_totp.h into $1 with the pinned cbindgen (installed
# with `cargo install --locked` when missing or another version), adding the
# version macros from Cargo.toml. `make header` writes the committed header;
# `make test-header` writes a scratch copy and compares.
set -eu
out=${1:?usage: tools/header.sh OUTPUT}
want=${CBINDGEN_VERSION:?set CBINDGEN_VERSION}
cd "$(dirname "$0")/.."

if [ "$(cbindgen --version 2>/dev/null)" != "cbindgen $want" ]; then
    echo "installing cbindgen $want" >&2
    cargo install --locked --quiet cbindgen --version "$want"
fi

version=$(sed -n 's/^version *= *"\([^"]*\)".*/\1/p' Cargo.toml | head -n 1)
major=${version%%.*}
rest=${version#*.}
minor=${rest%%.*}
patch=${rest#*.}
patch=${patch%%[-+]*}

config=$(mktemp)
trap 'rm -f "$config"' EXIT
# A top-level key, so it goes before the tables of cbindgen.toml.
cat > "$config" <<TOML
after_includes = """

#define STYTCH_TOTP_VERSION "$version"
#define STYTCH_TOTP_VERSION_MAJOR $major
#define STYTCH_TOTP_VERSION_MINOR $minor
#define STYTCH_TOTP_VERSION_PATCH $patch
"""
TOML
cat cbindgen.toml >> "$config"
cbindgen --quiet --config "$config" --output "$out" .
