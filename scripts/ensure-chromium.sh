#!/usr/bin/env bash
# Playwright cannot download its own browsers here; it drives Debian's Chromium.
set -euo pipefail
CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ ! -x "$CHROMIUM_PATH" ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "chromium: installing Debian's chromium"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "chromium: $CHROMIUM_PATH is missing; install Chromium (sudo apt-get install chromium) or set CHROMIUM_PATH" >&2
    exit 1
  fi
fi
