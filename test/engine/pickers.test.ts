/**
 * Pickers in the built node descriptions: which parameters and path parameters are resource locators, of
 * which kind, and which lookalikes (same name, another object) stay plain ID fields. Every locator's list
 * search exists on its node.
 */
import { callNodeMethod } from '../harness/engine';

import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import nock from 'nock';
import type { INodeListSearchResult, INodeProperties } from 'n8n-workflow';

import { NAMES, locatorKind, searchMethodName } from '../../nodes/shared/pickers/kinds';
import { OBJECTS } from '../../nodes/shared/pickers/objects';
import { FAMILY_NODES } from '../support/families';
import { operationPanel } from '../support/panel';
import type { Standin } from '../standin/server';
import { startStandin } from '../standin/server';

// Real loopback sockets to the stand-in: nock's interception would get in the way.
nock.restore();

function nodeOf(family: string) {
	const n = FAMILY_NODES.find((f) => f.key === family);
	assert.ok(n, family);
	return n;
}

/** The field of a parameter of one operation (top level, or in Additional Fields), as the editor gets it. */
function fieldOf(family: string, resource: string, operation: string, name: string): INodeProperties {
	const props = operationPanel(nodeOf(family).nodeType.description.properties, resource, operation);
	const top = props.find((p) => p.name === name);
	if (top) return top;
	const extra = props.find((p) => p.name === 'additionalFields')?.options as INodeProperties[] | undefined;
	const inner = extra?.find((p) => p.name === name);
	assert.ok(inner, `${family} ${resource}.${operation} has a field ${name}`);
	return inner;
}

/** `searchX` for a locator field, `string` for a plain field. */
function pickerOf(family: string, resource: string, operation: string, name: string): string {
	const f = fieldOf(family, resource, operation, name);
	if (f.type !== 'resourceLocator') return f.type;
	const list = f.modes?.find((m) => m.name === 'list');
	assert.deepEqual(
		f.modes?.map((m) => m.name),
		['list', 'id'],
	);
	assert.equal(list?.typeOptions?.searchable, true);
	return String(list?.typeOptions?.searchListMethod);
}

