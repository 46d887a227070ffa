/**
 * Field values (issue 20): what a field shows when the user adds it, and what reaches the wire.
 *
 * No silent presets: an optional dropdown shows Stripe's own default where Stripe's doc comment states one,
 * otherwise "(Not Set)", which sends nothing. Checked over every choice field of every operation, and on the
 * wire against stripe@17.4.0.
 */
import '../harness/engine';

import assert from 'node:assert/strict';
import nock from 'nock';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { INodeParameters, INodeProperties, INodeType } from 'n8n-workflow';

import type { ParamSchema } from '../../nodes/shared/descriptor-types';
import { runNode } from '../harness/engine';
import type { CaptureServer } from '../support/capture';
import { comparable, startCaptureServer } from '../support/capture';
import { FAMILY_NODES } from '../support/families';

const Stripe = require('stripe');

nock.restore();

type Prop = INodeProperties & { values?: Prop[]; options?: Prop[] };

/** The fields directly inside a field: its options and fixed-collection values, through "Additional Fields". */
function childFields(p: Prop): Prop[] {
	const out: Prop[] = [];
	for (const o of (p.options ?? []) as Prop[]) {
		if (!o || typeof o !== 'object') continue;
		if (Array.isArray(o.values)) out.push(...childFields({ options: o.values } as Prop));
		else if (typeof o.type === 'string' && o.name === 'additionalFields') out.push(...childFields(o));
		else if (typeof o.type === 'string') out.push(o);
	}
	return out;
}

function membersOf(schema: Omit<ParamSchema, 'name'>): ParamSchema[] {
	if (schema.type === 'object') return schema.members ?? [];
	if (schema.type === 'array' && schema.items?.type === 'object') return schema.items.members ?? [];
	if (schema.type === 'union') return (schema.anyOf ?? []).flatMap((a) => (a.type === 'object' ? (a.members ?? []) : []));
	return [];
}

/** Every choice field of every operation at any depth, with its Stripe parameter or member. */
function choiceFields(): Array<{ where: string; schema: ParamSchema; field: Prop }> {
	const out: Array<{ where: string; schema: ParamSchema; field: Prop }> = [];
	const pair = (schema: ParamSchema, field: Prop, where: string) => {
		if (field.type === 'options') out.push({ where, schema, field });
		if (field.type === 'json') return;
		const children = childFields(field);
		for (const m of membersOf(schema)) {
			const child = children.find((c) => c.name === m.name);
			if (child) pair(m, child, `${where}.${m.name}`);
		}
	};
	for (const { nodeType, family } of FAMILY_NODES) {
		const props = nodeType.description.properties as Prop[];
		for (const r of family.resources)
			for (const op of r.operations) {
				const own = props.filter((p) => p.displayOptions?.show?.resource?.includes(r.value) && p.displayOptions?.show?.operation?.includes(op.value));
				const fields = [...own.filter((p) => p.name !== 'additionalFields'), ...own.filter((p) => p.name === 'additionalFields').flatMap(childFields)];
				for (const p of op.params) {
					const field = fields.find((f) => f.name === p.name);
					if (field) pair(p, field, `${family.family}/${r.value}/${op.value} ${p.name}`);
				}
			}
	}
	return out;
}

/** Stripe's documented default, read from its words here ("Defaults to `x`", "default is `x`", "defaults to x"). */
function documentedDefault(schema: ParamSchema): string | undefined {
	const text = schema.description ?? '';
	for (const m of text.matchAll(/default(?:s| value)? (?:to|is) `?([a-z0-9_/.-]+?)`?(?=[\s.,;)]|$)( for\b)?/gi))
		if (!m[2] && schema.enum?.includes(m[1])) return m[1];
	return undefined;
}

