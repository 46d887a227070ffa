/**
 * Coverage: every endpoint of the API reference (test/fixtures/seed-endpoints.json, a copy of the reference
 * list) is an operation of one of the family nodes, and every stripe@17.4.0 method is too. Hand-authored
 * operations (not in the SDK) are sent through n8n's engine and checked against the reference: method,
 * path, and that exactly the documented parameter names are sent.
 */
import '../harness/engine';

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
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
const seed = JSON.parse(fs.readFileSync(path.join(ROOT, 'test/fixtures/seed-endpoints.json'), 'utf8')) as SeedEndpoint[];
const FAMILY_TITLES = JSON.parse(fs.readFileSync(path.join(ROOT, 'descriptors/family-map.json'), 'utf8')).families as Record<string, { title: string }>;

/** `/v1/customers/{customer}/sources/{id}` → `/v1/customers/:id/sources/:id`, the reference's form. */
function normalise(p: string): string {
	return p.replace(/\{\w+\}/g, ':id');
}

const allOperations = FAMILY_NODES.flatMap(({ key, family }) =>
	family.resources.flatMap((r) => r.operations.map((op) => ({ familyKey: key, title: FAMILY_TITLES[key].title, resource: r.value, op }))),
);

describe('coverage of the API reference and of stripe@17.4.0', () => {
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

	it('every stripe@17.4.0 method but OAuth is an operation', () => {
		const sdkOps = allOperations.filter((o) => o.op.sdk).map((o) => o.op.sdk);
		assert.equal(new Set(sdkOps).size, sdkOps.length, 'no SDK method twice');
		// stripe@17.4.0 has 525 API methods; oauth.token is left out (see descriptors/family-map.json "excluded").
		assert.equal(sdkOps.length, 524);
		console.log(
			`coverage: ${sdkOps.length} stripe@17.4.0 methods, ${allOperations.length - sdkOps.length} hand-authored operations (one of them the credit grant report), ${allOperations.length} in all`,
		);
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
	before(async () => {
		server = await startCaptureServer(() => {
			const op = current!;
			if (op.response === 'binary') return { status: 200, body: Buffer.from('contents') };
			if (op.kind === 'list') return { status: 200, body: { object: 'list', data: [], has_more: false } };
			return { status: 200, body: { id: 'obj_1' } };
		});
	});
	after(async () => server.close());

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
