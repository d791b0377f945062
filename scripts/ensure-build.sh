#!/usr/bin/env bash
# Builds the console (next build) when there is no build yet or a source file is newer than it.
set -euo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1
if [ -f .next/BUILD_ID ] && [ -z "$(find app components lib server public next.config.ts package-lock.json -newer .next/BUILD_ID -print -quit 2>/dev/null)" ]; then
  exit 0
fi
echo "Building the console (next build)…" >&2
npx next build
