#!/usr/bin/env bash
# Makes sure the system programs the demo and the tests run are installed: Prometheus (the real
# server, Debian package `prometheus`), Chromium for the browser tests (`chromium`) and kubectl
# (Debian's `kubernetes-client` where no kubectl is on PATH). As root it installs what is missing
# with apt-get; otherwise it says exactly what to install and stops.
#
# Usage: scripts/ensure-system.sh [prometheus] [chromium] [kubectl]
set -euo pipefail

declare -A package_for=([prometheus]=prometheus [chromium]=chromium [kubectl]=kubernetes-client)
declare -A binary_for=([prometheus]=prometheus [chromium]=chromium [kubectl]=kubectl)

missing=()
for program in "$@"; do
  command -v "${binary_for[$program]}" >/dev/null 2>&1 || missing+=("${package_for[$program]}")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "Missing system packages: ${missing[*]}" >&2
  echo "Install them first, for example: sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi

echo "Installing system packages: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
