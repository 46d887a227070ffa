/**
 * Custom API Call (issue 24 point 4): every family node sends a request to any Stripe endpoint itself. The
 * requests are compared on the wire with what stripe@17.4.0 sends for the same call — `stripe.rawRequest`
 * for v1 and v2 (it takes parameters on POST only: GET and DELETE queries are written into its path by
 * hand here), `stripe.files.create` for a file upload — on one loopback capture server.
 */
import '../harness/engine';

import assert from 'node:assert/strict';
import nock from 'nock';
import { afterAll, beforeAll, describe, it } from '@jest/globals';

import { customHost } from '../../nodes/shared/fields/custom-call';
import { baseUrlFor } from '../../nodes/shared/client/transport';
import { runNode } from '../harness/engine';
import type { CaptureServer } from '../support/capture';
import { comparable, startCaptureServer, stripeNodeAt } from '../support/capture';
import { FAMILY_NODES } from '../support/families';

nock.restore(); // real loopback server on both sides (see differential.test.ts)

const API_VERSION = '2024-11-20.acacia';
const ACCOUNT = 'acct_1CustomCall';
/** The package's own Custom API Call choice; n8n's injected one (`__CUSTOM_API_CALL__`) in saved workflows. */
const CUSTOM = 'customApiCall';
const N8N_CUSTOM = '__CUSTOM_API_CALL__';

let server: CaptureServer;
/** Statuses of the next answers (then 200). */
const statuses: number[] = [];
beforeAll(async () => {
	server = await startCaptureServer(() => {
		const status = statuses.shift() ?? 200;
		return { status, body: status === 200 ? { id: 'obj_123', object: 'thing' } : { error: { type: 'api_error', message: 'try again' } } };
	});
});
afterAll(async () => server.close());

function sdk() {
	return stripeNodeAt(server.url, 'sk_test_custom');
}

async function runCustom(parameters: Record<string, unknown>, nodeIndex = 0, inputItems?: unknown[]) {
	return runNode({
		nodeType: FAMILY_NODES[nodeIndex].nodeType as never,
		parameters: { resource: FAMILY_NODES[nodeIndex].family.resources[0].value, operation: CUSTOM, ...parameters } as never,
		credentials: { stripeKeyApi: { secretKey: 'sk_test_custom', stripeAccount: ACCOUNT, apiVersion: API_VERSION, baseUrl: server.url } },
		inputItems: (inputItems ?? [{ json: {} }]) as never,
	});
}

const entries = (pairs: Record<string, string>) => ({ entries: Object.entries(pairs).map(([key, value]) => ({ key, value })) });

/** Send with stripe-node, then with the node; the two requests must be the same. */
async function same(sendSdk: () => Promise<unknown>, parameters: Record<string, unknown>, nodeIndex = 0, inputItems?: unknown[]) {
	server.requests.length = 0;
	await sendSdk();
	const result = await runCustom(parameters, nodeIndex, inputItems);
	if (result.nodeError) throw new Error(`node failed: ${result.nodeError.message} ${result.nodeError.description ?? ''}`);
	assert.equal(server.requests.length, 2, 'each side sends exactly one request');
	const [theirs, ours] = server.requests.map(comparable);
	assert.deepEqual(ours, theirs);
	assert.deepEqual(
		result.items[0].map((i) => i.json),
		[{ id: 'obj_123', object: 'thing' }],
	);
	return server.requests;
}

