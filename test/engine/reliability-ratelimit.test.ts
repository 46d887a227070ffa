/**
 * Rate limiting (issues 7 and 16): the stand-in answers 429 `rate_limit` once more than N requests arrived in
 * the last second, like Stripe. Bulk creates and Return All must finish with the default Max Retries, and after
 * the first 429 the node must keep to the limit (pacing.ts paces the requests to an account, shared by the
 * executions of a process) instead of bursting into 429s again and again; a burst slows down once, quiet speeds
 * up again; two executions on one account at once both finish; a 429 has its own retry budget, bounded in time.
 *
 * The runs use n8n's own sleep and the node's own timing, on jest's fake clock (test/harness/fake-clock.ts): the
 * stand-in's one-second window, the pacing and the backoff see the same milliseconds, whatever the machine's load.
 */
import '../harness/engine';

import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import nock from 'nock';

import { instantSleep, runNode } from '../harness/engine';
import { onFakeClock } from '../harness/fake-clock';
import { StripeCore } from '../../nodes/StripeCore/StripeCore.node';
import { accountPacing, newPacing, observeAnswer, pacedDelayMs, RATE_LIMIT, resetAccountPacing } from '../../nodes/shared/client/pacing';
import type { Pacing } from '../../nodes/shared/client/pacing';
import { RATE_RUNS, runRateLimitedCreates, runRateLimitedReturnAll, SECRET } from '../support/reliability-scenarios';
import type { Standin } from '../standin/server';
import { startStandin } from '../standin/server';

// Real loopback sockets: nock's interception would get in the way.
nock.restore();

/**
 * The paced rate is 0.9 N (RATE_LIMIT.targetShare); the lower bound leaves room for the fake clock moving on while
 * a request is on its way (5 ms each turn of the event loop, test/harness/fake-clock.ts).
 */
const MIN_SHARE = 0.6;

describe('rate limiting: 429 above N requests per second', () => {
	let s: Standin;
	beforeAll(async () => {
		s = await startStandin({ port: 0 });
		resetAccountPacing();
	});
	afterAll(async () => {
		await s.close();
	});

	it('bulk creates (2.5 × N items) all succeed with the default retries, at just under N/s', async () => {
		const { limit: N, items } = RATE_RUNS.creates;
		const m = await onFakeClock(() => runRateLimitedCreates(s, N, items));
		console.log(`bulk creates at N=${N}/s: ${JSON.stringify(m)}`);
		assert.equal(m.nodeError, undefined);
		assert.equal(m.outputItems, items);
		assert.equal(m.objects, items, 'one object per item, no duplicates');
		assert.equal(m.accepted, items);
		assert.ok(m.limited >= 1 && m.limited <= 3, `the first burst hits the limit, then hardly ever (${m.limited} × 429)`);
		assert.ok(m.maxPerSecond <= N);
		assert.ok(m.steadyRate <= N && m.steadyRate >= MIN_SHARE * N, `steady rate ${m.steadyRate.toFixed(1)}/s is just under ${N}/s`);
	});

	it('Return All over 2.5 × N pages finishes, at just under N pages/s', async () => {
		const { limit: N, total } = RATE_RUNS.returnAll;
		const m = await onFakeClock(() => runRateLimitedReturnAll(s, N, total));
		console.log(`Return All at N=${N}/s: ${JSON.stringify(m)}`);
		assert.equal(m.nodeError, undefined);
		assert.equal(m.outputItems, total, 'every object');
		assert.equal(m.distinctOutputIds, total, 'no object twice');
		// One accepted request per page; read in ranges of creation time (when pages are slow enough for more than
		// one in flight) also a few ranges found empty (the objects were created within a second or two).
		const pages = Math.ceil(total / 100);
		assert.ok(m.accepted >= pages && m.accepted <= pages + 4, `one accepted request per page, and a few empty ranges (${m.accepted} for ${pages} pages)`);
		assert.ok(m.limited >= 1 && m.limited <= 3, `${m.limited} × 429`);
		assert.ok(m.maxPerSecond <= N);
		assert.ok(m.steadyRate <= N && m.steadyRate >= MIN_SHARE * N, `steady rate ${m.steadyRate.toFixed(1)}/s is just under ${N}/s`);
	});
});

