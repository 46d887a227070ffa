/**
 * End-to-end test in n8n's queue mode (`npm run test:e2e:queue`, scripts/e2e-queue.sh): the built package in
 * a main process, one webhook processor and two workers, with Redis (the queue) and Postgres (the database)
 * that e2e-queue.sh installs from Debian's packages and starts on loopback; the Stripe stand-in plays Stripe.
 *
 *   main            `n8n start`, N8N_DISABLE_PRODUCTION_MAIN_PROCESS=true (serves the editor, REST, /webhook-test/)
 *   webhook         `n8n webhook` (serves /webhook/: production deliveries)
 *   worker 1 and 2  `n8n worker --concurrency=1` (so two jobs at once run on different workers)
 *
 * All with EXECUTIONS_MODE=queue, OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS=true, the same N8N_ENCRYPTION_KEY, the
 * database binary-data mode and WEBHOOK_URL pointing at a small loopback proxy that routes /webhook-test/ to
 * main and everything else to the webhook processor, as a load balancer in front of n8n would.
 *
 * It proves: family nodes run on workers (create, Return All over pages of 100); the trigger's lifecycle through
 * the webhook processor (activation on main, signed / forged / stale / unsigned / unselected deliveries, the
 * same delivery seen again — also after a restart of the webhook processor — started once, a main restart
 * creating and deleting nothing, deactivation); Listen for test event (the test event output by the manual run
 * on a worker) with its test destination removed afterwards; a destination deleted while main is down (replaced
 * at the start) or while the workflow is active (reported by an execution on a worker; the gap started after
 * unpublish / publish); the example credit-grant workflows and a file download -> upload on workers; two concurrent
 * executions on different workers sharing one account's rate limit; what a webhook processor without the
 * package answers. Prints PASS/FAIL lines and `N passed, N failed`.
 *
 * Environment (set by e2e-queue.sh): E2E_WORK_DIR (user folders main/, webhook/, worker1/, worker2/ with the
 * package, nopkg/ without), QUEUE_REDIS_PORT, QUEUE_PG_PORT, QUEUE_PG_SOCKET_DIR, N8N_BIN, N8N_INSTALL_DIR.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';

import { signatureHeader } from '../../nodes/shared/events/signature';
import { startStandin, type Standin } from '../standin/server';
import { restClient, seedCredits, waitFor } from './flows';
import { freePort, loadErrors, n8nEnv, requireEnv, stopN8n, type N8nInstance } from './n8n';

const REPO_ROOT = path.resolve(__dirname, '../../..');
const SECRET_KEY = 'sk_test_queue_4eC39HqLyjWDarjtT1zdp7dc';
const ENCRYPTION_KEY = 'queue-e2e-encryption-key-0123456789abcdef';
const WEBHOOK_ID = '7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const PKG = 'n8n-nodes-stripe';

// ------------------------------------------------------------------------------------------- reporting

let passed = 0;
let failed = 0;
const failures: string[] = [];
function check(name: string, ok: boolean, detail?: unknown): boolean {
	if (ok) {
		passed++;
		console.log(`PASS  ${name}`);
	} else {
		failed++;
		failures.push(name);
		const d = detail === undefined ? '' : typeof detail === 'string' ? detail : JSON.stringify(detail, null, 2);
		console.log(`FAIL  ${name}${d ? `\n      ${d.slice(0, 3000).split('\n').join('\n      ')}` : ''}`);
	}
	return ok;
}
const section = (title: string) => console.log(`\n== ${title}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ------------------------------------------------------------------------------------------- Postgres

const PG = () => ['-h', '127.0.0.1', '-p', requireEnv('QUEUE_PG_PORT'), '-U', 'postgres', '-d', 'n8n', '-At', '-F', '\t'];

function sql(query: string): string[][] {
	const r = spawnSync('psql', [...PG(), '-c', query], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
	if (r.status !== 0) throw new Error(`psql failed: ${r.stderr}`);
	return r.stdout
		.split('\n')
		.filter((l) => l !== '')
		.map((l) => l.split('\t'));
}

interface Execution {
	id: string;
	status: string;
	mode: string;
	data?: {
		resultData: {
			error?: { message?: string; description?: string };
			runData: Record<
				string,
				Array<{ error?: { message?: string }; data?: { main?: Array<Array<{ json: Record<string, unknown>; binary?: Record<string, unknown> }> | null> } }>
			>;
		};
	};
}

function executions(workflowId: string): Execution[] {
	return sql(`SELECT id, status, mode FROM execution_entity WHERE "workflowId" = '${workflowId.replace(/'/g, "''")}' ORDER BY id`).map(
		([id, status, mode]) => ({ id, status, mode }),
	);
}

function withData(e: Execution): Execution {
	const flatted = require(path.join(requireEnv('N8N_INSTALL_DIR'), 'node_modules', 'flatted')) as { parse: (s: string) => unknown };
	const [row] = sql(`SELECT data FROM execution_data WHERE "executionId" = ${Number(e.id)}`);
	return { ...e, data: flatted.parse(row?.[0] ?? '[{}]') as Execution['data'] };
}

const finished = (e: Execution) => !['new', 'running', 'waiting', 'unknown'].includes(e.status);

/** Waits for the first execution of the workflow after its first `before` ones to finish (undefined after `ms`). */
function firstFinishedAfter(workflowId: string, before: number, ms: number): Promise<Execution | undefined> {
	return waitFor(() => executions(workflowId).slice(before).find(finished), ms);
}

/** Waits until the workflow has `count` executions and all have finished. */
async function settled(workflowId: string, count: number, ms = 60_000): Promise<Execution[]> {
	const got = await waitFor(() => {
		const all = executions(workflowId);
		return all.length >= count && all.every(finished) ? all : undefined;
	}, ms);
	return got ?? executions(workflowId);
}

