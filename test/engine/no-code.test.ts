/**
 * No-code (issue 13): the common tasks done the way a user clicks them, through n8n's engine, each request
 * compared with what stripe@17.4.0 sends for the same parameters: nested fields (a checkout session's line
 * items, a credit grant's amount), promoted fields and their display conditions, "Using JSON" with a
 * whole-object expression, and bad nested values per item.
 */
import '../harness/engine';

import assert from 'node:assert/strict';
import nock from 'nock';
import { afterAll, beforeAll, beforeEach, describe, it } from '@jest/globals';
import type { INodeParameters, INodeType } from 'n8n-workflow';

import type { ParamSchema } from '../../nodes/shared/model/descriptor';
import { shapeKind } from '../../nodes/shared/fields/shapes';
import { planOperation } from '../../nodes/shared/fields/json-rule';
import { runNode } from '../harness/engine';
import type { HarnessInputItem } from '../harness/engine';
import type { CaptureServer } from '../support/capture';
import { comparable, startCaptureServer } from '../support/capture';
import { FAMILY_NODES } from '../support/families';

const Stripe = require('stripe');

nock.restore();

const KEY = 'sk_test_nocode';
const node = (key: string) => FAMILY_NODES.find((f) => f.key === key)!.nodeType as INodeType;
/** A resource locator's value as the editor stores it when the user picked from the list. */
const picked = (value: string) => ({ __rl: true, mode: 'list', value, cachedResultName: value });

