#!/usr/bin/env bash
# Installs what ChatPort needs, builds it, and starts it. Arguments go to the app:
#   scripts/run.sh                         the start dialog
#   scripts/run.sh --host --name Ann       host a chat
#   scripts/run.sh --join 192.168.1.20 --name Ben
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh app
scripts/build.sh release -DCHATPORT_BUILD_UI=ON -DCHATPORT_BUILD_TESTS=OFF -DCHATPORT_BUILD_BENCH=OFF
app=build/release/app/gui/chatport
case " $* " in *" --help "*|*" --version "*|*" -h "*|*" -v "*) exec "$app" "$@" ;; esac
if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ -z "${QT_QPA_PLATFORM:-}" ]; then
  echo "run.sh: ChatPort is built ($app) but there is no display to show its window." >&2
  echo "run.sh: start it from a desktop session, or use the headless build/release/app/cli/chatport-cli." >&2
  exit 1
fi
exec "$app" "$@"
