#!/usr/bin/env bash
# Installs the npm packages from package-lock.json when node_modules is missing or older than the
# lock file. Playwright's own browser download cannot work offline: the tests use Debian's Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 NEXT_TELEMETRY_DISABLED=1

# The supported lines are package.json's engines: 22 from 22.19 (what @kubernetes/client-node 2
# needs) and 24. scripts/ensure-node.sh, sourced first by the README's commands, provides one.
if ! node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a === 24 || (a === 22 && b >= 19) ? 0 : 1)'; then
  echo "mesh-console needs Node.js 22.19 or later on the 22 line, or 24 (found $(node --version))." >&2
  exit 1
fi

# npm install, not npm ci: it installs the versions pinned in package-lock.json just the same, but
# npm ci also insists on lock entries for other operating systems' optional builds (Next.js' SWC
# binaries for macOS and Windows), which a registry mirror may not serve and the lock then lacks.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ] || [ package.json -nt node_modules/.package-lock.json ]; then
  echo "Installing npm packages from package-lock.json…" >&2
  npm install --no-audit --no-fund --loglevel=error
fi
