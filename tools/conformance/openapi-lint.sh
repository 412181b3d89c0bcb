#!/usr/bin/env bash
# Lints an OpenAPI document (JSON or YAML) with the pinned Redocly CLI and redocly.yaml beside
# this script (the `recommended` ruleset; see the file for what is turned off and why).
#
#   tools/conformance/openapi-lint.sh FILE [redocly lint options, e.g. --format=json]
#
# Install first: npm ci --prefix tools/conformance
# A JSON document is linted as an indented copy, so that the line:column of each problem points
# somewhere readable (Entente serves its document on one line). Exit status: redocly's (1 when an
# error-level rule fails; warnings alone exit 0), 2 on usage errors.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
redocly="$here/node_modules/.bin/redocly"

if [[ $# -lt 1 || "$1" == -* ]]; then
  echo "usage: $0 FILE [redocly lint options]" >&2
  exit 2
fi
input="$1"
shift
if [[ ! -r "$input" ]]; then
  echo "openapi-lint: cannot read $input" >&2
  exit 2
fi
if [[ ! -x "$redocly" ]]; then
  echo "openapi-lint: Redocly CLI is not installed: run npm ci --prefix tools/conformance" >&2
  exit 2
fi

# No telemetry, no update or announcement checks (they would reach beyond the npm registry).
export REDOCLY_TELEMETRY=off
export REDOCLY_SUPPRESS_UPDATE_NOTICE=true
export REDOCLY_SUPPRESS_NOTIFICATIONS=true

input="$(realpath "$input")"
target="$input"
case "$input" in
  *.json)
    workdir="$(mktemp -d)"
    trap 'rm -rf "$workdir"' EXIT
    target="$workdir/$(basename "$input")"
    node -e '
      const fs = require("fs");
      const [from, to] = process.argv.slice(1);
      const doc = JSON.parse(fs.readFileSync(from, "utf8"));
      fs.writeFileSync(to, JSON.stringify(doc, null, 2) + "\n");
    ' "$input" "$target"
    echo "openapi-lint: $input linted as an indented copy ($target); lines refer to that copy" >&2
    ;;
esac

# Run from a neutral directory so that no other redocly.yaml is picked up.
cd "$here"
set +e
"$redocly" lint --config "$here/redocly.yaml" "$@" "$target"
status=$?
set -e
exit "$status"
