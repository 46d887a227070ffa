/**
 * The editor's dynamic choices (resource locator lists and event types) through n8n-core's
 * LoadOptionsContext, with Stripe intercepted.
 */
import { interceptStripe, callNodeMethod } from '../harness/engine';

import assert from 'node:assert/strict';
import { afterEach, beforeAll, describe, it } from '@jest/globals';
import nock from 'nock';
import type { INodeListSearchResult, INodePropertyOptions } from 'n8n-workflow';

import { StripeCore } from '../../nodes/StripeCore/StripeCore.node';

const STRIPE = 'https://api.stripe.com';
const credentials = { stripeKeyApi: { secretKey: 'sk_test_methods123' } };
const nodeType = new StripeCore();
const parameters = { resource: 'customer', operation: 'retrieve' };

describe('dynamic choices', () => {
	interceptStripe({ before: beforeAll, afterEach });

	it('customers: a page of the list, then the next page by its cursor', async () => {
		nock(STRIPE)
			.get('/v1/customers')
			.query({ limit: '100' })
			.reply(200, {
				object: 'list',
				has_more: true,
				data: [
					{ id: 'cus_1', name: 'Ada', email: 'ada@example.com' },
					{ id: 'cus_2', email: 'bob@example.com' },
				],
			})
			.get('/v1/customers')
			.query({ limit: '100', starting_after: 'cus_2' })
			.reply(200, { object: 'list', has_more: false, data: [{ id: 'cus_3' }] });
		const first = (await callNodeMethod({ nodeType, parameters, credentials, kind: 'listSearch', method: 'searchCustomers' })) as INodeListSearchResult;
		assert.deepEqual(
			first.results.map((r) => [r.name, r.value]),
			[
				['Ada <ada@example.com>', 'cus_1'],
				['bob@example.com', 'cus_2'],
			],
		);
		assert.equal(first.paginationToken, 'cus_2');
		const second = (await callNodeMethod({
			nodeType,
			parameters,
			credentials,
			kind: 'listSearch',
			method: 'searchCustomers',
			paginationToken: 'cus_2',
		})) as INodeListSearchResult;
		assert.deepEqual(
			second.results.map((r) => r.value),
			['cus_3'],
		);
		assert.equal(second.paginationToken, undefined);
	});

	it('customers: a filter uses Stripe search on email, name and phone, paged by next_page', async () => {
		nock(STRIPE)
			.get('/v1/customers/search')
			.query({ query: 'email~"a\\"b" OR name~"a\\"b" OR phone~"a\\"b"', limit: '100' })
			.reply(200, { object: 'search_result', has_more: true, next_page: 'pg_2', data: [{ id: 'cus_9', name: 'A"B' }] });
		const r = (await callNodeMethod({
			nodeType,
			parameters,
			credentials,
			kind: 'listSearch',
			method: 'searchCustomers',
			filter: 'a"b',
		})) as INodeListSearchResult;
		assert.deepEqual(
			r.results.map((x) => x.value),
			['cus_9'],
		);
		assert.equal(r.paginationToken, 'pg_2');
	});

	it('prices and meters are filtered on the page when Stripe has no search for them', async () => {
		nock(STRIPE)
			.get('/v1/billing/meters')
			.query({ limit: '100' })
			.reply(200, {
				object: 'list',
				has_more: false,
				data: [
					{ id: 'mtr_1', display_name: 'API calls', event_name: 'api_call' },
					{ id: 'mtr_2', display_name: 'Storage', event_name: 'gb' },
				],
			});
		const r = (await callNodeMethod({ nodeType, parameters, credentials, kind: 'listSearch', method: 'searchMeters', filter: 'api' })) as INodeListSearchResult;
		assert.deepEqual(
			r.results.map((x) => [x.name, x.value]),
			[['API calls (api_call)', 'mtr_1']],
		);
	});

	it('prices: the product (expanded), the amount in major units with its currency, and the interval', async () => {
		nock(STRIPE)
			.get('/v1/prices')
			.query({ limit: '100', 'expand[0]': 'data.product' })
			.reply(200, {
				object: 'list',
				has_more: false,
				data: [
					{
						id: 'price_1',
						nickname: 'Pro',
						unit_amount: 1250,
						currency: 'usd',
						product: { id: 'prod_1', name: 'Hoodie' },
						recurring: { interval: 'month', interval_count: 1 },
					},
					{ id: 'price_2', lookup_key: 'basic_jpy', unit_amount: 500, currency: 'jpy', product: 'prod_2' },
					{
						id: 'price_3',
						unit_amount: 9900,
						currency: 'eur',
						product: { id: 'prod_3', name: 'Support' },
						recurring: { interval: 'month', interval_count: 3 },
					},
				],
			});
		const r = (await callNodeMethod({ nodeType, parameters, credentials, kind: 'listSearch', method: 'searchPrices' })) as INodeListSearchResult;
		assert.deepEqual(
			r.results.map((x) => x.name),
			['Hoodie · Pro — 12.50 USD / month', 'basic_jpy — 500 JPY', 'Support — 99.00 EUR every 3 months'],
		);
	});

	it("invoice items show whose they are (customer expanded); checkout sessions lead with the customer's email", async () => {
		nock(STRIPE)
			.get('/v1/invoiceitems')
			.query({ limit: '100', 'expand[0]': 'data.customer' })
			.reply(200, {
				object: 'list',
				has_more: false,
				data: [{ id: 'ii_1', description: 'Setup fee', amount: 4900, currency: 'eur', customer: { id: 'cus_A', name: 'Ada', email: 'ada@example.com' } }],
			})
			.get('/v1/checkout/sessions')
			.query({ limit: '100' })
			.reply(200, {
				object: 'list',
				has_more: false,
				data: [
					{ id: 'cs_1', mode: 'payment', status: 'complete', amount_total: 2500, currency: 'usd', customer_details: { email: 'bob@example.com' } },
					{ id: 'cs_2', mode: 'subscription', status: 'open', amount_total: null, currency: 'usd', customer_details: null },
				],
			});
		const names = async (method: string) =>
			((await callNodeMethod({ nodeType, parameters, credentials, kind: 'listSearch', method })) as INodeListSearchResult).results.map((x) => x.name);
		assert.deepEqual(await names('searchInvoiceItems'), ['Setup fee · 49.00 EUR · Ada <ada@example.com>']);
		assert.deepEqual(await names('searchCheckoutSessions'), ['bob@example.com · 25.00 USD · payment · complete', 'cs_2 · subscription · open']);
	});

	it('subscriptions: the customer, status and price nickname; the customer filled in on the node filters the list', async () => {
		nock(STRIPE)
			.get('/v1/subscriptions')
			.query({ limit: '100', customer: 'cus_A', 'expand[0]': 'data.customer' })
			.reply(200, {
				object: 'list',
				has_more: true,
				data: [
					{
						id: 'sub_1',
						customer: { id: 'cus_A', name: 'Ada', email: 'ada@example.com' },
						status: 'active',
						items: {
							data: [{ quantity: 2, price: { id: 'price_1', nickname: 'Pro monthly', unit_amount: 2500, currency: 'usd', recurring: { interval: 'month' } } }],
						},
					},
				],
			})
			.get('/v1/subscriptions')
			.query({ limit: '100', customer: 'cus_A', starting_after: 'sub_1', 'expand[0]': 'data.customer' })
			.reply(200, {
				object: 'list',
				has_more: false,
				data: [{ id: 'sub_2', customer: { id: 'cus_A', email: 'a@x.io' }, status: 'trialing', items: { data: [] } }],
			});
		// Invoice → Create: the customer is a top-level picker ({__rl}), the subscription an additional field.
		const onInvoice = { resource: 'invoice', operation: 'create', customer: { __rl: true, mode: 'list', value: 'cus_A' } };
		const { StripeBilling } = await import('../../nodes/StripeBilling/StripeBilling.node');
		const billing = new StripeBilling();
		const call = (paginationToken?: string) =>
			callNodeMethod({
				nodeType: billing,
				parameters: onInvoice,
				credentials,
				kind: 'listSearch',
				method: 'searchSubscriptions',
				path: 'parameters.additionalFields.subscription',
				paginationToken,
			}) as Promise<INodeListSearchResult>;
		const first = await call();
		assert.deepEqual(
			first.results.map((x) => [x.name, x.value, x.url]),
			[['Ada <ada@example.com> · active · Pro monthly — 25.00 USD / month × 2', 'sub_1', 'https://dashboard.stripe.com/subscriptions/sub_1']],
		);
		assert.equal(first.paginationToken, 'sub_1');
		const second = await call('sub_1');
		assert.deepEqual(
			second.results.map((x) => x.name),
			['a@x.io · trialing'],
		);
		assert.equal(second.paginationToken, undefined);
	});

	it("payment methods: the node's customer's, from the sibling field of a collection, its ID encoded in the path", async () => {
		nock(STRIPE)
			.get('/v1/customers/cus_B%2F..%3Fx/payment_methods')
			.query({ limit: '100' })
			.reply(200, {
				object: 'list',
				has_more: false,
				data: [
					{ id: 'pm_1', type: 'card', card: { brand: 'visa', last4: '4242', exp_month: 12, exp_year: 2034 }, billing_details: { name: 'Ada' } },
					{ id: 'pm_2', type: 'sepa_debit', billing_details: {} },
				],
			});
		const r = (await callNodeMethod({
			nodeType,
			parameters: { resource: 'paymentIntent', operation: 'create', additionalFields: { customer: { __rl: true, mode: 'id', value: 'cus_B/..?x' } } },
			credentials,
			kind: 'listSearch',
			method: 'searchPaymentMethods',
			path: 'parameters.additionalFields.payment_method',
		})) as INodeListSearchResult;
		assert.deepEqual(
			r.results.map((x) => [x.name, x.value]),
			[
				['visa •••• 4242 · 12/2034 · Ada', 'pm_1'],
				['sepa_debit', 'pm_2'],
			],
		);
	});

	it('payment methods without a customer on the node: a clear message, and nothing is sent', async () => {
		// The network is blocked (interceptStripe): a request would fail with another message.
		await assert.rejects(
			callNodeMethod({
				nodeType,
				parameters: { resource: 'paymentIntent', operation: 'create', additionalFields: { customer: { __rl: true, mode: 'list', value: '' } } },
				credentials,
				kind: 'listSearch',
				method: 'searchPaymentMethods',
				path: 'parameters.additionalFields.payment_method',
			}),
			/Stripe lists payment methods per customer: fill in the Customer field first/,
		);
	});

	it('invoices: a pasted customer ID or invoice number is searched, other text filters the page', async () => {
		nock(STRIPE)
			.get('/v1/invoices/search')
			.query({ query: 'customer:"cus_Z9"', limit: '100' })
			.reply(200, {
				object: 'search_result',
				has_more: true,
				next_page: 'pg_in2',
				data: [{ id: 'in_1', number: 'ABC-0001', amount_due: 2000, currency: 'eur', status: 'open', customer: 'cus_Z9', customer_name: 'Zed' }],
			})
			.get('/v1/invoices/search')
			.query({ query: 'number:"ABC-0002"', limit: '100' })
			.reply(200, { object: 'search_result', has_more: false, data: [{ id: 'in_2', number: 'ABC-0002', amount_due: 0, currency: 'eur', status: 'paid' }] })
			.get('/v1/invoices')
			.query({ limit: '100' })
			.reply(200, {
				object: 'list',
				has_more: false,
				data: [
					{ id: 'in_3', number: 'X-1', amount_due: 100, currency: 'usd', status: 'draft', customer: 'cus_1', customer_email: 'ada@example.com' },
					{ id: 'in_4', number: 'X-2', amount_due: 100, currency: 'usd', status: 'draft', customer: 'cus_2', customer_email: 'bob@example.com' },
				],
			});
		const search = async (filter: string) =>
			(await callNodeMethod({ nodeType, parameters, credentials, kind: 'listSearch', method: 'searchInvoices', filter })) as INodeListSearchResult;
		const byCustomer = await search('cus_Z9');
		assert.deepEqual(
			byCustomer.results.map((x) => x.name),
			['ABC-0001 · 20.00 EUR due · open · Zed'],
		);
		assert.equal(byCustomer.paginationToken, 'pg_in2');
		assert.deepEqual(
			(await search('ABC-0002')).results.map((x) => x.value),
			['in_2'],
		);
		assert.deepEqual(
			(await search('ada@')).results.map((x) => x.value),
			['in_3'],
		);
	});

	it('charges and payment intents: last 4 digits and amounts are searched', async () => {
		nock(STRIPE)
			.get('/v1/charges/search')
			.query({ query: 'payment_method_details.card.last4:"4242" OR amount:4242', limit: '100' })
			.reply(200, { object: 'search_result', has_more: false, data: [{ id: 'ch_1', amount: 4242, currency: 'usd', description: 'Order 7' }] })
			.get('/v1/payment_intents/search')
			.query({ query: 'amount:1500', limit: '100', page: 'pg_1' })
			.reply(200, { object: 'search_result', has_more: false, data: [{ id: 'pi_1', amount: 1500, currency: 'gbp', status: 'succeeded' }] });
		const charges = (await callNodeMethod({
			nodeType,
			parameters,
			credentials,
			kind: 'listSearch',
			method: 'searchCharges',
			filter: '4242',
		})) as INodeListSearchResult;
		assert.deepEqual(
			charges.results.map((x) => [x.name, x.url]),
			[['42.42 USD · Order 7', 'https://dashboard.stripe.com/payments/ch_1']],
		);
		const intents = (await callNodeMethod({
			nodeType,
			parameters,
			credentials,
			kind: 'listSearch',
			method: 'searchPaymentIntents',
			filter: '1500',
			paginationToken: 'pg_1',
		})) as INodeListSearchResult;
		assert.deepEqual(
			intents.results.map((x) => x.name),
			['15.00 GBP · succeeded'],
		);
	});

	it('coupons, promotion codes, tax rates, plans, accounts, test clocks and credit grants: their lists and labels', async () => {
		const lists: Array<[string, string, object[], string[]]> = [
			[
				'searchCoupons',
				'/v1/coupons',
				[
					{ id: 'SUMMER', name: 'Summer', percent_off: 20 },
					{ id: 'FIVE', amount_off: 500, currency: 'usd' },
				],
				['Summer · 20% off', 'FIVE · 5.00 USD off'],
			],
			['searchPromotionCodes', '/v1/promotion_codes', [{ id: 'promo_1', code: 'WELCOME', coupon: { name: 'Welcome' } }], ['WELCOME · Welcome']],
			[
				'searchTaxRates',
				'/v1/tax_rates',
				[{ id: 'txr_1', display_name: 'VAT', percentage: 19, inclusive: true, jurisdiction: 'DE' }],
				['VAT · 19% incl. · DE'],
			],
			['searchPlans', '/v1/plans', [{ id: 'gold', nickname: 'Gold', amount: 999, currency: 'usd', interval: 'month' }], ['Gold · 9.99 USD / month']],
			[
				'searchAccounts',
				'/v1/accounts',
				[
					{ id: 'acct_1', business_profile: { name: 'Shop' }, email: 'a@b.c' },
					{ id: 'acct_2', business_profile: {}, email: 'x@y.z' },
				],
				['Shop', 'x@y.z'],
			],
			['searchTestClocks', '/v1/test_helpers/test_clocks', [{ id: 'clock_1', name: 'Renewal', frozen_time: 1735689600 }], ['Renewal · 2025-01-01 00:00 UTC']],
			[
				'searchCreditGrants',
				'/v1/billing/credit_grants',
				[{ id: 'credgr_1', name: 'Promo', amount: { type: 'monetary', monetary: { value: 1000, currency: 'usd' } }, customer: 'cus_1' }],
				['Promo · 10.00 USD · cus_1'],
			],
		];
		for (const [method, path, data, names] of lists) {
			nock(STRIPE).get(path).query({ limit: '100' }).reply(200, { object: 'list', has_more: false, data });
			const r = (await callNodeMethod({ nodeType, parameters, credentials, kind: 'listSearch', method })) as INodeListSearchResult;
			assert.deepEqual(
				r.results.map((x) => x.name),
				names,
				method,
			);
		}
	});

	it('event types: *, every v1 type of the acacia API, and the thin types', async () => {
		const options = (await callNodeMethod({ nodeType, parameters, credentials, kind: 'loadOptions', method: 'getEventTypes' })) as INodePropertyOptions[];
		const values = options.map((o) => o.value);
		assert.equal(values[0], '*');
		for (const t of ['customer.created', 'invoice.paid', 'billing.alert.triggered', 'v1.billing.meter.no_meter_found', 'v2.core.event_destination.ping'])
			assert.ok(values.includes(t), t);
		assert.ok(values.length > 200);
	});
});
