#!/bin/sh
# Installs or uninstalls the built library: shared library (versioned, with
# its symlinks), static library, C and C++ headers, pkg-config file and CMake
# package. Called by mk/packaging.mk, which sets the environment:
#
#   PLATFORM            linux | macos | windows-msvc | windows-gnu
#   VERSION             the crate version, e.g. 0.1.0
#   SRC_LIBDIR          where cargo put the libraries (target/release)
#   DESTDIR, PREFIX     the files go to $DESTDIR$PREFIX
#   INSTALL_LIBDIR, INSTALL_INCLUDEDIR, INSTALL_BINDIR   relative to PREFIX
#   PC_PREFIX           prefix= of the .pc file (default $PREFIX)
#   NATIVE_STATIC_LIBS  what `rustc --print native-static-libs` lists
#   POINTER_WIDTH       the target's pointer width in bits (default 64)
#   RECORD_DIR          where install records the directories it created, and
#                       uninstall reads them back (unset: no record)
#   STRIP               the strip program (default strip; `true` keeps debug info)
#
# Usage: install.sh install | uninstall
set -eu

action=${1:?usage: install.sh install|uninstall}
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)

: "${PLATFORM:?}" "${VERSION:?}" "${SRC_LIBDIR:?}"
PREFIX=${PREFIX-/usr/local}
DESTDIR=${DESTDIR-}
INSTALL_LIBDIR=${INSTALL_LIBDIR:-lib}
INSTALL_INCLUDEDIR=${INSTALL_INCLUDEDIR:-include}
INSTALL_BINDIR=${INSTALL_BINDIR:-bin}
PC_PREFIX=${PC_PREFIX-$PREFIX}
NATIVE_STATIC_LIBS=${NATIVE_STATIC_LIBS-}

