#!/usr/bin/env bash
# The main job on the embedded defaults: installs what is missing, builds, then runs cccd-card over
# example data — MRZ build and check, DG13 decode, a complete example card signed by a test CSCA made
# on the spot, and Passive Authentication over it — then reads a virtual CCCD chip (cccd-vcard) through
# the real pcscd and its vpcd reader with PACE, CA, AA and PA, and finally issues a blank card: the PKI
# (cccd-pki, Document Signer key in a SoftHSM2 token), personalization through PC/SC (cccd-card
# personalize) and the read-back. Last, the whole system (scripts/issue-and-authenticate.sh): cccd-server
# on SQLCipher with a synthetic population, the station's headless mode enrolling (through a server
# outage: the enrollment waits in its queue), issuing and activating a third, blank card, and the
# kiosk's headless mode authenticating it and printing the assertion. Then the two card generations
# (scripts/card-generations.sh): a 2024 card for a child under 6 (no photo, a representative), a 2021
# CCCD renewed into a 2024 card, and the old card refused by the authentication API (card_replaced).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
mkdir -p build
echo "building (log: build/release-build.log)"
{ cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release -DCCCD_TESTS=OFF &&
  cmake --build build/release -j "${CCCD_JOBS:-$(nproc)}"; } > build/release-build.log 2>&1 ||
  { tail -40 build/release-build.log >&2; echo "run: the build failed" >&2; exit 1; }

card=build/release/bin/cccd-card
sample=build/release/tests/fixtures/cccd-sample-card
out=${CCCD_DEMO_DIR:-build/demo}
rm -rf "$out"
mkdir -p "$out"

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

say "1. Build the MRZ of a citizen (ID 001099012345, Nguyễn Văn An)"
$card mrz --id 001099012345 --name "Nguyễn Văn An" --sex M --dob 1999-01-01 --expiry 2024-01-01 | tee "$out/mrz.txt"

say "2. Check it, then check a copy with one digit changed"
$card mrz --check < "$out/mrz.txt"
sed '1s/001099012345/001099012346/' "$out/mrz.txt" > "$out/mrz-tampered.txt"
if $card mrz --check < "$out/mrz-tampered.txt"; then echo "a tampered MRZ passed: this is a bug" >&2; exit 1; fi

say "3. Decode the DG13 example of a real-card layout (tests/data/dg13_example.bin)"
$card parse tests/data/dg13_example.bin

say "4. Make an example issued card (test CSCA and Document Signer made now) in $out/card"
$sample "$out/card"

say "5. Decode its EF.CardAccess and EF.SOD"
$card parse "$out/card/EF.CardAccess"
$card parse "$out/card/EF.SOD"

say "6. Passive Authentication against the test CSCA"
$card verify "$out/card" --csca "$out/card/csca.pem" --crl "$out/card/csca.crl"

say "7. The virtual chip in the real pcscd: start pcscd (vpcd reader) and cccd-vcard with a blank chip issued through its own personalization commands"
harness=$(mktemp -d)
trap 'scripts/vcard-harness.sh stop "$harness"; rm -rf "$harness"' EXIT
scripts/vcard-harness.sh start "$harness" 6 build/release/bin/cccd-vcard
scripts/vcard-harness.sh card "$harness" 2 "$harness/blank" --blank
for k in 3 4 5 6; do scripts/vcard-harness.sh card "$harness" "$k" "$harness/blank$k" --blank; done
$card readers

say "8. Read it through PC/SC: PACE with the CAN, every file, Chip, Active and Passive Authentication"
first_reader=$($card readers | sed -n 1p)
second_reader=$($card readers | sed -n 2p)
$card read --reader "$first_reader" --can "$(cat "$harness/card1/can.txt")" --csca "$harness/card1/csca.pem" \
  --crl "$harness/card1/csca.crl" --stats --out "$out/read"

say "9. The PKI: a CSCA (brainpoolP384r1) and a Document Signer whose key is made inside a SoftHSM2 token"
pki=build/release/bin/cccd-pki
mkdir -p "$out/pki/tokens"
printf 'directories.tokendir = %s/pki/tokens\nobjectstore.backend = file\nlog.level = ERROR\n' "$(realpath "$out")" \
  > "$out/pki/softhsm2.conf"
export SOFTHSM2_CONF=$(realpath "$out/pki/softhsm2.conf")
softhsm2-util --init-token --free --label cccd --pin 1234 --so-pin 5678 >/dev/null
export CCCD_PKCS11_PIN=1234                      # demo values; production reads them from files or an HSM
export CCCD_KEY_PASSPHRASE='demo passphrase only'
$pki csca new --dir "$out/pki/csca"
$pki ds new --csca-dir "$out/pki/csca" --key 'pkcs11:token=cccd;object=ds-demo' --out "$out/pki/ds.pem"
$pki crl issue --dir "$out/pki/csca" >/dev/null
$pki lint --profile ds --issuer "$out/pki/csca/ca.pem" "$out/pki/ds.pem"

say "10. Issue a blank card in $second_reader: keys on the chip, files, SOD signed in the token, lock, read-back"
$card personalize --reader "$second_reader" --record tests/data/record_example.json --photo tests/data/face.jpg \
  --ds-key 'pkcs11:token=cccd;object=ds-demo' --ds-cert "$out/pki/ds.pem" --csca "$out/pki/csca/ca.pem" \
  --crl "$out/pki/csca/crl.pem" --transport-key "$harness/blank/transport.key"

say "11. Read the new card like any reader would: CAN 034567 (the last 6 digits of the ID)"
$card read --reader "$second_reader" --can 034567 --csca "$out/pki/csca/ca.pem" --crl "$out/pki/csca/crl.pem" --stats

third_reader=$($card readers | sed -n 3p)
say "12. The whole system: server, station (headless), kiosk (headless) with the blank card in $third_reader"
mkdir -p "$out/system"
scripts/issue-and-authenticate.sh build/release "$out/system" "$third_reader" "$harness/blank3/batch.keys" \
  "${CCCD_POPULATION:-100000}" "$harness/card3.ctl"

say "13. The two card generations: a child under 6 without a photo, a 2021 CCCD renewed into a 2024 card, the old card refused"
scripts/card-generations.sh build/release "$out/system" \
  "$($card readers | sed -n 4p)" "$harness/blank4/transport.key" \
  "$($card readers | sed -n 5p)" "$harness/blank5/transport.key" \
  "$($card readers | sed -n 6p)" "$harness/blank6/transport.key"

say "Done: the example card verifies on file and through the PC/SC stack; a blank card was issued with cccd-card; a citizen was enrolled, issued a 2024 card and authenticated at the kiosk through the server; a child got a card without a photo; a 2021 CCCD was renewed and the old card refused."
