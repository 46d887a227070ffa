/**
 * Return All in ranges of creation time (issue 25, nodes/shared/client/pager.ts splitRows): for lists whose `created`
 * filter takes ranges, the node reads several whole-second ranges at once. Whatever the distribution, the
 * output must be byte-identical to one cursor's (Request Options › Read in Parallel off), and both must equal
 * what stripe-node 17.4.0's autoPagingToArray reads from the same stand-in (the independent expectation):
 * bursts of objects created in the same second, gaps of months (empty ranges), a user's own `created` filter,
 * and objects created while the list is read. The requests are captured on the stand-in: ranges are whole
 * seconds inside the user's filter, more than one page was in flight, and the first page is the one request
 * one cursor sends.
 *
 * Real loopback sockets (nock off); the stand-in answers at once except in the automatic-concurrency case, where
 * it takes 120 ms a page; those answer times run on jest's fake clock (test/harness/fake-clock.ts).
 */
import '../harness/engine';

import assert from 'node:assert/strict';
import { afterAll, beforeAll, beforeEach, describe, it } from '@jest/globals';
import nock from 'nock';
import Stripe from 'stripe';

import type { INodeProperties } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { runNode } from '../harness/engine';
import { onFakeClock } from '../harness/fake-clock';
import { FAMILY_NODES } from '../support/families';
import type { HostileServer } from '../support/hostile';
import { json, startHostile } from '../support/hostile';
import { StripeCore } from '../../nodes/StripeCore/StripeCore.node';
import { StripeTreasury } from '../../nodes/StripeTreasury/StripeTreasury.node';
import { resetAccountPacing } from '../../nodes/shared/client/pacing';
import type { RecordedRequest, Standin } from '../standin/server';
import { startStandin } from '../standin/server';

nock.restore();

const KEY = 'sk_test_parallel_returnall_123';
const node = new StripeCore();
const treasury = new StripeTreasury();
/** 2024-03-01 00:00:00 UTC. */
const T0 = 1709251200;
const DAY = 86400;

/** `n` customers created at `at(i)` (Unix seconds), seeded oldest first as Stripe would have stored them. */
function seedAt(s: Standin, n: number, at: (i: number) => number, tag: string): void {
	const rows = Array.from({ length: n }, (_, i) => ({ email: `${tag}${i}@example.com`, metadata: { tag, i: String(i) }, created: at(i) }));
	rows.sort((a, b) => a.created - b.created);
	s.seed('customers', rows);
}

async function returnAll(s: Standin, options: { parallel: boolean; fixed?: number; created?: Record<string, number> }) {
	const requestOptions: Record<string, boolean | number> = {};
	if (!options.parallel) requestOptions.readInParallel = false;
	if (options.fixed !== undefined) requestOptions.parallelRequests = options.fixed;
	const since = s.requests.length;
	const result = await runNode({
		nodeType: node,
		credentials: { stripeKeyApi: { secretKey: KEY, baseUrl: s.url } },
		parameters: {
			resource: 'customer',
			operation: 'list',
			returnAll: true,
			// A created range as the editor stores it (the Range choice of the Created field).
			...(options.created ? { additionalFields: { created: { object0: { additionalFields: options.created } } } } : {}),
			requestOptions,
		},
	});
	assert.equal(result.nodeError, undefined, result.nodeError?.message);
	return { json: JSON.stringify(result.items[0]), ids: result.items[0].map((i) => String(i.json.id)), requests: s.requests.slice(since) };
}

/** What stripe-node 17.4.0 reads with its own auto-pagination (limit 100 a page), as output items would hold it. */
async function stripeNodeList(s: Standin, created?: Record<string, number>): Promise<string[]> {
	const u = new URL(s.url);
	const stripe = new Stripe(KEY, { host: u.hostname, port: Number(u.port), protocol: 'http' });
	const all = await stripe.customers.list({ limit: 100, ...(created ? { created } : {}) }).autoPagingToArray({ limit: 10_000 });
	return all.map((c) => c.id);
}

