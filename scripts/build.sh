#!/usr/bin/env bash
# Builds what `npm start` and the tests need: converted datasets (data/) and
# the WebAssembly engine (dist/). Incremental: reruns only what changed.
set -euo pipefail
cd "$(dirname "$0")/.."

node scripts/build-data.js
node scripts/make-starter-set.js   # the page's My data starter sketches (seeded, data/starter-shapes.cldata)

# Emscripten 3.1.6 links with Node tools that live in Debian's node path.
export NODE_PATH=/usr/share/nodejs
if [[ ! -f build/wasm/CMakeCache.txt ]]; then
  emcmake cmake -S . -B build/wasm -DCMAKE_BUILD_TYPE=Release > /dev/null
fi
if ! cmake --build build/wasm -j"$(nproc)"; then
  # a failed link can leave a stale module behind; never serve one
  rm -f dist/convolab-core.*
  echo "convolab build: the WebAssembly build failed (see above)" >&2
  exit 1
fi

# The ONNX encoder (protobufjs inside) that exportOnnx loads: dist/onnx-encoder.js.
node scripts/build-onnx-encoder.js

# The page: bundled with esbuild into web/build/ (served at /build/).
node scripts/build-web.js

# The pre-trained digit model the page classifies with before any training
# (data/pretrained-mnist.clmodel); retrained only when missing or outdated.
node scripts/pretrain.js
