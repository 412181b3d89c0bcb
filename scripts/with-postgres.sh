#!/usr/bin/env bash
# Runs a command beside one throwaway PostgreSQL server (Debian's package: initdb and pg_ctl from
# the newest /usr/lib/postgresql/*/bin) in a temporary directory on a loopback port, with
# ENTENTE_TEST_POSTGRES_URL naming it: the tests then create their databases there instead of
# starting a server per test process. The server and its directory go when the command ends.
# As root, the server runs as the `postgres` system user (it refuses to run as root).
# Usage: scripts/with-postgres.sh COMMAND [ARGS...]
set -euo pipefail
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [[ -z "$bin" || ! -x "$bin/initdb" ]]; then
  echo "with-postgres: PostgreSQL server binaries not found: run scripts/install-deps.sh" >&2
  exit 1
fi
dir=$(mktemp -d /tmp/entente-pg-XXXXXX)
as_pg() {
  if [[ "$(id -u)" == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}
[[ "$(id -u)" == 0 ]] && chown postgres: "$dir"
stop() {
  as_pg "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap stop EXIT
as_pg "$bin/initdb" -D "$dir/data" -U postgres --auth=trust >"$dir/initdb.log" 2>&1 ||
  { cat "$dir/initdb.log" >&2; exit 1; }
started=
for _ in 1 2 3 4 5 6 7 8; do
  port=$((20000 + RANDOM % 40000))
  if as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
      -o "-h 127.0.0.1 -p $port -k $dir -c max_connections=400 -c fsync=off \
          -c synchronous_commit=off -c full_page_writes=off" start >/dev/null 2>&1; then
    started=1
    break
  fi
done
if [[ -z "$started" ]]; then
  echo "with-postgres: the server did not start:" >&2
  tail -n 20 "$dir/server.log" >&2 || true
  exit 1
fi
export ENTENTE_TEST_POSTGRES_URL="postgresql://postgres@127.0.0.1:$port/postgres"
echo "with-postgres: PostgreSQL on 127.0.0.1:$port for: $*" >&2
status=0
"$@" || status=$?
exit "$status"