/** The `created` range of a captured list request, as numbers. */
function rangeOf(r: RecordedRequest): Record<string, number> {
	const c = r.query.created as Record<string, string> | undefined;
	return Object.fromEntries(Object.entries(c ?? {}).map(([k, v]) => [k, Number(v)]));
}

/**
 * Checks on the parallel read's requests: the first is the request one cursor sends first (`first`), the
 * others ask for whole-second ranges inside the user's filter, and there was more than one range.
 */
function checkRanges(requests: RecordedRequest[], first: RecordedRequest, user: Record<string, number> = {}): void {
	const lists = requests.filter((r) => r.path === '/v1/customers');
	assert.equal(lists[0].rawQuery, first.rawQuery, 'the first page is the request one cursor sends');
	const uppers = new Set<number>();
	for (const r of lists.slice(1)) {
		const range = rangeOf(r);
		for (const v of Object.values(range)) assert.ok(Number.isInteger(v), `whole seconds: ${r.rawQuery}`);
		if (range.lt !== undefined) uppers.add(range.lt);
		if (user.gte !== undefined) assert.ok((range.gte ?? user.gte) >= user.gte, `inside the user's gte: ${r.rawQuery}`);
		if (user.gt !== undefined) assert.ok((range.gte ?? user.gt + 1) > user.gt, `inside the user's gt: ${r.rawQuery}`);
		if (user.lt !== undefined) assert.ok((range.lt ?? user.lt) <= user.lt, `inside the user's lt: ${r.rawQuery}`);
		if (user.lte !== undefined) assert.ok((range.lt ?? user.lte + 1) <= user.lte + 1, `inside the user's lte: ${r.rawQuery}`);
	}
	assert.ok(uppers.size >= 2, `read in more than two ranges (${uppers.size + 1})`);
}

