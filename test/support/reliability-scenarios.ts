/**
 * Fault-injection scenarios for the Stripe Core node, run through n8n's engine against the loopback
 * stand-in (test/standin). Shared by test/engine/reliability.test.ts (which asserts every expectation) and
 * test/support/reliability-table.ts (which prints the results table of RELIABILITY.md).
 *
 * Every scenario injects faults into the stand-in, runs one node execution with one input item, and reports
 * what happened: outcome, attempts (requests the stand-in received), whether every attempt carried the same
 * Idempotency-Key, how many objects the stand-in stored, the backoff delays n8n's sleep was asked for, and
 * the error the user sees.
 */
import { controlledDeadlines, instantSleep, runNode } from '../harness/engine';

import type { INodeParameters } from 'n8n-workflow';

import { StripeCore } from '../../nodes/StripeCore/StripeCore.node';
import type { Chaos, Fault, Standin } from '../standin/server';

export const SECRET = 'sk_test_51ReliabilitySecretKeyValue0123456789';

/**
 * The per-attempt timeout the scenarios set (Request Options → Timeout) instead of Stripe's 80 s (DEFAULT_TIMEOUT_MS
 * in transport.ts). The runs below use the tests' deadline clock (test/harness/deadlines.ts): a deadline passes
 * when the stand-in leaves the attempt unanswered (its `onHang`, wired by startTestStandin), never on a slow machine.
 */
export const TEST_TIMEOUT_MS = 500;

const node = new StripeCore();

export interface Scenario {
	name: string;
	/** What is sent: a v1 create (POST), a v1 retrieve (GET) or a v2 create (POST, JSON). */
	request: 'create customer' | 'retrieve customer' | 'create event destination (v2)';
	faults: Fault[];
	maxRetries?: number;
	expect: Expectation;
}

/** What a scenario must end with. A failed run names the error it expects: no scenario accepts any error. */
export type Expectation = {
	attempts: number;
	/** Objects the stand-in holds afterwards (creates only). */
	objects?: number;
	/** The error description must match. */
	description?: RegExp;
	/** Distinct Idempotency-Key values over all attempts: 1 for POSTs (0 for GETs and v1 POSTs with Max Retries 0, as stripe-node). */
	idempotencyKeys: number;
	/** The answer the node returned was replayed from the stand-in's idempotency store. */
	replayed?: boolean;
} & (
	| { outcome: 'succeeded' }
	| {
			outcome: 'failed';
			/** The error message must match. */
			error: RegExp;
	  }
);

const BAD_GATEWAY_HTML = '<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>';
const TRUNCATED_JSON = '{\n  "id": "cus_truncated",\n  "object": "custo';
const lockTimeout = {
	error: {
		type: 'invalid_request_error',
		code: 'lock_timeout',
		message: 'This object cannot be accessed right now because another API request or Stripe process is currently accessing it.',
	},
};

/** `times` copies of a fault on the request's path. */
function on(path: string, fault: Omit<Fault, 'path'>, times = 1): Fault[] {
	return [{ ...fault, path, times }];
}
const CUS = '/v1/customers';
const ED = '/v2/core/event_destinations';

