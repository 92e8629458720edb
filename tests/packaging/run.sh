#!/bin/sh
# The packaging test (`make test-packaging`): install into a fresh prefix under
# build/packaging/ and build programs from there alone, through pkg-config and
# through CMake, shared and static; the soname, the exports, the header alone,
# the version; the release archive unpacked into an empty directory.
#
# Environment (set by mk/packaging.mk): BUILD MAKE CC CXX CMAKE PKG_CONFIG
# VERSION HEADER SHARED_LIB ARCHIVE. Linux (ELF) only: readelf checks.
# Flags in $strict and from pkg-config are split into words on purpose.
# shellcheck disable=SC2086,SC2046,SC2013
set -eu

: "${BUILD:?}" "${VERSION:?}" "${ARCHIVE:?}" "${HEADER:?}" "${SHARED_LIB:?}"
MAKE=${MAKE:-make}
CC=${CC:-cc}
CXX=${CXX:-c++}
CMAKE=${CMAKE:-cmake}
PKG_CONFIG=${PKG_CONFIG:-pkg-config}
export CC CXX

here=$(cd "$(dirname "$0")" && pwd)
major=${VERSION%%.*}
soname=libstytch_totp.so.$major
strict="-Wall -Wextra -Wpedantic -Werror"

prefix=$BUILD/prefix
stage=$BUILD/stage
work=$BUILD/work
rm -rf "$prefix" "$stage" "$work"
mkdir -p "$work"

