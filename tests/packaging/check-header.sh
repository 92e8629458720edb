#!/bin/sh
# The header compiles alone as C99 and C11, and with the C++ wrapper as C++17,
# with every warning an error.
#
# Usage: check-header.sh <include dir>   (CC, CXX: the compilers)
# Flags in $strict and from pkg-config are split into words on purpose.
# shellcheck disable=SC2086,SC2046
set -eu
inc=${1:?usage: check-header.sh INCLUDE_DIR}
here=$(cd "$(dirname "$0")" && pwd)
cc=${CC:-cc}
cxx=${CXX:-c++}
strict="-Wall -Wextra -Wpedantic -Werror"

for std in c99 c11; do
    $cc -std=$std $strict -fsyntax-only -x c "$inc/stytch_totp.h"
    $cc -std=$std $strict -fsyntax-only -I"$inc" "$here/header_only.c"
    echo "header: $std ok"
done
$cxx -std=c++17 $strict -fsyntax-only -x c++ "$inc/stytch_totp.h"
$cxx -std=c++17 $strict -fsyntax-only -x c++ -I"$inc" "$inc/stytch_totp.hpp"
$cxx -std=c++17 $strict -fsyntax-only -I"$inc" "$here/header_only.cpp"
echo "header: c++17 ok (stytch_totp.h, stytch_totp.hpp)"
