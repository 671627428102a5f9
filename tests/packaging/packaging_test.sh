#!/usr/bin/env bash
# The Debian packages end to end (ctest packaging.debian, label packaging; docs/packaging.md):
#   1. scripts/package.sh --no-build over this build tree (nothing is rebuilt): the four packages, and
#      lintian with no error (and, from a Release tree, no warning);
#   2. systemd-analyze security --offline on the packaged units: the exposure printed, "OK" or better
#      (at most 4.9) asserted;
#   3. the packages installed by dpkg, maintainer scripts and all, into a scratch root: an overlay of /
#      whose writes go to a scratch directory, mounted in a private mount namespace and entered with
#      chroot, so adduser, dpkg's database and /etc, /var of this machine are never written (checked);
#      then the user cccd, the modes, the conffile and the units (not enabled) asserted;
#   4. the server set up as docs/packaging.md tells an operator (certificates from the installed cccd-pki,
#      passphrases as systemd credentials, `admin init` as cccd) and started from the installed unit's
#      ExecStart, User and Environment with the installed /etc/cccd/server.json, on a port it picks
#      (CCCD_SERVER_LISTEN_PORT=0): /healthz answers on 127.0.0.1; stopped by PID; no passphrase in
#      its output;
#   5. the installed example, a relying party's C++ program, configured and built against
#      libcccd-auth-client-dev with find_package and with pkg-config.
# Usage: packaging_test.sh BUILD_DIR SOURCE_ROOT [CXX_COMPILER]
# Steps 3-5 need root (a mount namespace, overlayfs, chroot); without it they are skipped and the test
# exits 77 (ctest: skipped) after saying so.
set -euo pipefail
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

if [ "${1:-}" = "--in-namespace" ]; then
  shift
  in_namespace=1
else
  in_namespace=0
fi
build=$(cd "${1:?usage: packaging_test.sh BUILD_DIR SOURCE_ROOT [CXX_COMPILER]}" && pwd)
source_root=$(cd "${2:?source root}" && pwd)
cxx=${3:-c++}
results=$build/test-results/packaging
packages=$results/debs

fail() { echo "FAILED: $*" >&2; exit 1; }
say() { printf '\n== %s\n' "$*"; }

# The exposure of a unit file as systemd-analyze prints it ("→ Overall exposure level for X: 1.4 OK 🙂").
exposure_of() {
  local line
  line=$(systemd-analyze security --offline=yes --no-pager "$1" 2>&1 | grep 'Overall exposure level') ||
    fail "systemd-analyze security --offline=yes $1 printed no exposure level"
  echo "$line" | sed -n 's/.*: \([0-9.]*\) .*/\1/p'
}

