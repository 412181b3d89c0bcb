#!/usr/bin/env bash
# The node under load from outside: a Belgian node with the register of a synthetic population,
# `entente serve` on loopback (plain HTTP, or HTTPS with --tls), and bench/node_load driving it:
# 64 clients screening only, then mixed (screen, read, create), then slow clients that never
# finish their header, then one oversized body. Prints one line of figures per run.
# Usage: bench/node_load.sh [PERSONS] [SECONDS] [--tls]    (defaults: 100000 persons, 10 s)
set -euo pipefail
cd "$(dirname "$0")/.."
persons="${1:-100000}"
seconds="${2:-10}"
tls="${3:-}"
bin=build/release/bin
entente="${ENTENTE_BIN:-$bin/entente}"  # another build of the program to compare, if given
work=$(mktemp -d /tmp/entente-node-load-XXXXXX)
serve_pid=""
cleanup() {
  if [ -n "$serve_pid" ]; then kill "$serve_pid" 2>/dev/null || true; wait "$serve_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

"$entente" synth --out "$work/pop" --persons "$persons" --seed 1 --force >/dev/null
"$entente" node init --country BE --dir "$work/be" >/dev/null
"$entente" import --dir "$work/be" "$work/pop/registers/BE.csv" \
  --justification "benchmark: synthetic register loaded" >/dev/null
"$entente" user add --dir "$work/be" --agency BE/police --role supervisor \
  --tier consult_and_feed --designation minors > "$work/analyst.token"
port=$((20000 + RANDOM % 20000))
if [ "$tls" = "--tls" ]; then
  "$entente" serve --dir "$work/be" --listen "127.0.0.1:$port" 2> "$work/serve.log" &
  ca=(--tls-ca "$work/be/tls/cert.pem")
else
  "$entente" serve --dir "$work/be" --listen "127.0.0.1:$port" --no-tls 2> "$work/serve.log" &
  ca=()
fi
serve_pid=$!
for _ in $(seq 1 600); do
  if grep -q "serving" "$work/serve.log" 2>/dev/null; then break; fi
  sleep 0.1
done
echo "node: $(grep serving "$work/serve.log")"
common=(--port "$port" --token-file "$work/analyst.token" --pid "$serve_pid" "${ca[@]}")
"$bin/node_load" "${common[@]}" --queries "$work/pop/queries.csv" \
  --register "$work/pop/registers/BE.csv" --mix screen --seconds "$seconds" || true
"$bin/node_load" "${common[@]}" --queries "$work/pop/queries.csv" \
  --register "$work/pop/registers/BE.csv" --mix mixed --seconds "$seconds" || true
if [ "$tls" != "--tls" ]; then
  # Raw bytes: the slow clients and the oversized bodies speak plain HTTP.
  "$bin/node_load" --port "$port" --slow 64 --seconds "$seconds" || true
  "$bin/node_load" --port "$port" --slow 200 --seconds "$seconds" || true
  "$bin/node_load" "${common[@]}" --big-body 15 || true
  "$bin/node_load" "${common[@]}" --big-body 64 || true
fi
if kill -0 "$serve_pid" 2>/dev/null; then echo "node still up"; else echo "node DIED"; fi
