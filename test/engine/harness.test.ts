/**
 * Proves the engine harness runs nodes through n8n-core's real WorkflowExecute: parameter
 * expressions resolve per item, credentials are applied by the credential type's `authenticate`,
 * continueOnFail / onError behave as in n8n, errors are recorded as n8n records them, binary data
 * round-trips through BinaryDataService, and no request can reach the real network.
 */
import { assertAllMocksUsed, blockRealNetwork, instantSleep, readBinary, RequestRecorder, runNode } from '../harness/engine';

import assert from 'node:assert/strict';
import { afterAll, afterEach, beforeAll, describe, it } from '@jest/globals';
import nock from 'nock';
import type { IDataObject, IExecuteFunctions, IN8nHttpFullResponse, INodeExecutionData, INodeType, INodeTypeDescription, JsonObject } from 'n8n-workflow';
import * as n8nWorkflow from 'n8n-workflow';
import { NodeApiError, NodeConnectionTypes, sleep } from 'n8n-workflow';

const STRIPE = 'https://api.stripe.com';
const SECRET_KEY = 'sk_test_harness_123';

/**
 * A tiny node written the way this package's nodes call Stripe: the credential's base URL,
 * a pre-encoded form body, the full URL with query string, returnFullResponse +
 * ignoreHttpStatusErrors, and a NodeApiError for HTTP errors.
 */
class ProbeNode implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Harness Probe',
		name: 'harnessProbe',
		group: ['transform'],
		version: 1,
		description: 'Test node for the engine harness',
		defaults: { name: 'Harness Probe' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'stripeKeyApi', required: true }],
		properties: [
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Create Customer', value: 'createCustomer' },
					{ name: 'Upload And Download', value: 'uploadAndDownload' },
				],
				default: 'createCustomer',
			},
			{
				displayName: 'Email',
				name: 'email',
				type: 'string',
				default: '',
				displayOptions: { show: { operation: ['createCustomer'] } },
			},
			{
				displayName: 'Description',
				name: 'customerDescription',
				type: 'string',
				default: 'created by the harness',
				displayOptions: { show: { operation: ['createCustomer'] } },
			},
			{
				displayName: 'Input Binary Field',
				name: 'binaryPropertyName',
				type: 'string',
				default: 'data',
				displayOptions: { show: { operation: ['uploadAndDownload'] } },
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const credentials = await this.getCredentials('stripeKeyApi');
		const baseUrl = String(credentials.baseUrl).replace(/\/+$/, '');
		const returnData: INodeExecutionData[] = [];

		for (let i = 0; i < items.length; i++) {
			try {
				const operation = this.getNodeParameter('operation', i) as string;
				if (operation === 'createCustomer') {
					const body = new URLSearchParams({
						email: this.getNodeParameter('email', i) as string,
						description: this.getNodeParameter('customerDescription', i) as string,
					}).toString();
					const response = (await this.helpers.httpRequestWithAuthentication.call(this, 'stripeKeyApi', {
						method: 'POST',
						url: `${baseUrl}/v1/customers?expand%5B%5D=tax`,
						body,
						headers: {
							'Content-Type': 'application/x-www-form-urlencoded',
							'Stripe-Version': credentials.apiVersion as string,
						},
						returnFullResponse: true,
						ignoreHttpStatusErrors: true,
					})) as IN8nHttpFullResponse;
					if (response.statusCode >= 400) {
						const errorBody = (response.body as IDataObject).error as IDataObject;
						throw new NodeApiError(this.getNode(), errorBody as JsonObject, {
							httpCode: String(response.statusCode),
							message: errorBody.message as string,
							itemIndex: i,
						});
					}
					returnData.push({ json: response.body as IDataObject, pairedItem: { item: i } });
				} else {
					const property = this.getNodeParameter('binaryPropertyName', i) as string;
					const meta = this.helpers.assertBinaryData(i, property);
					const content = await this.helpers.getBinaryDataBuffer(i, property);
					const response = (await this.helpers.httpRequestWithAuthentication.call(this, 'stripeKeyApi', {
						method: 'POST',
						url: `${baseUrl}/v1/files?name=${encodeURIComponent(meta.fileName ?? '')}`,
						body: content,
						headers: { 'Content-Type': meta.mimeType },
						encoding: 'arraybuffer',
						returnFullResponse: true,
						ignoreHttpStatusErrors: true,
					})) as IN8nHttpFullResponse;
					const pdf = await this.helpers.prepareBinaryData(Buffer.from(response.body as ArrayBuffer), 'receipt.pdf', 'application/pdf');
					returnData.push({
						json: { uploadedBytes: content.length, uploadedMimeType: meta.mimeType },
						binary: { receipt: pdf },
						pairedItem: { item: i },
					});
				}
			} catch (error) {
				if (this.continueOnFail()) {
					returnData.push({ json: { error: (error as Error).message }, pairedItem: { item: i } });
					continue;
				}
				throw error;
			}
		}
		return [returnData];
	}
}

