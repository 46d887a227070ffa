/**
 * Hardening (issue 14), through n8n's engine against loopback servers that misbehave on purpose
 * (test/support/hostile.ts) or the capture server: every request the node sends is captured and counted.
 *
 * - redirects are never followed: nothing reaches another origin, no credential, no body, no retry;
 * - path IDs `.` / `..` (and anything percent-decoding to them) are refused for every path parameter of
 *   every operation, before anything is sent;
 * - `null` bodies, `null` rows, lists without `data`, cursors that never advance: clear errors naming the item,
 *   never a crash past Continue On Fail;
 * - header values (Idempotency Key, the credential's API version, header parameters) that HTTP would alter
 *   are refused, never altered;
 * - each attempt has an overall deadline: a trickling or stalled answer is a timeout, not "could not reach";
 * - generated idempotency keys survive n8n's Retry On Fail, and differ between items, nodes and runs;
 * - preview operations that need a beta flag send it in Stripe-Version.
 */
import '../harness/engine';

import assert from 'node:assert/strict';
import { afterAll, beforeAll, beforeEach, describe, it } from '@jest/globals';
import nock from 'nock';
import type { INodeParameters, IConnections } from 'n8n-workflow';

import { NoOp } from 'n8n-nodes-base/dist/nodes/NoOp/NoOp.node';

import { StripeCore } from '../../nodes/StripeCore/StripeCore.node';
import { DEFAULT_API_VERSION } from '../../nodes/shared/client/transport';
import type { DeadlineControl } from '../harness/engine';
import { controlledDeadlines, HARNESS_INPUT_NODE_TYPE, instantSleep, runNode, runWorkflow } from '../harness/engine';
import { createInputNodeType } from '../harness/node-types';
import type { CaptureServer } from '../support/capture';
import { startCaptureServer } from '../support/capture';
import { FAMILY_NODES } from '../support/families';
import type { HostileServer } from '../support/hostile';
import { json, startHostile, trickle } from '../support/hostile';
import { dotIdCases, dotIdItems } from '../support/hostile-scenarios';
import { casesFor } from '../support/samples';
import { useStandin } from '../support/use-standin';

// Real loopback sockets: nock's interception would get in the way.
nock.restore();

const SECRET = 'sk_test_51HostileNetworkSecretKey0123456789';
const core = new StripeCore();
const family = (key: string) => FAMILY_NODES.find((f) => f.key === key)!.nodeType;
const createCustomer: INodeParameters = { resource: 'customer', operation: 'create', email: 'jane@example.com' };

