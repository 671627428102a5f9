#!/usr/bin/env bash
# The two card generations in the main job, after scripts/issue-and-authenticate.sh made the system in
# WORK_DIR (the adult there gets a 2024 "Căn cước", profile cc-2024, by the dates of her record):
#   1. a child under 6 (tests/data/record_child.json): enrolled without a photo, with the mother as legal
#      representative; the card (cc-2024-u6, no DG2) is issued and read at the kiosk;
#   2. a 2021 CCCD (tests/data/record_2021.json, issued 15/07/2021): made only because this demo server
#      sets issuance_legacy_cccd_2021 (off by default: the 2021 card is no longer issued); it
#      authenticates at the kiosk;
#   3. its renewal (tests/data/record_2021_renewal.json): a 2024 card with the same personal ID
#      number; activating it marks the 2021 card replaced, and the authentication API refuses the old
#      card from then on (card_replaced) while the new one is accepted.
#
# Usage: scripts/card-generations.sh BUILD_DIR WORK_DIR R_CHILD K_CHILD R_2021 K_2021 R_RENEWED K_RENEWED
#   R_* the pcscd readers holding blank virtual cards, K_* their transport key files
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(realpath "${1:?usage: card-generations.sh BUILD_DIR WORK_DIR R_CHILD K_CHILD R_2021 K_2021 R_RENEWED K_RENEWED}")
work=$(realpath "${2:?work directory}")
child_reader=${3:?reader}
child_key=$(realpath "${4:?transport key}")
old_reader=${5:?reader}
old_key=$(realpath "${6:?transport key}")
renewed_reader=${7:?reader}
renewed_key=$(realpath "${8:?transport key}")
reader=$child_reader

# shellcheck source=lib/system.sh
. "$root/scripts/lib/system.sh"
cd "$work"

say "The child and the 2021 card holder join the register"
for record in record_child record_2021; do
  tr -d '\n' < "$root/tests/data/$record.json" > "$record.jsonl" && echo >> "$record.jsonl"
  "$server" admin population import --config server.json "$record.jsonl"
done
# This demo server may make a 2021 card (to have one to renew); a real one never does.
python3 - <<'PY'
import json
with open("server.json") as f: config = json.load(f)
config["issuance_legacy_cccd_2021"] = True
with open("server.json", "w") as f: json.dump(config, f, indent=1, ensure_ascii=False)
PY
start_server

# kiosk_tap READER CAN OUT: one tap at the kiosk, the outcome as JSON in OUT (exit status kept).
kiosk_tap() {
  "$kiosk" --headless --config kiosk.json --reader "$1" --can "$2" --json > "$3"
}
outcome_of() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["outcome"])' "$1"; }

say "1. A child under 6: the mother applies; no photo is taken; the card has no face image"
"$station" --headless enroll --config station.json --officer canbo01 --record "$root/tests/data/record_child.json"
"$station" --headless issue --config station.json --officer canbo01 --personal-id 079222001234 \
  --transport-key "$child_key" --reader "$child_reader"
kiosk_tap "$child_reader" 001234 kiosk-child.json
cat kiosk-child.json
[ "$(outcome_of kiosk-child.json)" = accepted ] || { echo "the child's card was not accepted" >&2; exit 1; }

say "2. A 2021 CCCD, issued to Lê Văn Hùng on 15/07/2021, taps at the kiosk"
"$station" --headless enroll --config station.json --officer canbo01 --record "$root/tests/data/record_2021.json" \
  --photo "$root/tests/data/face.jpg"
"$station" --headless issue --config station.json --officer canbo01 --personal-id 001090012345 \
  --transport-key "$old_key" --reader "$old_reader"
kiosk_tap "$old_reader" 012345 kiosk-2021.json
[ "$(outcome_of kiosk-2021.json)" = accepted ] || { cat kiosk-2021.json >&2; echo "the 2021 card was not accepted" >&2; exit 1; }

say "3. He renews it: a 2024 card with the same personal ID number; the 2021 card is replaced on activation"
"$station" --headless enroll --config station.json --officer canbo01 --record "$root/tests/data/record_2021_renewal.json" \
  --photo "$root/tests/data/face.jpg"
"$station" --headless issue --config station.json --officer canbo01 --personal-id 001090012345 \
  --transport-key "$renewed_key" --reader "$renewed_reader"
kiosk_tap "$renewed_reader" 012345 kiosk-renewed.json
[ "$(outcome_of kiosk-renewed.json)" = accepted ] || { cat kiosk-renewed.json >&2; echo "the renewed card was not accepted" >&2; exit 1; }
set +e
kiosk_tap "$old_reader" 012345 kiosk-replaced.json
set -e
cat kiosk-replaced.json
[ "$(outcome_of kiosk-replaced.json)" = card_replaced ] ||
  { echo "the replaced 2021 card was not refused as replaced" >&2; exit 1; }
"$station" --headless queue --config station.json

stop_server
verify_audit
say "Done: a child's card without a photo, a 2021 CCCD renewed into a 2024 card, and the old card refused."
