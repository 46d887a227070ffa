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
import { afterAll, beforeAll, beforeEach, describe, it } from '@jest/globals';
import type { INodeParameters, INodeProperties, INodeType } from 'n8n-workflow';

import type { ParamSchema } from '../../nodes/shared/model/descriptor';
import { runNode } from '../harness/engine';
import type { CaptureServer } from '../support/capture';
import { comparable, startCaptureServer } from '../support/capture';
import { FAMILY_NODES } from '../support/families';
import { operationPanel } from '../support/panel';

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
				const own = operationPanel(props, r.value, op.value) as Prop[];
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

	it("every number field starts empty or at Stripe's own default, never at a 0 nobody chose", () => {
		const numbers = allFields().filter(({ field }) => field.type === 'number');
		assert.ok(numbers.length > 200, `${numbers.length} number fields`);
		const wrong = numbers
			.filter(({ schema }) => schema.name !== 'limit') // n8n's Limit of a Get Many (50), not a Stripe parameter's value
			.filter(({ schema, field }) => field.default !== '' && field.default !== schema.default)
			.map(({ where, field }) => `${where}: default ${JSON.stringify(field.default)}`);
		assert.deepEqual(wrong.slice(0, 10), [], `${wrong.length} number fields preset`);
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

/** Every field of every operation at any depth, with its Stripe parameter or member. */
function allFields(): Array<{ where: string; schema: ParamSchema; field: Prop }> {
	const out: Array<{ where: string; schema: ParamSchema; field: Prop }> = [];
	const pair = (schema: ParamSchema, field: Prop, where: string) => {
		out.push({ where, schema, field });
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
				const own = operationPanel(props, r.value, op.value) as Prop[];
				const fields = [...own.filter((p) => p.name !== 'additionalFields'), ...own.filter((p) => p.name === 'additionalFields').flatMap(childFields)];
				for (const p of op.params) {
					const field = fields.find((f) => f.name === p.name);
					if (field) pair(p, field, `${family.family}/${r.value}/${op.value} ${p.name}`);
				}
			}
	}
	return out;
}

describe('field values: dates are dates', () => {
	const fields = allFields();
	/**
	 * Timestamps, recognised here from Stripe's words and the names the issue lists, not the generator's rule:
	 * numbers Stripe calls a "Unix timestamp" / "timestamp" / "seconds since the Unix epoch", and the created,
	 * trial end, expiry, due-date, cancel-at and billing-cycle-anchor filters and parameters.
	 */
	const NAMES = ['created', 'trial_end', 'expires_at', 'due_date', 'cancel_at', 'billing_cycle_anchor', 'redeem_by', 'effective_at'];
	const takesNumber = (s: ParamSchema) => s.type === 'number' || (s.type === 'union' && !!s.anyOf?.some((a) => a.type === 'number'));
	const timestamps = fields.filter(
		({ schema }) =>
			takesNumber(schema) &&
			schema.name !== 'quantity' &&
			(NAMES.includes(schema.name) || /unix timestamp|seconds since the unix epoch|\btimestamp\b/i.test(schema.description ?? '')),
	);
	/** A date field: dateTime itself, or a choice whose Date option holds a dateTime field (next to `now` or a range). */
	const isDateField = (f: Prop) =>
		f.type === 'dateTime' ||
		(f.type === 'fixedCollection' &&
			(f.options as unknown as Array<{ displayName: string; values: Prop[] }>).some((o) => o.displayName === 'Date' && o.values[0]?.type === 'dateTime'));

	it('every timestamp parameter, top-level and nested, is an n8n date-time field', () => {
		assert.ok(timestamps.length > 80, `${timestamps.length} timestamp fields`);
		const notDates = timestamps.filter(({ field }) => !isDateField(field));
		assert.deepEqual(
			notDates.slice(0, 10).map(({ where, field }) => `${where}: ${field.type}`),
			[],
			`${notDates.length} of ${timestamps.length} timestamps are not date fields`,
		);
	});

	it("a created range's bounds are date-time fields; Stripe's special values stay choosable", () => {
		const created = fields.find((f) => f.where === 'core/charge/list created')!.field;
		const range = (created.options as unknown as Array<{ displayName: string; values: Prop[] }>).find((o) => o.displayName === 'Range')!;
		const bounds = range.values.flatMap((v) => (v.name === 'additionalFields' ? (v.options as Prop[]) : [v]));
		assert.deepEqual(bounds.map((b) => `${b.name}:${b.type}:${b.displayName}`).sort(), [
			'gt:dateTime:After',
			'gte:dateTime:On or After',
			'lt:dateTime:Before',
			'lte:dateTime:On or Before',
		]);
		const choices = (where: string) =>
			(fields.find((f) => f.where === where)!.field.options as unknown as Array<{ displayName: string; values: Prop[] }>).map(
				(o) =>
					`${o.displayName}: ${o.values[0].type}${o.values[0].options ? ` ${(o.values[0].options as Array<{ value: string }>).map((x) => x.value).join('/')}` : ''}`,
			);
		assert.deepEqual(choices('billing/subscription/create trial_end'), ['Now: options now', 'Date: dateTime']);
		assert.deepEqual(choices('billing/subscription/update trial_end'), ['Now: options now', 'Date: dateTime']);
		const anchor = fields.find((f) => f.where === 'billing/subscription/update billing_cycle_anchor')!.field;
		assert.deepEqual((anchor.options as unknown as Array<{ value: string }>).map((o) => o.value).sort(), ['', 'now', 'unchanged']);
		assert.deepEqual(choices('billing/subscriptionSchedule/create start_date'), ['Now: options now', 'Date: dateTime']);
	});
});

describe('field values: on the wire, compared with stripe-node', () => {
	const KEY = 'sk_test_fieldvalues';
	const node = (key: string) => FAMILY_NODES.find((f) => f.key === key)!.nodeType as INodeType;
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
		return runNode({ nodeType: node(key), parameters, credentials: { stripeKeyApi: { secretKey: KEY, baseUrl: cap.url } } });
	}

	async function sameAsSdk(call: () => Promise<unknown>) {
		const ours = cap.requests.map(comparable);
		cap.requests.length = 0;
		await call();
		assert.deepEqual(ours, cap.requests.map(comparable));
	}

	/** A subscription create as the editor stores it, with `additionalFields`. */
	const subscription = (additionalFields: INodeParameters, own: INodeParameters = {}) => ({
		resource: 'subscription',
		operation: 'create',
		customer: { __rl: true, mode: 'id', value: 'cus_123' },
		items: { entry: [{ price: { __rl: true, mode: 'id', value: 'price_123' }, quantity: 1 }] },
		...own,
		additionalFields,
	});

	it("a trial end picked as a date is read in the workflow's time zone and sent as stripe-node sends that Date", async () => {
		// What n8n's date picker stores: the wall-clock time without a zone.
		const result = await runNode({
			nodeType: node('billing'),
			parameters: subscription({ trial_end: { number: { value: '2025-07-01T12:30:00' } } }, { trial_period_days: 14 }),
			credentials: { stripeKeyApi: { secretKey: KEY, baseUrl: cap.url } },
			settings: { timezone: 'Europe/Berlin' },
		});
		assert.equal(result.nodeError, undefined, result.nodeError?.message);
		// 12:30 in Berlin on 1 July 2025 (summer time, UTC+2) is 10:30 UTC.
		await sameAsSdk(() =>
			sdk.subscriptions.create({
				customer: 'cus_123',
				items: [{ price: 'price_123', quantity: 1 }],
				trial_end: new Date(Date.UTC(2025, 6, 1, 10, 30, 0)),
				trial_period_days: 14,
			}),
		);
	});

	it('ISO text with an offset, Unix seconds and `now` are taken as they are', async () => {
		for (const [given, sent] of [
			['2025-03-09T08:00:00-05:00', new Date(Date.UTC(2025, 2, 9, 13, 0, 0))],
			[1751365800, 1751365800],
			['1751365800', 1751365800],
		] as const) {
			cap.requests.length = 0;
			const result = await viaNode('billing', subscription({ trial_end: { number: { value: given } } }));
			assert.equal(result.nodeError, undefined, result.nodeError?.message);
			await sameAsSdk(() => sdk.subscriptions.create({ customer: 'cus_123', items: [{ price: 'price_123', quantity: 1 }], trial_end: sent }));
		}
		cap.requests.length = 0;
		const now = await viaNode('billing', subscription({ trial_end: { value0: { value: 'now' } } }));
		assert.equal(now.nodeError, undefined, now.nodeError?.message);
		await sameAsSdk(() => sdk.subscriptions.create({ customer: 'cus_123', items: [{ price: 'price_123', quantity: 1 }], trial_end: 'now' }));
	});

	it('a date field added but left empty, or Trial End with neither Now nor Date picked, sends nothing', async () => {
		const result = await viaNode('billing', subscription({ trial_end: {}, cancel_at: '' }));
		assert.equal(result.nodeError, undefined, result.nodeError?.message);
		await sameAsSdk(() => sdk.subscriptions.create({ customer: 'cus_123', items: [{ price: 'price_123', quantity: 1 }] }));
	});

	it('a number added under Additional Fields and left empty sends nothing; 0 typed in is sent', async () => {
		const result = await viaNode('billing', subscription({ application_fee_percent: '', days_until_due: '' }));
		assert.equal(result.nodeError, undefined, result.nodeError?.message);
		await sameAsSdk(() => sdk.subscriptions.create({ customer: 'cus_123', items: [{ price: 'price_123', quantity: 1 }] }));
		cap.requests.length = 0;
		const zero = await viaNode('billing', subscription({ days_until_due: 0 }));
		assert.equal(zero.nodeError, undefined, zero.nodeError?.message);
		await sameAsSdk(() => sdk.subscriptions.create({ customer: 'cus_123', days_until_due: 0, items: [{ price: 'price_123', quantity: 1 }] }));
	});

	it('a metadata entry with an empty value is sent empty, as stripe-node sends a key to remove', async () => {
		const result = await viaNode('core', {
			resource: 'customer',
			operation: 'update',
			customer: { __rl: true, mode: 'id', value: 'cus_123' },
			metadata: { entries: [{ key: 'order_id', value: '' }] },
		});
		assert.equal(result.nodeError, undefined, result.nodeError?.message);
		await sameAsSdk(() => sdk.customers.update('cus_123', { metadata: { order_id: '' } }));
	});

	it('a created range from expressions: a Luxon DateTime and a JS Date', async () => {
		const result = await viaNode('core', {
			resource: 'charge',
			operation: 'list',
			returnAll: false,
			limit: 10,
			additionalFields: {
				created: {
					object0: {
						additionalFields: {
							gte: "={{ DateTime.fromISO('2025-01-15T00:00:00', { zone: 'America/New_York' }) }}",
							lt: "={{ new Date('2025-02-01T00:00:00.900Z') }}",
						},
					},
				},
			},
		});
		assert.equal(result.nodeError, undefined, result.nodeError?.message);
		await sameAsSdk(() =>
			sdk.charges.list({ created: { gte: new Date(Date.UTC(2025, 0, 15, 5, 0, 0)), lt: new Date(Date.UTC(2025, 1, 1, 0, 0, 0, 900)) }, limit: 10 }),
		);
	});

	it('a bad date is refused before anything is sent, naming the item and the field', async () => {
		const result = await viaNode('billing', subscription({ trial_end: { number: { value: 'the day after tomorrow' } } }));
		assert.match(
			String(result.nodeError?.message),
			/^Invalid parameter in item 0: "Trial End" \(trial_end\) "the day after tomorrow" is not a date: give a date and time/,
		);
		assert.equal(cap.requests.length, 0);
		const millis = await viaNode('billing', subscription({ cancel_at: '={{ 1751365800000 }}' }));
		assert.match(String(millis.nodeError?.message), /"Cancel At" \(cancel_at\) 1751365800000 looks like milliseconds/);
		assert.equal(cap.requests.length, 0);
	});

	it('a refund with Reason added but left at "(Not Set)" sends no reason', async () => {
		const result = await viaNode('core', {
			resource: 'refund',
			operation: 'create',
			payment_intent: { __rl: true, mode: 'id', value: 'pi_123' },
			amount: 500,
			additionalFields: { reason: '' },
		});
		assert.equal(result.nodeError, undefined, result.nodeError?.message);
		await sameAsSdk(() => sdk.refunds.create({ amount: 500, payment_intent: 'pi_123' }));
	});

	it('a nested dropdown left at "(Not Set)" is not sent; a chosen one is', async () => {
		let result = await viaNode('core', {
			resource: 'customer',
			operation: 'create',
			name: 'Jane',
			additionalFields: { invoice_settings: { rendering_options: { amount_tax_display: '' }, footer: 'Thanks' } },
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
