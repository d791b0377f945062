#!/usr/bin/env bash
# The README's test command: installs what is missing, then runs every check and every test:
# typecheck, lint, unit and integration tests (vitest), the production build, and the browser
# tests (Playwright in Debian's Chromium) against the demo mesh with a real Prometheus.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/ensure-node.sh test
export NEXT_TELEMETRY_DISABLED=1 PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

scripts/ensure-system.sh prometheus chromium kubectl || {
  echo "Continuing without the missing programs: the tests that need them will say so and skip." >&2
}
scripts/ensure-node-modules.sh

step() { echo; echo "== $*"; }
step "typecheck"; npx tsc --noEmit -p .
step "lint"; npx eslint . --max-warnings=0
step "unit and integration tests"; npx vitest run
step "build"; npx next build
step "browser tests"; npx playwright test
