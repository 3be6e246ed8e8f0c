#!/usr/bin/env bash
# Runs each libFuzzer target (tests/fuzz/, built in build/sanitize with
# clang++-14 -fsanitize=fuzzer,address,undefined) for a bounded time on seed
# corpora made from real models and specs (tests/fuzz/make-seeds.js), and
# fails on any crash, sanitizer report, leak or timeout. The corpus grows in
# build/fuzz/corpus/ from run to run; a crashing input is left in
# build/fuzz/crashes/ (add it as a regression test, tests/native/fuzz_regressions_test.cpp).
# Usage: bash scripts/fuzz.sh [seconds per target, default 25]
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-25}
node tests/fuzz/make-seeds.js build/fuzz/seeds
mkdir -p build/fuzz/crashes
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}

failed=0
for target in fuzz_model_load fuzz_spec; do
  corpus=build/fuzz/corpus/$target
  mkdir -p "$corpus"
  args=(-max_total_time="$seconds" -timeout=20 -rss_limit_mb=2560 -max_len=65536 -print_final_stats=1
    -artifact_prefix="build/fuzz/crashes/$target-")
  case $target in
    fuzz_model_load) seeds=build/fuzz/seeds/model ;;
    fuzz_spec)
      seeds=build/fuzz/seeds/spec
      args+=(-dict=build/fuzz/seeds/spec.dict)
      ;;
  esac
  log=build/fuzz/$target.log
  if build/sanitize/$target "${args[@]}" "$corpus" "$seeds" > "$log" 2>&1; then
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    echo "fuzz $target: $execs executions in ${seconds} s, $(find "$corpus" -type f | wc -l) corpus inputs, no crash"
  else
    failed=1
    echo "fuzz $target: FAILED (log: $log; crashing input in build/fuzz/crashes/)" >&2
    grep -E "ERROR|SUMMARY|runtime error|Test unit written|deadly signal" "$log" | head -20 >&2 || tail -40 "$log" >&2
  fi
done
exit $failed
