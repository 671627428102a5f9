#!/usr/bin/env bash
# Installs the Debian 12 packages the project needs. Idempotent: silent when everything is there.
# Usage: scripts/setup.sh            (run as root, or with sudo available)
set -euo pipefail

PACKAGES=(
  # toolchain
  build-essential cmake ninja-build pkg-config git
  clang libclang-rt-14-dev          # libFuzzer and the sanitizer runtimes for clang
  # libraries of the card core and its tool
  libssl-dev libcli11-dev
  libboost-json1.81-dev             # Boost.JSON: enrollment records (and the server, later)
  # the PC/SC stack: pcsc-lite client library, the pcscd daemon and the vpcd virtual reader driver
  libpcsclite-dev pcscd vsmartcard-vpcd
  # the PKI: libp11 (LGPL, PKCS#11 keys as EVP_PKEY), the PKCS#11 header of p11-kit, SoftHSM2 for tests
  libp11-dev libp11-kit-dev softhsm2
  # the server: SQLCipher (embedded, encrypted), PostgreSQL client and server (scale-out, and the tests
  # start their own), libsodium (Argon2id, Ed25519, random), Redis (challenge store, issue 6)
  libsqlcipher-dev libpqxx-dev postgresql-15 libsodium-dev libhiredis-dev redis-server
  # the station and the kiosk: Qt 6 Widgets and Multimedia (the camera), Linguist's tools, libqrencode for the card face's QR
  # code, a font with Vietnamese letters; Xvfb and xauth for the GUI tests
  qt6-base-dev qt6-tools-dev qt6-l10n-tools qt6-multimedia-dev libqrencode-dev fonts-dejavu-core xvfb xauth
  # the station's photo checks: OpenCV's face detector (objdetect) with the Haar cascades of opencv-data
  # and image processing; only these modules, not the whole libopencv-dev, and not imgcodecs (Debian's
  # links GDAL and poppler, GPL; Qt decodes the photos)
  libopencv-objdetect-dev libopencv-imgproc-dev opencv-data
  # the kiosk's spoken prompts: espeak-ng's Vietnamese voice, run as a program (GPL: never linked)
  espeak-ng
  # tests and benchmarks
  googletest libgtest-dev libgmock-dev libbenchmark-dev
  # relying parties' own tools (tests/integration/rp_*_test.py, examples/relying-party-python): Debian's
  # python3 with jwcrypto; docs/openapi.yaml checked against the OpenAPI Initiative's JSON Schema
  # (openapi-specification) with jsonschema (Debian 12 has no python3-openapi-spec-validator)
  python3 python3-jwcrypto python3-jsonschema python3-yaml openapi-specification
  # promtool, which checks and unit-tests the alert rules of ops/prometheus (the package's server is not used)
  prometheus
  # the Debian packages (scripts/package.sh, tests/packaging): debhelper and dpkg-buildpackage, lintian,
  # help2man for the man pages, fakeroot (not needed while debian/control says Rules-Requires-Root: no),
  # systemd for systemd-analyze security and systemd-creds
  debhelper dpkg-dev fakeroot lintian help2man systemd
  # OpenPACE, for the external test peer that reads DG14 as field terminals do (tests/peers; GPL, so
  # only that separate test program links it)
  libeac-dev
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "setup: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "setup: run as root or install sudo" >&2; exit 1; }
  SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "setup: done"
