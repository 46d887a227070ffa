/**
 * Issue 20, points 5 and 6, on the wire: a subscription's items changed through fields (an item picked from
 * the list and its quantity changed, an item deleted, a price added), a schedule's phase items, a trial in days,
 * a partial refund, a customer's name and email — each request sent by the node inside n8n's engine, with the
 * values the editor stores for those fields, equal to the request stripe@17.4.0 sends for the same parameters
 * (given in the order Stripe's typings declare them, as the node sends them and the differential test gives them).
 */
import '../harness/engine';

import assert from 'node:assert/strict';
import nock from 'nock';
import { afterAll, beforeAll, beforeEach, describe, it } from '@jest/globals';
import type { INodeParameters, INodeType } from 'n8n-workflow';

import { runNode } from '../harness/engine';
import type { CaptureServer } from '../support/capture';
import { comparable, startCaptureServer } from '../support/capture';
import { FAMILY_NODES } from '../support/families';

const Stripe = require('stripe');

nock.restore();

const KEY = 'sk_test_items';
const node = (key: string) => FAMILY_NODES.find((f) => f.key === key)!.nodeType as INodeType;
/** A resource locator as the editor stores it: picked from the list, typed as an ID, or left empty. */
const picked = (value: string) => ({ __rl: true, mode: 'list', value, cachedResultName: value });
const typed = (value: string) => ({ __rl: true, mode: 'id', value });
const empty = { __rl: true, mode: 'list', value: '' };

