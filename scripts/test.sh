#!/usr/bin/env bash
# Installs what is missing, builds the release preset and runs every test (ctest).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh release
ctest --test-dir build/release --output-on-failure -j "$(nproc)" "$@"
