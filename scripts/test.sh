#!/usr/bin/env bash
# The test command: installs what is missing, then builds and runs every test three times —
#   1. build/test         : GCC Debug, warnings as errors, the whole test suite;
#   2. build/release-test : GCC Release, the configuration scripts/run.sh ships, the suite again;
#   3. build/asan         : clang, warnings as errors, AddressSanitizer + UndefinedBehaviorSanitizer,
#                           the suite again, then every libFuzzer target for a bounded time.
# Environment: CCCD_FUZZ_SECONDS (default 10) seconds per fuzzer; CCCD_JOBS parallel jobs.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

scripts/setup.sh

jobs=${CCCD_JOBS:-$(nproc)}
fuzz_seconds=${CCCD_FUZZ_SECONDS:-10}
start=$(date +%s)

step() { printf '\n=== %s (%ss)\n' "$1" "$(( $(date +%s) - start ))"; }

step "GCC build, warnings as errors"
cmake -S . -B build/test -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCCCD_WERROR=ON >/dev/null
cmake --build build/test -j "$jobs"
step "GCC test suite"
ctest --test-dir build/test -j "$jobs" --output-on-failure --timeout 300

step "GCC Release build (what scripts/run.sh ships)"
# The flags of scripts/run.sh, with the tests: warnings are already errors in the two other builds, and
# GCC 12 at -O3 reports false positives in libstdc++ code (-Wfree-nonheap-object, -Wrestrict).
cmake -S . -B build/release-test -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build/release-test -j "$jobs"
step "Release test suite"
ctest --test-dir build/release-test -j "$jobs" --output-on-failure --timeout 300

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
