/**
 * Credit Grant Report through n8n's engine against an intercepted Stripe: three customers, grants and
 * balance transactions over several pages, two currencies (USD and zero-decimal JPY), a voided and an
 * expired grant, and a customer whose balance summary fails. Every figure is computed by hand below.
 */
import { blockRealNetwork, instantSleep, runNode } from '../harness/engine';

import assert from 'node:assert/strict';
import { afterAll, afterEach, beforeAll, describe, it } from '@jest/globals';
import nock from 'nock';
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { toDecimal } from '../../nodes/shared/execution/reports/credit-grants';
import { StripeBilling } from '../../nodes/StripeBilling/StripeBilling.node';

const STRIPE = 'https://api.stripe.com';
const NOW = Math.floor(Date.now() / 1000);
const DAY = 86400;

const usd = (value: number) => ({ type: 'monetary', monetary: { currency: 'usd', value } });
const jpy = (value: number) => ({ type: 'monetary', monetary: { currency: 'jpy', value } });

const grant = (id: string, customer: string, amount: object, category: string, extra: IDataObject = {}) => ({
	id,
	object: 'billing.credit_grant',
	customer,
	amount,
	category,
	name: `Grant ${id}`,
	effective_at: NOW - 30 * DAY,
	expires_at: null,
	voided_at: null,
	...extra,
});
const GRANTS = [
	grant('g1', 'cus_A', usd(10000), 'paid', { expires_at: NOW + 5 * DAY }),
	grant('g2', 'cus_A', usd(5000), 'promotional'),
	grant('g3', 'cus_A', jpy(3000), 'paid', { expires_at: NOW + 60 * DAY }),
	grant('g4', 'cus_B', usd(2000), 'promotional', { voided_at: NOW - 2 * DAY }),
	grant('g5', 'cus_B', usd(1500), 'paid', { expires_at: NOW - DAY }),
	grant('g6', 'cus_C', usd(100), 'paid'),
];

const credit = (id: string, g: string, amount: object, daysAgo: number) => ({
	id,
	object: 'billing.credit_balance_transaction',
	type: 'credit',
	credit_grant: g,
	effective_at: NOW - daysAgo * DAY,
	credit: { amount, type: 'credits_granted' },
	debit: null,
});
const debit = (id: string, g: string, amount: object, daysAgo: number, invoice?: string, type = 'credits_applied') => ({
	id,
	object: 'billing.credit_balance_transaction',
	type: 'debit',
	credit_grant: g,
	effective_at: NOW - daysAgo * DAY,
	credit: null,
	debit: { amount, type, credits_applied: invoice ? { invoice, invoice_line_item: `il_${id}` } : null },
});
const TRANSACTIONS: Record<string, IDataObject[]> = {
	cus_A: [
		credit('t1', 'g1', usd(10000), 30),
		credit('t2', 'g2', usd(5000), 3),
		debit('t3', 'g1', usd(2500), 2, 'in_1'),
		debit('t4', 'g2', usd(500), 1, 'in_2'),
		credit('t5', 'g3', jpy(3000), 1),
		debit('t6', 'g3', jpy(500), 6, 'in_3'),
		debit('t7', 'g1', usd(100), 10, 'in_1'),
	],
	cus_B: [
		credit('t8', 'g5', usd(1500), 20),
		debit('t9', 'g5', usd(1500), 1, undefined, 'credits_expired'),
		credit('t10', 'g4', usd(2000), 4),
		debit('t11', 'g4', usd(2000), 2, undefined, 'credits_voided'),
	],
	cus_C: [],
};
const SUMMARIES: Record<string, IDataObject[]> = {
	cus_A: [
		{ available_balance: usd(12000), ledger_balance: usd(12500) },
		{ available_balance: jpy(2500), ledger_balance: jpy(2500) },
	],
	cus_B: [{ available_balance: usd(0), ledger_balance: usd(0) }],
};
const CUSTOMERS: Record<string, IDataObject> = {
	cus_A: { id: 'cus_A', object: 'customer', name: 'Ada', email: 'ada@example.com' },
	cus_B: { id: 'cus_B', object: 'customer', name: 'Bob', email: 'bob@example.com' },
	cus_C: { id: 'cus_C', object: 'customer', name: null, email: 'cy@example.com' },
};

