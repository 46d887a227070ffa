/**
 * The architecture's "one of each", as checks anyone can also run with grep over nodes/ and credentials/:
 * - one client: only client.ts encodes parameters (encodeForm, encodeMultipart) and calls the transport's
 *   senders; nothing else builds a Stripe request;
 * - one pager: only pager.ts follows cursors (starting_after, ending_before, next_page, next_page_url, has_more);
 * - special operations are dispatched in special.ts, by descriptor data.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
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
		assert.deepEqual(outside(building), [], 'nested field properties are built in shapes/ only');
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
