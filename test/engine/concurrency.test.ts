/**
 * Automatic concurrency (issue 16, nodes/shared/execution/concurrency.ts): without "Parallel Requests" the node overlaps
 * items while Stripe answers slowly, stays sequential while it answers quickly, keeps two writes to one object
 * apart, and keeps output order, retries and idempotency keys; "Parallel Requests" 1 pins it to one at a time.
 * That quick answers keep it at one is checked without a clock (InFlightLimit arithmetic): on a CPU-starved
 * machine even quick answers take long, and then overlapping is what the rule asks for.
 * Requests captured with nock; answers delayed with timers (real sleep: the node's start spacing is real time).
 */
import { runNode } from '../harness/engine';
import { interceptStripe } from '../harness/http';

import assert from 'node:assert/strict';
import { afterEach, beforeAll, describe, it } from '@jest/globals';
import nock from 'nock';

import { StripeCore } from '../../nodes/StripeCore/StripeCore.node';
import { CONCURRENCY, InFlightLimit, pageLimit } from '../../nodes/shared/execution/concurrency';
import { newPacing } from '../../nodes/shared/client/pacing';

const STRIPE = 'https://api.stripe.com';
const node = new StripeCore();
interceptStripe({ before: beforeAll, afterEach });

/** A nock scope answering `times` customer creates after `delayMs`, recording what was in flight. */
function slowCreates(times: number, delayMs: number) {
	const seen = { inFlight: 0, maxInFlight: 0, keys: [] as string[], emails: [] as string[] };
	nock(STRIPE)
		.post('/v1/customers')
		.times(times)
		.reply(function (_uri, body, callback) {
			seen.inFlight++;
			seen.maxInFlight = Math.max(seen.maxInFlight, seen.inFlight);
			seen.keys.push(String(this.req.headers['idempotency-key']));
			const email = decodeURIComponent(String(body).split('=')[1]);
			seen.emails.push(email);
			setTimeout(() => {
				seen.inFlight--;
				callback(null, [200, { id: `cus_${email.split('@')[0]}`, object: 'customer' }]);
			}, delayMs);
		});
	return seen;
}

const creates = (n: number, requestOptions: Record<string, number> = {}) =>
	runNode({
		nodeType: node,
		credentials: { stripeKeyApi: { secretKey: 'sk_test_concurrency123' } },
		parameters: { resource: 'customer', operation: 'create', email: '={{ $json.email }}', requestOptions },
		inputItems: Array.from({ length: n }, (_, i) => ({ json: { email: `u${i}@example.com` } })),
	});

describe('automatic concurrency (no Parallel Requests option)', () => {
	it('overlaps items while Stripe answers slowly; output in input order, one key per item, every item once', async () => {
		const n = 24;
		const seen = slowCreates(n, 150);
		const started = Date.now();
		const result = await creates(n);
		console.log(`${n} creates at 150 ms each, automatic: ${Date.now() - started} ms, at most ${seen.maxInFlight} in flight`);
		assert.equal(result.nodeError, undefined, result.nodeError?.message);
		assert.deepEqual(
			result.items[0].map((i) => i.json.id),
			Array.from({ length: n }, (_, i) => `cus_u${i}`),
		);
		assert.deepEqual(
			result.items[0].map((i) => i.pairedItem),
			Array.from({ length: n }, (_, i) => ({ item: i })),
		);
		assert.equal(new Set(seen.keys).size, n, 'an Idempotency-Key per item');
		assert.deepEqual([...seen.emails].sort(), Array.from({ length: n }, (_, i) => `u${i}@example.com`).sort(), 'every item sent once');
		assert.ok(seen.maxInFlight >= 2, `overlapping (saw ${seen.maxInFlight})`);
		assert.ok(seen.maxInFlight <= CONCURRENCY.autoMax, `at most ${CONCURRENCY.autoMax} (saw ${seen.maxInFlight})`);
		// Items start in input order.
		assert.deepEqual(seen.emails.slice(0, 3), ['u0@example.com', 'u1@example.com', 'u2@example.com']);
	});

	it('Parallel Requests 1 pins it to one at a time, however slow Stripe is', async () => {
		const seen = slowCreates(10, 120);
		const result = await creates(10, { parallelRequests: 1 });
		assert.equal(result.nodeError, undefined, result.nodeError?.message);
		assert.equal(seen.maxInFlight, 1);
		assert.deepEqual(
			seen.emails,
			Array.from({ length: 10 }, (_, i) => `u${i}@example.com`),
			'in input order',
		);
	});

	it('never overlaps two writes to the same object (updates of one customer go in input order)', async () => {
		const order: string[] = [];
		let inFlight = 0;
		let maxInFlight = 0;
		nock(STRIPE)
			.post(/\/v1\/customers\/cus_[ab]$/)
			.times(12)
			.reply(function (uri, body, callback) {
				inFlight++;
				maxInFlight = Math.max(maxInFlight, inFlight);
				order.push(`${uri.split('/').pop()}:${decodeURIComponent(String(body).split('=')[1])}`);
				setTimeout(() => {
					inFlight--;
					callback(null, [200, { id: uri.split('/').pop(), object: 'customer' }]);
				}, 100);
			});
		const items = Array.from({ length: 12 }, (_, i) => ({ json: { id: i % 2 ? 'cus_b' : 'cus_a', name: `n${i}` } }));
		const result = await runNode({
			nodeType: node,
			credentials: { stripeKeyApi: { secretKey: 'sk_test_concurrency123' } },
			parameters: {
				resource: 'customer',
				operation: 'update',
				customer: { __rl: true, mode: 'id', value: '={{ $json.id }}' },
				additionalFields: { name: '={{ $json.name }}' },
			},
			inputItems: items,
		});
		assert.equal(result.nodeError, undefined, result.nodeError?.message);
		assert.ok(maxInFlight <= 2, `one request per object at a time (saw ${maxInFlight})`);
		for (const id of ['cus_a', 'cus_b']) {
			const names = order.filter((o) => o.startsWith(id)).map((o) => o.split(':')[1]);
			assert.deepEqual(
				names,
				items.filter((i) => i.json.id === id).map((i) => i.json.name),
				`${id}: updates in input order`,
			);
		}
	});
});

