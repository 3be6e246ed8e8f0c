#!/usr/bin/env bash
# Every test layer: formatting, native Catch2 (ctest), the Catch2 suite
# compiled to wasm (ctest), the wasm module under Node, and the page in
# headless Chromium. Assumes scripts/build.sh ran. Works on Node 18, 20, 22.
#
# Every layer runs even when an earlier one failed, so one broken layer never
# hides the others. The summary at the end gives each layer's result, counts
# and wall time, names the failed layers, and the exit status is non-zero if
# any failed. To add a layer:   layer "<name>" <command...>
set -uo pipefail
cd "$(dirname "$0")/.."

logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
summary=()
failed=()
all_pass=0
all_fail=0

# Pass and fail counts from a layer's log, summed over every ctest or
# `node --test` run in it; empty for a layer whose tools print no counts.
# ctest closes with "100% tests passed, 0 tests failed out of 82"; node's test
# runner with "ℹ pass 40" / "ℹ fail 1" (spec reporter) or "# pass 40" (TAP).
layer_counts() {
  local line pass=0 fail=0 seen=0
  while IFS= read -r line; do
    if [[ $line =~ tests\ passed,\ ([0-9]+)\ tests?\ failed\ out\ of\ ([0-9]+) ]]; then
      fail=$((fail + BASH_REMATCH[1]))
      pass=$((pass + BASH_REMATCH[2] - BASH_REMATCH[1]))
      seen=1
    elif [[ $line =~ ^(ℹ|#)\ (pass|fail)\ ([0-9]+)$ ]]; then
      if [[ ${BASH_REMATCH[2]} == pass ]]; then
        pass=$((pass + BASH_REMATCH[3]))
      else
        fail=$((fail + BASH_REMATCH[3]))
      fi
      seen=1
    fi
  done < "$1"
  ((seen)) && echo "$pass $fail"
}

# layer <name> <command...>: runs one layer, records its result and counts,
# and always returns 0 so the next layer runs.
layer() {
  local name=$1
  shift
  local log="$logs/${#summary[@]}.log" start=$SECONDS status counts pass fail
  echo
  echo "== $name"
  if "$@" 2>&1 | tee "$log"; then status=ok; else status=FAILED; fi
  counts=$(layer_counts "$log")
  if [[ -n $counts ]]; then
    read -r pass fail <<< "$counts"
    all_pass=$((all_pass + pass))
    all_fail=$((all_fail + fail))
    counts="$pass passed, $fail failed"
    # a layer that ran no test proves nothing
    ((pass + fail)) || status=FAILED
  else
    counts="no counts"
  fi
  summary+=("$(printf '%-7s %-36s %-22s %5ss' "$status" "$name" "$counts" $((SECONDS - start)))")
  [[ $status == ok ]] || failed+=("$name")
  return 0
}

native_ctest() {
  if [[ ! -f build/native/CMakeCache.txt ]]; then
    cmake -S . -B build/native -DCMAKE_BUILD_TYPE=Release > /dev/null || return
  fi
  cmake --build build/native -j"$(nproc)" || return
  ctest --test-dir build/native --output-on-failure --no-tests=error -j"$(nproc)"
}

# The engine and its Catch2 suite under AddressSanitizer + UBSan, built once
# with clang++-14 in build/sanitize (incremental; -O1 keeps the x86 kernels'
# compile time sane), which also links the libFuzzer targets. The 5-epoch MNIST
# run stays in the release layer: minutes under ASan, no path the others miss.
sanitized_ctest() {
  if [[ ! -f build/sanitize/CMakeCache.txt ]]; then
    CXX=clang++-14 cmake -S . -B build/sanitize -DCONVOLAB_SANITIZE=ON -DCMAKE_BUILD_TYPE=Release \
      -DCMAKE_CXX_FLAGS_RELEASE="-O1 -DNDEBUG" > /dev/null || return
  fi
  cmake --build build/sanitize -j"$(nproc)" --target convolab_tests fuzz_model_load fuzz_spec || return
  ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    ctest --test-dir build/sanitize --output-on-failure --no-tests=error -j"$(nproc)" -E "learns MNIST"
}

# The test files under a folder. Node 22 takes its arguments as files or
# globs and reads a folder as a missing module; Node 18 and 20 search it.
test_files() {
  find "$1" -type f \( -name '*.test.js' -o -name '*.test.mjs' -o -name '*.test.cjs' \) | sort
}
mapfile -t node_tests < <(test_files tests/js)
mapfile -t browser_tests < <(test_files tests/browser)

echo "convolab tests on Node $(node --version)"

layer "formatting (Prettier, clang-format)" bash scripts/check-format.sh
layer "native engine (Catch2 via ctest)" native_ctest
layer "native engine under ASan + UBSan (ctest)" sanitized_ctest
layer "fuzzing: .clmodel loader, spec parser (libFuzzer, 2 x 25 s)" bash scripts/fuzz.sh 25
layer "engine compiled to wasm (ctest)" ctest --test-dir build/wasm --output-on-failure --no-tests=error -j"$(nproc)"
layer "wasm module under Node (tests/js)" node --test --test-reporter=spec "${node_tests[@]}"
# one file at a time: each launches its own Chromium and server
layer "page in Chromium (tests/browser)" node --test --test-reporter=spec --test-concurrency=1 "${browser_tests[@]}"

echo
echo "== summary (Node $(node --version))"
printf '%s\n' "${summary[@]}"
if ((${#failed[@]})); then
  echo "failed layers: $(printf '%s; ' "${failed[@]}" | sed 's/; $//')"
fi
echo "tests: $all_pass passed, $all_fail failed"
((${#failed[@]} == 0))
