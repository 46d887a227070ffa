/**
 * One benchmark measurement in a fresh process: `node dist-test/bench/child.js '<json Task>'`.
 * Prints one line `BENCH_RESULT <json Result>` on stdout. Started by bench/run.ts, one process per
 * (scenario, contender, round), so contenders never share a heap, a JIT or a connection pool, and peak RSS
 * (VmHWM) belongs to one contender only.
 *
 * Modules are loaded lazily per contender: the stripe-node and raw contenders never load n8n.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import * as net from 'node:net';
import * as path from 'node:path';
import * as v8 from 'node:v8';

/** retrieve: `runs` executions at once of `items` retrieves of one customer (the rate-limit part; Stripe Core only). */
export type Scenario = 'create' | 'list' | 'retrieve';
/**
 * core-live: Stripe Core with a live-mode key (sk_live_…), whose automatic concurrency may go up to 80/s instead of
 * 20/s. core-one: Stripe Core's Return All on one cursor (Request Options › Read in Parallel off).
 */
export type Contender = 'core' | 'core-live' | 'core-one' | 'core-before' | 'builtin' | 'http' | 'stripe-node' | 'raw';

export interface Task {
	scenario: Scenario;
	contender: Contender;
	/** Stand-in base URL, http://127.0.0.1:<port> (loopback) or https://127.0.0.1:<port> (the TLS front). */
	standinUrl: string;
	/** create: items per measured run. list: objects expected. */
	items: number;
	/** create: items in the warm-up run (not measured). */
	warmupItems: number;
	/** retrieve: the customer to retrieve, executions run at once in this process, and when (epoch ms) to start. */
	customerId?: string;
	runs?: number;
	startAt?: number;
	/** Where to write a CPU profile (passed to node as --cpu-prof-dir by run.ts); informational. */
	label?: string;
}

export interface Result {
	scenario: Scenario;
	contender: Contender;
	wallMs: number;
	cpuUserMs: number;
	cpuSystemMs: number;
	/** Output items the contender produced (create: customers; list: items as the node emits them). */
	outputItems: number;
	/** Customer objects received (list: objects in all pages). */
	objects: number;
	/** HTTP requests sent to the stand-in during the measured run. */
	requests: number;
	/** TCP connections opened during the measured run. */
	connections: number;
	/** When the measured run ended (epoch ms), and the error of every failed execution (retrieve). */
	endedAt?: number;
	failures?: string[];
	/** Requests of the built-in Stripe node redirected from https://api.stripe.com to the stand-in. */
	redirected?: number;
	rssBeforeMb: number;
	/** VmHWM at the end: the process's peak resident set size over its whole life. */
	peakRssMb: number;
	/** Peak RSS during the measured run only (VmHWM reset through /proc/self/clear_refs before it). */
	runPeakRssMb?: number;
	heapUsedAfterMb: number;
	/** Heap in use after the run and a forced GC, the output still held: what the run retains. */
	heapAfterGcMb?: number;
	/** The largest values seen during the run (sampled every 20 ms): RSS, V8's heap (reserved and in use), its new space, memory outside it. */
	samplePeaksMb?: { rss: number; heapTotal: number; heapUsed: number; newSpace: number; external: number };
	nodeVersion: string;
}

const REPO = path.resolve(__dirname, '..', '..');
const STRIPE_API = 'https://api.stripe.com';
const KEY = 'sk_test_bench_0123456789';
/** The stand-in accepts it when started with --live-keys (bench/run.ts does). */
const LIVE_KEY = 'sk_live_bench_0123456789';

function procStatusMb(field: 'VmHWM' | 'VmRSS'): number {
	const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(fs.readFileSync('/proc/self/status', 'utf8'));
	return m ? Number(m[1]) / 1024 : NaN;
}

/** Resets the kernel's peak-RSS counter (Linux ≥ 4.0); false where that is not allowed. */
function resetPeakRss(): boolean {
	try {
		fs.writeFileSync('/proc/self/clear_refs', '5');
		return true;
	} catch {
		return false;
	}
}

