/**
 * n8n's lint rules on the built node descriptions.
 *
 * `npm run lint` (and n8n's package scanner) run eslint-plugin-n8n-nodes-base's `nodes` rule set on our
 * sources, but most of our properties are built at run time from the descriptors, where a linter sees nothing.
 * So this test takes every node's finished `description` (as n8n gets it), writes it out as the TypeScript
 * literal a hand-written node would contain (`class X implements INodeType { description = {…} }`, at the
 * node's own file name), and lints that with the same rule set and the same rules switched off as
 * `n8n-node lint` and the scanner (see eslint.config.mjs). Every rule must pass: every property has a
 * default of the right type, dynamic options are named and described the n8n way, ID/URL/JSON casing,
 * operations have sentence-case actions, descriptions follow n8n's punctuation, options are sorted, secrets
 * are password fields, and so on.
 *
 * One reading differs from the linter's, on purpose: the casing rules (ID, URL, JSON) are not applied inside
 * `code spans` of a description. There they are Stripe's parameter names and values (`webhook_endpoint.url`,
 * a `url` key), whose spelling matters; nodes/shared/fields/naming.ts cases the prose around them.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from '@jest/globals';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import type { INodePropertyOptions, INodeType, INodeTypeDescription } from 'n8n-workflow';

import { CUSTOM_API_CALL } from '../../nodes/shared/fields/custom-call';

// eslint-plugin-n8n-nodes-base ships no type declarations.

const n8nNodesBase = require('eslint-plugin-n8n-nodes-base') as { configs: Record<string, { rules: Record<string, unknown> }> };

const ROOT = path.join(__dirname, '../..');

const PKG = require(path.join(ROOT, '../package.json')) as { n8n: { nodes: string[] } };

/** The rules `n8n-node lint` and the scanner switch off for community nodes. */
const OFF = {
	'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
	'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
	'n8n-nodes-base/node-param-type-options-max-value-present': 'off',
} as const;

const CASING_RULES: Record<string, RegExp> = {
	'n8n-nodes-base/node-param-description-miscased-id': /\b(i|I)d(s?)\b/,
	'n8n-nodes-base/node-param-description-miscased-url': /\b(u|U)rl(s?)\b/,
	'n8n-nodes-base/node-param-description-miscased-json': /\b(j|J)son\b/,
};

/** A value as a TypeScript literal, keys unquoted where they can be (the rules look for identifier keys). */
function literal(v: unknown, depth = 1): string {
	const pad = '\t'.repeat(depth);
	const end = '\t'.repeat(depth - 1);
	if (Array.isArray(v)) return v.length ? `[\n${v.map((x) => pad + literal(x, depth + 1)).join(',\n')},\n${end}]` : '[]';
	if (v && typeof v === 'object') {
		const entries = Object.entries(v).filter(([, x]) => x !== undefined);
		if (!entries.length) return '{}';
		const key = (k: string) => (/^[A-Za-z_$][\w$]*$/.test(k) ? k : JSON.stringify(k));
		return `{\n${entries.map(([k, x]) => `${pad}${key(k)}: ${literal(x, depth + 1)}`).join(',\n')},\n${end}}`;
	}
	return JSON.stringify(v) ?? 'undefined';
}

/**
 * The description with the Custom API Call choice taken out of the Resource and Operation dropdowns, where it
 * is last, out of alphabetical order, on purpose: n8n appends its own there after loading (which is after n8n's
 * own nodes are linted) unless the last option already has that name (fields/custom-call.ts). Every other
 * option, and the choice's own action, are linted; a choice that is not last is left in (and fails the sort).
 */
function withoutCustomCallChoice(description: INodeTypeDescription): INodeTypeDescription {
	const properties = description.properties.map((p) => {
		const options = p.options as INodePropertyOptions[] | undefined;
		const last = options?.[options.length - 1];
		if (!['resource', 'operation'].includes(p.name) || last?.value !== CUSTOM_API_CALL || options!.length < 2) return p;
		return { ...p, options: options!.slice(0, -1) };
	});
	return { ...description, properties };
}

const linter = new ESLint({
	cwd: ROOT,
	overrideConfigFile: true,
	overrideConfig: [
		{ plugins: { 'n8n-nodes-base': n8nNodesBase as never } },
		{
			files: ['**/*.ts'],
			languageOptions: { parser: tseslint.parser as never },
			rules: { ...(n8nNodesBase.configs.nodes.rules as Record<string, never>), ...OFF },
		},
	],
});