const probe = new ProbeNode();

/** Retries 429s with exponential backoff through n8n-workflow's sleep, like our nodes do. */
class RetryingNode implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Retry Probe',
		name: 'retryProbe',
		group: ['transform'],
		version: 1,
		description: 'Test node that retries',
		defaults: { name: 'Retry Probe' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'stripeKeyApi', required: true }],
		properties: [],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		for (let attempt = 0; ; attempt++) {
			const response = (await this.helpers.httpRequestWithAuthentication.call(this, 'stripeKeyApi', {
				method: 'GET',
				url: `${STRIPE}/v1/balance`,
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
			})) as IN8nHttpFullResponse;
			if (response.statusCode !== 429 || attempt === 3) {
				return [[{ json: { statusCode: response.statusCode, attempts: attempt + 1 } }]];
			}
			await sleep(1000 * 2 ** attempt);
		}
	}
}

/** Counts its runs in the node's workflow static data (as poll/trigger nodes keep cursors). */
class StaticDataNode implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Static Probe',
		name: 'staticProbe',
		group: ['transform'],
		version: 1,
		description: 'Test node that uses static data',
		defaults: { name: 'Static Probe' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const data = this.getWorkflowStaticData('node');
		data.counter = ((data.counter as number | undefined) ?? 0) + 1;
		return [[{ json: { counter: data.counter } }]];
	}
}

function customerReply(recorder: RequestRecorder) {
	return function (this: nock.ReplyFnContext, uri: string, body: nock.Body): nock.ReplyFnResult {
		recorder.record(this, uri, body);
		const email = new URLSearchParams(String(body)).get('email');
		return [200, { id: `cus_${recorder.requests.length}`, object: 'customer', email }];
	};
}

const STRIPE_CARD_ERROR = {
	error: { type: 'card_error', code: 'card_declined', message: 'Your card was declined.' },
};

