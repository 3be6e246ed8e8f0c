#!/usr/bin/env bash
# Every test layer: native Catch2 (ctest), the wasm module under Node, and
# the page in headless Chromium. Assumes scripts/build.sh ran.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== native engine tests (Catch2 via ctest)"
if [[ ! -f build/native/CMakeCache.txt ]]; then
  cmake -S . -B build/native -DCMAKE_BUILD_TYPE=Release > /dev/null
fi
cmake --build build/native -j"$(nproc)"
ctest --test-dir build/native --output-on-failure -j"$(nproc)"

echo "== kernel tests compiled to wasm (the SIMD128 kernels against the reference) under Node"
if ! kernel_log=$(node build/wasm/convolab_kernel_tests.cjs --use-colour no 2>&1); then
  echo "$kernel_log"
  exit 1
fi
echo "$kernel_log" | tail -n 2

echo "== engine Catch2 suite compiled to wasm, under Node (ctest)"
ctest --test-dir build/wasm --output-on-failure -j"$(nproc)"

echo "== wasm module under Node"
node --test --test-reporter=spec tests/js/

echo "== page in headless Chromium"
node --test --test-reporter=spec --test-concurrency=1 tests/browser/
