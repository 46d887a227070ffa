/**
 * The hostile-network and misbehaving-API runs of RELIABILITY.md (issue 14), measured through n8n's engine
 * against loopback servers. test/engine/reliability-hostile.test.ts asserts the same behaviour case by case;
 * these runs give the figures (requests received where, attempts, keys, time).
 */
import { instantSleep, runNode } from '../harness/engine';

import type { INodeExecutionData, INodeParameters, INodeType } from 'n8n-workflow';

import { StripeCore } from '../../nodes/StripeCore/StripeCore.node';
import { pathFieldName } from '../../nodes/shared/fields/properties';
import { shapeKind } from '../../nodes/shared/fields/shapes';
import { startCaptureServer } from './capture';
import { FAMILY_NODES } from './families';
import { json, startHostile, trickle } from './hostile';
import { casesFor } from './samples';
import { startStandin } from '../standin/server';

const SECRET = 'sk_test_51HostileTableSecretKey0123456789';
const core = new StripeCore();
const createCustomer: INodeParameters = { resource: 'customer', operation: 'create', email: 'jane@example.com' };

export interface Row {
	scenario: string;
	requests: string;
	outcome: string;
}

const oneLine = (t: unknown) =>
	String(t ?? '')
		.replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:PORT')
		.replace(/\|/g, '\\|');

/** Redirects: where requests arrived, for cross-origin redirects and a loop. */
export async function redirectRows(): Promise<Row[]> {
	const base = await startHostile();
	const other = await startHostile();
	const rows: Row[] = [];
	try {
		const credentials = { stripeKeyApi: { secretKey: SECRET, baseUrl: base.url } };
		for (const status of [302, 307]) {
			base.requests.length = 0;
			other.requests.length = 0;
			base.handle((req, res) => {
				res.writeHead(status, { Location: `${other.url}${req.url}` });
				res.end();
			});
			const r = await runNode({ nodeType: core, credentials, parameters: createCustomer });
			const withKey = other.requests.filter((x) => x.headers.authorization).length;
			rows.push({
				scenario: `POST customer, HTTP ${status} to another port`,
				requests: `base URL ${base.requests.length}, other origin ${other.requests.length} (${withKey} with Authorization)`,
				outcome: `\`${oneLine(r.nodeError?.message)}\``,
			});
		}
		base.requests.length = 0;
		base.handle((req, res) => {
			res.writeHead(302, { Location: req.url });
			res.end();
		});
		const loop = await runNode({ nodeType: core, credentials, parameters: { resource: 'balance', operation: 'retrieve' } });
		rows.push({
			scenario: 'GET balance, HTTP 302 to itself (a loop)',
			requests: `base URL ${base.requests.length}`,
			outcome: `\`${oneLine(loop.nodeError?.message)}\``,
		});
	} finally {
		await base.close();
		await other.close();
	}
	return rows;
}

/** One run per path parameter of every operation: its value from the item (`$json.v`), everything else valid. */
export interface DotIdCase {
	familyKey: string;
	nodeType: INodeType;
	label: string;
	field: string;
	parameters: INodeParameters;
	binary?: Record<string, { content: Buffer; fileName: string; mimeType: string }>;
}

export function* dotIdCases(): Generator<DotIdCase> {
	for (const { key, family, nodeType } of FAMILY_NODES) {
		for (const r of family.resources) {
			for (const op of r.operations) {
				for (const p of op.pathParams) {
					const base = casesFor(op)[0].nodeParams as INodeParameters;
					const field = pathFieldName(op, p.name);
					const current = base[field];
					const bad = '={{ $json.v }}';
					const parameters: INodeParameters = {
						resource: r.value,
						operation: op.value,
						...base,
						[field]: current && typeof current === 'object' ? { ...(current as object), value: bad } : bad,
					};
					if (op.kind !== 'plain' && op.kind !== 'report') parameters.limit = 3;
					const binary = op.params.some((x) => shapeKind(x) === 'binary')
						? { data: { content: Buffer.from('x'), fileName: 'x.txt', mimeType: 'text/plain' } }
						: undefined;
					yield { familyKey: key, nodeType: nodeType as INodeType, label: `${key} ${r.value}.${op.value} ${field}`, field, parameters, binary };
				}
			}
		}
	}
}

/** The items of a dot-ID run: `.` and `..` (Continue On Fail). */
export function dotIdItems(c: DotIdCase): INodeExecutionData[] {
	return ['.', '..'].map((v) => ({ json: { v }, ...(c.binary ? { binary: c.binary } : {}) })) as INodeExecutionData[];
}

/** Every path parameter of every operation with `.` and `..` (two items, Continue On Fail). */
export async function dotIdSweep(): Promise<{ params: number; refused: number; sent: number }> {
	const cap = await startCaptureServer();
	let params = 0;
	let refused = 0;
	try {
		for (const c of dotIdCases()) {
			params++;
			const result = await runNode({
				nodeType: c.nodeType,
				credentials: { stripeKeyApi: { secretKey: SECRET, baseUrl: cap.url } },
				parameters: c.parameters,
				continueOnFail: true,
				inputItems: dotIdItems(c),
			});
			refused += (result.items[0] ?? []).filter((i) => /is not a valid Stripe ID/.test(String(i.json.error))).length;
		}
		return { params, refused, sent: cap.requests.length };
	} finally {
		await cap.close();
	}
}

