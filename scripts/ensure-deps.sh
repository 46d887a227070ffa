#!/usr/bin/env bash
# Installs the repository's own (dev) dependencies with `npm ci` when they are missing or do not match
# package-lock.json, so that `npm test`, `npm start` and `npm run test:e2e` work as the first command in a
# fresh clone. A stamp in node_modules records the lock file they were installed from; an install interrupted
# half-way leaves no stamp and is redone. Uses the machine's own Node and npm (the package targets Node >= 20).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

STAMP=node_modules/.n8n-nodes-stripe-deps
want="$(node -e "process.stdout.write(require('crypto').createHash('sha256').update(require('fs').readFileSync('package-lock.json')).digest('hex'))")"
if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$want" ] && [ -x node_modules/.bin/tsc ]; then
	exit 0
fi
echo "[deps] installing the repository's dependencies (npm ci; about a minute and a half on a fresh machine)" >&2
# The repository's .npmrc (ignore-scripts=true) applies: none of these dev dependencies needs an install script.
npm ci --no-audit --no-fund --loglevel=error >&2
printf '%s' "$want" >"$STAMP"
