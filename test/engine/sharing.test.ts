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
import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import type { INodeParameters, INodeProperties, NodeParameterValue } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { unsharedProperties } from '../../nodes/shared/fields/properties';
import { shareRepeatedProperties } from '../../nodes/shared/fields/sharing';
import { FAMILY_NODES } from '../support/families';

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

/** What n8n's editor shows and keeps for these values: the parameters (stored, and with defaults) and the shown properties in order. */
function editorView(props: INodeProperties[], values: INodeParameters) {
	const stored = NodeHelpers.getNodeParameters(props, values, false, false, null, null);
	const full = NodeHelpers.getNodeParameters(props, values, true, false, null, null)!;
	const shown = props.filter((p) => NodeHelpers.displayParameter(full, p, null, null, full));
	return { stored: JSON.stringify(stored), full: JSON.stringify(full), shown: shown.map(seen) };
}

describe('sharing repeated properties', () => {
	for (const { key, family, nodeType } of FAMILY_NODES) {
		it(`${key}: every operation shows and stores the same as without sharing`, () => {
			const shared = nodeType.description.properties;
			const unshared = unsharedProperties(family);
			let checked = 0;
			for (const [resource, operation] of pairsOf(unshared)) {
				for (const other of otherInputs(unshared, [resource, operation])) {
					const values: INodeParameters = { resource, operation, ...other };
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

	it('merges across resources only as a product of resources and operations', () => {
		const field = (resource: string, operation: string): INodeProperties => ({
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			default: 50,
			displayOptions: { show: { resource: [resource], operation: [operation] } },
		});
		const dropdown = (resource: string, ops: string[]): INodeProperties => ({
			displayName: 'Operation',
			name: 'operation',
			type: 'options',
			options: ops.map((v) => ({ name: v, value: v })),
			default: ops[0],
			displayOptions: { show: { resource: [resource] } },
		});
		const props: INodeProperties[] = [
			{ displayName: 'Resource', name: 'resource', type: 'options', options: ['p', 'q'].map((v) => ({ name: v, value: v })), default: 'p' },
			dropdown('p', ['list', 'search', 'get']),
			dropdown('q', ['list', 'get']),
			field('p', 'list'),
			field('p', 'search'),
			field('q', 'list'),
		];
		const shared = shareRepeatedProperties(props).filter((p) => p.name === 'limit');
		// {p, q} × {list, search} would show it for q's "search": two products, p × {list, search} and q × {list},
		// or {p, q} × {list} and p × {search}.
		assert.equal(shared.length, 2);
		for (const [resource, operation, expected] of [
			['p', 'list', true],
			['p', 'search', true],
			['q', 'list', true],
			['q', 'search', false],
			['p', 'get', false],
			['q', 'get', false],
		] as const) {
			const values = { resource, operation };
			assert.equal(
				shared.some((p) => NodeHelpers.displayParameter(values, p, null, null, values)),
				expected,
				`${resource} › ${operation}`,
			);
		}
	});
});