/** A page of two objects at a time, so every list needs several pages. */
function page(rows: IDataObject[], query: URLSearchParams) {
	const after = query.get('starting_after');
	const start = after ? rows.findIndex((r) => r.id === after) + 1 : 0;
	assert.equal(query.get('limit'), '100');
	return { object: 'list', data: rows.slice(start, start + 2), has_more: start + 2 < rows.length };
}

const calls: string[] = [];
function fakeStripe() {
	nock(STRIPE)
		.persist()
		.get(/.*/)
		.reply((uri) => {
			calls.push(uri);
			const url = new URL(uri, STRIPE);
			const q = url.searchParams;
			if (url.pathname === '/v1/billing/credit_grants') {
				const customer = q.get('customer');
				return [200, page(customer ? GRANTS.filter((g) => g.customer === customer) : GRANTS, q)];
			}
			if (url.pathname === '/v1/billing/credit_balance_transactions') return [200, page(TRANSACTIONS[q.get('customer')!], q)];
			if (url.pathname === '/v1/billing/credit_balance_summary') {
				const customer = q.get('customer')!;
				assert.equal(q.get('filter[type]'), 'applicability_scope');
				assert.equal(q.get('filter[applicability_scope][price_type]'), 'metered');
				if (customer === 'cus_C') return [500, { error: { type: 'api_error', message: 'summary unavailable' } }, { 'Stripe-Should-Retry': 'false' }];
				return [200, { object: 'billing.credit_balance_summary', customer, balances: SUMMARIES[customer] }];
			}
			const m = /^\/v1\/customers\/(cus_\w+)$/.exec(url.pathname);
			if (m) return [200, CUSTOMERS[m[1]]];
			return [404, { error: { type: 'invalid_request_error', message: `unexpected ${uri}` } }];
		});
}

const node = new StripeBilling();
const credentials = { stripeKeyApi: { secretKey: 'sk_test_report123' } };
const base = { resource: 'creditGrant', operation: 'report' };

function run(parameters: INodeParameters, continueOnFail = true) {
	return runNode({ nodeType: node, credentials, parameters: { ...base, ...parameters }, continueOnFail });
}

function pick(row: IDataObject) {
	const { period_start, period_end, ...rest } = row;
	assert.ok(period_start && period_end);
	return rest;
}