describe('engine harness', () => {
	beforeAll(() => blockRealNetwork());
	afterEach(() => {
		try {
			assertAllMocksUsed();
		} finally {
			nock.cleanAll();
		}
	});
	afterAll(() => nock.enableNetConnect());

	it('authenticates with the credential type and resolves expressions per item', async () => {
		const recorder = new RequestRecorder();
		nock(STRIPE).post('/v1/customers').query({ 'expand[]': 'tax' }).times(2).reply(customerReply(recorder));

		const result = await runNode({
			nodeType: probe,
			parameters: { operation: 'createCustomer', email: '={{ $json.email }}' },
			credentials: { stripeKeyApi: { secretKey: SECRET_KEY } },
			inputItems: [{ json: { email: 'a@example.com' } }, { json: { email: 'b@example.com' } }],
		});

		assert.equal(result.error, undefined);
		assert.equal(result.nodeError, undefined);
		assert.deepEqual(result.executedNodes, ['Harness Input', 'Harness Probe']);
		assert.equal(result.run.status, 'success');

		// (a) Authorization came from the credential through StripeKeyApi.authenticate; the other
		// header values come from the credential's defaults (apiVersion) applied by the helper.
		assert.equal(recorder.requests.length, 2);
		for (const request of recorder.requests) {
			assert.equal(request.headers.authorization, `Bearer ${SECRET_KEY}`);
			assert.equal(request.headers['stripe-version'], '2024-11-20.acacia');
			assert.equal(request.headers['content-type'], 'application/x-www-form-urlencoded');
		}
		assert.ok(result.credentialsHelper.calls.some((call) => call.method === 'authenticate' && call.type === 'stripeKeyApi'));

		// (b) per-item expression resolution, plus the parameter default of an omitted parameter.
		assert.deepEqual(
			recorder.requests.map((request) => Object.fromEntries(new URLSearchParams(String(request.body)))),
			[
				{ email: 'a@example.com', description: 'created by the harness' },
				{ email: 'b@example.com', description: 'created by the harness' },
			],
		);
		assert.deepEqual(
			result.items[0].map((item) => item.json),
			[
				{ id: 'cus_1', object: 'customer', email: 'a@example.com' },
				{ id: 'cus_2', object: 'customer', email: 'b@example.com' },
			],
		);
		assert.deepEqual(
			result.items[0].map((item) => item.pairedItem),
			[{ item: 0 }, { item: 1 }],
		);
	});

	const continueSettings = [
		{ label: 'continueOnFail: true', settings: { continueOnFail: true } },
		{ label: "onError: 'continueRegularOutput'", settings: { onError: 'continueRegularOutput' as const } },
	];
	for (const { label, settings } of continueSettings) {
		it(`${label} turns a failing item into an error item while the others succeed`, async () => {
			const recorder = new RequestRecorder();
			nock(STRIPE)
				.post('/v1/customers')
				.query(true)
				.times(3)
				.reply(function (uri, body) {
					const email = new URLSearchParams(String(body)).get('email');
					if (email === 'declined@example.com') return [402, STRIPE_CARD_ERROR];
					return customerReply(recorder).call(this, uri, body);
				});

			const result = await runNode({
				nodeType: probe,
				parameters: { operation: 'createCustomer', email: '={{ $json.email }}' },
				credentials: { stripeKeyApi: { secretKey: SECRET_KEY } },
				inputItems: [{ json: { email: 'a@example.com' } }, { json: { email: 'declined@example.com' } }, { json: { email: 'c@example.com' } }],
				...settings,
			});

			assert.equal(result.error, undefined);
			assert.equal(result.nodeError, undefined);
			assert.deepEqual(
				result.items[0].map((item) => item.json),
				[
					{ id: 'cus_1', object: 'customer', email: 'a@example.com' },
					{ error: 'Your card was declined.' },
					{ id: 'cus_2', object: 'customer', email: 'c@example.com' },
				],
			);
		});
	}

	it("onError 'continueErrorOutput' routes error items to the error output", async () => {
		nock(STRIPE)
			.post('/v1/customers')
			.query(true)
			.times(2)
			.reply(function (_uri, body) {
				const email = new URLSearchParams(String(body)).get('email');
				return email === 'declined@example.com' ? [402, STRIPE_CARD_ERROR] : [200, { id: 'cus_ok', object: 'customer', email }];
			});

		const result = await runNode({
			nodeType: probe,
			parameters: { operation: 'createCustomer', email: '={{ $json.email }}' },
			credentials: { stripeKeyApi: { secretKey: SECRET_KEY } },
			inputItems: [{ json: { email: 'declined@example.com' } }, { json: { email: 'ok@example.com' } }],
			onError: 'continueErrorOutput',
		});

		assert.equal(result.error, undefined);
		assert.equal(result.items.length, 2);
		assert.deepEqual(
			result.items[0].map((item) => item.json.id),
			['cus_ok'],
		);
		assert.deepEqual(
			result.items[1].map((item) => item.json.error),
			['Your card was declined.'],
		);
	});

	it('a NodeApiError without continueOnFail fails the run and is recorded as the node error', async () => {
		nock(STRIPE)
			.post('/v1/customers')
			.query(true)
			.reply(200, { id: 'cus_1', object: 'customer' })
			.post('/v1/customers')
			.query(true)
			.reply(402, STRIPE_CARD_ERROR);

		const result = await runNode({
			nodeType: probe,
			parameters: { operation: 'createCustomer', email: '={{ $json.email }}' },
			credentials: { stripeKeyApi: { secretKey: SECRET_KEY } },
			inputItems: [{ json: { email: 'a@example.com' } }, { json: { email: 'declined@example.com' } }],
		});

		assert.equal(result.run.status, 'error');
		assert.ok(result.error, 'the run has an error');
		assert.ok(result.nodeError, 'the node task has an error');
		assert.equal(result.error.message, 'Your card was declined.');
		assert.equal(result.nodeError.message, 'Your card was declined.');
		const recorded = result.nodeError as unknown as IDataObject;
		assert.equal(recorded.name, 'NodeApiError');
		assert.equal(recorded.httpCode, '402');
		assert.equal((recorded.node as IDataObject).name, 'Harness Probe');
		assert.deepEqual(result.items, []);
		assert.equal(result.taskData?.executionStatus, 'error');
	});

	it('binary data round-trips through BinaryDataService (filesystem mode)', async () => {
		const upload = 'Hello, Stripe file upload';
		const pdf = Buffer.from('%PDF-1.4 fake receipt \u0000\u00ff', 'latin1');
		let uploadedBody: nock.Body | undefined;
		nock(STRIPE)
			.post('/v1/files')
			.query({ name: 'note.txt' })
			.reply(function (_uri, body) {
				uploadedBody = body;
				assert.equal(this.req.headers['content-type'], 'text/plain');
				return [200, pdf, { 'Content-Type': 'application/pdf' }];
			});

		const result = await runNode({
			nodeType: probe,
			parameters: { operation: 'uploadAndDownload', binaryPropertyName: 'file' },
			credentials: { stripeKeyApi: { secretKey: SECRET_KEY } },
			inputItems: [
				{
					json: { n: 1 },
					binary: { file: { content: upload, fileName: 'note.txt', mimeType: 'text/plain' } },
				},
			],
		});

		assert.equal(result.error, undefined);
		assert.equal(uploadedBody, upload);
		const [item] = result.items[0];
		assert.deepEqual(item.json, { uploadedBytes: upload.length, uploadedMimeType: 'text/plain' });
		const receipt = item.binary?.receipt;
		assert.ok(receipt);
		assert.equal(receipt.mimeType, 'application/pdf');
		assert.equal(receipt.fileName, 'receipt.pdf');
		assert.match(receipt.id ?? '', /^filesystem-v2:/, 'stored on disk, referenced by id');
		assert.deepEqual(await readBinary(receipt), pdf);
	});

	it('binary data also works in in-memory mode', async () => {
		const pdf = Buffer.from('%PDF-1.4 in memory');
		nock(STRIPE).post('/v1/files').query(true).reply(200, pdf);

		const result = await runNode({
			nodeType: probe,
			parameters: { operation: 'uploadAndDownload' },
			credentials: { stripeKeyApi: { secretKey: SECRET_KEY } },
			inputItems: [{ json: {}, binary: { data: { content: Buffer.from([1, 2, 3]), fileName: 'x.bin' } } }],
			binaryDataMode: 'default',
		});

		assert.equal(result.error, undefined);
		const receipt = result.items[0][0].binary?.receipt;
		assert.ok(receipt);
		assert.equal(receipt.id, undefined);
		assert.equal(receipt.data, pdf.toString('base64'));
		assert.deepEqual(await readBinary(receipt), pdf);
		assert.equal(result.items[0][0].json.uploadedBytes, 3);
	});

	it('cannot reach the real network: an unmocked host fails inside the node', async () => {
		const result = await runNode({
			nodeType: probe,
			parameters: { operation: 'createCustomer', email: 'x@example.com' },
			credentials: { stripeKeyApi: { secretKey: SECRET_KEY, baseUrl: 'https://unmocked.example.com' } },
		});

		assert.ok(result.error);
		assert.match(result.error.message, /Disallowed net connect|NetConnectNotAllowedError/);
	});

	it("instantSleep makes n8n-workflow's sleep return at once and records the delays", async () => {
		nock(STRIPE)
			.get('/v1/balance')
			.times(2)
			.reply(429, { error: { type: 'rate_limit_error' } })
			.get('/v1/balance')
			.reply(200, { object: 'balance' });

		const control = instantSleep();
		const started = Date.now();
		try {
			const result = await runNode({
				nodeType: new RetryingNode(),
				parameters: {},
				credentials: { stripeKeyApi: { secretKey: SECRET_KEY } },
			});
			assert.equal(result.error, undefined);
			assert.deepEqual(result.items[0][0].json, { statusCode: 200, attempts: 3 });
		} finally {
			control.restore();
		}
		assert.deepEqual(control.calls, [1000, 2000]);
		assert.ok(Date.now() - started < 1000, 'no real waiting');
		assert.equal(n8nWorkflow.sleep, sleep);
	});

	it('passes workflow static data in and out', async () => {
		const result = await runNode({
			nodeType: new StaticDataNode(),
			parameters: {},
			staticData: { 'node:Static Probe': { counter: 41 } },
		});
		assert.equal(result.error, undefined);
		assert.deepEqual(result.items[0][0].json, { counter: 42 });
		assert.deepEqual(result.staticData, { 'node:Static Probe': { counter: 42 } });
		assert.equal(result.staticDataChanged, true);
	});

	it('reports a missing credential the way n8n does', async () => {
		const result = await runNode({
			nodeType: probe,
			parameters: { operation: 'createCustomer', email: 'x@example.com' },
		});
		assert.ok(result.error);
		assert.match(result.error.message, /credentials/i);
	});
});
