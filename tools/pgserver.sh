#!/usr/bin/env bash
# A throw-away PostgreSQL server for the test suite, from Debian's packages.
#   tools/pgserver.sh start DIR   -> prints the database URL on stdout
#   tools/pgserver.sh stop DIR
# The server runs as the `postgres` OS user (it refuses to run as root), trusts local
# connections, listens on 127.0.0.1 (port 54329 unless PGPORT is set) and a Unix socket in DIR.
set -euo pipefail
cmd=${1:?start|stop}; dir=${2:?data directory}
port=${PGPORT:-54329}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$bin" ] || { echo "pgserver: no PostgreSQL under /usr/lib/postgresql (apt-get install postgresql)" >&2; exit 3; }
as_pg() { if [ "$(id -u)" = 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi; }
case "$cmd" in
  start)
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$dir" && chmod 700 "$dir"
    if [ ! -f "$dir/data/PG_VERSION" ]; then
      as_pg "$bin/initdb" -D "$dir/data" --auth=trust -U postgres -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 3; }
    fi
    if ! as_pg "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
      as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
        start >/dev/null || { cat "$dir/server.log" >&2; exit 3; }
    fi
    as_pg "$bin/psql" -h "$dir" -p "$port" -U postgres -d postgres -tAc \
      "SELECT 1 FROM pg_database WHERE datname='gaptrack_test'" | grep -q 1 \
      || as_pg "$bin/psql" -h "$dir" -p "$port" -U postgres -d postgres -qc "CREATE DATABASE gaptrack_test" >/dev/null
    echo "postgresql+psycopg://postgres@127.0.0.1:$port/gaptrack_test"
    ;;
  stop)
    [ -f "$dir/data/PG_VERSION" ] && as_pg "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    ;;
  *) echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac
