#!/usr/bin/env bash
# Installs what is missing, builds the release preset and runs every test (ctest).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh release
# One PostgreSQL server for the whole run (tests that need one create their own database on it).
bash scripts/with-postgres.sh ctest --test-dir build/release --output-on-failure -j "$(nproc)" "$@"
