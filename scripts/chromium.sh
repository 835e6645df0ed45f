#!/usr/bin/env bash
# Installs Debian's chromium for the browser tests (test/report/html/browser/), idempotently: nothing is done when
# /usr/bin/chromium already runs. playwright-core drives this binary; no browser is ever downloaded by npm.
set -euo pipefail
# (Debian's wrapper script prints a harmless shell warning on stderr; it is dropped.)
if /usr/bin/chromium --version >/dev/null 2>&1; then
  echo "chromium: $(/usr/bin/chromium --version 2>/dev/null)"
  exit 0
fi
start=$(date +%s)
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium >/dev/null
echo "chromium: installed $(/usr/bin/chromium --version 2>/dev/null) in $(($(date +%s) - start)) s"