describe('Return All in ranges of creation time: the same output as one cursor', () => {
	let s: Standin;
	let creating: ((r: RecordedRequest) => void) | undefined;
	beforeAll(async () => {
		s = await startStandin({ port: 0, onRequest: (r) => creating?.(r) });
	});
	beforeEach(() => {
		s.reset();
		creating = undefined;
		resetAccountPacing();
	});
	afterAll(async () => {
		await s.close();
	});

	it('bursts of objects created in the same second, among objects spread over weeks', async () => {
		seedAt(s, 900, (i) => T0 + i * 3000, 'spread'); // one every 50 minutes, about a month
		seedAt(s, 450, () => T0 + 10 * DAY, 'burst-a'); // 450 objects in one second: 4.5 pages that no range may cut
		seedAt(s, 130, () => T0 + 20 * DAY + 7, 'burst-b');
		seedAt(s, 101, () => T0 + 31 * DAY, 'burst-newest'); // the first page ends inside this second
		const expected = await stripeNodeList(s);
		assert.equal(expected.length, 1581);
		const one = await returnAll(s, { parallel: false });
		const par = await returnAll(s, { parallel: true, fixed: 6 });
		assert.deepEqual(one.ids, expected, 'one cursor reads what stripe-node reads');
		assert.equal(par.json, one.json, 'byte-identical output');
		assert.equal(new Set(par.ids).size, par.ids.length, 'no object twice');
		checkRanges(par.requests, one.requests[0]);
	});

	it('gaps of months (empty ranges) and objects years apart', async () => {
		seedAt(s, 250, (i) => T0 - 3 * 365 * DAY + i * 60, 'old'); // three years ago, four hours
		seedAt(s, 300, (i) => T0 - 200 * DAY + i * 7, 'mid');
		seedAt(s, 5, (i) => T0 - 30 * DAY + i * DAY, 'sparse');
		seedAt(s, 420, (i) => T0 + Math.floor(i / 3), 'recent'); // three a second
		const expected = await stripeNodeList(s);
		const one = await returnAll(s, { parallel: false });
		const par = await returnAll(s, { parallel: true, fixed: 8 });
		assert.deepEqual(one.ids, expected);
		assert.equal(par.json, one.json);
		checkRanges(par.requests, one.requests[0]);
		const empty = par.requests.filter((r) => r.path === '/v1/customers' && r.status === 200).length - Math.ceil(expected.length / 100);
		if (process.env.DEBUG_LANES) for (const r of par.requests) console.log(decodeURIComponent(r.rawQuery));
		console.log(`gaps: ${par.requests.length} requests for ${expected.length} objects (one cursor: ${one.requests.length})`);
		assert.ok(empty >= 0 && empty <= 40, `a bounded number of extra requests (${empty})`);
	});

	it("a user's own created filter is kept: ranges inside it, the same objects as one cursor", async () => {
		seedAt(s, 1200, (i) => T0 + i * 600 + (i % 7 === 0 ? 0 : 1), 'f');
		const filters: Array<Record<string, number>> = [
			{ gte: T0 + 100 * 600, lt: T0 + 1000 * 600 },
			{ gt: T0 + 50 * 600, lte: T0 + 900 * 600 + 1 },
			{ gte: T0 + 300 * 600 },
		];
		for (const user of filters) {
			const expected = await stripeNodeList(s, user);
			const one = await returnAll(s, { parallel: false, created: user });
			const par = await returnAll(s, { parallel: true, fixed: 5, created: user });
			assert.deepEqual(one.ids, expected, JSON.stringify(user));
			assert.equal(par.json, one.json, JSON.stringify(user));
			checkRanges(par.requests, one.requests[0], user);
		}
	});

	it('objects created while the list is read never appear: the list as it was at the first page', async () => {
		seedAt(s, 800, (i) => T0 + i * 900, 'before');
		const newest = T0 + 799 * 900;
		const expected = await stripeNodeList(s);
		const u = new URL(s.url);
		const stripe = new Stripe(KEY, { host: u.hostname, port: Number(u.port), protocol: 'http' });
		let made: string[] = [];
		// On every list request after the first, two new customers: one in the newest object's second (Stripe
		// lists it above that object) and one a second later. They are deleted after each read, so both reads
		// start from the same list.
		const createWhileReading = (r: RecordedRequest) => {
			if (r.method !== 'GET' || r.path !== '/v1/customers' || r.rawQuery === 'limit=100') return;
			const rows = s.seed('customers', [
				{ email: `during${made.length}@example.com`, created: newest },
				{ email: `during${made.length}b@example.com`, created: newest + 1 },
			]);
			made.push(...rows.map((c) => String(c.id)));
		};
		const read = async (parallel: boolean) => {
			made = [];
			creating = createWhileReading;
			const out = await returnAll(s, { parallel, fixed: 6 });
			creating = undefined;
			for (const id of made) await stripe.customers.del(id);
			return { out, created: made.length };
		};
		const onCursor = await read(false);
		assert.deepEqual(await stripeNodeList(s), expected, 'the same list again');
		const inParallel = await read(true);
		assert.deepEqual(onCursor.out.ids, expected, 'one cursor: only the objects that existed at its first page');
		assert.deepEqual(inParallel.out.ids, expected, 'in parallel too');
		assert.equal(inParallel.out.json, onCursor.out.json);
		assert.ok(onCursor.created >= 14 && inParallel.created >= 14, `objects were created during the reads (${onCursor.created}, ${inParallel.created})`);
	});

	it('automatic (no Parallel Requests): ranges are read at once while Stripe answers slowly, same output', async () => {
		const slow = await startStandin({ port: 0, latencyMs: 120 });
		try {
			seedAt(slow, 1500, (i) => T0 + i * 1000, 'auto');
			const expected = await stripeNodeList(slow);
			// The stand-in's 120 ms and the node's timing of its answers run on jest's fake clock.
			const par = await onFakeClock(() => returnAll(slow, { parallel: true }));
			assert.deepEqual(par.ids, expected);
			checkRanges(par.requests, (await onFakeClock(() => returnAll(slow, { parallel: false }))).requests[0]);
		} finally {
			await slow.close();
		}
	});
});

