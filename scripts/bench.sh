#!/usr/bin/env bash
# Builds the release preset and prints every benchmark figure: codecs, string comparators,
# Latin/Arabic key agreement, matching quality on every data set, synthetic population speed,
# and screening a 1M-identity watchlist (index time, peak memory, records/s).
# Usage: scripts/bench.sh [PERSONS] [QUERIES]   (default 1000000 1000000)
set -euo pipefail
cd "$(dirname "$0")/.."
persons="${1:-1000000}"
queries="${2:-$persons}"
bash scripts/install-deps.sh
bash scripts/build.sh release >/dev/null
bin=build/release/bin
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "== string comparators (Jaro-Winkler target >= 50M pairs/s per core)"
"$bin/match_bench" --benchmark_min_time=0.5 2>/dev/null | grep -E "^BM_|items_per_second" || true
echo "== entity codecs"
"$bin/codec_bench" --benchmark_min_time=0.5 2>/dev/null | grep -E "^BM_" || true
echo "== bearer-token authentication (cached, re-checked past the TTL, Argon2id)"
"$bin/auth_bench" --benchmark_min_time=0.5 2>/dev/null | grep -E "^BM_" || true
echo "== Latin/Arabic-script name tokens (wd_arabic.tsv)"
"$bin/translit_eval"
echo "== matching quality"
"$bin/quality_report"
echo "== synthetic population: $persons persons, $queries queries"
/usr/bin/time -f "synth: %e s wall, %M KiB peak" "$bin/entente" synth --out "$work/pop" \
  --persons "$persons" --queries "$queries" --seed 1
echo "== screening $queries queries against $persons listed, all cores"
/usr/bin/time -f "screen: %e s wall, %M KiB peak" "$bin/entente" screen \
  --watchlist "$work/pop/watchlist.csv" --queries "$work/pop/queries.csv" --output "$work/result.csv"
"$bin/entente" eval --truth "$work/pop/truth.csv" --result "$work/result.csv" --queries "$work/pop/queries.csv"
echo "== the same on one thread, the first 100000 queries"
head -n 100001 "$work/pop/queries.csv" > "$work/queries_100k.csv"
/usr/bin/time -f "screen (1 thread): %e s wall, %M KiB peak" "$bin/entente" screen --threads 1 \
  --watchlist "$work/pop/watchlist.csv" --queries "$work/queries_100k.csv" --output "$work/result_1t.csv"
echo "== the node's store: 100,000 subjects imported, Get by id (SQLite and PostgreSQL)"
"$bin/store_bench" 2>/dev/null | grep -E "^BM_" || true
echo "== the node's API: 100,000 subjects, 64 clients screening one record per request"
for backend in sqlite postgres; do
  "$bin/api_load" --backend "$backend" --subjects 100000 --clients 64 --seconds 10
  "$bin/api_load" --backend "$backend" --subjects 100000 --clients 64 --seconds 10 --rate 10
done
echo "== a running node from outside (entente serve): 64 clients, slow clients, oversized bodies"
bash bench/node_load.sh 100000 10
bash bench/node_load.sh 100000 10 --tls
echo "== federation: BE -> FR over mutual TLS on loopback, durable outbox, signed receipts"
for backend in sqlite postgres; do
  "$bin/federation_bench" --backend "$backend" --messages 20000
  "$bin/federation_bench" --backend "$backend" --messages 10000 --rate 1000
done
echo "== federation soak: 10,000 messages through SIGKILLs, then a node down for 3 minutes"
ENTENTE_OUTAGE_SECONDS=180 "$bin/federation_reliability_test" | grep -E "messages sent|OK|FAILED"
echo "== privacy-preserving mode: Dice kernels, encoding, queries against 1M encoded identities"
"$bin/pprl_bench" --benchmark_min_time=0.5 2>/dev/null | grep -E "^BM_|^-|Benchmark" || true
echo "== hit/no-hit: one record against four partner indexes of 1M (through the store, the service)"
/usr/bin/time -f "hit/no-hit bench: %e s wall, %M KiB peak" "$bin/hit_no_hit_bench" --persons 1000000
echo "== hit/no-hit answered by the owner: checks of a 1M register over mutual TLS, and a batch of 10,000"
"$bin/owner_check_bench" --persons 1000000 --checks 2000 --batch 10000
