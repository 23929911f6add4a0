#!/usr/bin/env bash
# Runs a program against a private Xvfb server, so it shows real X11 windows without a
# desktop: run_under_xvfb.sh PROGRAM [ARGS...]. Exits 77 (skipped) if Xvfb is not installed.
#
# Xvfb picks a free display itself (-displayfd) and writes its number once it accepts
# connections; the script waits for that with a deadline, then stops the server afterwards.
set -euo pipefail

if ! command -v Xvfb >/dev/null 2>&1; then
  echo "run_under_xvfb: Xvfb is not installed; skipping" >&2
  exit 77
fi

work=$(mktemp -d)
xvfb_pid=
cleanup() {
  if [ -n "$xvfb_pid" ]; then
    kill "$xvfb_pid" 2>/dev/null || true
    wait "$xvfb_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

mkfifo "$work/displayfd"
Xvfb -displayfd 3 -screen 0 1600x1000x24 -nolisten tcp -noreset 3>"$work/displayfd" \
  >"$work/xvfb.log" 2>&1 &
xvfb_pid=$!

display=
if ! read -r -t 20 display <"$work/displayfd" || [ -z "$display" ]; then
  echo "run_under_xvfb: Xvfb did not start within 20 s:" >&2
  cat "$work/xvfb.log" >&2 || true
  exit 1
fi

export DISPLAY=":$display"
export QT_QPA_PLATFORM=xcb
status=0
"$@" || status=$?
exit "$status"
