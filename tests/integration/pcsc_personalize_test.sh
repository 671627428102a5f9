#!/usr/bin/env bash
# Personalization over the real pcscd + vpcd + cccd-vcard with blank chips (run by ctest):
# cccd-pki makes a CSCA, a DS with its key in SoftHSM2 and one with its key in an encrypted file, a
# master list and a CRL; a blank card is personalized with each and read back with PA, AA and CA
# passing against that CSCA and against its master list; OpenSSL's own command line verifies the DS
# chain and the SOD's CMS signature; a wrong transport key is refused; the card is pulled at 10 points
# of personalization and each time a retry on the same card succeeds, while a card pulled before LOCK
# never passes a read.
# Usage: pcsc_personalize_test.sh CCCD_CARD CCCD_VCARD CCCD_PKI
set -euo pipefail
card_tool=$(realpath "$1")
vcard=$(realpath "$2")
pki=$(realpath "$3")
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap '"$root/scripts/vcard-harness.sh" stop "$work"; rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# --- the PKI, with a private SoftHSM2 token directory
mkdir "$work/tokens"
printf 'directories.tokendir = %s/tokens\nobjectstore.backend = file\nlog.level = ERROR\n' "$work" > "$work/softhsm2.conf"
export SOFTHSM2_CONF="$work/softhsm2.conf"
softhsm2-util --init-token --free --label cccd --pin 1234 --so-pin 5678 >/dev/null
export CCCD_PKCS11_PIN=1234
export CCCD_KEY_PASSPHRASE='document signer passphrase'
printf 'csca passphrase\n' > "$work/ca-pass"
export CCCD_CA_KEY_PASSPHRASE_FILE="$work/ca-pass"
( cd "$work"
  "$pki" csca new --dir csca >/dev/null
  "$pki" ds new --csca-dir csca --key 'pkcs11:token=cccd;object=ds-2026' --out ds-token.pem >/dev/null
  "$pki" ds new --csca-dir csca --key-file ds.key.pem --out ds-file.pem >/dev/null
  "$pki" mls new --csca-dir csca --key-file mls.key.pem --out mls.pem >/dev/null
  "$pki" masterlist export csca/ca.pem --signer-cert mls.pem --signer-key mls.key.pem --out ml.der >/dev/null
  "$pki" crl issue --dir csca --next-update-days 30 >/dev/null )
csca=$work/csca/ca.pem
crl=$work/csca/crl.pem
echo "ok: CSCA, DS in SoftHSM2, DS in a key file, master list, CRL"

cat > "$work/record.json" <<'JSON'
{ "personal_id": "079303012345", "full_name": "TRẦN THỊ MỸ DUYÊN", "sex": "F",
  "date_of_birth": "2003-05-14", "date_of_expiry": "2028-05-14", "date_of_issue": "2021-07-01",
  "ethnicity": "Kinh", "religion": "Không",
  "place_of_origin": "Phường Bến Nghé, Quận 1, Thành phố Hồ Chí Minh",
  "place_of_residence": "Số 12 Đường Lê Lợi, Phường Bến Thành, Quận 1, Thành phố Hồ Chí Minh",
  "father_name": "TRẦN VĂN HÙNG", "mother_name": "LÊ THỊ HOA", "card_serial": "0000000000000042" }
JSON
photo=$root/tests/data/face.jpg
can=012345

"$root/scripts/vcard-harness.sh" start "$work" 3 "$vcard" -- --blank
mapfile -t readers < <("$card_tool" readers)
[ "${#readers[@]}" -ge 3 ] || fail "expected 3 readers: ${readers[*]}"

personalize() {  # personalize READER CARD_DIR DS_KEY DS_CERT [extra]
  local reader=$1 dir=$2 key=$3 cert=$4
  shift 4
  "$card_tool" personalize --reader "$reader" --record "$work/record.json" --photo "$photo" --ds-key "$key" \
    --ds-cert "$cert" --csca "$csca" --crl "$crl" --transport-key "$dir/transport.key" "$@"
}

# --- 1. DS key in the token
out=$(personalize "${readers[0]}" "$work/card1" 'pkcs11:token=cccd;object=ds-2026' "$work/ds-token.pem" --json 2>"$work/perso1.err") \
  || fail "personalization with the token DS failed: $out $(cat "$work/perso1.err")"
grep -q '"issued": *true' <<<"$out" || fail "not issued: $out"
for step in "[1/8] open the chip" "[2/8] generate keys" "[4/8] sign" "[5/8] write files: DG2" "[7/8] lock" "[8/8] verify"; do
  grep -qF "$step" "$work/perso1.err" || fail "no progress line '$step'"
done
total=$(grep -o '"apdus": *[0-9]*' <<<"$out" | grep -o '[0-9]*$')
out=$("$card_tool" read --reader "${readers[0]}" --can "$can" --master-list "$work/ml.der" --master-list-root "$csca" \
      --crl "$crl" --out "$work/read1" 2>&1) || fail "read-back through the master list failed: $out"
