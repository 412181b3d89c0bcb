#!/usr/bin/env bash
# clang-format (no change allowed) and clang-tidy (.clang-tidy) over src/, apps/, bench/, fuzz/.
# Needs build/release/compile_commands.json (scripts/build.sh release).
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(git ls-files 'src/*.cc' 'src/*.h' 'apps/*.cc' 'bench/*.cc' 'fuzz/*.cc' 'tests/*.cc')
echo "lint: clang-format on ${#files[@]} files"
clang-format --dry-run --Werror "${files[@]}"
mapfile -t sources < <(git ls-files 'src/*.cc' 'apps/*.cc' | grep -v '_test\.cc$')
echo "lint: clang-tidy on ${#sources[@]} files"
jobs="${ENTENTE_JOBS:-$(nproc)}"
printf '%s\n' "${sources[@]}" |
  xargs -P "$jobs" -n 4 clang-tidy -p build/release --quiet 2>/dev/null
echo "lint: clean"
