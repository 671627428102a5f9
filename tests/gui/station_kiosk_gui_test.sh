#!/usr/bin/env bash
# GUI test (run by ctest): the real cccd-station and cccd-kiosk binaries in a real X server (Xvfb, started
# and stopped by PID here), over the real cccd-server and pcscd with a blank virtual card. The station's
# window is driven by real input events (tests/gui/station_enroll_issue.json: login, the enrollment form
# with the photo, the queue, personalization with its checks, the card face PDF, diagnostics); then the
# kiosk's window authenticates the card the station issued (tests/gui/kiosk_tap.json). Screenshots go
# to SCREENSHOT_DIR and are kept with the test results.
# Usage: station_kiosk_gui_test.sh BUILD_DIR SCREENSHOT_DIR
set -euo pipefail
build=$(realpath "$1")
shots=$(mkdir -p "$2" && realpath "$2")
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
fail() { echo "FAIL: $*" >&2; exit 1; }
rm -f "$shots"/*.png

xvfb_pid=""
cleanup() {
  stop_server
  [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null && wait "$xvfb_pid" 2>/dev/null
  "$root/scripts/vcard-harness.sh" stop "$tmp/harness"
  rm -rf "$tmp"
}

# A free display number: Xvfb writes the one it took to the descriptor we give it.
exec 5> "$tmp/display"
Xvfb -displayfd 5 -screen 0 1280x900x24 -nolisten tcp > "$tmp/xvfb.log" 2>&1 &
xvfb_pid=$!
for _ in $(seq 1 100); do [ -s "$tmp/display" ] && break; sleep 0.1; done
[ -s "$tmp/display" ] || { cat "$tmp/xvfb.log"; fail "Xvfb did not start"; }
export DISPLAY=":$(head -1 "$tmp/display")"
export QT_QPA_PLATFORM=xcb XDG_RUNTIME_DIR="$tmp"
# Under AddressSanitizer (the clang test build): libxkbcommon-x11 strndup()s an X reply that is not
# NUL-terminated, which strict_string_checks reports although strndup stops at its length. The GUI
# processes run without that one check; every other test keeps it.
[ -n "${ASAN_OPTIONS:-}" ] && export ASAN_OPTIONS="$ASAN_OPTIONS:strict_string_checks=0"

mkdir "$tmp/harness" "$tmp/run"
"$root/scripts/vcard-harness.sh" start "$tmp/harness" 1 "$build/hardware/cccd-vcard" >/dev/null
"$root/scripts/vcard-harness.sh" card "$tmp/harness" 1 "$tmp/harness/blank" --blank >/dev/null
reader=$("$build/card/tool/cccd-card" readers | sed -n 1p)
[ -n "$reader" ] || fail "no reader"

work="$tmp/run"  # the system's files (scripts/lib/system.sh)
# shellcheck source=../../scripts/lib/system.sh
. "$root/scripts/lib/system.sh"
trap cleanup EXIT
system_setup 200 > "$tmp/setup.log" 2>&1 || { cat "$tmp/setup.log"; fail "the system setup failed"; }
start_server > /dev/null

script="$tmp/station-script.json"
sed -e "s|@FACE@|$root/tests/data/face.jpg|" -e "s|@READER@|$reader|" \
    -e "s|@TRANSPORT_KEY@|$tmp/harness/blank/transport.key|" -e "s|@PDF@|$shots/card-face.pdf|" \
    "$root/tests/gui/station_enroll_issue.json" > "$script"
"$station" --config "$work/station.json" --ui-script "$script" --screenshots "$shots" > "$tmp/station.log" 2>&1 ||
  { cat "$tmp/station.log"; fail "the station's GUI run failed (screenshots in $shots)"; }
echo "ok: station window: login, enrollment, queue, personalization with every check, card face PDF, diagnostics"
head -c 5 "$shots/card-face.pdf" | grep -q "%PDF" || fail "the card face is not a PDF"

"$kiosk" --config "$work/kiosk.json" --ui-script "$root/tests/gui/kiosk_tap.json" --screenshots "$shots" > "$tmp/kiosk.log" 2>&1 ||
  { cat "$tmp/kiosk.log"; fail "the kiosk's GUI run failed (screenshots in $shots)"; }
echo "ok: kiosk window authenticated the card the station issued"
"$kiosk" --config "$work/kiosk.json" --lang en --ui-script "$root/tests/gui/kiosk_english.json" --screenshots "$shots" \
  > "$tmp/kiosk-en.log" 2>&1 || { cat "$tmp/kiosk-en.log"; fail "the kiosk in English"; }
echo "ok: the English translation loads (--lang en)"
for shot in 01-login 02-found-in-register 04-enrolled 06-issued 07-card-verified 08-diagnostics 11-kiosk 12-kiosk-authenticated 13-kiosk-english; do
  [ -s "$shots/$shot.png" ] || fail "missing screenshot $shot"
done
echo "screenshots: $shots"