function inputItems(n: number, offset: number): Array<{ json: { name: string; email: string } }> {
	return Array.from({ length: n }, (_, i) => ({ json: { name: `Bench Customer ${offset + i}`, email: `bench${offset + i}@example.com` } }));
}

// ------------------------------------------------------------------------------------ request counting

let requestCount = 0;
let connectionCount = 0;
function countRequests(): void {
	// Every outgoing TCP connection (plain or under TLS) starts with net.Socket#connect.
	const socketProto = net.Socket.prototype as unknown as { connect: (...args: unknown[]) => unknown };
	const connect = socketProto.connect;
	socketProto.connect = function (this: net.Socket, ...args: unknown[]) {
		connectionCount++;
		return connect.apply(this, args);
	};
	// Counts requests at the socket layer's entry point for all contenders alike (http.request and
	// http.Agent are what axios, stripe-node and the raw loop all end up in).
	const proto = http.Agent.prototype as unknown as { addRequest: (...args: unknown[]) => void };
	const orig = proto.addRequest;
	proto.addRequest = function (this: http.Agent, ...args: unknown[]) {
		requestCount++;
		return orig.apply(this, args);
	};
}

// ------------------------------------------------------------------------------------ the built-in node's traffic

let redirected = 0;
/**
 * n8n's built-in Stripe node hard-codes https://api.stripe.com. All of n8n's outbound HTTP (the legacy
 * `request*` helpers the built-in node uses, and `httpRequest*`) goes through one axios instance, the one
 * @n8n/backend-network requires. An axios request interceptor on that instance rewrites the URL's origin to
 * the stand-in's; everything else — n8n's agents (a fresh http.Agent per request, as for every n8n node),
 * headers, body encoding, response parsing — is n8n's own, and the request crosses a real loopback socket
 * exactly like the other n8n contenders' requests, which are addressed to the stand-in directly.
 */
function redirectStripeApiTo(standinUrl: string): void {
	const backendNetwork = path.dirname(require.resolve('@n8n/backend-network'));
	const axios = require(require.resolve('axios', { paths: [backendNetwork] })) as {
		interceptors: { request: { use: (fn: (config: { url?: string; baseURL?: string }) => unknown) => void } };
	};
	axios.interceptors.request.use((config) => {
		if (config.url?.startsWith(STRIPE_API)) {
			config.url = standinUrl + config.url.slice(STRIPE_API.length);
			redirected++;
		}
		return config;
	});
}

// ------------------------------------------------------------------------------------ contenders

type Runner = (items: number, offset: number) => Promise<{ outputItems: number; objects: number }>;

interface HarnessNodeOutput {
	items: Array<Array<{ json: Record<string, unknown> }>>;
	error?: { message?: string };
	nodeError?: { message?: string; description?: string | null };
}

function checkNodeRun(label: string, result: HarnessNodeOutput): Array<{ json: Record<string, unknown> }> {
	const err = result.nodeError ?? result.error;
	if (err) throw new Error(`${label}: the node failed: ${err.message ?? String(err)}`);
	return result.items[0] ?? [];
}

function countCustomers(rows: Array<Record<string, unknown>>): number {
	return rows.filter((r) => typeof r.id === 'string' && r.id.startsWith('cus_')).length;
}

type NodeRun = (items: Array<{ json: import('n8n-workflow').IDataObject }>) => Promise<HarnessNodeOutput>;
type Engine = typeof import('../test/harness/engine');

/** The stand-in's port, and whether it speaks TLS. */
function standinAddress(task: Task): { port: number; secure: boolean } {
	const url = new URL(task.standinUrl);
	return { port: Number(url.port), secure: url.protocol === 'https:' };
}

