/**
 * Rate limiting (issue 7): the stand-in answers 429 `rate_limit` once more than N requests arrived in the last
 * second, like Stripe. Bulk creates and Return All must finish with the default Max Retries, and after the
 * first 429 the node must keep to the limit (transport.ts paces the requests of a node execution) instead of
 * bursting into 429s again and again.
 *
 * These tests use n8n's real sleep (pacing is about wall-clock time), so they take a few seconds.
 */
import '../harness/engine';

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import nock from 'nock';

import { observeAnswer, pacedDelayMs, RATE_LIMIT } from '../../nodes/shared/transport';
import type { Pacing } from '../../nodes/shared/transport';
import { RATE_RUNS, runRateLimitedCreates, runRateLimitedReturnAll } from '../support/reliability-scenarios';
import type { Standin } from '../standin/server';
import { startStandin } from '../standin/server';

// Real loopback sockets: nock's interception would get in the way.
nock.restore();

/**
 * The paced rate is 0.9 N (RATE_LIMIT.targetShare); the lower bound leaves room for a CPU-starved machine, on
 * which the engine itself may need more than the 1/(0.9 N) s between two requests.
 */
const MIN_SHARE = 0.6;

describe('rate limiting: 429 above N requests per second', () => {
	let s: Standin;
	before(async () => {
		s = await startStandin({ port: 0 });
	});
	after(async () => {
		await s.close();
	});

	it('bulk creates (2.5 × N items) all succeed with the default retries, at just under N/s', async () => {
		const { limit: N, items } = RATE_RUNS.creates;
		const m = await runRateLimitedCreates(s, N, items);
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
		const m = await runRateLimitedReturnAll(s, N, total);
		console.log(`Return All at N=${N}/s: ${JSON.stringify(m)}`);
		assert.equal(m.nodeError, undefined);
		assert.equal(m.outputItems, total, 'every object');
		assert.equal(m.distinctOutputIds, total, 'no object twice');
		assert.equal(m.accepted, Math.ceil(total / 100), 'one accepted request per page');
		assert.ok(m.limited >= 1 && m.limited <= 3, `${m.limited} × 429`);
		assert.ok(m.maxPerSecond <= N);
		assert.ok(m.steadyRate <= N && m.steadyRate >= MIN_SHARE * N, `steady rate ${m.steadyRate.toFixed(1)}/s is just under ${N}/s`);
	});
});

describe('pacing arithmetic (transport.ts, no clock involved)', () => {
	const fresh = (): Pacing => ({ answered: [], intervalMs: 0, nextAt: 0 });

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

	it('a 429 after a burst spaces requests to 90 % of the accepted rate, once the burst has left the window', () => {
		const p = fresh();
		for (let i = 0; i < 40; i++) observeAnswer(p, 200, 100 + i * 5); // 40 answers in 200 ms
		observeAnswer(p, 429, 300);
		assert.equal(p.intervalMs, 1000 / (40 * RATE_LIMIT.targetShare));
		assert.equal(p.nextAt, 1295, 'the last answer of the burst + 1 s');
		assert.equal(pacedDelayMs(p, 500, 300), 995, 'the retry waits for the window, not only its backoff');
		assert.ok(Math.abs(pacedDelayMs(p, 0, 1295) - p.intervalMs) < 1e-9, 'the next request keeps its distance');
		const before = p.intervalMs;
		observeAnswer(p, 200, 1300);
		observeAnswer(p, 429, 1400);
		assert.equal(p.intervalMs, before * RATE_LIMIT.slowdown, 'a further 429 slows down');
		assert.equal(p.nextAt, 2300, 'and waits for the window to empty');
	});
});
