#!/usr/bin/env bash
# GUI test (run by ctest): the real cccd-station and cccd-kiosk binaries in a real X server (Xvfb, started
# and stopped by PID here), over the real cccd-server and pcscd with a blank virtual card. The station's
# window is driven by real input events (tests/gui/station_enroll_issue.json: login, the enrollment form
# with the photo, the queue, personalization with its checks, the card face PDF, diagnostics; then an
# identity change that waits for a supervisor, who approves it in the Phê duyệt tab); then the kiosk's
# window authenticates the card the station issued (tests/gui/kiosk_tap.json), and in English (--lang en)
# says a wrong CAN, a success (tests/gui/kiosk_english.json) and, with another card in the reader, a card
# the server does not know (tests/gui/kiosk_english_unknown_card.json) in English words. Then the
# headless approvals (list, approve, reject, who may decide); last, the station's card check refuses a clone
# of the card it issued (tests/gui/station_check_clone.json). Screenshots go to SCREENSHOT_DIR and are
# kept with the test results.
# Usage: station_kiosk_gui_test.sh BUILD_DIR SCREENSHOT_DIR
set -euo pipefail
build=$(realpath "$1")
shots=$(mkdir -p "$2" && realpath "$2")
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
fail() { echo "FAIL: $*" >&2; exit 1; }
rm -f "$shots"/[0-9]*.png "$shots"/failure.png  # the offscreen tests' card-face-* and enroll-* stay

# shellcheck source=lib.sh
. "$root/tests/gui/lib.sh"
cleanup() {
  stop_server
  stop_xvfb
  "$root/scripts/vcard-harness.sh" stop "$tmp/harness"
  rm -rf "$tmp"
}
start_xvfb "$tmp"
# Under AddressSanitizer (the clang test build): libxkbcommon-x11 strndup()s an X reply that is not
# NUL-terminated, which strict_string_checks reports although strndup stops at its length. The GUI
# processes run without that one check; every other test keeps it.
[ -n "${ASAN_OPTIONS:-}" ] && export ASAN_OPTIONS="$ASAN_OPTIONS:strict_string_checks=0"

mkdir "$tmp/harness" "$tmp/run"
"$root/scripts/vcard-harness.sh" start "$tmp/harness" 1 "$build/bin/cccd-vcard" >/dev/null
"$root/scripts/vcard-harness.sh" card "$tmp/harness" 1 "$tmp/harness/blank" --blank >/dev/null
reader=$("$build/bin/cccd-card" readers | sed -n 1p)
[ -n "$reader" ] || fail "no reader"

work="$tmp/run"  # the system's files (scripts/lib/system.sh)
# shellcheck source=../../scripts/lib/system.sh
. "$root/scripts/lib/system.sh"
trap cleanup EXIT
system_setup 200 > "$tmp/setup.log" 2>&1 || { cat "$tmp/setup.log"; fail "the system setup failed"; }
# A supervisor, the second person for identity changes (same demo password).
"$server" admin officer add --config server.json --id lanhdao01 --name "Trần Văn Bình" --role supervisor >> "$tmp/setup.log" 2>&1 ||
  { cat "$tmp/setup.log"; fail "the supervisor could not be added"; }
start_server > /dev/null

# The citizen's new photo for the identity change: tests/data/face_other.jpg (face.jpg mirrored and
# lighter, so that it differs from the photo the register took with the first card; it passes the
# station's photo checks).
script="$tmp/station-script.json"
# The desk camera has saved the citizen's picture in its folder (station.json's photo_inbox).
cp "$root/tests/data/face.jpg" "$work/camera/IMG_0001.jpg"
sed -e "s|@INBOX@|$work/camera|" -e "s|@READER@|$reader|" -e "s|@CARD_FACES@|$work/card-faces|" \
    -e "s|@NEW_FACE@|$root/tests/data/face_other.jpg|" \
    "$root/tests/gui/station_enroll_issue.json" > "$script"