describe('field values: no silent presets', () => {
	const choices = choiceFields();
	const optional = choices.filter(({ schema }) => !schema.required);

	it('every optional choice field shows Stripe\'s documented default, or "(Not Set)" with the value nothing is sent for', () => {
		assert.ok(optional.length > 200, `${optional.length} optional choice fields`);
		const wrong: string[] = [];
		for (const { where, schema, field } of optional) {
			const values = (field.options as Array<{ name: string; value: unknown }>).map((o) => o.value);
			const expected = schema.default ?? documentedDefault(schema) ?? '';
			if (field.default !== expected) wrong.push(`${where}: default ${JSON.stringify(field.default)}, expected ${JSON.stringify(expected)}`);
			if (!values.includes(field.default)) wrong.push(`${where}: default ${JSON.stringify(field.default)} is not one of the choices`);
			if (expected === '' && (field.options as Array<{ name: string; value: unknown }>).find((o) => o.value === '')?.name !== '(Not Set)')
				wrong.push(`${where}: no "(Not Set)" choice`);
		}
		assert.deepEqual(wrong.slice(0, 10), [], `${wrong.length} problems`);
	});

	it("the issue's examples: Checkout Locale, Refund Reason, Proration Behavior", () => {
		const find = (where: string) => choices.find((c) => c.where === where)?.field.default;
		assert.equal(find('checkout/session/create locale'), '');
		assert.equal(find('core/refund/create reason'), '');
		assert.equal(find('billing/subscription/update proration_behavior'), 'create_prorations');
		assert.equal(find('billing/subscription/create proration_behavior'), 'create_prorations');
	});

	it("a few documented defaults are found (the test reads Stripe's words, not the code's rule)", () => {
		const defaults = optional.filter(({ field }) => field.default !== '');
		assert.ok(defaults.length > 40, `${defaults.length} choice fields show a Stripe default`);
	});
});

describe('field values: on the wire, compared with stripe-node', () => {
	const KEY = 'sk_test_fieldvalues';
	const node = (key: string) => FAMILY_NODES.find((f) => f.key === key)!.nodeType as INodeType;
	let cap: CaptureServer;
	// eslint-disable-next-line @typescript-eslint/no-explicit-any -- stripe-node is untyped here (required, not imported)
	let sdk: any;
	before(async () => {
		cap = await startCaptureServer();
		sdk = new Stripe(KEY, { apiVersion: '2024-11-20.acacia', host: '127.0.0.1', port: Number(new URL(cap.url).port), protocol: 'http', telemetry: false });
	});
	after(async () => {
		await cap.close();
	});
	beforeEach(() => {
		cap.requests.length = 0;
	});

	async function viaNode(key: string, parameters: INodeParameters) {
		return runNode({ nodeType: node(key), parameters, credentials: { stripeKeyApi: { secretKey: KEY, baseUrl: cap.url } } });
	}

	async function sameAsSdk(call: () => Promise<unknown>) {
		const ours = cap.requests.map(comparable);
		cap.requests.length = 0;
		await call();
		assert.deepEqual(ours, cap.requests.map(comparable));
	}

	it('a refund with Reason added but left at "(Not Set)" sends no reason', async () => {
		const result = await viaNode('core', {
			resource: 'refund',
			operation: 'create',
			payment_intent: { __rl: true, mode: 'id', value: 'pi_123' },
			additionalFields: { reason: '', amount: 500 },
		});
		assert.equal(result.nodeError, undefined, result.nodeError?.message);
		await sameAsSdk(() => sdk.refunds.create({ amount: 500, payment_intent: 'pi_123' }));
	});

	it('a nested dropdown left at "(Not Set)" is not sent; a chosen one is', async () => {
		let result = await viaNode('core', {
			resource: 'customer',
			operation: 'create',
			additionalFields: { name: 'Jane', invoice_settings: { rendering_options: { amount_tax_display: '' }, footer: 'Thanks' } },
		});
		assert.equal(result.nodeError, undefined, result.nodeError?.message);
		await sameAsSdk(() => sdk.customers.create({ invoice_settings: { footer: 'Thanks', rendering_options: {} }, name: 'Jane' }));
		cap.requests.length = 0;
		result = await viaNode('core', {
			resource: 'customer',
			operation: 'create',
			additionalFields: { invoice_settings: { rendering_options: { amount_tax_display: 'exclude_tax' } } },
		});
		assert.equal(result.nodeError, undefined, result.nodeError?.message);
		await sameAsSdk(() => sdk.customers.create({ invoice_settings: { rendering_options: { amount_tax_display: 'exclude_tax' } } }));
	});

	it("a subscription update with Proration Behavior added sends what it shows, Stripe's default", async () => {
		const result = await viaNode('billing', {
			resource: 'subscription',
			operation: 'update',
			subscription_exposed_id: { __rl: true, mode: 'id', value: 'sub_123' },
			additionalFields: { proration_behavior: 'create_prorations' },
		});
		assert.equal(result.nodeError, undefined, result.nodeError?.message);
		await sameAsSdk(() => sdk.subscriptions.update('sub_123', { proration_behavior: 'create_prorations' }));
	});
});