describe('Return All in ranges: when it is used, and how to turn it off', () => {
	let s: Standin;
	beforeAll(async () => {
		s = await startStandin({ port: 0 });
		seedAt(s, 700, (i) => T0 + i * 500, 'toggle');
	});
	afterAll(async () => {
		await s.close();
	});
	const listRequests = (requests: RecordedRequest[]) => requests.filter((r) => r.path === '/v1/customers').map((r) => decodeURIComponent(r.rawQuery));
	const oneCursor = (ids: string[]) => ['limit=100', ...Array.from({ length: 6 }, (_, i) => `limit=100&starting_after=${ids[100 * (i + 1) - 1]}`)];

	it('Read in Parallel off, or Parallel Requests 1: one cursor, the requests of today', async () => {
		const off = await returnAll(s, { parallel: false, fixed: 6 });
		assert.deepEqual(listRequests(off.requests), oneCursor(off.ids));
		const pinned = await returnAll(s, { parallel: true, fixed: 1 });
		assert.deepEqual(listRequests(pinned.requests), oneCursor(pinned.ids));
		const on = await returnAll(s, { parallel: true, fixed: 6 });
		assert.equal(on.json, off.json);
		assert.ok(listRequests(on.requests).some((q) => q.includes('created[lt]')));
	});

	it('Limit, a user cursor, or an exact created second: one cursor', async () => {
		const all = await returnAll(s, { parallel: false });
		const run = (parameters: Record<string, unknown>) =>
			runNode({
				nodeType: node,
				credentials: { stripeKeyApi: { secretKey: KEY, baseUrl: s.url } },
				parameters: { resource: 'customer', operation: 'list', requestOptions: { parallelRequests: 6 }, ...parameters } as never,
			});
		let since = s.requests.length;
		const limited = await run({ returnAll: false, limit: 250 });
		assert.equal(limited.items[0].length, 250);
		assert.deepEqual(listRequests(s.requests.slice(since)), [
			'limit=100',
			`limit=100&starting_after=${all.ids[99]}`,
			`limit=50&starting_after=${all.ids[199]}`,
		]);
		since = s.requests.length;
		const after = await run({ returnAll: true, additionalFields: { starting_after: all.ids[49] } });
		assert.deepEqual(
			after.items[0].map((i) => i.json.id),
			all.ids.slice(50),
		);
		assert.ok(listRequests(s.requests.slice(since)).every((q) => !q.includes('created')));
		since = s.requests.length;
		const exact = await run({ returnAll: true, additionalFields: { created: { number: { value: T0 + 500 } } } });
		assert.equal(exact.items[0].length, 1);
		assert.deepEqual(listRequests(s.requests.slice(since)), [`created=${T0 + 500}&limit=100`]);
	});

	it('the option is generated from the operations’ schemas: on every list whose created filter takes a range, shown with Return All', () => {
		let lists = 0;
		for (const { className: name, family, nodeType } of FAMILY_NODES) {
			const requestOptions = nodeType.description.properties.find((p) => p.name === 'requestOptions')!;
			const option = (requestOptions.options as INodeProperties[]).find((o) => o.name === 'readInParallel');
			for (const r of family.resources) {
				for (const op of r.operations) {
					const root = { resource: r.value, operation: op.value, returnAll: true, requestOptions: {} };
					const shown = !!option && NodeHelpers.displayParameter(root, option, null, null, root);
					const splits =
						op.kind === 'list' && op.params.some((p) => p.name === 'created' && (p.type === 'object' || p.anyOf?.some((a) => a.type === 'object')));
					assert.equal(shown, splits, `${name} ${r.value} ${op.value}`);
					if (splits) {
						lists++;
						const off = { ...root, returnAll: false };
						assert.equal(NodeHelpers.displayParameter(off, option!, null, null, off), false, 'hidden without Return All');
					}
				}
			}
		}
		assert.equal(lists, 49);
	});
});

