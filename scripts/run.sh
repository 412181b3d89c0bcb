#!/usr/bin/env bash
# The main job on the embedded default: installs what is missing, builds, writes a synthetic
# four-country population (BE, FR, ES, MA), checks every file of it, screens the partners'
# records against the watchlist and scores the screening against the truth.
# Usage: scripts/run.sh [OUT_DIR] [PERSONS]
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-out/population}"
persons="${2:-20000}"
bash scripts/install-deps.sh
bash scripts/build.sh release
bin=build/release/bin/entente
"$bin" synth --out "$out" --persons "$persons" --seed 1 --force
"$bin" validate "$out"/watchlist.csv "$out"/queries.csv "$out"/registers/*.csv
# Screen the partners' records against the watchlist and score the result against the truth.
"$bin" screen --watchlist "$out"/watchlist.csv --queries "$out"/queries.csv \
  --output "$out"/screening.csv
"$bin" eval --truth "$out"/truth.csv --result "$out"/screening.csv --queries "$out"/queries.csv
# A Belgian node on the embedded default (SQLite): created, its register imported, reviewed, its
# release radar read, and its audit log verified (the node's API: entente serve --dir "$node").
node="$out/node-be"
rm -rf "$node"
"$bin" node init --country BE --dir "$node"
why="main job: synthetic register loaded for a demonstration"
"$bin" import --dir "$node" "$out"/registers/BE.csv --justification "$why"
analyst=$("$bin" user add --dir "$node" --agency BE/intelligence --role supervisor \
  --tier consult_and_feed)
ENTENTE_TOKEN="$analyst" "$bin" radar --dir "$node" --days 90 --justification "$why" \
  > "$out"/radar.txt
head -n 15 "$out"/radar.txt
ENTENTE_TOKEN="$analyst" "$bin" review --dir "$node" --justification "$why" > "$out"/review.txt
head -n 5 "$out"/review.txt
"$bin" audit verify --dir "$node"
# The federation: four nodes (BE, FR, ES, MA) on localhost with synthetic registers, exchanging
# over mutual TLS, checked through their API. `entente demo` without --check keeps them serving
# and prints each node's API address and tokens (the four-country scenario: tests/e2e).
"$bin" demo --check
