#!/usr/bin/env bash
# Extra provisioning for CI, run by .ci/run after the engine is up: whatever the tests need beyond Node, the engine
# and the registries. Idempotent; each step says how long it took.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "== chromium (browser tests of the HTML reports)"
scripts/chromium.sh
echo "== zsh and fish (the shell-completion tests run each generated script in a real shell), attr (xattr tests)"
if ! command -v zsh >/dev/null || ! command -v fish >/dev/null || ! command -v setfattr >/dev/null; then
  start=$(date +%s)
  export DEBIAN_FRONTEND=noninteractive
  # the package lists are usually fresh from the chromium step; update only when they are not
  apt-get install -y -qq --no-install-recommends zsh fish attr >/dev/null 2>&1 ||
    { apt-get update -qq && apt-get install -y -qq --no-install-recommends zsh fish attr >/dev/null; }
  echo "zsh, fish and attr: installed in $(($(date +%s) - start)) s"
fi
