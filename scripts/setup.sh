#!/usr/bin/env bash
# One idempotent setup for `npm start` and `npm test`: installs only what is
# missing (Debian packages, then npm packages) and does nothing otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."

# Node and npm are the one thing a fresh machine must bring (README); the
# oldest Node the suite is checked on is Debian bookworm's own 18.20.
if ! command -v node > /dev/null || ! command -v npm > /dev/null; then
  echo "convolab setup: Node.js and npm are needed first. On Debian, as root: apt-get install nodejs npm" >&2
  exit 1
fi
if ! node -e 'const [major, minor] = process.versions.node.split(".").map(Number);
  process.exit(major > 18 || (major === 18 && minor >= 20) ? 0 : 1)'; then
  echo "convolab setup: Node $(node --version) is too old; Convolab needs Node 18.20 or later (package.json engines)" >&2
  exit 1
fi

# clang-14 and libclang-rt-14-dev: the sanitizer build and the libFuzzer targets (scripts/test.sh)
DEBIAN_PACKAGES=(emscripten catch2 chromium cmake g++ make wabt dataset-fashion-mnist clang-format clang-14
  libclang-rt-14-dev)

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
