/**
 * The architecture's "one of each", as checks anyone can also run with grep over nodes/ and credentials/:
 * - one client: only client.ts encodes parameters (encodeForm, encodeMultipart) and calls the transport's
 *   senders; nothing else builds a Stripe request;
 * - one pager: only pager.ts follows cursors (starting_after, ending_before, next_page, next_page_url, has_more);
 * - special operations are dispatched in special-operations.ts, by descriptor data;
 * - imports flow one way: no import cycle under nodes/ (type-only imports included), and the folders of
 *   nodes/shared/ import in the order model ← client ← pickers ← events, fields ← execution ← the nodes.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from '@jest/globals';
import ts from 'typescript';

const REPO = path.join(__dirname, '../../..');

function sources(): Array<{ file: string; text: string }> {
	const out: Array<{ file: string; text: string }> = [];
	const walk = (dir: string) => {
		for (const name of fs.readdirSync(path.join(REPO, dir))) {
			const rel = path.join(dir, name);
			if (fs.statSync(path.join(REPO, rel)).isDirectory()) walk(rel);
			else if (rel.endsWith('.ts')) out.push({ file: rel, text: fs.readFileSync(path.join(REPO, rel), 'utf8') });
		}
	};
	walk('nodes');
	walk('credentials');
	return out;
}

/** The identifiers a file's code uses (names, property names, keys), read with the TypeScript parser: comments and strings do not count. */
function identifiers(file: string, text: string): Set<string> {
	const found = new Set<string>();
	const visit = (node: ts.Node) => {
		if (ts.isIdentifier(node)) found.add(node.text);
		ts.forEachChild(node, visit);
	};
	visit(ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true));
	return found;
}

/** The files whose code uses any of these names. */
function filesUsing(...names: string[]): string[] {
	return sources()
		.filter(({ file, text }) => {
			const ids = identifiers(file, text);
			return names.some((n) => ids.has(n));
		})
		.map(({ file }) => file)
		.sort();
}

describe('one of each', () => {
	it('one client: parameters are encoded, and requests sent, only by nodes/shared/client/client.ts', () => {
		assert.deepEqual(filesUsing('encodeForm', 'encodeMultipart'), ['nodes/shared/client/client.ts', 'nodes/shared/client/encoding.ts']);
		assert.deepEqual(filesUsing('sendAnyAnswer', 'sendExpectingSuccess'), ['nodes/shared/client/client.ts', 'nodes/shared/client/transport.ts']);
		assert.deepEqual(filesUsing('httpRequest', 'httpRequestWithAuthentication'), ['nodes/shared/client/transport.ts']);
	});

	it('one pager: cursors are followed only by nodes/shared/client/pager.ts', () => {
		assert.deepEqual(filesUsing('starting_after', 'ending_before', 'next_page_url', 'next_page', 'has_more'), ['nodes/shared/client/pager.ts']);
	});

	it('one unit per field shape: field values become request values only in nodes/shared/fields/shapes/', () => {
		// values.ts checks a value against its schema (coerce); each shape's file builds its property and reads
		// its value with that check; the executor and properties.ts only call shapes/index.ts.
		const outside = (files: string[]) => files.filter((f) => !f.startsWith('nodes/shared/fields/shapes/'));
		assert.deepEqual(outside(filesUsing('coerce')), ['nodes/shared/fields/values.ts']);
		const building = sources()
			.filter(({ text }) => /type: 'fixedCollection'/.test(text))
			.map(({ file }) => file);
		// search.ts builds the one field of its own shape: a search operation's conditions (issue 24).
		assert.deepEqual(outside(building), ['nodes/shared/fields/search.ts'], 'nested field properties are built in shapes/ only');
		// A kind's unit is in the file named after it (`stringList` → string-list.ts), listed in SHAPES.
		const index = fs.readFileSync(path.join(REPO, 'nodes/shared/fields/shapes/index.ts'), 'utf8');
		const kinds = /SHAPES: Record<ShapeKind, ShapeUnit> = \{([^}]*)\}/.exec(index)![1].match(/\w+/g)!;
		assert.equal(kinds.length, 15);
		for (const kind of kinds) {
			const file = `nodes/shared/fields/shapes/${kind.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}.ts`;
			assert.match(fs.readFileSync(path.join(REPO, file), 'utf8'), new RegExp(`export const ${kind}: ShapeUnit`), file);
		}
	});

	it("the shapes' inverse (write) is the tests', not shipped", () => {
		assert.deepEqual(filesUsing('write', 'writeGroup'), []);
	});

	it('special operations are dispatched by descriptor data in nodes/shared/execution/special-operations.ts', () => {
		assert.deepEqual(filesUsing('prepareBinaryData', 'runCreditGrantReport', 'meterSessionToken'), [
			'nodes/shared/execution/reports/credit-grants.ts',
			'nodes/shared/execution/special-operations.ts',
		]);
	});
});