describe('no-code: fields instead of JSON, compared with stripe-node', () => {
	let cap: CaptureServer;
	// eslint-disable-next-line @typescript-eslint/no-explicit-any -- stripe-node is untyped here (required, not imported)
	let sdk: any;
	beforeAll(async () => {
		cap = await startCaptureServer();
		sdk = new Stripe(KEY, {
			apiVersion: '2024-11-20.acacia',
			host: '127.0.0.1',
			port: Number(new URL(cap.url).port),
			protocol: 'http',
			telemetry: false,
		});
	});
	afterAll(async () => {
		await cap.close();
	});
	beforeEach(() => {
		cap.requests.length = 0;
	});

	async function viaNode(key: string, parameters: INodeParameters, inputItems?: HarnessInputItem[], continueOnFail?: boolean, typeVersion?: number) {
		return runNode({
			nodeType: node(key),
			typeVersion,
			parameters,
			credentials: { stripeKeyApi: { secretKey: KEY, baseUrl: cap.url } },
			inputItems,
			continueOnFail,
		});
	}

	/** The node's request and stripe-node's for `params`, compared (the idempotency keys differ, both present). */
	async function sameAsSdk(call: () => Promise<unknown>) {
		const ours = cap.requests.map(comparable);
		cap.requests.length = 0;
		await call();
		assert.deepEqual(ours, cap.requests.map(comparable));
	}

	it('a checkout session with two line items: prices picked from the list, quantities, mode and success URL', async () => {
		const result = await viaNode('checkout', {
			resource: 'session',
			operation: 'create',
			mode: 'payment',
			success_url: 'https://example.com/thanks?session={CHECKOUT_SESSION_ID}',
			line_items: {
				entry: [
					{ price: picked('price_basic'), quantity: 2 },
					{ price: picked('price_addon'), quantity: 1 },
				],
			},
		});
		assert.equal(result.nodeError, undefined, result.nodeError?.message);
		assert.equal(cap.requests.length, 1);
		await sameAsSdk(() =>
			sdk.checkout.sessions.create({
				line_items: [
					{ price: 'price_basic', quantity: 2 },
					{ price: 'price_addon', quantity: 1 },
				],
				mode: 'payment',
				success_url: 'https://example.com/thanks?session={CHECKOUT_SESSION_ID}',
				ui_mode: 'hosted',
			}),
		);
	});

	it('a field shown only for some values of another is not sent when hidden: embedded checkout takes a return URL', async () => {
		const result = await viaNode('checkout', {
			resource: 'session',
			operation: 'create',
			mode: 'setup',
			ui_mode: 'embedded',
			success_url: 'https://example.com/left-over-from-hosted',
			return_url: 'https://example.com/return',
		});
		assert.equal(result.nodeError, undefined, result.nodeError?.message);
		await sameAsSdk(() => sdk.checkout.sessions.create({ mode: 'setup', return_url: 'https://example.com/return', ui_mode: 'embedded' }));
	});

	/** A credit grant as the editor stores its fields, with the amount's Monetary fields `monetary`. */
	// A credit grant as the editor stores it. Node version 1.1: Amount and Applicability Config are collections
	// of their members, open when the operation is chosen; version 1: fixed collections (`{values: {...}}`).
	const creditGrant = (monetary: INodeParameters, version: number): INodeParameters => ({
		resource: 'creditGrant',
		operation: 'create',
		customer: picked('cus_credit'),
		category: 'paid',
		amount: version === 1 ? { values: { type: 'monetary', monetary: { values: monetary } } } : { type: 'monetary', monetary: { values: monetary } },
		applicability_config: version === 1 ? { values: { scope: { values: { price_type: 'metered' } } } } : { scope: { values: { price_type: 'metered' } } },
	});

	for (const version of [1.1, 1]) {
		it(`a credit grant through fields only: amount, currency, applicability scope (node version ${version})`, async () => {
			const result = await viaNode(
				'billing',
				{ ...creditGrant({ currency: 'usd', value: 5000 }, version), additionalFields: { name: 'Starter credits' } },
				undefined,
				false,
				version,
			);
			assert.equal(result.nodeError, undefined, result.nodeError?.message);
			await sameAsSdk(() =>
				sdk.billing.creditGrants.create({
					amount: { monetary: { currency: 'usd', value: 5000 }, type: 'monetary' },
					applicability_config: { scope: { price_type: 'metered' } },
					category: 'paid',
					customer: 'cus_credit',
					name: 'Starter credits',
				}),
			);
		});

		it(`a required nested member left empty is refused before anything is sent, naming item and field (node version ${version})`, async () => {
			const result = await viaNode('billing', creditGrant({ currency: '' }, version), undefined, false, version);
			assert.match(String(result.nodeError?.message), /^Invalid parameter in item 0: "Currency" \(amount\.monetary\.currency\) is required/);
			assert.equal(cap.requests.length, 0);
		});
	}

	it('node version 1.1: a version 1 value of a required object (`{values: {...}}`) is dropped by n8n, and the run stops naming the field', async () => {
		const result = await viaNode('billing', creditGrant({ currency: 'usd', value: 5000 }, 1), undefined, false, 1.1);
		assert.match(String(result.nodeError?.message), /^Invalid parameter in item 0: "Amount" \(amount\) is required/);
		assert.equal(cap.requests.length, 0);
	});

	it('Using JSON: the whole parameter object from an expression, validated like the fields', async () => {
		const subscription = { customer: 'cus_json', items: [{ price: 'price_monthly', quantity: 3 }], metadata: { plan: 'pro' } };
		const result = await viaNode(
			'billing',
			{ resource: 'subscription', operation: 'create', specifyParameters: 'json', parametersJson: '={{ $json.subscription_params }}' },
			[
				{ json: { subscription_params: subscription } },
				{ json: { subscription_params: { ...subscription, items: [{ quantity: 1, price: { id: 'price_x' } }] } } },
			],
			true,
		);
		assert.equal(result.nodeError, undefined, result.nodeError?.message);
		const [ok, bad] = result.items[0];
		assert.equal(ok.json.error, undefined);
		assert.match(String(bad.json.error), /^Invalid parameter in item 1: "Price" \(items\[0\]\.price\) expected text, got \{"id":"price_x"\}/);
		assert.equal(cap.requests.length, 1, 'only the valid item was sent');
		await sameAsSdk(() => sdk.subscriptions.create(subscription));
	});

	it('Using JSON refuses parameters the operation does not have, and a page size (Return All / Limit do that)', async () => {
		const unknown = await viaNode('billing', {
			resource: 'subscription',
			operation: 'create',
			specifyParameters: 'json',
			parametersJson: '{"customer": "cus_1", "itemz": []}',
		});
		assert.match(String(unknown.nodeError?.message), /"Parameters \(JSON\)" \(parametersJson\) "itemz" is not accepted: it is not a parameter of Create/);
		const limit = await viaNode('billing', {
			resource: 'subscription',
			operation: 'list',
			specifyParameters: 'json',
			parametersJson: '{"limit": 3}',
			limit: 5,
		});
		assert.match(String(limit.nodeError?.message), /"limit" is not accepted: set the page size with Return All and Limit/);
		assert.equal(cap.requests.length, 0);
	});

	it('a per-item expression inside a line item: with Continue On Fail the bad item is an error item, the good one is sent', async () => {
		const result = await viaNode(
			'checkout',
			{
				resource: 'session',
				operation: 'create',
				mode: 'payment',
				success_url: 'https://example.com/thanks',
				line_items: { entry: [{ price: picked('price_basic'), quantity: '={{ $json.quantity }}' }] },
			},
			[{ json: { quantity: 2 } }, { json: { quantity: 'lots' } }],
			true,
		);
		assert.equal(result.nodeError, undefined, result.nodeError?.message);
		const errors = result.items[0].filter((i) => i.json.error !== undefined);
		assert.equal(errors.length, 1);
		assert.match(String(errors[0].json.error), /^Invalid parameter in item 1: "Quantity" \(line_items\[0\]\.quantity\) expected a number, got "lots"/);
		assert.equal(cap.requests.length, 1);
		await sameAsSdk(() =>
			sdk.checkout.sessions.create({
				line_items: [{ price: 'price_basic', quantity: 2 }],
				mode: 'payment',
				success_url: 'https://example.com/thanks',
				ui_mode: 'hosted',
			}),
		);
	});

	it("n8n's Custom API Call choice without a path says which field is missing, and sends nothing", async () => {
		const result = await viaNode('core', { resource: 'customer', operation: '__CUSTOM_API_CALL__', customPath: '={{ "" }}' });
		assert.match(String(result.nodeError?.message), /^Invalid parameter in item 0: "Path" \(customPath\) is required/);
		assert.equal(cap.requests.length, 0);
	});

	it('a union is a choice of its shapes: a range for created, or one of two at once refused', async () => {
		const range = await viaNode('core', {
			resource: 'charge',
			operation: 'list',
			returnAll: false,
			limit: 10,
			additionalFields: { created: { object0: { additionalFields: { gte: 1700000000, lt: 1800000000 } } } },
		});
		assert.equal(range.nodeError, undefined, range.nodeError?.message);
		await sameAsSdk(() => sdk.charges.list({ created: { gte: 1700000000, lt: 1800000000 }, limit: 10 }));
		cap.requests.length = 0;
		const both = await viaNode('core', {
			resource: 'charge',
			operation: 'list',
			returnAll: false,
			limit: 10,
			additionalFields: { created: { number: { value: 1700000000 }, object0: { additionalFields: { gte: 1 } } } },
		});
		assert.match(String(both.nodeError?.message), /"Created" \(created\) give one of Date, Range, not Date and Range/);
		assert.equal(cap.requests.length, 0);
	});
});