step() { printf '\n== %s\n' "$*"; }
fail() { echo "FAIL: $*" >&2; exit 1; }
# The libraries a program needs at run time, and the file each resolves to.
needed() { readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'; }
# Runs a program with no help from the environment to find the library.
run() { (cd "$work" && env -u LD_LIBRARY_PATH "$@"); }

step "version: Cargo.toml, header, macros, library"
header_version=$(sed -n 's/^#define STYTCH_TOTP_VERSION "\(.*\)"$/\1/p' "$HEADER")
[ "$header_version" = "$VERSION" ] || fail "$HEADER says $header_version, Cargo.toml $VERSION"
grep -q "^#define STYTCH_TOTP_VERSION_MAJOR $major\$" "$HEADER" || fail "STYTCH_TOTP_VERSION_MAJOR is not $major"
echo "header $header_version = Cargo.toml $VERSION"

step "install and uninstall with DESTDIR"
$MAKE --no-print-directory install NO_BUILD=1 PREFIX=/opt/stytch DESTDIR="$stage" >/dev/null
for f in lib/libstytch_totp.so.$VERSION lib/$soname lib/libstytch_totp.so lib/libstytch_totp.a \
    include/stytch_totp.h include/stytch_totp.hpp lib/pkgconfig/stytch_totp.pc \
    lib/cmake/stytch_totp/stytch_totpConfig.cmake lib/cmake/stytch_totp/stytch_totpConfigVersion.cmake; do
    [ -e "$stage/opt/stytch/$f" ] || fail "DESTDIR install lacks $f"
done
grep -qx 'prefix=/opt/stytch' "$stage/opt/stytch/lib/pkgconfig/stytch_totp.pc" || fail ".pc prefix is not PREFIX"
$MAKE --no-print-directory uninstall NO_BUILD=1 PREFIX=/opt/stytch DESTDIR="$stage" >/dev/null
[ ! -e "$stage" ] || fail "uninstall left: $(find "$stage")"
echo "installed under DESTDIR, uninstalled without a trace (the directories it created too)"

step "uninstall keeps what was there before install"
# An existing prefix with an empty include/ and a lib/ holding another file:
# both stay; the directories install added (lib/pkgconfig, lib/cmake, bin) go.
mkdir -p "$stage/usr/local/include" "$stage/usr/local/lib"
echo other > "$stage/usr/local/lib/other.txt"
(cd "$stage" && find . | sort) > "$work/before.txt"
$MAKE --no-print-directory install NO_BUILD=1 PREFIX=/usr/local DESTDIR="$stage" >/dev/null
[ -e "$stage/usr/local/lib/pkgconfig/stytch_totp.pc" ] || fail "install into an existing prefix"
$MAKE --no-print-directory uninstall NO_BUILD=1 PREFIX=/usr/local DESTDIR="$stage" >/dev/null
(cd "$stage" && find . | sort) > "$work/after.txt"
diff "$work/before.txt" "$work/after.txt" || fail "uninstall did not restore the prefix as it was"
rm -rf "$stage"
echo "the prefix is exactly as before: its own directories kept, the added ones removed"

step "install into $prefix"
$MAKE --no-print-directory install NO_BUILD=1 PREFIX="$prefix"
libdir=$prefix/lib
[ "$(readlink "$libdir/libstytch_totp.so")" = "$soname" ] || fail "libstytch_totp.so does not point to $soname"
[ "$(readlink "$libdir/$soname")" = "libstytch_totp.so.$VERSION" ] || fail "$soname does not point to libstytch_totp.so.$VERSION"
readelf -d "$libdir/libstytch_totp.so.$VERSION" | grep -q "(SONAME).*\[$soname\]" || fail "no SONAME $soname"
echo "SONAME $soname; libstytch_totp.so -> $soname -> libstytch_totp.so.$VERSION"

step "installed libraries carry no debug information, and still unwind"
# Sections of the shared library and of every object in the static one.
sections() { readelf -S --wide "$1" 2>/dev/null | sed -n 's/^ *\[ *[0-9]*\] \([^ ]*\) .*/\1/p' | sort -u; }
for lib in "$libdir/libstytch_totp.so.$VERSION" "$libdir/libstytch_totp.a"; do
    if sections "$lib" | grep -E '^\.(debug_|llvmbc|llvmcmd)'; then fail "$lib has debug or bitcode sections"; fi
    sections "$lib" | grep -qx '.eh_frame' || fail "$lib lost .eh_frame (unwinding)"
done
sections "$libdir/libstytch_totp.a" | grep -q '^.gcc_except_table' || fail "the static library lost .gcc_except_table"
size_of() { wc -c < "$1" | tr -d ' '; }
echo "static library: $(size_of "$STATIC_LIB") bytes built, $(size_of "$libdir/libstytch_totp.a") installed"
echo "shared library: $(size_of "$SHARED_LIB") bytes built, $(size_of "$libdir/libstytch_totp.so.$VERSION") installed"

step "exports"
sh "$here/check-exports.sh" "$libdir/libstytch_totp.so.$VERSION" "$prefix/include/stytch_totp.h"

step "header alone: C99, C11, C++17"
sh "$here/check-header.sh" "$prefix/include"

PKG_CONFIG_PATH=$libdir/pkgconfig
PKG_CONFIG_LIBDIR=$libdir/pkgconfig
export PKG_CONFIG_PATH PKG_CONFIG_LIBDIR

step "C through pkg-config, shared"
[ "$($PKG_CONFIG --modversion stytch_totp)" = "$VERSION" ] || fail "pkg-config --modversion"
$CC -std=c11 $strict "$here/smoke.c" $($PKG_CONFIG --cflags --libs stytch_totp) \
    -Wl,-rpath,"$libdir" -o "$work/smoke-shared"
$CC -std=c99 $strict "$here/version.c" $($PKG_CONFIG --cflags --libs stytch_totp) \
    -Wl,-rpath,"$libdir" -o "$work/version"
needed "$work/smoke-shared" | grep -qx "$soname" || fail "smoke-shared does not need $soname"
ldd "$work/smoke-shared" | grep -q "$soname => $libdir/$soname" || fail "smoke-shared does not load the installed library"
run "$work/smoke-shared"
run "$work/version" "$VERSION"

step "C through pkg-config, static"
private=$($PKG_CONFIG --static --libs stytch_totp)
for lib in $(cat "$BUILD/native-static-libs.txt"); do
    case " $private " in *" $lib "*) ;; *) fail "pkg-config --static --libs lacks $lib: $private" ;; esac
done
$CC -std=c11 $strict "$here/smoke.c" $($PKG_CONFIG --cflags stytch_totp) \
    $($PKG_CONFIG --variable=static_libs stytch_totp) -o "$work/smoke-static"
if needed "$work/smoke-static" | grep -q stytch_totp; then fail "smoke-static needs a shared stytch_totp"; fi
run "$work/smoke-static"

step "C, fully static (cc -static), as docs/INSTALL.md says"
$CC -static -std=c11 $strict "$here/smoke.c" $($PKG_CONFIG --cflags stytch_totp) \
    $($PKG_CONFIG --variable=fully_static_libs stytch_totp) -o "$work/smoke-fully-static" 2> "$work/fully-static.log" \
    || { cat "$work/fully-static.log"; fail "the fully static recipe does not link"; }
if readelf -l "$work/smoke-fully-static" | grep -q INTERP; then fail "smoke-fully-static is not static"; fi
run "$work/smoke-fully-static"
echo "smoke-fully-static: statically linked, ran"

step "the C and C++ snippets of README.md and docs/INSTALL.md, as written"
# Every fenced block of a language, into $3-1.$4, $3-2.$4, ...; prints the count.
blocks() {
    awk -v lang="$2" -v out="$3" -v ext="$4" '
        $0 == "```" lang { n++; file = out "-" n "." ext; printf "" > file; inside = 1; next }
        inside && $0 == "```" { inside = 0; close(file); next }
        inside { print > file }
        END { print n + 0 }' "$1"
}
top_src=$(cd "$here/../.." && pwd)
mkdir -p "$work/snippets"
n=$(blocks "$top_src/README.md" c "$work/snippets/readme" c)
[ "$n" -ge 1 ] || fail "README.md has no C snippet"
n=$(blocks "$top_src/docs/INSTALL.md" c "$work/snippets/install" c)
[ "$n" -ge 1 ] || fail "docs/INSTALL.md has no C snippet"
n=$(blocks "$top_src/docs/INSTALL.md" cpp "$work/snippets/install" cpp)
[ "$n" -ge 1 ] || fail "docs/INSTALL.md has no C++ snippet"
for src in "$work"/snippets/*.c "$work"/snippets/*.cpp; do
    name=$(basename "$src")
    case $src in
        *.c) $CC -std=c11 $strict "$src" $($PKG_CONFIG --cflags --libs stytch_totp) -Wl,-rpath,"$libdir" -o "$src.bin" ;;
        *) $CXX -std=c++17 $strict "$src" $($PKG_CONFIG --cflags --libs stytch_totp) -Wl,-rpath,"$libdir" -o "$src.bin" ;;
    esac || fail "the snippet $name does not compile"
    mkdir -p "$src.run"
    (cd "$src.run" && env -u LD_LIBRARY_PATH "$src.bin" > out.txt 2> err.txt) \
        || { cat "$src.run/out.txt" "$src.run/err.txt"; fail "the snippet $name failed"; }
    echo "$name: compiled with $strict, ran"
done

cmake_variant() {
    name=$1
    shift
    dir=$work/cmake-$name
    "$CMAKE" -S "$here/cmake" -B "$dir" -DCMAKE_BUILD_TYPE=Release -DEXPECTED_VERSION="$VERSION" "$@" \
        > "$dir.log" 2>&1 || { cat "$dir.log"; fail "cmake configure ($name)"; }
    grep 'stytch_totp [0-9]' "$dir.log" || true
    "$CMAKE" --build "$dir" --parallel 2 > "$dir.build.log" 2>&1 || { cat "$dir.build.log"; fail "cmake build ($name)"; }
}

step "C and C++ through CMake find_package, shared"
cmake_variant shared -DCMAKE_PREFIX_PATH="$prefix"
needed "$work/cmake-shared/cxx_smoke" | grep -qx "$soname" || fail "cxx_smoke does not need $soname"
ldd "$work/cmake-shared/cxx_smoke" | grep -q "$soname => $libdir/$soname" || fail "cxx_smoke does not load the installed library"
run "$work/cmake-shared/cxx_smoke"
run "$work/cmake-shared/c_smoke"
mkdir -p "$work/demo-run"
(cd "$work/demo-run" && env -u LD_LIBRARY_PATH "$work/cmake-shared/cpp_demo" > demo.out) || fail "cpp_demo"
grep -q '^recovery codes left: 9 of 10$' "$work/demo-run/demo.out" || fail "cpp_demo output"
echo "cpp_demo: the walk-through ran"

step "C and C++ through CMake find_package, static (STYTCH_TOTP_STATIC=ON)"
cmake_variant static -DCMAKE_PREFIX_PATH="$prefix" -DSTYTCH_TOTP_STATIC=ON
if needed "$work/cmake-static/cxx_smoke" | grep -q stytch_totp; then fail "static cxx_smoke needs a shared stytch_totp"; fi
run "$work/cmake-static/cxx_smoke"
run "$work/cmake-static/c_smoke"

step "CMake find_package COMPONENTS static"
cmake_variant component -DCMAKE_PREFIX_PATH="$prefix" -DSTYTCH_TOTP_COMPONENT=static
if needed "$work/cmake-component/c_smoke" | grep -q stytch_totp; then fail "component c_smoke needs a shared stytch_totp"; fi
run "$work/cmake-component/c_smoke"

step "release archive $(basename "$ARCHIVE"), unpacked into an empty directory"
unpacked=$work/unpacked
mkdir "$unpacked"
tar -xzf "$ARCHIVE" -C "$unpacked"
top=$(find "$unpacked" -mindepth 1 -maxdepth 1)
for f in LICENSE README.md INSTALL.md include/stytch_totp.h include/stytch_totp.hpp lib/libstytch_totp.a \
    lib/pkgconfig/stytch_totp.pc lib/cmake/stytch_totp/stytch_totpConfig.cmake \
    examples/c/demo.c examples/cpp/demo.cpp examples/cpp/CMakeLists.txt; do
    [ -e "$top/$f" ] || fail "the archive lacks $f"
done
head -n 1 "$top/README.md" | grep -qx "# stytch_totp $VERSION for .*" || fail "the archive's README is not its own"
# Every path the README names in backquotes is in the archive.
for f in $(sed -n 's/^\(include\|lib\|examples\)\/[^ ]*/&/p' "$top/README.md" | awk '{print $1}'); do
    [ -e "$top/$f" ] || fail "the archive's README names $f, which the archive lacks"
