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

	it('one place per field shape: field values become request values only in nodes/shared/fields/shapes.ts', () => {
		// params.ts checks a value against its schema (coerce); shapes.ts decides each field's shape, builds its
		// property and reads its value with that check; the executor and properties.ts only call shapes.ts.
		assert.deepEqual(filesUsing('coerce'), ['nodes/shared/fields/shapes.ts', 'nodes/shared/fields/values.ts']);
		const building = sources()
			.filter(({ text }) => /type: 'fixedCollection'/.test(text))
			.map(({ file }) => file);
		// search.ts builds the one field of its own shape: a search operation's conditions (issue 24).
		assert.deepEqual(building, ['nodes/shared/fields/search.ts', 'nodes/shared/fields/shapes.ts'], 'nested field properties are built in shapes.ts only');
	});

	it('special operations are dispatched by descriptor data in nodes/shared/execution/special-operations.ts', () => {
		assert.deepEqual(filesUsing('prepareBinaryData', 'runCreditGrantReport', 'meterSessionToken'), [
			'nodes/shared/execution/reports/credit-grants.ts',
			'nodes/shared/execution/special-operations.ts',
		]);
	});
});
