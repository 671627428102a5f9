#!/usr/bin/env bash
# Integration test over the real pcscd + vpcd + cccd-vcard (run by ctest):
# PACE-CAN and PACE-MRZ reads with CA, AA and PA passing; a wrong CAN refused in words;
# four cards in four readers read at the same time.
# Usage: pcsc_read_test.sh CCCD_CARD CCCD_VCARD
set -euo pipefail
card_tool=$1
vcard=$2
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap '"$root/scripts/vcard-harness.sh" stop "$work"; rm -rf "$work"' EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }

"$root/scripts/vcard-harness.sh" start "$work" 4 "$vcard"
"$card_tool" readers > "$work/readers.txt"
[ "$(wc -l < "$work/readers.txt")" -eq 4 ] || fail "expected 4 readers, got: $(cat "$work/readers.txt")"
first=$(head -1 "$work/readers.txt")

out=$("$card_tool" read --reader "$first" --can "$(cat "$work/card1/can.txt")" --csca "$work/card1/csca.pem" \
      --crl "$work/card1/csca.crl" --stats 2>&1) || fail "PACE-CAN read failed: $out"
for check in "PASS  Chip Authentication" "PASS  Active Authentication" "PASS  SOD signature" "PASS  DG2 hash" \
             "PASS  DG13 hash" "Overall: PASS" "opened with PACE-CAN"; do
  grep -qF "$check" <<<"$out" || fail "missing '$check' in: $out"
done
echo "ok: PACE-CAN read with CA, AA and PA"

mapfile -t mrz < "$work/card1/mrz.txt"
out=$("$card_tool" read --reader "$first" --mrz "${mrz[@]}" --csca "$work/card1/csca.pem" 2>&1) || fail "MRZ read failed: $out"
grep -qF "opened with PACE-MRZ" <<<"$out" || fail "not PACE-MRZ: $out"
echo "ok: PACE-MRZ read"

wrong=000000
[ "$(cat "$work/card1/can.txt")" = 000000 ] && wrong=000001
set +e
out=$("$card_tool" read --reader "$first" --can "$wrong" 2>&1)
rc=$?
set -e
[ "$rc" -eq 1 ] || fail "a wrong CAN gave exit code $rc: $out"
grep -qF "the CAN is wrong" <<<"$out" || fail "no clear wrong-CAN message: $out"
echo "ok: wrong CAN refused"

pids=()
k=0
while IFS= read -r reader; do
  k=$((k + 1))
  "$card_tool" read --reader "$reader" --can "$(cat "$work/card$k/can.txt")" --csca "$work/card$k/csca.pem" \
    > "$work/parallel$k.out" 2>&1 &
  pids+=($!)
done < "$work/readers.txt"
for i in "${!pids[@]}"; do
  wait "${pids[$i]}" || fail "parallel read $((i + 1)) failed: $(cat "$work/parallel$((i + 1)).out")"
  grep -qF "Overall: PASS" "$work/parallel$((i + 1)).out" || fail "parallel read $((i + 1)): $(cat "$work/parallel$((i + 1)).out")"
done
echo "ok: four cards in four readers read at the same time"
echo "1 passed, 0 failed"
