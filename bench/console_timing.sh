#!/usr/bin/env bash
# The console against a large register (issue 21's targets: the first page within 1 s, a search
# within 200 ms at p99 — the API's own figure is api_load --search names). Builds a node with
# --persons synthetic subjects in a temporary directory, serves it with the built console and
# runs bench/console_timing.mjs.
#
#   bash bench/console_timing.sh [--persons 100000] [--runs 20]   (after scripts/build.sh release)
set -euo pipefail
cd "$(dirname "$0")/.."
persons=100000
runs=20
while [ $# -gt 0 ]; do
  case "$1" in
    --persons) persons="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
bin=build/release/bin/entente
dir=$(mktemp -d)
trap 'kill "${serve:-0}" 2>/dev/null || true; rm -rf "$dir"' EXIT
"$bin" synth --out "$dir/pop" --persons "$persons" --queries 200 --seed 5 >/dev/null
"$bin" node init --country BE --dir "$dir/be" >/dev/null
token=$("$bin" user add --dir "$dir/be" --agency BE/police --role analyst)
start=$(date +%s%N)
"$bin" import --dir "$dir/be" "$dir/pop/registers/BE.csv" \
  --justification 'loading a synthetic register to time the console' >/dev/null
echo "imported $(($(wc -l < "$dir/pop/registers/BE.csv") - 1)) subjects in $((($(date +%s%N) - start) / 1000000)) ms"
# The queries' names: other spellings of listed people (and people who are not listed).
python3 - "$dir/pop" > "$dir/names.txt" <<'PY'
import csv, glob, sys
for path in glob.glob(sys.argv[1] + "/queries*.csv"):
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            name = row.get("name") or " ".join(filter(None, [row.get("firstName"), row.get("lastName")]))
            if name:
                print(name.split(";")[0])
PY
"$bin" serve --dir "$dir/be" --listen 127.0.0.1:0 --federation-listen 127.0.0.1:0 \
  --console-dir build/release/console-dist > "$dir/serve.log" 2>&1 &
serve=$!
port=""
for _ in $(seq 1 600); do
  port=$(grep -oE 'serving https?://[^ ]+:[0-9]+' "$dir/serve.log" | head -1 | grep -oE '[0-9]+$' || true)
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || { cat "$dir/serve.log"; exit 1; }
node bench/console_timing.mjs --url "https://localhost:$port" --token "$token" \
  --names "$dir/names.txt" --runs "$runs"
