/**
 * Search by fields (issue 24, point 1; nodes/shared/fields/search.ts): conditions become Stripe's search query.
 *
 * Expected queries are written from docs.stripe.com/search (its examples verbatim where it has one), never
 * from the builder. Hostile values (quotes, OR/AND, `:`, `~`, brackets, parentheses, `-`, `null`) are checked
 * with the stand-in's own parser of Stripe's language (test/standin/search.ts, written independently): the
 * query must still be one clause on the chosen field whose value is exactly what was typed. Backslashes and
 * line breaks, which the documentation gives no way to write, are refused before anything is sent.
 * Through n8n's engine against the stand-in: the wire equals stripe-node's `customers.search` for the same
 * query, Return All follows `next_page`, a saved raw Query is sent unchanged.
 */
import '../harness/engine';

import assert from 'node:assert/strict';
import { afterAll, beforeAll, beforeEach, describe, it } from '@jest/globals';
import nock from 'nock';
import Stripe from 'stripe';

import { runNode } from '../harness/engine';
import { StripeBilling } from '../../nodes/StripeBilling/StripeBilling.node';
import { StripeCore } from '../../nodes/StripeCore/StripeCore.node';
import { StripeProducts } from '../../nodes/StripeProducts/StripeProducts.node';
import { buildSearchQuery, SEARCH_FIELDS } from '../../nodes/shared/fields/search';
import { ParamError } from '../../nodes/shared/fields/values';
import type { Standin } from '../standin/server';
import { startStandin } from '../standin/server';
import { parseSearchQuery } from '../standin/search';

nock.restore();

const KEY = 'sk_test_search_fields_123';
const customers = SEARCH_FIELDS['/v1/customers/search'];
const charges = SEARCH_FIELDS['/v1/charges/search'];
const invoices = SEARCH_FIELDS['/v1/invoices/search'];
const products = SEARCH_FIELDS['/v1/products/search'];