describe('Return All in ranges: answers that break the contract are errors, as with one cursor', () => {
	let h: HostileServer;
	beforeAll(async () => {
		h = await startHostile();
	});
	afterAll(async () => {
		await h.close();
	});

	/** A well-behaved list of 1,000 objects, 100 s apart, newest first: created ranges and starting_after as Stripe applies them. */
	const topLane = (url: URL, res: import('node:http').ServerResponse) => {
		const after = url.searchParams.get('starting_after');
		const from = after ? Number(after.split('_').pop()) + 1 : 0;
		const gte = Number(url.searchParams.get('created[gte]') ?? -Infinity);
		const lt = Number(url.searchParams.get('created[lt]') ?? Infinity);
		const rest = Array.from({ length: 1000 - from }, (_, i) => ({ id: `cus_${from + i}`, object: 'customer', created: T0 - (from + i) * 100 })).filter(
			(r) => r.created >= gte && r.created < lt,
		);
		json(res, 200, { object: 'list', data: rest.slice(0, 100), has_more: rest.length > 100 });
	};

	it('Order By other than created (Treasury transactions by posted_at): one cursor; by created: ranges, at most Parallel Requests pages in flight', async () => {
		let inFlight = 0;
		let most = 0;
		h.handle((req, res) => {
			const url = new URL(req.url ?? '/', 'http://x');
			inFlight++;
			most = Math.max(most, inFlight);
			// Answered after 150 ms of jest's fake clock (a slow server), so that pages sent together overlap here.
			setTimeout(() => {
				inFlight--;
				topLane(url, res);
			}, 150);
		});
		const run = (order_by: string, parallelRequests: number) =>
			onFakeClock(() =>
				runNode({
					nodeType: treasury,
					credentials: { stripeKeyApi: { secretKey: KEY, baseUrl: h.url } },
					parameters: {
						resource: 'transaction',
						operation: 'list',
						financial_account: 'fa_1',
						returnAll: true,
						additionalFields: { order_by },
						requestOptions: { parallelRequests },
					},
				}),
			);
		h.requests.length = 0;
		const byPosted = await run('posted_at', 4);
		assert.equal(byPosted.items[0].length, 1000);
		assert.equal(h.requests.length, 10);
		assert.ok(
			h.requests.every((r) => !r.url.includes('created')),
			'no created ranges',
		);
		h.requests.length = 0;
		most = 0;
		const byCreated = await run('created', 3);
		assert.deepEqual(
			byCreated.items[0].map((i) => i.json.id),
			byPosted.items[0].map((i) => i.json.id),
		);
		assert.ok(
			h.requests.some((r) => decodeURIComponent(r.url).includes('created[lt]')),
			'read in ranges',
		);
		assert.ok(most >= 2 && most <= 3, `at most 3 pages in flight (${most})`);
	});

	it('a lane whose cursor does not advance: an error naming the item, the page and its range', async () => {
		h.handle((req, res) => {
			const url = new URL(req.url ?? '/', 'http://x');
			if (!url.searchParams.has('created[lt]')) return topLane(url, res);
			const rows = Array.from({ length: 3 }, (_, i) => ({ id: `cus_lane_${i}`, object: 'customer', created: T0 - 500_000 - i }));
			json(res, 200, { object: 'list', data: rows, has_more: true }); // the same three rows, again and again
		});
		const result = await runNode({
			nodeType: node,
			credentials: { stripeKeyApi: { secretKey: KEY, baseUrl: h.url } },
			parameters: { resource: 'customer', operation: 'list', returnAll: true, requestOptions: { parallelRequests: 4 } },
		});
		assert.match(
			String(result.nodeError?.message),
			/^Stripe's answer to GET \/v1\/customers for item 0, page \d+ \((created ≥ \d+, )?created < \d+\) says there is more, but its last row ID "cus_lane_2" was used already: the list does not advance$/,
		);
	});

	it('a lane answering rows without created times: an error, not a guess', async () => {
		h.handle((req, res) => {
			const url = new URL(req.url ?? '/', 'http://x');
			if (!url.searchParams.has('created[lt]')) return topLane(url, res);
			json(res, 200, { object: 'list', data: [{ id: 'cus_x', object: 'customer' }], has_more: false });
		});
		const result = await runNode({
			nodeType: node,
			credentials: { stripeKeyApi: { secretKey: KEY, baseUrl: h.url } },
			parameters: { resource: 'customer', operation: 'list', returnAll: true, requestOptions: { parallelRequests: 4 } },
		});
		assert.match(
			String(result.nodeError?.message),
			/page \d+ \((created ≥ \d+, )?created < \d+\) has rows without whole-second "created" times, or not newest first$/,
		);
	});
});
