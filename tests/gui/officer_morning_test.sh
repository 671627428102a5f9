#!/usr/bin/env bash
# GUI test (run by ctest): an officer's morning at the enrollment desk. The real cccd-station window in a
# real X server (Xvfb), over the real cccd-server, takes 10 enrollments in a row through the guided
# enrollment (station/gui/enroll_tab.hpp), each from the register lookup to submitted: seven adults of the
# synthetic population and the example citizen (each renewing the card they hold), a 2021 CCCD renewed
# into a Căn cước, and a child under 6 whose mother applies (no photo; the representative typed). The
# desk camera's newest picture is taken with one click; no date and no path is typed (ui-script refuses
# typing into a read-only field). The keystrokes and clicks of each enrollment are counted and printed,
# with their mean; screenshots of the last enrollment's steps go to SCREENSHOT_DIR (morning-*.png).
# Usage: officer_morning_test.sh BUILD_DIR SCREENSHOT_DIR
set -euo pipefail
build=$(realpath "$1")
shots=$(mkdir -p "$2" && realpath "$2")
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
fail() { echo "FAIL: $*" >&2; exit 1; }
rm -f "$shots"/morning-*.png

# shellcheck source=lib.sh
. "$root/tests/gui/lib.sh"
cleanup() {
  stop_server
  stop_xvfb
  rm -rf "$tmp"
}
start_xvfb "$tmp"
[ -n "${ASAN_OPTIONS:-}" ] && export ASAN_OPTIONS="$ASAN_OPTIONS:strict_string_checks=0"

work="$tmp/run"
mkdir "$work"
reader="no reader"  # enrollment needs none
# shellcheck source=../../scripts/lib/system.sh
. "$root/scripts/lib/system.sh"
trap cleanup EXIT
system_setup 200 > "$tmp/setup.log" 2>&1 || { cat "$tmp/setup.log"; fail "the system setup failed"; }
for record in record_child record_2021; do
  tr -d '\n' < "$root/tests/data/$record.json" > "$record.jsonl" && echo >> "$record.jsonl"
  "$server" admin population import --config server.json "$record.jsonl" >> "$tmp/setup.log" 2>&1
done
start_server > /dev/null
cp "$root/tests/data/face.jpg" "$work/camera/IMG_0000.jpg"

# The morning's script: the same steps for every adult, the child's with the representative instead of
# the photo. The citizens: the first seven of the synthetic population, then the example citizen, the
# 2021 card holder and the child.
python3 - "$work/population.jsonl" "$root/tests/data/face.jpg" "$work/camera" > "$tmp/morning.json" <<'PY'
import json, sys
population, face, camera = sys.argv[1:4]
adults = []
with open(population) as f:
    for line in f:
        adults.append(json.loads(line)["personal_id"])
        if len(adults) == 7:
            break
people = [(pid, "adult") for pid in adults] + [("001199034567", "adult"), ("001090012345", "renewal of a 2021 CCCD"),
                                                ("079222001234", "child under 6")]
steps = [{"type": "officer", "text": "canbo01"}, {"type": "password", "text": "Mật khẩu cán bộ 2026!"},
         {"click": "login"}, {"wait": "session", "contains": "canbo01"}, {"wait": "search", "contains": ""}]
for n, (pid, kind) in enumerate(people, 1):
    last = n == len(people)
    shot = (lambda name: [{"screenshot": "morning-" + name}]) if last else (lambda name: [])
    # The first search is clicked into; after "Hồ sơ mới" the search field has the focus already.
    search = [{"type": "search", "text": pid}] if n == 1 else [{"keys": pid}]
    steps += [{"count": "enrollment %d (%s)" % (n, kind)}] + search + [{"key": "Return"},
              {"wait": "search_results", "contains": pid}] + shot("1-lookup") + [
              {"key": "Return"},
              {"wait": "personal_id", "contains": pid}] + shot("2-check")
    if kind.startswith("child"):
        steps += [{"type": "representative_personal_id", "text": "079185004321"},
                  {"type": "representative_full_name", "text": "NGUYỄN THỊ LAN"},
                  {"choose": "representative_relationship", "text": "Mẹ"},
                  {"click": "enroll_next"}]
    else:
        steps += [{"key": "Return"},
                  {"wait": "newest_photo", "contains": ""},
                  # the desk camera saves the citizen's picture: not the officer's input
                  {"copy_file": face, "to": "%s/IMG_%04d.jpg" % (camera, n)},
                  {"click": "newest_photo"}]
    steps += [{"wait": "review", "contains": pid}] + shot("3-review") + [
              {"key": "Return"},
              {"wait": "receipt_summary", "contains": "Ngày hẹn trả thẻ"},
              {"click": "receipt_signed"}] + shot("4-receipt") + [
              {"key": "Return"},
              {"wait": "submitted", "contains": "Đã gửi 1"}] + shot("5-submitted") + [
              {"key": "Return"},
              {"wait": "search", "contains": ""}]
json.dump(steps, sys.stdout, ensure_ascii=False, indent=1)
PY

"$station" --config "$work/station.json" --ui-script "$tmp/morning.json" --screenshots "$shots" > "$tmp/morning.out" 2> "$tmp/morning.log" ||
  { cat "$tmp/morning.log"; fail "the officer's morning did not run through (screenshots in $shots)"; }
grep "^ui-script: count" "$tmp/morning.out" || fail "no counts printed"
[ "$(grep -c "^ui-script: count" "$tmp/morning.out")" -eq 10 ] || fail "not 10 enrollments"
awk '/^ui-script: count/ { k += $(NF-3); c += $(NF-1); n++ }
     END { printf "officer'"'"'s morning: %d enrollments, %.1f keystrokes and %.1f clicks per enrollment on average\n", n, k / n, c / n }' \
  "$tmp/morning.out"
# Every one of them reached the server once.
"$station" --headless queue --config "$work/station.json" > "$tmp/queue.txt"
[ "$(grep -c " delivered " "$tmp/queue.txt")" -eq 10 ] || { cat "$tmp/queue.txt"; fail "not every enrollment was delivered"; }
echo "ok: 10 enrollments from the register lookup to submitted, no date and no path typed"