describe('pickers in the node descriptions', () => {
	it('path parameters get the picker of the collection they are in', () => {
		const cases: Array<[string, string, string, string, string]> = [
			['core', 'paymentIntent', 'retrieve', 'intent', 'searchPaymentIntents'],
			['core', 'setupIntent', 'confirm', 'intent', 'searchSetupIntents'],
			['core', 'charge', 'capture', 'charge', 'searchCharges'],
			['core', 'refund', 'retrieve', 'refund', 'searchRefunds'],
			['billing', 'subscription', 'update', 'subscription_exposed_id', 'searchSubscriptions'],
			['billing', 'subscriptionItem', 'update', 'item', 'searchSubscriptionItems'],
			['billing', 'subscriptionItem', 'delete', 'item', 'searchSubscriptionItems'],
			['billing', 'invoice', 'finalizeInvoice', 'invoice', 'searchInvoices'],
			['billing', 'creditGrant', 'retrieve', 'id', 'searchCreditGrants'],
			['billing', 'creditGrant', 'voidGrant', 'id', 'searchCreditGrants'],
			['billing', 'plan', 'retrieve', 'plan', 'searchPlans'],
			['billing', 'testClock', 'testHelperAdvance', 'test_clock', 'searchTestClocks'],
			['billing', 'quote', 'accept', 'quote', 'searchQuotes'],
			['billing', 'meter', 'retrieve', 'id', 'searchMeters'],
			['products', 'coupon', 'retrieve', 'coupon', 'searchCoupons'],
			['products', 'promotionCode', 'update', 'promotion_code', 'searchPromotionCodes'],
			['products', 'taxRate', 'update', 'tax_rate', 'searchTaxRates'],
			['products', 'product', 'retrieve', 'id', 'searchProducts'],
			['connect', 'account', 'retrieve', 'id', 'searchAccounts'],
			['connect', 'account', 'update', 'account', 'searchAccounts'],
			['checkout', 'session', 'expire', 'session', 'searchCheckoutSessions'],
			['paymentMethods', 'paymentMethod', 'detach', 'payment_method', 'searchPaymentMethods'],
			['webhooks', 'webhookEndpoint', 'retrieve', 'webhook_endpoint', 'searchWebhookEndpoints'],
		];
		for (const [family, resource, operation, name, method] of cases)
			assert.equal(pickerOf(family, resource, operation, name), method, `${family} ${resource}.${operation} {${name}}`);
	});

	it('body and query parameters get the picker their name says', () => {
		const cases: Array<[string, string, string, string, string]> = [
			['core', 'paymentIntent', 'create', 'payment_method', 'searchPaymentMethods'],
			['core', 'paymentIntent', 'create', 'on_behalf_of', 'searchAccounts'],
			['core', 'refund', 'create', 'charge', 'searchCharges'],
			['core', 'refund', 'create', 'payment_intent', 'searchPaymentIntents'],
			['billing', 'invoice', 'create', 'subscription', 'searchSubscriptions'],
			['billing', 'subscription', 'create', 'default_payment_method', 'searchPaymentMethods'],
			['billing', 'subscription', 'list', 'test_clock', 'searchTestClocks'],
			['billing', 'subscription', 'list', 'plan', 'searchPlans'],
			['billing', 'creditNote', 'create', 'invoice', 'searchInvoices'],
			['billing', 'creditBalanceTransaction', 'list', 'credit_grant', 'searchCreditGrants'],
			['products', 'promotionCode', 'create', 'coupon', 'searchCoupons'],
			['connect', 'transfer', 'create', 'destination', 'searchAccounts'],
			['connect', 'transfer', 'create', 'source_transaction', 'searchCharges'],
			['core', 'customer', 'create', 'promotion_code', 'searchPromotionCodes'],
		];
		for (const [family, resource, operation, name, method] of cases)
			assert.equal(pickerOf(family, resource, operation, name), method, `${family} ${resource}.${operation} ${name}`);
	});

	it('lookalikes stay plain ID fields: the same name for another object', () => {
		const cases: Array<[string, string, string, string]> = [
			['core', 'payout', 'create', 'destination'], // a bank account or card
			['climate', 'climateOrder', 'create', 'product'], // a climate product
			['climate', 'climateProduct', 'retrieve', 'product'],
			['financialConnections', 'account', 'retrieve', 'account'], // a Financial Connections account
			['financialConnections', 'transaction', 'list', 'account'],
			['issuing', 'card', 'retrieve', 'card'],
			['identity', 'verificationSession', 'retrieve', 'session'],
			['terminal', 'terminalHardwareSku', 'list', 'product'],
			// Payment methods are listed per customer: one being attached, or a new customer's, is in no list.
			['paymentMethods', 'paymentMethod', 'attach', 'payment_method'],
			['core', 'customer', 'create', 'payment_method'],
		];
		for (const [family, resource, operation, name] of cases)
			assert.equal(pickerOf(family, resource, operation, name), 'string', `${family} ${resource}.${operation} ${name}`);
	});

	it('nested members are judged by their own name (a nested-fields caller passes no operation)', () => {
		for (const [name, kind] of [
			['price', 'price'],
			['coupon', 'coupon'],
			['promotion_code', 'promotion_code'],
			['destination', 'account'],
			['tax_rate', 'tax_rate'],
			['shipping_rate', 'shipping_rate'],
			['default_payment_method', 'payment_method'],
		])
			assert.equal(locatorKind(name), kind, name);
		assert.equal(locatorKind('session'), undefined);
		assert.equal(locatorKind('card'), undefined);
		assert.equal(locatorKind('toString'), undefined, 'no inherited names');
	});

	it('every kind has a list search on every family node, and every name maps to a kind', () => {
		for (const entry of Object.values(NAMES)) assert.ok(OBJECTS[entry.kind], entry.kind);
		for (const { key, nodeType } of FAMILY_NODES) {
			const methods = Object.keys(nodeType.methods?.listSearch ?? {});
			for (const kind of Object.keys(OBJECTS) as Array<keyof typeof OBJECTS>)
				assert.ok(methods.includes(searchMethodName(kind)), `${key}: ${searchMethodName(kind)}`);
		}
	});
});

