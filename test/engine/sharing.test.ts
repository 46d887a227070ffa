/**
 * Sharing what is repeated (issue 24, point 6; nodes/shared/fields/sharing.ts): the built descriptions merge
 * properties that were the same for several operations into one, and nothing a user sees or saves changes.
 *
 * For every family node and every (resource, operation), with the values of the other parameters the
 * top-level properties' display conditions name (Specify Parameters, Return All, a search's mode, …; every
 * combination when there are at most 64, else each value in turn), n8n-workflow's
 * own logic decides what the editor shows and stores: NodeHelpers.getNodeParameters (the node's parameters,
 * with and without defaults, as the editor keeps them and a saved workflow holds them) and
 * NodeHelpers.displayParameter (which properties are shown, in array order, as the editor lists them). The
 * built description and the same family's properties without sharing (unsharedProperties) must give the same
 * names, the same properties (all but the resource and operation they are shown for) in the same order, and
 * the same parameters.
 */
import '../harness/engine';

import assert from 'node:assert/strict';
import nock from 'nock';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import type { INodeParameters, INodeProperties, NodeParameterValue } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { unsharedProperties } from '../../nodes/shared/fields/properties';
import { shareRepeatedProperties } from '../../nodes/shared/fields/sharing';
import { runNode } from '../harness/engine';
import type { CaptureServer } from '../support/capture';
import { startCaptureServer } from '../support/capture';
import { FAMILY_NODES } from '../support/families';
import { asShown } from '../support/panel';

const CUSTOM = '__CUSTOM_API_CALL__';

/** Every (resource, operation) a family node offers, read from its own Resource and Operation dropdowns, and n8n's Custom API Call. */
function pairsOf(props: INodeProperties[]): Array<[string, string]> {
	const resources = props.find((p) => p.name === 'resource')!.options!.map((o) => String((o as { value: string }).value));
	const pairs: Array<[string, string]> = [[CUSTOM, CUSTOM]];
	for (const r of resources) {
		const dropdowns = props.filter((p) => p.name === 'operation' && (p.displayOptions?.show?.resource as string[]).includes(r));
		for (const o of dropdowns.flatMap((p) => p.options!)) pairs.push([r, String((o as { value: string }).value)]);
	}
	return pairs;
}

/** The values of the other parameters the display conditions of properties shown for this pair name, each with "not set". */
function otherInputs(props: INodeProperties[], [r, o]: [string, string]): Array<Record<string, NodeParameterValue>> {
	const values = new Map<string, Set<NodeParameterValue>>();
	for (const p of props) {
		const show = p.displayOptions?.show ?? {};
		if ((show.resource && !show.resource.includes(r)) || (show.operation && !show.operation.includes(o))) continue;
		for (const rule of [show, p.displayOptions?.hide ?? {}])
			for (const [key, list] of Object.entries(rule)) {
				if (key === 'resource' || key === 'operation' || !Array.isArray(list)) continue;
				const set = values.get(key) ?? new Set<NodeParameterValue>();
				for (const v of list) if (typeof v !== 'object') set.add(v as NodeParameterValue);
				values.set(key, set);
			}
	}
	// Every combination when there are few; else each parameter's values in turn, the others not set.
	const keys = [...values.keys()];
	const combos = keys.reduce<Array<Record<string, NodeParameterValue>>>(
		(acc, k) => acc.flatMap((c) => [c, ...[...values.get(k)!].map((v) => ({ ...c, [k]: v }))]),
		[{}],
	);
	if (combos.length <= 64) return combos;
	return [{}, ...keys.flatMap((k) => [...values.get(k)!].map((v) => ({ [k]: v })))];
}

/** A property as the user sees it: everything but the resources and operations it is shown for. */
function seen(p: INodeProperties): unknown {
	const show = Object.fromEntries(Object.entries(p.displayOptions?.show ?? {}).filter(([k]) => k !== 'resource' && k !== 'operation'));
	return { ...p, displayOptions: p.displayOptions && { ...p.displayOptions, show } };
}

/** JSON with every object's keys sorted: the order n8n iterates a collection's members in is not what is compared. */
function canonical(value: unknown): string {
	const sort = (v: unknown): unknown =>
		Array.isArray(v)
			? v.map(sort)
			: v && typeof v === 'object'
				? Object.fromEntries(
						Object.keys(v)
							.sort()
							.map((k) => [k, sort((v as Record<string, unknown>)[k])]),
					)
				: v;
	return JSON.stringify(sort(value));
}

/**
 * What n8n's editor shows and keeps for these values: the parameters (stored, and with defaults) and the shown
 * properties in order, each collection with the members its "Add …" offers.
 */
function editorView(props: INodeProperties[], values: INodeParameters) {
	const stored = NodeHelpers.getNodeParameters(props, values, false, false, null, null);
	const full = NodeHelpers.getNodeParameters(props, values, true, false, null, null)!;
	const shown = props.filter((p) => NodeHelpers.displayParameter(full, p, null, null, full));
	return { stored: canonical(stored), full: canonical(full), shown: shown.map((p) => seen(asShown(p, full))) };
}

