#!/usr/bin/env bash
# The README's demo command: installs what is missing, builds the console, starts the demo mesh.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/ensure-node.sh demo
scripts/ensure-system.sh prometheus
scripts/ensure-node-modules.sh
scripts/ensure-build.sh
exec node --import tsx demo/run.ts "$@"