describe('Custom API Call vs stripe@17.4.0 rawRequest', () => {
	it('v1 POST with parameters as fields (nested names in brackets): form-encoded like stripe-node', async () => {
		await same(
			() =>
				sdk().rawRequest(
					'POST',
					'/v1/customers',
					{ email: 'bob@example.com', metadata: { order_id: '42', 'a b': 'x&y' }, preferred_locales: ['en', 'fr'] },
					{ stripeAccount: ACCOUNT },
				),
			{
				customMethod: 'POST',
				customPath: '/v1/customers',
				customSend: 'fields',
				customParameters: entries({
					email: 'bob@example.com',
					'metadata[order_id]': '42',
					'metadata[a b]': 'x&y',
					'preferred_locales[0]': 'en',
					'preferred_locales[1]': 'fr',
				}),
			},
		);
	});

	it('v1 POST with JSON parameters and a user idempotency key, in another family node', async () => {
		const params = { amount: 2000, currency: 'usd', automatic_payment_methods: { enabled: true }, metadata: { n: '1' } };
		const [theirs, ours] = await same(
			() => sdk().rawRequest('POST', '/v1/payment_intents', params, { stripeAccount: ACCOUNT, idempotencyKey: 'custom-key-1' }),
			{
				customMethod: 'POST',
				customPath: '/v1/payment_intents',
				customSend: 'json',
				customJson: JSON.stringify(params),
				requestOptions: { idempotencyKey: 'custom-key-1' },
			},
			5,
		);
		assert.equal(ours.headers['idempotency-key'], 'custom-key-1');
		assert.equal(theirs.headers['idempotency-key'], 'custom-key-1');
	});

	it('v1 GET: parameters go to the query string, as stripe-node encodes them', async () => {
		await same(() => sdk().rawRequest('GET', '/v1/customers?email=bob%40example.com&limit=3&created[gte]=1700000000', null, { stripeAccount: ACCOUNT }), {
			customMethod: 'GET',
			customPath: '/v1/customers',
			customSend: 'fields',
			customParameters: entries({ email: 'bob@example.com', limit: '3', 'created[gte]': '1700000000' }),
		});
	});

	it('v1 DELETE, and the Connected Account of Request Options', async () => {
		const requests = await same(() => sdk().rawRequest('DELETE', '/v1/customers/cus_123', null, { stripeAccount: 'acct_1Other' }), {
			customMethod: 'DELETE',
			customPath: '/v1/customers/cus_123',
			requestOptions: { stripeAccount: 'acct_1Other' },
		});
		assert.equal(requests[1].headers['stripe-account'], 'acct_1Other');
	});

	it('v2 POST: a JSON body with numbers and booleans, Stripe-Context from the credential', async () => {
		const body = {
			name: 'n8n',
			type: 'webhook_endpoint',
			enabled_events: ['v1.billing.meter.error_report_triggered'],
			webhook_endpoint: { url: 'https://example.com/hook' },
			include: [],
		};
		const requests = await same(() => sdk().rawRequest('POST', '/v2/core/event_destinations', body, { stripeContext: ACCOUNT }), {
			customMethod: 'POST',
			customPath: '/v2/core/event_destinations',
			customSend: 'json',
			customJson: body,
		});
		assert.equal(requests[1].headers['content-type'], 'application/json');
		assert.equal(requests[1].headers['stripe-context'], ACCOUNT);
		assert.ok(requests[1].headers['idempotency-key'], 'v2 POST carries an Idempotency-Key, as stripe-node');
	});

	it('v2 GET with a query: as stripe-node’s own v2 methods (no body); rawRequest differs only by a body "{}"', async () => {
		const parameters = {
			customMethod: 'GET',
			customPath: '/v2/core/event_destinations/ed_123',
			customSend: 'fields',
			customParameters: entries({ 'include[0]': 'webhook_endpoint.url', 'include[1]': 'webhook_endpoint.signing_secret' }),
		};
		const include = ['webhook_endpoint.url', 'webhook_endpoint.signing_secret'];
		await same(() => sdk().v2.core.eventDestinations.retrieve('ed_123', { include }, { stripeContext: ACCOUNT }), parameters);
		// rawRequest JSON-encodes its (empty) parameters even on a GET (stripe-node itself then warns "GET method had
		// non-zero contentLength but no payload is expected for this verb"); the node sends no body, as the v2 methods.
		server.requests.length = 0;
		await sdk().rawRequest('GET', '/v2/core/event_destinations/ed_123?include=webhook_endpoint.url&include=webhook_endpoint.signing_secret', null, {
			stripeContext: ACCOUNT,
		});
		await runCustom(parameters);
		const [raw, ours] = server.requests.map(comparable);
		assert.deepEqual(raw.body, {});
		assert.equal(ours.body, '');
		assert.deepEqual({ ...ours, body: {} }, raw);
	});

	it('a file upload (POST /v1/files with a binary field) is the multipart body of stripe.files.create', async () => {
		const data = Buffer.from('%PDF-1.4 custom');
		await same(
			() =>
				sdk().files.create(
					{ purpose: 'dispute_evidence', file: { data, name: 'evidence.pdf', type: 'application/pdf' } },
					{ stripeAccount: ACCOUNT, host: '127.0.0.1' },
				),
			{ customMethod: 'POST', customPath: '/v1/files', customSend: 'fields', customParameters: entries({ purpose: 'dispute_evidence' }), customFile: 'data' },
			0,
			[{ json: {}, binary: { data: { content: data, fileName: 'evidence.pdf', mimeType: 'application/pdf' } } }],
		);
	});

	it('retries like every operation: a 500 is sent again with the same idempotency key', async () => {
		server.requests.length = 0;
		statuses.push(500);
		const result = await runCustom({ customMethod: 'POST', customPath: '/v1/customers', customSend: 'fields', customParameters: entries({ email: 'a@b.co' }) });
		assert.equal(result.nodeError, undefined);
		assert.equal(server.requests.length, 2);
		assert.ok(server.requests[0].headers['idempotency-key']);
		assert.equal(server.requests[1].headers['idempotency-key'], server.requests[0].headers['idempotency-key']);
	});
});