# The blank card's batch manifest, imported once per batch: the officer types no key and no path.
"$station" --headless import-transport-keys --config "$work/station.json" "$tmp/harness/blank/batch.keys" ||
  fail "the blank card's batch manifest was not imported"
"$station" --config "$work/station.json" --ui-script "$script" --screenshots "$shots" > "$tmp/station.log" 2>&1 ||
  { cat "$tmp/station.log"; fail "the station's GUI run failed (screenshots in $shots)"; }
echo "ok: station window: login, enrollment, queue, personalization with every check, card face PDF, diagnostics,"
echo "    an identity change approved by a supervisor in the Phê duyệt tab"
head -c 5 "$work/card-faces/the-0000000000000001.pdf" | grep -q "%PDF" || fail "the card face is not a PDF"
cp "$work/card-faces/the-0000000000000001.pdf" "$shots/card-face.pdf"

"$kiosk" --config "$work/kiosk.json" --ui-script "$root/tests/gui/kiosk_tap.json" --screenshots "$shots" > "$tmp/kiosk.log" 2>&1 ||
  { cat "$tmp/kiosk.log"; fail "the kiosk's GUI run failed (screenshots in $shots)"; }
echo "ok: kiosk window authenticated the card the station issued"
"$kiosk" --config "$work/kiosk.json" --lang en --ui-script "$root/tests/gui/kiosk_english.json" --screenshots "$shots" \
  > "$tmp/kiosk-en.log" 2>&1 || { cat "$tmp/kiosk-en.log"; fail "the kiosk in English"; }
echo "ok: the kiosk in English (--lang en): a wrong CAN, then the card authenticated"
# The headless approvals: an enrollment officer has no approval queue; the submitter cannot decide; the
# decision is made once, and the same decision sent again gets the same answer.
decide() {  # expected-exit-code output-file station-arguments...
  local expected=$1 out=$2; shift 2
  set +e
  "$station" --headless "$@" --config "$work/station.json" > "$out" 2> "$out.err"
  local code=$?
  set -e
  [ "$code" -eq "$expected" ] || { cat "$out" "$out.err"; fail "cccd-station --headless $* exited $code, not $expected"; }
}
sed 's/"NGUYỄN THỊ THU HÀ"/"NGUYỄN THU HÀ"/' "$root/tests/data/record_example.json" > "$tmp/renamed.json"
decide 0 "$tmp/enroll.out" enroll --officer canbo01 --record "$tmp/renamed.json" --photo "$root/tests/data/face.jpg"
grep -q "awaiting a supervisor's approval of full_name, photo" "$tmp/enroll.out.err" || { cat "$tmp/enroll.out.err"; fail "no approval awaited"; }
decide 1 "$tmp/officer.out" approvals --officer canbo01
grep -q "forbidden_role: Chỉ lãnh đạo hoặc quản trị viên" "$tmp/officer.out.err" || { cat "$tmp/officer.out.err"; fail "officer listed approvals"; }
decide 0 "$tmp/approvals.out" approvals --officer lanhdao01 --photos "$tmp"
enrollment=$(sed -n 's/^\(E[0-9a-f]\{16\}\)  001199034567  by canbo01 .*changes: full_name, photo$/\1/p' "$tmp/approvals.out" | tail -1)
own=$(sed -n 's/^\(E[0-9a-f]\{16\}\) .* by lanhdao01 .*(your own: another supervisor must decide)$/\1/p' "$tmp/approvals.out")
[ -n "$enrollment" ] && [ -n "$own" ] || { cat "$tmp/approvals.out"; fail "the approvals list"; }
grep -q "full_name: NGUYỄN THỊ THU HÀ  ->  NGUYỄN THU HÀ" "$tmp/approvals.out" || { cat "$tmp/approvals.out"; fail "no register value beside the submitted one"; }
[ -s "$tmp/$enrollment-registered.jpg" ] && [ -s "$tmp/$enrollment-submitted.jpg" ] || fail "the photos were not written"
decide 1 "$tmp/own.out" approve --officer lanhdao01 --enrollment "$own"
grep -q "second_person_required: Cán bộ đã gửi hồ sơ không được tự phê duyệt" "$tmp/own.out.err" || { cat "$tmp/own.out.err"; fail "own approval"; }
decide 1 "$tmp/by-officer.out" approve --officer canbo01 --enrollment "$enrollment"
decide 0 "$tmp/reject.out" reject --officer lanhdao01 --enrollment "$enrollment" --reason "Giấy khai sinh không khớp"
grep -q "^REJECTED: enrollment $enrollment, card [0-9]* (rejected)" "$tmp/reject.out" || { cat "$tmp/reject.out"; fail "reject"; }
decide 0 "$tmp/reject-again.out" reject --officer lanhdao01 --enrollment "$enrollment" --reason "Giấy khai sinh không khớp"
cmp -s "$tmp/reject.out" "$tmp/reject-again.out" || fail "the same decision sent again got another answer"
decide 1 "$tmp/late.out" approve --officer lanhdao01 --enrollment "$enrollment"
grep -q "conflict: Hồ sơ này không còn chờ phê duyệt" "$tmp/late.out.err" || { cat "$tmp/late.out.err"; fail "late approval"; }
echo "ok: headless approvals: list with both values and photos, reject, the same decision replayed, who may not decide"

