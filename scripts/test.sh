#!/usr/bin/env bash
# The test command: installs what is missing, then builds and runs every test twice —
#   1. build/test : GCC Release, the configuration scripts/run.sh ships, warnings as errors (but for
#                   GCC 12's optimizer false positives, cmake/CompilerFlags.cmake), the whole suite;
#   2. build/asan : clang, warnings as errors, AddressSanitizer + UndefinedBehaviorSanitizer,
#                   the suite again, then every libFuzzer target for a bounded time.
# (A third, Debug build added nothing these two do not test: the code has no assert(), and -O0 hides
# what the optimizer makes of undefined behaviour. It cost 12 minutes of the 50 this command may take.)
# Environment: CCCD_FUZZ_SECONDS (default 10) seconds per fuzzer; CCCD_JOBS parallel jobs.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

scripts/setup.sh

jobs=${CCCD_JOBS:-$(nproc)}
fuzz_seconds=${CCCD_FUZZ_SECONDS:-10}
start=$(date +%s)

step() { printf '\n=== %s (%ss)\n' "$1" "$(( $(date +%s) - start ))"; }

step "GCC Release build (what scripts/run.sh ships), warnings as errors"
cmake -S . -B build/test -G Ninja -DCMAKE_BUILD_TYPE=Release -DCCCD_WERROR=ON >/dev/null
cmake --build build/test -j "$jobs"
step "GCC Release test suite"
ctest --test-dir build/test -j "$jobs" --output-on-failure --timeout 300

step "clang build with ASan + UBSan and fuzz targets"
cmake -S . -B build/asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_COMPILER=clang++ -DCCCD_WERROR=ON -DCCCD_SANITIZE=ON -DCCCD_FUZZ=ON >/dev/null
cmake --build build/asan -j "$jobs"
step "sanitized test suite"
ASAN_OPTIONS=detect_leaks=1:strict_string_checks=1:detect_stack_use_after_return=1 \
LSAN_OPTIONS="suppressions=$PWD/tests/sanitizers/lsan.supp:print_suppressions=0" \
UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build/asan -j "$jobs" --output-on-failure --timeout 600

step "fuzzers, ${fuzz_seconds}s each"
scripts/fuzz.sh build/asan "$fuzz_seconds"

step "all tests passed"
