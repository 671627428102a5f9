#!/usr/bin/env bash
# The station and the kiosk end to end over real processes (run by ctest): scripts/issue-and-authenticate.sh
# with a blank virtual card in the real pcscd. The enrollment made while the server is down waits in the
# queue and reaches the server exactly once; the card is issued and activated; the kiosk's assertion
# names the citizen; the audit log verifies.
# Usage: station_kiosk_test.sh BUILD_DIR
set -euo pipefail
build=$(realpath "$1")
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap '"$root/scripts/vcard-harness.sh" stop "$work/harness"; rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

mkdir "$work/harness" "$work/run"
"$root/scripts/vcard-harness.sh" start "$work/harness" 1 "$build/bin/cccd-vcard" >/dev/null
"$root/scripts/vcard-harness.sh" card "$work/harness" 1 "$work/harness/blank" --blank >/dev/null
reader=$("$build/bin/cccd-card" readers | sed -n 1p)
[ -n "$reader" ] || fail "no reader"

"$root/scripts/issue-and-authenticate.sh" "$build" "$work/run" "$reader" "$work/harness/blank/batch.keys" 300 \
  "$work/harness/card1.ctl" \
  > "$work/out.txt" 2>&1 || { cat "$work/out.txt"; fail "the main job failed"; }

grep -q "1 delivered, 0 refused, 0 waiting" "$work/out.txt" || { cat "$work/out.txt"; fail "the queued enrollment was not delivered"; }
grep -q "0 delivered, 0 refused, 0 waiting" "$work/out.txt" || { cat "$work/out.txt"; fail "a second round sent something again"; }
grep -q "^ISSUED: card 0000000000000001 (issued)" "$work/out.txt" || { cat "$work/out.txt"; fail "the card was not issued and activated"; }
grep -q "^Xác thực thành công" "$work/out.txt" || { cat "$work/out.txt"; fail "the kiosk did not authenticate the card"; }
grep -q "Họ và tên: NGUYỄN THỊ THU HÀ" "$work/out.txt" || fail "the kiosk did not show the holder's name"
grep -Eq "Ngày sinh: [0-9]{2}/[0-9]{2}/[0-9]{4}$" "$work/out.txt" || fail "the kiosk did not show the date of birth as dd/mm/yyyy"
grep -q "Thẻ đã bị nhấc ra" "$work/out.txt" || fail "a card lifted mid-read at the kiosk was not told in words"
grep -q "^OK" "$work/out.txt" || fail "the audit log did not verify"
echo "ok: queued while the server was down, delivered once, issued, activated, authenticated at the kiosk, lifted mid-read and placed again"
