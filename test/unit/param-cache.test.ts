/**
 * param-cache.ts: parameters without expressions are read from n8n once per execution, expressions per item,
 * and every caller gets its own copy.
 */
import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';

import type { IExecuteFunctions } from 'n8n-workflow';

import { withParameterCache } from '../../nodes/shared/execution/param-cache';

/** A stand-in for n8n's context: stored parameters, `={{ $json.x }}` resolved from each item, calls counted. */
function fakeContext(parameters: Record<string, unknown>, items: Array<Record<string, unknown>>) {
	const calls: string[] = [];
	const resolve = (v: unknown, i: number): unknown => {
		if (typeof v === 'string' && v.startsWith('={{ $json.')) return items[i][v.slice(10, -3)];
		if (Array.isArray(v)) return v.map((x) => resolve(x, i));
		if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, resolve(x, i)]));
		return v;
	};
	const ctx = {
		marker: 'ctx',
		getNode() {
			return { name: (this as { marker: string }).marker };
		},
		getNodeParameter(name: string, i: number, fallback?: unknown, options?: { rawExpressions?: boolean }) {
			calls.push(`${name}@${i}${options?.rawExpressions ? ' raw' : ''}`);
			const v = parameters[name] ?? fallback;
			if (v === undefined) throw new Error(`Could not get parameter "${name}"`);
			return options?.rawExpressions ? v : resolve(v, i);
		},
	};
	return { ctx: ctx as unknown as IExecuteFunctions, calls };
}

describe('withParameterCache', () => {
	it('reads expression-free parameters once, expressions per item', () => {
		const { ctx, calls } = fakeContext(
			{ resource: 'customer', additionalFields: { name: '={{ $json.name }}', description: 'fixed' }, requestOptions: { maxRetries: 3 } },
			[{ name: 'a' }, { name: 'b' }, { name: 'c' }],
		);
		const p = withParameterCache(ctx);
		const got = [0, 1, 2].map((i) => [
			p.getNodeParameter('resource', i),
			p.getNodeParameter('additionalFields', i),
			p.getNodeParameter('requestOptions', i, {}),
		]);
		assert.deepEqual(
			got.map((g) => (g[1] as { name: string }).name),
			['a', 'b', 'c'],
		);
		assert.deepEqual(
			got.map((g) => g[0]),
			['customer', 'customer', 'customer'],
		);
		assert.deepEqual(
			got.map((g) => g[2]),
			[{ maxRetries: 3 }, { maxRetries: 3 }, { maxRetries: 3 }],
		);
		assert.equal(calls.filter((c) => c.startsWith('resource') && !c.endsWith('raw')).length, 1, 'resource read once');
		assert.equal(calls.filter((c) => c.startsWith('requestOptions') && !c.endsWith('raw')).length, 1, 'requestOptions read once');
		assert.equal(calls.filter((c) => c.startsWith('additionalFields') && !c.endsWith('raw')).length, 3, 'an expression: per item');
	});

	it('hands out copies, passes other calls and n8n errors through, keeps the context', () => {
		const { ctx } = fakeContext({ metadata: { entries: [{ key: 'k', value: 'v' }] } }, [{}, {}]);
		const p = withParameterCache(ctx);
		const first = p.getNodeParameter('metadata', 0) as { entries: Array<{ value: string }> };
		first.entries[0].value = 'changed';
		assert.deepEqual(p.getNodeParameter('metadata', 1), { entries: [{ key: 'k', value: 'v' }] });
		assert.throws(() => p.getNodeParameter('missing', 0), /Could not get parameter "missing"/);
		assert.equal(p.getNodeParameter('missing', 0, 'fallback'), 'fallback');
		assert.deepEqual(p.getNode(), { name: 'ctx' });
	});
});
