#!/usr/bin/env bash
# Builds the console (next build) when there is no standalone build yet or a source file is newer
# than it. The build goes to MESH_CONSOLE_DIST_DIR (default .next), as next.config.ts says; the demo
# then serves its standalone server (server/cli/standalone.ts links its static assets in place).
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1
dist="${MESH_CONSOLE_DIST_DIR:-.next}"
if [ -f "$dist/BUILD_ID" ] && [ -f "$dist/standalone/server.js" ] && [ -z "$(find app components lib server public next.config.ts package-lock.json -newer "$dist/BUILD_ID" -print -quit 2>/dev/null)" ]; then
  exit 0
fi
echo "Building the console (next build into $dist)…" >&2
npx next build