function output(e: Execution, node: string): Array<Record<string, unknown>> {
	const runs = e.data?.resultData.runData[node];
	return (runs?.[runs.length - 1]?.data?.main?.[0] ?? []).map((i) => i.json);
}

// ------------------------------------------------------------------------------------------- n8n processes

interface Proc extends N8nInstance {
	role: string;
}

const procs: Proc[] = [];

async function healthy(url: string): Promise<boolean> {
	try {
		const r = await fetch(url, { signal: AbortSignal.timeout(2000) });
		await r.arrayBuffer();
		return r.status === 200;
	} catch {
		return false;
	}
}

function queueEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
	return {
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: '127.0.0.1',
		DB_POSTGRESDB_PORT: requireEnv('QUEUE_PG_PORT'),
		DB_POSTGRESDB_DATABASE: 'n8n',
		DB_POSTGRESDB_USER: 'postgres',
		DB_POSTGRESDB_PASSWORD: 'postgres',
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: '127.0.0.1',
		QUEUE_BULL_REDIS_PORT: requireEnv('QUEUE_REDIS_PORT'),
		OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
		N8N_ENCRYPTION_KEY: ENCRYPTION_KEY,
		N8N_DEFAULT_BINARY_DATA_MODE: 'database',
		N8N_LOG_LEVEL: 'info',
		...extra,
	};
}

/** Starts one n8n process (`start`, `webhook` or `worker`) and waits until its health endpoint answers. */
async function startProc(role: string, args: string[], folder: string, port: number, env: NodeJS.ProcessEnv, logs: string, healthPort = port): Promise<Proc> {
	const logFile = path.join(logs, `${role}.log`);
	const out = fs.openSync(logFile, 'a');
	const brokerPort = await freePort();
	const startedAt = Date.now();
	const child: ChildProcess = spawn(requireEnv('N8N_BIN'), args, {
		cwd: folder,
		env: n8nEnv(folder, port, brokerPort, queueEnv(env)),
		stdio: ['ignore', out, out],
		detached: true,
	});
	fs.closeSync(out);
	const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
	let gone = false;
	void exited.then(() => (gone = true));
	const p: Proc = { role, userFolder: folder, port, brokerPort, logFile, child, startedAt, exited };
	procs.push(p);
	const readiness = role.startsWith('worker') ? `http://127.0.0.1:${healthPort}/healthz/readiness` : `http://127.0.0.1:${port}/healthz/readiness`;
	const until = Date.now() + 180_000;
	while (Date.now() < until && !gone) {
		if (await healthy(readiness)) {
			p.readyMs = Date.now() - startedAt;
			return p;
		}
		await sleep(250);
	}
	throw new Error(`${role} ${gone ? 'exited during start-up' : 'did not become ready'}; see ${logFile}`);
}

async function stopProc(p: Proc): Promise<void> {
	await stopN8n(p);
	const i = procs.indexOf(p);
	if (i >= 0) procs.splice(i, 1);
}

const logOf = (p: Proc) => fs.readFileSync(p.logFile, 'utf8');

/** Which worker ran an execution, from the workers' logs ("Worker started execution <id> (job <n>)"). */
function workerOf(workers: Proc[], executionId: string): string | undefined {
	return workers.find((w) => new RegExp(`Worker started execution ${executionId} \\(`).test(logOf(w)))?.role;
}

// ------------------------------------------------------------------------------------------- the proxy

/** A load balancer in front of n8n: /webhook-test/ to main, everything else to the webhook processor. */
interface Proxy {
	port: number;
	/** Requests forwarded, per upstream. */
	hits: { main: number; webhook: number };
	close: () => Promise<void>;
}

async function startProxy(target: { main: number; webhook: number }): Promise<Proxy> {
	const hits = { main: 0, webhook: 0 };
	const server = http.createServer((req, res) => {
		const toMain = Boolean(req.url?.startsWith('/webhook-test/'));
		hits[toMain ? 'main' : 'webhook']++;
		const port = toMain ? target.main : target.webhook;
		const up = http.request({ host: '127.0.0.1', port, path: req.url, method: req.method, headers: req.headers }, (r) => {
			res.writeHead(r.statusCode ?? 502, r.headers);
			r.pipe(res);
		});
		up.on('error', (e) => {
			res.writeHead(502, { 'Content-Type': 'text/plain' });
			res.end(`proxy: ${e.message}`);
		});
		req.pipe(up);
	});
	const port = await freePort();
	await new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r()));
	return { port, hits, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/**
 * A REST client for main that retries a request once the connection fails: after a restart of main, Node's
 * fetch may first try a kept-alive socket to the previous process ("fetch failed").
 */
async function mainClient(baseUrl: string): Promise<(method: string, p: string, body?: unknown) => Promise<Record<string, unknown>>> {
	const retry = async <T>(fn: () => Promise<T>): Promise<T> => {
		for (let i = 0; ; i++) {
			try {
				return await fn();
			} catch (e) {
				if (i >= 3 || !/fetch failed/.test(String((e as Error).message))) throw e;
				await sleep(500);
			}
		}
	};
	const rest = await retry(async () => await restClient(baseUrl));
	return async (method, p, body) => await retry(async () => await rest(method, p, body));
}

// ------------------------------------------------------------------------------------------- workflows

const cred = (c: Record<string, unknown>) => ({ stripeKeyApi: { id: String(c.id), name: String(c.name) } });
const manual = { id: 'q-manual', name: 'Manual Trigger', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} };
const chain = (...names: string[]) => Object.fromEntries(names.slice(0, -1).map((n, i) => [n, { main: [[{ node: names[i + 1], type: 'main', index: 0 }]] }]));