/** Malformed answers, two input items, Continue On Fail. */
export async function malformedRows(): Promise<Row[]> {
	const h = await startHostile();
	const rows: Row[] = [];
	const credentials = { stripeKeyApi: { secretKey: SECRET, baseUrl: h.url } };
	const cases: Array<[string, INodeParameters, (n: number) => unknown]> = [
		['POST customer, body `null`', createCustomer, () => null],
		[
			'Return All, a `null` row',
			{ resource: 'customer', operation: 'list', returnAll: true },
			() => ({ object: 'list', data: [{ id: 'cus_1' }, null], has_more: false }),
		],
		['Return All, no `data`', { resource: 'customer', operation: 'list', returnAll: true }, () => ({ object: 'list', has_more: false })],
		['Return All, `data` an object', { resource: 'customer', operation: 'list', returnAll: true }, () => ({ object: 'list', data: {}, has_more: false })],
		[
			'Return All, `has_more` with the same last ID on every page',
			{ resource: 'customer', operation: 'list', returnAll: true },
			() => ({ object: 'list', data: [{ id: 'cus_1' }], has_more: true }),
		],
		[
			'Return All (v2), `next_page_url` to another host',
			{ resource: 'eventDestinationV2', operation: 'list', returnAll: true },
			() => ({ data: [{ id: 'ed_1' }], next_page_url: '@127.0.0.2:1/v2/core/event_destinations' }),
		],
	];
	try {
		for (const [scenario, parameters, body] of cases) {
			h.requests.length = 0;
			h.handle((_req, res, n) => json(res, 200, JSON.stringify(body(n))));
			const r = await runNode({ nodeType: core, credentials, parameters, continueOnFail: true, inputItems: [{ json: {} }, { json: {} }] });
			const items = r.items[0] ?? [];
			rows.push({
				scenario,
				requests: String(h.requests.length),
				outcome: `${r.error ? `execution crashed: ${oneLine(r.error.message)}` : `${items.filter((i) => i.json.error).length} error items of ${items.length}`}: \`${oneLine(items[0]?.json.error)}\``,
			});
		}
	} finally {
		await h.close();
	}
	return rows;
}

/** Deadlines: a trickling server, a stalled one, an unreachable port. */
export async function deadlineRows(): Promise<Row[]> {
	const h = await startHostile();
	const rows: Row[] = [];
	const sleep = instantSleep();
	const balance = (timeout: number, maxRetries: number): INodeParameters => ({
		resource: 'balance',
		operation: 'retrieve',
		requestOptions: { timeout, maxRetries },
	});
	try {
		const credentials = (baseUrl = h.url) => ({ stripeKeyApi: { secretKey: SECRET, baseUrl } });
		const run = async (scenario: string, parameters: INodeParameters, baseUrl?: string) => {
			h.requests.length = 0;
			const started = Date.now();
			const r = await runNode({ nodeType: core, credentials: credentials(baseUrl), parameters });
			const ms = Date.now() - started;
			rows.push({
				scenario,
				requests: String(h.requests.length),
				outcome: `\`${oneLine(r.nodeError?.message ?? 'succeeded')}\` after ${(ms / 1000).toFixed(2)} s`,
			});
		};
		h.handle((_req, res) => trickle(res, 50, 3000));
		await run('a byte every 50 ms for 3 s; Timeout 500 ms, Max Retries 1', balance(500, 1));
		h.handle((_req, res) => {
			res.writeHead(200, { 'Content-Type': 'application/json' });
			res.write('{"id": ');
		});
		await run('headers and part of the body, then silence; Timeout 500 ms, Max Retries 0', balance(500, 0));
		const closed = await startHostile();
		const url = closed.url;
		await closed.close();
		await run('nothing listening on the port; Max Retries 0', balance(500, 0), url);
	} finally {
		sleep.restore();
		await h.close();
	}
	return rows;
}

/** n8n's Retry On Fail after every attempt of the first node run was processed but its answer lost. */
export async function retryOnFailRow(): Promise<Row> {
	const s = await startStandin({ port: 0 });
	const sleep = instantSleep();
	try {
		s.addFault({ method: 'POST', path: '/v1/customers', action: 'reset-after', times: 3 });
		const r = await runNode({
			nodeType: core,
			credentials: { stripeKeyApi: { secretKey: SECRET, baseUrl: s.url } },
			parameters: createCustomer,
			nodeSettings: { retryOnFail: true, maxTries: 2, waitBetweenTries: 1 },
		});
		const posts = s.requests.filter((x) => x.method === 'POST');
		const keys = new Set(posts.map((x) => x.headers['idempotency-key'])).size;
		return {
			scenario: 'POST customer, Max Retries 2, node setting Retry On Fail (2 tries); the 3 attempts of the first try are processed, answers lost',
			requests: `${posts.length} (${keys} Idempotency-Key${keys === 1 ? '' : 's'})`,
			outcome: `${r.nodeError ? `failed: ${oneLine(r.nodeError.message)}` : 'succeeded'}; objects stored: ${s.objects('customers').length}; last answer replayed: ${posts[posts.length - 1]?.replayed === true ? 'yes' : 'no'}`,
		};
	} finally {
		sleep.restore();
		await s.close();
	}
}

export function rowsTable(rows: Row[], requestsHeader = 'Requests received'): string {
	return [`| Scenario | ${requestsHeader} | Outcome |`, '| --- | --- | --- |', ...rows.map((r) => `| ${r.scenario} | ${r.requests} | ${r.outcome} |`)].join(
		'\n',
	);
}
