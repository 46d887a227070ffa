/**
 * Request Options reach every request of an item, also on the special paths: the Credit Grant Report's many
 * reads are derived from the item's request, so its Timeout, Max Retries and Connected Account apply to each
 * of them. Through n8n-core against the loopback stand-in, which leaves a request unanswered on demand.
 */
import '../harness/engine';

import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';

import { StripeBilling } from '../../nodes/StripeBilling/StripeBilling.node';
import { StripeCore } from '../../nodes/StripeCore/StripeCore.node';
import { runNode } from '../harness/engine';
import { useStandin } from '../support/use-standin';

const billing = new StripeBilling();
const report = { resource: 'creditGrant', operation: 'report' };

describe('Request Options on the Credit Grant Report', () => {
	const standin = useStandin();
	const credentials = () => ({ stripeKeyApi: { secretKey: 'sk_test_requestoptions', baseUrl: standin.s.url } });

	// Without the item's timeout the report's reads would have Stripe's default 80 s deadline. The tests' deadline
	// clock expires a read when the stand-in hangs it, and records every attempt's deadline.
	it("Timeout: a read that gets no answer fails at the item's deadline", async () => {
		const s = standin.s;
		s.addFault({ method: 'GET', path: '/v1/billing/credit_grants', action: 'hang', times: 2 });
		const before = standin.deadlines.attempts.length;
		const result = await runNode({
			nodeType: billing,
			credentials: credentials(),
			parameters: { ...report, scope: 'all', requestOptions: { timeout: 300, maxRetries: 1 } },
		});
		assert.equal(result.nodeError?.message, 'Stripe did not answer within 0.3 s');
		// Max Retries 1: two attempts, each cut at the deadline.
		assert.match(String(result.nodeError?.description), /^GET \/v1\/billing\/credit_grants failed after 2 attempts\./);
		assert.deepEqual(
			s.requests.map((r) => `${r.method} ${r.path} ${r.fault ?? r.status}`),
			['GET /v1/billing/credit_grants hang', 'GET /v1/billing/credit_grants hang'],
		);
		assert.deepEqual(
			standin.deadlines.attempts.slice(before).map((a) => a.timeoutMs),
			[300, 300],
			"every attempt had the item's deadline",
		);
	});

	it("Connected Account and the report's every read: each sends Stripe-Account", async () => {
		const result = await runNode({
			nodeType: billing,
			credentials: credentials(),
			parameters: { ...report, scope: 'customers', customers: ['cus_given'], requestOptions: { stripeAccount: 'acct_1Connected' } },
			continueOnFail: true,
		});
		const s = standin.s;
		const reads = s.requests.filter((r) => `${r.path}?${r.rawQuery}`.includes('cus_given'));
		assert.ok(reads.length >= 2, `the report read the customer's grants and profile (${reads.length} reads)`);
		for (const r of reads) assert.equal(r.headers['stripe-account'], 'acct_1Connected', `${r.method} ${r.path}`);
		assert.ok(result.items[0].length >= 1);
	});
});

describe('Request Options on the pages of a list', () => {
	const standin = useStandin();

	// The stand-in keeps each account's objects apart: a page sent without the account would read another list.
	it('Connected Account: every page of Return All is read on the connected account', async () => {
		const s = standin.s;
		s.seed(
			'customers',
			Array.from({ length: 250 }, (_, i) => ({ email: `c${i}@example.com` })),
			'acct_1Pages',
		);
		const result = await runNode({
			nodeType: new StripeCore(),
			credentials: { stripeKeyApi: { secretKey: 'sk_test_requestoptions', baseUrl: s.url } },
			parameters: { resource: 'customer', operation: 'list', returnAll: true, requestOptions: { stripeAccount: 'acct_1Pages', readInParallel: false } },
		});
		assert.equal(result.nodeError, undefined, result.nodeError?.message);
		assert.equal(result.items[0].length, 250);
		const pages = s.requests.filter((r) => r.path === '/v1/customers');
		assert.deepEqual(
			pages.map((r) => [r.query.limit, r.query.starting_after === undefined ? 'first' : 'cursor', r.headers['stripe-account']]),
			[
				['100', 'first', 'acct_1Pages'],
				['100', 'cursor', 'acct_1Pages'],
				['100', 'cursor', 'acct_1Pages'],
			],
		);
	});
});
