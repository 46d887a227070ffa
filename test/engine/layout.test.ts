/**
 * Layout (issue 20, point 5): in the built node descriptions, the parameters Stripe's API reference fills in
 * its request examples for the most-used operations are fields of their own (top level), not entries among
 * "Additional Fields"; and list and search operations call their optional parameters "Filters", as n8n's own
 * nodes do. The expected tables are Stripe's (docs.stripe.com/api, each operation's example request, and the
 * parameters the issue names), not read from the package's overrides.
 */
import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import type { INodeProperties } from 'n8n-workflow';

import { FAMILY_NODES } from '../support/families';
import { operationPanel } from '../support/panel';

function panel(family: string, resource: string, operation: string): INodeProperties[] {
	const node = FAMILY_NODES.find((f) => f.key === family);
	assert.ok(node, family);
	return operationPanel(node.nodeType.description.properties, resource, operation);
}

/** [family, resource, operation, parameters the reference's example (or the issue) fills]. */
const TOP_LEVEL: Array<[string, string, string, string[]]> = [
	// curl /v1/customers -d name="Jenny Rosen" -d email="jennyrosen@example.com"
	['core', 'customer', 'create', ['name', 'email']],
	['core', 'customer', 'update', ['customer', 'metadata']],
	['core', 'paymentIntent', 'create', ['amount', 'currency', 'automatic_payment_methods']],
	['core', 'paymentIntent', 'confirm', ['intent', 'payment_method', 'return_url']],
	// A refund of a charge or payment intent, and a partial refund's amount (the issue).
	['core', 'refund', 'create', ['charge', 'payment_intent', 'amount']],
	['products', 'product', 'create', ['name']],
	['products', 'price', 'create', ['currency', 'unit_amount', 'recurring', 'product']],
	['products', 'coupon', 'create', ['duration', 'duration_in_months', 'percent_off', 'amount_off', 'currency', 'name']],
	['products', 'promotionCode', 'create', ['coupon', 'code']],
	['checkout', 'session', 'create', ['mode', 'success_url', 'line_items']],
	['paymentLinks', 'paymentLink', 'create', ['line_items']],
	// curl /v1/subscriptions -d customer=… -d "items[0][price]"=…; trial days (the issue).
	['billing', 'subscription', 'create', ['customer', 'items', 'trial_period_days']],
	['billing', 'subscription', 'update', ['subscription_exposed_id', 'items', 'metadata']],
	['billing', 'subscription', 'cancel', ['subscription_exposed_id']],
	['billing', 'invoice', 'create', ['customer']],
	['billing', 'invoice', 'sendInvoice', ['invoice']],
	['billing', 'invoice', 'finalizeInvoice', ['invoice']],
	['billing', 'invoice', 'pay', ['invoice']],
	['billing', 'invoiceItem', 'create', ['customer', 'price']],
	['billing', 'meterEvent', 'create', ['event_name', 'payload']],
	['connect', 'transfer', 'create', ['amount', 'currency', 'destination']],
];

