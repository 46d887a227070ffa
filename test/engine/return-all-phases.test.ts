/**
 * Return All in ranges (issue 25, nodes/shared/client/pager.ts splitRows): how fast the read gets all its
 * lanes busy, counted in sequential round trips on a virtual clock (test/support/lane-sim.ts: every page
 * takes 400 ms of virtual time, what the bench's HTTPS front and 300 ms stand-in cost per page; nothing waits
 * for real), and that the output stays the list in Stripe's order whatever its shape.
 *
 * The expected lists come from the seeded data sorted as Stripe documents its lists (newest first by
 * `created`), not from the pager; the page limit is the real automatic one (concurrency.ts pageLimit) for a
 * test-mode key (20 pages/s at most) or a live-mode key (80/s).
 */
import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';

import type { SimRequest, SimResult } from '../support/lane-sim';
import { accountTimes, simulateRead, stripeList } from '../support/lane-sim';

const PAGE_MS = 400;
/** 2025-12-02 18:26:40 UTC. */
const NOW = 1764700000;
const DAY = 86400;

/** When the read first had `n` pages in flight (virtual ms), or undefined. */
function firstTimeInFlight(requests: SimRequest[], n: number): number | undefined {
	const events = requests.flatMap((r) => [
		{ at: r.start, d: 1 },
		{ at: r.end, d: -1 },
	]);
	events.sort((a, b) => a.at - b.at || a.d - b.d);
	let inFlight = 0;
	for (const e of events) if ((inFlight += e.d) >= n) return e.at;
	return undefined;
}

/** The round trip (1, 2, …) a request was sent in: pages sent in [ (k-1)·PAGE_MS, k·PAGE_MS ) are round trip k. */
const roundTrip = (r: SimRequest) => Math.floor(r.start / PAGE_MS) + 1;

function expectList(result: SimResult, expected: string[], what: string): void {
	assert.equal(result.ids.length, expected.length, `${what}: ${result.ids.length} rows, expected ${expected.length}`);
	assert.ok(
		result.ids.every((id, i) => id === expected[i]),
		`${what}: the same rows in the same order`,
	);
}

describe('Return All in ranges: the first phase, in round trips (virtual clock)', () => {
	const list = stripeList(accountTimes(10_000, NOW));
	const ids = list.map((r) => String(r.id));

	for (const [live, lanes, within] of [
		[false, 8, 3],
		[true, 32, 4],
	] as const) {
		it(`${live ? 'live' : 'test'}-mode key, 10,000 objects over two years: all ${lanes} lanes busy within ${within} round trips`, async () => {
			const result = await simulateRead(list, { pageMs: PAGE_MS, live });
			expectList(result, ids, 'the list');
			assert.equal(result.mostInFlight, lanes, 'the most pages in flight: what the ceiling allows at 400 ms a page');
			const full = firstTimeInFlight(result.requests, lanes)!;
			// Before the oldest end was probed at once, the lanes filled only after 5 (test key) and 7 (live key)
			// round trips: the end was found in steps of 4, 16, 64 pages' worth, one round trip each.
			assert.ok(full <= within * PAGE_MS, `all lanes busy after ${full / PAGE_MS} round trips`);
			console.log(
				`${live ? 'live' : 'test'} key: all ${lanes} lanes busy after ${full / PAGE_MS} round trips, ${result.requests.length} requests, ${result.wallMs} ms (virtual)`,
			);
		});
	}

	it('the requests on the wire: two pages as one cursor sends them, then the whole range below probed in one round trip', async () => {
		const result = await simulateRead(list, { pageMs: PAGE_MS, live: true });
		const [first, second] = result.requests;
		assert.deepEqual([first.created, first.startingAfter, roundTrip(first)], [undefined, undefined, 1], 'page 1: the request one cursor sends');
		assert.deepEqual([second.created, second.startingAfter, roundTrip(second)], [undefined, ids[99], 2], 'page 2: its cursor, alone (page time not known yet)');
		// Round trip 3: the top cursor goes on, and ranges below it tile every second down to the first, the lowest
		// one without a lower bound.
		const below = result.requests.filter((r) => roundTrip(r) === 3 && r.startingAfter === undefined && r.created?.lt !== undefined);
		assert.ok(below.length >= 4, `several ranges probed at once (${below.length})`);
		const sorted = [...below].sort((a, b) => b.created!.lt - a.created!.lt);
		for (let i = 1; i < sorted.length; i++) assert.equal(sorted[i].created!.lt, sorted[i - 1].created!.gte, 'contiguous ranges, no second twice or missed');
		assert.equal(sorted[sorted.length - 1].created!.gte, undefined, 'the lowest range has no lower bound');
		for (const r of sorted) for (const v of Object.values(r.created!)) assert.ok(Number.isInteger(v), 'whole seconds');
		const oldest = list[list.length - 1].created as number;
		const reachesOldest = result.requests.find(
			(r) => (r.created?.gte ?? -Infinity) <= oldest && oldest < (r.created?.lt ?? Infinity) && r.created !== undefined,
		);
		assert.equal(roundTrip(reachesOldest!), 3, 'the oldest object’s range is read from the third round trip');
	});
});

