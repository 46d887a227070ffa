/**
 * Stripe Core node through n8n's engine against an intercepted Stripe: pagination (list, search, v2),
 * Stripe errors, retries with one idempotency key, bad input (nothing sent), continue-on-fail, headers,
 * and that the secret key never shows up in output or errors.
 */
import { assertAllMocksUsed, blockRealNetwork, instantSleep, RequestRecorder, runNode } from '../harness/engine';
import { onFakeClock } from '../harness/fake-clock';

import assert from 'node:assert/strict';
import { afterAll, afterEach, beforeAll, describe, it } from '@jest/globals';
import nock from 'nock';
import type { INodeParameters } from 'n8n-workflow';

import { StripeCore } from '../../nodes/StripeCore/StripeCore.node';

const STRIPE = 'https://api.stripe.com';
const SECRET = 'sk_test_51CoreTestSecretValue0123456789';
const credentials = { stripeKeyApi: { secretKey: SECRET } };
const node = new StripeCore();

function run(parameters: INodeParameters, extra: Partial<Parameters<typeof runNode>[0]> = {}) {
	return runNode({ nodeType: node, parameters, credentials, ...extra });
}

function customers(from: number, count: number) {
	return Array.from({ length: count }, (_, i) => ({ id: `cus_${String(from + i).padStart(5, '0')}`, object: 'customer' }));
}

/** Nothing in what a run produced may contain the key. */
function assertNoSecret(result: unknown) {
	const seen = new WeakSet();
	const text = JSON.stringify(result, (_k, v) => {
		if (typeof v === 'object' && v !== null) {
			if (seen.has(v)) return undefined;
			seen.add(v);
		}
		return typeof v === 'bigint' ? String(v) : v;
	});
	assert.ok(!text.includes(SECRET), 'the secret key leaked into the run result');
	assert.ok(!text.includes('Bearer sk_'), 'an Authorization header leaked into the run result');
}

