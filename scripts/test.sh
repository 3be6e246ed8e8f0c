#!/usr/bin/env bash
# Every test layer: native Catch2 (ctest), the wasm module under Node, and
# the page in headless Chromium. Assumes scripts/build.sh ran.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== formatting (Prettier, clang-format)"
bash scripts/check-format.sh

echo "== native engine tests (Catch2 via ctest)"
if [[ ! -f build/native/CMakeCache.txt ]]; then
  cmake -S . -B build/native -DCMAKE_BUILD_TYPE=Release > /dev/null
fi
cmake --build build/native -j"$(nproc)"
ctest --test-dir build/native --output-on-failure -j"$(nproc)"

echo "== engine Catch2 suite and kernel tests compiled to wasm, under Node (ctest)"
ctest --test-dir build/wasm --output-on-failure -j"$(nproc)"

echo "== wasm module under Node"
node --test --test-reporter=spec tests/js/

echo "== page in headless Chromium"
node --test --test-reporter=spec --test-concurrency=1 tests/browser/