describe('Return All in ranges: with few pages allowed, few probes (virtual clock)', () => {
	it('Parallel Requests 2: the oldest end is probed one range at a time, not with a ladder of empty pages', async () => {
		// 2,000 objects five minutes apart: 20 pages. With two pages in flight, a ladder of ranges down to 1970
		// would spend the two slots on empty pages.
		const list = stripeList(Array.from({ length: 2000 }, (_, i) => NOW - i * 300));
		const result = await simulateRead(list, { pageMs: PAGE_MS, fixed: 2 });
		expectList(
			result,
			list.map((r) => String(r.id)),
			'the list',
		);
		assert.ok(result.requests.length <= 22, `${result.requests.length} requests for 20 pages`);
		assert.equal(result.mostInFlight, 2);
	});
});

describe('Return All in ranges: the list in Stripe’s order whatever its shape (virtual clock)', () => {
	const shapes: Array<[string, number[]]> = [
		[
			'bursts: 450 objects in one second, 130 in another, the first page ending inside a burst',
			[
				...Array.from({ length: 900 }, (_, i) => NOW - 40 * DAY + i * 3000),
				...Array.from({ length: 450 }, () => NOW - 30 * DAY),
				...Array.from({ length: 130 }, () => NOW - 20 * DAY + 7),
				...Array.from({ length: 101 }, () => NOW),
			],
		],
		[
			'gaps of months and years, objects near the first second',
			[
				1,
				2,
				...Array.from({ length: 250 }, (_, i) => NOW - 3 * 365 * DAY + i * 60),
				...Array.from({ length: 300 }, (_, i) => NOW - 200 * DAY + i * 7),
				...Array.from({ length: 420 }, (_, i) => NOW - Math.floor(i / 3)),
			],
		],
		['150 objects: the second page is the last', Array.from({ length: 150 }, (_, i) => NOW - i * 100)],
		['everything in one second', Array.from({ length: 730 }, () => NOW)],
		['an account of 20,000 objects', accountTimes(20_000, NOW, 7)],
	];
	for (const [what, times] of shapes)
		it(what, async () => {
			const list = stripeList(times);
			const ids = list.map((r) => String(r.id));
			for (const options of [{ live: false }, { live: true }, { fixed: 5 }]) {
				const result = await simulateRead(list, { pageMs: PAGE_MS, ...options });
				expectList(result, ids, `${what} ${JSON.stringify(options)}`);
			}
		});

	it("a user's own created filter: only ranges inside it, the filtered list", async () => {
		const list = stripeList(accountTimes(5_000, NOW, 3));
		const filters: Array<{ gte?: number; gt?: number; lt?: number; lte?: number }> = [
			{ gte: NOW - 300 * DAY, lt: NOW - 10 * DAY },
			{ gt: NOW - 500 * DAY, lte: NOW - 100 * DAY + 1 },
			{ gte: NOW - 30 * DAY },
			{ lt: NOW - 200 * DAY },
		];
		for (const user of filters) {
			const lo = user.gte ?? (user.gt === undefined ? -Infinity : user.gt + 1);
			const hi = user.lt ?? (user.lte === undefined ? Infinity : user.lte + 1);
			const expected = list.filter((r) => (r.created as number) >= lo && (r.created as number) < hi).map((r) => String(r.id));
			const result = await simulateRead(list, { pageMs: PAGE_MS, live: true, userCreated: user as Record<string, number> });
			expectList(result, expected, JSON.stringify(user));
			for (const r of result.requests) {
				const gte = r.created?.gte ?? (r.created?.gt === undefined ? -Infinity : r.created.gt + 1);
				const lt = r.created?.lt ?? (r.created?.lte === undefined ? Infinity : r.created.lte + 1);
				assert.ok(gte >= lo && lt <= hi, `${JSON.stringify(r.created)} inside ${JSON.stringify(user)}`);
			}
		}
	});
});