# A card the server never issued (an example card of another CSCA) in the reader: refused, in English.
"$root/scripts/vcard-harness.sh" card "$tmp/harness" 1 "$tmp/harness/stranger" >/dev/null
can=$(tr -dc 0-9 < "$tmp/harness/stranger/can.txt")
[ "${#can}" -eq 6 ] || fail "the example card's CAN"
sed -e "s/@C1@/${can:0:1}/" -e "s/@C2@/${can:1:1}/" -e "s/@C3@/${can:2:1}/" -e "s/@C4@/${can:3:1}/" -e "s/@C5@/${can:4:1}/" \
    -e "s/@C6@/${can:5:1}/" "$root/tests/gui/kiosk_english_unknown_card.json" > "$tmp/kiosk-unknown.json"
"$kiosk" --config "$work/kiosk.json" --lang en --ui-script "$tmp/kiosk-unknown.json" --screenshots "$shots" \
  > "$tmp/kiosk-unknown.log" 2>&1 || { cat "$tmp/kiosk-unknown.log"; fail "the kiosk in English with an unknown card"; }
echo "ok: the kiosk in English: a card the server does not know is refused in words"

# A clone of the card the station issued (its files and SOD copied; DG14 and DG15, whose private keys stay
# in the chip, left out and unlisted in EF.COM): the station's card check refuses it.
"$root/scripts/vcard-harness.sh" card "$tmp/harness" 1 "$tmp/harness/clone" --clone-of "$tmp/harness/blank/card.img" >/dev/null
sed -e "s|@READER@|$reader|" "$root/tests/gui/station_check_clone.json" > "$tmp/check-clone.json"
"$station" --config "$work/station.json" --ui-script "$tmp/check-clone.json" --screenshots "$shots" > "$tmp/station-clone.log" 2>&1 ||
  { cat "$tmp/station-clone.log"; fail "the station's card check of a clone (screenshots in $shots)"; }
echo "ok: the station's card check refuses a clone that withholds DG14 and DG15"

for shot in 01-login 02-found-in-register 04-enrolled 06-issued 07-card-verified 08-diagnostics \
            09-identity-change-awaiting-approval 10-approval-own-submission 10b-approval-requested 10c-approved 11-kiosk 12-kiosk-authenticated 13-kiosk-english \
            13b-kiosk-english-wrong-can 13c-kiosk-english-authenticated 14-kiosk-english-card-unknown 15-station-clone-refused; do
  [ -s "$shots/$shot.png" ] || fail "missing screenshot $shot"
done
echo "screenshots: $shots"