export const SCENARIOS: Scenario[] = [
	{
		name: 'connection reset before processing',
		request: 'create customer',
		faults: on(CUS, { action: 'reset' }),
		expect: { idempotencyKeys: 1, outcome: 'succeeded', attempts: 2, objects: 1, replayed: false },
	},
	{
		name: 'connection reset after processing (object stored, answer lost)',
		request: 'create customer',
		faults: on(CUS, { action: 'reset-after' }),
		expect: { idempotencyKeys: 1, outcome: 'succeeded', attempts: 2, objects: 1, replayed: true },
	},
	{
		name: 'connection reset before processing, every attempt',
		request: 'create customer',
		faults: on(CUS, { action: 'reset' }, 3),
		expect: {
			idempotencyKeys: 1,
			outcome: 'failed',
			attempts: 3,
			objects: 0,
			error: /^Could not reach Stripe at http:\/\/127\.0\.0\.1:\d+ \((ECONNRESET|socket hang up)\)$/,
		},
	},
	{
		name: 'connection reset after processing, every attempt',
		request: 'create customer',
		faults: on(CUS, { action: 'reset-after' }, 3),
		expect: { idempotencyKeys: 1, outcome: 'failed', attempts: 3, objects: 1, error: /^Could not reach Stripe at .* \((ECONNRESET|socket hang up)\)$/ },
	},
	{
		name: 'timeout (no answer)',
		request: 'create customer',
		faults: on(CUS, { action: 'hang' }),
		expect: { idempotencyKeys: 1, outcome: 'succeeded', attempts: 2, objects: 1, replayed: false },
	},
	{
		name: 'timeout after processing',
		request: 'create customer',
		faults: on(CUS, { action: 'hang-after' }),
		expect: { idempotencyKeys: 1, outcome: 'succeeded', attempts: 2, objects: 1, replayed: true },
	},
	{
		name: 'timeout, every attempt',
		request: 'create customer',
		faults: on(CUS, { action: 'hang' }, 3),
		expect: { idempotencyKeys: 1, outcome: 'failed', attempts: 3, objects: 0, error: /^Stripe did not answer within 0\.5 s$/ },
	},
	{
		name: 'HTTP 500',
		request: 'create customer',
		faults: on(CUS, { status: 500 }),
		expect: { idempotencyKeys: 1, outcome: 'succeeded', attempts: 2, objects: 1 },
	},
	{
		name: 'HTTP 502 (HTML body from a proxy)',
		request: 'create customer',
		faults: on(CUS, { status: 502, rawBody: BAD_GATEWAY_HTML, headers: { 'Content-Type': 'text/html' } }),
		expect: { idempotencyKeys: 1, outcome: 'succeeded', attempts: 2, objects: 1 },
	},
	{
		name: 'HTTP 503',
		request: 'create customer',
		faults: on(CUS, { status: 503 }),
		expect: { idempotencyKeys: 1, outcome: 'succeeded', attempts: 2, objects: 1 },
	},
	{
		name: 'HTTP 500, every attempt',
		request: 'create customer',
		faults: on(CUS, { status: 500 }, 3),
		expect: { idempotencyKeys: 1, outcome: 'failed', attempts: 3, objects: 0, error: /^Stripe api_error: Injected 500$/ },
	},
	{
		name: 'HTTP 502 (HTML body), every attempt',
		request: 'create customer',
		faults: on(CUS, { status: 502, rawBody: BAD_GATEWAY_HTML, headers: { 'Content-Type': 'text/html' } }, 3),
		expect: {
			idempotencyKeys: 1,
			outcome: 'failed',
			attempts: 3,
			objects: 0,
			error: /^Stripe answered HTTP 502 with a body that is not JSON: <html><head><title>502 Bad Gateway<\/title>/,
		},
	},
	{
		name: 'HTTP 409 lock_timeout',
		request: 'create customer',
		faults: on(CUS, { status: 409, body: lockTimeout }),
		expect: { idempotencyKeys: 1, outcome: 'succeeded', attempts: 2, objects: 1 },
	},
	{
		name: 'HTTP 429, Stripe-Should-Retry: true',
		request: 'create customer',
		faults: on(CUS, { status: 429, headers: { 'Stripe-Should-Retry': 'true' } }),
		expect: { idempotencyKeys: 1, outcome: 'succeeded', attempts: 2, objects: 1 },
	},
	{
		name: 'HTTP 429, Stripe-Should-Retry: false',
		request: 'create customer',
		faults: on(CUS, { status: 429, headers: { 'Stripe-Should-Retry': 'false' } }),
		expect: { idempotencyKeys: 1, outcome: 'failed', attempts: 1, objects: 0, error: /^Stripe invalid_request_error: Injected 429$/ },
	},
	{
		name: 'HTTP 503, Stripe-Should-Retry: false',
		request: 'create customer',
		faults: on(CUS, { status: 503, headers: { 'Stripe-Should-Retry': 'false' } }),
		expect: { idempotencyKeys: 1, outcome: 'failed', attempts: 1, objects: 0, error: /^Stripe api_error: Injected 503$/ },
	},
	{
		name: 'HTTP 400, Stripe-Should-Retry: true',
		request: 'create customer',
		faults: on(CUS, { status: 400, headers: { 'Stripe-Should-Retry': 'true' } }),
		expect: { idempotencyKeys: 1, outcome: 'succeeded', attempts: 2, objects: 1 },
	},
	{
		name: 'HTTP 400 (not retried)',
		request: 'create customer',
		faults: on(CUS, { status: 400 }),
		expect: { idempotencyKeys: 1, outcome: 'failed', attempts: 1, objects: 0, error: /^Stripe invalid_request_error: Injected 400$/ },
	},
	{
		name: 'malformed JSON in a 200 answer',
		request: 'create customer',
		faults: on(CUS, { status: 200, rawBody: TRUNCATED_JSON }),
		expect: {
			idempotencyKeys: 1,
			outcome: 'failed',
			attempts: 1,
			objects: 0,
			error: /^Stripe answered with a body that is not JSON$/,
			description: /^HTTP 200, 45 bytes · Request ID: req_\w+ · Stripe may have carried the request out/,
		},
	},
	{
		name: 'malformed JSON in a 500 answer',
		request: 'create customer',
		faults: on(CUS, { status: 500, rawBody: TRUNCATED_JSON }),
		expect: { idempotencyKeys: 1, outcome: 'succeeded', attempts: 2, objects: 1 },
	},
	{
		name: 'Max Retries 0: a reset is not retried',
		request: 'create customer',
		maxRetries: 0,
		faults: on(CUS, { action: 'reset' }),
		expect: {
			outcome: 'failed',
			attempts: 1,
			idempotencyKeys: 0,
			objects: 0,
			error: /^Could not reach Stripe at http:\/\/127\.0\.0\.1:\d+ \((ECONNRESET|socket hang up)\)$/,
		},
	},
	{
		name: 'Max Retries 5: five resets, then success',
		request: 'create customer',
		maxRetries: 5,
		faults: on(CUS, { action: 'reset-after' }, 5),
		expect: { idempotencyKeys: 1, outcome: 'succeeded', attempts: 6, objects: 1, replayed: true },
	},
	{
		name: 'GET: connection reset',
		request: 'retrieve customer',
		faults: on('/v1/customers/*', { action: 'reset' }),
		expect: { idempotencyKeys: 0, outcome: 'succeeded', attempts: 2 },
	},
	{
		name: 'GET: timeout',
		request: 'retrieve customer',
		faults: on('/v1/customers/*', { action: 'hang' }),
		expect: { idempotencyKeys: 0, outcome: 'succeeded', attempts: 2 },
	},
	{
		name: 'GET: HTTP 503, every attempt',
		request: 'retrieve customer',
		faults: on('/v1/customers/*', { status: 503 }, 3),
		expect: { idempotencyKeys: 0, outcome: 'failed', attempts: 3, error: /^Stripe api_error: Injected 503$/ },
	},
	{
		name: 'v2 POST: connection reset after processing',
		request: 'create event destination (v2)',
		faults: on(ED, { action: 'reset-after' }),
		expect: { idempotencyKeys: 1, outcome: 'succeeded', attempts: 2, objects: 1, replayed: true },
	},
	{
		name: 'v2 POST: HTTP 500 then timeout after processing',
		request: 'create event destination (v2)',
		faults: [...on(ED, { status: 500 }), ...on(ED, { action: 'hang-after' })],
		expect: { idempotencyKeys: 1, outcome: 'succeeded', attempts: 3, objects: 1, replayed: true },
	},
];

