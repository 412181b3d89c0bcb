#!/usr/bin/env bash
# The main job on the embedded default: installs what is missing, builds, writes a synthetic
# four-country population (BE, FR, ES, MA) and checks every file of it.
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