for check in "PASS  Chip Authentication" "PASS  Active Authentication" "PASS  SOD signature" "PASS  DS certificate trusted" \
             "PASS  DG13 hash" "Overall: PASS"; do
  grep -qF "$check" <<<"$out" || fail "missing '$check' in: $out"
done
echo "ok: personalized with the DS key in SoftHSM2 ($total APDUs); PA, AA, CA pass against the master list"

# OpenSSL, independently: the DS chain and the SOD's CMS signature.
openssl verify -CAfile "$csca" "$work/ds-token.pem" >/dev/null || fail "openssl verify refused the DS"
sod=$work/read1/EF.SOD
second=$(od -An -tx1 -j1 -N1 "$sod" | tr -d ' ')
case $second in 81) skip=3 ;; 82) skip=4 ;; 83) skip=5 ;; *) skip=2 ;; esac
tail -c +$((skip + 1)) "$sod" > "$work/sod.p7"
openssl cms -verify -inform DER -in "$work/sod.p7" -CAfile "$csca" -purpose any -out "$work/lso.der" 2>/dev/null \
  || fail "openssl cms -verify refused the card's SOD"
echo "ok: openssl verify and openssl cms -verify accept the DS and the card's SOD"

# --- 2. DS key in an encrypted file, RSA Active Authentication made on the chip
out=$(personalize "${readers[1]}" "$work/card2" "$work/ds.key.pem" "$work/ds-file.pem" --aa rsa 2>&1) \
  || fail "personalization with the file DS failed: $out"
grep -qF "ISSUED" <<<"$out" || fail "not issued: $out"
out=$("$card_tool" read --reader "${readers[1]}" --can "$can" --csca "$csca" 2>&1) || fail "read-back failed: $out"
grep -qF "PASS  Active Authentication" <<<"$out" && grep -qF "Overall: PASS" <<<"$out" || fail "read-back: $out"
echo "ok: personalized with the DS key in a file (RSA AA); read back with PA, AA, CA"

# --- 3. the wrong transport key
printf 'FFEEDDCCBBAA99887766554433221100\n' > "$work/wrong.key"
set +e
out=$("$card_tool" personalize --reader "${readers[2]}" --record "$work/record.json" --photo "$photo" \
      --ds-key "$work/ds.key.pem" --ds-cert "$work/ds-file.pem" --csca "$csca" --transport-key "$work/wrong.key" 2>&1)
rc=$?
set -e
[ "$rc" -eq 1 ] || fail "a wrong transport key gave exit code $rc: $out"
grep -qF "transport key does not open this card" <<<"$out" || fail "no clear message: $out"
echo "ok: a wrong transport key is refused"

# --- 4. pulled at 10 points, each time a retry on the same card succeeds
for i in $(seq 1 10); do
  n=$(( total * i / 11 ))
  "$root/scripts/vcard-harness.sh" card "$work" 3 "$work/pull$i" --blank >/dev/null
  "$root/scripts/vcard-harness.sh" order "$work" 3 "remove-after $n"
  set +e
  out=$(personalize "${readers[2]}" "$work/pull$i" "$work/ds.key.pem" "$work/ds-file.pem" 2>&1)
  rc=$?
  set -e
  [ "$rc" -eq 5 ] || fail "pulled after $n APDUs: exit code $rc: $out"
  grep -qF "run the same command" <<<"$out" || fail "pulled after $n APDUs: no advice: $out"
  echo insert > "$work/card3.ctl"
  where="after LOCK: the retry only verifies"
  if ! grep -qF "[7/8] lock" <<<"$out"; then
    where="before LOCK: the half-written card refuses the holder's CAN"
    # Pulled before LOCK: a half-written card is nobody's card.
    for _ in $(seq 30); do
      set +e
      read_out=$("$card_tool" read --reader "${readers[2]}" --can "$can" --csca "$csca" 2>&1)
      read_rc=$?
      set -e
      [ "$read_rc" -ne 5 ] && break
      sleep 0.2
    done
    [ "$read_rc" -eq 1 ] || fail "a card pulled after $n APDUs (before LOCK) gave read exit code $read_rc: $read_out"
    grep -qF "has not been issued" <<<"$read_out" || fail "pulled after $n APDUs: $read_out"
  fi
  for _ in $(seq 30); do
    set +e
    out=$(personalize "${readers[2]}" "$work/pull$i" "$work/ds.key.pem" "$work/ds-file.pem" 2>&1)
    rc=$?
    set -e
    [ "$rc" -ne 5 ] && break
    sleep 0.2
  done
  [ "$rc" -eq 0 ] || fail "retry after a pull at $n APDUs: exit code $rc: $out"
  grep -qF "ISSUED" <<<"$out" || fail "retry after a pull at $n APDUs: $out"
  out=$("$card_tool" read --reader "${readers[2]}" --can "$can" --csca "$csca" 2>&1) || fail "read after retry $i: $out"
  grep -qF "Overall: PASS" <<<"$out" || fail "read after retry $i: $out"
  echo "ok: pulled after $n of $total APDUs ($where); the retry issued the card"
done
echo "1 passed, 0 failed"