export interface ScenarioResult {
	scenario: Scenario;
	outcome: 'succeeded' | 'failed';
	attempts: number;
	/** Number of distinct Idempotency-Key values over all attempts (1 = the same key every time; 0 = none sent). */
	idempotencyKeys: number;
	objects?: number;
	replayed: boolean;
	/** Delays (ms) the node asked n8n's sleep for. */
	sleeps: number[];
	error?: string;
	errorDescription?: string;
	/** What the stand-in recorded for every attempt (fault label, or the status). */
	attemptLog: string[];
	output: unknown;
	run: unknown;
}

export function credentialsFor(s: Standin) {
	return { stripeKeyApi: { secretKey: SECRET, baseUrl: s.url } };
}

function parametersFor(scenario: Scenario, customerId: string): INodeParameters {
	const requestOptions = { timeout: TEST_TIMEOUT_MS, ...(scenario.maxRetries === undefined ? {} : { maxRetries: scenario.maxRetries }) };
	switch (scenario.request) {
		case 'create customer':
			return {
				resource: 'customer',
				operation: 'create',
				additionalFields: { email: 'jane@example.com', metadata: { entries: [{ key: 'row', value: '1' }] } },
				requestOptions,
			};
		case 'retrieve customer':
			return { resource: 'customer', operation: 'retrieve', customer: { __rl: true, mode: 'id', value: customerId }, requestOptions };
		case 'create event destination (v2)':
			return {
				resource: 'eventDestinationV2',
				operation: 'create',
				enabled_events: ['v1.billing.meter.error_report_triggered'],
				event_payload: 'thin',
				name: 'reliability',
				type: 'webhook_endpoint',
				additionalFields: { webhook_endpoint: { values: { url: 'https://example.com/hook' } } },
				requestOptions,
			};
	}
}

