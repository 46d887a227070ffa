/**
 * Output schemas in the built package: every operation of every node has one, where n8n looks for it, in the
 * shape n8n's editor reads.
 *
 * n8n 2.41 serves `/schemas/<node>/<version>/<resource>/<operation>.json` with n8n-core's
 * `resolveOutputSchemaPath` from the node file's folder (`LoadNodesAndCredentials.resolveSchema`: the folder of
 * the node's `sourcePath`, so a community package's `dist/nodes/<Node>/`), and the editor turns the JSON Schema
 * into its schema view: `type: "object"` with `properties`, `type: "array"` with `items`, any other `type` a
 * leaf. So this test asks n8n-core's own resolver for each operation's file in `dist/` (what `npm pack`
 * ships), reads it as n8n does, and checks its shape with the rules n8n's built-in Stripe node's
 * `__schema__` files follow (checked on those files too, so the rules are n8n's and not only ours).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from '@jest/globals';
import { resolveOutputSchemaPath } from 'n8n-core';
import type { INodeProperties, INodeType } from 'n8n-workflow';
import { CUSTOM_API_CALL_VALUES } from '../../nodes/shared/fields/custom-call';

const REPO = path.join(__dirname, '../../..');
const PKG = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { n8n: { nodes: string[] } };

const JSON_SCHEMA_TYPES = new Set(['object', 'array', 'string', 'number', 'integer', 'boolean', 'null']);

/** What is wrong with `schema` as an output schema for n8n's editor (empty: nothing). */
export function schemaProblems(schema: unknown, at = '(root)'): string[] {
	if (!schema || typeof schema !== 'object' || Array.isArray(schema)) return [`${at}: not a JSON Schema object`];
	const s = schema as Record<string, unknown>;
	const problems: string[] = [];
	for (const key of Object.keys(s)) {
		if (!['type', 'properties', 'items', 'required', 'version'].includes(key)) problems.push(`${at}: unexpected keyword "${key}"`);
	}
	if (typeof s.type !== 'string' || !JSON_SCHEMA_TYPES.has(s.type)) return [...problems, `${at}: type ${JSON.stringify(s.type)} is not a JSON Schema type`];
	if (s.properties !== undefined) {
		if (s.type !== 'object') problems.push(`${at}: properties on a ${s.type}`);
		if (!s.properties || typeof s.properties !== 'object' || Array.isArray(s.properties)) problems.push(`${at}: properties is not an object`);
		else for (const [name, sub] of Object.entries(s.properties)) problems.push(...schemaProblems(sub, `${at}.${name}`));
	}
	if (s.type === 'array') {
		if (s.items === undefined) problems.push(`${at}: an array without items`);
		else problems.push(...schemaProblems(s.items, `${at}[]`));
	} else if (s.items !== undefined) problems.push(`${at}: items on a ${s.type}`);
	if (s.required !== undefined && (!Array.isArray(s.required) || s.required.some((r) => typeof r !== 'string')))
		problems.push(`${at}: required is not a list of names`);
	return problems;
}

/**
 * Every resource and operation a node's Resource/Operation dropdowns offer; not Custom API Call, whose answer
 * is whatever the endpoint it calls returns (n8n's own nodes have no schema for it either).
 */
function operationsOf(properties: INodeProperties[]): Array<{ resource: string; operation: string }> {
	const out: Array<{ resource: string; operation: string }> = [];
	for (const p of properties) {
		if (p.name !== 'operation' || p.type !== 'options') continue;
		const resources = (p.displayOptions?.show?.resource ?? []) as string[];
		for (const resource of resources)
			for (const o of p.options ?? []) {
				const operation = String((o as { value: unknown }).value);
				if (!CUSTOM_API_CALL_VALUES.includes(operation) && !CUSTOM_API_CALL_VALUES.includes(resource)) out.push({ resource, operation });
			}
	}
	return out;
}

