#!/usr/bin/env bash
# Starts the real pcscd with the project's own reader configuration and N virtual CCCDs (cccd-vcard),
# on loopback only, and stops them by PID.
#   scripts/vcard-harness.sh start WORKDIR N [VCARD_BINARY] [-- ARGS...]
#                                                             -> WORKDIR/card1 .. cardN hold each card's
#                                                                csca.pem, csca.crl, can.txt, mrz.txt, files
#                                                                (with -- --blank: blank cards, each with its
#                                                                card.img and transport.key)
#   scripts/vcard-harness.sh stop WORKDIR
#   scripts/vcard-harness.sh restart-pcscd WORKDIR            -> stops pcscd by PID and starts it again
#                                                                (the cards reconnect by themselves)
#   scripts/vcard-harness.sh order WORKDIR K ORDER            -> gives card K a run-time order and returns
#                                                                once the card has taken it (its log says so)
#   scripts/vcard-harness.sh card WORKDIR K DIR [ARGS...]     -> (re)starts card K from DIR: the card image
#                                                                DIR/card.img if it exists, otherwise a new
#                                                                example card made with cccd-vcard ARGS
# Example cards carry the portrait tests/data/face.jpg (CCCD_SAMPLE_PHOTO overrides it).
# Every card takes run-time orders on its FIFO WORKDIR/cardK.ctl (echo remove > WORKDIR/card1.ctl):
#   remove | insert | remove-during DG2 | remove-after N     (docs/virtual-chip.md)
# Readers appear in card order: "Virtual PCD 0 00 00", "Virtual PCD 0 00 01", "Virtual PCD 1 01 00", ...
# Only one pcscd can run per mount namespace (its socket is /run/pcscd/pcscd.comm): the harness
# refuses to start when another one is running.
set -euo pipefail
cmd=${1:?usage: vcard-harness.sh start WORKDIR N [VCARD] | stop WORKDIR | restart-pcscd WORKDIR | card WORKDIR K DIR [ARGS] | order WORKDIR K ORDER}
work=${2:?WORKDIR missing}
driver=/usr/lib/pcsc/drivers/serial/libifdvpcd.so
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
photo=${CCCD_SAMPLE_PHOTO:-$root/tests/data/face.jpg}
base_port=35963

stop() {
  for pidfile in "$work"/*.pid; do
    stop_pid "$pidfile"
  done
}

# start_card K DIR [ARGS...]: serves card K on its vpcd port (wait_cards waits until vpcd has it).
start_card() {
  local k=$1 dir=$2
  shift 2
  local port=$((base_port + k - 1))
  local vcard
  vcard=$(cat "$work/vcard.path")
  : > "$work/vcard$k.log"
  "$vcard" --host 127.0.0.1 --port "$port" --sample "$dir" --photo "$photo" --control "$work/card$k.ctl" "$@" \
    > "$work/vcard$k.log" 2>&1 &
  echo $! > "$work/vcard$k.pid"
}

# wait_cards N: until N cards have connected to vpcd (pcscd polls presence every 400 ms).
wait_cards() {
  for _ in $(seq 300); do
    connected=$(cat "$work"/vcard*.log 2>/dev/null | grep -c "connected to vpcd" || true)
    [ "$connected" -ge "$1" ] && break
    sleep 0.1
  done
  sleep 1
}

stop_pid() {
  local pidfile=$1
  [ -e "$pidfile" ] || return 0
  local pid
  pid=$(cat "$pidfile")
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$pidfile"
}

start_pcscd() {
  pcscd --foreground --config "$work/conf" >> "$work/pcscd.log" 2>&1 &
  echo $! > "$work/pcscd.pid"
  sleep 0.5
}

case "$cmd" in
  start)
    count=${3:?N missing}
    vcard=${4:-build/release/bin/cccd-vcard}
    card_args=()
    if [ $# -ge 5 ] && [ "$5" = "--" ]; then card_args=("${@:6}"); fi  # e.g. -- --blank
    [ -x "$vcard" ] || { echo "harness: $vcard not built" >&2; exit 1; }
    [ -e "$driver" ] || { echo "harness: the vpcd driver is missing (apt-get install vsmartcard-vpcd)" >&2; exit 1; }
    if pgrep -x pcscd >/dev/null; then
      echo "harness: a pcscd is already running (pid $(pgrep -x pcscd | head -1)); stop it first" >&2
      exit 1
    fi
    mkdir -p "$work/conf" /run/pcscd
    : > "$work/conf/reader.conf"
    readers=$(( (count + 1) / 2 ))
    for r in $(seq 0 $((readers - 1))); do
      port=$((base_port + 2 * r))
      lib=$driver
      if [ "$r" -gt 0 ]; then  # each entry needs its own copy of the driver file
        lib="$work/libifdvpcd-$r.so"
        cp "$driver" "$lib"
      fi
      printf 'FRIENDLYNAME "Virtual PCD %d"\nDEVICENAME   /dev/null:0x%X\nLIBPATH      %s\nCHANNELID    0x%X\n\n' \
        "$r" "$port" "$lib" "$port" >> "$work/conf/reader.conf"
    done
    start_pcscd
    realpath "$vcard" > "$work/vcard.path"
    for k in $(seq 1 "$count"); do
      start_card "$k" "$work/card$k" "${card_args[@]}"
    done
    wait_cards "$count"
    echo "harness: pcscd and $count virtual card(s) running in $work"
    ;;
  stop)
    stop
    ;;
  card)
    k=${3:?K missing}
    dir=${4:?DIR missing}
    shift 4
    stop_pid "$work/vcard$k.pid"
    start_card "$k" "$dir" "$@"
    for _ in $(seq 300); do grep -q "connected to vpcd" "$work/vcard$k.log" && break; sleep 0.1; done
    sleep 1
    echo "harness: card $k served from $dir"
    ;;
  order)
    # The card reads its FIFO on a thread of its own: a command sent right after the echo could reach
    # the chip before the order does. Wait for the card's log to acknowledge it (up to 5 s).
    k=${3:?K missing}
    order=${4:?ORDER missing}
    taken=$(grep -c "order: " "$work/vcard$k.log" || true)
    echo "$order" > "$work/card$k.ctl"
    for _ in $(seq 100); do
      [ "$(grep -c "order: " "$work/vcard$k.log" || true)" -gt "$taken" ] && exit 0
      sleep 0.05
    done
    echo "harness: card $k did not take the order \"$order\"" >&2
    exit 1
    ;;
  restart-pcscd)
    stop_pid "$work/pcscd.pid"
    start_pcscd
    echo "harness: pcscd restarted (pid $(cat "$work/pcscd.pid"))"
    ;;
  *)
    echo "usage: vcard-harness.sh start WORKDIR N [VCARD] | stop WORKDIR | restart-pcscd WORKDIR | card WORKDIR K DIR [ARGS] | order WORKDIR K ORDER" >&2
    exit 2
    ;;
esac
