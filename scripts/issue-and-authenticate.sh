#!/usr/bin/env bash
# The system's main job end to end on the embedded defaults, with every program a real process:
#   cccd-pki      the CSCA, the Document Signer, the service CA (server TLS, station certificate) and the
#                 relying-party CA (the kiosk's certificate)
#   cccd-server   SQLCipher with a synthetic population (plus the example citizen), the issuance API and
#                 the authentication API, on 127.0.0.1 at a port it picks
#   cccd-station  --headless: an officer enrolls the example citizen while the server is down (the
#                 enrollment waits in the station's queue), the server comes back and gets it exactly once;
#                 then the station imports the blank card's batch manifest (once per batch) and issues the
#                 blank virtual card in a pcscd reader with the server's SOD (its transport key found by
#                 its chip serial), and the server activates it
#   cccd-kiosk    --headless: the citizen taps the new card and types the CAN; prints the assertion
#
# Usage: scripts/issue-and-authenticate.sh BUILD_DIR WORK_DIR READER BATCH_MANIFEST [POPULATION [CONTROL]]
#   BUILD_DIR           a build tree with cccd-pki, cccd-server, cccd-station and cccd-kiosk
#   WORK_DIR            an empty directory for the PKI, the database, the queue and the logs
#   READER              the pcscd reader that holds a blank virtual card (cccd-vcard --blank)
#   BATCH_MANIFEST      the card maker's batch manifest holding that card's transport key (cccd-vcard
#                       writes one per blank card: DIR/batch.keys)
#   POPULATION          synthetic citizens to import first (default 10000)
#   CONTROL             that card's order FIFO (scripts/vcard-harness.sh): the citizen then also lifts the
#                       card in the middle of the kiosk's read, and places it again
# The demo passphrases below are for this run only; production reads them from files or an HSM.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(realpath "${1:?usage: issue-and-authenticate.sh BUILD_DIR WORK_DIR READER BATCH_MANIFEST [POPULATION]}")
work=$(realpath "${2:?work directory}")
reader=${3:?reader name}
manifest=$(realpath "${4:?batch manifest}")
population=${5:-10000}
control=${6:-}

# shellcheck source=lib/system.sh
. "$root/scripts/lib/system.sh"

system_setup "$population"

say "cccd-server serves the issuance and authentication APIs (SQLCipher)"
start_server

say "The network drops: the server stops while the officer enrolls the citizen at the station (headless)"
stop_server
set +e
"$station" --headless enroll --config station.json --officer canbo01 \
  --record "$root/tests/data/record_example.json" --photo "$root/tests/data/face.jpg"
code=$?
set -e
[ "$code" -eq 3 ] || { echo "expected the enrollment to wait in the queue (exit 3), got $code" >&2; exit 1; }
"$station" --headless queue --config station.json

say "The server is back: the queue is delivered, exactly once"
start_server
"$station" --headless deliver --config station.json --officer canbo01
"$station" --headless deliver --config station.json --officer canbo01   # nothing left: nothing sent twice
"$station" --headless queue --config station.json

say "The station imports the blank cards' batch manifest, once per batch (the transport keys, by chip serial)"
"$station" --headless import-transport-keys --config station.json "$manifest"

say "The station (headless): the blank card in '$reader' is personalized with the server's SOD and activated"
"$station" --headless issue --config station.json --officer canbo01 --personal-id 001199034567
"$station" --headless queue --config station.json

say "The kiosk (headless): the citizen taps the card and types the CAN (034567, the last 6 digits of the ID)"
"$kiosk" --headless --config kiosk.json --can 034567 | tee kiosk.out

if [ -n "$control" ]; then
  say "The kiosk again: the citizen lifts the card in the middle of the read, then places it again"
  # The harness's FIFO of card K is WORKDIR/cardK.ctl; the order is taken before the kiosk reads.
  card=$(basename "$control" .ctl)
  "$root/scripts/vcard-harness.sh" order "$(dirname "$control")" "${card#card}" "remove-during DG2"
  set +e
  "$kiosk" --headless --config kiosk.json --can 034567 | tee kiosk-lifted.out
  set -e
  grep -q "Thẻ đã bị nhấc ra" kiosk-lifted.out || { echo "the kiosk did not say the card was lifted" >&2; exit 1; }
  echo insert > "$control"
  for _ in $(seq 1 50); do
    "$kiosk" --headless --config kiosk.json --can 034567 > kiosk-again.out 2>&1 && break
    sleep 0.2
  done
  grep -q "^Xác thực thành công" kiosk-again.out || { cat kiosk-again.out >&2; echo "no success after placing the card again" >&2; exit 1; }
  head -1 kiosk-again.out
fi

stop_server
verify_audit
say "Done: enrolled, issued, activated and authenticated through the station, the server and the kiosk."