describe('layout: what people fill is where they look', () => {
	for (const [family, resource, operation, names] of TOP_LEVEL) {
		it(`${family} ${resource} › ${operation}: ${names.join(', ')} are fields of their own`, () => {
			const fields = panel(family, resource, operation);
			for (const name of names)
				assert.ok(
					fields.some((p) => p.name === name),
					`${name} is a top-level field`,
				);
			const more = fields.find((p) => p.name === 'additionalFields')?.options as INodeProperties[] | undefined;
			for (const name of names) assert.ok(!more?.some((p) => p.name === name), `${name} is not also under Additional Fields`);
		});
	}

	it('a promoted number is empty until the user types one (nothing sent behind their back)', () => {
		for (const [family, resource, operation, name] of [
			['core', 'refund', 'create', 'amount'],
			['billing', 'subscription', 'create', 'trial_period_days'],
			['products', 'coupon', 'create', 'percent_off'],
		]) {
			const field = panel(family, resource, operation).find((p) => p.name === name);
			assert.equal(field?.type, 'number');
			assert.equal(field?.default, '', `${resource}.${operation} ${name}`);
		}
		// Stripe's own default for a coupon's duration is "once" (docs.stripe.com/api/coupons/create).
		assert.equal(panel('products', 'coupon', 'create').find((p) => p.name === 'duration')?.default, 'once');
		// Duration In Months only for a repeating coupon.
		assert.deepEqual(panel('products', 'coupon', 'create').find((p) => p.name === 'duration_in_months')?.displayOptions?.show?.duration, ['repeating']);
	});

	it('every list and search operation calls its optional parameters "Filters" ("Add Filter"); other operations "Additional Fields"', () => {
		let lists = 0;
		for (const { family, nodeType } of FAMILY_NODES) {
			for (const r of family.resources) {
				for (const op of r.operations) {
					const more = panel(family.family, r.value, op.value).find((p) => p.name === 'additionalFields');
					if (!more) continue;
					const paged = op.kind === 'list' || op.kind === 'search' || op.kind === 'v2list';
					if (paged) lists++;
					assert.equal(more.displayName, paged ? 'Filters' : 'Additional Fields', `${nodeType.description.name} ${r.value}.${op.value}`);
					assert.equal(more.placeholder, paged ? 'Add Filter' : 'Add Field');
				}
			}
		}
		assert.ok(lists > 120, `${lists} list operations with filters`);
		const customerList = panel('core', 'customer', 'list').find((p) => p.name === 'additionalFields');
		assert.ok((customerList?.options as INodeProperties[]).some((p) => p.name === 'email'));
	});

	it('a required list starts with its first entry open; required objects are marked required', () => {
		const lineItems = panel('paymentLinks', 'paymentLink', 'create').find((p) => p.name === 'line_items');
		assert.equal(lineItems?.required, true);
		assert.deepEqual(lineItems?.default, { entry: [{ price: { __rl: true, mode: 'list', value: '' }, quantity: '' }] });
		const fields = panel('billing', 'creditGrant', 'create');
		for (const name of ['amount', 'applicability_config']) assert.equal(fields.find((p) => p.name === name)?.required, true, name);
	});

	it("an address is added in one step with all its lines (as n8n's own Stripe node offers it)", () => {
		const more = panel('core', 'customer', 'create').find((p) => p.name === 'additionalFields')?.options as INodeProperties[];
		const address = more.find((p) => p.name === 'address');
		assert.equal(address?.type, 'fixedCollection');
		assert.equal(address?.placeholder, 'Add Address');
		const lines = (address?.options as Array<{ values: INodeProperties[] }>)[0].values.map((v) => v.name);
		assert.deepEqual(lines, ['city', 'country', 'line1', 'line2', 'postal_code', 'state']);
	});

	it('path ID labels name the object, never an internal name or "ID ID"', () => {
		const label = (family: string, resource: string, operation: string, name: string) =>
			panel(family, resource, operation).find((p) => p.name === name)?.displayName;
		assert.equal(label('billing', 'subscription', 'update', 'subscription_exposed_id'), 'Subscription ID');
		assert.equal(label('billing', 'subscription', 'cancel', 'subscription_exposed_id'), 'Subscription ID');
		assert.equal(label('billing', 'subscription', 'retrieve', 'subscription_exposed_id'), 'Subscription ID');
		assert.equal(label('core', 'paymentIntent', 'retrieve', 'intent'), 'Payment Intent ID');
		assert.equal(label('billing', 'taxId', 'retrieveTaxId', 'id'), 'Tax ID');
		assert.equal(label('connect', 'transferReversal', 'retrieveReversal', 'id'), 'Transfer Reversal ID');
		for (const { nodeType } of FAMILY_NODES)
			for (const p of nodeType.description.properties) {
				assert.doesNotMatch(p.displayName, /\bID ID\b|Exposed/, `${nodeType.description.name} ${p.name}`);
			}
	});
});