done
[ -L "$top/lib/$soname" ] || fail "the archive lost the $soname symlink"
(cd "$(dirname "$ARCHIVE")" && sha256sum -c "$(basename "$ARCHIVE").sha256" >/dev/null) || fail "checksum"
PKG_CONFIG_PATH=$top/lib/pkgconfig
PKG_CONFIG_LIBDIR=$top/lib/pkgconfig
[ "$(cd "$($PKG_CONFIG --variable=libdir stytch_totp)" && pwd -P)" = "$(cd "$top/lib" && pwd -P)" ] \
    || fail "the archive's .pc does not find its own directory"
$CC -std=c11 $strict "$here/smoke.c" $($PKG_CONFIG --cflags --libs stytch_totp) \
    -Wl,-rpath,"$top/lib" -o "$work/smoke-dist"
ldd "$work/smoke-dist" | grep -q "$soname => $top/lib/$soname" || fail "smoke-dist does not load the unpacked library"
run "$work/smoke-dist"
$CC -std=c11 $strict "$here/smoke.c" $($PKG_CONFIG --cflags stytch_totp) \
    $($PKG_CONFIG --variable=static_libs stytch_totp) -o "$work/smoke-dist-static"
run "$work/smoke-dist-static"
cmake_variant dist -DCMAKE_PREFIX_PATH="$top"
run "$work/cmake-dist/cxx_smoke"

step "the archive's README, followed as written"
n=$(blocks "$top/README.md" sh "$work/archive-readme" sh)
[ "$n" -ge 2 ] || fail "the archive's README has $n shell blocks, expected the C and C++ walk-throughs"
i=1
while [ "$i" -le "$n" ]; do
    (cd "$top" && env -u LD_LIBRARY_PATH -u PKG_CONFIG_PATH -u PKG_CONFIG_LIBDIR sh -e "$work/archive-readme-$i.sh") \
        > "$work/archive-readme-$i.out" 2>&1 || { cat "$work/archive-readme-$i.out"; fail "archive README block $i"; }
    grep -q '^recovery codes left: 9 of 10$' "$work/archive-readme-$i.out" || fail "archive README block $i: no walk-through"
    i=$((i + 1))
done
[ -s "$top/demo-run/qr.png" ] || fail "the C walk-through wrote no qr.png"
echo "the $n walk-throughs of the archive's README ran from the unpacked tree"

printf '\npackaging: all checks passed\n'