describe('Credit Grant Report', () => {
	let sleepControl: ReturnType<typeof instantSleep>;
	beforeAll(() => {
		blockRealNetwork();
		sleepControl = instantSleep();
		fakeStripe();
	});
	afterAll(() => {
		sleepControl.restore();
		nock.cleanAll();
	});
	afterEach(() => {
		calls.length = 0;
	});

	it('decimal strings are exact, also for zero- and three-decimal currencies', () => {
		assert.equal(toDecimal(1050, 'usd'), '10.50');
		assert.equal(toDecimal(-5, 'eur'), '-0.05');
		assert.equal(toDecimal(1050, 'JPY'), '1050');
		assert.equal(toDecimal(1050, 'kwd'), '1.050');
		assert.equal(toDecimal(0, 'usd'), '0.00');
	});

	it('all customers with grants, last 7 days, expiring within 7 days: every figure', async () => {
		const result = await run({ scope: 'all', additionalFields: { expiring_within_days: 7 } });
		assert.equal(result.nodeError, undefined, result.nodeError?.message);
		const rows = result.items[0].map((i) => i.json);
		assert.ok(result.items[0].every((i) => JSON.stringify(i.pairedItem) === '{"item":0}'));
		assert.equal(rows.length, 4);
		assert.deepEqual(pick(rows[0]), {
			customer: 'cus_A',
			customer_name: 'Ada',
			customer_email: 'ada@example.com',
			currency: 'jpy',
			grants: 1,
			granted_total: 3000,
			granted_total_decimal: '3000',
			available_balance: 2500,
			available_balance_decimal: '2500',
			ledger_balance: 2500,
			ledger_balance_decimal: '2500',
			credits_in_period: 3000,
			credits_in_period_decimal: '3000',
			debits_in_period: 500,
			debits_in_period_decimal: '500',
			expiring_grants: [],
			expiring_total: 0,
			expiring_total_decimal: '0',
			voided_grants: [],
			expired_grants: [],
			invoices: ['in_3'],
		});
		assert.deepEqual(pick(rows[1]), {
			customer: 'cus_A',
			customer_name: 'Ada',
			customer_email: 'ada@example.com',
			currency: 'usd',
			grants: 2,
			granted_total: 15000,
			granted_total_decimal: '150.00',
			available_balance: 12000,
			available_balance_decimal: '120.00',
			ledger_balance: 12500,
			ledger_balance_decimal: '125.00',
			credits_in_period: 5000,
			credits_in_period_decimal: '50.00',
			debits_in_period: 3000,
			debits_in_period_decimal: '30.00',
			expiring_grants: [{ id: 'g1', name: 'Grant g1', expires_at: NOW + 5 * DAY, amount: 10000, amount_decimal: '100.00' }],
			expiring_total: 10000,
			expiring_total_decimal: '100.00',
			voided_grants: [],
			expired_grants: [],
			invoices: ['in_1', 'in_2'],
		});
		assert.deepEqual(pick(rows[2]), {
			customer: 'cus_B',
			customer_name: 'Bob',
			customer_email: 'bob@example.com',
			currency: 'usd',
			grants: 2,
			granted_total: 1500,
			granted_total_decimal: '15.00',
			available_balance: 0,
			available_balance_decimal: '0.00',
			ledger_balance: 0,
			ledger_balance_decimal: '0.00',
			credits_in_period: 2000,
			credits_in_period_decimal: '20.00',
			debits_in_period: 3500,
			debits_in_period_decimal: '35.00',
			expiring_grants: [],
			expiring_total: 0,
			expiring_total_decimal: '0.00',
			voided_grants: ['g4'],
			expired_grants: ['g5'],
			invoices: [],
		});
		// The failing customer is reported, the others are not lost.
		assert.equal(rows[3].customer, 'cus_C');
		assert.match(String(rows[3].error), /summary unavailable/);
		// Every list was paged to the end (grants 3 pages; cus_A transactions 4 pages).
		assert.equal(calls.filter((c) => c.startsWith('/v1/billing/credit_grants')).length, 3);
		assert.equal(calls.filter((c) => c.includes('credit_balance_transactions') && c.includes('cus_A')).length, 4);
	});

	it('without continue on fail, a failing customer fails the node and names the customer', async () => {
		const result = await run({ scope: 'all' }, false);
		assert.match(String(result.nodeError?.message), /customer cus_C: Stripe api_error: summary unavailable/);
	});

	it('given customers, one category, a custom period, one item per grant', async () => {
		const result = await run({
			scope: 'customers',
			customers: ['cus_A', 'cus_B'],
			additionalFields: {
				category: 'promotional',
				period_start: new Date((NOW - 5 * DAY) * 1000).toISOString(),
				period_end: new Date(NOW * 1000).toISOString(),
				output: 'grant',
			},
		});
		assert.equal(result.nodeError, undefined, result.nodeError?.message);
		const rows = result.items[0].map((i) => pick(i.json));
		assert.deepEqual(
			rows.map((r) => [r.customer, r.grant, r.category, r.currency, r.amount, r.amount_decimal, r.status, r.debits_in_period, r.invoices]),
			[
				['cus_A', 'g2', 'promotional', 'usd', 5000, '50.00', 'active', 500, ['in_2']],
				['cus_B', 'g4', 'promotional', 'usd', 2000, '20.00', 'voided', 2000, []],
			],
		);
		assert.ok(calls.some((c) => c === '/v1/billing/credit_grants?customer=cus_A&limit=100'));
		assert.ok(!calls.some((c) => c === '/v1/billing/credit_grants?limit=100'), 'no full grant listing for given customers');
	});

	it('currency filter and customers from input items via an expression', async () => {
		const result = await runNode({
			nodeType: node,
			credentials,
			parameters: { ...base, scope: 'customers', customers: '={{ [$json.id] }}', additionalFields: { currency: 'JPY' } },
			inputItems: [{ json: { id: 'cus_A' } }, { json: { id: 'cus_B' } }],
		});
		assert.equal(result.nodeError, undefined, result.nodeError?.message);
		const rows = result.items[0];
		assert.deepEqual(
			rows.map((r) => [r.json.customer, r.json.currency, r.json.granted_total, r.pairedItem]),
			[['cus_A', 'jpy', 3000, { item: 0 }]],
		);
	});

	it('bad input: a period that ends before it starts', async () => {
		const result = await run({ scope: 'all', additionalFields: { period_start: '2026-02-01T00:00:00Z', period_end: '2026-01-01T00:00:00Z' } }, false);
		assert.match(String(result.nodeError?.message), /period must start before it ends/);
	});
});