describe('Custom API Call: what is refused before sending', () => {
	const cases: Array<[string, Record<string, unknown>, RegExp]> = [
		['a full URL', { customPath: 'https://evil.example/v1/customers' }, /is a URL/],
		['a protocol-relative URL', { customPath: '//evil.example/v1/customers' }, /is a URL/],
		['another API version', { customPath: '/v3/customers' }, /must start with \/v1\/ or \/v2\//],
		['a path without its slash', { customPath: 'v1/customers' }, /must start with/],
		['a path with ..', { customPath: '/v1/../admin' }, /must start with/],
		['a fragment', { customPath: '/v1/customers#x' }, /must start with/],
		['an empty path (from an expression)', { customPath: '={{ "" }}' }, /is required/],
		['another method', { customMethod: 'PUT', customPath: '/v1/customers' }, /GET, POST or DELETE/],
		['invalid JSON', { customPath: '/v1/customers', customMethod: 'POST', customSend: 'json', customJson: '{"a":' }, /invalid JSON/],
		['a file for v2', { customPath: '/v2/core/event_destinations', customMethod: 'POST', customFile: 'data' }, /v1 endpoints only/],
		['a missing binary field', { customPath: '/v1/files', customMethod: 'POST', customFile: 'data' }, /no binary property "data"/],
		[
			'a parameter given twice',
			{ customPath: '/v1/customers', customSend: 'fields', customParameters: entries({ 'metadata[a]': '1', metadata: 'x' }) },
			/given twice|already has a value/,
		],
	];
	for (const [what, parameters, reason] of cases) {
		it(`${what}: a clear error naming the item and the field, nothing sent`, async () => {
			server.requests.length = 0;
			const result = await runCustom(parameters);
			assert.ok(result.nodeError, 'the node fails');
			assert.match(result.nodeError.message, /Invalid parameter in item 0: "/);
			assert.match(result.nodeError.message, reason);
			assert.equal(server.requests.length, 0);
		});
	}
});

describe('Custom API Call: the files host where Stripe uses it', () => {
	it('the host table gives every operation of the 22 families the host of its descriptor (from stripe@17.4.0)', () => {
		let checked = 0;
		for (const { family } of FAMILY_NODES)
			for (const r of family.resources)
				for (const op of r.operations) {
					const path = op.path.replace(/\{[^}]+\}/g, 'xyz_123');
					assert.equal(customHost(op.method, path), op.host, `${op.method} ${op.path}`);
					checked++;
				}
		assert.ok(checked >= 559, `${checked} operations`);
		assert.equal(customHost('POST', '/v1/files'), 'files');
		assert.equal(
			baseUrlFor({ apiVersion: API_VERSION, baseUrl: 'https://api.stripe.com', stripeAccount: '' }, customHost('POST', '/v1/files')),
			'https://files.stripe.com',
		);
		assert.equal(customHost('GET', '/v1/files/file_123'), 'api');
	});

	it('every family node offers the Custom API Call fields, and the resource-level choice leads to them', () => {
		for (const { nodeType } of FAMILY_NODES) {
			const props = nodeType.description.properties;
			const path = props.find((p) => p.name === 'customPath');
			assert.deepEqual(path?.displayOptions?.show, { operation: [CUSTOM, N8N_CUSTOM] }, nodeType.description.displayName);
			const own = props.find((p) => p.name === 'operation' && p.displayOptions?.show?.resource?.[0] === CUSTOM);
			assert.equal(own?.default, CUSTOM);
			assert.deepEqual(own?.displayOptions?.show?.resource, [CUSTOM, N8N_CUSTOM]);
		}
	});
});

describe('Custom API Call: the package’s own choice, so that n8n adds none and the editor shows the fields', () => {
	// n8n 2.41.1, packages/cli load-nodes-and-credentials.js injectCustomApiCallOptions: for a node whose credential
	// authenticates requests, every `resource`/`operation` property with options gets
	// { name: 'Custom API Call', value: '__CUSTOM_API_CALL__' } pushed, unless its LAST option's name is already
	// 'Custom API Call'. The editor hides all fields but Resource and Operation while either is '__CUSTOM_API_CALL__'.
	it('the last option of the Resource dropdown and of every Operation dropdown is named "Custom API Call", with our value', () => {
		let dropdowns = 0;
		for (const { nodeType } of FAMILY_NODES) {
			for (const p of nodeType.description.properties) {
				if (!['resource', 'operation'].includes(p.name) || !Array.isArray(p.options)) continue;
				const last = p.options[p.options.length - 1] as { name: string; value: string; action?: string };
				const where = `${nodeType.description.displayName} ${p.name} ${JSON.stringify(p.displayOptions?.show ?? {})}`;
				assert.equal(last.name, 'Custom API Call', where);
				assert.equal(last.value, CUSTOM, where);
				assert.ok(!last.value.includes(N8N_CUSTOM), 'the editor hides the fields for any value containing n8n’s key');
				assert.equal(p.options.filter((o) => (o as { name: string }).name === 'Custom API Call').length, 1, where);
				if (p.name === 'operation') assert.match(last.action ?? '', /^Make a custom API call for /, where);
				dropdowns++;
			}
		}
		assert.ok(dropdowns > 150, `${dropdowns} dropdowns`);
	});

	it('chosen under a resource (Customer › Custom API Call): the same request as stripe-node’s rawRequest', async () => {
		const parameters = { customMethod: 'GET', customPath: '/v1/invoice_payments', customSend: 'fields', customParameters: entries({ invoice: 'in_123' }) };
		server.requests.length = 0;
		await sdk().rawRequest('GET', '/v1/invoice_payments?invoice=in_123', null, { stripeAccount: ACCOUNT });
		const result = await runNode({
			nodeType: FAMILY_NODES[0].nodeType as never,
			parameters: { resource: 'customer', operation: CUSTOM, ...parameters } as never,
			credentials: { stripeKeyApi: { secretKey: 'sk_test_custom', stripeAccount: ACCOUNT, apiVersion: API_VERSION, baseUrl: server.url } },
		});
		assert.equal(result.nodeError, undefined);
		const [theirs, ours] = server.requests.map(comparable);
		assert.deepEqual(ours, theirs);
	});
});

describe('Custom API Call: workflows saved with n8n’s __CUSTOM_API_CALL__ keep running unchanged', () => {
	const credentials = () => ({ stripeKeyApi: { secretKey: 'sk_test_custom', stripeAccount: ACCOUNT, apiVersion: API_VERSION, baseUrl: server.url } });

	it('Operation __CUSTOM_API_CALL__ under a resource: its fields are kept (n8n drops hidden ones) and sent', async () => {
		const body = { email: 'old@example.com', metadata: { saved: 'yes' } };
		server.requests.length = 0;
		await sdk().rawRequest('POST', '/v1/customers', body, { stripeAccount: ACCOUNT });
		const result = await runNode({
			nodeType: FAMILY_NODES[0].nodeType as never,
			parameters: {
				resource: 'customer',
				operation: N8N_CUSTOM,
				customMethod: 'POST',
				customPath: '/v1/customers',
				customSend: 'fields',
				customParameters: entries({ email: 'old@example.com', 'metadata[saved]': 'yes' }),
			} as never,
			credentials: credentials(),
		});
		assert.equal(result.nodeError, undefined, result.nodeError?.message);
		const [theirs, ours] = server.requests.map(comparable);
		assert.deepEqual(ours, theirs);
	});

	it('Resource __CUSTOM_API_CALL__ without an Operation (the editor saved none: it was the default)', async () => {
		server.requests.length = 0;
		await sdk().rawRequest('GET', '/v1/invoice_payments?limit=3', null, { stripeAccount: ACCOUNT });
		const result = await runNode({
			nodeType: FAMILY_NODES[5].nodeType as never,
			parameters: { resource: N8N_CUSTOM, customPath: '/v1/invoice_payments', customSend: 'json', customJson: '{"limit": 3}' } as never,
			credentials: credentials(),
		});
		assert.equal(result.nodeError, undefined, result.nodeError?.message);
		const [theirs, ours] = server.requests.map(comparable);
		assert.deepEqual(ours, theirs);
	});
});