/** Runs one scenario on a freshly reset stand-in. */
export async function runScenario(s: Standin, scenario: Scenario): Promise<ScenarioResult> {
	s.reset();
	const [existing] = scenario.request === 'retrieve customer' ? s.seed('customers', [{ email: 'seeded@example.com' }]) : [];
	for (const f of scenario.faults) s.addFault(f);
	const sleep = instantSleep();
	const deadlines = controlledDeadlines();
	let result;
	try {
		result = await runNode({ nodeType: node, parameters: parametersFor(scenario, String(existing?.id ?? '')), credentials: credentialsFor(s) });
	} finally {
		deadlines.restore();
		sleep.restore();
	}
	const attempts = s.requests.filter((r) => r.path.startsWith('/v1/') || r.path.startsWith('/v2/'));
	const keys = new Set(attempts.map((r) => r.headers['idempotency-key']).filter((k) => k !== undefined));
	const objects =
		scenario.request === 'create customer'
			? s.objects('customers').length
			: scenario.request === 'create event destination (v2)'
				? await countDestinations(s)
				: undefined;
	const error = result.nodeError;
	return {
		scenario,
		outcome: error ? 'failed' : 'succeeded',
		attempts: attempts.length,
		idempotencyKeys: keys.size,
		objects,
		replayed: attempts[attempts.length - 1]?.replayed === true,
		sleeps: [...sleep.calls],
		error: error?.message,
		errorDescription: error?.description ?? undefined,
		attemptLog: attempts.map((r) => r.fault ?? String(r.status)),
		output: result.items,
		run: result.run,
	};
}

async function countDestinations(s: Standin): Promise<number> {
	const res = await fetch(`${s.url}/v2/core/event_destinations?limit=100`, { headers: { Authorization: `Bearer ${SECRET}` } });
	const body = (await res.json()) as { data: unknown[] };
	s.requests.pop(); // this check is not an attempt of the node
	return body.data.length;
}

/** A markdown table of scenario results. */
export function resultsTable(results: ScenarioResult[]): string {
	const rows = [
		'| Scenario | Request | Injected (per attempt) | Outcome | Attempts | Same Idempotency-Key | Objects stored | Backoff (ms) | Error shown |',
		'| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
	];
	for (const r of results) {
		const method = r.scenario.request.startsWith('retrieve') ? 'GET' : 'POST';
		const key =
			r.idempotencyKeys === 1
				? r.attempts > 1
					? `yes (1 key, ${r.attempts} attempts)`
					: 'yes (1 key)'
				: r.idempotencyKeys === 0
					? method === 'GET'
						? 'none (GET)'
						: 'none (no retries, as stripe-node)'
					: `NO (${r.idempotencyKeys} keys)`;
		const stable = (t: string) =>
			t
				.replace(/127\.0\.0\.1:\d+/, '127.0.0.1:PORT')
				.replace(/req_[A-Za-z0-9]+/g, 'req_…')
				.replace(/\|/g, '\\|');
		const error = r.error ? `\`${stable(r.error)}\`${r.errorDescription ? ` — ${stable(r.errorDescription)}` : ''}` : '';
		rows.push(
			`| ${r.scenario.name} | ${method} ${r.scenario.request.replace(/^(create|retrieve) /, '')}${r.scenario.maxRetries !== undefined ? ` (Max Retries ${r.scenario.maxRetries})` : ''} | ${r.attemptLog.join(' → ')} | ${r.outcome === 'succeeded' ? (r.attempts > 1 ? `retried, succeeded${r.replayed ? ' (replayed)' : ''}` : 'succeeded') : r.attempts > 1 ? 'retried, failed' : 'failed, not retried'} | ${r.attempts} | ${key} | ${r.objects ?? 'n/a'} | ${r.sleeps.map((ms) => Math.round(ms)).join(', ') || '–'} | ${error} |`,
		);
	}
	return rows.join('\n');
}