if [ "$in_namespace" -eq 0 ]; then
  rm -rf "$results"
  mkdir -p "$results"

  say "1. The packages from $build (no rebuild), and lintian"
  "$source_root/scripts/package.sh" --no-build "$build" "$packages"
  for p in cccd-server cccd-station cccd-tools libcccd-auth-client-dev; do
    ls "$packages/${p}_"*.deb >/dev/null 2>&1 || fail "no $p package"
  done

  say "2. The packaged units' systemd-analyze security (lower is better; OK is at most 4.9), and what must agree with the docs"
  units=$results/units
  mkdir -p "$units"
  dpkg-deb -x "$packages"/cccd-server_*.deb "$units/server"
  dpkg-deb -x "$packages"/cccd-station_*.deb "$units/station"
  for unit in "$units/server/lib/systemd/system/cccd-server.service" "$units/station/lib/systemd/system/cccd-kiosk.service"; do
    [ -f "$unit" ] || fail "the package holds no $(basename "$unit")"
    score=$(exposure_of "$unit")
    echo "$(basename "$unit"): exposure $score"
    awk -v s="$score" 'BEGIN { exit !(s != "" && s <= 4.9) }' || fail "$(basename "$unit"): exposure $score is worse than OK (4.9)"
  done

  # Every line of the packaged configuration is explained in docs/server-http.md (JSON has no comments).
  while IFS= read -r line; do
    line=$(echo "$line" | sed 's/^ *//')
    case "$line" in "{"|"}") continue ;; esac
    grep -qF -- "| \`$line\` |" "$source_root/docs/server-http.md" ||
      fail "docs/server-http.md does not explain the line '$line' of packaging/debian/server.json"
  done < "$source_root/packaging/debian/server.json"
  echo "every line of /etc/cccd/server.json is explained in docs/server-http.md"

  # The packaged unit keeps every directive of docs/cccd-server.service but its paths (ExecStart,
  # Documentation, After): the hardening cannot drift apart.
  while IFS= read -r directive; do
    grep -qxF -- "$directive" "$units/server/lib/systemd/system/cccd-server.service" ||
      fail "docs/cccd-server.service has '$directive', the packaged unit does not"
  done < <(grep -v -e '^#' -e '^$' -e '^ExecStart=' -e '^Documentation=' -e '^After=' "$source_root/docs/cccd-server.service")
  echo "the packaged unit has every directive of docs/cccd-server.service (paths aside)"

  if [ "$(id -u)" -ne 0 ] || ! command -v unshare >/dev/null; then
    echo "SKIPPED: installing into a scratch root needs root (a private mount namespace, overlayfs and chroot);"
    echo "         steps 1 and 2 passed, steps 3 to 5 were not run"
    exit 77
  fi
  # The machine's own files, to show they are untouched afterwards.
  fingerprint() {
    for f in /etc/passwd /etc/group /etc/shadow /var/lib/dpkg/status; do sha256sum "$f"; done
    ls -d /etc/cccd /var/lib/cccd /usr/bin/cccd-server /lib/systemd/system/cccd-server.service 2>/dev/null || true
  }
  before=$(fingerprint)
  set +e
  unshare --mount --propagation private "$0" --in-namespace "$build" "$source_root" "$cxx"
  code=$?
  set -e
  after=$(fingerprint)
  [ "$before" = "$after" ] || { diff <(echo "$before") <(echo "$after") >&2; fail "the machine's own files changed"; }
  echo "the machine's /etc/passwd, /etc/group, /etc/shadow and dpkg database are unchanged"
  [ "$code" -eq 0 ] || exit "$code"
  say "packaging: passed"
  exit 0
fi

# ---- inside the private mount namespace ----
scratch=$(mktemp -d "$results/root.XXXXXX")
r=$scratch/merged
mkdir -p "$scratch/upper" "$scratch/work" "$r"
if ! mount -t overlay overlay -o "lowerdir=/,upperdir=$scratch/upper,workdir=$scratch/work" "$r" 2>"$scratch/mount.err"; then
  cat "$scratch/mount.err" >&2
  echo "SKIPPED: no overlayfs here; steps 1 and 2 passed, steps 3 to 5 were not run"
  exit 77
fi
mount -t proc proc "$r/proc"
mount --rbind /dev "$r/dev"
mount -t tmpfs tmpfs "$r/tmp"
mount -t tmpfs -o mode=0755 tmpfs "$r/run"

server_pid=""
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -KILL "$server_pid" 2>/dev/null || true
  fi
  umount -R "$r" 2>/dev/null || umount -lR "$r" 2>/dev/null || true
  rm -rf "$scratch"
}
trap cleanup EXIT

in_root() { chroot "$r" "$@"; }
mode_of() { in_root stat -c '%a %U:%G' "$1"; }
expect_mode() {
  local got
  got=$(mode_of "$1") || fail "$1 is missing"
  [ "$got" = "$2" ] || fail "$1 is $got, expected $2"
  echo "  $1: $got"
}

