#!/usr/bin/env bash
# Installs every Debian package Entente needs to build, test and run. Idempotent: packages
# already present are skipped, and apt is not touched when nothing is missing.
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake ninja-build pkg-config git python3
  clang clang-14 lld libclang-rt-14-dev clang-format clang-tidy
  # tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev
  # libraries
  libicu-dev libsodium-dev libssl-dev libsqlite3-dev libpq-dev
  nlohmann-json3-dev libsimdjson-dev libcli11-dev libspdlog-dev libfmt-dev
  # (not libphonenumber-dev: on Debian 12 it needs Boost 1.74's, which cannot sit beside 1.81;
  # match/phone.cc reads numbers with ITU's table of calling codes)
  # the HTTP server and client (Boost.Beast on Asio; header-only)
  libboost1.81-dev
  # servers started by .ci/run for integration tests
  postgresql
  # promtool, which checks the node's /metrics and the example alert rules in the tests
  prometheus
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "install-deps: installing ${missing[*]}" >&2
sudo_cmd=()
if [ "$(id -u)" != 0 ]; then sudo_cmd=(sudo); fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
