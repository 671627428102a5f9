# Sourced by the GUI tests: a private X server (Xvfb) on a free display, started and stopped by PID.
#   start_xvfb TMPDIR     sets DISPLAY, QT_QPA_PLATFORM=xcb, XDG_RUNTIME_DIR and xvfb_pid
#   stop_xvfb
xvfb_pid=""
start_xvfb() {
  local tmp=$1
  # A free display number: Xvfb writes the one it took to the descriptor we give it.
  exec 5> "$tmp/display"
  Xvfb -displayfd 5 -screen 0 1280x900x24 -nolisten tcp > "$tmp/xvfb.log" 2>&1 &
  xvfb_pid=$!
  for _ in $(seq 1 100); do [ -s "$tmp/display" ] && break; sleep 0.1; done
  [ -s "$tmp/display" ] || { cat "$tmp/xvfb.log"; echo "FAIL: Xvfb did not start" >&2; exit 1; }
  export DISPLAY=":$(head -1 "$tmp/display")"
  export QT_QPA_PLATFORM=xcb XDG_RUNTIME_DIR="$tmp"
}
stop_xvfb() {
  [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null && wait "$xvfb_pid" 2>/dev/null
  xvfb_pid=""
}