describe('n8n lint rules on the built node descriptions', () => {
	for (const rel of PKG.n8n.nodes) {
		const file = path.join(ROOT, rel.replace(/^dist\//, ''));
		const base = path.basename(file, '.node.js');
		it(`${base}: eslint-plugin-n8n-nodes-base "nodes" rules, 0 errors`, async () => {
			const NodeClass = Object.values(require(file) as Record<string, unknown>).find((v) => typeof v === 'function') as new () => INodeType;
			const description = withoutCustomCallChoice(new NodeClass().description);
			const source =
				"import type { INodeType, INodeTypeDescription } from 'n8n-workflow';\n\n" +
				`export class ${NodeClass.name} implements INodeType {\n\tdescription: INodeTypeDescription = ${literal(description, 2)};\n}\n`;
			const lines = source.split('\n');
			const [result] = await linter.lintText(source, { filePath: path.join(ROOT, 'nodes', base, `${base}.node.ts`) });
			assert.equal(result.fatalErrorCount, 0, JSON.stringify(result.messages.slice(0, 3)));
			const problems = result.messages.filter((m) => {
				const casing = m.ruleId ? CASING_RULES[m.ruleId] : undefined;
				if (!casing) return true;
				const text = /^\s*description: (".*"),?$/.exec(lines[m.line - 1])?.[1];
				return text === undefined || casing.test((JSON.parse(text) as string).replace(/`[^`]*`/g, ''));
			});
			assert.deepEqual(
				problems.map((m) => `${m.ruleId}: ${lines[m.line - 1].trim().slice(0, 160)}`),
				[],
				`${problems.length} of n8n's lint rules fail on the built ${base} description`,
			);
		});
	}

	it("every action text and every resource name is used once across the package (n8n's node creator lists them together)", () => {
		const actions = new Map<string, string[]>();
		const resources = new Map<string, string[]>();
		for (const rel of PKG.n8n.nodes) {
			const NodeClass = Object.values(require(path.join(ROOT, rel.replace(/^dist\//, ''))) as Record<string, unknown>).find(
				(v) => typeof v === 'function',
			) as new () => INodeType;
			const { displayName, properties } = new NodeClass().description;
			for (const p of properties) {
				for (const o of (p.options ?? []) as Array<{ name: string; action?: string }>) {
					if (p.name === 'operation' && o.action) actions.set(o.action, [...(actions.get(o.action) ?? []), displayName]);
					// "Custom API Call" is the one resource name of every node, as n8n names its own choice in every node.
					if (p.name === 'resource' && o.name !== 'Custom API Call') resources.set(o.name, [...(resources.get(o.name) ?? []), displayName]);
				}
			}
		}
		assert.ok(actions.size > 500, `${actions.size} actions`);
		assert.deepEqual(
			[...actions].filter(([, nodes]) => nodes.length > 1),
			[],
			'actions shared by several operations',
		);
		assert.deepEqual(
			[...resources].filter(([, nodes]) => nodes.length > 1),
			[],
			'resource names shared by several nodes',
		);
	});

	it('the rule set really runs: a description with n8n-style mistakes is reported', async () => {
		const bad = {
			displayName: 'Bad',
			name: 'bad',
			group: ['transform'],
			version: 1,
			description: 'Bad node',
			defaults: { name: 'Bad' },
			inputs: ['main'],
			outputs: ['main'],
			properties: [
				{ displayName: 'Customer Id', name: 'customer', type: 'string', default: '', description: 'The customer id' },
				{ displayName: 'Note', name: 'note', type: 'string', description: 'A note' },
				{ displayName: 'Events', name: 'events', type: 'multiOptions', typeOptions: { loadOptionsMethod: 'x' }, default: [] },
			],
		};
		const source = `import type { INodeType, INodeTypeDescription } from 'n8n-workflow';\n\nexport class Bad implements INodeType {\n\tdescription: INodeTypeDescription = ${literal(bad, 2)};\n}\n`;
		const [result] = await linter.lintText(source, { filePath: path.join(ROOT, 'nodes', 'Bad', 'Bad.node.ts') });
		const rules = new Set(result.messages.map((m) => m.ruleId));
		for (const rule of [
			'n8n-nodes-base/node-param-default-missing',
			'n8n-nodes-base/node-param-display-name-miscased-id',
			'n8n-nodes-base/node-param-description-miscased-id',
			'n8n-nodes-base/node-param-display-name-wrong-for-dynamic-multi-options',
			'n8n-nodes-base/node-param-description-missing-from-dynamic-multi-options',
		]) {
			assert.ok(rules.has(rule), `${rule} was not reported: ${[...rules].join(', ')}`);
		}
	});
});
