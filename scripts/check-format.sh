#!/usr/bin/env bash
# Fails when a tracked source file differs from what the formatters write:
# Prettier for JS/TS/CSS/HTML/JSON (.prettierrc.json), clang-format for C++
# (.clang-format). Fix with: bash scripts/check-format.sh --fix
set -euo pipefail
cd "$(dirname "$0")/.."

mapfile -t cpp < <(git ls-files '*.cpp' '*.h' '*.inc')
if [[ "${1:-}" == "--fix" ]]; then
  npx prettier --write --log-level warn .
  clang-format -i "${cpp[@]}"
  exit 0
fi
status=0
npx prettier --check --log-level warn . || status=1
clang-format --dry-run --Werror "${cpp[@]}" || status=1
if ((status)); then
  echo "format check: files above differ from the formatters' output; run: bash scripts/check-format.sh --fix" >&2
fi
exit $status
