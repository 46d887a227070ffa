/**
 * Automatic concurrency (issue 16, nodes/shared/execution/concurrency.ts): without "Parallel Requests" the node overlaps
 * items while Stripe answers slowly, stays sequential while it answers quickly, keeps two writes to one object
 * apart, and keeps output order, retries and idempotency keys; "Parallel Requests" 1 pins it to one at a time.
 * The promise itself (at most 80 % of Stripe's rate limit, overlapping when answers are slow, one lane when one
 * lane alone reaches that) is checked as a property of InFlightLimit, for items and pages, test and live keys and
 * answer times from 4 ms to 3 s, on a simulated clock.
 * Requests captured with nock; answers delayed with timers, on jest's fake clock (setTimeout and Date, which the
 * node's start spacing and timing read): nothing waits in real time, and a loaded machine changes nothing.
 */
import { runNode } from '../harness/engine';
import { onFakeClock } from '../harness/fake-clock';
import { interceptStripe } from '../harness/http';

import assert from 'node:assert/strict';
import { afterEach, beforeAll, describe, it } from '@jest/globals';
import nock from 'nock';

import { StripeCore } from '../../nodes/StripeCore/StripeCore.node';
import { CONCURRENCY, InFlightLimit, inFlightLimit, pageLimit } from '../../nodes/shared/execution/concurrency';
import type { Pacing } from '../../nodes/shared/client/pacing';
import { newPacing, observeAnswer } from '../../nodes/shared/client/pacing';

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
		let tookMs = 0;
		const result = await onFakeClock(async () => {
			const started = Date.now();
			const run = await creates(n);
			tookMs = Date.now() - started;
			return run;
		});
		console.log(`${n} creates at 150 ms each, automatic: ${tookMs} ms on the fake clock, at most ${seen.maxInFlight} in flight`);
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
		const result = await onFakeClock(() => creates(10, { parallelRequests: 1 }));
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
		const result = await onFakeClock(() =>
			runNode({
				nodeType: node,
				credentials: { stripeKeyApi: { secretKey: 'sk_test_concurrency123' } },
				parameters: {
					resource: 'customer',
					operation: 'update',
					customer: { __rl: true, mode: 'id', value: '={{ $json.id }}' },
					additionalFields: { name: '={{ $json.name }}' },
				},
				inputItems: items,
			}),
		);
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

/**
 * Stripe's rate limits (https://docs.stripe.com/rate-limits: 25 requests per second in test mode, 100 live) and
 * the share of them the README promises automatic concurrency keeps to (80 %).
 */
const STRIPE_LIMIT_PER_SEC = { test: 25, live: 100 };
const PROMISED_SHARE = 0.8;

interface Simulated {
	/** When each request started (simulated milliseconds). */
	starts: number[];
	/** For every start: the in-flight limit then and the rate one lane managed so far (requests per second). */
	lanes: Array<{ limit: number; perLane: number }>;
	maxInFlight: number;
}

/**
 * `count` requests that each take `serviceMs`, started as runInFlight (items) and the pager (pages) start them:
 * when fewer than `limit.limit` are in flight, the first at once and any other after `limit.startDelayMs()`.
 * Time is simulated (no timers): `now` jumps to the next answer or the next allowed start.
 */
function simulate(limit: InFlightLimit, pacing: Pacing, serviceMs: number, count: number): Simulated {
	const out: Simulated = { starts: [], lanes: [], maxInFlight: 0 };
	const inFlight: number[] = []; // answer times
	let now = 0;
	let answered = 0;
	const answerUntil = (t: number) => {
		inFlight.sort((a, b) => a - b);
		while (inFlight.length && inFlight[0] <= t) {
			const at = inFlight.shift() as number;
			observeAnswer(pacing, 200, at);
			limit.done(serviceMs, at);
			answered++;
		}
	};
	for (let i = 0; i < count; i++) {
		answerUntil(now);
		while (inFlight.length >= limit.limit) {
			now = Math.max(now, Math.min(...inFlight));
			answerUntil(now);
		}
		if (inFlight.length > 0) {
			now += limit.startDelayMs(now);
			answerUntil(now);
		}
		out.starts.push(now);
		out.lanes.push({ limit: limit.limit, perLane: answered ? 1000 / serviceMs : 0 });
		inFlight.push(now + serviceMs);
		out.maxInFlight = Math.max(out.maxInFlight, inFlight.length);
	}
	return out;
}

/** The most starts in any one-second window. */
function peakPerSecond(starts: number[]): number {
	let peak = 0;
	for (let i = 0, j = 0; i < starts.length; i++) {
		while (starts[i] - starts[j] >= 1000) j++;
		peak = Math.max(peak, i - j + 1);
	}
	return peak;
}

