#!/usr/bin/env bash
# cccd-pki end to end over SoftHSM2 in a private token directory: a CSCA, a DS whose key is generated
# inside the token and one whose key is an encrypted file, EF.SOD signed with each, checked with
# OpenSSL's own CLI; CRL, master list, rollover, TLS certificates; lint on every certificate; wrong
# PIN and wrong passphrase give clear errors.
# Usage: tests/integration/pki_test.sh path/to/cccd-pki
set -euo pipefail

PKI=$(realpath "${1:?usage: pki_test.sh path/to/cccd-pki}")
MODULE=${CCCD_PKCS11_MODULE:-/usr/lib/softhsm/libsofthsm2.so}
command -v softhsm2-util >/dev/null && [ -f "$MODULE" ] || { echo "pki_test: SoftHSM2 missing (scripts/setup.sh)" >&2; exit 1; }

WORK=$(mktemp -d /tmp/cccd-pki-test.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"

fail() { echo "pki_test: FAIL: $*" >&2; exit 1; }
step() { echo "pki_test: $*"; }

# A private SoftHSM2 configuration: never the system token directory.
mkdir tokens
printf 'directories.tokendir = %s/tokens\nobjectstore.backend = file\nlog.level = ERROR\n' "$WORK" > softhsm2.conf
export SOFTHSM2_CONF="$WORK/softhsm2.conf"
softhsm2-util --init-token --free --label cccd --pin 1234 --so-pin 5678 >/dev/null

export CCCD_PKCS11_MODULE="$MODULE"
export CCCD_PKCS11_PIN=1234
export CCCD_KEY_PASSPHRASE='subject key passphrase'
printf 'csca key passphrase\n' > ca-pass
export CCCD_CA_KEY_PASSPHRASE_FILE="$WORK/ca-pass"

step "CSCA (brainpoolP384r1, key in an encrypted file)"
"$PKI" csca new --dir csca >/dev/null
grep -q 'BEGIN ENCRYPTED PRIVATE KEY' csca/private/ca.key.pem || fail "the CSCA key file is not encrypted"
[ "$(stat -c %a csca/private/ca.key.pem)" = 600 ] || fail "the CSCA key file is readable by others"

step "DS with its key generated in the token, DS with its key in a file"
"$PKI" ds new --csca-dir csca --key 'pkcs11:token=cccd;object=ds-2026' --out ds-token.pem >/dev/null
"$PKI" ds new --csca-dir csca --key-file ds.key.pem --out ds-file.pem >/dev/null

step "named curves: openssl verify needs no -partial_chain"
openssl verify -CAfile csca/ca.pem ds-token.pem ds-file.pem >/dev/null || fail "openssl verify refused a DS"
openssl x509 -in csca/ca.pem -noout -text | grep -q 'ASN1 OID: brainpoolP384r1' || fail "the CSCA key is not on a named curve"

step "EF.SOD signed by each DS, verified by openssl cms"
"$PKI" sod-sign --key 'pkcs11:token=cccd;object=ds-2026' --cert ds-token.pem --out sod-token.bin --cms-out sod-token.p7 >/dev/null
"$PKI" sod-sign --key ds.key.pem --cert ds-file.pem --out sod-file.bin --cms-out sod-file.p7 >/dev/null
for p7 in sod-token.p7 sod-file.p7; do
  openssl cms -verify -inform DER -in "$p7" -CAfile csca/ca.pem -purpose any -out /dev/null 2>/dev/null || fail "openssl cms -verify refused $p7"
done
# A signature by the other DS's key must not verify against this certificate.
if "$PKI" sod-sign --key ds.key.pem --cert ds-token.pem --out x.bin >/dev/null 2>&1; then fail "signed with a key that does not match the certificate"; fi

step "RSA 3072 DS in the token"
"$PKI" ds new --csca-dir csca --key 'pkcs11:token=cccd;object=ds-rsa' --key-type rsa --bits 3072 --out ds-rsa.pem >/dev/null
"$PKI" sod-sign --key 'pkcs11:token=cccd;object=ds-rsa' --cert ds-rsa.pem --out sod-rsa.bin --cms-out sod-rsa.p7 >/dev/null
openssl cms -verify -inform DER -in sod-rsa.p7 -CAfile csca/ca.pem -purpose any -out /dev/null 2>/dev/null || fail "RSA SOD"

step "wrong PIN and wrong passphrase are clear errors"
set +e
out=$(CCCD_PKCS11_PIN=0000 "$PKI" sod-sign --key 'pkcs11:token=cccd;object=ds-2026' --cert ds-token.pem --out x.bin 2>&1); rc=$?
set -e
[ $rc -ne 0 ] && grep -q 'PIN is wrong' <<<"$out" || fail "wrong PIN: rc=$rc, '$out'"
grep -q 0000 <<<"$out" && fail "the PIN appears in the error"
set +e
out=$(CCCD_KEY_PASSPHRASE='not the passphrase' "$PKI" sod-sign --key ds.key.pem --cert ds-file.pem --out x.bin 2>&1); rc=$?
set -e
[ $rc -ne 0 ] && grep -q 'wrong passphrase' <<<"$out" || fail "wrong passphrase: rc=$rc, '$out'"
grep -q 'not the passphrase' <<<"$out" && fail "the passphrase appears in the error"

step "Master List Signer and master list (export, verify, import)"
"$PKI" mls new --csca-dir csca --key-file mls.key.pem --out mls.pem >/dev/null
"$PKI" masterlist export csca/ca.pem --signer-cert mls.pem --signer-key mls.key.pem --out ml.der >/dev/null
"$PKI" masterlist verify ml.der --root csca/ca.pem | grep -q '^PASS' || fail "master list verification"
openssl cms -verify -inform DER -in ml.der -CAfile csca/ca.pem -purpose any -out /dev/null 2>/dev/null || fail "openssl refused the master list"
"$PKI" masterlist import ml.der --root csca/ca.pem --out-dir imported >/dev/null
cmp <(openssl x509 -in imported/csca-1.pem -outform DER) <(openssl x509 -in csca/ca.pem -outform DER) || fail "imported CSCA differs"

step "revoke the file DS, issue a CRL, openssl sees it"
serial=$(openssl x509 -in ds-file.pem -noout -serial | cut -d= -f2)
"$PKI" crl revoke --dir csca --serial "0x$serial" --reason keyCompromise >/dev/null
"$PKI" crl issue --dir csca --next-update-days 30 >/dev/null
openssl crl -in csca/crl.pem -noout -text | grep -q "Serial Number: $serial" || fail "the CRL does not list $serial"
if openssl verify -crl_check -CAfile csca/ca.pem -CRLfile csca/crl.pem ds-file.pem >/dev/null 2>&1; then fail "revoked DS still verifies"; fi
openssl verify -crl_check -CAfile csca/ca.pem -CRLfile csca/crl.pem ds-token.pem >/dev/null || fail "unrevoked DS refused with the CRL"

step "lint passes on each certificate"
cp csca/ca.pem csca-old.pem
"$PKI" lint --profile csca csca/ca.pem >/dev/null || fail "lint csca"
for ds in ds-token.pem ds-file.pem ds-rsa.pem; do "$PKI" lint --profile ds --issuer csca/ca.pem "$ds" >/dev/null || fail "lint $ds"; done
"$PKI" lint --profile mls --issuer csca/ca.pem mls.pem >/dev/null || fail "lint mls"
if "$PKI" lint --profile csca ds-file.pem >/dev/null; then fail "a DS passed the CSCA lint"; fi

step "CSCA rollover: link certificate, new DS chains to the old CSCA through it"
"$PKI" csca rollover --dir csca --link-out link.pem >/dev/null
"$PKI" lint --profile link --issuer csca-old.pem link.pem >/dev/null || fail "lint link"
"$PKI" lint --profile csca csca/ca.pem >/dev/null || fail "lint new csca"
"$PKI" ds new --csca-dir csca --key 'pkcs11:token=cccd;object=ds-2027' --out ds-new.pem >/dev/null
openssl verify -CAfile csca-old.pem -untrusted link.pem ds-new.pem >/dev/null || fail "new DS does not chain to the old CSCA via the link"
openssl verify -CAfile csca/ca.pem ds-new.pem >/dev/null || fail "new DS does not chain to the new CSCA"

step "service CA, TLS server certificate, RP CA, client certificates"
"$PKI" ca new --dir service --kind service >/dev/null
"$PKI" ca new --dir rp --kind rp >/dev/null
"$PKI" tls-server new --ca-dir service --key-file server.key.pem --out server.pem >/dev/null
"$PKI" client new --ca-dir service --role station --cn station-01 --key-file station.key.pem --out station.pem >/dev/null
"$PKI" client new --ca-dir service --role officer --cn officer-01 --key-file officer.key.pem --out officer.pem >/dev/null
"$PKI" client new --ca-dir rp --role rp --cn bank-01 --key-file rp.key.pem --out rp-client.pem >/dev/null
if "$PKI" client new --ca-dir rp --role station --cn s --key-file s.key.pem --out s.pem >/dev/null 2>&1; then fail "station certificate from the RP CA"; fi
openssl verify -CAfile service/ca.pem -purpose sslserver server.pem >/dev/null || fail "server certificate"
openssl x509 -in server.pem -noout -ext subjectAltName | grep -q 'IP Address:127.0.0.1' || fail "server SAN"
openssl verify -CAfile service/ca.pem -purpose sslclient station.pem officer.pem >/dev/null || fail "station/officer"
openssl verify -CAfile rp/ca.pem -purpose sslclient rp-client.pem >/dev/null || fail "rp client"
"$PKI" lint --profile service-ca service/ca.pem >/dev/null || fail "lint service-ca"
"$PKI" lint --profile rp-ca rp/ca.pem >/dev/null || fail "lint rp-ca"
"$PKI" lint --profile tls-server --issuer service/ca.pem server.pem >/dev/null || fail "lint tls-server"
for c in station.pem officer.pem; do "$PKI" lint --profile client --issuer service/ca.pem "$c" >/dev/null || fail "lint $c"; done
"$PKI" lint --profile client --issuer rp/ca.pem rp-client.pem >/dev/null || fail "lint rp client"

echo "pki_test: all checks passed"
