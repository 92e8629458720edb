#!/usr/bin/env bash
# Runs a command against a throwaway PostgreSQL cluster:
#
#   tests/pg/with-postgres.sh CMD [ARG...]
#
# The cluster lives in a temporary directory, listens on 127.0.0.1 (a free
# port) and on a Unix socket in that directory, trusts local connections, and
# is stopped and deleted when CMD ends, also when it fails or is interrupted.
# CMD gets:
#
#   STYTCH_TOTP_TEST_POSTGRES  the cluster's URL (superuser, database postgres)
#   STYTCH_TOTP_TEST_PG_CTL    a script that controls the cluster, for the tests
#                              that restart it or turn TLS on (see below)
#
# Debian's postgresql package is installed when initdb is missing (as root).
# As root the cluster runs as the postgres user (PostgreSQL refuses root).
#
# The cluster runs with fsync=off: a commit reaches the operating system before
# it is acknowledged, so it survives the death of any process, server included
# (what the tests check), but not of the machine. That is the durability of the
# SQLite store (WAL, synchronous=NORMAL). STYTCH_TOTP_PG_FSYNC=on changes it.
set -euo pipefail

if [ $# -eq 0 ]; then
    echo "usage: $0 CMD [ARG...]" >&2
    exit 2
fi

find_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
BIN=$(find_bin)
if [ -z "$BIN" ] || [ ! -x "$BIN/initdb" ]; then
    if [ "$(id -u)" != 0 ]; then
        echo "$0: PostgreSQL is not installed (apt-get install postgresql, as root)" >&2
        exit 1
    fi
    echo "$0: installing Debian's postgresql package" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    BIN=$(find_bin)
fi

if [ "$(id -u)" = 0 ]; then
    AS=(runuser -u postgres --)
else
    AS=()
fi

DIR=$(mktemp -d -t stytch-totp-pg.XXXXXX)
chmod 755 "$DIR"
[ "$(id -u)" = 0 ] && chown postgres:postgres "$DIR"
DATA="$DIR/data"

cleanup() {
    "${AS[@]}" "$BIN/pg_ctl" -D "$DATA" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$DIR"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

"${AS[@]}" "$BIN/initdb" -D "$DATA" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 \
    >"$DIR/initdb.log" 2>&1 || { cat "$DIR/initdb.log" >&2; exit 1; }
cat >>"$DATA/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
unix_socket_directories = '$DIR'
max_connections = 400
fsync = ${STYTCH_TOTP_PG_FSYNC:-off}
CONF

# A free port: try random ones until the server starts on one.
PORT=
for _ in $(seq 1 20); do
    candidate=$((20000 + RANDOM % 30000))
    if "${AS[@]}" "$BIN/pg_ctl" -D "$DATA" -l "$DIR/log" -w -t 60 \
        -o "-p $candidate" start >/dev/null 2>&1; then
        PORT=$candidate
        break
    fi
done
if [ -z "$PORT" ]; then
    echo "$0: the PostgreSQL server did not start:" >&2
    tail -n 20 "$DIR/log" >&2 || true
    exit 1
fi

# The control script: start | stop-fast | stop-immediate | restart-fast |
# restart-immediate | tls CERT_FILE KEY_FILE (serve TLS with that certificate;
# TCP connections may then use it, the Unix socket never does).
AS_PREFIX=$(printf '%q ' "${AS[@]}")
cat >"$DIR/ctl" <<CTL
#!/usr/bin/env bash
set -euo pipefail
pg_ctl() { ${AS_PREFIX}"$BIN/pg_ctl" -D "$DATA" -l "$DIR/log" -w -t 60 "\$@" >/dev/null; }
case "\${1:-}" in
    start) pg_ctl -o "-p $PORT" start ;;
    stop-fast) pg_ctl -m fast stop ;;
    stop-immediate) pg_ctl -m immediate stop ;;
    restart-fast) pg_ctl -m fast stop; pg_ctl -o "-p $PORT" start ;;
    restart-immediate) pg_ctl -m immediate stop; pg_ctl -o "-p $PORT" start ;;
    tls)
        install -m 600 "\$2" "$DIR/server.crt"
        install -m 600 "\$3" "$DIR/server.key"
        if [ "\$(id -u)" = 0 ]; then chown postgres:postgres "$DIR/server.crt" "$DIR/server.key"; fi
        printf "ssl = on\nssl_cert_file = '%s'\nssl_key_file = '%s'\n" \
            "$DIR/server.crt" "$DIR/server.key" >>"$DATA/postgresql.conf"
        pg_ctl reload
        sleep 1 ;;
    *) echo "usage: \$0 start|stop-fast|stop-immediate|restart-fast|restart-immediate|tls CERT KEY" >&2; exit 2 ;;
esac
CTL
chmod 755 "$DIR/ctl"

export STYTCH_TOTP_TEST_POSTGRES="postgresql://postgres@127.0.0.1:$PORT/postgres?sslmode=disable"
export STYTCH_TOTP_TEST_PG_CTL="$DIR/ctl"
echo "$0: PostgreSQL $("$BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT ($DIR)" >&2

status=0
"$@" || status=$?
exit "$status"
