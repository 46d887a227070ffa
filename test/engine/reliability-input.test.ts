/**
 * Bad input (issue 7), for every field shape the descriptors produce (shapeKind in nodes/shared/fields/shapes/kind.ts):
 * for each shape the first operation (over all family nodes) with a parameter of that shape — as a top-level
 * required field and inside Additional Fields — is run through n8n's engine with wrong values. Each must fail
 * with an error naming the item and the field before anything is sent; with Continue On Fail the valid item
 * next to it is still sent. Path IDs, Limit and Request Options are covered too.
 */
import '../harness/engine';

import assert from 'node:assert/strict';
import { afterAll, beforeAll, beforeEach, describe, it } from '@jest/globals';
import nock from 'nock';
import type { IDataObject, INodeParameters, INodeType } from 'n8n-workflow';

import type { OperationDescriptor, ParamSchema } from '../../nodes/shared/model/descriptor';
import { labelOf, optionalParams, requiredParams } from '../../nodes/shared/fields/properties';
import type { ShapeKind } from '../../nodes/shared/fields/shapes';
import { property, shapeKind } from '../../nodes/shared/fields/shapes';
import { planOperation } from '../../nodes/shared/fields/json-rule';
import { write } from '../support/write';
import { runNode } from '../harness/engine';
import type { HarnessInputItem } from '../harness/engine';
import type { CaptureServer } from '../support/capture';
import { startCaptureServer } from '../support/capture';
import { FAMILY_NODES } from '../support/families';
import { casesFor, fieldValue, sampleValue } from '../support/samples';

// Real loopback sockets: nock's interception would get in the way.
nock.restore();

const SECRET = 'sk_test_51InputValidationSecret0123456789';

/** A finer shape than shapeKind: text maps and object maps, scalar unions, behave differently. */
type Kind = ShapeKind | 'keyValue:map' | 'json:objectMap' | 'string:union' | 'json:array';

function kindOf(p: ParamSchema): Kind {
	const shape = shapeKind(p);
	if (shape === 'keyValue' && p.type === 'map') return 'keyValue:map';
	if (shape === 'json' && p.type === 'map') return 'json:objectMap';
	if (shape === 'string' && p.type === 'union') return 'string:union';
	if (shape === 'json' && p.type === 'array') return 'json:array';
	return shape;
}

interface BadValue {
	label: string;
	/** The field's value (expressions allowed). */
	value: unknown;
	/** What the error says after `"Label" (name…)`. */
	reason: RegExp;
	/** The Stripe parameter path the error names, if not the parameter itself. */
	at?: string;
}

const entries = (pairs: Array<[string, string]>) => ({ entries: pairs.map(([key, value]) => ({ key, value })) });

