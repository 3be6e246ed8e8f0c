#!/usr/bin/env bash
# One idempotent setup for `npm start` and `npm test`: installs only what is
# missing (Debian packages, then npm packages) and does nothing otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."

DEBIAN_PACKAGES=(emscripten catch2 chromium cmake g++ make wabt dataset-fashion-mnist clang-format)

missing=()
for pkg in "${DEBIAN_PACKAGES[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$pkg")
done

if ((${#missing[@]})); then
  cmd="apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
  if [[ $(id -u) -ne 0 ]]; then
    echo "convolab setup: missing Debian packages: ${missing[*]}" >&2
    echo "Run as root:  $cmd" >&2
    exit 1
  fi
  echo "convolab setup: installing ${missing[*]}"
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# npm ci only when node_modules is absent or older than the lockfile.
if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  echo "convolab setup: npm ci"
  npm ci --no-audit --no-fund
fi