async function main(): Promise<void> {
	const work = requireEnv('E2E_WORK_DIR');
	const logs = path.join(work, 'logs');
	fs.mkdirSync(logs, { recursive: true });
	const t0 = Date.now();
	const standin: Standin = await startStandin({ port: 0, latencyMs: 5 });
	let proxy: Proxy | undefined;
	try {
		section('Redis and Postgres (Debian packages, loopback)');
		const redis = spawnSync('redis-cli', ['-h', '127.0.0.1', '-p', requireEnv('QUEUE_REDIS_PORT'), 'ping'], { encoding: 'utf8' });
		check(`Redis answers on 127.0.0.1:${requireEnv('QUEUE_REDIS_PORT')}`, redis.stdout.trim() === 'PONG', redis.stdout + redis.stderr);
		const pgVersion = sql('SHOW server_version')[0]?.[0];
		check(`Postgres answers on 127.0.0.1:${requireEnv('QUEUE_PG_PORT')} (server ${pgVersion})`, Boolean(pgVersion));

		section('n8n: main, webhook processor, 2 workers');
		const ports = { main: await freePort(), webhook: await freePort(), w1: await freePort(), w2: await freePort(), h1: await freePort(), h2: await freePort() };
		proxy = await startProxy({ main: ports.main, webhook: ports.webhook });
		const webhookUrl = `http://localhost:${proxy.port}/`;
		const common = { WEBHOOK_URL: webhookUrl };
		const folder = (n: string) => path.join(work, n);
		let mainProc = await startProc('main', ['start'], folder('main'), ports.main, { ...common, N8N_DISABLE_PRODUCTION_MAIN_PROCESS: 'true' }, logs);
		console.log(`main ready in ${((mainProc.readyMs ?? 0) / 1000).toFixed(1)} s (fresh Postgres database: migrations included)`);
		const startWebhook = (f = 'webhook') => startProc('webhook', ['webhook'], folder(f), ports.webhook, common, logs);
		const startWorker = (n: 1 | 2) =>
			startProc(
				`worker${n}`,
				['worker', '--concurrency=1'],
				folder(`worker${n}`),
				n === 1 ? ports.w1 : ports.w2,
				{ ...common, QUEUE_HEALTH_CHECK_ACTIVE: 'true', QUEUE_HEALTH_CHECK_PORT: String(n === 1 ? ports.h1 : ports.h2) },
				logs,
				n === 1 ? ports.h1 : ports.h2,
			);
		const [webhookProc0, w1, w2] = await Promise.all([startWebhook(), startWorker(1), startWorker(2)]);
		let webhookProc = webhookProc0;
		const workers = [w1, w2];
		for (const p of [mainProc, webhookProc, w1, w2]) console.log(`${p.role.padEnd(8)} ready in ${((p.readyMs ?? 0) / 1000).toFixed(1)} s`);
		check('main, webhook processor and both workers are up in queue mode', true);
		for (const p of [mainProc, webhookProc, w1, w2]) {
			const errs = loadErrors(logOf(p));
			check(`${p.role}: the package loads without errors`, errs.length === 0, errs.join('\n'));
		}

		const rest = await mainClient(`http://127.0.0.1:${ports.main}`);
		const credential = await rest('POST', '/credentials', {
			name: 'Stripe stand-in (queue)',
			type: 'stripeKeyApi',
			data: { secretKey: SECRET_KEY, stripeAccount: '', apiVersion: '2024-11-20.acacia', baseUrl: standin.url },
		});
		const createWorkflow = async (wf: Record<string, unknown>) =>
			await rest('POST', '/workflows', { settings: { executionOrder: 'v1' }, connections: {}, ...wf });
		const runManually = async (wf: Record<string, unknown>, trigger = 'Manual Trigger') =>
			await rest('POST', `/workflows/${String(wf.id)}/run`, { triggerToStartFrom: { name: trigger } });

		// ---------------------------------------------------------------- family nodes on workers
		section('family nodes on workers: create and Return All (3 pages)');
		standin.seed(
			'customers',
			Array.from({ length: 250 }, (_, i) => ({ email: `q${i}@example.com`, name: `Queue ${i}` })),
		);
		const family = await createWorkflow({
			name: 'Queue: create + Return All',
			nodes: [
				manual,
				{
					id: 'q-create',
					name: 'Create Customer',
					type: `${PKG}.stripeCore`,
					typeVersion: 1,
					position: [200, 0],
					parameters: { resource: 'customer', operation: 'create', email: 'queue@example.com' },
					credentials: cred(credential),
				},
				{
					id: 'q-list',
					name: 'List Customers',
					type: `${PKG}.stripeCore`,
					typeVersion: 1,
					position: [400, 0],
					parameters: { resource: 'customer', operation: 'list', returnAll: true },
					credentials: cred(credential),
				},
			],
			connections: chain('Manual Trigger', 'Create Customer', 'List Customers'),
		});
		let seen = standin.requests.length;
		await runManually(family);
		const [famExec] = await settled(String(family.id), 1);
		const fam = famExec && withData(famExec);
		check('family: the manual run succeeded', fam?.status === 'success', { status: fam?.status, error: fam?.data?.resultData.error });
		check('family: it ran on a worker (manual runs offloaded)', Boolean(fam && workerOf(workers, fam.id)), fam?.id);
		check('family: create returned the customer', fam !== undefined && /^cus_/.test(String(output(fam, 'Create Customer')[0]?.id)));
		const listed = fam ? output(fam, 'List Customers') : [];
		const listCalls = standin.requests.slice(seen).filter((r) => r.method === 'GET' && r.path === '/v1/customers');
		// Pages of 100: at least 3 requests; Read in Parallel may add a range's closing request, never a duplicate.
		const listedIds = new Set(listed.map((c) => String(c.id)));
		check('family: Return All gave all 251 customers once each, in pages of 100', listed.length === 251 && listedIds.size === 251 && listCalls.length >= 3, {
			items: listed.length,
			distinct: listedIds.size,
			pages: listCalls.map((r) => r.rawQuery),
		});

		// ---------------------------------------------------------------- the polling trigger: polls on main, runs on workers
		section('polling trigger: polls on main, 250 events in one execution on a worker, a main restart emits nothing twice');
		const pollNode = 'Stripe Events Polling Trigger';
		const polling = await createWorkflow({
			name: 'Queue: polling trigger',
			nodes: [
				{
					id: 'q-poll',
					name: pollNode,
					type: `${PKG}.stripeEventsPollingTrigger`,
					typeVersion: 1,
					position: [0, 0],
					parameters: { pollTimes: { item: [{ mode: 'everyMinute' }] }, eventPayload: 'snapshot', snapshotEvents: ['invoice.paid'], eventsFrom: ['self'] },
					credentials: cred(credential),
				},
			],
		});
		const pollId = String(polling.id);
		const eventReads = () => standin.requests.filter((r) => r.path === '/v1/events').length;
		await rest('POST', `/workflows/${pollId}/activate`, { versionId: polling.versionId });
		// Right after a scheduled poll, so that all 250 fall between two polls.
		const polledOnce = await waitFor(() => (eventReads() > 0 ? true : undefined), 90_000);
		check('polling: main polls on its schedule', polledOnce === true, eventReads());
		const made = standin.addEvents({ type: 'invoice.paid', count: 250 }).map((e) => String(e.id));
		const [pollExec] = await settled(pollId, 1, 90_000);
		const pollRun = pollExec && withData(pollExec);
		const pollItems = pollRun ? output(pollRun, pollNode).map((i) => String(i.id)) : [];
		check(
			'polling: 250 events became one execution of 250 items, each once, oldest first',
			pollRun?.status === 'success' && JSON.stringify(pollItems) === JSON.stringify(made),
			{ status: pollRun?.status, items: pollItems.length },
		);
		check('polling: the execution ran on a worker', Boolean(pollRun && workerOf(workers, pollRun.id)), pollRun?.id);
		const cursor = JSON.parse(sql(`SELECT "staticData" FROM workflow_entity WHERE id = '${pollId}'`)[0]?.[0] || '{}') as Record<string, { since?: number }>;
		check('polling: the cursor is in Postgres (static data)', typeof cursor[`node:${pollNode}`]?.since === 'number', cursor);
		await stopProc(mainProc);
		const during = standin.addEvents({ type: 'invoice.paid', count: 3 }).map((e) => String(e.id));
		mainProc = await startProc('main', ['start'], folder('main'), ports.main, { ...common, N8N_DISABLE_PRODUCTION_MAIN_PROCESS: 'true' }, logs);
		const pollAfterRestart = await settled(pollId, 2, 90_000);
		const pollSecond = pollAfterRestart[1] && withData(pollAfterRestart[1]);
		await sleep(5000); // a third (duplicate) execution would show by now
		check(
			'polling: after a main restart only the 3 events made while main was down are emitted',
			executions(pollId).length === 2 && JSON.stringify(pollSecond ? output(pollSecond, pollNode).map((i) => String(i.id)) : []) === JSON.stringify(during),
			{ executions: pollAfterRestart.length },
		);
		const restPoll = await mainClient(`http://127.0.0.1:${ports.main}`);
		await restPoll('POST', `/workflows/${pollId}/deactivate`, {});

		// ---------------------------------------------------------------- the trigger through the webhook processor
		section('trigger: activation on main, deliveries through the webhook processor');
		const trigger = await createWorkflow({
			name: 'Queue: Stripe events',
			nodes: [
				{
					id: 'q-trigger',
					name: 'Stripe Events Trigger',
					type: `${PKG}.stripeEventsTrigger`,
					typeVersion: 1,
					position: [0, 0],
					webhookId: WEBHOOK_ID,
					parameters: {
						eventPayload: 'snapshot',
						snapshotEvents: ['customer.created', 'invoice.paid'],
						eventsFrom: ['self'],
						options: { checkEveryMinutes: 1 },
					},
					credentials: cred(credential),
				},
			],
		});
		const wfId = String(trigger.id);
		const destCalls = () => standin.requests.filter((r) => r.path.startsWith('/v2/core/event_destinations'));
		const live = async () =>
			(await (await fetch(`${standin.url}/__standin/destinations`)).json()) as Array<{ id: string; webhook_endpoint?: { url?: string } }>;
		const liveUntil = async (ok: (d: Awaited<ReturnType<typeof live>>) => boolean, ms = 30_000) => {
			const until = Date.now() + ms;
			for (;;) {
				const d = await live();
				if (ok(d) || Date.now() > until) return d;
				await sleep(250);
			}
		};
		await rest('POST', `/workflows/${wfId}/activate`, { versionId: trigger.versionId });
		const afterActivation = await liveUntil((d) => d.length > 0);
		await sleep(500);
		const prodUrl = `${webhookUrl}webhook/${WEBHOOK_ID}/webhook`;
		check(
			'trigger: activation on main created exactly one destination',
			afterActivation.length === 1 && destCalls().filter((r) => r.method === 'POST').length === 1,
			afterActivation,
		);
		check(
			'trigger: it points at WEBHOOK_URL (the webhook processor), production path',
			afterActivation[0]?.webhook_endpoint?.url === prodUrl,
			afterActivation[0]?.webhook_endpoint,
		);
		const prodId = afterActivation[0]?.id;

		const delivered = async (n: number) => (await settled(wfId, n, 30_000)).length;
		const t = Math.floor(Date.now() / 1000);
		const event = { id: 'evt_queue_1', object: 'event', type: 'customer.created', data: { object: { id: 'cus_q', object: 'customer' } } };
		const good = await standin.deliver({ event, timestamp: t });
		check('trigger: a signed delivery is answered 200 {"received":true}', good.status === 200 && good.body.replace(/\s/g, '') === '{"received":true}', good);
		const [first] = await settled(wfId, 1);
		const firstFull = first && withData(first);
		check(
			'trigger: it started one execution, on a worker, with the event',
			firstFull?.status === 'success' &&
				firstFull.mode === 'webhook' &&
				output(firstFull, 'Stripe Events Trigger')[0]?.id === 'evt_queue_1' &&
				Boolean(workerOf(workers, firstFull.id)),
			{ status: firstFull?.status, mode: firstFull?.mode, worker: firstFull && workerOf(workers, firstFull.id) },
		);
		check('trigger: production deliveries go to the webhook processor (through the proxy)', proxy.hits.webhook >= 1 && proxy.hits.main === 0, proxy.hits);

		const stored = () => sql(`SELECT "staticData" FROM workflow_entity WHERE id = '${wfId}'`)[0]?.[0] ?? '';
		const remembered = await waitFor(() => (stored().includes('evt_queue_1') ? true : undefined), 10_000);
		check("trigger: the event ID is in the workflow's static data in Postgres", remembered === true, stored().replace(/whsec_\w+/g, 'whsec_…'));
		const forged = await standin.deliver({ event: { ...event, id: 'evt_q_forged' }, forge: true });
		const unsigned = await standin.deliver({ event: { ...event, id: 'evt_q_unsigned' }, signature: '' });
		const stale = await standin.deliver({ event: { ...event, id: 'evt_q_stale' }, timestamp: t - 3600 });
		const unselected = await standin.deliver({ event: { ...event, id: 'evt_q_other', type: 'charge.refunded' } });
		check(
			'trigger: forged 401, unsigned 400, stale 401, unselected 200',
			forged.status === 401 && unsigned.status === 400 && stale.status === 401 && unselected.status === 200,
			[forged.status, unsigned.status, stale.status, unselected.status],
		);
		const replay = await standin.deliver({ event, timestamp: t }); // the very same request again
		const retry = await standin.deliver({ event, timestamp: t + 5 }); // Stripe's retry: new signature, same event
		check(
			'trigger: the same delivery again, and a retry of the event, are acknowledged 200 as duplicates',
			[replay, retry].every((d) => d.status === 200 && /"duplicate":true/.test(d.body)),
			[replay, retry],
		);
		await sleep(2000);
		check('trigger: none of those started an execution (still 1)', (await delivered(1)) === 1, executions(wfId));

		// A second webhook processor (another replica behind the load balancer): deliveries spread over the two.
		const webhook2 = await startProc('webhook2', ['webhook'], folder('webhook2'), await freePort(), common, logs);
		const secretNow = /"signingSecret":\s*"(whsec_[^"]+)"/.exec(stored())?.[1] ?? '';
		const toWebhook2 = async (e: Record<string, unknown>) => {
			const raw = JSON.stringify(e);
			const res = await fetch(`http://127.0.0.1:${webhook2.port}/webhook/${WEBHOOK_ID}/webhook`, {
				method: 'POST',
				headers: { 'Content-Type': 'application/json', 'Stripe-Signature': signatureHeader(secretNow, Math.floor(Date.now() / 1000), raw) },
				body: raw,
			});
			return { status: res.status, body: await res.text() };
		};
		const onSecond = await toWebhook2(event);
		const newOnSecond = await toWebhook2({ ...event, id: 'evt_queue_p2' });
		await waitFor(() => (stored().includes('evt_queue_p2') ? true : undefined), 10_000);
		const backOnFirst = await standin.deliver({ event: { ...event, id: 'evt_queue_p2' } });
		await sleep(2000);
		check(
			'trigger: over two webhook processors, an event started on one is a duplicate on the other, both ways (2 executions)',
			/"duplicate":true/.test(onSecond.body) &&
				newOnSecond.status === 200 &&
				!/duplicate/.test(newOnSecond.body) &&
				/"duplicate":true/.test(backOnFirst.body) &&
				(await delivered(2)) === 2 &&
				executions(wfId).length === 2,
			{ onSecond, newOnSecond, backOnFirst, executions: executions(wfId).length },
		);
		await stopProc(webhook2);

		// The replay memory is in Postgres (static data), not in the webhook processor: restart it.
		await stopProc(webhookProc);
		webhookProc = await startWebhook();
		const afterRestart = await standin.deliver({ event, timestamp: Math.floor(Date.now() / 1000) });
		check(
			'trigger: after a webhook-processor restart the event is still a duplicate',
			afterRestart.status === 200 && /"duplicate":true/.test(afterRestart.body),
			afterRestart,
		);
		const second = await standin.deliver({ event: { ...event, id: 'evt_queue_2', type: 'invoice.paid' } });
		check('trigger: a new event still starts (3 executions)', second.status === 200 && (await delivered(3)) === 3, executions(wfId));

		// ---------------------------------------------------------------- Listen for test event (main)
		section('trigger: Listen for test event on the active workflow');
		const listen = await rest('POST', `/workflows/${wfId}/run`, { triggerToStartFrom: { name: 'Stripe Events Trigger' } });
		check('listen: n8n waits for a test event', listen.waitingForWebhook === true, listen);
		const withTest = await liveUntil((d) => d.length === 2);
		const testDest = withTest.find((d) => d.webhook_endpoint?.url?.includes('/webhook-test/'));
		check(
			'listen: a second, test destination on /webhook-test/',
			withTest.length === 2 && Boolean(testDest) && withTest.some((d) => d.id === prodId),
			withTest,
		);
		const testEvent = await standin.deliver({ destination: testDest?.id, event: { ...event, id: 'evt_queue_test' } });
		check(
			'listen: the test delivery (routed to main) is answered 200 {"received":true}',
			testEvent.status === 200 && /"received":true/.test(testEvent.body),
			testEvent,
		);
		const afterListen = await liveUntil((d) => d.length === 1);
		check(
			'listen: the test destination is deleted afterwards; the production one stays',
			afterListen.length === 1 && afterListen[0].id === prodId,
			afterListen,
		);
		const manualExec = await waitFor(() => executions(wfId).find((e) => e.mode === 'manual' && finished(e)), 30_000);
		const testItems = manualExec ? output(withData(manualExec), 'Stripe Events Trigger').map((i) => i.id) : [];
		check(
			'listen: the test event ran as a manual execution on a worker, which outputs the test event',
			manualExec?.status === 'success' && Boolean(workerOf(workers, manualExec.id)) && JSON.stringify(testItems) === JSON.stringify(['evt_queue_test']),
			{ status: manualExec?.status, worker: manualExec ? workerOf(workers, manualExec.id) : undefined, items: testItems },
		);
		const stillProd = await standin.deliver({ event: { ...event, id: 'evt_queue_3' } });
		check('listen: production deliveries still verify afterwards', stillProd.status === 200 && /"received":true/.test(stillProd.body), stillProd);

		// ---------------------------------------------------------------- main restart
		section('trigger: main restart');
		seen = standin.requests.length;
		await stopProc(mainProc);
		mainProc = await startProc('main', ['start'], folder('main'), ports.main, { ...common, N8N_DISABLE_PRODUCTION_MAIN_PROCESS: 'true' }, logs);
		await sleep(3000);
		const restartCalls = standin.requests.slice(seen).filter((r) => r.path.startsWith('/v2/core/event_destinations') && r.method !== 'GET');
		check(
			'main restart: no destination created or deleted',
			restartCalls.length === 0,
			restartCalls.map((r) => `${r.method} ${r.path}`),
		);
		check('main restart: still exactly the one destination', JSON.stringify((await live()).map((d) => d.id)) === JSON.stringify([prodId]), await live());

		// ---------------------------------------------------------------- destination deleted while main is down
		section('trigger: destination deleted at Stripe while main is down: replaced at the start, the gap started');
		await stopProc(mainProc);
		await fetch(`${standin.url}/v2/core/event_destinations/${String(prodId)}`, { method: 'DELETE', headers: { Authorization: `Bearer ${SECRET_KEY}` } });
		const gapCustomer = (await (await fetch(`${standin.url}/v1/customers`, { method: 'POST', headers: { Authorization: `Bearer ${SECRET_KEY}` } })).json()) as {
			id: string;
		};
		const gapEvent = standin.events().find((e) => e.type === 'customer.created' && (e.data as { object?: { id?: string } }).object?.id === gapCustomer.id);
		const beforeStart = executions(wfId).length;
		mainProc = await startProc('main', ['start'], folder('main'), ports.main, { ...common, N8N_DISABLE_PRODUCTION_MAIN_PROCESS: 'true' }, logs);
		const repaired = await liveUntil((d) => d.length === 1);
		check(
			'main start: n8n registers the trigger again, whose check replaces the deleted destination (no deactivate / activate)',
			repaired.length === 1 && repaired[0].id !== prodId && repaired[0].webhook_endpoint?.url === prodUrl,
			repaired,
		);
		const gapRun = await firstFinishedAfter(wfId, beforeStart, 30_000);
		const gapItems = gapRun ? output(withData(gapRun), 'Stripe Events Trigger').map((i) => i.id) : [];
		check(
			'main start: the event of the gap is started once, on a worker',
			gapRun?.status === 'success' && JSON.stringify(gapItems) === JSON.stringify([gapEvent?.id]) && Boolean(workerOf(workers, gapRun.id)),
			{ status: gapRun?.status, items: gapItems, gap: gapEvent?.id },
		);
		const lateGap = await standin.deliver({ event: gapEvent });
		check(
			'main start: a late delivery of the gap event, through the webhook processor, is a duplicate (new secret verified)',
			lateGap.status === 200 && /"duplicate":true/.test(lateGap.body),
			lateGap,
		);
		const afterRepair = await standin.deliver({ event: { ...event, id: 'evt_queue_repaired' } });
		check(
			'main start: deliveries verify with the new signing secret',
			afterRepair.status === 200 && /"received":true/.test(afterRepair.body) && !/duplicate/.test(afterRepair.body),
			afterRepair,
		);

		// ---------------------------------------------------------------- destination deleted while active
		// n8n 2.41.1 gives a new execution on a worker no static data (scaling/job-processor.js, `loadStaticData`
		// only for resumed executions): the repair execution reports instead of replacing, saving nothing; the
		// gap is started when the workflow is published again.
		section('trigger: destination deleted at Stripe while the workflow is active: reported by an execution on a worker');
		const current = (await live())[0];
		const beforeActiveGap = executions(wfId).length;
		await fetch(`${standin.url}/v2/core/event_destinations/${String(current?.id)}`, { method: 'DELETE', headers: { Authorization: `Bearer ${SECRET_KEY}` } });
		const activeGapCustomer = (await (
			await fetch(`${standin.url}/v1/customers`, { method: 'POST', headers: { Authorization: `Bearer ${SECRET_KEY}` } })
		).json()) as {
			id: string;
		};
		const activeGapEvent = standin
			.events()
			.find((e) => e.type === 'customer.created' && (e.data as { object?: { id?: string } }).object?.id === activeGapCustomer.id);
		// The check runs every minute (on main): it starts a repair execution, run by a worker.
		const reportRun = await firstFinishedAfter(wfId, beforeActiveGap, 80_000);
		const reportError = reportRun ? withData(reportRun).data?.resultData.error : undefined;
		check(
			'active: the check notices the deleted destination within its interval; the execution on a worker reports it with what to do',
			reportRun?.status === 'error' &&
				Boolean(workerOf(workers, reportRun.id)) &&
				reportError?.message === 'The Stripe event destination of this trigger was deleted at Stripe' &&
				/Unpublish and publish the workflow \(or restart the main process\)/.test(reportError?.description ?? ''),
			{ reportRun, reportError },
		);
		check('active: nothing was created by the worker', (await live()).length === 0, await live());
		const restActive = await mainClient(`http://127.0.0.1:${ports.main}`);
		const beforeRepublish = executions(wfId).length;
		await restActive('POST', `/workflows/${wfId}/deactivate`, {});
		await restActive('POST', `/workflows/${wfId}/activate`, { versionId: trigger.versionId });
		const republished = await liveUntil((d) => d.length === 1);
		const republishRun = await firstFinishedAfter(wfId, beforeRepublish, 30_000);
		const republishItems = republishRun ? output(withData(republishRun), 'Stripe Events Trigger').map((i) => i.id) : [];
		check(
			'active: unpublishing and publishing, as the report says, creates one destination and starts the event of the gap once, on a worker',
			republished.length === 1 &&
				republished[0].webhook_endpoint?.url === prodUrl &&
				republishRun?.status === 'success' &&
				JSON.stringify(republishItems) === JSON.stringify([activeGapEvent?.id]) &&
				Boolean(workerOf(workers, republishRun.id)),
			{ republished, status: republishRun?.status, items: republishItems, gap: activeGapEvent?.id },
		);
		const lateActiveGap = await standin.deliver({ event: activeGapEvent });
		const afterRepublish = await standin.deliver({ event: { ...event, id: 'evt_queue_republished' } });
		check(
			'active: through the webhook processor, the new secret verifies; a late delivery of the gap event is a duplicate; the replay memory survived',
			lateActiveGap.status === 200 &&
				/"duplicate":true/.test(lateActiveGap.body) &&
				afterRepublish.status === 200 &&
				/"received":true/.test(afterRepublish.body) &&
				!/duplicate/.test(afterRepublish.body),
			{ late: lateActiveGap, next: afterRepublish },
		);
		const replayOld = await standin.deliver({ event: { ...event, id: 'evt_queue_repaired' } });
		check('active: an event started before the deletion is still a duplicate', /"duplicate":true/.test(replayOld.body), replayOld);

		// ---------------------------------------------------------------- a webhook processor without the package
		section('a webhook processor without the package');
		await stopProc(webhookProc);
		const bare = await startWebhook('nopkg');
		const before = executions(wfId).length;
		const noPkg = await standin.deliver({ event: { ...event, id: 'evt_queue_nopkg' } });
		console.log(`  answered ${noPkg.status}: ${noPkg.body.slice(0, 300)}`);
		check('no package: the delivery is not acknowledged with 2xx (Stripe will retry)', noPkg.status >= 400, noPkg);
		const bareLog = logOf(bare);
		check(
			'no package: a clear error names the missing node type (answer or log)',
			new RegExp(`${PKG}\\.stripeEventsTrigger`).test(noPkg.body + bareLog) &&
				/not (known|installed|found)|Unrecognized node type|is not known/i.test(noPkg.body + bareLog),
			bareLog
				.split('\n')
				.filter((l) => /stripeEventsTrigger|Unrecognized|not known/i.test(l))
				.slice(0, 5),
		);
		await sleep(1500);
		check('no package: no execution started', executions(wfId).length === before, executions(wfId).slice(before));
		await stopProc(bare);
		webhookProc = await startWebhook();
		const back = await standin.deliver({ event: { ...event, id: 'evt_queue_nopkg' } });
		check(
			"no package: once the package is back, Stripe's retry is accepted",
			back.status === 200 && /"received":true/.test(back.body) && !/duplicate/.test(back.body),
			back,
		);

		// ---------------------------------------------------------------- deactivation
		const rest2 = await mainClient(`http://127.0.0.1:${ports.main}`);
		await rest2('POST', `/workflows/${wfId}/deactivate`, {});
		check('trigger: deactivation deleted the destination', (await liveUntil((d) => d.length === 0)).length === 0, await live());

		// ---------------------------------------------------------------- examples on workers
		section('example credit-grant workflows on workers');
		const ids = seedCredits(standin);
		const exampleRuns: Record<string, Execution | undefined> = {};
		for (const file of ['weekly-credit-grant-report.json', 'credit-grants-expiring-alert.json']) {
			const wf = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'examples', file), 'utf8')) as {
				name: string;
				nodes: Array<Record<string, unknown>>;
				connections: unknown;
			};
			const nodes = wf.nodes.map((n) => (n.credentials ? { ...n, credentials: cred(credential) } : n));
			const created = await rest2('POST', '/workflows', { name: wf.name, nodes, connections: wf.connections, settings: { executionOrder: 'v1' } });
			const triggerName = String(nodes.find((n) => /scheduleTrigger$/.test(String(n.type)))?.name);
			await rest2('POST', `/workflows/${String(created.id)}/run`, { triggerToStartFrom: { name: triggerName } });
			const [e] = await settled(String(created.id), 1);
			exampleRuns[file] = e && withData(e);
			check(`examples: ${file} succeeded on a worker`, e?.status === 'success' && Boolean(workerOf(workers, e.id)), {
				status: e?.status,
				error: exampleRuns[file]?.data?.resultData.error,
			});
		}
		const weekly = exampleRuns['weekly-credit-grant-report.json'];
		if (weekly) {
			const rows = output(weekly, 'Credit Grant Report');
			const ada = rows.find((r) => r.customer === ids.a && r.currency === 'usd');
			check(
				'examples: weekly report rows and figures',
				rows.length === 2 && ada?.granted_total_decimal === '70.00' && ada?.available_balance_decimal === '35.00',
				rows,
			);
			const bin = weekly.data?.resultData.runData['Convert to CSV']?.[0]?.data?.main?.[0]?.[0]?.binary?.data as { fileName?: string; id?: string } | undefined;
			check(
				'examples: the CSV file is stored in the database binary-data mode',
				/\.csv$/.test(String(bin?.fileName)) && /^database:/.test(String(bin?.id)),
				bin,
			);
		}
		const alert = exampleRuns['credit-grants-expiring-alert.json'];
		if (alert) {
			const passedRows = output(alert, 'Expiring Within 7 Days');
			check('examples: the alert passes only the grant expiring within 7 days', passedRows.length === 1 && passedRows[0].grant === ids.g1, passedRows);
		}

		// ---------------------------------------------------------------- file download -> upload
		section('file download -> upload on a worker (database binary-data mode)');
		const csv = 'id,amount\nin_1,1200\nin_2,3400\n';
		const form = new FormData();
		form.append('purpose', 'dispute_evidence');
		form.append('file', new Blob([csv], { type: 'text/csv' }), 'evidence.csv');
		const seeded = (await (
			await fetch(`${standin.url}/v1/files`, { method: 'POST', headers: { Authorization: `Bearer ${SECRET_KEY}` }, body: form })
		).json()) as { id: string };
		const files = await rest2('POST', '/workflows', {
			name: 'Queue: file download + upload',
			nodes: [
				manual,
				{
					id: 'q-dl',
					name: 'Download File',
					type: `${PKG}.stripeCore`,
					typeVersion: 1,
					position: [200, 0],
					parameters: { resource: 'file', operation: 'downloadContents', file: seeded.id },
					credentials: cred(credential),
				},
				{
					id: 'q-ul',
					name: 'Upload File',
					type: `${PKG}.stripeCore`,
					typeVersion: 1,
					position: [400, 0],
					parameters: { resource: 'file', operation: 'create', file: 'data', purpose: 'dispute_evidence' },
					credentials: cred(credential),
				},
			],
			connections: chain('Manual Trigger', 'Download File', 'Upload File'),
			settings: { executionOrder: 'v1' },
		});
		await rest2('POST', `/workflows/${String(files.id)}/run`, { triggerToStartFrom: { name: 'Manual Trigger' } });
		const [fe] = await settled(String(files.id), 1);
		const fileExec = fe && withData(fe);
		const uploaded = fileExec ? output(fileExec, 'Upload File')[0] : undefined;
		check('files: download then upload succeeded on a worker', fileExec?.status === 'success' && Boolean(workerOf(workers, fileExec.id)), {
			status: fileExec?.status,
			error: fileExec?.data?.resultData.error,
		});
		const copy = uploaded?.id
			? await (await fetch(`${standin.url}/v1/files/${String(uploaded.id)}/contents`, { headers: { Authorization: `Bearer ${SECRET_KEY}` } })).text()
			: undefined;
		check(
			'files: the uploaded copy has the same bytes, name and type',
			copy === csv && /^file_/.test(String(uploaded?.id)) && uploaded?.purpose === 'dispute_evidence',
			{ uploaded, copy },
		);

		// ---------------------------------------------------------------- two workers, one rate limit
		section('two concurrent executions on different workers, one account rate limit');
		const fan = await rest2('POST', '/workflows', {
			name: 'Queue: 40 retrieves',
			nodes: [
				manual,
				{
					id: 'q-l40',
					name: 'List 40',
					type: `${PKG}.stripeCore`,
					typeVersion: 1,
					position: [200, 0],
					parameters: { resource: 'customer', operation: 'list', returnAll: false, limit: 40 },
					credentials: cred(credential),
				},
				{
					id: 'q-r40',
					name: 'Retrieve Each',
					type: `${PKG}.stripeCore`,
					typeVersion: 1,
					position: [400, 0],
					parameters: { resource: 'customer', operation: 'retrieve', customer: '={{ $json.id }}' },
					credentials: cred(credential),
				},
			],
			connections: chain('Manual Trigger', 'List 40', 'Retrieve Each'),
			settings: { executionOrder: 'v1' },
		});
		const perSecond = 20;
		standin.setRateLimit(perSecond);
		seen = standin.requests.length;
		await Promise.all([1, 2].map(async () => await rest2('POST', `/workflows/${String(fan.id)}/run`, { triggerToStartFrom: { name: 'Manual Trigger' } })));
		const fanRuns = (await settled(String(fan.id), 2, 120_000)).map(withData);
		standin.setRateLimit();
		const fanReqs = standin.requests.slice(seen);
		const limited = fanReqs.filter((r) => r.status === 429).length;
		const ranOn = fanRuns.map((e) => workerOf(workers, e.id));
		check(
			'rate limit: the two executions ran at the same time on different workers',
			fanRuns.length === 2 && new Set(ranOn).size === 2 && ranOn.every(Boolean),
			ranOn,
		);
		const bothOk = fanRuns.length === 2 && fanRuns.every((e) => e.status === 'success' && output(e, 'Retrieve Each').length === 40);
		const figure = `${fanReqs.length} requests, ${limited} answered 429 (limit ${perSecond}/s shared by both workers); executions: ${fanRuns.map((e) => `${e.status}${e.data?.resultData.error ? ` (${String(e.data.resultData.error.message).slice(0, 120)})` : ''}`).join(', ')}`;
		// Pacing per account (nodes/shared/client/pacing.ts) and the 429 retry budget make both succeed; a failure fails.
		check(`rate limit: both executions succeed — ${figure}`, bothOk, figure);
	} catch (e) {
		check(
			'queue-mode e2e completed without an unexpected error',
			false,
			`${(e as Error).stack ?? String(e)}${(e as { cause?: unknown }).cause ? `\ncause: ${String((e as { cause?: unknown }).cause)}` : ''}`,
		);
	} finally {
		for (const p of [...procs].reverse()) await stopProc(p);
		if (proxy) await proxy.close();
		await standin.close();
		console.log(`\nqueue-mode e2e took ${((Date.now() - t0) / 1000).toFixed(0)} s; logs: ${logs}`);
		if (failures.length) console.log(`failed: ${failures.join('; ')}`);
		console.log(`\n${passed} passed, ${failed} failed`);
		process.exitCode = failed === 0 && passed > 0 ? 0 : 1;
	}
}

void main();
