# shellcheck shell=bash
# Shared environment for scripts/start-n8n.sh and scripts/e2e.sh. Source it, don't run it:
#
#   source "$(dirname "$0")/n8n-env.sh"
#
# It makes sure Node.js 24 + n8n are installed (scripts/ensure-n8n.sh, cached outside the repository),
# puts Node 24 first on PATH (n8n spawns its JS task runner as plain `node`), and exports settings that
# keep n8n from calling out to the internet. Every setting below is only a default: a value already
# present in the environment wins.
#
# After sourcing, these are set:
#   REPO_ROOT          the repository root
#   N8N_BIN            the n8n executable          N8N_INSTALL_DIR  where n8n is installed
#   N8N_NODE_BIN_DIR   Node 24's bin directory (first on PATH)
#   PACKAGE_NAME       the package name from package.json (n8n-nodes-stripe)
# and the functions n8n_build_package and n8n_install_package (see below).

_n8n_env_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$_n8n_env_dir/.." && pwd)"
export REPO_ROOT

_n8n_paths="$(bash "$_n8n_env_dir/ensure-n8n.sh")" || {
	echo "[n8n-env] installing Node 24 / n8n failed; see ${N8N_STRIPE_CACHE:-$HOME/.cache/n8n-nodes-stripe}/install.log" >&2
	return 1 2>/dev/null || exit 1
}
eval "$_n8n_paths"
unset _n8n_paths
export N8N_BIN N8N_INSTALL_DIR N8N_NODE_BIN_DIR
case ":$PATH:" in
	"$N8N_NODE_BIN_DIR:"*) ;;
	*) export PATH="$N8N_NODE_BIN_DIR:$PATH" ;;
esac

PACKAGE_NAME="$(node -p "require('$REPO_ROOT/package.json').name")"
export PACKAGE_NAME

_n8n_default() { # _n8n_default NAME VALUE: export NAME=VALUE unless NAME is already set
	if [ -z "${!1+x}" ]; then export "$1=$2"; else export "${1?}"; fi
}

# --- No outbound calls -------------------------------------------------------------------------------
_n8n_default N8N_DIAGNOSTICS_ENABLED false            # telemetry (RudderStack/PostHog), also in the browser
_n8n_default N8N_VERSION_NOTIFICATIONS_ENABLED false  # api.n8n.io/api/versions
_n8n_default N8N_VERSION_NOTIFICATIONS_WHATS_NEW_ENABLED false
_n8n_default N8N_TEMPLATES_ENABLED false              # api.n8n.io/api/templates
_n8n_default N8N_PERSONALIZATION_ENABLED false        # onboarding survey
_n8n_default N8N_VERIFIED_PACKAGES_ENABLED false      # verified community nodes list (api.n8n.io strapi)
_n8n_default N8N_UNVERIFIED_PACKAGES_ENABLED true     # our package is installed by hand, not from the list
_n8n_default N8N_REINSTALL_MISSING_PACKAGES false     # never npm-install community packages at boot
_n8n_default N8N_DYNAMIC_BANNERS_ENABLED false        # banners fetched from api.n8n.io
_n8n_default N8N_HIRING_BANNER_ENABLED false
_n8n_default N8N_AI_ENABLED false                     # AI assistant / builder (n8n cloud services)
_n8n_default N8N_LICENSE_AUTO_RENEW_ENABLED false     # license server
_n8n_default N8N_MCP_COMMUNITY_NODE_DISCOVERY_ENABLED false
# Backend modules that call out at boot or are not needed. (community-packages must stay enabled: it is
# the module that loads packages from <user folder>/.n8n/nodes/node_modules.)
_n8n_default N8N_DISABLED_MODULES "mcp-registry,instance-ai,agents"

# --- Local-only, quiet server defaults ---------------------------------------------------------------
_n8n_default N8N_LISTEN_ADDRESS 127.0.0.1             # only loopback
_n8n_default N8N_HOST localhost
_n8n_default N8N_PORT 5678
_n8n_default N8N_PROTOCOL http
_n8n_default N8N_SECURE_COOKIE false                  # plain http on localhost
_n8n_default N8N_RUNNERS_BROKER_LISTEN_ADDRESS 127.0.0.1
_n8n_default N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS true
_n8n_default DB_SQLITE_POOL_SIZE 2
# Persistent user folder for `npm start`: workflows, credentials, the SQLite database and the installed
# package live in $N8N_USER_FOLDER/.n8n. Outside the repository, so it survives `git clean` and re-clones.
# (The e2e test never uses it: it gives every n8n it starts a fresh temporary folder.)
_n8n_default N8N_USER_FOLDER "$HOME/.n8n-nodes-stripe"

unset -f _n8n_default

# n8n_build_package: install the repository's dev dependencies if missing or stale (scripts/ensure-deps.sh),
# then `npm run build` (dist/). Uses the machine's own node/npm (the package targets Node >= 20.15), not Node 24.
n8n_build_package() {
	local sys_path="${PATH#"$N8N_NODE_BIN_DIR:"}"
	(
		cd "$REPO_ROOT" || exit 1
		export PATH="$sys_path"
		bash scripts/ensure-deps.sh || exit 1
		echo "[n8n-env] building the package (npm run build)" >&2
		npm run build --silent
	)
}

# n8n_install_package USER_FOLDER: install the built package into USER_FOLDER/.n8n/nodes/node_modules/<name>
# as a real community package (a copy of package.json + dist/, like `npm install` would leave it), so its
# node types are <name>.<node>, e.g. n8n-nodes-stripe.stripeCore. A copy, not a symlink: n8n resolves a
# package's `require('n8n-workflow')` from the package's real path, and a symlink into the repository would
# load the repository's own n8n-workflow instead of n8n's.
n8n_install_package() {
	local user_folder="$1" src="${2:-$REPO_ROOT}"
	local nodes_dir="$user_folder/.n8n/nodes"
	local target="$nodes_dir/node_modules/$PACKAGE_NAME"
	if [ ! -f "$src/package.json" ] || [ ! -d "$src/dist" ]; then
		echo "[n8n-env] $src/dist is missing; build the package first" >&2
		return 1
	fi
	mkdir -p "$nodes_dir/node_modules"
	[ -f "$nodes_dir/package.json" ] || echo '{"name":"installed-nodes","private":true,"dependencies":{}}' >"$nodes_dir/package.json"
	rm -rf "$target.tmp"
	mkdir -p "$target.tmp"
	cp "$src/package.json" "$target.tmp/"
	for f in README.md LICENSE LICENSE.md; do [ -f "$src/$f" ] && cp "$src/$f" "$target.tmp/"; done
	cp -R "$src/dist" "$target.tmp/dist"
	rm -rf "$target" && mv "$target.tmp" "$target"
	# Runtime dependencies (a verified-style package has none; n8n-workflow is provided by n8n itself).
	if node -e "const d=require('$target/package.json').dependencies||{};process.exit(Object.keys(d).length?0:1)"; then
		(cd "$target" && npm install --omit=dev --omit=peer --no-package-lock --no-audit --no-fund --ignore-scripts) >&2 || return 1
	fi
}
