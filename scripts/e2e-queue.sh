#!/usr/bin/env bash
# Queue-mode end-to-end test (`npm run test:e2e:queue`): the built package in n8n's queue mode — a main
# process, one webhook processor and two workers — with Redis and Postgres, against the local Stripe stand-in.
# See test/e2e/queue.ts for what it proves. Nothing leaves the machine: everything listens on 127.0.0.1.
#
#   1. installs Node 24 + n8n into ~/.cache/n8n-nodes-stripe if needed (scripts/ensure-n8n.sh), builds the
#      package (E2E_SKIP_BUILD=1 skips it) and the e2e code;
#   2. installs Debian's redis-server and postgresql with apt-get when they are missing (needs root);
#   3. starts Redis and a fresh Postgres cluster (initdb as the postgres user) in a temporary folder, on
#      random loopback ports, and creates the database;
#   4. installs the built package into the user folders of main, the webhook processor and both workers
#      (plus one folder without it), then runs dist-test/test/e2e/queue.js;
#   5. stops everything it started and removes the temporary folder (kept on failure or with E2E_KEEP=1).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scripts/n8n-env.sh
source "$HERE/n8n-env.sh"
cd "$REPO_ROOT"

if [ "${E2E_SKIP_BUILD:-0}" != "1" ]; then
	n8n_build_package
fi
echo "[e2e-queue] compiling the stand-in and the e2e runner (tsc -p test/e2e/tsconfig.json)" >&2
node_modules/.bin/tsc -p test/e2e/tsconfig.json

# --- Redis and Postgres from Debian's packages --------------------------------------------------------
pg_bin=""
find_pg() { pg_bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"; }
find_pg
if ! command -v redis-server >/dev/null || [ -z "$pg_bin" ] || [ ! -x "$pg_bin/initdb" ]; then
	if [ "$(id -u)" != "0" ]; then
		echo "[e2e-queue] redis-server and postgresql are needed (apt-get install -y redis-server postgresql, as root)" >&2
		echo "0 passed, 1 failed"
		exit 1
	fi
	echo "[e2e-queue] installing redis-server and postgresql (apt-get)" >&2
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server postgresql >&2
	find_pg
fi
echo "[e2e-queue] $(redis-server --version | cut -d' ' -f1-3), PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}')" >&2

WORK="$(mktemp -d "${TMPDIR:-/tmp}/n8n-stripe-e2e-queue.XXXXXX")"
chmod 755 "$WORK"
redis_pid=""
pg_started=0
as_pg() { if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
cleanup() {
	set +e
	if [ "$pg_started" = "1" ]; then as_pg "$pg_bin/pg_ctl" -D "$WORK/pg" -m fast -w stop >/dev/null 2>&1; fi
	if [ -n "$redis_pid" ]; then
		kill "$redis_pid" 2>/dev/null
		wait "$redis_pid" 2>/dev/null
	fi
	if [ "${E2E_KEEP:-0}" = "1" ] || [ "${e2e_status:-1}" != "0" ]; then
		echo "[e2e-queue] kept $WORK (logs in $WORK/logs)" >&2
	else
		rm -rf "$WORK"
	fi
}
trap cleanup EXIT

free_port() { node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
REDIS_PORT="$(free_port)"
PG_PORT="$(free_port)"

mkdir -p "$WORK/redis" "$WORK/pg" "$WORK/pgsock" "$WORK/logs"
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --dir "$WORK/redis" --save '' --appendonly no \
	--logfile "$WORK/logs/redis.log" --daemonize no &
redis_pid=$!

if [ "$(id -u)" = "0" ]; then chown postgres: "$WORK/pg" "$WORK/pgsock" "$WORK/logs"; fi
as_pg "$pg_bin/initdb" -D "$WORK/pg" -U postgres -A trust -E UTF8 --no-instructions >"$WORK/logs/initdb.log" 2>&1
as_pg "$pg_bin/pg_ctl" -D "$WORK/pg" -w -l "$WORK/logs/postgres.log" \
	-o "-p $PG_PORT -c listen_addresses=127.0.0.1 -k $WORK/pgsock -c fsync=off -c synchronous_commit=off" start >/dev/null
pg_started=1
psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -qc 'CREATE DATABASE n8n' >/dev/null
for _ in $(seq 1 50); do
	[ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" = "PONG" ] && break
	sleep 0.1
done
if [ "$(id -u)" = "0" ]; then chown -R "$(id -u):$(id -g)" "$WORK/logs"; chown postgres: "$WORK/logs/postgres.log"; fi

# --- the package in every process's community folder (one folder without it) ----------------------------
for f in main webhook webhook2 worker1 worker2; do
	mkdir -p "$WORK/$f"
	n8n_install_package "$WORK/$f"
done
mkdir -p "$WORK/nopkg/.n8n"

export E2E_WORK_DIR="$WORK" QUEUE_REDIS_PORT="$REDIS_PORT" QUEUE_PG_PORT="$PG_PORT" QUEUE_PG_SOCKET_DIR="$WORK/pgsock"
echo "[e2e-queue] n8n $("$N8N_BIN" --version) on Node $(node --version); Redis :$REDIS_PORT, Postgres :$PG_PORT" >&2
set +e
node dist-test/test/e2e/queue.js
e2e_status=$?
set -e
exit $e2e_status