describe('pickers against the stand-in', () => {
	let s: Standin;
	beforeAll(async () => {
		s = await startStandin({ port: 0 });
	});
	afterAll(async () => {
		await s.close();
	});
	const credentials = () => ({ stripeKeyApi: { secretKey: 'sk_test_pickers', baseUrl: s.url } });

	it("an invoice's subscription: the node's customer's subscriptions, then a coupon, a tax rate and a payment intent by their lists", async () => {
		const [ada, bob] = s.seed('customers', [{ name: 'Ada' }, { name: 'Bob' }]);
		const [mine] = s.seed('subscriptions', [
			{ customer: ada.id, status: 'active' },
			{ customer: bob.id, status: 'active' },
		]);
		s.seed('coupons', [{ name: 'Summer', percent_off: 20 }]);
		s.seed('tax_rates', [{ display_name: 'VAT', percentage: 19, inclusive: false, jurisdiction: 'DE' }]);
		s.seed('payment_intents', [{ amount: 1500, currency: 'eur', status: 'succeeded' }]);
		const billing = nodeOf('billing').nodeType;
		const list = async (method: string, parameters: Record<string, unknown>, path = '') =>
			(await callNodeMethod({
				nodeType: billing,
				parameters: parameters as never,
				credentials: credentials(),
				kind: 'listSearch',
				method,
				path,
			})) as INodeListSearchResult;

		const subs = await list(
			'searchSubscriptions',
			{ resource: 'invoice', operation: 'create', customer: { __rl: true, mode: 'list', value: ada.id } },
			'parameters.additionalFields.subscription',
		);
		assert.deepEqual(
			subs.results.map((r) => [r.name, r.value]),
			[['Ada · active', mine.id]],
		);
		assert.deepEqual(
			(await list('searchCoupons', { resource: 'invoice', operation: 'create' })).results.map((r) => r.name),
			['Summer · 20% off'],
		);
		assert.deepEqual(
			(await list('searchTaxRates', { resource: 'invoice', operation: 'create' })).results.map((r) => r.name),
			['VAT · 19% · DE'],
		);
		assert.deepEqual(
			(await list('searchPaymentIntents', { resource: 'invoice', operation: 'create' })).results.map((r) => r.name),
			['15.00 EUR · succeeded'],
		);
		assert.deepEqual(
			s.requests.map((r) => `${r.method} ${r.path}?${r.rawQuery}`),
			[
				`GET /v1/subscriptions?limit=100&customer=${String(ada.id)}&expand[0]=data.customer`,
				'GET /v1/coupons?limit=100',
				'GET /v1/tax_rates?limit=100',
				'GET /v1/payment_intents?limit=100',
			],
		);
	});

	it('prices people recognise: product name, amount and interval; found by product name; recurring or one-time as the operation needs', async () => {
		s.reset();
		const [hoodie, mug] = s.seed('products', [{ name: 'Hoodie' }, { name: 'Mug' }]);
		const [monthly, once, yearly] = s.seed('prices', [
			{ product: hoodie.id, currency: 'usd', unit_amount: 2500, type: 'recurring', recurring: { interval: 'month', interval_count: 1 } },
			{ product: hoodie.id, currency: 'usd', unit_amount: 4000, type: 'one_time' },
			{ product: mug.id, currency: 'jpy', unit_amount: 1200, type: 'recurring', nickname: 'Yearly', recurring: { interval: 'year', interval_count: 1 } },
		]);
		const billing = nodeOf('billing').nodeType;
		const checkout = nodeOf('checkout').nodeType;
		const list = async (nodeType: typeof billing, parameters: Record<string, unknown>, filter?: string) =>
			(
				(await callNodeMethod({
					nodeType,
					parameters: parameters as never,
					credentials: credentials(),
					kind: 'listSearch',
					method: 'searchPrices',
					filter,
				})) as INodeListSearchResult
			).results.map((r) => [r.name, r.value]);

		// A subscription's items: recurring prices only.
		assert.deepEqual(await list(billing, { resource: 'subscription', operation: 'create' }), [
			['Mug · Yearly — 1200 JPY / year', yearly.id],
			['Hoodie — 25.00 USD / month', monthly.id],
		]);
		// Typing the product's name finds its prices (products searched by name, then their prices).
		assert.deepEqual(await list(billing, { resource: 'subscription', operation: 'create' }, 'hood'), [['Hoodie — 25.00 USD / month', monthly.id]]);
		// An invoice item and a checkout session in payment mode: one-time prices only.
		assert.deepEqual(await list(billing, { resource: 'invoiceItem', operation: 'create' }), [['Hoodie — 40.00 USD', once.id]]);
		assert.deepEqual(await list(checkout, { resource: 'session', operation: 'create', mode: 'payment' }, 'Hoodie'), [['Hoodie — 40.00 USD', once.id]]);
		// A checkout session in subscription mode may mix both.
		assert.equal((await list(checkout, { resource: 'session', operation: 'create', mode: 'subscription' })).length, 3);
		assert.deepEqual(
			s.requests.map((r) => `${r.method} ${r.path}?${r.rawQuery}`),
			[
				'GET /v1/prices?limit=100&type=recurring&expand[0]=data.product',
				'GET /v1/products/search?query=name~%22hood%22&limit=10',
				`GET /v1/prices/search?limit=100&query=product%3A%22${String(hoodie.id)}%22&expand[0]=data.product`,
				'GET /v1/prices?limit=100&type=one_time&expand[0]=data.product',
				'GET /v1/products/search?query=name~%22Hoodie%22&limit=10',
				`GET /v1/prices/search?limit=100&query=product%3A%22${String(hoodie.id)}%22&expand[0]=data.product`,
				'GET /v1/prices?limit=100&expand[0]=data.product',
			],
		);
	});

	it("subscriptions show the customer and the plan; subscription items are the node's subscription's, or every subscription's", async () => {
		s.reset();
		const [ada] = s.seed('customers', [{ name: 'Ada Lovelace', email: 'ada@example.com' }]);
		const [hoodie] = s.seed('products', [{ name: 'Hoodie' }]);
		const [monthly] = s.seed('prices', [
			{ product: hoodie.id, currency: 'usd', unit_amount: 2500, type: 'recurring', recurring: { interval: 'month', interval_count: 1 } },
		]);
		// Made through the stand-in's API, as stripe-node would: the subscription and its item.
		const made = await fetch(`${s.url}/v1/subscriptions`, {
			method: 'POST',
			headers: { Authorization: 'Bearer sk_test_pickers', 'Content-Type': 'application/x-www-form-urlencoded' },
			body: `customer=${String(ada.id)}&items[0][price]=${String(monthly.id)}&items[0][quantity]=2`,
		});
		const sub = (await made.json()) as { id: string; items: { data: Array<{ id: string }> } };
		const item = sub.items.data[0].id;
		const billing = nodeOf('billing').nodeType;
		const list = async (method: string, parameters: Record<string, unknown>) =>
			(
				(await callNodeMethod({
					nodeType: billing,
					parameters: parameters as never,
					credentials: credentials(),
					kind: 'listSearch',
					method,
				})) as INodeListSearchResult
			).results.map((r) => [r.name, r.value]);
		assert.deepEqual(await list('searchSubscriptions', { resource: 'subscription', operation: 'retrieve' }), [
			['Ada Lovelace <ada@example.com> · active · ' + String(monthly.id) + ' — 25.00 USD / month × 2', sub.id],
		]);
		// Subscription › Update with the subscription picked: its items, with their product.
		assert.deepEqual(
			await list('searchSubscriptionItems', {
				resource: 'subscription',
				operation: 'update',
				subscription_exposed_id: { __rl: true, mode: 'list', value: sub.id },
			}),
			[['Hoodie — 25.00 USD / month · quantity 2', item]],
		);
		// Subscription Item › Update has no subscription field: every subscription's items, after their customer.
		assert.deepEqual(await list('searchSubscriptionItems', { resource: 'subscriptionItem', operation: 'update' }), [
			[`Ada Lovelace <ada@example.com> · ${String(monthly.id)} — 25.00 USD / month · quantity 2`, item],
		]);
	});
});