/** The files under nodes/ each file imports (also type-only, re-exports and `import()` types), as repository paths. */
function importGraph(): Map<string, string[]> {
	const graph = new Map<string, string[]>();
	for (const { file, text } of sources()) {
		if (!file.startsWith('nodes/')) continue;
		const specifiers: string[] = [];
		const visit = (node: ts.Node) => {
			if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
				specifiers.push(node.moduleSpecifier.text);
			} else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
				specifiers.push(node.argument.literal.text);
			} else if (ts.isCallExpression(node) && node.arguments.length === 1 && ts.isStringLiteral(node.arguments[0])) {
				const callee = node.expression;
				if (callee.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(callee) && callee.text === 'require')) specifiers.push(node.arguments[0].text);
			}
			ts.forEachChild(node, visit);
		};
		visit(ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true));
		const targets = specifiers
			.filter((s) => s.startsWith('.'))
			.map((s) => path.posix.join(path.posix.dirname(file), s))
			.map((t) => [`${t}.ts`, `${t}/index.ts`].find((c) => fs.existsSync(path.join(REPO, c))) ?? t);
		graph.set(file, [...new Set(targets)]);
	}
	return graph;
}

/** The first import cycle found (as a path that ends where it starts), or undefined. */
export function findCycle(graph: Map<string, string[]>): string[] | undefined {
	const done = new Set<string>();
	const stack: string[] = [];
	const onStack = new Set<string>();
	const visit = (file: string): string[] | undefined => {
		if (onStack.has(file)) return [...stack.slice(stack.indexOf(file)), file];
		if (done.has(file) || !graph.has(file)) return undefined;
		stack.push(file);
		onStack.add(file);
		for (const next of graph.get(file) ?? []) {
			const cycle = visit(next);
			if (cycle) return cycle;
		}
		stack.pop();
		onStack.delete(file);
		done.add(file);
		return undefined;
	};
	for (const file of [...graph.keys()].sort()) {
		const cycle = visit(file);
		if (cycle) return cycle;
	}
	return undefined;
}

/** The folders of nodes/shared/ in import order: a folder imports only from folders of a lower rank (and itself). */
const LAYERS: Record<string, number> = { model: 0, client: 1, pickers: 2, events: 3, fields: 3, execution: 4 };

/** A file's folder and rank: nodes/shared/<folder>/…, or a node's own folder (nodes/<Node>/…), which ranks above them all. */
function layerOf(file: string): { folder: string; rank: number } | undefined {
	const shared = /^nodes\/shared\/([^/]+)\//.exec(file);
	if (shared) return { folder: shared[1], rank: LAYERS[shared[1]] ?? NaN };
	const node = /^nodes\/([^/]+)\//.exec(file);
	return node ? { folder: node[1], rank: Object.keys(LAYERS).length } : undefined;
}

/** Imports between two nodes' own folders that are known and allowed (none: the triggers share nodes/shared/events/). */
const NODE_TO_NODE: string[] = [];

describe('imports flow one way', () => {
	it('the cycle check finds a cycle, type-only or not, and none in a chain', () => {
		assert.deepEqual(
			findCycle(
				new Map([
					['a', ['b']],
					['b', ['c']],
					['c', ['a']],
				]),
			),
			['a', 'b', 'c', 'a'],
		);
		assert.equal(
			findCycle(
				new Map([
					['a', ['b']],
					['b', ['c']],
					['c', []],
				]),
			),
			undefined,
		);
	});

	it('the import graph reads type-only imports and re-exports', () => {
		const graph = importGraph();
		assert.ok(graph.get('nodes/shared/execution/special-operations.ts')?.includes('nodes/shared/execution/build-request.ts'), 'import type');
		assert.ok(graph.size > 40, `${graph.size} files read`);
	});

	it('no import cycle under nodes/, not even type-only', () => {
		const cycle = findCycle(importGraph());
		assert.equal(cycle, undefined, `import cycle: ${cycle?.join(' → ')}`);
	});

	it('every folder of nodes/shared/ has a place in the import order', () => {
		const folders = fs.readdirSync(path.join(REPO, 'nodes/shared')).filter((n) => fs.statSync(path.join(REPO, 'nodes/shared', n)).isDirectory());
		assert.deepEqual(folders.sort(), Object.keys(LAYERS).sort());
	});

	it('folders import one way: model ← client ← pickers ← events, fields ← execution ← the nodes', () => {
		const wrong: string[] = [];
		for (const [file, targets] of importGraph()) {
			const from = layerOf(file);
			for (const target of targets) {
				const to = layerOf(target);
				if (!from || !to || from.folder === to.folder) continue;
				if (!(to.rank < from.rank) && !NODE_TO_NODE.includes(`${file} → ${target}`)) wrong.push(`${file} → ${target}`);
			}
		}
		assert.deepEqual(wrong, []);
	});
});