say "3. dpkg -i into the scratch root (an overlay of /, entered with chroot), maintainer scripts included"
in_root test ! -e /usr/bin/cccd-server || echo "(this machine already has /usr/bin/cccd-server: the packages upgrade it in the scratch root)"
mkdir -p "$r/tmp/debs"
cp "$packages"/*.deb "$r/tmp/debs/"
# As in any chroot: maintainer scripts may not start services (deb-systemd-invoke asks policy-rc.d).
printf '#!/bin/sh\nexit 101\n' > "$r/usr/sbin/policy-rc.d"
chmod 0755 "$r/usr/sbin/policy-rc.d"
debs=()
for f in "$r"/tmp/debs/*.deb; do debs+=("/tmp/debs/$(basename "$f")"); done
in_root dpkg -i "${debs[@]}" > "$results/dpkg.log" 2>&1 || { cat "$results/dpkg.log" >&2; fail "dpkg -i"; }
for p in cccd-server cccd-station cccd-tools libcccd-auth-client-dev; do
  status=$(in_root dpkg-query -W -f='${Status}' "$p")
  [ "$status" = "install ok installed" ] || fail "$p: $status"
done
echo "installed: $(in_root dpkg-query -W -f='${Package} ${Version}, ' cccd-server cccd-station cccd-tools libcccd-auth-client-dev)"

entry=$(in_root getent passwd cccd) || fail "no user cccd"
uid=$(echo "$entry" | cut -d: -f3)
shell=$(echo "$entry" | cut -d: -f7)
[ "$uid" -lt 1000 ] || fail "cccd is not a system user (uid $uid)"
[ "$shell" = /usr/sbin/nologin ] || fail "cccd's shell is $shell"
in_root getent group cccd >/dev/null || fail "no group cccd"
in_root getent passwd cccd-kiosk >/dev/null || fail "no user cccd-kiosk"
echo "system users: cccd (uid $uid, $shell), cccd-kiosk"
expect_mode /var/lib/cccd "700 cccd:cccd"
expect_mode /etc/cccd/keys "700 cccd:cccd"
expect_mode /etc/cccd/credentials "700 root:root"
expect_mode /var/log/cccd "750 cccd:cccd"
expect_mode /etc/cccd/server.json "640 root:cccd"
expect_mode /etc/cccd/kiosk "750 root:cccd-kiosk"
in_root dpkg-query -W -f='${Conffiles}\n' cccd-server | grep -q '^ /etc/cccd/server.json ' ||
  fail "/etc/cccd/server.json is not a conffile"
cmp -s "$r/etc/cccd/server.json" "$source_root/packaging/debian/server.json" || fail "the installed server.json differs from the packaged one"
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
for f in /lib/systemd/system/cccd-server.service /lib/systemd/system/cccd-kiosk.service /usr/bin/cccd-server \
         /usr/bin/cccd-station /usr/bin/cccd-kiosk /usr/bin/cccd-card /usr/bin/cccd-pki \
         /usr/share/icons/hicolor/scalable/apps/cccd-station.svg /usr/share/man/man1/cccd-server.1.gz \
         /usr/share/man/man1/cccd-kiosk.1.gz "/usr/lib/$multiarch/libcccd-auth-client.a" \
         "/usr/lib/$multiarch/pkgconfig/cccd-auth-client.pc" "/usr/lib/$multiarch/cmake/CccdAuthClient/CccdAuthClientConfig.cmake" \
         /usr/include/cccd/auth/client/auth_client.hpp; do
  in_root test -e "$f" || fail "$f is not installed"
done
for f in /etc/systemd/system/multi-user.target.wants/cccd-server.service /etc/systemd/system/graphical.target.wants/cccd-kiosk.service; do
  in_root test ! -e "$f" || fail "$f: the unit was enabled at installation"
done
grep -q '^Name\[vi\]=Trạm cấp Căn cước công dân$' "$r/usr/share/applications/cccd-station.desktop" ||
  fail "the station's desktop entry has no Vietnamese name"
grep -q '^Name\[vi\]=' "$r/usr/share/applications/cccd-kiosk.desktop" || fail "the kiosk's desktop entry has no Vietnamese name"
echo "units installed, not enabled; conffile, desktop entries, icon, man pages, the client library in place"

say "4. cccd-server from the installed files, set up as docs/packaging.md says"
unit=$r/lib/systemd/system/cccd-server.service
unit_value() { sed -n "s/^$1=//p" "$unit"; }
tls_pass='test tls passphrase (not a secret)'
audit_pass='test audit passphrase (not a secret)'
# The commands of docs/packaging.md, "Setting up the server". The PKI lives off the server in a real
# installation; here in root's home of the scratch root, with the passphrases in files there.
printf '%s\n' "$tls_pass" > "$r/root/tls-key-passphrase"
printf '%s\n' "$audit_pass" > "$r/root/audit-key-passphrase"
chmod 0600 "$r/root/tls-key-passphrase" "$r/root/audit-key-passphrase"
in_root env CCCD_KEY_PASSPHRASE_FILE=/root/tls-key-passphrase sh -e -c '
  cccd-pki ca new --dir /root/pki/service --kind service >/dev/null
  cccd-pki ca new --dir /root/pki/rp --kind rp >/dev/null
  cccd-pki tls-server new --ca-dir /root/pki/service --key-file /etc/cccd/keys/server-tls.key \
    --out /etc/cccd/tls/server-chain.pem >/dev/null
  chown cccd:cccd /etc/cccd/keys/server-tls.key
  cp /root/pki/service/ca.pem /etc/cccd/tls/service-ca.pem
  cp /root/pki/rp/ca.pem /etc/cccd/tls/rp-ca.pem
  cat /etc/cccd/tls/service-ca.pem /etc/cccd/tls/rp-ca.pem > /etc/cccd/tls/client-cas.pem' ||
  fail "the certificates (cccd-pki)"
# The passphrases as the unit's encrypted credentials (the host key: a test machine has no TPM to rely on).
for name in tls-key-passphrase audit-key-passphrase; do
  in_root systemd-creds encrypt --with-key=host --name="$name" "/root/$name" "/etc/cccd/credentials/$name" \
    >/dev/null 2>&1 || fail "systemd-creds encrypt $name"
done
# admin init as cccd with umask 077 (the documented cccd_admin function): the database key, the audit
# key, the database.
in_root bash -e -c '
  cccd_admin() { runuser -u cccd -- sh -c '"'"'umask 077; exec cccd-server admin "$@"'"'"' cccd-admin "$@"; }
  CCCD_AUDIT_KEY_PASSPHRASE="$(cat /root/audit-key-passphrase)" cccd_admin init --config /etc/cccd/server.json' \
  > "$results/admin-init.out" 2>&1 || { cat "$results/admin-init.out" >&2; fail "cccd-server admin init"; }
expect_mode /etc/cccd/keys/database.key "600 cccd:cccd"
expect_mode /etc/cccd/keys/audit.key "600 cccd:cccd"
expect_mode /etc/cccd/keys/server-tls.key "600 cccd:cccd"
expect_mode /var/lib/cccd/population.db "600 cccd:cccd"

# What systemd would do for the unit: its credentials decrypted into %d, its User, Environment, UMask
# and ExecStart; only the port is overridden (the environment wins over the file).
creds=/run/credentials/cccd-server.service
in_root mkdir -p "$creds"
while IFS= read -r line; do
  name=${line%%:*}
  in_root systemd-creds decrypt --name="$name" "${line#*:}" "$creds/$name" >/dev/null 2>&1 ||
    fail "systemd-creds decrypt $name"
done < <(unit_value LoadCredentialEncrypted)
in_root chown -R cccd:cccd "$creds"
in_root chmod -R u=rX,go= "$creds"
[ "$(unit_value User)" = cccd ] || fail "the unit does not run as cccd"
environment=()
while IFS= read -r assignment; do environment+=("${assignment//%d/$creds}"); done < <(unit_value Environment)
read -r -a exec_start <<< "$(unit_value ExecStart)"
echo "  ExecStart=${exec_start[*]}"
(
  umask "$(unit_value UMask)"
  exec chroot "$r" setpriv --reuid=cccd --regid=cccd --init-groups \
    env "${environment[@]}" CCCD_SERVER_LISTEN_PORT=0 "${exec_start[@]}"
) > "$results/server.out" 2> "$results/server.err" &
server_pid=$!
port=""
for _ in $(seq 1 300); do
  port=$(sed -n 's/^listening on https:\/\/127\.0\.0\.1:\([0-9]*\)$/\1/p' "$results/server.out")
  [ -n "$port" ] && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$results/server.err" >&2; fail "the server did not start"; }
  sleep 0.1
done
[ -n "$port" ] || { cat "$results/server.err" >&2; fail "the server did not say where it listens"; }
echo "  cccd-server (PID $server_pid, user $(ps -o user= -p "$server_pid")) listens on 127.0.0.1:$port"
health=$(/usr/bin/python3 - "https://127.0.0.1:$port/healthz" "$r/etc/cccd/tls/service-ca.pem" <<'PY'
import ssl, sys, urllib.request
context = ssl.create_default_context(cafile=sys.argv[2])
with urllib.request.urlopen(sys.argv[1], context=context, timeout=10) as answer:
    print(answer.status, answer.read().decode())
PY
) || fail "GET /healthz"
echo "  GET /healthz: $health"
[ "$health" = '200 {"status":"ok"}' ] || fail "/healthz answered $health"
kill -TERM "$server_pid"
set +e
wait "$server_pid"
code=$?
set -e
server_pid=""
[ "$code" -eq 0 ] || { cat "$results/server.err" >&2; fail "the server exited $code after SIGTERM"; }
grep -q '^cccd-server: stopped$' "$results/server.err" || fail "the server did not say it stopped"
echo "  stopped by PID (SIGTERM), exit 0"
if grep -qF -e "$tls_pass" -e "$audit_pass" "$results/server.out" "$results/server.err" "$results/admin-init.out"; then
  fail "a passphrase reached the server's output"
fi

say "4b. An upgrade (the same packages again: dpkg runs the upgrade path) keeps the operator's files"
sed -i 's/"threads": 0,/"threads": 8,/' "$r/etc/cccd/server.json"
kept() { (cd "$r" && sha256sum etc/cccd/server.json etc/cccd/keys/* var/lib/cccd/population.db && stat -c '%n %a %U:%G' \
  etc/cccd/server.json etc/cccd/keys etc/cccd/keys/* var/lib/cccd var/lib/cccd/population.db); }
before_upgrade=$(kept)
in_root dpkg -i "${debs[@]}" < /dev/null > "$results/dpkg-upgrade.log" 2>&1 ||
  { cat "$results/dpkg-upgrade.log" >&2; fail "dpkg -i over the installed packages"; }
[ "$(kept)" = "$before_upgrade" ] || { diff <(echo "$before_upgrade") <(kept) >&2; fail "the upgrade changed the operator's files"; }
grep -q '"threads": 8,' "$r/etc/cccd/server.json" || fail "the upgrade replaced the edited conffile"
echo "  the edited server.json, the keys and the database, their owners and modes: unchanged"

say "5. A relying party's program built against libcccd-auth-client-dev (find_package and pkg-config)"
echo "  pkg-config cccd-auth-client: $(in_root pkg-config --modversion cccd-auth-client)"
in_root cmake -S /usr/share/doc/libcccd-auth-client-dev/examples -B /tmp/consumer -G Ninja \
  -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_COMPILER="$cxx" > "$results/consumer.log" 2>&1 &&
  in_root cmake --build /tmp/consumer >> "$results/consumer.log" 2>&1 ||
  { tail -40 "$results/consumer.log" >&2; fail "the example did not build against the installed package"; }
for program in rp_check_cmake rp_check_pkgconfig; do
  set +e
  in_root "/tmp/consumer/$program" > /dev/null 2>&1
  code=$?
  set -e
  [ "$code" -eq 2 ] || fail "$program without arguments exited $code, expected its usage (2)"
done
echo "  rp_check_cmake and rp_check_pkgconfig built, linked and run (usage)"
