/**
 * Issue 20, point 8: required objects are open when the operation is chosen. From node version 1.1 a required
 * top-level object (a credit grant's Amount) is a collection whose default holds its required members; version 1
 * keeps the fixed collection behind its "Add …" button. Checked with n8n-workflow's own `getNodeParameters`, the
 * function the editor and the engine use to resolve a node's parameters (a new node: only resource and
 * operation set). Which members are required comes from the descriptors (stripe@17.4.0's typings), not from the
 * fields. The wire of both versions is in the differential (test/engine/differential.test.ts).
 */
import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import type { INode, INodeParameters } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import type { ParamSchema } from '../../nodes/shared/model/descriptor';
import { planOperation } from '../../nodes/shared/fields/json-rule';
import { shapeKind } from '../../nodes/shared/fields/shapes';
import { asCollection } from '../../nodes/shared/fields/shapes/group';
import { FAMILY_NODES } from '../support/families';
import { write } from '../support/write';
import { sampleValue } from '../support/samples';

interface RequiredObject {
	node: string;
	resource: string;
	operation: string;
	param: ParamSchema;
}

/** Every required top-level object shown as fields (not JSON, not a choice), from the descriptors. */
const objects: RequiredObject[] = FAMILY_NODES.flatMap(({ family, nodeType }) =>
	family.resources.flatMap((r) =>
		r.operations.flatMap((op) =>
			planOperation(op)
				.params.filter((p) => p.required && shapeKind(p) === 'group' && !asCollection(p))
				.map((param) => ({ node: nodeType.description.name, resource: r.value, operation: op.value, param })),
		),
	),
);

/** A node's parameters as n8n resolves them (defaults filled in, hidden ones left out), at a node version. */
function resolve(o: RequiredObject, version: number, values: INodeParameters = {}): INodeParameters {
	const { nodeType } = FAMILY_NODES.find((f) => f.nodeType.description.name === o.node)!;
	const node = { name: 'Stripe', type: `n8n-nodes-stripe.${o.node}`, typeVersion: version, parameters: {} } as unknown as INode;
	const parameters = { resource: o.resource, operation: o.operation, ...values };
	return NodeHelpers.getNodeParameters(nodeType.description.properties, parameters, true, false, node, nodeType.description) ?? {};
}

describe('required objects start open (node version 1.1); version 1 keeps its fixed collections', () => {
	it('finds the required objects: 16 fields of 15 operations (a credit grant’s amount and applicability_config among them)', () => {
		const ops = new Set(objects.map((o) => `${o.node} ${o.resource}.${o.operation}`));
		assert.equal(objects.length, 16, objects.map((o) => `${o.resource}.${o.operation} ${o.param.name}`).join('\n'));
		assert.equal(ops.size, 15);
		const grant = objects.filter((o) => o.resource === 'creditGrant' && o.operation === 'create').map((o) => o.param.name);
		assert.deepEqual(grant.sort(), ['amount', 'applicability_config']);
	});

	for (const o of objects) {
		const required = ((o.param.members ?? []) as ParamSchema[]).filter((m) => m.required).map((m) => m.name);
		it(`${o.node} ${o.resource}.${o.operation}: ${o.param.name} opens with its required members (${required.join(', ') || 'none'}) in 1.1, behind "Add …" in 1`, () => {
			// A new node of version 1.1: the object is there with every required member (n8n does not throw).
			const open = resolve(o, 1.1)[o.param.name] as INodeParameters | undefined;
			assert.ok(open && typeof open === 'object' && !('values' in open), `${o.param.name}: ${JSON.stringify(open)}`);
			for (const name of required) assert.ok(name in open, `${o.param.name}.${name} is not open: ${JSON.stringify(open)}`);
			// Nested required objects are open too, with their own required members.
			for (const m of (o.param.members ?? []) as ParamSchema[]) {
				if (!m.required || shapeKind(m, 1) !== 'group' || asCollection(m)) continue;
				const inner = (open[m.name] as { values?: INodeParameters }).values ?? {};
				for (const n of ((m.members ?? []) as ParamSchema[]).filter((x) => x.required)) assert.ok(n.name in inner, `${o.param.name}.${m.name}.${n.name}`);
			}
			// A new node of version 1: the fixed collection, empty until "Add …" is clicked (as before 1.1).
			assert.deepEqual(resolve(o, 1)[o.param.name], {});
			// A version 1 node's saved value keeps its values; under 1.1 n8n would drop that shape.
			const saved = write(sampleValue(o.param, o.param.name), o.param, 0, { path: '' }, 1) as INodeParameters;
			const kept = (resolve(o, 1, { [o.param.name]: saved })[o.param.name] as { values?: INodeParameters }).values ?? {};
			for (const name of Object.keys(saved.values as object)) assert.ok(name in kept, `version 1 dropped ${o.param.name}.${name}`);
			assert.ok(!('values' in (resolve(o, 1.1, { [o.param.name]: saved })[o.param.name] as object)));
		});
	}
});