/** One request over a keep-alive socket with node:http, nothing else: the floor every contender is measured against. */
function rawCaller(task: Task): (method: 'GET' | 'POST', pathAndQuery: string, body?: string) => Promise<Record<string, unknown>> {
	const { port, secure } = standinAddress(task);
	const agent = secure ? new https.Agent({ keepAlive: true, maxSockets: 1 }) : new http.Agent({ keepAlive: true, maxSockets: 1 });
	return (method, pathAndQuery, body) =>
		new Promise<Record<string, unknown>>((resolve, reject) => {
			const req = (secure ? https : http).request(
				{
					host: '127.0.0.1',
					port,
					method,
					path: pathAndQuery,
					agent,
					headers: {
						Authorization: `Bearer ${KEY}`,
						...(body !== undefined ? { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': Buffer.byteLength(body) } : {}),
					},
				},
				(res) => {
					const chunks: Buffer[] = [];
					res.on('data', (c: Buffer) => chunks.push(c));
					res.on('end', () => {
						const parsed = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
						if ((res.statusCode ?? 0) >= 400) reject(new Error(`raw: HTTP ${res.statusCode}: ${JSON.stringify(parsed)}`));
						else resolve(parsed);
					});
					res.on('error', reject);
				},
			);
			req.on('error', reject);
			req.end(body);
		});
}

/** The raw contender: creates one by one, or a list read page by page with its cursor. */
function rawRunner(task: Task): Runner {
	const call = rawCaller(task);
	if (task.scenario === 'create') {
		return async (n, offset) => {
			let objects = 0;
			for (const { json } of inputItems(n, offset)) {
				const body = new URLSearchParams({ name: json.name, email: json.email }).toString();
				const c = await call('POST', '/v1/customers', body);
				if (String(c.id).startsWith('cus_')) objects++;
			}
			return { outputItems: objects, objects };
		};
	}
	return async () => {
		const all: Array<Record<string, unknown>> = [];
		let after: string | undefined;
		for (;;) {
			const page = (await call('GET', `/v1/customers?limit=100${after ? `&starting_after=${after}` : ''}`)) as {
				data: Array<Record<string, unknown>>;
				has_more: boolean;
			};
			all.push(...page.data);
			if (!page.has_more || page.data.length === 0) break;
			after = String(page.data[page.data.length - 1].id);
		}
		keep = all;
		return { outputItems: all.length, objects: countCustomers(all) };
	};
}

/** stripe-node 17.4.0 itself. */
function stripeNodeRunner(task: Task): Runner {
	const { port, secure } = standinAddress(task);
	const StripeCtor = require('stripe') as new (
		key: string,
		config: Record<string, unknown>,
	) => {
		customers: {
			create: (p: Record<string, string>) => Promise<{ id: string }>;
			list: (p: Record<string, unknown>) => { autoPagingToArray: (o: { limit: number }) => Promise<Array<Record<string, unknown>>> };
		};
	};
	// stripe-node 17.4.0 with its defaults (keep-alive agent, maxNetworkRetries 2 → an Idempotency-Key on
	// every POST, telemetry headers), pointed at the stand-in.
	const stripe = new StripeCtor(KEY, { host: '127.0.0.1', port, protocol: secure ? 'https' : 'http' });
	if (task.scenario === 'create') {
		return async (n, offset) => {
			let objects = 0;
			for (const { json } of inputItems(n, offset)) {
				const c = await stripe.customers.create({ name: json.name, email: json.email });
				if (c.id.startsWith('cus_')) objects++;
			}
			return { outputItems: objects, objects };
		};
	}
	return async (n) => {
		// autoPagingToArray refuses more than 10,000; above that, the same auto-pagination as an async iterator.
		let all: Array<Record<string, unknown>> = [];
		if (n <= 10_000) all = await stripe.customers.list({ limit: 100 }).autoPagingToArray({ limit: n });
		else for await (const c of stripe.customers.list({ limit: 100 }) as unknown as AsyncIterable<Record<string, unknown>>) all.push(c);
		keep = all;
		return { outputItems: all.length, objects: countCustomers(all) };
	};
}

/** This package's Stripe Core node (this build, another build's dist/, live-mode key, or one cursor). */
function coreRun(task: Task, engine: Engine): NodeRun {
	const { scenario, standinUrl } = task;
	// BENCH_CORE_DIST: another build's dist/ folder (BENCHMARKS.md's "before" figures use the previous commit's).
	const { StripeCore } = require(path.join(process.env.BENCH_CORE_DIST ?? path.join(REPO, 'dist'), 'nodes/StripeCore/StripeCore.node.js')) as {
		StripeCore: new () => import('n8n-workflow').INodeType;
	};
	const nodeType = new StripeCore();
	const parameters =
		scenario === 'create'
			? {
					resource: 'customer',
					operation: 'create',
					name: '={{ $json.name }}',
					email: '={{ $json.email }}',
					// BENCH_CORE_PARALLEL=N measures the node's "Parallel Requests" option (default 1).
					...(process.env.BENCH_CORE_PARALLEL ? { requestOptions: { parallelRequests: Number(process.env.BENCH_CORE_PARALLEL) } } : {}),
				}
			: scenario === 'retrieve'
				? {
						resource: 'customer',
						operation: 'retrieve',
						customer: { __rl: true, mode: 'id', value: '={{ $json.id }}' },
						...(process.env.BENCH_CORE_PARALLEL ? { requestOptions: { parallelRequests: Number(process.env.BENCH_CORE_PARALLEL) } } : {}),
					}
				: {
						resource: 'customer',
						operation: 'list',
						returnAll: true,
						...(task.contender === 'core-one' ? { requestOptions: { readInParallel: false } } : {}),
					};
	return async (inputs) =>
		await engine.runNode({
			nodeType,
			parameters,
			inputItems: inputs,
			credentials: { stripeKeyApi: { secretKey: task.contender === 'core-live' ? LIVE_KEY : KEY, baseUrl: standinUrl } },
		});
}

/** n8n's built-in Stripe node, its API redirected to the stand-in. */
function builtinRun(task: Task, engine: Engine, credentialTypes: Array<import('n8n-workflow').ICredentialType>): NodeRun {
	const { scenario, standinUrl } = task;
	redirectStripeApiTo(standinUrl);
	const { Stripe } = require('n8n-nodes-base/dist/nodes/Stripe/Stripe.node.js') as { Stripe: new () => import('n8n-workflow').INodeType };
	const { StripeApi } = require('n8n-nodes-base/dist/credentials/StripeApi.credentials.js') as {
		StripeApi: new () => import('n8n-workflow').ICredentialType;
	};
	credentialTypes.push(new StripeApi());
	const nodeType = new Stripe();
	const parameters =
		scenario === 'create'
			? { resource: 'customer', operation: 'create', name: '={{ $json.name }}', additionalFields: { email: '={{ $json.email }}' } }
			: { resource: 'customer', operation: 'getAll', returnAll: true };
	return async (inputs) =>
		await engine.runNode({
			nodeType,
			nodeTypeName: 'n8n-nodes-base.stripe',
			parameters,
			inputItems: inputs,
			credentials: { stripeApi: { secretKey: KEY } },
			credentialTypes,
		});
}

/** n8n's HTTP Request node with the predefined Stripe credential. */
function httpRequestRun(task: Task, engine: Engine, credentialTypes: Array<import('n8n-workflow').ICredentialType>): NodeRun {
	const { scenario, standinUrl } = task;
	const { HttpRequest } = require('n8n-nodes-base/dist/nodes/HttpRequest/HttpRequest.node.js') as {
		HttpRequest: new () => import('n8n-workflow').IVersionedNodeType;
	};
	const { StripeApi } = require('n8n-nodes-base/dist/credentials/StripeApi.credentials.js') as {
		StripeApi: new () => import('n8n-workflow').ICredentialType;
	};
	credentialTypes.push(new StripeApi());
	const nodeType = new HttpRequest();
	// Predefined credential type "Stripe API" (stripeApi), as a user would pick it in the HTTP Request node.
	const auth = { authentication: 'predefinedCredentialType', nodeCredentialType: 'stripeApi' };
	const parameters =
		scenario === 'create'
			? {
					method: 'POST',
					url: `${standinUrl}/v1/customers`,
					...auth,
					sendBody: true,
					contentType: 'form-urlencoded',
					bodyParameters: {
						parameters: [
							{ name: 'name', value: '={{ $json.name }}' },
							{ name: 'email', value: '={{ $json.email }}' },
						],
					},
					options: {},
				}
			: {
					method: 'GET',
					url: `${standinUrl}/v1/customers`,
					...auth,
					sendQuery: true,
					queryParameters: { parameters: [{ name: 'limit', value: '100' }] },
					options: {
						pagination: {
							pagination: {
								paginationMode: 'updateAParameterInEachRequest',
								parameters: { parameters: [{ type: 'qs', name: 'starting_after', value: '={{ $response.body.data[$response.body.data.length - 1].id }}' }] },
								paginationCompleteWhen: 'other',
								completeExpression: '={{ !$response.body.has_more }}',
							},
						},
					},
				};
	return async (inputs) =>
		await engine.runNode({
			nodeType,
			nodeTypeName: 'n8n-nodes-base.httpRequest',
			typeVersion: nodeType.currentVersion,
			parameters,
			inputItems: inputs,
			credentials: { stripeApi: { secretKey: KEY } },
			credentialTypes,
			nodeSettings: { credentials: { stripeApi: engine.harnessCredentialRef('stripeApi') } },
		});
}

/** A node run as the scenario's runner: its items checked, and the customers counted. */
function nodeRunner(task: Task, run: NodeRun): Runner {
	const { scenario } = task;
	if (scenario === 'retrieve') {
		return async (n) => {
			const runs = await Promise.all(Array.from({ length: task.runs ?? 1 }, () => run(Array.from({ length: n }, () => ({ json: { id: task.customerId! } })))));
			failures = [];
			let objects = 0;
			let outputItems = 0;
			for (const r of runs) {
				try {
					const out = checkNodeRun(task.contender, r);
					outputItems += out.length;
					objects += countCustomers(out.map((i) => i.json));
				} catch (e) {
					failures.push((e as Error).message);
				}
			}
			return { outputItems, objects };
		};
	}
	if (scenario === 'create') {
		return async (n, offset) => {
			const out = checkNodeRun(task.contender, await run(inputItems(n, offset)));
			const objects = countCustomers(out.map((i) => i.json));
			return { outputItems: out.length, objects };
		};
	}
	return async () => {
		const out = checkNodeRun(task.contender, await run([{ json: {} }]));
		keep = out;
		// The HTTP Request node emits one item per page (the page's body); the Stripe nodes one per customer.
		const rows = out.flatMap((i) => (Array.isArray(i.json.data) ? (i.json.data as Array<Record<string, unknown>>) : [i.json]));
		return { outputItems: out.length, objects: countCustomers(rows) };
	};
}

async function makeRunner(task: Task): Promise<Runner> {
	if (task.contender === 'raw') return rawRunner(task);
	if (task.contender === 'stripe-node') return stripeNodeRunner(task);
	// n8n contenders: the harness first (it prepares n8n-core's environment), then the node types.
	const engine = await import('../test/harness/engine');
	// The harness re-exports nock helpers, and requiring nock (14, @mswjs/interceptors) patches node:http so
	// that every request runs through its interceptor sockets. Real n8n has no such layer: undo it.
	const nock = require('nock') as { restore: () => void; isActive: () => boolean };
	nock.restore();
	if (nock.isActive()) throw new Error('nock is still intercepting HTTP');
	const credentialTypes = [] as Array<import('n8n-workflow').ICredentialType>;
	if (task.contender === 'builtin') return nodeRunner(task, builtinRun(task, engine, credentialTypes));
	if (task.contender === 'http') return nodeRunner(task, httpRequestRun(task, engine, credentialTypes));
	return nodeRunner(task, coreRun(task, engine));
}

let failures: string[] | undefined;

/**
 * Heap in use after a forced GC (the output is still held in `keep`); with BENCH_HEAP_SNAPSHOT=<dir>, a heap
 * snapshot of that state too (open it in Chrome DevTools › Memory to see what is retained).
 */
/** Samples memory every 20 ms until the returned function is called; that returns the largest values seen. */
function samplePeaks(): () => NonNullable<Result['samplePeaksMb']> {
	const peaks = { rss: 0, heapTotal: 0, heapUsed: 0, newSpace: 0, external: 0 };
	const sample = () => {
		const m = process.memoryUsage();
		const newSpace = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_size ?? 0;
		const now = { rss: m.rss, heapTotal: m.heapTotal, heapUsed: m.heapUsed, newSpace, external: m.external };
		for (const k of Object.keys(peaks) as Array<keyof typeof peaks>) peaks[k] = Math.max(peaks[k], now[k] / 1048576);
	};
	const timer = setInterval(sample, 20);
	return () => {
		clearInterval(timer);
		sample();
		return peaks;
	};
}

function heapAfterGc(): number | undefined {
	const gc = (globalThis as { gc?: () => void }).gc;
	if (!gc) return undefined;
	gc();
	const dir = process.env.BENCH_HEAP_SNAPSHOT;
	if (dir) v8.writeHeapSnapshot(path.join(dir, `${process.pid}.heapsnapshot`));
	return process.memoryUsage().heapUsed / 1048576;
}

/** Holds the last list result until the measurement is over, so the peak includes it for every contender. */
let keep: unknown;

async function main(): Promise<void> {
	const task = JSON.parse(process.argv[2]) as Task;
	countRequests();
	const runner = await makeRunner(task);
	if (task.scenario === 'create' && task.warmupItems > 0) {
		const warm = await runner(task.warmupItems, 1_000_000);
		if (warm.objects !== task.warmupItems) throw new Error(`${task.contender}: warm-up created ${warm.objects} of ${task.warmupItems} customers`);
	}
	(globalThis as { gc?: () => void }).gc?.();
	const rssBeforeMb = procStatusMb('VmRSS');
	const peakBeforeRun = procStatusMb('VmHWM');
	const canReset = resetPeakRss();
	const requestsBefore = requestCount;
	const connectionsBefore = connectionCount;
	const redirectedBefore = redirected;
	if (task.startAt !== undefined) await new Promise((r) => setTimeout(r, Math.max(0, task.startAt! - Date.now())));
	const stopSampling = samplePeaks();
	const cpu0 = process.cpuUsage();
	const t0 = process.hrtime.bigint();
	const { outputItems, objects } = await runner(task.items, 0);
	const samplePeaksMb = stopSampling();
	const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
	const cpu = process.cpuUsage(cpu0);
	const runPeak = procStatusMb('VmHWM');
	const endedAt = Date.now();
	const expected = task.items * (task.scenario === 'retrieve' ? (task.runs ?? 1) : 1);
	if (objects !== expected && !failures?.length) throw new Error(`${task.contender}: expected ${task.items} customers, got ${objects}`);
	const result: Result = {
		scenario: task.scenario,
		contender: task.contender,
		wallMs,
		cpuUserMs: cpu.user / 1000,
		cpuSystemMs: cpu.system / 1000,
		outputItems,
		objects,
		requests: requestCount - requestsBefore,
		connections: connectionCount - connectionsBefore,
		endedAt,
		...(failures ? { failures } : {}),
		...(task.contender === 'builtin' ? { redirected: redirected - redirectedBefore } : {}),
		rssBeforeMb,
		peakRssMb: canReset ? Math.max(peakBeforeRun, runPeak) : runPeak,
		...(canReset ? { runPeakRssMb: runPeak } : {}),
		heapUsedAfterMb: process.memoryUsage().heapUsed / 1048576,
		heapAfterGcMb: heapAfterGc(),
		samplePeaksMb,
		nodeVersion: process.version,
	};
	void keep;
	process.stdout.write(`BENCH_RESULT ${JSON.stringify(result)}\n`);
}

main().then(
	() => process.exit(0),
	(e: Error) => {
		process.stderr.write(`${e.stack ?? e.message}\n`);
		process.exit(1);
	},
);
