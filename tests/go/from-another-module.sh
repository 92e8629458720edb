#!/bin/sh
# The Go binding used from another module exactly as bindings/go/README.md says
# ("From another module"): its shell lines, run in a fresh module outside the
# repository on the README's example program, with the module proxy off.
#
# Then the messages a user gets when the native library is missing: at build
# time from a checkout whose library is not built (the default static link),
# at build time from pkg-config (-tags stytch_pkgconfig) with no stytch_totp.pc,
# and at run time from the dynamic loader when a program linked against the
# shared library cannot find it.
#
# Environment (set by mk/go.mk): GO (the go command).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
readme=$top/bindings/go/README.md
fail() { echo "FAIL: $*" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/app"

# The README's Go program, and the shell block of its "From another module".
awk '/^```go$/ { inside = 1; next } inside && /^```$/ { exit } inside { print }' "$readme" > "$work/app/main.go"
awk '/^### From another module/ { section = 1 }
     section && /^```sh$/ { inside = 1; next }
     inside && /^```$/ { exit }
     inside { print }' "$readme" > "$work/steps.sh"
grep -q '^package main$' "$work/app/main.go" || fail "no Go program in $readme"
grep -q 'go mod tidy' "$work/steps.sh" || fail "no 'From another module' steps in $readme"
echo "the steps, from $readme:"
sed 's/^/    /' "$work/steps.sh"

(cd "$work/app" && env STYTCH_TOTP="$top" GOPROXY=off GOWORK=off GOFLAGS= PATH="$(dirname "$(command -v "${GO:-go}")"):$PATH" \
    sh -eu "$work/steps.sh") > "$work/out.txt" 2>&1 || { cat "$work/out.txt"; fail "the steps failed"; }
grep -q '^signed in: user-test-' "$work/out.txt" || { cat "$work/out.txt"; fail "the program did not sign in"; }
grep -q '^require github.com/stytch-totp/stytch-totp/bindings/go v0.0.0-00010101000000-000000000000$' "$work/app/go.mod" \
    || { cat "$work/app/go.mod"; fail "go mod tidy did not add the require line the README shows"; }
# The library is inside the program: nothing to find at run time.
if command -v readelf >/dev/null && readelf -d "$work/app/app" 2>/dev/null | grep -q 'NEEDED.*stytch_totp'; then
    fail "the program needs a shared libstytch_totp at run time"
fi
echo "from another module: go mod edit -replace, go mod tidy, go build, ./app: signed in"

gobin=$(dirname "$(command -v "${GO:-go}")")
# CGO_CFLAGS names this run: Go's build cache keys a cgo package by its flags
# and sources, not by what pkg-config answers, so without it a build with no
# stytch_totp.pc could reuse the binding as an earlier run built it (with that
# run's .pc) instead of asking pkg-config.
goenv() { env GOPROXY=off GOWORK=off GOFLAGS= CGO_CFLAGS="-O2 -g -DSTYTCH_TOTP_RUN=${work##*/}" PATH="$gobin:$PATH" "$@"; }
# expect WHAT FILE TEXT: FILE holds TEXT, else fail showing FILE.
expect() { grep -qF -- "$3" "$2" || { cat "$2"; fail "$1: the message lacks '$3'"; }; }

# 1. A checkout whose library is not built: the build stops with what to do.
mkdir -p "$work/unbuilt/bindings" "$work/nolib"
cp -R "$top/bindings/go" "$work/unbuilt/bindings/go"
cp -R "$top/include" "$work/unbuilt/include"
cp "$work/app/main.go" "$work/nolib/main.go"
(cd "$work/nolib" && goenv sh -euc '
    go mod init example.com/nolib >/dev/null 2>&1
    go mod edit -replace=github.com/stytch-totp/stytch-totp/bindings/go="$1/unbuilt/bindings/go"
    go mod tidy >/dev/null 2>&1
    go build -o app .' sh "$work") > "$work/nolib.txt" 2>&1 && fail "a build without the library succeeded"
expect "unbuilt library" "$work/nolib.txt" "target/release/libstytch_totp.a is missing: run \`cargo build --release\`"

# 2. -tags stytch_pkgconfig with no stytch_totp.pc to find: pkg-config says so.
mkdir "$work/nopc"
(cd "$work/app" && goenv PKG_CONFIG_PATH="$work/nopc" PKG_CONFIG_LIBDIR="$work/nopc" \
    go build -tags stytch_pkgconfig -o app-pc .) > "$work/nopc.txt" 2>&1 && fail "a pkg-config build without stytch_totp.pc succeeded"
expect "no stytch_totp.pc" "$work/nopc.txt" "Package stytch_totp was not found in the pkg-config search path"

# 3. Linked against the shared library through pkg-config: runs while the
# library is where the loader looks, and names the library once it is not.
mkdir -p "$work/prefix/lib/pkgconfig"
cp "$top/target/release/libstytch_totp.so" "$work/prefix/lib/"
ln -s libstytch_totp.so "$work/prefix/lib/libstytch_totp.so.0"
cat > "$work/prefix/lib/pkgconfig/stytch_totp.pc" <<PC
Name: stytch_totp
Description: test copy
Version: 0
Libs: -L$work/prefix/lib -lstytch_totp
Cflags: -I$top/include
PC
(cd "$work/app" && goenv PKG_CONFIG_PATH="$work/prefix/lib/pkgconfig" \
    go build -tags stytch_pkgconfig -o app-shared .) > "$work/shared.txt" 2>&1 || { cat "$work/shared.txt"; fail "the pkg-config build failed"; }
readelf -d "$work/app/app-shared" | grep -q 'NEEDED.*libstytch_totp.so.0' || fail "the pkg-config build does not need libstytch_totp.so.0"
mkdir "$work/run-shared" # a database of its own: the program creates its user afresh
(cd "$work/run-shared" && LD_LIBRARY_PATH="$work/prefix/lib" ../app/app-shared) > "$work/shared-run.txt" 2>&1 \
    || { cat "$work/shared-run.txt"; fail "the shared build did not run"; }
expect "shared build" "$work/shared-run.txt" "signed in: user-test-"
rm "$work/prefix/lib/libstytch_totp.so" "$work/prefix/lib/libstytch_totp.so.0"
(cd "$work/run-shared" && LD_LIBRARY_PATH="$work/prefix/lib" ../app/app-shared) > "$work/missing.txt" 2>&1 && fail "ran without its shared library"
expect "missing shared library" "$work/missing.txt" "libstytch_totp.so.0: cannot open shared object file"
echo "missing library: the build names target/release/libstytch_totp.a and cargo build --release; pkg-config names stytch_totp; the loader names libstytch_totp.so.0"
