/**
 * The JSON rule (nodes/shared/fields/json-rule.ts) is a pure function of an operation's parameters: every
 * parameter's and member's shape is the same whatever order the shapes are asked in. Each order runs on its
 * own copy of the descriptors, so nothing one order asked can be remembered for another.
 */
import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';

import type { OperationDescriptor, Schema } from '../../nodes/shared/model/descriptor';
import { planOperation } from '../../nodes/shared/fields/json-rule';
import { shapeKind } from '../../nodes/shared/fields/shapes';
import { FAMILY_NODES } from '../support/families';

interface Node {
	at: string;
	schema: Schema;
	depth: number;
}

/** Every parameter and member of an operation, parents before their members, with the depth its field has. */
function nodesOf(op: OperationDescriptor): Node[] {
	const out: Node[] = [];
	const walk = (schema: Schema, depth: number, at: string) => {
		out.push({ at, schema, depth });
		const holders = schema.type === 'array' ? [schema.items] : schema.type === 'union' ? (schema.anyOf ?? []) : [schema];
		for (const h of holders) for (const m of h?.members ?? []) walk(m, depth + 1, `${at}.${m.name}`);
	};
	for (const p of op.params) walk(p, 0, p.name);
	return out;
}

/** A fixed shuffle (a linear congruential generator), so a failure can be repeated. */
function shuffled<T>(list: T[], seed: number): T[] {
	const out = [...list];
	let s = seed;
	for (let i = out.length - 1; i > 0; i--) {
		s = (s * 1103515245 + 12345) % 2 ** 31;
		const j = s % (i + 1);
		[out[i], out[j]] = [out[j], out[i]];
	}
	return out;
}

type Order = (nodes: Node[]) => Node[];
const ORDERS: Array<[string, Order]> = [
	['parents first', (n) => n],
	['members first', (n) => [...n].reverse()],
	['shuffled (seed 7)', (n) => shuffled(n, 7)],
	['shuffled (seed 2024)', (n) => shuffled(n, 2024)],
];

/** Each operation's shapes asked in `order`, on a fresh copy of every descriptor, by position in the operation. */
function answers(order: Order, planned: boolean): Map<string, string> {
	const out = new Map<string, string>();
	for (const { key, family } of FAMILY_NODES) {
		for (const r of structuredClone(family).resources) {
			for (const raw of r.operations) {
				const op = planned ? planOperation(raw) : raw;
				for (const n of order(nodesOf(op))) out.set(`${key} ${r.value}.${op.value} ${n.at}@${n.depth}`, shapeKind(n.schema, n.depth));
			}
		}
	}
	return out;
}

describe('the JSON rule: the same answers in any order', () => {
	for (const planned of [false, true]) {
		it(`${planned ? 'operations as their fields show them (planOperation)' : 'the descriptors as generated'}: ${ORDERS.map(([name]) => name).join(', ')}`, () => {
			const [[, first], ...others] = ORDERS;
			const expected = answers(first, planned);
			assert.ok(expected.size > 5000, `${expected.size} parameters and members`);
			for (const [name, order] of others) {
				const got = answers(order, planned);
				const differing = [...expected].filter(([k, v]) => got.get(k) !== v).map(([k, v]) => `${k}: ${v} / ${got.get(k)}`);
				assert.deepEqual(differing.slice(0, 10), [], `asked ${name}`);
			}
		});
	}

	it("a member the rule turns into JSON because of its parent's size is JSON when asked first", () => {
		const checkout = structuredClone(FAMILY_NODES.find((f) => f.key === 'checkout')!.family);
		const op = planOperation(checkout.resources.find((r) => r.value === 'session')!.operations.find((o) => o.value === 'create')!);
		const lineItems = op.params.find((p) => p.name === 'line_items')!;
		const priceData = lineItems.items!.members!.find((m) => m.name === 'price_data')!;
		assert.equal(shapeKind(priceData, 1), 'json');
		assert.equal(shapeKind(lineItems, 0), 'list');
	});
});
