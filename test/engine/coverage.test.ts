/**
 * Coverage, checked against the two sources the family map was built from, read directly:
 * - stripe@17.4.0 itself: every method in its `cjs/resources/` method tables (read as text, not through the
 *   generator) is an operation with the same HTTP method and path, and every operation that names a
 *   stripe-node method (`sdk`) has that method's HTTP method and path;
 * - the API reference's endpoint list (test/fixtures/seed-endpoints.json: a byte-for-byte copy of the
 *   project's reference list `seed-endpoints.json`, every endpoint link of Stripe's API reference with its
 *   family, section and stripe-node method; CI runs from a clean clone, so the copy is committed): every
 *   endpoint is an operation of the node of its family, and where it names a stripe-node method, that
 *   operation calls it.
 * Hand-authored operations (not in the SDK) are sent through n8n's engine and checked against the
 * reference: method, path, and that exactly the documented parameter names are sent.
 */
import '../harness/engine';

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import nock from 'nock';

import type { OperationDescriptor } from '../../nodes/shared/model/descriptor';
import { runNode } from '../harness/engine';
import type { CaptureServer } from '../support/capture';
import { parseMultipart, startCaptureServer } from '../support/capture';
import { FAMILY_NODES } from '../support/families';
import { casesFor } from '../support/samples';

nock.restore();

interface SeedEndpoint {
	method: string;
	path: string;
	family: string;
	sdkPath: string | null;
	sectionBadge: string | null;
}

const ROOT = path.join(__dirname, '../../..');
const SEED_FILE = path.join(ROOT, 'test/fixtures/seed-endpoints.json');
/** The reference list beside the repository (or its worktree) on the project's machines; not in a clone. */
const SHARED_SEED_FILE = ['..', '../..'].map((up) => path.join(ROOT, up, 'shared/stripe/seed-endpoints.json')).find((file) => fs.existsSync(file));
const seed = JSON.parse(fs.readFileSync(SEED_FILE, 'utf8')) as SeedEndpoint[];
const FAMILY_TITLES = JSON.parse(fs.readFileSync(path.join(ROOT, 'descriptors/family-map.json'), 'utf8')).families as Record<string, { title: string }>;

/** `/v1/customers/{customer}/sources/{id}` → `/v1/customers/:id/sources/:id`, the reference's form. */
function normalise(p: string): string {
	return p.replace(/\{\w+\}/g, ':id');
}

interface SdkMethod {
	sdk: string;
	method: string;
	fullPath: string;
}

/**
 * The methods of stripe@17.4.0, read from the text of its method tables (cjs/resources/**): each
 * `name: stripeMethod({ method, fullPath })`, and the two hand-written branches of `accounts.retrieve`. The
 * method's name is its resource file's path in camel case (`V2/Core/EventDestinations.js` →
 * `v2.core.eventDestinations`), as stripe-node names its namespaces. OAuth (connect.stripe.com, `path`
 * instead of `fullPath`) is not an API method and is not read.
 */
function stripeMethods(): SdkMethod[] {
	const dir = path.join(path.dirname(require.resolve('stripe')), 'resources');
	const out: SdkMethod[] = [];
	const walk = (rel: string) => {
		for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
			const file = path.join(rel, entry.name);
			if (entry.isDirectory()) walk(file);
			else if (entry.name.endsWith('.js')) read(file);
		}
	};
	const read = (file: string) => {
		const text = fs.readFileSync(path.join(dir, file), 'utf8');
		const resource = file
			.replace(/\.js$/, '')
			.split(path.sep)
			.map((part) => part[0].toLowerCase() + part.slice(1))
			.join('.');
		const spec = /(?:(\w+): )?stripeMethod\(\{\s*method: '(\w+)',\s*fullPath: '([^']+)'/g;
		for (const m of text.matchAll(spec)) {
			// A nested `return stripeMethod({…})` belongs to the enclosing method (`retrieve(id, ...args) {`).
			const name = m[1] ?? [...text.slice(0, m.index).matchAll(/^\s*(\w+)\([^()]*\) \{/gm)].pop()?.[1];
			out.push({ sdk: `${resource}.${name}`, method: m[2], fullPath: m[3] });
		}
	};
	walk('.');
	return out;
}

