#!/usr/bin/env bash
# Run pytest on SQLite and PostgreSQL. Uses $GAPTRACK_TEST_POSTGRES_URL when set; otherwise
# starts a throw-away server if Debian's PostgreSQL is installed. With
# GAPTRACK_REQUIRE_POSTGRES=1 (CI), a server that cannot be had fails the run.
set -uo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
pgdir=""
cleanup() { [ -n "$pgdir" ] && { tools/pgserver.sh stop "$pgdir"; rm -rf "$pgdir"; }; }
trap cleanup EXIT
if [ -z "${GAPTRACK_TEST_POSTGRES_URL:-}" ]; then
  if ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1; then
    pgdir=$(mktemp -d /tmp/gaptrack-pg.XXXXXX)
    # A free port, so a server a developer already runs is never disturbed.
    PGPORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    export PGPORT
    if url=$(tools/pgserver.sh start "$pgdir"); then
      export GAPTRACK_TEST_POSTGRES_URL="$url"
    else
      echo "run-tests: could not start PostgreSQL" >&2
      [ "${GAPTRACK_REQUIRE_POSTGRES:-0}" = 1 ] && exit 3
    fi
  elif [ "${GAPTRACK_REQUIRE_POSTGRES:-0}" = 1 ]; then
    echo "run-tests: PostgreSQL is required but not installed" >&2
    exit 3
  fi
fi
.venv/bin/python -m pytest "$@"