describe('automatic concurrency keeps to 80 % of the rate limit (simulated clock, several answer times)', () => {
	const ANSWER_MS = [4, 20, 40, 80, 150, 380, 1000, 3000];
	for (const live of [false, true])
		for (const pages of [false, true])
			it(`${pages ? 'pages of one Return All' : 'items'}, ${live ? 'live' : 'test'} key`, () => {
				const ceiling = PROMISED_SHARE * (live ? STRIPE_LIMIT_PER_SEC.live : STRIPE_LIMIT_PER_SEC.test);
				for (const ms of ANSWER_MS) {
					const pacing = newPacing();
					const limit = pages ? pageLimit(undefined, { pacing, livemode: live }) : inFlightLimit({}, { pacing, livemode: live });
					const run = simulate(limit, pacing, ms, 600);
					const oneLane = 1000 / ms;
					const what = `${ms} ms an answer (one lane: ${oneLane.toFixed(1)}/s)`;
					// The lanes in use never promise more than the ceiling; one lane alone may be faster (it cannot be fewer).
					for (const { limit: lanes, perLane } of run.lanes)
						if (lanes > 1) assert.ok(lanes * perLane <= ceiling + 1e-9, `${what}: ${lanes} lanes × ${perLane.toFixed(1)}/s > ${ceiling}/s`);
					// What is actually sent: with more than one in flight, at most the ceiling's starts in any second.
					const peak = peakPerSecond(run.starts);
					assert.ok(peak <= Math.max(ceiling + 1, Math.ceil(oneLane) + 1), `${what}: ${peak} starts in one second, ceiling ${ceiling}/s`);
					assert.ok(run.maxInFlight <= (pages ? CONCURRENCY.laneMax : CONCURRENCY.autoMax), `${what}: ${run.maxInFlight} in flight`);
					// And it does overlap when one lane is far below the ceiling: at least half of what the ceiling allows,
					// or all the lanes it may have.
					if (oneLane * 2 <= ceiling) {
						const rate = (run.starts.length - 1) / ((run.starts[run.starts.length - 1] - run.starts[0]) / 1000);
						const cap = (pages ? CONCURRENCY.laneMax : CONCURRENCY.autoMax) * oneLane;
						assert.ok(rate >= Math.min(ceiling, cap) / 2, `${what}: only ${rate.toFixed(1)}/s`);
					} else if (oneLane >= ceiling) assert.equal(run.maxInFlight, 1, `${what}: one lane already reaches the ceiling`);
				}
			});
});

describe('InFlightLimit: 429s, pinned values, the first page (no clock involved)', () => {
	it('a 429 or a 409 lock_timeout halves the lanes; Parallel Requests pins them', () => {
		for (const [status, code] of [
			[429, undefined],
			[409, 'lock_timeout'],
		] as const) {
			const p = newPacing();
			const l = new InFlightLimit(undefined, p, true, 10);
			for (let i = 0; i < 200; i++) l.done(400, 0);
			const before = l.limit;
			assert.ok(before > 1, 'slow answers: more than one lane');
			observeAnswer(p, status, 0, code);
			l.done(400, 0);
			assert.equal(l.limit, Math.max(1, Math.floor(before / 2)), `halved on a ${status}`);
		}
		const pinned = new InFlightLimit(4, newPacing(), false, 10);
		for (let i = 0; i < 50; i++) pinned.done(500, 0);
		assert.equal(pinned.limit, 4);
		assert.equal(pageLimit(5, { pacing: newPacing(), livemode: false }).limit, 5, 'Parallel Requests pins the pages too');
	});

	it('the first page of a Return All (warm-up: credentials, connections) is not judged; from the second on, as many pages as the ceiling allows', () => {
		// Stripe's limit × the promised share × the page time: how many pages in flight keep below the ceiling.
		for (const [live, pageMs, lanes] of [
			[false, 400, Math.floor(PROMISED_SHARE * STRIPE_LIMIT_PER_SEC.test * 0.4)],
			[true, 400, Math.floor(PROMISED_SHARE * STRIPE_LIMIT_PER_SEC.live * 0.4)],
			[false, 5000, CONCURRENCY.laneMax],
			[true, 4, 1],
		] as const) {
			const pages = pageLimit(undefined, { pacing: newPacing(), livemode: live });
			pages.done(5000, 0);
			assert.equal(pages.limit, 1, 'the first page says nothing');
			pages.done(pageMs, 0);
			assert.equal(pages.limit, lanes, `${live ? 'live' : 'test'} key, ${pageMs} ms a page: ${lanes} pages at once after the second`);
		}
	});

	it('starts of pages and of items on one account share one spacing', () => {
		const shared = newPacing();
		const items = new InFlightLimit(undefined, shared, false, 10);
		const pages = pageLimit(undefined, { pacing: shared, livemode: false });
		for (let i = 0; i < 100; i++) {
			items.done(400, 0);
			pages.done(400, 0);
		}
		const gap = 1000 / (PROMISED_SHARE * STRIPE_LIMIT_PER_SEC.test);
		assert.deepEqual([items.startDelayMs(1000), pages.startDelayMs(1000), items.startDelayMs(1000)], [0, gap, 2 * gap]);
	});
});