describe('the JSON rule (README: How operations become fields)', () => {
	const family = (key: string) => FAMILY_NODES.find((f) => f.key === key)!.family;
	const param = (key: string, resource: string, operation: string, name: string) => {
		// The operation as its fields show it: the JSON rule decided for every nested value.
		const op = planOperation(
			family(key)
				.resources.find((r) => r.value === resource)!
				.operations.find((o) => o.value === operation)!,
		);
		return { op, p: op.params.find((x) => x.name === name)! };
	};
	const member = (s: ParamSchema, name: string) => ((s.type === 'array' ? s.items : s) as ParamSchema).members!.find((m) => m.name === name)!;

	it('fields: line items, subscription items, a credit grant amount, a created range, addresses; pickers inside', () => {
		const { op, p: lineItems } = param('checkout', 'session', 'create', 'line_items');
		assert.equal(shapeKind(lineItems), 'list');
		assert.equal(shapeKind(member(lineItems, 'price'), 1, { path: op.path }), 'locator');
		assert.equal(shapeKind(member(lineItems, 'quantity'), 1), 'number');
		assert.equal(shapeKind(member(lineItems, 'adjustable_quantity'), 1), 'group');
		assert.equal(shapeKind(member(lineItems, 'price_data'), 1), 'json', 'the largest member of a line item is JSON');
		assert.equal(shapeKind(param('billing', 'subscription', 'create', 'items').p), 'list');
		const amount = param('billing', 'creditGrant', 'create', 'amount').p;
		assert.equal(shapeKind(amount), 'group');
		assert.equal(shapeKind(member(amount, 'monetary'), 1), 'group');
		assert.equal(shapeKind(param('core', 'charge', 'list', 'created').p), 'choice');
		assert.equal(shapeKind(param('core', 'customer', 'create', 'address').p), 'group');
		const settings = param('billing', 'subscription', 'create', 'payment_settings').p;
		assert.equal(shapeKind(settings), 'group');
		assert.equal(shapeKind(member(settings, 'payment_method_options'), 1), 'json');
		const discounts = param('billing', 'subscription', 'create', 'discounts');
		assert.equal(shapeKind(member(discounts.p, 'coupon'), 1, { path: discounts.op.path }), 'locator', 'a discount entry shows its coupon with a picker');
	});

	it('JSON: too large, open, a `limit` member, test helpers, deprecated and marked operations; long enums nested are text', () => {
		assert.equal(shapeKind(param('core', 'paymentIntent', 'create', 'payment_method_options').p), 'json');
		assert.equal(shapeKind(param('core', 'setupIntent', 'create', 'payment_method_options').p), 'json');
		assert.equal(shapeKind(param('checkout', 'session', 'create', 'payment_method_options').p), 'json');
		assert.equal(shapeKind(param('connect', 'account', 'create', 'company').p), 'json');
		assert.equal(shapeKind(param('connect', 'account', 'create', 'individual').p), 'json');
		assert.equal(shapeKind(member(param('paymentLinks', 'paymentLink', 'create', 'restrictions').p, 'completed_sessions'), 1), 'json');
		assert.equal(shapeKind(param('issuing', 'authorization', 'testHelperCreate', 'merchant_data').p), 'json');
		const configuration = planOperation(
			family('paymentMethods')
				.resources.find((r) => r.value === 'paymentMethodConfiguration')!
				.operations.find((o) => o.value === 'update')!,
		);
		assert.ok(configuration.params.filter((x) => x.type === 'object').every((x) => shapeKind(x) === 'json'));
		const collection = param('checkout', 'session', 'create', 'shipping_address_collection').p;
		assert.equal(shapeKind(member(collection, 'allowed_countries'), 1), 'stringList', 'two hundred countries are a checked text list');
	});
});