/** Wrong values per kind. `p` is the parameter, for values that depend on it (enum lists). */
function badValues(kind: Kind, p: ParamSchema): BadValue[] {
	switch (kind) {
		case 'string':
			return [{ label: 'an object for a text field', value: '={{ { "a": 1 } }}', reason: /expected text, got \{"a":1\}/ }];
		case 'locator':
			return [{ label: 'an object for an ID', value: '={{ { "a": 1 } }}', reason: /expected text, got \{"a":1\}/ }];
		case 'group':
		case 'list': {
			// n8n keeps only the fields a collection has, so bad values come from expressions in a member.
			const holder = (kind === 'list' ? p.items : p) as ParamSchema;
			const wrap = (member: Record<string, unknown>) => write(kind === 'list' ? [member] : member, p);
			const at = (m: string) => (kind === 'list' ? `${p.name}[0].${m}` : `${p.name}.${m}`);
			const members = holder.members ?? [];
			const leaf = members.find((m) => m.type === 'string' || m.type === 'number');
			const required = members.find((m) => m.required && !m.emptyable);
			return [
				...(leaf
					? [
							{
								label: 'an object for a nested member',
								value: wrap({ [leaf.name]: '={{ { "a": 1 } }}' }),
								reason: leaf.type === 'number' ? /expected a number, got \{"a":1\}/ : /expected text, got \{"a":1\}/,
								at: at(leaf.name),
							},
						]
					: []),
				...(required ? [{ label: 'a required nested member left empty', value: wrap({}), reason: /is required/, at: at(required.name) }] : []),
			];
		}
		case 'choice': {
			const [a, b] = (property(p, false).options ?? []) as Array<{ name: string }>;
			return [{ label: 'two alternatives at once', value: { [a.name]: {}, [b.name]: {} }, reason: /give one of .+, not .+ and .+/ }];
		}
		case 'string:union':
			return [{ label: 'an object for a text/number field', value: '={{ { "a": 1 } }}', reason: /expected .+ or .+, got \{"a":1\}/ }];
		case 'number':
			return [
				{ label: 'text for a number', value: '={{ "lots" }}', reason: /expected a number, got "lots"/ },
				{ label: 'a number with trailing text', value: '={{ "12abc" }}', reason: /expected a number, got "12abc"/ },
				{ label: 'a list for a number', value: '={{ [1, 2] }}', reason: /expected a number, got \[1,2\]/ },
			];
		case 'date':
			return [
				{ label: 'text that is no date', value: 'next tuesday-ish', reason: /"next tuesday-ish" is not a date: give a date and time/ },
				{ label: 'milliseconds for Unix seconds', value: '={{ 1735689600000 }}', reason: /1735689600000 looks like milliseconds; Stripe takes Unix seconds/ },
				{ label: 'an object for a date', value: '={{ { "a": 1 } }}', reason: /\{"a":1\} is not a date/ },
			];
		case 'boolean':
			return [{ label: 'text for a boolean', value: '={{ "maybe" }}', reason: /expected true or false, got "maybe"/ }];
		case 'options':
			return [
				{ label: 'an unknown enum value', value: 'no_such_value', reason: /"no_such_value" is not an allowed value \(allowed: / },
				{ label: 'a number for an enum', value: '={{ 7 }}', reason: /7 is not an allowed value/ },
			];
		case 'multiOptions':
			return [
				{
					label: 'an unknown value in a multi-select',
					value: [p.items?.enum?.find((v) => v !== '') ?? 'x', 'no_such_value'],
					reason: /"no_such_value" is not an allowed value/,
					at: `${p.name}[1]`,
				},
			];
		case 'stringList':
			return [
				{ label: 'an object for a list', value: '={{ { "a": 1 } }}', reason: /expected a list, got \{"a":1\}/ },
				{ label: 'an object inside a list', value: '={{ ["ok", { "a": 1 }] }}', reason: /expected (text|a number), got \{"a":1\}/, at: `${p.name}[1]` },
			];
		case 'keyValue':
			return [
				{
					label: 'more than 50 metadata keys',
					value: entries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v'])),
					reason: /51 keys given \(Stripe allows 50\)/,
				},
				{
					label: 'a metadata key longer than 40 characters',
					value: entries([['k'.repeat(41), 'v']]),
					reason: /key "k{20}…" is 41 characters long \(Stripe allows 40\)/,
				},
				{
					label: 'a metadata value longer than 500 characters',
					value: entries([['note', 'v'.repeat(501)]]),
					reason: /the value of "note" is 501 characters long \(Stripe allows 500\)/,
				},
				{ label: 'an empty metadata key', value: entries([['', 'v']]), reason: /a key is empty/ },
				{ label: 'a metadata key with square brackets', value: entries([['a[b]', 'v']]), reason: /key "a\[b\]" must not contain square brackets/ },
				{
					label: 'a metadata key given twice',
					value: entries([
						['k', '1'],
						['k', '2'],
					]),
					reason: /key "k" is given twice/,
				},
				{
					label: 'an object as a metadata value',
					value: entries([['k', '={{ { "a": 1 } }}']]),
					reason: /expected a text value, got \{"a":1\}/,
					at: `${p.name}[k]`,
				},
			];
		case 'keyValue:map':
			return [
				{ label: 'an empty key', value: entries([['', 'v']]), reason: /a key is empty/ },
				{ label: 'an object as a value', value: entries([['k', '={{ { "a": 1 } }}']]), reason: /expected a text value, got \{"a":1\}/, at: `${p.name}[k]` },
			];
		case 'json:objectMap':
			return [
				{ label: 'invalid JSON', value: '{"eur": ', reason: /invalid JSON/ },
				{ label: 'a list as a value', value: '{"eur": [1]}', reason: /expected a JSON object, got \[1\]/, at: `${p.name}[eur]` },
			];
		case 'json':
			return [
				{ label: 'invalid JSON', value: '{"a": ', reason: /invalid JSON: / },
				{ label: 'a JSON list for an object', value: '[1, 2]', reason: /expected (a JSON object|.+ or .+), got \[1,2\]/ },
			];
		case 'json:array':
			return [
				{ label: 'invalid JSON', value: '[{"a": ', reason: /invalid JSON: / },
				{ label: 'a JSON object for a list', value: '{"a": 1}', reason: /expected a list, got \{"a":1\}/ },
			];
		case 'eventTypes':
			return []; // checked as a string list (targets() skips it)
		case 'binary':
			return [{ label: 'a binary property the item does not have', value: 'nope', reason: /the input item has no binary property "nope"/, at: p.name }];
	}
}

interface Target {
	familyKey: string;
	nodeType: INodeType;
	resource: string;
	op: OperationDescriptor;
	param: ParamSchema;
	placement: 'required' | 'optional';
	kind: Kind;
}

/** The first operation per kind and placement, over all family nodes. */
function targets(): Target[] {
	const found = new Map<string, Target>();
	for (const { key, family, nodeType } of FAMILY_NODES) {
		for (const r of family.resources) {
			for (const descriptor of r.operations) {
				const op = planOperation(descriptor);
				// Operations with header parameters or a non-default host need extra set-up; every kind occurs elsewhere.
				if (op.headerParams?.length || op.auth) continue;
				// Find and Find or Create send more than one request per item (test/engine/find.test.ts checks their input).
				if (op.kind === 'find' || op.kind === 'findOrCreate') continue;
				for (const [placement, params] of [
					['required', requiredParams(op)],
					['optional', optionalParams(op)],
				] as const) {
					for (const param of params) {
						if (param.name === 'enabled_events') continue; // a multi-select with loaded choices: its values are checked as a string list
						const kind = kindOf(param);
						const id = `${kind} ${placement}`;
						if (!found.has(id)) found.set(id, { familyKey: key, nodeType, resource: r.value, op, param, placement, kind });
					}
				}
			}
		}
	}
	return [...found.values()];
}

const TARGETS = targets();

function escape(s: string): string {
	return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Valid parameters for the target's operation (required ones only), with `value` for the target parameter. */
function parametersWith(t: Target, value: unknown): INodeParameters {
	const base = casesFor(t.op)[0].nodeParams as INodeParameters;
	const params: INodeParameters = { resource: t.resource, operation: t.op.value, ...base };
	if (t.op.kind !== 'plain') params.limit = 3;
	if (t.placement === 'required') params[t.param.name] = value as INodeParameters[string];
	else params.additionalFields = { [t.param.name]: value as INodeParameters[string] };
	return params;
}

function validValue(t: Target): unknown {
	if (t.kind === 'json:objectMap') return '{"eur": {"unit_amount": 900}}';
	return fieldValue(t.param, sampleValue(t.param, t.param.name));
}

function inputItem(t: Target): HarnessInputItem {
	return t.op.params.some((p) => shapeKind(p) === 'binary')
		? { json: {}, binary: { data: { content: Buffer.from('evidence'), fileName: 'evidence.txt', mimeType: 'text/plain' } } }
		: { json: {} };
}

describe('bad input, for every field shape the descriptors produce', () => {
	let cap: CaptureServer;
	const credentials = () => ({ stripeKeyApi: { secretKey: SECRET, baseUrl: cap.url } });
	beforeAll(async () => {
		cap = await startCaptureServer();
	});
	afterAll(async () => {
		await cap.close();
	});
	beforeEach(() => {
		cap.requests.length = 0;
	});

	it('covers every field shape, as a required field and as an additional field', () => {
		const kinds = new Set(TARGETS.map((t) => `${t.kind} ${t.placement}`));
		for (const shape of [
			'string',
			'locator',
			'number',
			'boolean',
			'options',
			'multiOptions',
			'stringList',
			'keyValue',
			'group',
			'list',
			'choice',
			'json',
			'binary',
		] as ShapeKind[]) {
			assert.ok(
				[...kinds].some((k) => k.startsWith(`${shape} `)),
				`a ${shape} field`,
			);
		}
		assert.ok(kinds.has('keyValue optional') && kinds.has('json:objectMap optional') && kinds.has('keyValue:map required'));
		assert.ok(TARGETS.length >= 18, `${TARGETS.length} targets`);
	});

	for (const t of TARGETS) {
		const where = `${t.familyKey} ${t.resource}.${t.op.value} ${t.placement === 'required' ? '' : 'Additional Fields → '}${t.param.name}`;
		for (const bad of badValues(t.kind, t.param)) {
			it(`${t.kind} (${where}): ${bad.label}`, async () => {
				const result = await runNode({
					nodeType: t.nodeType,
					credentials: credentials(),
					parameters: parametersWith(t, bad.value),
					inputItems: [inputItem(t)],
				});
				assert.ok(result.nodeError, 'the run fails');
				const at = bad.at ?? t.param.name;
				const label =
					t.kind === 'binary'
						? 'Input Binary Field'
						: labelOf(
								at
									.split(/[.[\]]+/)
									.filter((s) => s && !/^\d+$/.test(s))
									.pop() ?? at,
							);
				assert.match(result.nodeError.message, new RegExp(`^Invalid parameter in item 0: "${escape(label)}" \\(${escape(at)}\\) `));
				assert.match(result.nodeError.message, bad.reason);
				assert.match(String(result.nodeError.description), /^Nothing was sent to Stripe for this item/);
				assert.equal(cap.requests.length, 0, 'nothing was sent');
			});
		}
		// A whole-field expression on a collection is dropped by n8n; nested values per item are tested in core.test.ts.
		if (['group', 'list', 'choice'].includes(t.kind)) continue;
		it(`${t.kind} (${where}): with Continue On Fail the valid item is still sent`, async () => {
			// Item 0 is valid, item 1 has a bad value; the field reads both from the items ($json).
			const good = validValue(t);
			const bad = badValues(t.kind, t.param).find((b) => !isEntries(b.value) || !isEntries(good) || b.value.entries.length <= good.entries.length)!;
			const { parameter, items } = perItem(good, bad.value);
			const result = await runNode({
				nodeType: t.nodeType,
				credentials: credentials(),
				parameters: parametersWith(t, parameter),
				inputItems: items.map((json) => ({ ...inputItem(t), json: json as IDataObject })),
				continueOnFail: true,
			});
			assert.equal(result.nodeError?.message ?? '', '', 'the node itself does not fail');
			const errors = result.items[0].filter((i) => i.json.error !== undefined);
			assert.equal(errors.length, 1, `one error item: ${errors.map((e) => String(e.json.error)).join('; ')}`);
			assert.match(String(errors[0].json.error), new RegExp(`^Invalid parameter in item 1: .*\\(${escape(bad.at ?? t.param.name)}\\) `));
			assert.match(String(errors[0].json.error), bad.reason);
			assert.deepEqual(errors[0].pairedItem, { item: 1 });
			assert.equal(cap.requests.length, 1, 'only the valid item was sent');
		});
	}

	describe('IDs, limits and request options', () => {
		const core = FAMILY_NODES.find((f) => f.key === 'core')!.nodeType;
		const cases: Array<[string, INodeParameters, RegExp]> = [
			[
				'an ID with a slash',
				{ resource: 'customer', operation: 'retrieve', customer: 'cus_1/../balance' },
				/"Customer" \(customer\) "cus_1\/..\/balance" is not a valid Stripe ID/,
			],
			['an ID with a space', { resource: 'refund', operation: 'retrieve', refund: 're_1 2' }, /"Refund" \(refund\) "re_1 2" is not a valid Stripe ID/],
			['an ID with a query string', { resource: 'refund', operation: 'retrieve', refund: 're_1?expand=x' }, /is not a valid Stripe ID/],
			['an ID with a control character', { resource: 'refund', operation: 'retrieve', refund: 're_1\u0000' }, /is not a valid Stripe ID/],
			[
				'an ID of 256 characters',
				{ resource: 'refund', operation: 'retrieve', refund: `re_${'x'.repeat(253)}` },
				/is 256 characters long; Stripe IDs are at most 255/,
			],
			['an object as an ID', { resource: 'refund', operation: 'retrieve', refund: '={{ { "id": "re_1" } }}' }, /expected an ID, got \{"id":"re_1"\}/],
			['an empty ID', { resource: 'refund', operation: 'retrieve', refund: '   ' }, /"Refund" \(refund\) is required/],
			[
				'a negative limit',
				{ resource: 'customer', operation: 'list', returnAll: false, limit: -5 },
				/"Limit" \(limit\) must be a whole number of at least 1, got -5/,
			],
			[
				'a zero limit',
				{ resource: 'customer', operation: 'list', returnAll: false, limit: 0 },
				/"Limit" \(limit\) must be a whole number of at least 1, got 0/,
			],
			[
				'a fractional limit',
				{ resource: 'customer', operation: 'list', returnAll: false, limit: 2.5 },
				/"Limit" \(limit\) must be a whole number of at least 1, got 2.5/,
			],
			[
				'a text limit',
				{ resource: 'customer', operation: 'list', returnAll: false, limit: '={{ "ten" }}' },
				/"Limit" \(limit\) must be a whole number of at least 1, got NaN/,
			],
			[
				'negative Max Retries',
				{ resource: 'balance', operation: 'retrieve', requestOptions: { maxRetries: -1 } },
				/"Max Retries" \(maxRetries\) must be a whole number ≥ 0, got -1/,
			],
			[
				'an Idempotency Key over 255 characters',
				{ resource: 'customer', operation: 'create', requestOptions: { idempotencyKey: 'k'.repeat(256) } },
				/"Idempotency Key" \(idempotencyKey\) is longer than 255 characters/,
			],
			[
				'a connected account that is not an account ID',
				{ resource: 'balance', operation: 'retrieve', requestOptions: { stripeAccount: 'acct_1 x' } },
				/"Connected Account" \(stripeAccount\) "acct_1 x" is not an account ID/,
			],
		];
		for (const [label, parameters, message] of cases) {
			it(label, async () => {
				const result = await runNode({ nodeType: core, credentials: credentials(), parameters });
				assert.ok(result.nodeError, 'the run fails');
				assert.match(result.nodeError.message, /^Invalid parameter in item 0: /);
				assert.match(result.nodeError.message, message);
				assert.match(String(result.nodeError.description), /^Nothing was sent to Stripe/);
				assert.equal(cap.requests.length, 0);
			});
		}

		it('object-valued maps (currency_options) take JSON per entry and send nested objects', async () => {
			const products = FAMILY_NODES.find((f) => f.key === 'products')!.nodeType;
			const result = await runNode({
				nodeType: products,
				credentials: credentials(),
				parameters: {
					resource: 'price',
					operation: 'create',
					currency: 'usd',
					product: 'prod_1',
					unit_amount: 1000,
					additionalFields: { currency_options: entries([['eur', '{"unit_amount": 900, "tax_behavior": "inclusive"}']]) },
				},
			});
			assert.equal(result.nodeError, undefined);
			assert.equal(
				decodeURIComponent(cap.requests[0].body.toString()),
				'currency=usd&billing_scheme=per_unit&currency_options[eur][unit_amount]=900&currency_options[eur][tax_behavior]=inclusive&product=prod_1&unit_amount=1000',
			);
		});

		it('one bad item among many stops the batch before anything is sent', async () => {
			const result = await runNode({
				nodeType: core,
				credentials: credentials(),
				parameters: { resource: 'customer', operation: 'retrieve', customer: '={{ $json.id }}' },
				inputItems: [...Array.from({ length: 5 }, (_, i) => ({ json: { id: `cus_${i}` } })), { json: { id: 'cus_5/x' } }],
			});
			assert.match(String(result.nodeError?.message), /^Invalid parameter in item 5: "Customer" \(customer\)/);
			assert.equal(cap.requests.length, 0);
		});
	});
});

/** The literal value of a field value (`={{ <JSON> }}` expressions in the bad values are JSON literals). */
function literal(v: unknown): unknown {
	return typeof v === 'string' && v.startsWith('={{') ? JSON.parse(v.slice(3, -2)) : v;
}

/**
 * A field value reading `good` (item 0) or `bad` (item 1) from the input items. Key/value fields are
 * fixedCollections, for which n8n resolves expressions only inside entries, so there each key and value is read.
 */
function perItem(good: unknown, bad: unknown): { parameter: unknown; items: Array<Record<string, unknown>> } {
	if (isEntries(good) && isEntries(bad)) {
		const items: Array<Record<string, unknown>> = [{}, {}];
		const parameter = {
			entries: good.entries.map((_, i) => {
				[good.entries[i], bad.entries[i] ?? good.entries[i]].forEach((e, item) => {
					items[item][`k${i}`] = literal(e.key);
					items[item][`v${i}`] = literal(e.value);
				});
				return { key: `={{ $json.k${i} }}`, value: `={{ $json.v${i} }}` };
			}),
		};
		return { parameter, items };
	}
	return { parameter: '={{ $json.v }}', items: [{ v: literal(good) }, { v: literal(bad) }] };
}
function isEntries(v: unknown): v is { entries: Array<{ key: string; value: string }> } {
	return !!v && typeof v === 'object' && Array.isArray((v as { entries?: unknown }).entries);
}
