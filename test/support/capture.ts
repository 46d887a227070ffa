/**
 * A loopback HTTP server that records every request and answers with a Stripe-shaped body, so the same
 * operation can be sent by stripe-node and by our node and the two requests compared.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

const Stripe = require('stripe');

/**
 * stripe-node 17.4.0, pinned to the package's API version, sending to a loopback capture server (plain HTTP, its
 * usual 2 network retries, no telemetry header): the oracle every wire comparison sends the same call with.
 */
export function stripeNodeAt(serverUrl: string, key: string) {
	return new Stripe(key, {
		apiVersion: '2024-11-20.acacia',
		host: '127.0.0.1',
		port: Number(new URL(serverUrl).port),
		protocol: 'http',
		maxNetworkRetries: 2,
		telemetry: false,
	});
}

export interface CapturedRequest {
	method: string;
	/** Path and query exactly as sent. */
	url: string;
	headers: http.IncomingHttpHeaders;
	body: Buffer;
}

export interface CaptureServer {
	url: string;
	requests: CapturedRequest[];
	close(): Promise<void>;
}

/** Default answers: lists and searches are empty single pages; everything else is a small object. */
export function stripeShapedAnswer(method: string, url: string): { status: number; body: unknown } {
	const path = url.split('?')[0];
	if (method === 'GET' && path.startsWith('/v2/') && !/\/[a-z]+_[A-Za-z0-9_]+$/.test(path) && /s$/.test(path))
		return { status: 200, body: { data: [], next_page_url: null, previous_page_url: null } };
	if (method === 'GET' && path.endsWith('/search'))
		return { status: 200, body: { object: 'search_result', data: [], has_more: false, next_page: null, url: path } };
	return { status: 200, body: { id: 'obj_123', object: 'thing', data: [], has_more: false, url: path } };
}

export async function startCaptureServer(
	answer: (req: CapturedRequest) => { status: number; body: unknown; headers?: Record<string, string> } = (r) => stripeShapedAnswer(r.method, r.url),
): Promise<CaptureServer> {
	const requests: CapturedRequest[] = [];
	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			const captured: CapturedRequest = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) };
			requests.push(captured);
			const a = answer(captured);
			const body = Buffer.isBuffer(a.body) ? a.body : Buffer.from(JSON.stringify(a.body));
			res.writeHead(a.status, { 'Content-Type': 'application/json', 'Request-Id': `req_${requests.length}`, ...(a.headers ?? {}) });
			res.end(body);
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		requests,
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections?.();
				server.close(() => resolve());
			}),
	};
}

/** A multipart/form-data body as [name, filename, content type, data] parts (boundary-independent). */
export function parseMultipart(body: Buffer, contentType: string): Array<{ name: string; filename?: string; type?: string; data: string }> {
	const boundary = /boundary=([^;]+)/.exec(contentType)?.[1];
	if (!boundary) throw new Error(`no boundary in ${contentType}`);
	const text = body.toString('latin1');
	return text
		.split(`--${boundary}`)
		.slice(1, -1)
		.map((part) => {
			const [head, ...rest] = part.replace(/^\r\n/, '').split('\r\n\r\n');
			const data = rest.join('\r\n\r\n').replace(/\r\n$/, '');
			return {
				name: /name="([^"]*)"/.exec(head)?.[1] ?? '',
				filename: /filename="([^"]*)"/.exec(head)?.[1],
				type: /Content-Type: (.*)/i.exec(head)?.[1]?.trim(),
				data,
			};
		});
}

/** What a request is compared on, ours against stripe-node's: method, URL, decoded body, Stripe headers. */
export function comparable(req: CapturedRequest) {
	const contentType = String(req.headers['content-type'] ?? '');
	let body: unknown;
	if (contentType.startsWith('multipart/form-data')) body = parseMultipart(req.body, contentType);
	else if (contentType.startsWith('application/json') && req.body.length) body = JSON.parse(req.body.toString('utf8'));
	else body = req.body.toString('utf8');
	return {
		method: req.method,
		url: req.url,
		body,
		contentType: contentType.replace(/boundary=.*/, 'boundary=…'),
		stripeVersion: req.headers['stripe-version'],
		stripeAccount: req.headers['stripe-account'],
		stripeContext: req.headers['stripe-context'],
		idempotencyKey: req.headers['idempotency-key'] === undefined ? 'absent' : 'present',
	};
}