describe('search query from conditions (docs.stripe.com/search)', () => {
	const cases: Array<[string, Parameters<typeof buildSearchQuery>, string]> = [
		['exact email', [customers, [{ field: 'email', textOperator: 'is', value: 'amy@rocketrides.io' }], 'all'], 'email:"amy@rocketrides.io"'],
		[
			'metadata',
			[charges, [{ field: 'metadata', metadataKey: 'donation-id', operator: 'is', value: 'asdf-jkl' }], 'all'],
			'metadata["donation-id"]:"asdf-jkl"',
		],
		['metadata key present', [charges, [{ field: 'metadata', metadataKey: 'donation-id', operator: 'notNull' }], 'all'], '-metadata["donation-id"]:null'],
		['negation', [charges, [{ field: 'currency', operator: 'isNot', value: 'jpy' }], 'all'], '-currency:"jpy"'],
		['numeric', [invoices, [{ field: 'total', numberOperator: 'gt', value: '1000' }], 'all'], 'total>1000'],
		['substring', [customers, [{ field: 'email', textOperator: 'contains', value: 'amy' }], 'all'], 'email~"amy"'],
		['null', [products, [{ field: 'url', textOperator: 'null' }], 'all'], 'url:null'],
		[
			'OR',
			[
				charges,
				[
					{ field: 'currency', operator: 'is', value: 'usd' },
					{ field: 'currency', operator: 'is', value: 'eur' },
				],
				'any',
			],
			'currency:"usd" OR currency:"eur"',
		],
		[
			'AND',
			[
				charges,
				[
					{ field: 'status', operator: 'is', value: 'active' },
					{ field: 'amount', numberOperator: 'is', value: '500' },
				],
				'all',
			],
			'status:"active" AND amount:500',
		],
		[
			'quotes escaped',
			[products, [{ field: 'description', textOperator: 'is', value: 'the story called "The Sky and the Sea."' }], 'all'],
			'description:"the story called \\"The Sky and the Sea.\\""',
		],
		[
			'card last 4',
			[charges, [{ field: 'payment_method_details.card.last4', operator: 'is', value: '4242' }], 'all'],
			'payment_method_details.card.last4:"4242"',
		],
		[
			'card used at a Terminal',
			[charges, [{ field: 'payment_method_details.card.exp_month', cardSource: 'card_present', operator: 'is', value: '12' }], 'all'],
			'payment_method_details.card_present.exp_month:"12"',
		],
		['date as Unix seconds', [customers, [{ field: 'created', numberOperator: 'gt', date: '2021-05-06T14:15:03Z' }], 'all'], 'created>1620310503'],
	];
	for (const [name, args, expected] of cases) it(name, () => assert.equal(buildSearchQuery(...args), expected));

	const hostile = [
		'x" OR email:"y',
		'a"b',
		'"',
		'""',
		"it's",
		'bob@example.com OR name:"x"',
		'a AND b',
		'-email:null',
		'x~y',
		'(a OR b)',
		"metadata['k']:'v'",
		'x" -email:"y',
		'null',
		'ends with quote"',
	];
	for (const value of hostile)
		it(`hostile value keeps the query's meaning: ${value}`, () => {
			const query = buildSearchQuery(customers, [{ field: 'email', textOperator: 'is', value }], 'all');
			const parsed = parseSearchQuery(query);
			assert.equal(parsed.clauses.length, 1, query);
			assert.deepEqual(parsed.clauses[0], { negate: false, field: ['email'], op: ':', value });
		});
	it('hostile metadata key keeps the meaning', () => {
		const key = 'k"]:"x" OR metadata["k';
		const query = buildSearchQuery(customers, [{ field: 'metadata', metadataKey: key, operator: 'is', value: 'v' }], 'all');
		assert.deepEqual(parseSearchQuery(query).clauses, [{ negate: false, field: ['metadata', key], op: ':', value: 'v' }]);
	});

	const refused: Array<[string, Parameters<typeof buildSearchQuery>, RegExp]> = [
		['backslash', [customers, [{ field: 'name', textOperator: 'is', value: 'a\\" OR name:"b' }], 'all'], /backslash/],
		['trailing backslash', [customers, [{ field: 'name', textOperator: 'is', value: 'abc\\' }], 'all'], /backslash/],
		['line break', [customers, [{ field: 'name', textOperator: 'is', value: 'a\nOR name:"b"' }], 'all'], /line break/],
		['substring under 3 characters', [customers, [{ field: 'name', textOperator: 'contains', value: 'al' }], 'all'], /at least 3/],
		['number that is not one', [invoices, [{ field: 'total', numberOperator: 'gt', value: '10 OR status:"open"' }], 'all'], /whole number/],
		['operator the type does not take', [customers, [{ field: 'phone', textOperator: 'gt', value: '1' }], 'all'], /takes Is, Is Not, Contains/],
		['field not searchable', [customers, [{ field: 'balance', numberOperator: 'is', value: '1' }], 'all'], /not a search field/],
		['empty value', [customers, [{ field: 'email', textOperator: 'is', value: '' }], 'all'], /Is Empty/],
		['more than 10 conditions', [customers, Array.from({ length: 11 }, () => ({ field: 'email', textOperator: 'is', value: 'a@b.c' })), 'all'], /at most 10/],
	];
	for (const [name, args, reason] of refused)
		it(`refused: ${name}`, () =>
			assert.throws(
				() => buildSearchQuery(...args),
				(e: unknown) => e instanceof ParamError && reason.test(e.reason),
			));
});