/**
 * A value for "Additional Fields" / "Filters" that names every member any operation of the node has, each at
 * its default: what a collection keeps of it is what the editor keeps of a value set under another operation.
 */
function everyMember(props: INodeProperties[]): INodeParameters {
	const all: INodeParameters = {};
	for (const p of props.filter((x) => x.name === 'additionalFields' && x.type === 'collection'))
		for (const m of (p.options ?? []) as INodeProperties[]) if (!(m.name in all)) all[m.name] = m.default;
	return all;
}

describe('sharing repeated properties', () => {
	for (const { key, family, nodeType } of FAMILY_NODES) {
		it(`${key}: every operation shows and stores the same as without sharing`, () => {
			const shared = nodeType.description.properties;
			const unshared = unsharedProperties(family);
			const additionalFields = everyMember(unshared);
			let checked = 0;
			for (const [resource, operation] of pairsOf(unshared)) {
				for (const other of otherInputs(unshared, [resource, operation])) {
					const values: INodeParameters = { resource, operation, ...other, additionalFields };
					const label = `${key} › ${resource} › ${operation} ${JSON.stringify(other)}`;
					const [a, b] = [editorView(shared, values), editorView(unshared, values)];
					assert.deepEqual(
						a.shown.map((p) => (p as INodeProperties).name),
						b.shown.map((p) => (p as INodeProperties).name),
						label,
					);
					assert.deepEqual(a.shown, b.shown, label);
					assert.equal(a.stored, b.stored, label);
					assert.equal(a.full, b.full, label);
					checked++;
				}
			}
			assert.ok(checked >= pairsOf(unshared).length, key);
		});
	}

	it('shares: the built descriptions have fewer properties and bytes than without sharing', () => {
		const count = (f: (p: INodeProperties[]) => number) => [
			FAMILY_NODES.reduce((n, x) => n + f(x.nodeType.description.properties), 0),
			FAMILY_NODES.reduce((n, x) => n + f(unsharedProperties(x.family)), 0),
		];
		const [sharedCount, unsharedCount] = count((p) => p.length);
		const [sharedBytes, unsharedBytes] = count((p) => JSON.stringify(p).length);
		assert.ok(sharedCount < unsharedCount * 0.75, `${sharedCount} of ${unsharedCount} properties`);
		assert.ok(sharedBytes < unsharedBytes * 0.9, `${sharedBytes} of ${unsharedBytes} bytes`);
	});

	it('merges only where the order of every operation stays the same', () => {
		// Operation a shows x then y, operation b shows y then x: x and y cannot both be shared.
		const field = (name: string, operation: string): INodeProperties => ({
			displayName: name.toUpperCase(),
			name,
			type: 'string',
			default: '',
			displayOptions: { show: { resource: ['r'], operation: [operation] } },
		});
		const props: INodeProperties[] = [
			{ displayName: 'Resource', name: 'resource', type: 'options', options: [{ name: 'R', value: 'r' }], default: 'r' },
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				options: ['a', 'b', 'c'].map((v) => ({ name: v, value: v })),
				default: 'a',
				displayOptions: { show: { resource: ['r'] } },
			},
			field('x', 'a'),
			field('y', 'a'),
			field('y', 'b'),
			field('x', 'b'),
			field('x', 'c'),
			field('y', 'c'),
		];
		const shared = shareRepeatedProperties(props);
		assert.equal(shared.length, 5, 'x is shared by a, b and c; y by a and c only');
		for (const [operation, expected] of [
			['a', ['resource', 'operation', 'x', 'y']],
			['b', ['resource', 'operation', 'y', 'x']],
			['c', ['resource', 'operation', 'x', 'y']],
		] as const) {
			const values = { resource: 'r', operation };
			const shown = shared.filter((p) => NodeHelpers.displayParameter(values, p, null, null, values)).map((p) => p.name);
			assert.deepEqual(shown, expected, operation);
		}
		assert.deepEqual(props[2].displayOptions?.show?.operation, ['a'], 'the input is not changed');
	});

	const dropdown = (resource: string, ops: string[]): INodeProperties => ({
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		options: ops.map((v) => ({ name: v, value: v })),
		default: ops[0],
		displayOptions: { show: { resource: [resource] } },
	});
	const resourceDropdown = (values: string[]): INodeProperties => ({
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		options: values.map((v) => ({ name: v, value: v })),
		default: values[0],
	});
	/** Whether any of the properties is shown for the pair, as n8n decides it. */
	const showsAny = (props: INodeProperties[], resource: string, operation: string) =>
		props.some((p) => NodeHelpers.displayParameter({ resource, operation }, p, null, null, { resource, operation }));

	it('merges across resources as products of resources and operations, among the operations each resource offers', () => {
		const field = (resource: string, operation: string): INodeProperties => ({
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			default: 50,
			displayOptions: { show: { resource: [resource], operation: [operation] } },
		});
		// q has no "search": {p, q} × {list, search} shows the field for exactly p's list and search and q's list.
		const offered = [resourceDropdown(['p', 'q']), dropdown('p', ['list', 'search', 'get']), dropdown('q', ['list', 'get'])];
		const one = shareRepeatedProperties([...offered, field('p', 'list'), field('p', 'search'), field('q', 'list')]).filter((p) => p.name === 'limit');
		assert.equal(one.length, 1);
		// r offers "search" without the field: {p, r} × {list, search} would show it for r's search, so two products.
		const withR = [resourceDropdown(['p', 'r']), dropdown('p', ['list', 'search', 'get']), dropdown('r', ['list', 'search', 'get'])];
		const two = shareRepeatedProperties([...withR, field('p', 'list'), field('p', 'search'), field('r', 'list')]).filter((p) => p.name === 'limit');
		assert.equal(two.length, 2);
		for (const [props, resource, operation, expected] of [
			[one, 'p', 'list', true],
			[one, 'p', 'search', true],
			[one, 'q', 'list', true],
			[one, 'p', 'get', false],
			[one, 'q', 'get', false],
			[two, 'p', 'list', true],
			[two, 'p', 'search', true],
			[two, 'r', 'list', true],
			[two, 'r', 'search', false],
			[two, 'r', 'get', false],
		] as const)
			assert.equal(showsAny(props, resource, operation), expected, `${resource} › ${operation}`);
	});

	it('merges Additional Fields of several operations into one, each member shown for the operations that had it', () => {
		const member = (name: string): INodeProperties => ({ displayName: name.toUpperCase(), name, type: 'string', default: '' });
		const more = (resource: string, operation: string, names: string[]): INodeProperties => ({
			displayName: 'Additional Fields',
			name: 'additionalFields',
			type: 'collection',
			placeholder: 'Add Field',
			default: {},
			options: names.map(member),
			displayOptions: { show: { resource: [resource], operation: [operation] } },
		});
		const props = [
			resourceDropdown(['p', 'q']),
			dropdown('p', ['create', 'update']),
			dropdown('q', ['create', 'update']),
			more('p', 'create', ['a', 'b', 'm']),
			more('p', 'update', ['b', 'm']),
			more('q', 'create', ['a', 'm']),
			more('q', 'update', ['c', 'm']),
		];
		const shared = shareRepeatedProperties(props).filter((p) => p.name === 'additionalFields');
		assert.equal(shared.length, 1);
		const lists = (resource: string, operation: string) =>
			((shared[0].options ?? []) as INodeProperties[])
				.filter((m) => NodeHelpers.displayParameter({}, m, null, null, { resource, operation }))
				.map((m) => m.name);
		assert.deepEqual(lists('p', 'create'), ['a', 'b', 'm']);
		assert.deepEqual(lists('p', 'update'), ['b', 'm']);
		assert.deepEqual(lists('q', 'create'), ['a', 'm']);
		assert.deepEqual(lists('q', 'update'), ['c', 'm']);
		const conditionOf = (name: string) => ((shared[0].options ?? []) as INodeProperties[]).filter((m) => m.name === name).map((m) => m.displayOptions?.show);
		assert.deepEqual(conditionOf('m'), [undefined], 'a member of every collection has no condition');
		assert.deepEqual(conditionOf('a'), [{ '/operation': ['create'] }], 'a: both resources, create only');
		assert.deepEqual(conditionOf('c'), [{ '/resource': ['q'], '/operation': ['update'] }]);
	});

	describe('an operation its resource does not offer', () => {
		// A shared property is shown for a product of resources and operations; the pairs in it that no dropdown
		// offers (Credit Note has no Send Invoice) are reached only by a workflow edited outside the editor.
		let server: CaptureServer;
		beforeAll(async () => {
			nock.restore();
			server = await startCaptureServer();
		});
		afterAll(async () => server.close());

		it('fails naming the operation and the resource, and sends nothing', async () => {
			const billing = FAMILY_NODES.find((f) => f.key === 'billing')!;
			const creditNote = billing.family.resources.find((r) => r.value === 'creditNote')!;
			assert.ok(!creditNote.operations.some((o) => o.value === 'sendInvoice'), 'Credit Note offers no Send Invoice');
			const result = await runNode({
				nodeType: billing.nodeType as never,
				parameters: { resource: 'creditNote', operation: 'sendInvoice', invoice: 'in_123', additionalFields: { expand: ['customer'] } } as never,
				credentials: { stripeKeyApi: { secretKey: 'sk_test_stale', apiVersion: '2024-11-20.acacia', baseUrl: server.url } },
				inputItems: [{ json: {} }] as never,
			});
			assert.match(String(result.nodeError?.message), /Unknown operation "sendInvoice" for resource "creditNote"/);
			assert.equal(server.requests.length, 0);
		});
	});
});