describe('subscription items and promoted fields, compared with stripe-node', () => {
	let cap: CaptureServer;
	// eslint-disable-next-line @typescript-eslint/no-explicit-any -- stripe-node is untyped here (required, not imported)
	let sdk: any;
	beforeAll(async () => {
		cap = await startCaptureServer();
		sdk = new Stripe(KEY, { apiVersion: '2024-11-20.acacia', host: '127.0.0.1', port: Number(new URL(cap.url).port), protocol: 'http', telemetry: false });
	});
	afterAll(async () => {
		await cap.close();
	});
	beforeEach(() => {
		cap.requests.length = 0;
	});

	async function viaNode(key: string, parameters: INodeParameters) {
		const result = await runNode({ nodeType: node(key), parameters, credentials: { stripeKeyApi: { secretKey: KEY, baseUrl: cap.url } } });
		assert.equal(result.nodeError, undefined, result.nodeError?.message);
		return result;
	}

	async function sameAsSdk(call: () => Promise<unknown>) {
		const ours = cap.requests.map(comparable);
		assert.equal(ours.length, 1);
		cap.requests.length = 0;
		await call();
		assert.deepEqual(ours, cap.requests.map(comparable));
		cap.requests.length = 0;
		return ours[0];
	}

	it("Subscription › Update: one item's quantity changed, one deleted, a price added — through fields", async () => {
		await viaNode('billing', {
			resource: 'subscription',
			operation: 'update',
			subscription_exposed_id: picked('sub_1'),
			items: {
				entry: [
					// What the editor stores: each entry's shown fields with their defaults (Price empty, Quantity empty).
					{ id: picked('si_1'), price: empty, quantity: 3 },
					{ id: typed('si_2'), price: empty, quantity: '', additionalFields: { deleted: true } },
					{ id: empty, price: picked('price_new'), quantity: 2 },
				],
			},
			additionalFields: { proration_behavior: 'always_invoice' },
		});
		const sent = await sameAsSdk(() =>
			sdk.subscriptions.update('sub_1', {
				items: [
					{ id: 'si_1', quantity: 3 },
					{ deleted: true, id: 'si_2' },
					{ price: 'price_new', quantity: 2 },
				],
				proration_behavior: 'always_invoice',
			}),
		);
		assert.equal(sent.url, '/v1/subscriptions/sub_1');
	});

	it('Subscription › Update: changing only an item leaves its quantity alone (Quantity starts empty, nothing preset)', async () => {
		await viaNode('billing', {
			resource: 'subscription',
			operation: 'update',
			subscription_exposed_id: picked('sub_1'),
			items: { entry: [{ id: picked('si_1'), price: empty, quantity: '', additionalFields: { metadata: { entries: [{ key: 'seat', value: 'a' }] } } }] },
		});
		const sent = await sameAsSdk(() => sdk.subscriptions.update('sub_1', { items: [{ id: 'si_1', metadata: { seat: 'a' } }] }));
		assert.doesNotMatch(String(sent.body), /quantity/);
	});

	it('Subscription Schedule › Update: a phase with its items as fields', async () => {
		await viaNode('billing', {
			resource: 'subscriptionSchedule',
			operation: 'update',
			schedule: picked('sub_sched_1'),
			phases: {
				entry: [
					{ items: { entry: [{ price: picked('price_a'), quantity: 2 }] }, additionalFields: { iterations: 12 } },
					{ items: { entry: [{ price: picked('price_b'), quantity: 1 }] } },
				],
			},
		});
		await sameAsSdk(() =>
			sdk.subscriptionSchedules.update('sub_sched_1', {
				phases: [{ items: [{ price: 'price_a', quantity: 2 }], iterations: 12 }, { items: [{ price: 'price_b', quantity: 1 }] }],
			}),
		);
	});

	it('Subscription › Create with a 14-day trial (Trial Period Days is a field of its own)', async () => {
		await viaNode('billing', {
			resource: 'subscription',
			operation: 'create',
			customer: picked('cus_1'),
			items: { entry: [{ price: picked('price_monthly'), quantity: 1 }] },
			trial_period_days: 14,
		});
		await sameAsSdk(() => sdk.subscriptions.create({ customer: 'cus_1', items: [{ price: 'price_monthly', quantity: 1 }], trial_period_days: 14 }));
	});

	it('Refund › Create: a partial refund (Amount a field of its own), and a full one leaves it empty', async () => {
		await viaNode('core', { resource: 'refund', operation: 'create', payment_intent: picked('pi_1'), charge: empty, amount: 500 });
		await sameAsSdk(() => sdk.refunds.create({ amount: 500, payment_intent: 'pi_1' }));
		await viaNode('core', { resource: 'refund', operation: 'create', payment_intent: picked('pi_1'), charge: empty, amount: '' });
		await sameAsSdk(() => sdk.refunds.create({ payment_intent: 'pi_1' }));
	});

	it('Customer › Create: Name and Email at the top', async () => {
		await viaNode('core', { resource: 'customer', operation: 'create', name: 'Jenny Rosen', email: 'jennyrosen@example.com' });
		await sameAsSdk(() => sdk.customers.create({ email: 'jennyrosen@example.com', name: 'Jenny Rosen' }));
	});

	it('Payment Link › Create: the first line item is open; its Price and Quantity typed', async () => {
		// What the editor stores once the user fills the entry it shows.
		await viaNode('paymentLinks', { resource: 'paymentLink', operation: 'create', line_items: { entry: [{ price: picked('price_1'), quantity: 2 }] } });
		await sameAsSdk(() => sdk.paymentLinks.create({ line_items: [{ price: 'price_1', quantity: 2 }] }));
	});

	it("Payment Link › Create left as it opens: an error naming the first line item's Price, nothing sent", async () => {
		const result = await runNode({
			nodeType: node('paymentLinks'),
			parameters: { resource: 'paymentLink', operation: 'create' },
			credentials: { stripeKeyApi: { secretKey: KEY, baseUrl: cap.url } },
		});
		assert.match(String(result.nodeError?.message), /"Price" \(line_items\[0\]\.price\) is required/);
		assert.equal(cap.requests.length, 0);
	});

	it('Customer › Create: an address added in one step, all its lines shown, empty ones not sent', async () => {
		await viaNode('core', {
			resource: 'customer',
			operation: 'create',
			name: 'Jenny Rosen',
			additionalFields: { address: { values: { city: 'Berlin', country: 'DE', line1: 'Unter den Linden 1', line2: '', postal_code: '10117', state: '' } } },
		});
		await sameAsSdk(() =>
			sdk.customers.create({ address: { city: 'Berlin', country: 'DE', line1: 'Unter den Linden 1', postal_code: '10117' }, name: 'Jenny Rosen' }),
		);
	});
});
