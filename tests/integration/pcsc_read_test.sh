#!/usr/bin/env bash
# Integration test over the real pcscd + vpcd + cccd-vcard (run by ctest):
# PACE-CAN and PACE-MRZ reads with CA, AA and PA passing; a wrong CAN refused in words;
# four cards in four readers read at the same time; a card pulled in the middle of DG2 and read again
# after re-insertion; a card that survives a restart of cccd-vcard from its image; a BAC-only card;
# a card with an altered data group failing PA by name; a clone without DG14 and DG15 refused; an RSA
# Active Authentication card.
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

# --- the card pulled in the middle of DG2, then placed again
"$root/scripts/vcard-harness.sh" order "$work" 1 "remove-during DG2"
set +e
out=$("$card_tool" read --reader "$first" --can "$(cat "$work/card1/can.txt")" 2>&1)
rc=$?
set -e
[ "$rc" -eq 5 ] || fail "a card pulled mid-DG2 gave exit code $rc: $out"
grep -qiF "removed" <<<"$out" || fail "no clear card-removed message: $out"
grep -qF "pulled in the middle of a command" "$work/vcard1.log" || fail "the card was not pulled during the read"
echo insert > "$work/card1.ctl"
for _ in $(seq 50); do
  out=$("$card_tool" read --reader "$first" --can "$(cat "$work/card1/can.txt")" --csca "$work/card1/csca.pem" 2>&1) && break
  sleep 0.2
done
grep -qF "Overall: PASS" <<<"$out" || fail "read after re-insertion failed: $out"
echo "ok: card pulled mid-DG2 gives a clear error; the read after re-insertion passes"

# --- the card survives a restart of its process: same image, same keys, same CSCA
"$root/scripts/vcard-harness.sh" card "$work" 1 "$work/card1"
grep -qF "card image $work/card1/card.img loaded" "$work/vcard1.log" || fail "card 1 was not loaded from its image"
out=$("$card_tool" read --reader "$first" --can "$(cat "$work/card1/can.txt")" --csca "$work/card1/csca.pem" 2>&1) \
  || fail "read after restart failed: $out"
grep -qF "Overall: PASS" <<<"$out" || fail "read after restart: $out"
echo "ok: the card comes back from its image after a restart"

second=$(sed -n 2p "$work/readers.txt")
third=$(sed -n 3p "$work/readers.txt")
fourth=$(sed -n 4p "$work/readers.txt")

# --- a card without PACE: BAC with the MRZ
"$root/scripts/vcard-harness.sh" card "$work" 2 "$work/bac" --no-pace
mapfile -t mrz < "$work/bac/mrz.txt"
out=$("$card_tool" read --reader "$second" --mrz "${mrz[@]}" --csca "$work/bac/csca.pem" 2>&1) || fail "BAC read failed: $out"
grep -qF "opened with BAC" <<<"$out" || fail "not BAC: $out"
grep -qF "Overall: PASS" <<<"$out" || fail "BAC read did not pass: $out"
echo "ok: BAC read of a card without EF.CardAccess"

# --- one data group altered after signing: PA fails and names it
"$root/scripts/vcard-harness.sh" card "$work" 3 "$work/tampered" --tamper 13
set +e
out=$("$card_tool" read --reader "$third" --can "$(cat "$work/tampered/can.txt")" --csca "$work/tampered/csca.pem" 2>&1)
rc=$?
set -e
[ "$rc" -eq 1 ] || fail "an altered DG13 gave exit code $rc: $out"
grep -qF "FAIL  DG13 hash" <<<"$out" || fail "the verdict does not name DG13: $out"
grep -qF "PASS  DG2 hash" <<<"$out" || fail "the other groups should still pass: $out"
echo "ok: an altered DG13 fails PA by name"

# --- a clone of card 1: its files and SOD copied, DG14 and DG15 left out (the private keys stay in the
#     chip), an EF.COM that does not list them. The SOD still lists both, so the read must fail.
"$root/scripts/vcard-harness.sh" card "$work" 3 "$work/clone" --clone-of "$work/card1/card.img"
set +e
out=$("$card_tool" read --reader "$third" --can "$(cat "$work/card1/can.txt")" --csca "$work/card1/csca.pem" \
      --crl "$work/card1/csca.crl" 2>&1)
rc=$?
set -e
[ "$rc" -eq 1 ] || fail "a clone without DG14 and DG15 gave exit code $rc: $out"
for check in "FAIL  Chip Authentication" "FAIL  Active Authentication" "PASS  SOD signature" "PASS  DG1 hash" \
             "Overall: FAIL"; do
  grep -qF "$check" <<<"$out" || fail "missing '$check' for the clone in: $out"
done
echo "ok: a clone that withholds DG14 and DG15 is refused (its copied SOD is genuine)"

# --- Active Authentication with an RSA-2048 key made on the chip
"$root/scripts/vcard-harness.sh" card "$work" 4 "$work/rsa" --aa rsa
out=$("$card_tool" read --reader "$fourth" --can "$(cat "$work/rsa/can.txt")" --csca "$work/rsa/csca.pem" 2>&1) \
  || fail "RSA card read failed: $out"
grep -qF "PASS  Active Authentication" <<<"$out" || fail "RSA AA did not pass: $out"
echo "ok: RSA Active Authentication"

# --- the link model: with --link contactless a read takes at least the modeled time; without, less
"$root/scripts/vcard-harness.sh" card "$work" 4 "$work/rsa" --link contactless --turnaround-ms 20
start_ns=$(date +%s%N)
json=$("$card_tool" read --reader "$fourth" --can "$(cat "$work/rsa/can.txt")" --json --stats 2>&1) \
  || fail "read over the emulated link failed: $json"
elapsed_ms=$(( ($(date +%s%N) - start_ns) / 1000000 ))
apdus=$(grep -o '"apdus": *[0-9]*' <<<"$json" | grep -o '[0-9]*$')
[ -n "$apdus" ] || fail "no APDU count in: $json"
# every APDU waits at least its 20 ms turnaround
[ "$elapsed_ms" -ge $(( apdus * 20 )) ] || fail "emulated link too fast: $elapsed_ms ms for $apdus APDUs"
echo "ok: emulated contactless link: $apdus APDUs took $elapsed_ms ms (at least $(( apdus * 20 )) ms)"
echo "1 passed, 0 failed"