describe('redirects are never followed', () => {
	let base: HostileServer;
	let elsewhere: HostileServer;
	beforeAll(async () => {
		base = await startHostile();
		elsewhere = await startHostile();
	});
	afterAll(async () => {
		await base.close();
		await elsewhere.close();
	});
	beforeEach(() => {
		base.requests.length = 0;
		elsewhere.requests.length = 0;
	});
	const credentials = () => ({ stripeKeyApi: { secretKey: SECRET, baseUrl: base.url } });

	for (const status of [301, 302, 303, 307, 308]) {
		it(`HTTP ${status} to another origin (POST with a body): nothing reaches it, not retried`, async () => {
			base.handle((req, res) => {
				res.writeHead(status, { Location: `${elsewhere.url}${req.url}`, 'Request-Id': 'req_redirect' });
				res.end();
			});
			const result = await runNode({ nodeType: core, credentials: credentials(), parameters: createCustomer });
			assert.equal(elsewhere.requests.length, 0, 'the other origin received nothing (no key, no body, no Idempotency-Key)');
			assert.equal(base.requests.length, 1, 'one attempt: a redirect is not retried');
			assert.match(
				String(result.nodeError?.message),
				new RegExp(`^Stripe answered HTTP ${status}, a redirect to http://127\\.0\\.0\\.1:\\d+, which is not followed$`),
			);
			assert.match(String(result.nodeError?.description), /Stripe's API never redirects/);
		});
	}

	it('a redirect loop on the same origin is not followed either (GET)', async () => {
		base.handle((req, res) => {
			res.writeHead(302, { Location: req.url });
			res.end();
		});
		const result = await runNode({ nodeType: core, credentials: credentials(), parameters: { resource: 'balance', operation: 'retrieve' } });
		assert.equal(base.requests.length, 1);
		assert.match(String(result.nodeError?.message), /^Stripe answered HTTP 302, a redirect to http:\/\/127\.0\.0\.1:\d+, which is not followed$/);
	});

	it('with Continue On Fail the redirect is an error item and the next item is still sent', async () => {
		base.handle((req, res, n) => {
			if (n === 1) {
				res.writeHead(307, { Location: `${elsewhere.url}/steal` });
				res.end();
			} else json(res, 200, { id: 'cus_2', object: 'customer' });
		});
		const result = await runNode({
			nodeType: core,
			credentials: credentials(),
			parameters: createCustomer,
			inputItems: [{ json: {} }, { json: {} }],
			continueOnFail: true,
		});
		assert.equal(elsewhere.requests.length, 0);
		assert.equal(base.requests.length, 2);
		assert.match(String(result.items[0][0].json.error), /a redirect to http:\/\/127\.0\.0\.1:\d+, which is not followed/);
		assert.equal(result.items[0][1].json.id, 'cus_2');
	});
});

describe('path IDs that the URL parser would resolve are refused', () => {
	let cap: CaptureServer;
	beforeAll(async () => {
		cap = await startCaptureServer();
	});
	afterAll(async () => {
		await cap.close();
	});
	beforeEach(() => {
		cap.requests.length = 0;
	});
	const credentials = () => ({ stripeKeyApi: { secretKey: SECRET, baseUrl: cap.url } });

	const cases: Array<[string, string, INodeParameters, string, string]> = [
		['Tax ID delete, customer ".."', 'billing', { resource: 'taxId', operation: 'deleteTaxId', customer: '..', id: 'txi_1' }, 'customer', '..'],
		[
			'payment method retrieve, customer ".."',
			'paymentMethods',
			{ resource: 'paymentMethod', operation: 'retrievePaymentMethod', customer: '..', payment_method: 'pm_1' },
			'customer',
			'..',
		],
		['customer retrieve, customer "."', 'core', { resource: 'customer', operation: 'retrieve', customer: '.' }, 'customer', '.'],
		['customer retrieve, customer "%2e%2e"', 'core', { resource: 'customer', operation: 'retrieve', customer: '%2e%2e' }, 'customer', '%2e%2e'],
		['customer retrieve, customer ".%2E"', 'core', { resource: 'customer', operation: 'retrieve', customer: '.%2E' }, 'customer', '.%2E'],
		['customer retrieve, customer "..." ', 'core', { resource: 'customer', operation: 'retrieve', customer: '...' }, 'customer', '...'],
	];
	for (const [label, key, parameters, field, value] of cases) {
		it(label, async () => {
			const result = await runNode({ nodeType: family(key), credentials: credentials(), parameters });
			assert.match(
				String(result.nodeError?.message),
				new RegExp(`^Invalid parameter in item 0: "[^"]+" \\(${field}\\) "${value.replace(/\./g, '\\.')}" is not a valid Stripe ID`),
			);
			assert.match(String(result.nodeError?.description), /^Nothing was sent to Stripe/);
			assert.equal(cap.requests.length, 0, 'nothing was sent');
		});
	}

	it('"." and ".." in every path parameter of every operation: refused, nothing sent', async () => {
		let params = 0;
		const failures: string[] = [];
		for (const c of dotIdCases()) {
			params++;
			const sent = cap.requests.length;
			const result = await runNode({
				nodeType: c.nodeType,
				credentials: credentials(),
				parameters: c.parameters,
				continueOnFail: true,
				inputItems: dotIdItems(c),
			});
			const errors = (result.items[0] ?? []).map((i) => String(i.json.error ?? ''));
			const ok =
				errors.length === 2 &&
				errors.every((e, i) => new RegExp(`^Invalid parameter in item ${i}: .*\\(${c.field}\\) "\\.{${i + 1}}" is not a valid Stripe ID`).test(e)) &&
				cap.requests.length === sent;
			if (!ok) failures.push(`${c.label}: ${errors.join(' | ') || result.nodeError?.message} (${cap.requests.length - sent} sent)`);
		}
		assert.ok(params >= 350, `${params} path parameters`);
		assert.deepEqual(failures, []);
		assert.equal(cap.requests.length, 0, 'nothing at all was sent');
	});
});

describe('malformed answers: clear errors naming the item, never a crash', () => {
	let h: HostileServer;
	beforeAll(async () => {
		h = await startHostile();
	});
	afterAll(async () => {
		await h.close();
	});
	beforeEach(() => {
		h.requests.length = 0;
	});
	const credentials = () => ({ stripeKeyApi: { secretKey: SECRET, baseUrl: h.url } });

	it('a null body to a POST, with Continue On Fail: an error item, the next item still sent', async () => {
		h.handle((_req, res, n) => json(res, 200, n === 1 ? 'null' : { id: 'cus_2', object: 'customer' }));
		const result = await runNode({
			nodeType: core,
			credentials: credentials(),
			parameters: createCustomer,
			inputItems: [{ json: {} }, { json: {} }],
			continueOnFail: true,
		});
		assert.equal(result.error, undefined, 'the execution does not crash');
		assert.equal(h.requests.length, 2);
		assert.equal(result.items[0].length, 2);
		assert.equal(result.items[0][0].json.error, "Stripe's answer to POST /v1/customers for item 0 is null, not an object");
		assert.match(String(result.items[0][0].json.description), /Stripe may have carried the request out/);
		assert.deepEqual(result.items[0][0].pairedItem, { item: 0 });
		assert.equal(result.items[0][1].json.id, 'cus_2');
	});

	it('a null body without Continue On Fail: the node fails with the same clear error', async () => {
		h.handle((_req, res) => json(res, 200, 'null'));
		const result = await runNode({ nodeType: core, credentials: credentials(), parameters: { resource: 'balance', operation: 'retrieve' } });
		assert.equal(result.nodeError?.message, "Stripe's answer to GET /v1/balance for item 0 is null, not an object");
		assert.equal(h.requests.length, 1);
	});

	const lists: Array<[string, unknown, RegExp]> = [
		['a null row', { object: 'list', data: [{ id: 'cus_1' }, null], has_more: false }, /for item 0, page 1 has a row 1 that is null, not an object$/],
		['no data', { object: 'list', has_more: false }, /for item 0, page 1 has no "data" list$/],
		['data that is not a list', { object: 'list', data: { id: 'cus_1' }, has_more: false }, /for item 0, page 1 has a "data" that is an object, not a list$/],
		['a list instead of a list object', [{ id: 'cus_1' }], /for item 0, page 1 is a list, not an object$/],
		['null instead of a list object', null, /for item 0, page 1 is null, not an object$/],
	];
	for (const [label, body, message] of lists) {
		it(`Return All, ${label}: an error, not 0 items and success`, async () => {
			h.handle((_req, res) => json(res, 200, JSON.stringify(body)));
			const result = await runNode({
				nodeType: core,
				credentials: credentials(),
				parameters: { resource: 'customer', operation: 'list', returnAll: true },
				inputItems: [{ json: {} }, { json: {} }],
				continueOnFail: true,
			});
			assert.equal(result.error, undefined);
			assert.equal(result.items[0].length, 2, 'one error item per input item');
			assert.match(String(result.items[0][0].json.error), new RegExp(`^Stripe's answer to GET /v1/customers ${message.source}`));
			assert.match(String(result.items[0][1].json.error), /for item 1, page 1/);
			assert.equal(h.requests.length, 2);
		});
	}

	it('a has_more cursor that never advances: stopped on the second page, not followed', async () => {
		h.handle((_req, res) => json(res, 200, { object: 'list', data: [{ id: 'cus_1' }, { id: 'cus_2' }], has_more: true }));
		const result = await runNode({ nodeType: core, credentials: credentials(), parameters: { resource: 'customer', operation: 'list', returnAll: true } });
		assert.equal(h.requests.length, 2, 'two pages asked for, then stopped');
		assert.equal(h.requests[1].url, '/v1/customers?limit=100&starting_after=cus_2');
		assert.equal(
			result.nodeError?.message,
			`Stripe's answer to GET /v1/customers for item 0, page 2 says there is more, but its last row ID "cus_2" was used already: the list does not advance`,
		);
	});

	it('has_more with rows without IDs: an error, not a loop', async () => {
		h.handle((_req, res) => json(res, 200, { object: 'list', data: [{ name: 'x' }], has_more: true }));
		const result = await runNode({ nodeType: core, credentials: credentials(), parameters: { resource: 'customer', operation: 'list', returnAll: true } });
		assert.equal(h.requests.length, 1);
		assert.match(
			String(result.nodeError?.message),
			/page 1 says there is more \(has_more\), but its last row ID is undefined|page 1 says there is more \(has_more\), but its last row ID is a undefined/,
		);
	});

	it('a search whose next_page repeats: stopped', async () => {
		h.handle((_req, res) => json(res, 200, { object: 'search_result', data: [{ id: 'cus_1' }], has_more: true, next_page: 'page_x' }));
		const result = await runNode({
			nodeType: core,
			credentials: credentials(),
			parameters: { resource: 'customer', operation: 'search', query: 'email:"a"', returnAll: true },
		});
		assert.equal(h.requests.length, 2);
		assert.match(String(result.nodeError?.message), /page 2 says there is more, but its next_page "page_x" was used already/);
	});

	it('a v2 next_page_url pointing at another host: refused, not requested', async () => {
		h.handle((_req, res) => json(res, 200, { data: [{ id: 'ed_1' }], next_page_url: '@127.0.0.2:1/v2/core/event_destinations?page=2' }));
		const result = await runNode({
			nodeType: core,
			credentials: credentials(),
			parameters: { resource: 'eventDestinationV2', operation: 'list', returnAll: true },
		});
		assert.equal(h.requests.length, 1);
		assert.match(String(result.nodeError?.message), /has a next_page_url that is not a \/v2\/ path/);
	});
});

describe('header values are refused, never altered', () => {
	let cap: CaptureServer;
	beforeAll(async () => {
		cap = await startCaptureServer();
	});
	afterAll(async () => {
		await cap.close();
	});
	beforeEach(() => {
		cap.requests.length = 0;
	});
	const credentials = (extra: Record<string, string> = {}) => ({ stripeKeyApi: { secretKey: SECRET, baseUrl: cap.url, ...extra } });
	const keyed = (key: string): INodeParameters => ({ ...createCustomer, requestOptions: { idempotencyKey: key } });

	it('idempotency keys from non-Latin names: each item refused, nothing sent (not all sent as "-signup")', async () => {
		const result = await runNode({
			nodeType: core,
			credentials: credentials(),
			parameters: keyed('={{ $json.name + "-signup" }}'),
			inputItems: [{ json: { name: 'Иван' } }, { json: { name: '王芳' } }, { json: { name: 'Zoë' } }],
			continueOnFail: true,
		});
		const errors = result.items[0].map((i) => String(i.json.error));
		assert.match(
			errors[0],
			/^Invalid parameter in item 0: "Idempotency Key" \(idempotencyKey\) contains "И" \(U\+0418\), which cannot be sent in an HTTP header as it is/,
		);
		assert.match(errors[1], /^Invalid parameter in item 1: "Idempotency Key" \(idempotencyKey\) contains "王" \(U\+738B\)/);
		assert.match(errors[2], /^Invalid parameter in item 2: "Idempotency Key" \(idempotencyKey\) contains "ë" \(U\+00EB\)/);
		assert.match(errors[0], /hash\('sha256'\)/, 'the error says how to make a key from such data');
		assert.equal(cap.requests.length, 0);
	});

	it("a digest of the same data is sent as it is (the README's advice)", async () => {
		const result = await runNode({
			nodeType: core,
			credentials: credentials(),
			parameters: keyed('={{ $json.name.hash("sha256") }}-signup'),
			inputItems: [{ json: { name: 'Иван' } }, { json: { name: '王芳' } }],
		});
		assert.equal(result.nodeError, undefined);
		const keys = cap.requests.map((r) => r.headers['idempotency-key']);
		assert.equal(keys.length, 2);
		assert.ok(keys.every((k) => /^[0-9a-f]{64}-signup$/.test(String(k))));
		assert.notEqual(keys[0], keys[1]);
	});

	for (const [label, key, reason] of [
		['CRLF', 'order-1\r\nX-Injected: yes', /contains a line break or control character \(U\+000D\)/],
		['a tab', 'order\t1', /contains a line break or control character \(U\+0009\)/],
		['a trailing space', 'order-1 ', /starts or ends with a space/],
	] as const) {
		it(`an idempotency key with ${label}: refused`, async () => {
			const result = await runNode({ nodeType: core, credentials: credentials(), parameters: keyed(key) });
			assert.match(String(result.nodeError?.message), /^Invalid parameter in item 0: "Idempotency Key" \(idempotencyKey\) /);
			assert.match(String(result.nodeError?.message), reason);
			assert.equal(cap.requests.length, 0);
		});
	}

	it('an API version with CRLF in the credential: refused, nothing sent', async () => {
		const result = await runNode({
			nodeType: core,
			credentials: credentials({ apiVersion: '2024-11-20.acacia\r\nX-Injected: yes' }),
			parameters: { resource: 'balance', operation: 'retrieve' },
		});
		assert.match(String(result.nodeError?.message), /^The Stripe credential's API version "2024-11-20\.acacia\\r\\nX-Injected: yes" contains a line break/);
		assert.equal(cap.requests.length, 0);
	});

	it('an API version with a non-ASCII character: refused', async () => {
		const result = await runNode({
			nodeType: core,
			credentials: credentials({ apiVersion: '2024-11-20.acacía' }),
			parameters: { resource: 'balance', operation: 'retrieve' },
		});
		assert.match(String(result.nodeError?.message), /API version "2024-11-20\.acacía" contains "í" \(U\+00ED\)/);
		assert.equal(cap.requests.length, 0);
	});

	it('a header parameter (ephemeral key API version) with a non-ASCII character: refused', async () => {
		const result = await runNode({
			nodeType: core,
			credentials: credentials(),
			parameters: { resource: 'ephemeralKey', operation: 'create', apiVersion: '2020-08-27é', additionalFields: { customer: 'cus_1' } },
		});
		assert.match(String(result.nodeError?.message), /^Invalid parameter in item 0: "[^"]+" \(apiVersion\) contains "é" \(U\+00E9\)/);
		assert.equal(cap.requests.length, 0);
	});

	it('ASCII keys and versions go out exactly as given', async () => {
		const result = await runNode({ nodeType: core, credentials: credentials({ apiVersion: '2024-11-20.acacia' }), parameters: keyed('order-42:a/b=c') });
		assert.equal(result.nodeError, undefined);
		assert.equal(cap.requests.length, 1);
		assert.equal(cap.requests[0].headers['idempotency-key'], 'order-42:a/b=c');
		assert.equal(cap.requests[0].headers['stripe-version'], '2024-11-20.acacia');
	});
});

// On the tests' deadline clock (test/harness/deadlines.ts): a deadline passes where the server's handler says,
// so the outcome does not depend on how busy the machine is. The real clock is one AbortSignal.timeout per
// attempt (attemptClock in transport.ts): from sending to the last byte, so a trickle cannot hold it off.
describe('each attempt has an overall deadline', () => {
	let h: HostileServer;
	let sleep: ReturnType<typeof instantSleep>;
	let deadlines: DeadlineControl;
	beforeAll(async () => {
		h = await startHostile();
		sleep = instantSleep();
		deadlines = controlledDeadlines();
	});
	afterAll(async () => {
		deadlines.restore();
		sleep.restore();
		await h.close();
	});
	beforeEach(() => {
		h.requests.length = 0;
	});
	const credentials = (baseUrl = h.url) => ({ stripeKeyApi: { secretKey: SECRET, baseUrl } });
	const balance = (requestOptions: Record<string, number>): INodeParameters => ({ resource: 'balance', operation: 'retrieve', requestOptions });

	it('a server that trickles a byte every 50 ms for 3 s: every attempt is cut at the deadline (500 ms)', async () => {
		// The deadline passes while the answer is still arriving (after its third byte).
		h.handle((_req, res) => trickle(res, 50, 3000, (n) => n === 3 && deadlines.expireAll()));
		const result = await runNode({ nodeType: core, credentials: credentials(), parameters: balance({ timeout: 500, maxRetries: 1 }) });
		assert.equal(result.nodeError?.message, 'Stripe did not answer within 0.5 s');
		assert.match(
			String(result.nodeError?.description),
			/^GET \/v1\/balance failed after 2 attempts\. Each attempt may take 0\.5 s, from sending the request to the end of the answer \(Request Options → Timeout\)/,
		);
		assert.equal(h.requests.length, 2, 'retried once, as a network failure');
	});

	it('headers sent, then silence: a timeout, not "could not reach"', async () => {
		h.handle((_req, res) => {
			res.writeHead(200, { 'Content-Type': 'application/json' });
			res.write('{"id": ');
			deadlines.expireAll();
		});
		const result = await runNode({ nodeType: core, credentials: credentials(), parameters: balance({ timeout: 500, maxRetries: 0 }) });
		assert.equal(result.nodeError?.message, 'Stripe did not answer within 0.5 s');
		assert.equal(h.requests.length, 1);
	});

	it('an unreachable host: "could not reach", not a timeout', async () => {
		const closed = await startHostile();
		const url = closed.url;
		await closed.close();
		const result = await runNode({ nodeType: core, credentials: credentials(url), parameters: balance({ timeout: 500, maxRetries: 0 }) });
		assert.match(String(result.nodeError?.message), /^Could not reach Stripe at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)$/);
	});

	it('a deadline that does not pass during the trickle: the answer arrives', async () => {
		h.handle((_req, res) => trickle(res, 20, 100));
		const result = await runNode({ nodeType: core, credentials: credentials(), parameters: balance({ timeout: 5000, maxRetries: 0 }) });
		assert.equal(result.nodeError, undefined);
		assert.deepEqual(result.items[0][0].json, {});
	});

	it('a timeout of 0 is refused', async () => {
		const result = await runNode({ nodeType: core, credentials: credentials(), parameters: balance({ timeout: 0 }) });
		assert.match(String(result.nodeError?.message), /^Invalid parameter in item 0: "Timeout" \(timeout\) must be a number of milliseconds above 0, got 0/);
		assert.equal(h.requests.length, 0);
	});
});

describe("generated idempotency keys and n8n's Retry On Fail", () => {
	const standin = useStandin();
	const credentials = () => ({ stripeKeyApi: { secretKey: SECRET, baseUrl: standin.s.url } });
	const retryOnFail = { retryOnFail: true, maxTries: 2, waitBetweenTries: 1 };

	it('the node fails once after Stripe stored the object; Retry On Fail sends the same key and gets the stored answer', async () => {
		const s = standin.s;
		// All three attempts of the first node run are processed but their answers lost.
		s.addFault({ method: 'POST', path: '/v1/customers', action: 'reset-after', times: 3 });
		const result = await runNode({ nodeType: core, credentials: credentials(), parameters: createCustomer, nodeSettings: retryOnFail });
		assert.equal(result.nodeError, undefined, 'the second node run succeeded');
		const posts = s.requests.filter((r) => r.method === 'POST');
		assert.equal(posts.length, 4, '3 attempts, then n8n ran the node again: 1 attempt');
		assert.equal(new Set(posts.map((r) => r.headers['idempotency-key'])).size, 1, 'one key across both node runs');
		assert.equal(posts[3].replayed, true, 'the retry got the stored answer');
		assert.equal(s.objects('customers').length, 1, 'nothing created twice');
		assert.equal(result.items[0][0].json.id, s.objects('customers')[0].id);
	});

	it('different items (even with the same parameters) and different nodes never share a key', async () => {
		const s = standin.s;
		const nodes = ['Create A', 'Create B'].map((name, i) => ({
			name,
			type: 'n8n-nodes-stripe.stripeCore',
			typeVersion: 1,
			position: [200 * (i + 1), 0] as [number, number],
			parameters: createCustomer,
		}));
		const connections: IConnections = {
			Input: { main: [[{ node: 'Create A', type: 'main', index: 0 }]] },
			'Create A': { main: [[{ node: 'Create B', type: 'main', index: 0 }]] },
		};
		const result = await runWorkflow({
			nodes: [{ name: 'Input', type: HARNESS_INPUT_NODE_TYPE, typeVersion: 1, position: [0, 0], parameters: {} }, ...nodes],
			connections,
			nodeTypes: { 'n8n-nodes-stripe.stripeCore': core, [HARNESS_INPUT_NODE_TYPE]: createInputNodeType([{ json: {} }, { json: {} }]) },
			credentials: credentials(),
			startNodeName: 'Input',
		});
		assert.equal(result.error, undefined, String(result.error?.message));
		const keys = s.requests.filter((r) => r.method === 'POST').map((r) => String(r.headers['idempotency-key']));
		assert.equal(keys.length, 4, 'two items through two nodes');
		assert.equal(new Set(keys).size, 4, 'four requests, four keys');
		assert.ok(keys.every((k) => /^n8n-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(k)));
		assert.equal(s.objects('customers').length, 4);
	});

	it('the same node run again (a loop: run index 1) sends other keys', async () => {
		const s = standin.s;
		// Two branches into one node: n8n runs it once per branch in one execution (run index 0 and 1).
		const connections: IConnections = {
			Start: {
				main: [
					[
						{ node: 'Branch 1', type: 'main', index: 0 },
						{ node: 'Branch 2', type: 'main', index: 0 },
					],
				],
			},
			'Branch 1': { main: [[{ node: 'Create', type: 'main', index: 0 }]] },
			'Branch 2': { main: [[{ node: 'Create', type: 'main', index: 0 }]] },
		};
		const noOp = (name: string, y: number) => ({ name, type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [200, y] as [number, number], parameters: {} });
		const result = await runWorkflow({
			nodes: [
				{ name: 'Start', type: HARNESS_INPUT_NODE_TYPE, typeVersion: 1, position: [0, 0], parameters: {} },
				noOp('Branch 1', 0),
				noOp('Branch 2', 200),
				{ name: 'Create', type: 'n8n-nodes-stripe.stripeCore', typeVersion: 1, position: [400, 0], parameters: createCustomer },
			],
			connections,
			nodeTypes: { 'n8n-nodes-stripe.stripeCore': core, 'n8n-nodes-base.noOp': new NoOp(), [HARNESS_INPUT_NODE_TYPE]: createInputNodeType([{ json: {} }]) },
			credentials: credentials(),
			startNodeName: 'Start',
		});
		assert.equal(result.error, undefined, String(result.error?.message));
		assert.equal(result.runData.Create.length, 2, 'the node ran twice');
		const keys = s.requests.filter((r) => r.method === 'POST').map((r) => String(r.headers['idempotency-key']));
		assert.equal(keys.length, 2);
		assert.notEqual(keys[0], keys[1]);
		assert.equal(s.objects('customers').length, 2, 'both runs created their customer');
	});

	it('the same workflow run twice (another execution) sends other keys', async () => {
		const s = standin.s;
		await runNode({ nodeType: core, credentials: credentials(), parameters: createCustomer });
		await runNode({ nodeType: core, credentials: credentials(), parameters: createCustomer });
		const keys = s.requests.filter((r) => r.method === 'POST').map((r) => r.headers['idempotency-key']);
		assert.equal(keys.length, 2);
		assert.notEqual(keys[0], keys[1]);
	});
});

describe('preview operations send the beta flag they need', () => {
	let cap: CaptureServer;
	beforeAll(async () => {
		cap = await startCaptureServer();
	});
	afterAll(async () => {
		await cap.close();
	});
	beforeEach(() => {
		cap.requests.length = 0;
	});

	it('every Terminal hardware ordering operation: Stripe-Version "<version>; terminal_hardware_orders_beta=v5"', async () => {
		const terminal = FAMILY_NODES.find((f) => f.key === 'terminal')!;
		let ops = 0;
		for (const r of terminal.family.resources) {
			for (const op of r.operations) {
				if (!op.path.includes('/hardware_')) continue;
				ops++;
				const before = cap.requests.length;
				const parameters: INodeParameters = { resource: r.value, operation: op.value, ...(casesFor(op)[0].nodeParams as INodeParameters) };
				if (op.kind !== 'plain') parameters.limit = 3;
				const result = await runNode({ nodeType: terminal.nodeType, credentials: { stripeKeyApi: { secretKey: SECRET, baseUrl: cap.url } }, parameters });
				assert.equal(result.nodeError, undefined, `${r.value}.${op.value}: ${result.nodeError?.message}`);
				assert.equal(cap.requests.length, before + 1, `${r.value}.${op.value}: one request`);
				assert.equal(cap.requests[before].headers['stripe-version'], `${DEFAULT_API_VERSION}; terminal_hardware_orders_beta=v5`, `${r.value}.${op.value}`);
			}
		}
		assert.equal(ops, 15);
	});

	it('other operations send the API version alone', async () => {
		await runNode({
			nodeType: core,
			credentials: { stripeKeyApi: { secretKey: SECRET, baseUrl: cap.url } },
			parameters: { resource: 'balance', operation: 'retrieve' },
		});
		assert.equal(cap.requests[0].headers['stripe-version'], DEFAULT_API_VERSION);
	});
});