// ------------------------------------------------------------------------------------------------ many items

/** 10 % of attempts get one of these transient faults (seeded, so every run is the same). */
export const CHAOS: Chaos = {
	rate: 0.1,
	seed: 7,
	faults: [
		{ action: 'reset' },
		{ action: 'reset-after' },
		{ action: 'reset-after' },
		{ action: 'hang-after' },
		{ status: 500 },
		{ status: 502, rawBody: '<html>Bad Gateway</html>', headers: { 'Content-Type': 'text/html' } },
		{ status: 503 },
		{ status: 409, body: { error: { type: 'invalid_request_error', code: 'lock_timeout', message: 'lock timeout' } } },
		{ status: 429, headers: { 'Stripe-Should-Retry': 'true' } },
		{ status: 500, rawBody: '{"error": {"type": "api_er' },
	],
};

export interface ChaosStats {
	items: number;
	attempts: number;
	faults: number;
	faultKinds: Record<string, number>;
	objects: number;
	/** Distinct `metadata.row` values among the stored objects (= objects when nothing was created twice). */
	distinctRows: number;
	outputItems: number;
	outputInInputOrder: boolean;
	/** The most distinct Idempotency-Keys any one item's attempts carried (1 = always the same key). */
	maxKeysPerItem: number;
	distinctKeys: number;
	nodeError?: string;
	ms: number;
}

/** `items` customer creates (Max Retries 5) under CHAOS, on a reset stand-in. */
export async function runChaos(s: Standin, items = 1000): Promise<ChaosStats> {
	s.reset();
	s.setChaos(CHAOS);
	const sleep = instantSleep();
	const deadlines = controlledDeadlines();
	const started = Date.now();
	let result;
	try {
		result = await runNode({
			nodeType: node,
			credentials: credentialsFor(s),
			parameters: {
				resource: 'customer',
				operation: 'create',
				additionalFields: { email: '={{ "row" + $json.row + "@example.com" }}', metadata: { entries: [{ key: 'row', value: '={{ $json.row }}' }] } },
				// 10 % faults per attempt: with the default 2 retries about one item in 1,000 would run out of attempts.
				requestOptions: { maxRetries: 5, timeout: TEST_TIMEOUT_MS },
			},
			inputItems: Array.from({ length: items }, (_, row) => ({ json: { row } })),
		});
	} finally {
		deadlines.restore();
		sleep.restore();
		s.setChaos(undefined);
	}
	const ms = Date.now() - started;
	const objects = s.objects('customers');
	const out = result.items[0] ?? [];
	const keysByRow = new Map<string, Set<string>>();
	for (const r of s.requests) {
		const row = String((r.body as { metadata?: { row?: string } }).metadata?.row);
		if (!keysByRow.has(row)) keysByRow.set(row, new Set());
		keysByRow.get(row)!.add(String(r.headers['idempotency-key']));
	}
	const faultKinds: Record<string, number> = {};
	for (const r of s.requests) if (r.fault) faultKinds[r.fault] = (faultKinds[r.fault] ?? 0) + 1;
	return {
		items,
		attempts: s.requests.length,
		faults: s.requests.filter((r) => r.fault).length,
		faultKinds,
		objects: objects.length,
		distinctRows: new Set(objects.map((o) => (o.metadata as Record<string, string>).row)).size,
		outputItems: out.length,
		outputInInputOrder: out.every((i, n) => (i.json.metadata as Record<string, string> | undefined)?.row === String(n)),
		maxKeysPerItem: Math.max(...[...keysByRow.values()].map((k) => k.size)),
		distinctKeys: new Set([...keysByRow.values()].flatMap((k) => [...k])).size,
		nodeError: result.nodeError?.message,
		ms,
	};
}

