#!/bin/sh
# The shared library exports exactly the functions the header declares: every
# declared function is exported, and nothing else is.
#
# Usage: check-exports.sh <libstytch_totp.so|.dylib|stytch_totp.dll> <stytch_totp.h>
# (CC: the C compiler; OBJDUMP: an objdump that reads the DLL, for a .dll)
# The symbol lists are split into words on purpose.
# shellcheck disable=SC2086,SC2046
set -eu
lib=${1:?usage: check-exports.sh LIBRARY HEADER}
header=${2:?usage: check-exports.sh LIBRARY HEADER}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Declared: every `stytch_name(` left after preprocessing (comments gone).
${CC:-cc} -E -P -x c "$header" | grep -o 'stytch_[A-Za-z0-9_]*[[:space:]]*(' | sed 's/[[:space:]]*($//' \
    | sort -u > "$tmp/declared"

# Exported: the dynamic symbol table's defined symbols (a DLL's export table).
case $lib in
    *.dll) ${OBJDUMP:-objdump} -p "$lib" | sed -n '/^\[Ordinal\/Name Pointer\] Table/,/^$/p' \
        | sed -n 's/^[[:space:]]\{1,\}\[.*\][[:space:]]\{1,\}\([A-Za-z_][A-Za-z0-9_]*\)$/\1/p' ;;
    *) case $(uname -s) in
        Darwin) nm -gU "$lib" | awk '{print $NF}' | sed 's/^_//' ;;
        *) nm -D --defined-only "$lib" | awk '{print $NF}' | sed 's/@.*//' ;;
    esac ;;
esac | sort -u > "$tmp/exported"

status=0
missing=$(comm -23 "$tmp/declared" "$tmp/exported")
extra=$(comm -13 "$tmp/declared" "$tmp/exported")
if [ -n "$missing" ]; then
    echo "declared in $header but not exported by $lib:" >&2
    printf '  %s\n' $missing >&2
    status=1
fi
if [ -n "$extra" ]; then
    echo "exported by $lib but not declared in $header:" >&2
    printf '  %s\n' $extra >&2
    status=1
fi
[ "$(wc -l < "$tmp/declared")" -gt 0 ] || { echo "no functions found in $header" >&2; status=1; }
[ $status -ne 0 ] || echo "exports: the $(wc -l < "$tmp/exported" | tr -d ' ') functions of the header, nothing else"
exit $status
