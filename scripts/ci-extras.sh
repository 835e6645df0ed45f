#!/usr/bin/env bash
# Extra provisioning for CI, run by .ci/run after the engine is up: whatever the tests need beyond Node, the engine
# and the registries. Idempotent; each step says how long it took.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "== chromium (browser tests of the HTML reports)"
scripts/chromium.sh
