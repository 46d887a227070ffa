#!/usr/bin/env bash
# `npm start`: n8n with this package loaded, at http://localhost:5678, on n8n's default SQLite database.
#
#   1. installs Node.js 24 + n8n into ~/.cache/n8n-nodes-stripe on first use (scripts/ensure-n8n.sh; n8n 2.x
#      needs Node >= 24, whatever Node runs npm)
#   2. installs the repository's dependencies if node_modules is missing (npm ci) and builds the package
#      (npm run build -> dist/); START_SKIP_BUILD=1 skips the build
#   3. installs the built package (package.json + dist/) into
#      $N8N_USER_FOLDER/.n8n/nodes/node_modules/n8n-nodes-stripe, exactly where n8n puts community packages,
#      so the nodes appear as n8n-nodes-stripe.* (e.g. "Stripe Core")
#   4. runs `n8n start` in the foreground (Ctrl-C stops it)
#
# Data (workflows, credentials, executions, database.sqlite) persists in $N8N_USER_FOLDER/.n8n, by default
# ~/.n8n-nodes-stripe/.n8n. Use another folder with N8N_USER_FOLDER=/path npm start.
# Other settings: N8N_PORT (5678), N8N_LISTEN_ADDRESS (127.0.0.1), and anything n8n reads from the
# environment; n8n's calls to n8n.io services (telemetry, templates, version checks, …) are off, see
# scripts/n8n-env.sh. Extra arguments are passed to `n8n start`.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scripts/n8n-env.sh
source "$HERE/n8n-env.sh"
cd "$REPO_ROOT"

if [ "${START_SKIP_BUILD:-0}" != "1" ] || [ ! -d "$REPO_ROOT/dist" ]; then
	n8n_build_package
fi
mkdir -p "$N8N_USER_FOLDER"
n8n_install_package "$N8N_USER_FOLDER"

cat >&2 <<MSG

  n8n $("$N8N_BIN" --version) with $PACKAGE_NAME $(node -p "require('$REPO_ROOT/package.json').version") (Node $(node --version))
  data folder: $N8N_USER_FOLDER/.n8n
  open:        $N8N_PROTOCOL://$N8N_HOST:$N8N_PORT   (first visit: create the local owner account)
  stop:        Ctrl-C

MSG
# n8n reads a .env file from its working directory; run it from the data folder, not from the repository.
cd "$N8N_USER_FOLDER"
exec "$N8N_BIN" start "$@"
