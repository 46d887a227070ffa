/**
 * The workflows saved with 0.1.0 (test/fixtures/saved-workflows/) and what each must send: stripe-node's
 * requests for the values the user set. Shared by test/engine/saved-workflows.test.ts (n8n-core's engine)
 * and the end-to-end suite (a real n8n, test/e2e/saved.ts).
 */
import * as path from 'node:path';

import type { CapturedRequest } from './capture';
import { stripeShapedAnswer } from './capture';

const Stripe = require('stripe');

export const SAVED_WORKFLOWS_DIR = path.join(__dirname, '../../../test/fixtures/saved-workflows');
export const API_VERSION = '2024-11-20.acacia';
export const SECRET_KEY = 'sk_test_savedWorkflows0123456789';

export type Sdk = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface Fixture {
	file: string;
	/** What the user set when saving, sent with stripe-node: the requests the saved workflow must send. */
	expected: (sdk: Sdk) => Promise<unknown>;
	/** Items each Stripe node outputs (by node name), where it says something. */
	items?: Record<string, number>;
}

export const FIXTURES_RUN: Fixture[] = [
	{
		file: 'core-customer-create.json',
		expected: (sdk) =>
			sdk.customers.create({
				address: { city: 'Paris', country: 'FR', line1: '1 Rue de Rivoli', postal_code: '75001' },
				description: 'Signed up from the web form',
				email: 'jane@example.com',
				metadata: { source: 'n8n', plan: 'pro' },
				name: 'Jane Doe',
				phone: '+15555550100',
				preferred_locales: ['en', 'fr'],
			}),
	},
	{
		file: 'billing-subscription-create.json',
		expected: (sdk) =>
			sdk.subscriptions.create({
				customer: 'cus_Saved0001',
				items: [
					{ price: 'price_Monthly0001', quantity: 1 },
					{ price: 'price_Seats0001', quantity: 3 },
				],
				collection_method: 'send_invoice',
				days_until_due: 14,
				description: 'Pro plan with 3 seats',
				metadata: { order: 'A-1001' },
			}),
	},
	{
		file: 'checkout-session-create.json',
		expected: (sdk) =>
			sdk.checkout.sessions.create({
				mode: 'payment',
				ui_mode: 'hosted',
				success_url: 'https://example.com/thanks?session={CHECKOUT_SESSION_ID}',
				line_items: [
					{ price: 'price_Basic0001', quantity: 2 },
					{ price: 'price_Addon0001', quantity: 1 },
				],
				allow_promotion_codes: true,
				cancel_url: 'https://example.com/cart',
				client_reference_id: 'order-1001',
				customer_email: 'jane@example.com',
			}),
	},
	{
		file: 'billing-credit-grant-create.json',
		expected: (sdk) =>
			sdk.billing.creditGrants.create({
				amount: { type: 'monetary', monetary: { currency: 'usd', value: 5000 } },
				applicability_config: { scope: { price_type: 'metered' } },
				category: 'promotional',
				customer: 'cus_Saved0001',
				expires_at: 1798761600,
				metadata: { campaign: 'welcome' },
				name: 'Welcome credit',
			}),
	},
	{
		file: 'core-customer-list-return-all.json',
		// Return All: every page, 100 at a time, as stripe-node's auto-pagination asks for them.
		expected: (sdk) => sdk.customers.list({ created: { gte: 1704067200 }, email: 'jane@example.com', limit: 100 }).autoPagingToArray({ limit: 10_000 }),
		items: { 'Get many customers': 3 },
	},
	{
		file: 'core-custom-api-call.json',
		// Saved with n8n's own "Custom API Call" value (`__CUSTOM_API_CALL__`) under a resource and as the resource.
		expected: async (sdk) => {
			await sdk.rawRequest('POST', '/v1/customers', { email: 'jane@example.com', metadata: { source: 'n8n' } });
			await sdk.rawRequest('GET', '/v1/invoice_payments?limit=3');
		},
		items: { 'Create a customer by a custom call': 1, 'List invoice payments by a custom call': 1 },
	},
];

/** Answers: customer lists come in two pages (cus_1, cus_2, then cus_3); everything else as capture.ts does. */
export function answer(req: CapturedRequest): { status: number; body: unknown } {
	const [p, q = ''] = req.url.split('?');
	if (req.method === 'GET' && p === '/v1/customers') {
		const after = new URLSearchParams(q).get('starting_after');
		const data = after ? [{ id: 'cus_3', object: 'customer' }] : [1, 2].map((n) => ({ id: `cus_${n}`, object: 'customer' }));
		return { status: 200, body: { object: 'list', data, has_more: !after, url: p } };
	}
	if (req.method === 'POST' && p === '/v2/core/event_destinations')
		return {
			status: 200,
			body: { id: 'ed_saved_1', object: 'v2.core.event_destination', status: 'enabled', webhook_endpoint: { signing_secret: 'whsec_saved', url: 'x' } },
		};
	return stripeShapedAnswer(req.method, req.url);
}

/** A request as a saved workflow's behaviour is judged: what Stripe receives, not how it is spelled. */
export function wire(req: CapturedRequest) {
	const [p, q = ''] = req.url.split('?');
	const contentType = String(req.headers['content-type'] ?? '');
	const sorted = (text: string) => [...new URLSearchParams(text)].map(([k, v]) => `${k}=${v}`).sort();
	return {
		request: `${req.method} ${p}`,
		query: sorted(q),
		body: contentType.startsWith('application/json') ? JSON.parse(req.body.toString('utf8') || 'null') : sorted(req.body.toString('utf8')),
		contentType,
		stripeVersion: req.headers['stripe-version'],
		stripeAccount: req.headers['stripe-account'],
	};
}

/** stripe-node 17.4.0, sending to the given loopback server. */
export function sdkFor(url: string): Sdk {
	return new Stripe(SECRET_KEY, {
		apiVersion: API_VERSION,
		host: '127.0.0.1',
		port: Number(new URL(url).port),
		protocol: 'http',
		telemetry: false,
	});
}

export function changedMessage(file: string, what: string): string {
	return (
		`The saved workflow test/fixtures/saved-workflows/${file} (saved with version 0.1.0's fields) ${what}. ` +
		'Users who saved such a workflow would see it do something else after updating. Keep the old field name, shape ' +
		'and default working for this node version, or give the change a new node version (README, Versioning). ' +
		'Do not edit the fixture.'
	);
}
