/**
 * Reliability (issue 7): the Stripe Core node, through n8n's engine, against the loopback Stripe stand-in with
 * injected faults — connection resets before and after processing, timeouts, 5xx, 409 lock_timeout, 429 with
 * and without Stripe-Should-Retry, malformed JSON — and a 1,000-item run with 10 % random transient faults.
 * For every POST all attempts carry one Idempotency-Key, so the stand-in (which honours idempotency like
 * Stripe) stores exactly one object per input item.
 *
 * The scenarios live in test/support/reliability-scenarios.ts; `node dist-test/test/support/reliability-table.js`
 * prints their results table (RELIABILITY.md).
 */
import '../harness/engine';

import assert from 'node:assert/strict';
import { afterAll, beforeAll, beforeEach, describe, it } from '@jest/globals';
import nock from 'nock';

import { StripeCore } from '../../nodes/StripeCore/StripeCore.node';
import { instantSleep, runNode } from '../harness/engine';
import { credentialsFor, runChaos, runScenario, SCENARIOS } from '../support/reliability-scenarios';
import { startTestStandin } from '../support/standin';
import type { Standin } from '../standin/server';

// Real loopback sockets: nock's interception would get in the way.
nock.restore();

const node = new StripeCore();

describe('fault injection: one request, one kind of fault', () => {
	let s: Standin;
	beforeAll(async () => {
		s = await startTestStandin();
	});
	afterAll(async () => {
		await s.close();
	});

	for (const scenario of SCENARIOS) {
		it(`${scenario.request}: ${scenario.name}`, async () => {
			const r = await runScenario(s, scenario);
			const e = scenario.expect;
			assert.equal(r.outcome, e.outcome, `outcome (error: ${r.error ?? 'none'})`);
			assert.equal(r.attempts, e.attempts, `attempts (${r.attemptLog.join(' → ')})`);
			assert.equal(r.sleeps.length, e.attempts - 1, 'one backoff before every retry');
			for (const ms of r.sleeps) assert.ok(ms >= 500 && ms <= 5000, `backoff ${ms} ms`);
			assert.equal(r.idempotencyKeys, e.idempotencyKeys, 'every attempt of a POST carries the same Idempotency-Key');
			if (e.objects !== undefined) assert.equal(r.objects, e.objects, 'objects stored by the stand-in');
			if (e.replayed !== undefined) assert.equal(r.replayed, e.replayed, 'the answer was replayed');
			if (e.outcome === 'failed') {
				assert.match(String(r.error), e.error);
				if (e.description) assert.match(String(r.errorDescription), e.description);
				if (r.attempts > 1)
					assert.match(
						String(r.errorDescription),
						new RegExp(`failed after ${r.attempts} attempts|Attempts: ${r.attempts}`),
						'the error says how often it was tried',
					);
			} else {
				const items = r.output as Array<Array<{ json: { id?: string } }>>;
				assert.equal(items[0].length, 1);
				assert.ok(items[0][0].json.id, 'the output item is the object');
			}
		});
	}
});

describe('many items under random transient faults', () => {
	let s: Standin;
	beforeAll(async () => {
		s = await startTestStandin();
	});
	afterAll(async () => {
		await s.close();
	});
	beforeEach(() => s.reset());

	it('1,000 creates with 10 % injected faults: 1,000 objects, no duplicates, output in input order', async () => {
		const N = 1000;
		const r = await runChaos(s, N);
		console.log(`1,000 items under faults: ${JSON.stringify(r)}`);
		assert.equal(r.nodeError, undefined);
		assert.equal(r.objects, N, 'one object per item');
		assert.equal(r.distinctRows, N, 'no duplicates');
		assert.equal(r.outputItems, N);
		assert.ok(r.outputInInputOrder, 'output item n is the object of input item n');
		// The stand-in's faults are seeded and no deadline passes but a hung request's (the tests' deadline clock):
		// the same attempts on every run, on any machine.
		assert.ok(r.faults >= 80 && r.faults <= 130, `about 10 % of attempts faulted (${r.faults})`);
		assert.equal(r.attempts, N + r.faults, 'every fault cost exactly one retry');
		assert.equal(r.maxKeysPerItem, 1, 'all attempts of an item carried one Idempotency-Key');
		assert.equal(r.distinctKeys, N, 'and every item its own');
		for (const kind of ['reset', 'reset-after', 'hang-after', '500', '502', '503', '409', '429']) assert.ok(r.faultKinds[kind] > 0, `some ${kind}`);
	});

	it('a failed execution run again with item-based idempotency keys creates no duplicates', async () => {
		const parameters = {
			resource: 'customer',
			operation: 'create',
			additionalFields: { metadata: { entries: [{ key: 'row', value: '={{ $json.row }}' }] } },
			requestOptions: { idempotencyKey: '={{ "order-" + $json.row }}' },
		};
		const inputItems = [0, 1, 2].map((row) => ({ json: { row } }));
		const runOnce = async () => await runNode({ nodeType: node, credentials: credentialsFor(s), parameters, inputItems, continueOnFail: true });
		const sleep = instantSleep();
		try {
			// Every attempt for row 1 is processed but its answer is lost: the object exists, the item fails.
			s.addFault({ method: 'POST', path: '/v1/customers', bodyContains: 'metadata[row]=1', action: 'reset-after', times: 3 });
			const first = await runOnce();
			assert.equal(first.items[0][0].json.object, 'customer');
			assert.match(String(first.items[0][1].json.error), /^Could not reach Stripe at .* \((ECONNRESET|socket hang up)\)$/);
			assert.match(String(first.items[0][1].json.description), /failed after 3 attempts/);
			assert.equal(first.items[0][2].json.object, 'customer');
			assert.equal(s.objects('customers').length, 3, 'row 1 was stored although its item failed');
			// Run the execution again (as n8n's "retry execution" would): the keys come from the items.
			const second = await runOnce();
			assert.equal(second.nodeError, undefined);
			assert.deepEqual(
				second.items[0].map((i) => (i.json.metadata as Record<string, string>).row),
				['0', '1', '2'],
			);
			assert.equal(s.objects('customers').length, 3, 'nothing was created twice');
			assert.deepEqual(
				second.items[0].map((i) => i.json.id),
				s.objects('customers').map((o) => o.id),
			);
		} finally {
			sleep.restore();
		}
	});
});