function loadNode(rel: string): { type: INodeType; dir: string; name: string } {
	const file = path.join(REPO, rel);
	const NodeClass = Object.values(require(file) as Record<string, unknown>).find((v) => typeof v === 'function') as new () => INodeType;
	return { type: new NodeClass(), dir: path.dirname(file), name: path.basename(file, '.node.js') };
}

describe('output schemas in the built package', () => {
	it("the shape rules accept n8n's built-in Stripe node's __schema__ files (the rules are n8n's)", () => {
		const base = path.join(path.dirname(require.resolve('n8n-nodes-base/package.json')), 'dist/nodes/Stripe/__schema__');
		const files = fs.readdirSync(base, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.json'));
		assert.ok(files.length >= 5, `n8n-nodes-base's Stripe node ships __schema__ files (found ${files.length})`);
		for (const f of files) {
			assert.match(f, /^v\d+\.\d+\.\d+\/[a-zA-Z]+\/[a-zA-Z]+\.json$/, `n8n's layout is v<x.y.z>/<resource>/<operation>.json: ${f}`);
			const schema = JSON.parse(fs.readFileSync(path.join(base, f), 'utf8')) as { type: string };
			assert.deepEqual(schemaProblems(schema), [], f);
			assert.equal(schema.type, 'object', f);
		}
	});

	it('the shape rules reject what the editor cannot read', () => {
		assert.notDeepEqual(schemaProblems({ type: 'array' }), []);
		assert.notDeepEqual(schemaProblems({ type: 'object', properties: { a: { type: 'date' } } }), []);
		assert.notDeepEqual(schemaProblems({ type: 'object', properties: { a: {} } }), []);
		assert.notDeepEqual(schemaProblems({ anyOf: [{ type: 'string' }] }), []);
		assert.notDeepEqual(schemaProblems({ type: 'string', properties: {} }), []);
	});

	let total = 0;
	for (const rel of PKG.n8n.nodes) {
		const { type, dir, name } = loadNode(rel);
		const operations = operationsOf(type.description.properties);
		if (!operations.length) continue; // the trigger: no Resource/Operation, nothing to look up
		total += operations.length;
		it(`${name}: each of its ${operations.length} operations has an output schema n8n finds and its editor reads`, () => {
			const versions = ([] as number[]).concat(type.description.version);
			const missing: string[] = [];
			const bad: string[] = [];
			for (const version of versions)
				for (const { resource, operation } of operations) {
					// What n8n's /schemas/:node/:version/:resource/:operation.json route resolves (exact version).
					const file = resolveOutputSchemaPath({ nodeDir: dir, version: String(version), resource, operation });
					if (!file || !fs.existsSync(file)) missing.push(`v${version} ${resource}/${operation}`);
					else
						assert.equal(
							path.relative(dir, file),
							path.join('__schema__', `v${[...String(version).split('.'), '0', '0'].slice(0, 3).join('.')}`, resource, `${operation}.json`),
						);
				}
			for (const { resource, operation } of operations) {
				const file = resolveOutputSchemaPath({ nodeDir: dir, version: String(versions[versions.length - 1]), resource, operation });
				if (!file || !fs.existsSync(file)) continue;
				let schema: unknown;
				try {
					schema = JSON.parse(fs.readFileSync(file, 'utf8'));
				} catch (e) {
					bad.push(`${resource}/${operation}: not JSON (${(e as Error).message})`);
					continue;
				}
				const problems = schemaProblems(schema);
				if ((schema as { type?: unknown }).type !== 'object') problems.push('(root): an output item is an object');
				if (!(schema as { properties?: unknown }).properties) problems.push('(root): no properties');
				bad.push(...problems.slice(0, 3).map((p) => `${resource}/${operation}: ${p}`));
			}
			assert.deepEqual(missing, [], `${name}: operations without an output schema in ${path.relative(REPO, dir)}/__schema__`);
			assert.deepEqual(bad, [], `${name}: output schemas n8n's editor cannot read`);
		});
	}

	it('covers the whole package (every operation of the 22 family nodes)', () => {
		assert.ok(total >= 559, `operations checked: ${total}`);
	});
});
