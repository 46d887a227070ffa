/**
 * Custom API Call answers that are not JSON (issue 24): a file's contents, a quote's PDF come out as n8n binary
 * data, as the package's own download operations give them (special-operations.ts `downloadItems`, one place),
 * with the file name and MIME type from the answer's headers where present; JSON answers stay the item's json;
 * error answers of such requests are read as Stripe's error object. Run through n8n-core's engine against the
 * Stripe stand-in (and a capture server for headers the stand-in does not send); each request is compared on
 * the wire with what stripe@17.4.0 sends for the same call.
 */
import '../harness/engine';

import assert from 'node:assert/strict';
import nock from 'nock';
import Stripe from 'stripe';
import { afterAll, beforeAll, beforeEach, describe, it } from '@jest/globals';

import type { INodeParameters } from 'n8n-workflow';

import { StripeBilling } from '../../nodes/StripeBilling/StripeBilling.node';
import { StripeCore } from '../../nodes/StripeCore/StripeCore.node';
import { readBinary, runNode } from '../harness/engine';
import type { RecordedRequest, Standin } from '../standin/server';
import { startStandin } from '../standin/server';
import type { CaptureServer } from '../support/capture';
import { comparable, startCaptureServer } from '../support/capture';

nock.restore(); // real loopback servers on both sides

const KEY = 'sk_test_custom_answers_123';
const API_VERSION = '2024-11-20.acacia';
const ACCOUNT = 'acct_1CustomAnswers';
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n');

const custom = (customPath: string, extra: INodeParameters = {}): INodeParameters => ({
	resource: 'customApiCall',
	operation: 'customApiCall',
	customMethod: 'GET',
	customPath,
	...extra,
});

describe('Custom API Call: file answers become binary data (stand-in)', () => {
	let s: Standin;
	let stripe: Stripe;
	let host: string;
	beforeAll(async () => {
		s = await startStandin({ port: 0, latencyMs: 5 });
		const u = new URL(s.url);
		host = u.hostname;
		stripe = new Stripe(KEY, { apiVersion: API_VERSION as never, host, port: Number(u.port), protocol: 'http', maxNetworkRetries: 0, telemetry: false });
	});
	afterAll(async () => s.close());
	beforeEach(() => s.reset());
	const credentials = () => ({ stripeKeyApi: { secretKey: KEY, baseUrl: s.url, stripeAccount: ACCOUNT, apiVersion: API_VERSION } });
	const wire = (r: RecordedRequest) => ({
		method: r.method,
		path: r.path,
		query: r.rawQuery,
		body: r.rawBody,
		version: r.headers['stripe-version'],
		account: r.headers['stripe-account'],
		idempotencyKey: r.headers['idempotency-key'],
	});
	/** What stripe-node sends for a call, captured on the stand-in (then forgotten); its answer may fail to parse. */
	const sdkSends = async (call: () => Promise<unknown>): Promise<RecordedRequest> => {
		const before = s.requests.length;
		await call().catch(() => undefined);
		const req = s.requests[before];
		s.requests.splice(before);
		return req;
	};

	it('GET /v1/files/{id}/contents: the bytes as binary data, MIME type from Content-Type, named after the file', async () => {
		const file = await stripe.files.create(
			{ purpose: 'dispute_evidence', file: { data: PDF, name: 'evidence.pdf', type: 'application/pdf' } },
			{ stripeAccount: ACCOUNT, host },
		);
		const path = `/v1/files/${file.id}/contents`;
		const theirs = await sdkSends(() => stripe.rawRequest('GET', path, null as never, { stripeAccount: ACCOUNT }));
		s.requests.length = 0;
		const result = await runNode({ nodeType: new StripeCore(), credentials: credentials(), parameters: custom(path) });
		assert.equal(result.nodeError, undefined, result.nodeError?.message);
		assert.equal(s.requests.length, 1);
		assert.deepEqual(wire(s.requests[0]), wire(theirs));
		const [item] = result.items[0];
		assert.ok(item.binary?.data, 'binary data "data"');
		assert.deepEqual(await readBinary(item.binary.data), PDF);
		assert.equal(item.binary.data.mimeType, 'application/pdf');
		assert.equal(item.binary.data.fileName, `${file.id}.pdf`);
		assert.deepEqual(item.json, { fileName: `${file.id}.pdf`, mimeType: 'application/pdf', bytes: PDF.length });
	});

	it('a JSON answer stays the item’s json (GET /v1/files/{id}, the file object)', async () => {
		const file = await stripe.files.create(
			{ purpose: 'dispute_evidence', file: { data: PDF, name: 'evidence.pdf', type: 'application/pdf' } },
			{ stripeAccount: ACCOUNT, host },
		);
		const result = await runNode({ nodeType: new StripeBilling(), credentials: credentials(), parameters: custom(`/v1/files/${file.id}`) });
		assert.equal(result.nodeError, undefined, result.nodeError?.message);
		const [item] = result.items[0];
		assert.equal(item.binary, undefined);
		assert.equal(item.json.id, file.id);
		assert.equal(item.json.filename, 'evidence.pdf');
	});

	it('an error answer is Stripe’s error, read from the bytes (404 No such file upload), for the Custom API Call and the download operation', async () => {
		const missing = await runNode({ nodeType: new StripeCore(), credentials: credentials(), parameters: custom('/v1/files/file_missing/contents') });
		assert.ok(missing.nodeError);
		assert.match(missing.nodeError.message, /^Stripe invalid_request_error \(resource_missing\): No such file upload: 'file_missing'/);
		const own = await runNode({
			nodeType: new StripeCore(),
			credentials: credentials(),
			parameters: { resource: 'file', operation: 'downloadContents', file: 'file_missing' },
		});
		assert.ok(own.nodeError);
		assert.match(own.nodeError.message, /^Stripe invalid_request_error \(resource_missing\): No such file upload: 'file_missing'/);
	});
});

