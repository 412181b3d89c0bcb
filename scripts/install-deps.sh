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
  # the browser the web console's tests drive (playwright-core, headless)
  chromium
)

# Node.js and npm for the conformance tools (tools/conformance: the official FollowTheMoney model,
# the OpenAPI linter). Machines of this project's kind carry Node.js 20; where there is none,
# Debian's is installed (18: enough for the FollowTheMoney check, too old for the linter, which
# then says so).
if ! command -v node >/dev/null 2>&1; then packages+=(nodejs npm); fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}" >&2
  sudo_cmd=()
  if [ "$(id -u)" != 0 ]; then sudo_cmd=(sudo); fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The npm packages, exactly as the committed lockfiles say (again only when one changed): the
# conformance tools, and the web console (its build and its browser tests).
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
for package in "$root/tools/conformance" "$root/console"; do
  if [ ! -f "$package/node_modules/.package-lock.json" ] ||
    [ "$package/package-lock.json" -nt "$package/node_modules/.package-lock.json" ]; then
    echo "install-deps: npm ci in ${package#"$root"/}" >&2
    npm ci --prefix "$package" --no-audit --no-fund --loglevel=error >/dev/null
  fi
done