const SDK_METHODS = stripeMethods();

const allOperations = FAMILY_NODES.flatMap(({ key, family }) =>
	family.resources.flatMap((r) => r.operations.map((op) => ({ familyKey: key, title: FAMILY_TITLES[key].title, resource: r.value, op }))),
);

describe('coverage of stripe@17.4.0, read from its method tables', () => {
	it('the method tables were read', () => {
		// stripe@17.4.0's cjs/resources hold 525 literal `fullPath` specs: 524 methods, accounts.retrieve with two
		// (/v1/accounts/{id}, /v1/account). (The 526th `fullPath` is v2 events' related-object URL, not a method.)
		assert.equal(SDK_METHODS.length, 525);
		assert.equal(new Set(SDK_METHODS.map((m) => m.sdk)).size, 524);
		assert.equal(new Set(SDK_METHODS.map((m) => `${m.sdk} ${m.method} ${m.fullPath}`)).size, SDK_METHODS.length);
	});

	it('every method of stripe@17.4.0 is an operation with its HTTP method and path', () => {
		const missing = SDK_METHODS.filter((m) => !allOperations.some(({ op }) => op.method === m.method && op.path === m.fullPath));
		assert.deepEqual(
			missing.map((m) => `${m.sdk}: ${m.method} ${m.fullPath}`),
			[],
		);
	});

	it("every operation that names a stripe-node method has that method's HTTP method and path", () => {
		const bySdk = new Map<string, SdkMethod[]>();
		for (const m of SDK_METHODS) bySdk.set(m.sdk, [...(bySdk.get(m.sdk) ?? []), m]);
		const sdkOps = allOperations.filter((o) => o.op.sdk);
		assert.equal(new Set(sdkOps.map((o) => o.op.sdk)).size, sdkOps.length, 'no SDK method twice');
		const wrong = sdkOps.filter(({ op }) => !(bySdk.get(op.sdk!) ?? []).some((m) => m.method === op.method && m.fullPath === op.path));
		assert.deepEqual(
			wrong.map(({ op }) => `${op.sdk}: ${op.method} ${op.path}`),
			[],
		);
		// Every named stripe-node method is an operation (one of accounts.retrieve's two paths is enough).
		assert.deepEqual(
			[...bySdk.keys()].filter((sdk) => !sdkOps.some((o) => o.op.sdk === sdk)),
			[],
		);
		console.log(
			`coverage: ${bySdk.size} stripe@17.4.0 methods (${SDK_METHODS.length} method + path pairs), ${allOperations.length - sdkOps.length} hand-authored operations (one of them the credit grant report), ${allOperations.length} in all`,
		);
	});
});

describe('coverage of the API reference (its endpoint list)', () => {
	// Skipped in a clean clone, where shared/stripe/seed-endpoints.json is not beside the repository.
	(SHARED_SEED_FILE ? it : it.skip)('the committed copy is the reference list (when the list is beside the repository)', () => {
		assert.ok(SHARED_SEED_FILE);
		assert.ok(fs.readFileSync(SEED_FILE).equals(fs.readFileSync(SHARED_SEED_FILE)), 'test/fixtures/seed-endpoints.json differs from the reference list');
	});

	it('every distinct reference endpoint is an operation of the node of its family', () => {
		const distinct = new Map<string, SeedEndpoint>();
		for (const e of seed) distinct.set(`${e.method} ${e.path}`, e);
		const missing: string[] = [];
		for (const [id, e] of distinct) {
			const found = allOperations.find((o) => `${o.op.method} ${normalise(o.op.path)}` === id && o.title === e.family);
			if (!found) missing.push(`${id} (${e.family})`);
		}
		assert.deepEqual(missing, []);
		assert.equal(distinct.size, 540);
		console.log(`coverage: ${distinct.size - missing.length}/${distinct.size} distinct reference endpoints reachable`);
	});

	it('where the reference names a stripe-node method, the operation of that endpoint calls it', () => {
		const wrong: string[] = [];
		for (const e of seed.filter((x) => x.sdkPath)) {
			const ops = allOperations.filter((o) => o.op.method === e.method && normalise(o.op.path) === e.path);
			if (!ops.some((o) => o.op.sdk === e.sdkPath))
				wrong.push(`${e.method} ${e.path}: ${e.sdkPath}, found ${ops.map((o) => o.op.sdk ?? 'hand-authored').join(', ')}`);
		}
		assert.deepEqual(wrong, []);
	});

	it('test helpers, previews and deprecated endpoints are labelled', () => {
		for (const { op } of allOperations) {
			if (op.path.includes('/test_helpers/')) assert.match(op.name, /\(Test Mode Only\)/, op.path);
			if (op.badges?.includes('preview')) assert.match(op.name, /\(Preview\)/, op.path);
			if (op.badges?.includes('deprecated')) assert.match(op.name, /\(Deprecated\)/, op.path);
		}
		for (const e of seed.filter((x) => x.sectionBadge === 'Preview feature')) {
			const o = allOperations.find((x) => x.op.method === e.method && normalise(x.op.path) === e.path);
			assert.ok(o?.op.badges?.includes('preview'), `${e.method} ${e.path} is a preview feature`);
		}
	});
});