describe('Custom API Call: file name and MIME type from the answer’s headers (capture server)', () => {
	let server: CaptureServer;
	let headers: Record<string, string> = {};
	let body: Buffer = PDF;
	beforeAll(async () => {
		server = await startCaptureServer(() => ({ status: 200, body, headers }));
	});
	afterAll(async () => server.close());
	const credentials = () => ({ stripeKeyApi: { secretKey: KEY, baseUrl: server.url, apiVersion: API_VERSION } });

	it('GET /v1/quotes/{id}/pdf: Content-Disposition names the file; the request is stripe-node’s', async () => {
		headers = { 'Content-Type': 'application/pdf', 'Content-Disposition': 'attachment; filename="Quote QT-0042.pdf"' };
		body = PDF;
		server.requests.length = 0;
		const u = new URL(server.url);
		const sdk = new Stripe(KEY, { apiVersion: API_VERSION as never, host: u.hostname, port: Number(u.port), protocol: 'http', telemetry: false });
		await sdk.rawRequest('GET', '/v1/quotes/qt_42/pdf', null as never).catch(() => undefined);
		const result = await runNode({ nodeType: new StripeBilling(), credentials: credentials(), parameters: custom('/v1/quotes/qt_42/pdf') });
		assert.equal(result.nodeError, undefined, result.nodeError?.message);
		const [theirs, ours] = server.requests.map(comparable);
		assert.deepEqual(ours, theirs);
		const data = result.items[0][0].binary?.data;
		assert.equal(data?.fileName, 'Quote QT-0042.pdf');
		assert.equal(data?.mimeType, 'application/pdf');
		assert.deepEqual(await readBinary(data!), PDF);
	});

	it("RFC 5987 names (filename*=UTF-8''…) are decoded; a folder in the name is dropped", async () => {
		for (const [disposition, expected] of [
			['attachment; filename="fallback.csv"; filename*=UTF-8\'\'Rapport%20%C3%A9t%C3%A9.csv', 'Rapport été.csv'],
			['attachment; filename="../../etc/passwd"', 'passwd'],
			['inline', 'rep_1.csv'],
		]) {
			headers = { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': disposition };
			body = Buffer.from('a,b\n1,2\n');
			const result = await runNode({ nodeType: new StripeCore(), credentials: credentials(), parameters: custom('/v1/reporting/report_runs/rep_1/csv') });
			assert.equal(result.nodeError, undefined, result.nodeError?.message);
			assert.equal(result.items[0][0].binary?.data.fileName, expected, disposition);
			assert.equal(result.items[0][0].binary?.data.mimeType, 'text/csv');
		}
	});

	it('a JSON Content-Type whose body is not JSON is an error naming the request, not a file', async () => {
		headers = { 'Content-Type': 'application/json' };
		body = Buffer.from('<html>proxy error</html>');
		const result = await runNode({ nodeType: new StripeCore(), credentials: credentials(), parameters: custom('/v1/balance') });
		assert.ok(result.nodeError);
		assert.match(result.nodeError.message, /GET \/v1\/balance for item 0 is not JSON although its Content-Type is application\/json/);
	});
});
