#!/bin/sh
# The C walk-through (examples/c/demo.c) frees everything on every path: run
# once to the end and once failing at each library call it makes (injected by
# fail_injection.c), each under valgrind memcheck with leaks as errors.
#
# Environment (set by mk/c.mk): CC BUILD LIBDIR CFLAGS_STRICT.
# shellcheck disable=SC2086
set -eu

: "${CC:?}" "${BUILD:?}" "${LIBDIR:?}" "${CFLAGS_STRICT:?}"
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
work=$BUILD/demo-failures
rm -rf "$work"
mkdir -p "$work"

# The calls to fail: every function fail_injection.c wraps.
functions=$(sed -n -e 's/^.* \*__wrap_\(stytch_[a-z_]*\)(.*/\1/p' \
    -e 's/^WRAP_USER_CALL([^,]*, *\(stytch_[a-z_]*\),.*/\1/p' "$here/fail_injection.c")
wraps=$(for f in $functions; do printf ' -Wl,--wrap=%s' "$f"; done)
$CC $CFLAGS_STRICT -g "$top/examples/c/demo.c" "$here/fail_injection.c" $wraps \
    -L"$LIBDIR" -Wl,-rpath,"$LIBDIR" -lstytch_totp -o "$work/demo"

# $1: the call to fail ("" for none); $2: the exit status the demo must give.
run() {
    dir=$work/run-${1:-none}
    mkdir -p "$dir"
    set +e
    (cd "$dir" && STYTCH_DEMO_FAIL=$1 valgrind --quiet --leak-check=full --show-leak-kinds=all \
        --errors-for-leak-kinds=all --error-exitcode=99 "$work/demo" > out.txt 2> err.txt)
    status=$?
    set -e
    if [ "$status" -ne "$2" ]; then
        cat "$dir/err.txt" >&2
        echo "FAIL: demo with STYTCH_DEMO_FAIL='$1' exited $status, expected $2 (99: valgrind errors)" >&2
        exit 1
    fi
}

run "" 0
grep -q '^done: ' "$work/run-none/out.txt" || { echo "FAIL: the demo did not finish" >&2; exit 1; }
count=0
for f in $functions; do
    run "$f" 1
    grep -q 'failed' "$work/run-$f/err.txt" || { echo "FAIL: no error message when $f fails" >&2; exit 1; }
    echo "demo: $f fails: reported, exit 1, nothing leaked"
    count=$((count + 1))
done
[ "$count" -ge 7 ] || { echo "FAIL: only $count failure paths injected" >&2; exit 1; }
echo "demo: the full run and $count failure paths, no leak and no memory error under valgrind"