describe('hand-authored operations, sent through the engine, match the reference', () => {
	let server: CaptureServer;
	let current: OperationDescriptor | undefined;
	beforeAll(async () => {
		server = await startCaptureServer(() => {
			const op = current!;
			if (op.response === 'binary') return { status: 200, body: Buffer.from('contents') };
			if (op.kind === 'list') return { status: 200, body: { object: 'list', data: [], has_more: false } };
			return { status: 200, body: { id: 'obj_1' } };
		});
	});
	afterAll(async () => server.close());

	// Composite reports (kind "report") send many requests; test/engine/credit-report.test.ts covers them, and
	// test/engine/find.test.ts Find and Find or Create (one or more requests of other operations).
	for (const { familyKey, resource, op } of allOperations.filter((o) => !o.op.sdk && !['report', 'find', 'findOrCreate'].includes(o.op.kind))) {
		const { nodeType } = FAMILY_NODES.find((f) => f.key === familyKey)!;
		for (const c of casesFor(op)) {
			it(`${familyKey}/${resource}.${op.value} (${op.method} ${op.path}) — ${c.label}`, async () => {
				current = op;
				server.requests.length = 0;
				const parameters: Record<string, unknown> = { resource, operation: op.value, ...c.nodeParams };
				if (op.kind !== 'plain') Object.assign(parameters, { returnAll: false, limit: 10 });
				const result = await runNode({
					nodeType,
					parameters: parameters as never,
					credentials: { stripeKeyApi: { secretKey: 'sk_test_reference', baseUrl: server.url } },
				});
				assert.equal(result.nodeError, undefined, result.nodeError?.message);
				assert.equal(server.requests.length, 1);
				const req = server.requests[0];
				assert.equal(req.method, op.method);
				const [pathname, query = ''] = req.url.split('?');
				assert.equal(normalise(pathname.replace(/\/[a-z_]+_Test\d/g, '/{x}')), normalise(op.path));
				// Top-level parameter names sent: exactly the sample's (+ limit for lists), all documented.
				const raw = op.method === 'GET' || op.method === 'DELETE' ? query : req.body.toString();
				const sentNames = new Set(
					raw
						.split('&')
						.filter(Boolean)
						.map((pair) => decodeURIComponent(pair.split('=')[0]).replace(/\[.*$/, '')),
				);
				const documented = new Set(op.params.map((p) => p.name));
				for (const name of sentNames) assert.ok(documented.has(name), `${name} is a documented parameter`);
				const expected = new Set([...Object.keys(c.sdkParams), ...(op.kind === 'list' ? ['limit'] : [])]);
				assert.deepEqual([...sentNames].sort(), [...expected].sort());
				// Preview operations that need a beta flag send it after the version (Stripe's reference examples).
				assert.equal(req.headers['stripe-version'], op.betaVersion ? `2024-11-20.acacia; ${op.betaVersion}` : '2024-11-20.acacia');
				assert.equal(req.headers.authorization, 'Bearer sk_test_reference');
				if (op.response === 'binary') assert.ok(result.items[0][0].binary?.data, 'binary output');
				if (String(req.headers['content-type']).startsWith('multipart/')) parseMultipart(req.body, String(req.headers['content-type']));
			});
		}
	}
});