// ------------------------------------------------------------------------------------------------ rate limits

/** The rate-limited runs of the tests and of RELIABILITY.md: 2.5 × N requests each. */
export const RATE_RUNS = { creates: { limit: 10, items: 25 }, returnAll: { limit: 10, total: 2480 } };

export interface RateStats {
	limit: number;
	/** Requests the stand-in accepted / answered with 429. */
	accepted: number;
	limited: number;
	/** The most accepted requests in any one-second window. */
	maxPerSecond: number;
	/** Accepted requests per second once the node paces itself (after the last 429). */
	steadyRate: number;
	/** Accepted requests per second over the whole run. */
	overallRate: number;
	outputItems: number;
	objects?: number;
	distinctOutputIds: number;
	nodeError?: string;
	ms: number;
}

function measure(s: Standin, limit: number, out: Array<{ json: Record<string, unknown> }>, started: number, nodeError?: string): RateStats {
	const accepted = s.requests.filter((r) => r.fault !== 'rate_limit').map((r) => r.at);
	const limited = s.requests.filter((r) => r.fault === 'rate_limit');
	let maxPerSecond = 0;
	for (let i = 0, j = 0; i < accepted.length; i++) {
		while (accepted[i] - accepted[j] >= 1000) j++;
		maxPerSecond = Math.max(maxPerSecond, i - j + 1);
	}
	const lastLimited = limited.length ? limited[limited.length - 1].at : accepted[0];
	const paced = accepted.filter((t) => t > lastLimited);
	return {
		limit,
		accepted: accepted.length,
		limited: limited.length,
		maxPerSecond,
		steadyRate: paced.length > 1 ? ((paced.length - 1) * 1000) / (paced[paced.length - 1] - paced[0]) : NaN,
		overallRate: ((accepted.length - 1) * 1000) / (accepted[accepted.length - 1] - accepted[0]),
		outputItems: out.length,
		distinctOutputIds: new Set(out.map((i) => i.json.id)).size,
		nodeError,
		ms: Date.now() - started,
	};
}

/** `items` customer creates (default Max Retries, real sleep) against a stand-in limited to `limit` requests/s. */
export async function runRateLimitedCreates(s: Standin, limit: number, items: number): Promise<RateStats> {
	s.reset();
	s.setRateLimit(limit);
	const started = Date.now();
	const result = await runNode({
		nodeType: node,
		credentials: credentialsFor(s),
		parameters: { resource: 'customer', operation: 'create', additionalFields: { metadata: { entries: [{ key: 'row', value: '={{ $json.row }}' }] } } },
		inputItems: Array.from({ length: items }, (_, row) => ({ json: { row } })),
	});
	const stats = measure(s, limit, result.items[0] ?? [], started, result.nodeError?.message);
	stats.objects = new Set(s.objects('customers').map((o) => (o.metadata as Record<string, string>).row)).size;
	s.setRateLimit(undefined);
	return stats;
}

/** Return All over `total` customers (100 per page; default Max Retries, real sleep) at `limit` requests/s. */
export async function runRateLimitedReturnAll(s: Standin, limit: number, total: number): Promise<RateStats> {
	s.reset();
	s.seed(
		'customers',
		Array.from({ length: total }, (_, i) => ({ email: `c${i}@example.com` })),
	);
	s.setRateLimit(limit);
	const started = Date.now();
	const result = await runNode({ nodeType: node, credentials: credentialsFor(s), parameters: { resource: 'customer', operation: 'list', returnAll: true } });
	const stats = measure(s, limit, result.items[0] ?? [], started, result.nodeError?.message);
	s.setRateLimit(undefined);
	return stats;
}
