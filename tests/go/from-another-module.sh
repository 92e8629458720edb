#!/bin/sh
# The Go binding used from another module exactly as bindings/go/README.md says
# ("From another module"): its shell lines, run in a fresh module outside the
# repository on the README's example program, with the module proxy off.
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
