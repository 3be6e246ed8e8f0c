#!/usr/bin/env bash
# `npm run bench`: builds what the benchmark needs (the wasm builds and the
# native bench binary), then runs every contender in one Node process.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash scripts/setup.sh
bash scripts/build.sh
if [[ ! -f build/native/CMakeCache.txt ]]; then
  cmake -S . -B build/native -DCMAKE_BUILD_TYPE=Release > /dev/null
fi
cmake --build build/native -j"$(nproc)" --target convolab_bench > /dev/null
node --expose-gc scripts/bench/index.js