for dir in "$INSTALL_LIBDIR" "$INSTALL_INCLUDEDIR" "$INSTALL_BINDIR"; do
    case $dir in
        /* | *..* | . | ./*)
            echo "install.sh: INSTALL_LIBDIR, INSTALL_INCLUDEDIR and INSTALL_BINDIR are relative to PREFIX: '$dir'" >&2
            exit 2 ;;
    esac
done

major=${VERSION%%.*}
implib=
soname=
case $PLATFORM in
    linux)
        shared_src=libstytch_totp.so
        shared_real=libstytch_totp.so.$VERSION
        soname=libstytch_totp.so.$major
        shared_link=libstytch_totp.so
        static=libstytch_totp.a
        shared_dir=$INSTALL_LIBDIR ;;
    macos)
        shared_src=libstytch_totp.dylib
        shared_real=libstytch_totp.$VERSION.dylib
        soname=libstytch_totp.$major.dylib
        shared_link=libstytch_totp.dylib
        static=libstytch_totp.a
        shared_dir=$INSTALL_LIBDIR ;;
    windows-msvc)
        shared_src=stytch_totp.dll
        shared_real=stytch_totp.dll
        shared_link=
        implib=stytch_totp.dll.lib
        static=stytch_totp.lib
        shared_dir=$INSTALL_BINDIR ;;
    windows-gnu)
        shared_src=stytch_totp.dll
        shared_real=stytch_totp.dll
        shared_link=
        implib=libstytch_totp.dll.a
        static=libstytch_totp.a
        shared_dir=$INSTALL_BINDIR ;;
    *)
        echo "install.sh: unknown PLATFORM '$PLATFORM'" >&2
        exit 2 ;;
esac

root=$DESTDIR$PREFIX
libdir=$root/$INSTALL_LIBDIR
incdir=$root/$INSTALL_INCLUDEDIR
shdir=$root/$shared_dir
pcdir=$libdir/pkgconfig
cmakedir=$libdir/cmake/stytch_totp

# The record of the directories install created under $root, so that
# uninstall removes those (when empty) and no others.
record=
[ -z "${RECORD_DIR-}" ] || record=$RECORD_DIR/$(printf '%s' "$root" | tr -c 'A-Za-z0-9._-' '_').dirs

if [ "$action" = uninstall ]; then
    for f in "$shdir/$shared_real" ${soname:+"$shdir/$soname"} ${shared_link:+"$shdir/$shared_link"} \
        ${implib:+"$libdir/$implib"} "$libdir/$static" \
        "$incdir/stytch_totp.h" "$incdir/stytch_totp.hpp" "$pcdir/stytch_totp.pc" \
        "$cmakedir/stytch_totpConfig.cmake" "$cmakedir/stytch_totpConfigVersion.cmake"; do
        if [ -e "$f" ] || [ -L "$f" ]; then
            rm -f "$f"
            echo "removed $f"
        fi
    done
    rmdir "$cmakedir" 2>/dev/null || true
    if [ -n "$record" ] && [ -f "$record" ]; then
        # Deepest first: a reverse sort puts every directory before its parent.
        sort -r "$record" | while IFS= read -r dir; do
            if rmdir "$dir" 2>/dev/null; then echo "removed $dir/"; fi
        done
        rm -f "$record"
    fi
    exit 0
fi
[ "$action" = install ] || { echo "install.sh: unknown action '$action'" >&2; exit 2; }

for f in "$shared_src" "$static" ${implib:+"$implib"}; do
    [ -f "$SRC_LIBDIR/$f" ] || { echo "install.sh: $SRC_LIBDIR/$f is missing: run 'make lib' first" >&2; exit 1; }
done

# From lib/cmake/stytch_totp (or lib/pkgconfig) back up to the prefix.
up() { printf '%s\n' "$1" | sed 's|[^/][^/]*|..|g'; }
rel_prefix=$(up "$INSTALL_LIBDIR/cmake/stytch_totp")

# The native libraries as a CMake list; MSVC's /defaultlib: entries are the
# C runtime, which CMake links anyway.
cmake_libs=
pending=
for item in $NATIVE_STATIC_LIBS; do
    if [ "$pending" = -framework ]; then
        item="-framework $item"
        pending=
    elif [ "$item" = -framework ]; then
        pending=$item
        continue
    fi
    case $item in
        /defaultlib:* | /DEFAULTLIB:*) continue ;;
    esac
    cmake_libs=${cmake_libs:+$cmake_libs;}$item
done

sizeof_void_p=$(( ${POINTER_WIDTH:-64} / 8 ))

# A fully static program (cc -static) has no libgcc_s.so to link: the
# compiler adds its static unwinder (libgcc_eh) by itself under -static.
fully_static_libs=
for item in $NATIVE_STATIC_LIBS; do
    [ "$item" = -lgcc_s ] || fully_static_libs=${fully_static_libs:+$fully_static_libs }$item
done

subst() {
    sed -e "s|@VERSION@|$VERSION|g" \
        -e "s|@VERSION_MAJOR@|$major|g" \
        -e "s|@PC_PREFIX@|$PC_PREFIX|g" \
        -e "s|@INSTALL_LIBDIR@|$INSTALL_LIBDIR|g" \
        -e "s|@INSTALL_INCLUDEDIR@|$INSTALL_INCLUDEDIR|g" \
        -e "s|@NATIVE_STATIC_LIBS@|$2|g" \
        -e "s|@FULLY_STATIC_LIBS@|$fully_static_libs|g" \
        -e "s|@REL_PREFIX@|$rel_prefix|g" \
        -e "s|@SHARED_LOCATION@|$shared_dir/$shared_real|g" \
        -e "s|@SHARED_IMPLIB@|${implib:+$INSTALL_LIBDIR/$implib}|g" \
        -e "s|@SONAME@|$soname|g" \
        -e "s|@STATIC_FILE@|$static|g" \
        -e "s|@STATIC_LOCATION@|$INSTALL_LIBDIR/$static|g" \
        -e "s|@SIZEOF_VOID_P@|$sizeof_void_p|g" \
        "$here/$1"
}

# Each directory about to be created, up to the first one that exists.
created=
for dir in "$libdir" "$incdir" "$shdir" "$pcdir" "$cmakedir"; do
    while [ -n "$dir" ] && [ ! -d "$dir" ]; do
        created="$created$dir
"
        dir=$(dirname "$dir")
    done
done
mkdir -p "$libdir" "$incdir" "$shdir" "$pcdir" "$cmakedir"
if [ -n "$record" ]; then
    mkdir -p "$RECORD_DIR"
    { [ ! -f "$record" ] || cat "$record"; printf '%s' "$created"; } | sort -u > "$record.tmp"
    mv "$record.tmp" "$record"
fi

# cp + chmod rather than install(1), which not every shell environment has.
# The old file is removed first: a running program may have it mapped.
put() { rm -f "$3" && cp "$2" "$3" && chmod "$1" "$3"; }

# Libraries: the real file, then the soname and development symlinks.
put 755 "$SRC_LIBDIR/$shared_src" "$shdir/$shared_real"
if [ -n "$soname" ]; then
    ln -sf "$shared_real" "$shdir/$soname"
    ln -sf "$soname" "$shdir/$shared_link"
fi
[ -z "$implib" ] || put 644 "$SRC_LIBDIR/$implib" "$libdir/$implib"
put 644 "$SRC_LIBDIR/$static" "$libdir/$static"

# No debug information in installed libraries: the static library shrinks
# from about 31 MB to 10 MB (std's debug info and its embedded LLVM bitcode).
# What links and unwinds stays (the archive's symbols, .dynsym, .eh_frame,
# .gcc_except_table): panics still unwind to the C boundary and become errors.
STRIP=${STRIP:-strip}
case $PLATFORM in
    linux | windows-gnu)
        $STRIP --strip-unneeded "$shdir/$shared_real"
        $STRIP --strip-debug -R .llvmbc -R .llvmcmd "$libdir/$static" ;;
    macos)
        $STRIP -x "$shdir/$shared_real"
        $STRIP -S "$libdir/$static" ;;
esac

# Headers.
put 644 "$top/include/stytch_totp.h" "$incdir/stytch_totp.h"
put 644 "$top/include/stytch_totp.hpp" "$incdir/stytch_totp.hpp"

# pkg-config and CMake.
subst stytch_totp.pc.in "$NATIVE_STATIC_LIBS" > "$pcdir/stytch_totp.pc"
subst stytch_totpConfig.cmake.in "$cmake_libs" > "$cmakedir/stytch_totpConfig.cmake"
subst stytch_totpConfigVersion.cmake.in "$cmake_libs" > "$cmakedir/stytch_totpConfigVersion.cmake"
chmod 644 "$pcdir/stytch_totp.pc" "$cmakedir/stytch_totpConfig.cmake" "$cmakedir/stytch_totpConfigVersion.cmake"

echo "installed stytch_totp $VERSION into $root"