describe('search by fields through n8n against the stand-in', () => {
	let s: Standin;
	let stripe: Stripe;
	beforeAll(async () => {
		s = await startStandin({ port: 0 });
		const u = new URL(s.url);
		stripe = new Stripe(KEY, { host: u.hostname, port: Number(u.port), protocol: 'http', maxNetworkRetries: 0 });
	});
	afterAll(async () => s.close());
	beforeEach(() => s.reset());
	const credentials = () => ({ stripeKeyApi: { secretKey: KEY, baseUrl: s.url } });

	it('customers by email through fields: the wire is stripe-node’s for the documented query, the output the match, the query in the hints', async () => {
		s.seed('customers', [{ email: 'bob@example.com', name: 'Bob' }, { email: 'x" OR email:"bob@example.com' }, { email: 'alice@example.com' }]);
		const result = await runNode({
			nodeType: new StripeCore(),
			credentials: credentials(),
			parameters: {
				resource: 'customer',
				operation: 'search',
				searchConditions: { condition: [{ field: 'email', textOperator: 'is', value: 'bob@example.com' }] },
			},
		});
		assert.equal(result.nodeError, undefined, result.nodeError?.message);
		assert.deepEqual(
			result.items[0].map((i) => i.json.email),
			['bob@example.com'],
		);
		const ours = s.requests.filter((r) => r.path === '/v1/customers/search');
		assert.equal(ours.length, 1);
		s.requests.length = 0;
		await stripe.customers.search({ query: 'email:"bob@example.com"', limit: 50 });
		assert.equal(ours[0].rawQuery, s.requests[0].rawQuery);
		const hints = Object.values(result.runData)
			.flat()
			.flatMap((task) => task.hints ?? []);
		assert.deepEqual(hints, [{ message: 'Search query sent to Stripe (item 0): email:"bob@example.com"', location: 'outputPane' }]);
	});

	it('a hostile value finds only the customer whose email is that text', async () => {
		const hostile = 'x" OR email:"bob@example.com';
		s.seed('customers', [{ email: 'bob@example.com' }, { email: hostile }]);
		const result = await runNode({
			nodeType: new StripeCore(),
			credentials: credentials(),
			parameters: { resource: 'customer', operation: 'search', searchConditions: { condition: [{ field: 'email', textOperator: 'is', value: hostile }] } },
		});
		assert.equal(result.nodeError, undefined, result.nodeError?.message);
		assert.deepEqual(
			result.items[0].map((i) => i.json.email),
			[hostile],
		);
	});

	it('Return All follows next_page; metadata and OR conditions', async () => {
		s.seed(
			'products',
			Array.from({ length: 130 }, (_, i) => ({ name: `P${i}`, metadata: { tier: i < 120 ? 'gold' : 'silver' } })),
		);
		const result = await runNode({
			nodeType: new StripeProducts(),
			credentials: credentials(),
			parameters: {
				resource: 'product',
				operation: 'search',
				returnAll: true,
				searchMatch: 'any',
				searchConditions: {
					condition: [
						{ field: 'metadata', metadataKey: 'tier', operator: 'is', value: 'gold' },
						{ field: 'name', textOperator: 'is', value: 'P125' },
					],
				},
			},
		});
		assert.equal(result.nodeError, undefined, result.nodeError?.message);
		assert.equal(result.items[0].length, 121);
		const pages = s.requests.filter((r) => r.path === '/v1/products/search');
		assert.equal(pages.length, 2);
		assert.equal(pages[0].query.query, 'metadata["tier"]:"gold" OR name:"P125"');
		assert.ok(pages[1].query.page, 'the second page asks for next_page');
	});

	it('a saved raw Query is sent unchanged; Query and Conditions together are refused before sending', async () => {
		const raw = "status:'active' AND metadata['plan']:'pro'";
		const saved = await runNode({
			nodeType: new StripeBilling(),
			credentials: credentials(),
			parameters: { resource: 'subscription', operation: 'search', query: raw },
		});
		assert.equal(saved.nodeError, undefined, saved.nodeError?.message);
		assert.equal(s.requests.find((r) => r.path === '/v1/subscriptions/search')?.query.query, raw);
		s.requests.length = 0;
		const both = await runNode({
			nodeType: new StripeBilling(),
			credentials: credentials(),
			parameters: {
				resource: 'subscription',
				operation: 'search',
				query: raw,
				searchConditions: { condition: [{ field: 'status', operator: 'is', value: 'active' }] },
			},
		});
		assert.match(String(both.nodeError?.message), /item 0: "Query" \(query\) is set together with Conditions/);
		assert.equal(s.requests.length, 0);
	});

	it('a refused value names the item and the field, and sends nothing', async () => {
		const result = await runNode({
			nodeType: new StripeCore(),
			credentials: credentials(),
			parameters: { resource: 'customer', operation: 'search', searchConditions: { condition: [{ field: 'name', textOperator: 'is', value: 'a\\b' }] } },
		});
		assert.match(String(result.nodeError?.message), /Invalid parameter in item 0: "Value" \(condition 1\) contains a backslash/);
		assert.equal(s.requests.length, 0);
	});
});
