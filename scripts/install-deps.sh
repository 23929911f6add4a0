#!/usr/bin/env bash
# Installs what ChatPort needs from Debian 12's packages. Safe to run again: it installs only
# what is missing.
#
#   scripts/install-deps.sh app    what building and running the app needs
#   scripts/install-deps.sh test   that, plus the test, sanitizer and fuzzing (clang, its
#                                  sanitizers and libFuzzer; llvm for llvm-symbolizer, which
#                                  names the frames of their reports, so that suppressions
#                                  match) and Windows (mingw + Wine) tools
set -euo pipefail

what=${1:-app}

app_packages=(
  ca-certificates g++ make cmake ninja-build pkg-config git
  libspdlog-dev libfmt-dev liburing-dev libutf8proc-dev libgcrypt20-dev libsqlite3-dev
  qt6-base-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools qt6-translations-l10n libgl-dev
  fonts-noto-cjk fonts-noto-color-emoji
)
test_packages=(
  googletest libgtest-dev
  clang libclang-rt-14-dev llvm
  g++-mingw-w64-x86-64-posix wine wine64
  libgcrypt-mingw-w64-dev libgpg-error-mingw-w64-dev
  xvfb xauth trayer
  iproute2 procps
)

case "$what" in
  app) wanted=("${app_packages[@]}") ;;
  test)
    wanted=("${app_packages[@]}" "${test_packages[@]}")
    # The Noise interop test runs an independent implementation under Node.js. Debian's nodejs
    # and npm only where there is no node or npm already: a Node.js installed another way
    # conflicts with Debian's npm package.
    command -v node >/dev/null || wanted+=(nodejs)
    command -v npm >/dev/null || wanted+=(npm)
    ;;
  *) echo "usage: $0 app|test" >&2; exit 2 ;;
esac

missing=()
for p in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: every package needed is installed"
elif [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: missing packages: ${missing[*]}" >&2
  echo "install-deps: run as root (or with sudo) to install them" >&2
  exit 1
else
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # A fresh machine has no package lists yet; an old list may name versions no longer served.
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

if [ "$what" = test ]; then
  # noise-protocol for the Noise interop test, exactly as package-lock.json pins it. npm keeps
  # its own copy of the lock in node_modules; a newer one means nothing changed since.
  interop=$(cd "$(dirname "$0")/../tests/noise/interop" && pwd)
  if [ "$interop/node_modules/.package-lock.json" -nt "$interop/package-lock.json" ]; then
    echo "install-deps: the Noise interop test's npm packages are installed"
  else
    echo "install-deps: npm ci in $interop"
    (cd "$interop" && npm ci --no-audit --no-fund)
  fi
fi