describe('InFlightLimit arithmetic (no clock involved)', () => {
	it('grows while lanes are slow and below the ceiling, halves on a 429, keeps a pinned value', () => {
		const pacing = newPacing();
		const test = new InFlightLimit(undefined, pacing, false, 10);
		for (let i = 0; i < 50; i++) test.done(80, 0); // 12.5 items/s per lane, ceiling 20/s in test mode
		assert.equal(test.limit, 2);
		const live = new InFlightLimit(undefined, newPacing(), true, 10);
		for (let i = 0; i < 200; i++) live.done(80, 0); // ceiling 80/s live
		assert.equal(live.limit, 7);
		const fast = new InFlightLimit(undefined, newPacing(), true, 10);
		for (let i = 0; i < 200; i++) fast.done(4, 0);
		assert.equal(fast.limit, 1, '250 items/s on one lane: no more lanes');
		const p = newPacing();
		const l = new InFlightLimit(undefined, p, true, 10);
		for (let i = 0; i < 200; i++) l.done(80, 0);
		p.throttled = 1;
		l.done(80, 0);
		assert.equal(l.limit, 3, 'halved on a 429');
		const pinned = new InFlightLimit(4, newPacing(), false, 10);
		for (let i = 0; i < 50; i++) pinned.done(500, 0);
		assert.equal(pinned.limit, 4);
	});

	it('pages of one Return All (issue 25): from the second answer, +1 per answer while one more stays below 80 % of the limit, up to 32', () => {
		// 380 ms a page (300 ms at Stripe + a new connection): 2.63 pages/s per lane.
		const test = pageLimit(undefined, { pacing: newPacing(), livemode: false });
		test.done(5000, 0);
		assert.equal(test.limit, 1, 'the first page (warm-up: credentials, connections) is not judged');
		test.done(380, 0);
		assert.equal(test.limit, 2, 'judged from the second page');
		for (let i = 0; i < 4; i++) test.done(380, 0);
		assert.equal(test.limit, 6, 'one more per answer');
		for (let i = 0; i < 100; i++) test.done(380, 0);
		assert.equal(test.limit, 7, '7 × 2.63 = 18.4 pages/s ≤ 20/s (80 % of 25/s); 8 would be 21.1');
		const live = pageLimit(undefined, { pacing: newPacing(), livemode: true });
		for (let i = 0; i < 200; i++) live.done(380, 0);
		assert.equal(live.limit, 30, '30 × 2.63 = 78.9 pages/s ≤ 80/s; 31 would be 81.6');
		const slower = pageLimit(undefined, { pacing: newPacing(), livemode: true });
		for (let i = 0; i < 200; i++) slower.done(1000, 0);
		assert.equal(slower.limit, CONCURRENCY.laneMax, 'at most 32 in flight');
		const quick = pageLimit(undefined, { pacing: newPacing(), livemode: true });
		for (let i = 0; i < 200; i++) quick.done(20, 0);
		assert.equal(quick.limit, 1, '50 pages/s on one cursor: 2 would pass 80/s');
		const p = newPacing();
		const halved = pageLimit(undefined, { pacing: p, livemode: false });
		for (let i = 0; i < 100; i++) halved.done(375, 0);
		p.throttled = 1;
		halved.done(375, 0);
		assert.equal(halved.limit, 3, 'halved on a 429');
		assert.equal(pageLimit(5, { pacing: newPacing(), livemode: false }).limit, 5, 'Parallel Requests pins it');
		// Starts of pages and of items on one account share one spacing: 50 ms apart at 20/s.
		const shared = newPacing();
		const items = new InFlightLimit(undefined, shared, false, 10);
		const pages = pageLimit(undefined, { pacing: shared, livemode: false });
		for (let i = 0; i < 100; i++) {
			items.done(375, 0);
			pages.done(375, 0);
		}
		assert.deepEqual([items.startDelayMs(1000), pages.startDelayMs(1000), items.startDelayMs(1000)], [0, 50, 100]);
	});
});
