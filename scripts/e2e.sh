#!/usr/bin/env bash
# End-to-end test (`npm run test:e2e`): the built package inside a real n8n 2.x, against the local Stripe
# stand-in. Nothing leaves the machine: the stand-in and n8n listen on 127.0.0.1 (random ports) and n8n's
# outbound calls are switched off (scripts/n8n-env.sh).
#
#   1. installs Node 24 + n8n into ~/.cache/n8n-nodes-stripe if needed (scripts/ensure-n8n.sh)
#   2. builds the package (`npm run build`; E2E_SKIP_BUILD=1 skips it) and the test code
#      (test/standin + test/e2e, `tsc -p test/e2e/tsconfig.json` -> dist-test/), and runs the stand-in's
#      self-test (test/standin/standin.test.ts, partly through the official stripe-node client)
#   3. installs the built package into a fresh temporary n8n user folder, like a community package
#   4. runs dist-test/test/e2e/run.js (see test/e2e/run.ts), which prints PASS/FAIL lines, start-up timings
#      and "N passed, N failed", and exits non-zero on any failure; it includes the editor smoke test
#      (test/e2e/editor.ts: n8n's editor in headless Chromium, driven by playwright-core), which needs a
#      Chromium at /usr/bin/chromium (Debian: apt-get install -y chromium; .ci/run installs it) and saves
#      screenshots to test-artifacts/e2e/
#
# Options (environment): E2E_SKIP_BUILD=1, E2E_SKIP_BASELINE=1 (don't time a start without the package),
# E2E_SKIP_EDITOR=1 (no browser test), E2E_CHROMIUM (browser path, default /usr/bin/chromium),
# E2E_ARTIFACTS_DIR (default test-artifacts/e2e), E2E_KEEP=1 (keep the temporary folder with n8n's logs and
# database), E2E_STANDIN_LATENCY_MS (default 5).
# Every n8n it starts gets a fresh temporary user folder (never the persistent one of `npm start`).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scripts/n8n-env.sh
source "$HERE/n8n-env.sh"
cd "$REPO_ROOT"

SECONDS=0
if [ "${E2E_SKIP_BUILD:-0}" != "1" ]; then
	n8n_build_package
fi
echo "[e2e] compiling the stand-in and the e2e runner (tsc -p test/e2e/tsconfig.json)" >&2
node_modules/.bin/tsc -p test/e2e/tsconfig.json
build_secs=$SECONDS

echo "[e2e] stand-in self-test (jest dist-test/test/standin/standin.test.js)" >&2
if ! node_modules/.bin/jest --silent dist-test/test/standin/standin.test.js >&2; then
	echo "[e2e] the Stripe stand-in's self-test failed; not running the n8n test" >&2
	echo "0 passed, 1 failed"
	exit 1
fi

WORK="$(mktemp -d "${TMPDIR:-/tmp}/n8n-stripe-e2e.XXXXXX")"
cleanup() {
	if [ "${E2E_KEEP:-0}" = "1" ] || [ "${e2e_status:-1}" != "0" ]; then
		echo "[e2e] kept $WORK (logs in $WORK/logs)" >&2
	else
		rm -rf "$WORK"
	fi
}
trap cleanup EXIT
mkdir -p "$WORK/with-package"
n8n_install_package "$WORK/with-package"
export E2E_WORK_DIR="$WORK"

echo "[e2e] n8n $("$N8N_BIN" --version) on Node $(node --version); build took ${build_secs}s" >&2
if [ "${E2E_SKIP_EDITOR:-0}" != "1" ] && [ ! -x "${E2E_CHROMIUM:-/usr/bin/chromium}" ]; then
	echo "[e2e] no Chromium at ${E2E_CHROMIUM:-/usr/bin/chromium}: the editor smoke test will fail" \
		"(install it: apt-get install -y chromium; or set E2E_SKIP_EDITOR=1)" >&2
fi
set +e
node dist-test/test/e2e/run.js
e2e_status=$?
set -e
exit $e2e_status
