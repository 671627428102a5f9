#!/usr/bin/env bash
# Runs every libFuzzer target of a fuzz build for a bounded time, from its seed corpus.
# Usage: scripts/fuzz.sh BUILD_DIR [SECONDS_PER_TARGET] [TARGET...]
# Findings (crash-*, leak-*, timeout-*) are written to BUILD_DIR/fuzz-findings/ and fail the run.
# For long runs see docs/fuzzing.md.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:?usage: scripts/fuzz.sh BUILD_DIR [SECONDS] [TARGET...]}
seconds=${2:-10}
shift $(( $# >= 2 ? 2 : 1 ))
build=$(cd "$build" && pwd)
corpus_root=$(pwd)/tests/fuzz/corpus

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for bin in "$build"/tests/fuzz/cccd_fuzz_*; do
    [ -x "$bin" ] && targets+=("$(basename "$bin" | sed 's/^cccd_fuzz_//')")
  done
fi
[ ${#targets[@]} -gt 0 ] || { echo "fuzz: no fuzz targets in $build (configure with -DCCCD_FUZZ=ON)" >&2; exit 1; }

findings=$build/fuzz-findings
mkdir -p "$findings"
passed=0
failed=0
for t in "${targets[@]}"; do
  bin=$build/tests/fuzz/cccd_fuzz_$t
  work=$(mktemp -d)   # new inputs go to a scratch corpus; the committed seeds stay as they are
  seeds=()
  [ -d "$corpus_root/$t" ] && seeds+=("$corpus_root/$t")
  if "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
       -artifact_prefix="$findings/$t-" "$work" "${seeds[@]}" >"$findings/$t.log" 2>&1; then
    runs=$(grep -m1 'stat::number_of_executed_units' "$findings/$t.log" | awk '{print $2}')
    echo "fuzz: $t ok (${runs:-?} runs in ${seconds}s)"
    passed=$((passed + 1))
  else
    echo "fuzz: $t FOUND A PROBLEM, log: $findings/$t.log" >&2
    tail -40 "$findings/$t.log" >&2
    failed=$((failed + 1))
  fi
  rm -rf "$work"
done
echo "fuzz: $passed targets clean, $failed with findings"
[ "$failed" -eq 0 ]
