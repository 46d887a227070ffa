#!/usr/bin/env bash
# Proves the README's `npm start`: runs it exactly as a user would (in the background, with a throwaway data
# folder and a free port), waits until n8n answers /healthz/readiness, then checks that n8n loaded every node
# and the credential of this package (the node and credential type lists n8n generates for the editor, served
# as /types/nodes.json and /types/credentials.json) and that its log has no package load error, and stops it. Used by .ci/run; prints PASS/FAIL lines.
#
#   SMOKE_TIMEOUT_SECS  how long `npm start` may take until ready (default 2400: a first start installs n8n)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

WORK="$(mktemp -d "${TMPDIR:-/tmp}/n8n-stripe-start.XXXXXX")"
PORT="$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")"
BROKER_PORT="$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")"
LOG="$WORK/npm-start.log"
TIMEOUT="${SMOKE_TIMEOUT_SECS:-2400}"
pid=""
stop() {
	if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
		kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
		for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
		kill -KILL -- "-$pid" 2>/dev/null || true
	fi
}
trap 'stop; [ "${SMOKE_KEEP:-0}" = 1 ] || rm -rf "$WORK"' EXIT

echo "[smoke] npm start (data folder $WORK/user, port $PORT; log $LOG)" >&2
SECONDS=0
set -m
N8N_USER_FOLDER="$WORK/user" N8N_PORT="$PORT" N8N_RUNNERS_BROKER_PORT="$BROKER_PORT" npm start >"$LOG" 2>&1 </dev/null &
pid=$!
set +m

ready=0
while [ "$SECONDS" -lt "$TIMEOUT" ]; do
	if ! kill -0 "$pid" 2>/dev/null; then break; fi
	if [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$PORT/healthz/readiness" || true)" = "200" ]; then
		ready=1
		break
	fi
	sleep 2
done

passed=0
failed=0
check() { if [ "$2" = 1 ]; then echo "PASS  $1"; passed=$((passed + 1)); else echo "FAIL  $1"; failed=$((failed + 1)); fi; }
check "npm start: n8n answers /healthz/readiness (after ${SECONDS} s)" "$ready"
if [ "$ready" = 1 ]; then
	# The files n8n generated at boot and serves to the signed-in editor as /types/nodes.json and
	# /types/credentials.json (the HTTP routes need a session; the files are the same).
	types_dir="$WORK/user/.cache/n8n/public/types"
	for _ in $(seq 1 60); do [ -s "$types_dir/nodes.json" ] && [ -s "$types_dir/credentials.json" ] && break; sleep 1; done
	sleep 1 # written once at boot; let the writes finish
	missing="$(node -e '
		const fs = require("fs"), path = require("path");
		const pkg = require("./package.json");
		const types = new Set(JSON.parse(fs.readFileSync(process.argv[1], "utf8")).map((t) => t.name));
		const creds = new Set(JSON.parse(fs.readFileSync(process.argv[2], "utf8")).map((c) => c.name));
		const missing = [];
		for (const rel of pkg.n8n.nodes) {
			const cls = Object.values(require(path.resolve(rel))).find((v) => typeof v === "function");
			const name = `${pkg.name}.${new cls().description.name}`;
			if (!types.has(name)) missing.push(name);
		}
		for (const rel of pkg.n8n.credentials) {
			const cls = Object.values(require(path.resolve(rel))).find((v) => typeof v === "function");
			if (!creds.has(new cls().name)) missing.push(`credential ${new cls().name}`);
		}
		console.log(missing.join(" "));
	' "$types_dir/nodes.json" "$types_dir/credentials.json" 2>&1 | grep -v "^\s*at " | tail -n 4 || echo "could not read n8n's type lists")"
	check "npm start: n8n loaded all $(node -p 'require("./package.json").n8n.nodes.length') nodes and the credential of the package${missing:+ (missing: $missing)}" "$([ -z "$missing" ] && echo 1 || echo 0)"
	errors="$(grep -Ei 'error.*n8n-nodes-stripe|n8n-nodes-stripe.*(error|failed)|SQLite package has not been found|There was an error initializing DB|Cannot find module' "$LOG" | head -5 || true)"
	check "npm start: no package load or database error in n8n's log${errors:+: $errors}" "$([ -z "$errors" ] && echo 1 || echo 0)"
fi
stop
if [ "$failed" -gt 0 ]; then
	echo "[smoke] the last lines of the npm start log:" >&2
	tail -n 40 "$LOG" >&2
fi
echo "smoke: $passed passed, $failed failed"
[ "$failed" = 0 ]