describe('two executions on one account at once (issue 16)', () => {
	let s: Standin;
	beforeAll(async () => {
		s = await startStandin({ port: 0 });
	});
	afterAll(async () => {
		await s.close();
	});

	/**
	 * Two runs of 150 retrieves at Parallel Requests 10, at once, against 25 requests/s: 300 requests, 12 s at
	 * the limit. `sameKey`: one credential, so the two executions share this process's pacing of the account;
	 * otherwise two keys (two pacers that know nothing of each other, as on two workers) against the one limit.
	 */
	for (const sameKey of [true, false]) {
		it(`both succeed, every item retrieved (${sameKey ? 'one credential: shared pacing' : 'two credentials: separate pacing, like two workers'})`, async () => {
			const limit = 25;
			const perRun = 150;
			resetAccountPacing();
			s.reset();
			const [customer] = s.seed('customers', [{ email: 'shared@example.com' }]);
			s.setRateLimit(limit);
			const keys = sameKey ? [SECRET, SECRET] : [SECRET, `${SECRET}Second`];
			let ms = 0;
			const runs = await onFakeClock(async () => {
				const started = Date.now();
				const both = await Promise.all(
					keys.map((secretKey) =>
						runNode({
							nodeType: new StripeCore(),
							credentials: { stripeKeyApi: { secretKey, baseUrl: s.url } },
							parameters: {
								resource: 'customer',
								operation: 'retrieve',
								customer: { __rl: true, mode: 'id', value: '={{ $json.id }}' },
								requestOptions: { parallelRequests: 10 },
							},
							inputItems: Array.from({ length: perRun }, () => ({ json: { id: String(customer.id) } })),
							keepPacing: true,
						}),
					),
				);
				ms = Date.now() - started;
				return both;
			});
			s.setRateLimit(undefined);
			const api = s.requests.filter((r) => r.path === `/v1/customers/${String(customer.id)}`);
			const limited = api.filter((r) => r.fault === 'rate_limit').length;
			console.log(
				`two runs × ${perRun} retrieves at ${limit}/s (${sameKey ? 'shared' : 'separate'} pacing): ${ms} ms (the limit allows ${(2 * perRun * 1000) / limit} ms), ${api.length - limited} accepted, ${limited} × 429`,
			);
			for (const r of runs) {
				assert.equal(r.nodeError, undefined, r.nodeError?.message);
				const out = r.items[0] ?? [];
				assert.equal(out.length, perRun);
				assert.ok(out.every((i) => i.json.id === customer.id));
			}
			assert.equal(api.length - limited, 2 * perRun, 'one accepted request per item');
		});
	}
});

describe('a 429 has its own retry budget, bounded in time', () => {
	let s: Standin;
	beforeAll(async () => {
		s = await startStandin({ port: 0 });
	});
	afterAll(async () => {
		await s.close();
	});
	const create = () =>
		runNode({
			nodeType: new StripeCore(),
			credentials: { stripeKeyApi: { secretKey: SECRET, baseUrl: s.url } },
			parameters: { resource: 'customer', operation: 'create', email: 'budget@example.com' },
		});

	it('eight 429s in a row do not use up the 2 retries meant for network errors', async () => {
		resetAccountPacing();
		s.reset();
		s.addFault({
			path: '/v1/customers',
			status: 429,
			body: { error: { type: 'invalid_request_error', code: 'rate_limit', message: 'Too many requests' } },
			times: 8,
		});
		const sleep = instantSleep();
		let r;
		try {
			r = await create();
		} finally {
			sleep.restore();
		}
		assert.equal(r.nodeError, undefined, r.nodeError?.message);
		const attempts = s.requests.filter((q) => q.path === '/v1/customers');
		assert.equal(attempts.length, 9);
		assert.equal(new Set(attempts.map((q) => q.headers['idempotency-key'])).size, 1, 'one Idempotency-Key for every attempt');
		assert.equal(s.objects('customers').length, 1);
	});

	it('network errors still get Max Retries on top of 429s', async () => {
		resetAccountPacing();
		s.reset();
		s.addFault({ path: '/v1/customers', status: 429, times: 3 });
		s.addFault({ path: '/v1/customers', status: 503, times: 3 });
		const sleep = instantSleep();
		let r;
		try {
			r = await create();
		} finally {
			sleep.restore();
		}
		assert.match(r.nodeError?.message ?? '', /Injected 503/);
		assert.equal(s.requests.filter((q) => q.path === '/v1/customers').length, 6, '3 × 429 retried, then 503 once plus 2 retries');
	});

	it('a 429 that never ends fails once the budget is spent, naming the rate limit', async () => {
		resetAccountPacing();
		s.reset();
		s.addFault({
			path: '/v1/customers',
			status: 429,
			body: { error: { type: 'invalid_request_error', code: 'rate_limit', message: 'Too many requests' } },
			times: 1_000_000,
		});
		const budget = RATE_LIMIT.retryBudgetMs;
		RATE_LIMIT.retryBudgetMs = 1500;
		let ms = 0;
		let r;
		try {
			r = await onFakeClock(async () => {
				const started = Date.now();
				const run = await create();
				ms = Date.now() - started;
				return run;
			});
		} finally {
			RATE_LIMIT.retryBudgetMs = budget;
		}
		const attempts = s.requests.filter((q) => q.path === '/v1/customers').length;
		console.log(`endless 429, budget 1.5 s: failed after ${ms} ms and ${attempts} attempts`);
		assert.match(r.nodeError?.message ?? '', /rate_limit/);
		assert.match(String(r.nodeError?.description), /Attempts: \d+/);
		assert.ok(attempts >= 2 && attempts <= 6, `${attempts} attempts within the budget (backoff 0.5 s, doubling)`);
		assert.equal(s.objects('customers').length, 0);
	});

	it('Max Retries 0 means no retry, 429 included', async () => {
		resetAccountPacing();
		s.reset();
		s.addFault({ path: '/v1/customers', status: 429 });
		const r = await runNode({
			nodeType: new StripeCore(),
			credentials: { stripeKeyApi: { secretKey: SECRET, baseUrl: s.url } },
			parameters: { resource: 'customer', operation: 'create', additionalFields: {}, requestOptions: { maxRetries: 0 } },
		});
		assert.ok(r.nodeError);
		assert.equal(s.requests.filter((q) => q.path === '/v1/customers').length, 1);
	});
});

