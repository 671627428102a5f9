# The system on one machine, as shell functions shared by the main job (scripts/issue-and-authenticate.sh)
# and the GUI tests: the PKI, the server's configuration, keys, registrations and population, and
# starting and stopping cccd-server by PID. Source it after setting: root, build, work, reader.
# The demo passphrases are for these runs only; production reads them from files or an HSM.

pki="$build/bin/cccd-pki"
server="$build/bin/cccd-server"
station="$build/bin/cccd-station"
kiosk="$build/bin/cccd-kiosk"
for program in "$pki" "$server" "$station" "$kiosk"; do
  [ -x "$program" ] || { echo "system: $program is not built" >&2; exit 2; }
done

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
export CCCD_KEY_PASSPHRASE='demo key passphrase'
export CCCD_TLS_KEY_PASSPHRASE="$CCCD_KEY_PASSPHRASE" CCCD_STATION_KEY_PASSPHRASE="$CCCD_KEY_PASSPHRASE"
export CCCD_RP_KEY_PASSPHRASE="$CCCD_KEY_PASSPHRASE"
export CCCD_AUDIT_KEY_PASSPHRASE='demo audit passphrase' CCCD_ASSERTION_KEY_PASSPHRASE='demo assertion passphrase'
export CCCD_OFFICER_PASSWORD='Mật khẩu cán bộ 2026!'

server_pid=""
stop_server() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$server_pid" 2>/dev/null || true
  fi
  server_pid=""
}
trap stop_server EXIT

# system_setup POPULATION: the PKI, the server's configuration and keys, an officer (canbo01), the
# station HCM-Q1-01, the kiosk kiosk-hcm-q1, POPULATION synthetic citizens and the example citizen.
system_setup() {
  local population=$1
  cd "$work"
  say "The PKI: CSCA, Document Signer, service CA (server TLS, station) and relying-party CA (kiosk)"
  "$pki" csca new --dir csca >/dev/null
  "$pki" ds new --csca-dir csca --key-file ds.key.pem --out ds.pem
  "$pki" ca new --dir service --kind service >/dev/null
  "$pki" ca new --dir rp --kind rp >/dev/null
  "$pki" tls-server new --ca-dir service --key-file server.key.pem --out server.pem >/dev/null
  "$pki" client new --ca-dir service --role station --cn HCM-Q1-01 --key-file station.key.pem --out station.pem >/dev/null
  "$pki" client new --ca-dir rp --role rp --cn kiosk-hcm-q1 --key-file kiosk.key.pem --out kiosk.pem >/dev/null
  cat service/ca.pem rp/ca.pem > client-cas.pem

  cat > server.json <<JSON
{
  "listen_address": "127.0.0.1", "listen_port": 0, "threads": 4,
  "tls_certificate": "$work/server.pem", "tls_key": "$work/server.key.pem",
  "tls_client_ca": "$work/client-cas.pem", "require_client_certificate": true,
  "station_ca": "$work/service/ca.pem", "relying_party_ca": "$work/rp/ca.pem",
  "database_kind": "sqlcipher", "database_path": "$work/population.db", "database_key_file": "$work/database.key",
  "audit_signing_key_file": "$work/audit.key", "audit_checkpoint_log": "$work/audit-checkpoints.jsonl",
  "ds_key": "$work/ds.key.pem", "ds_certificate": "$work/ds.pem",
  "assertion_key_file": "$work/assertion.key", "pairwise_secret_file": "$work/pairwise.key",
  "issuer": "https://id.cccd.test"
}
JSON

  say "The server's keys and database; an officer, the station and the kiosk registered"
  "$server" admin init --config server.json
  # The audit key's public half, kept apart as an auditor would keep it off the host: verification
  # trusts only keys given on its command line.
  sed -n 's/^public //p' audit.key > audit-public.txt
  "$server" admin officer add --config server.json --id canbo01 --name "Lê Văn Tám" --role enrollment_officer
  "$server" admin station add --config server.json --id HCM-Q1-01 --location "Công an Quận 1, TP. Hồ Chí Minh" --certificate station.pem
  "$server" admin rp add --config server.json --id kiosk-hcm-q1 --name "Ki-ốt Công an Quận 1" \
    --scopes "name date_of_birth age_over_18" --certificate kiosk.pem

  say "A synthetic population of $population citizens, and the example citizen"
  "$server" admin population generate --count "$population" --seed 2026 --today 2026-11-23 --out population.jsonl
  tr -d '\n' < "$root/tests/data/record_example.json" > example-citizen.jsonl && echo >> example-citizen.jsonl
  "$server" admin population import --config server.json population.jsonl
  "$server" admin population import --config server.json example-citizen.jsonl
}

# The audit log checked as an auditor would, against what was kept off the host: the public key and
# the checkpoint log the server appended to as it signed.
verify_audit() {
  "$server" admin audit verify --config server.json --public-key audit-public.txt --checkpoints audit-checkpoints.jsonl
}

start_server() {
  : > server.out
  "$server" serve --config server.json > server.out 2>> server.log &
  server_pid=$!
  port=""
  for _ in $(seq 1 100); do
    port=$(sed -n 's/^listening on https:\/\/127.0.0.1:\([0-9]*\)$/\1/p' server.out)
    [ -n "$port" ] && break
    kill -0 "$server_pid" 2>/dev/null || { cat server.log >&2; echo "the server did not start" >&2; exit 1; }
    sleep 0.1
  done
  [ -n "$port" ] || { echo "the server did not say where it listens" >&2; exit 1; }
  echo "listening on https://127.0.0.1:$port"
  # The station and the kiosk know the server by its address (a new port after each start here).
  mkdir -p camera  # the desk camera's folder: the enrollment takes its newest picture
  cat > station.json <<JSON
{ "server": "https://127.0.0.1:$port", "server_ca": "service/ca.pem", "certificate": "station.pem", "key": "station.key.pem",
  "queue": "station-queue.db", "queue_key_file": "station-queue.key", "csca": "csca/ca.pem", "reader": "$reader",
  "photo_inbox": "camera", "office": "Công an phường Bến Nghé", "superior_office": "CÔNG AN THÀNH PHỐ HỒ CHÍ MINH",
  "locality": "Thành phố Hồ Chí Minh", "return_place": "Bộ phận một cửa, Công an phường Bến Nghé, Quận 1" }
JSON
  cat > kiosk.json <<JSON
{ "server": "https://127.0.0.1:$port", "server_ca": "service/ca.pem", "certificate": "kiosk.pem", "key": "kiosk.key.pem",
  "reader": "$reader" }
JSON
}