describe('Stripe Core node in the engine', () => {
	let sleepControl: ReturnType<typeof instantSleep>;
	beforeAll(() => {
		blockRealNetwork();
		sleepControl = instantSleep();
	});
	afterAll(() => sleepControl.restore());
	afterEach(() => {
		try {
			assertAllMocksUsed();
		} finally {
			nock.cleanAll();
			sleepControl.calls.length = 0;
		}
	});

	it('creates a customer per item with expression values, form-encoded, with Stripe headers', async () => {
		const recorder = new RequestRecorder();
		nock(STRIPE)
			.post('/v1/customers')
			.times(2)
			.reply(function (uri, body) {
				recorder.record(this, uri, body);
				return [200, { id: `cus_${recorder.requests.length}`, object: 'customer' }, { 'Request-Id': 'req_1' }];
			});
		const result = await run(
			{
				resource: 'customer',
				operation: 'create',
				email: '={{ $json.email }}',
				additionalFields: {
					metadata: {
						entries: [
							{ key: 'source', value: 'n8n' },
							{ key: 'row', value: '={{ $itemIndex }}' },
						],
					},
					preferred_locales: ['en', 'fr'],
					address: { values: { city: 'Berlin', country: 'DE' } },
				},
			},
			{ inputItems: [{ json: { email: 'a@example.com' } }, { json: { email: 'b@example.com' } }] },
		);
		assert.equal(result.nodeError, undefined);
		assert.deepEqual(
			result.items[0].map((i) => i.json.id),
			['cus_1', 'cus_2'],
		);
		assert.deepEqual(
			result.items[0].map((i) => i.pairedItem),
			[{ item: 0 }, { item: 1 }],
		);
		const [first, second] = recorder.requests;
		assert.equal(
			first.body,
			'address[city]=Berlin&address[country]=DE&email=a%40example.com&metadata[source]=n8n&metadata[row]=0&preferred_locales[0]=en&preferred_locales[1]=fr',
		);
		assert.match(String(second.body), /email=b%40example.com/);
		assert.equal(first.headers.authorization, `Bearer ${SECRET}`);
		assert.equal(first.headers['stripe-version'], '2024-11-20.acacia');
		assert.equal(first.headers['content-type'], 'application/x-www-form-urlencoded');
		assert.match(first.headers['idempotency-key'], /^n8n-[0-9a-f-]{36}$/);
		assert.notEqual(first.headers['idempotency-key'], second.headers['idempotency-key']);
		assert.equal(first.headers['stripe-account'], undefined);
		assertNoSecret(result.items);
	});

	it('sends the credential Stripe-Account, and a per-node override wins', async () => {
		const recorder = new RequestRecorder();
		nock(STRIPE)
			.get('/v1/balance')
			.times(2)
			.reply(function (uri, body) {
				recorder.record(this, uri, body);
				return [200, { object: 'balance' }];
			});
		const creds = { stripeKeyApi: { secretKey: SECRET, stripeAccount: 'acct_1Cred' } };
		await runNode({ nodeType: node, credentials: creds, parameters: { resource: 'balance', operation: 'retrieve' } });
		await runNode({
			nodeType: node,
			credentials: creds,
			parameters: { resource: 'balance', operation: 'retrieve', requestOptions: { stripeAccount: 'acct_1Node' } },
		});
		assert.deepEqual(
			recorder.requests.map((r) => r.headers['stripe-account']),
			['acct_1Cred', 'acct_1Node'],
		);
		assert.equal(recorder.requests[0].headers['idempotency-key'], undefined);
	});

	it('Return All follows starting_after through every page, 100 at a time', async () => {
		const pages: string[] = [];
		nock(STRIPE)
			.get('/v1/customers')
			.query(true)
			.times(3)
			.reply((uri) => {
				pages.push(uri);
				const after = new URL(uri, STRIPE).searchParams.get('starting_after');
				const start = after ? Number(after.slice(4)) + 1 : 0;
				const count = start >= 200 ? 50 : 100;
				return [200, { object: 'list', url: '/v1/customers', has_more: start + count < 250, data: customers(start, count) }];
			});
		const result = await run({ resource: 'customer', operation: 'list', returnAll: true, additionalFields: { email: 'x@y.z' } });
		assert.equal(result.items[0].length, 250);
		assert.equal(result.items[0][249].json.id, 'cus_00249');
		assert.deepEqual(pages, [
			'/v1/customers?email=x%40y.z&limit=100',
			'/v1/customers?email=x%40y.z&limit=100&starting_after=cus_00099',
			'/v1/customers?email=x%40y.z&limit=100&starting_after=cus_00199',
		]);
	});

	it('Limit stops paging as soon as enough objects arrived (limit above 100 pages too)', async () => {
		const pages: string[] = [];
		nock(STRIPE)
			.get('/v1/customers')
			.query(true)
			.times(2)
			.reply((uri) => {
				pages.push(uri);
				const after = new URL(uri, STRIPE).searchParams.get('starting_after');
				const start = after ? Number(after.slice(4)) + 1 : 0;
				const limit = Number(new URL(uri, STRIPE).searchParams.get('limit'));
				return [200, { object: 'list', has_more: true, data: customers(start, limit) }];
			});
		const result = await run({ resource: 'customer', operation: 'list', returnAll: false, limit: 130 });
		assert.equal(result.items[0].length, 130);
		assert.deepEqual(pages, ['/v1/customers?limit=100', '/v1/customers?limit=30&starting_after=cus_00099']);
	});

	it('search pages with next_page', async () => {
		const pages: string[] = [];
		nock(STRIPE)
			.get('/v1/customers/search')
			.query(true)
			.times(2)
			.reply((uri) => {
				pages.push(uri);
				const page = new URL(uri, STRIPE).searchParams.get('page');
				return [200, { object: 'search_result', has_more: !page, next_page: page ? null : 'pg_2', data: customers(page ? 100 : 0, page ? 5 : 100) }];
			});
		const result = await run({ resource: 'customer', operation: 'search', query: "email:'a@b.c'", returnAll: true });
		assert.equal(result.items[0].length, 105);
		assert.deepEqual(pages, [
			'/v1/customers/search?query=email%3A%27a%40b.c%27&limit=100',
			'/v1/customers/search?query=email%3A%27a%40b.c%27&limit=100&page=pg_2',
		]);
	});

	it('v2 lists follow next_page_url and send JSON-mode headers', async () => {
		const recorder = new RequestRecorder();
		nock(STRIPE)
			.get('/v2/core/event_destinations')
			.query({ limit: '100' })
			.reply(function (uri, body) {
				recorder.record(this, uri, body);
				return [200, { data: [{ id: 'ed_1' }, { id: 'ed_2' }], next_page_url: '/v2/core/event_destinations?page=p2' }];
			})
			.get('/v2/core/event_destinations')
			.query({ page: 'p2' })
			.reply(function (uri, body) {
				recorder.record(this, uri, body);
				return [200, { data: [{ id: 'ed_3' }], next_page_url: null }];
			});
		const result = await runNode({
			nodeType: node,
			credentials: { stripeKeyApi: { secretKey: SECRET, stripeAccount: 'acct_1Ctx' } },
			parameters: { resource: 'eventDestinationV2', operation: 'list', returnAll: true },
		});
		assert.deepEqual(
			result.items[0].map((i) => i.json.id),
			['ed_1', 'ed_2', 'ed_3'],
		);
		assert.equal(recorder.requests[0].headers['stripe-context'], 'acct_1Ctx');
		assert.equal(recorder.requests[0].headers['stripe-account'], undefined);
		assert.equal(recorder.requests[0].headers['content-type'], 'application/json');
	});

	it('v2 creates send a JSON body and always an idempotency key', async () => {
		const recorder = new RequestRecorder();
		nock(STRIPE)
			.post('/v2/core/event_destinations')
			.reply(function (uri, body) {
				recorder.record(this, uri, body);
				return [200, { id: 'ed_1', object: 'v2.core.event_destination' }];
			});
		const result = await run({
			resource: 'eventDestinationV2',
			operation: 'create',
			enabled_events: ['customer.created'],
			event_payload: 'snapshot',
			name: 'n8n',
			type: 'webhook_endpoint',
			additionalFields: { webhook_endpoint: { values: { url: 'https://example.com/hook' } }, include: ['webhook_endpoint.signing_secret'] },
		});
		assert.equal(result.nodeError, undefined);
		assert.deepEqual(recorder.requests[0].body, {
			enabled_events: ['customer.created'],
			event_payload: 'snapshot',
			include: ['webhook_endpoint.signing_secret'],
			name: 'n8n',
			type: 'webhook_endpoint',
			webhook_endpoint: { url: 'https://example.com/hook' },
		});
		assert.ok(recorder.requests[0].headers['idempotency-key']);
	});

	it('retries 409, 429 and 5xx with the same idempotency key, then succeeds', async () => {
		const keys: string[] = [];
		const statuses = [409, 429, 503];
		nock(STRIPE)
			.post('/v1/refunds')
			.times(4)
			.reply(function () {
				keys.push(String(this.req.headers['idempotency-key']));
				const status = statuses.shift();
				return status ? [status, { error: { type: 'api_error', message: 'try again' } }, status === 429 ? { 'Retry-After': '2' } : {}] : [200, { id: 're_1' }];
			});
		const result = await run({ resource: 'refund', operation: 'create', additionalFields: { charge: 'ch_1' }, requestOptions: { maxRetries: 3 } });
		assert.equal(result.nodeError, undefined);
		assert.equal(result.items[0][0].json.id, 're_1');
		assert.equal(keys.length, 4);
		assert.equal(new Set(keys).size, 1, 'every retry carries the same Idempotency-Key');
		assert.equal(sleepControl.calls.length, 3);
		assert.ok(sleepControl.calls[1] >= 2000, 'Retry-After is honoured');
		for (const [i, ms] of sleepControl.calls.entries()) assert.ok(ms >= 500 && ms <= Math.max(2000, 500 * 2 ** i), `backoff ${ms}`);
	});

	it('does not retry when Stripe-Should-Retry is false, and reports Stripe error fields', async () => {
		nock(STRIPE)
			.post('/v1/payment_intents/pi_1/confirm')
			.reply(
				402,
				{
					error: {
						type: 'card_error',
						code: 'card_declined',
						decline_code: 'insufficient_funds',
						param: 'payment_method',
						message: 'Your card has insufficient funds.',
						doc_url: 'https://docs.stripe.com/error-codes/card-declined',
					},
				},
				{ 'Stripe-Should-Retry': 'false', 'Request-Id': 'req_declined' },
			);
		const result = await run({ resource: 'paymentIntent', operation: 'confirm', intent: 'pi_1' });
		assert.ok(result.nodeError);
		assert.match(result.nodeError.message, /card_error \(card_declined\): Your card has insufficient funds/);
		assert.match(String(result.nodeError.description), /Decline code: insufficient_funds/);
		assert.match(String(result.nodeError.description), /Request ID: req_declined/);
		assert.equal(sleepControl.calls.length, 0);
		assertNoSecret(result.run);
	});

	it('gives up after Max Retries on a persistent 500', async () => {
		nock(STRIPE)
			.get('/v1/balance')
			.times(3)
			.reply(500, { error: { type: 'api_error', message: 'boom' } });
		const result = await run({ resource: 'balance', operation: 'retrieve' });
		assert.match(String(result.nodeError?.message), /api_error: boom/);
		assert.match(String(result.nodeError?.description), /Attempts: 3/);
	});

	it('continue on fail: a failing item becomes an error item, the others run', async () => {
		nock(STRIPE)
			.get('/v1/customers/cus_ok')
			.reply(200, { id: 'cus_ok' })
			.get('/v1/customers/cus_missing')
			.reply(404, { error: { type: 'invalid_request_error', code: 'resource_missing', param: 'id', message: 'No such customer' } });
		const result = await run(
			{ resource: 'customer', operation: 'retrieve', customer: '={{ $json.id }}' },
			{ continueOnFail: true, inputItems: [{ json: { id: 'cus_ok' } }, { json: { id: 'cus_missing' } }] },
		);
		assert.equal(result.items[0][0].json.id, 'cus_ok');
		assert.equal(result.items[0][1].json.code, 'resource_missing');
		assert.match(String(result.items[0][1].json.error), /No such customer/);
		assert.deepEqual(result.items[0][1].pairedItem, { item: 1 });
	});

	describe('bad input is refused before anything is sent, naming item and field', () => {
		const cases: Array<[string, INodeParameters, RegExp]> = [
			[
				'unknown enum value',
				{ resource: 'customer', operation: 'create', additionalFields: { tax_exempt: 'sometimes' } },
				/item 0: "Tax Exempt" \(tax_exempt\) "sometimes" is not an allowed value \(allowed: none, exempt, reverse\)/,
			],
			[
				'invalid JSON (Using JSON)',
				{ resource: 'customer', operation: 'create', specifyParameters: 'json', parametersJson: '{"address": {"city": ' },
				/item 0: "Parameters \(JSON\)" \(parametersJson\) invalid JSON/,
			],
			[
				'wrong type inside JSON (Using JSON)',
				{ resource: 'customer', operation: 'create', specifyParameters: 'json', parametersJson: '{"invoice_settings": {"custom_fields": "x"}}' },
				/"Custom Fields" \(invoice_settings.custom_fields\) expected a list/,
			],
			[
				'wrong type in a nested field',
				{ resource: 'customer', operation: 'create', additionalFields: { address: { values: { city: '={{ { "a": 1 } }}' } } } },
				/item 0: "City" \(address.city\) expected text, got \{"a":1\}/,
			],
			[
				'a required member missing in a list entry',
				{
					resource: 'customer',
					operation: 'update',
					customer: 'cus_1',
					additionalFields: { invoice_settings: { custom_fields: { entry: [{ name: 'PO' }] } } },
				},
				/item 0: "Value" \(invoice_settings.custom_fields\[0\].value\) is required/,
			],
			[
				'missing required field (an expression that resolves to nothing)',
				{ resource: 'refund', operation: 'retrieve', refund: '={{ $json.missing }}' },
				/item 0: "Refund" \(refund\) is required/,
			],
			[
				'missing required body parameter',
				{ resource: 'paymentIntent', operation: 'create', amount: 100, currency: '={{ $json.nothing }}' },
				/item 0: "Currency" \(currency\) is required/,
			],
			[
				'malformed ID',
				{ resource: 'customer', operation: 'retrieve', customer: 'cus_1/../balance' },
				/item 0: "Customer" \(customer\) "cus_1\/..\/balance" is not a valid Stripe ID/,
			],
			[
				'not a number',
				{ resource: 'customer', operation: 'create', additionalFields: { balance: '={{ "lots" }}' } },
				/"Balance" \(balance\) expected a number, got "lots"/,
			],
			['negative limit', { resource: 'customer', operation: 'list', returnAll: false, limit: -5 }, /"Limit" \(limit\) must be a whole number of at least 1/],
			[
				'too many metadata keys',
				{
					resource: 'customer',
					operation: 'create',
					additionalFields: { metadata: { entries: Array.from({ length: 51 }, (_, i) => ({ key: `k${i}`, value: 'v' })) } },
				},
				/51 keys given \(Stripe allows 50\)/,
			],
			[
				'metadata key too long',
				{ resource: 'customer', operation: 'create', additionalFields: { metadata: { entries: [{ key: 'k'.repeat(41), value: 'v' }] } } },
				/41 characters long \(Stripe allows 40\)/,
			],
			[
				'metadata value too long',
				{ resource: 'customer', operation: 'create', additionalFields: { metadata: { entries: [{ key: 'k', value: 'v'.repeat(501) }] } } },
				/501 characters long \(Stripe allows 500\)/,
			],
			[
				'bad connected account',
				{ resource: 'balance', operation: 'retrieve', requestOptions: { stripeAccount: 'cus_123' } },
				/"Connected Account" \(stripeAccount\) "cus_123" is not an account ID/,
			],
		];
		for (const [label, parameters, message] of cases) {
			it(label, async () => {
				const result = await run(parameters);
				assert.ok(result.nodeError, 'the run fails');
				assert.match(result.nodeError.message, message);
				assert.match(String(result.nodeError.description), /Nothing was sent to Stripe/);
			});
		}

		it('one bad item stops the whole batch before any request (without continue on fail)', async () => {
			const result = await run(
				{ resource: 'customer', operation: 'create', additionalFields: { tax_exempt: '={{ $json.t }}' } },
				{ inputItems: [{ json: { t: 'none' } }, { json: { t: 'nope' } }] },
			);
			assert.match(String(result.nodeError?.message), /item 1: "Tax Exempt"/);
		});

		it('with continue on fail the valid items are still sent', async () => {
			nock(STRIPE).post('/v1/customers', 'tax_exempt=none').reply(200, { id: 'cus_good' });
			const result = await run(
				{ resource: 'customer', operation: 'create', additionalFields: { tax_exempt: '={{ $json.t }}' } },
				{ continueOnFail: true, inputItems: [{ json: { t: 'none' } }, { json: { t: 'nope' } }] },
			);
			assert.equal(result.items[0][0].json.id, 'cus_good');
			assert.match(String(result.items[0][1].json.error), /item 1: "Tax Exempt"/);
			assert.deepEqual(result.items[0][1].pairedItem, { item: 1 });
		});
	});

	it('Parallel Requests: several items in flight, output in input order, every request keyed', async () => {
		let inFlight = 0;
		let maxInFlight = 0;
		const keys = new Set<string>();
		nock(STRIPE)
			.post('/v1/customers')
			.times(12)
			.reply(function (_uri, body, callback) {
				inFlight++;
				maxInFlight = Math.max(maxInFlight, inFlight);
				keys.add(String(this.req.headers['idempotency-key']));
				const email = decodeURIComponent(String(body).split('=')[1]);
				setTimeout(() => {
					inFlight--;
					callback(null, [200, { id: `cus_${email.split('@')[0]}`, object: 'customer' }]);
				}, 15);
			});
		const inputItems = Array.from({ length: 12 }, (_, i) => ({ json: { email: `u${i}@example.com` } }));
		// Answers take 15 ms of jest's fake clock: the same overlap on every run, however busy the machine.
		const result = await onFakeClock(() =>
			run({ resource: 'customer', operation: 'create', email: '={{ $json.email }}', requestOptions: { parallelRequests: 4 } }, { inputItems }),
		);
		assert.equal(result.nodeError, undefined, result.nodeError?.message);
		assert.deepEqual(
			result.items[0].map((i) => i.json.id),
			inputItems.map((_, i) => `cus_u${i}`),
		);
		assert.deepEqual(
			result.items[0].map((i) => i.pairedItem),
			inputItems.map((_, i) => ({ item: i })),
		);
		assert.equal(keys.size, 12);
		assert.ok(maxInFlight > 1 && maxInFlight <= 4, `in flight at most 4 (saw ${maxInFlight})`);
	});

	it('refuses a key that is not a secret or restricted key, without echoing it', async () => {
		const result = await runNode({
			nodeType: node,
			credentials: { stripeKeyApi: { secretKey: 'pk_test_publishable123456' } },
			parameters: { resource: 'balance', operation: 'retrieve' },
		});
		assert.match(String(result.nodeError?.message), /publishable key/);
		assert.ok(!JSON.stringify(result.run).includes('pk_test_publishable123456'));
	});

	it('accepts restricted keys and a custom base URL', async () => {
		nock('http://localhost:12111').get('/v1/balance').matchHeader('authorization', 'Bearer rk_test_abc123').reply(200, { object: 'balance' });
		const result = await runNode({
			nodeType: node,
			credentials: { stripeKeyApi: { secretKey: 'rk_test_abc123', baseUrl: 'http://localhost:12111/' } },
			parameters: { resource: 'balance', operation: 'retrieve' },
		});
		assert.equal(result.items[0][0].json.object, 'balance');
	});

	it('a network failure is retried, then reported without secrets', async () => {
		nock(STRIPE)
			.get('/v1/balance')
			.times(3)
			.replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
		const result = await run({ resource: 'balance', operation: 'retrieve' });
		assert.match(String(result.nodeError?.message), /Could not reach Stripe at https:\/\/api.stripe.com \(ECONNRESET\)/);
		assert.equal(sleepControl.calls.length, 2);
		assertNoSecret(result.run);
	});

	it('uploads a file from a binary property as multipart to the files host', async () => {
		let contentType = '';
		let body = '';
		nock('https://files.stripe.com')
			.post('/v1/files')
			.reply(function (_uri, b) {
				contentType = String(this.req.headers['content-type']);
				body = String(b);
				return [200, { id: 'file_1', object: 'file' }];
			});
		const result = await run(
			{ resource: 'file', operation: 'create', file: 'document', purpose: 'dispute_evidence' },
			{ inputItems: [{ json: {}, binary: { document: { content: Buffer.from('hello'), fileName: 'proof.txt', mimeType: 'text/plain' } } }] },
		);
		assert.equal(result.items[0][0].json.id, 'file_1');
		assert.match(contentType, /^multipart\/form-data; boundary=/);
		assert.match(body, /name="file"; filename="proof.txt"\r\nContent-Type: text\/plain\r\n\r\nhello\r\n/);
		assert.match(body, /name="purpose"\r\n\r\ndispute_evidence\r\n/);
	});
});