describe('pacing arithmetic (pacing.ts, no clock involved)', () => {
	const fresh = (): Pacing => newPacing();

	it('never delays a run that is not rate limited, and leaves retry backoff alone', () => {
		const p = fresh();
		for (let t = 0; t < 500; t += 2) {
			assert.equal(pacedDelayMs(p, 0, t), 0);
			observeAnswer(p, t % 10 ? 200 : 500, t);
		}
		assert.equal(pacedDelayMs(p, 1234, 600), 1234);
		observeAnswer(p, undefined, 600); // network failures say nothing about the rate
		assert.equal(p.intervalMs, 0);
	});

	it('a lone 429 (no burst) only backs off', () => {
		const p = fresh();
		observeAnswer(p, 200, 0);
		observeAnswer(p, 429, 10);
		assert.equal(p.intervalMs, 0);
		assert.equal(pacedDelayMs(p, 700, 11), 700);
	});

	it('a 429 after a burst spaces requests to 90 % of the accepted rate, once the oldest of the burst has left the window', () => {
		const p = fresh();
		for (let i = 0; i < 40; i++) observeAnswer(p, 200, 100 + i * 5); // 40 answers in 200 ms
		observeAnswer(p, 429, 300);
		assert.equal(p.intervalMs, 1000 / (40 * RATE_LIMIT.targetShare));
		assert.equal(p.nextAt, 1100, 'the first answer of the burst + 1 s');
		assert.equal(pacedDelayMs(p, 500, 300), 800, 'the retry waits for the window, not only its backoff');
		assert.ok(Math.abs(pacedDelayMs(p, 0, 1100) - p.intervalMs) < 1e-9, 'the next request keeps its distance');
	});

	it('the 429s of one burst slow down once; a later burst slows down again (never below what Stripe accepted)', () => {
		const p = fresh();
		for (let i = 0; i < 30; i++) observeAnswer(p, 200, i * 10);
		for (let i = 0; i < 10; i++) observeAnswer(p, 429, 300 + i); // ten requests that were in flight
		const once = p.intervalMs;
		assert.equal(once, 1000 / (30 * RATE_LIMIT.targetShare), 'ten 429s, one slowdown (the old code multiplied it by 1.25 ten times)');
		for (let i = 0; i < 20; i++) observeAnswer(p, 200, 1400 + i * 40); // paced answers
		observeAnswer(p, 429, 2250);
		const rate = 1000 / p.intervalMs;
		assert.ok(Math.abs(rate - Math.min(1000 / once, 20) * RATE_LIMIT.targetShare) < 1e-9, `a new burst: ${rate.toFixed(1)}/s`);
	});

	it('speeds up again after quiet, and stops pacing in the end', () => {
		const p = fresh();
		for (let i = 0; i < 20; i++) observeAnswer(p, 200, i * 10);
		observeAnswer(p, 429, 200);
		const slow = p.intervalMs;
		pacedDelayMs(p, 0, 200 + RATE_LIMIT.quietMs - 1);
		assert.equal(p.intervalMs, slow, 'no change before quietMs without a 429');
		pacedDelayMs(p, 0, 200 + RATE_LIMIT.quietMs + 1000);
		assert.ok(Math.abs(p.intervalMs - slow / (1 + RATE_LIMIT.recoveryPerSec)) < 1e-9, `one second of quiet: +${RATE_LIMIT.recoveryPerSec * 100} %`);
		pacedDelayMs(p, 0, 200 + RATE_LIMIT.quietMs + 60_000);
		assert.equal(p.intervalMs, 0, 'a minute later: not paced any more');
		assert.equal(pacedDelayMs(p, 0, 200 + RATE_LIMIT.quietMs + 60_001), 0);
	});

	it('one pacer per account in a process, keyed by a hash (the key is not kept)', () => {
		resetAccountPacing();
		const a = accountPacing('sk_test_AAA', '', 'https://api.stripe.com');
		assert.equal(accountPacing('sk_test_AAA', '', 'https://api.stripe.com'), a);
		assert.notEqual(accountPacing('sk_test_AAA', 'acct_1', 'https://api.stripe.com'), a);
		assert.notEqual(accountPacing('sk_test_BBB', '', 'https://api.stripe.com'), a);
		assert.ok(!JSON.stringify(a).includes('sk_test'));
	});
});
