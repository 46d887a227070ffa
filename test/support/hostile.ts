/**
 * A loopback HTTP server whose every answer is written by the test: redirects, trickled or stalled bodies,
 * `null` bodies, malformed lists. Records every request as it arrived (method, URL, headers, body).
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HostileRequest {
	method: string;
	url: string;
	headers: http.IncomingHttpHeaders;
	body: string;
}

export type Handler = (req: HostileRequest, res: http.ServerResponse, n: number) => void;

export interface HostileServer {
	url: string;
	requests: HostileRequest[];
	/** Replace the handler (the default answers `{}` as JSON). */
	handle(handler: Handler): void;
	close(): Promise<void>;
}

export function json(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
	res.writeHead(status, { 'Content-Type': 'application/json', 'Request-Id': 'req_hostile', ...headers });
	res.end(typeof body === 'string' ? body : JSON.stringify(body));
}

export async function startHostile(): Promise<HostileServer> {
	const requests: HostileRequest[] = [];
	let handler: Handler = (_req, res) => json(res, 200, {});
	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			const r: HostileRequest = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
			requests.push(r);
			handler(r, res, requests.length);
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		requests,
		handle: (h) => {
			handler = h;
		},
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections?.();
				server.close(() => resolve());
			}),
	};
}

/**
 * Writes the head and `{`, then one space every `everyMs` for `totalMs`, then `}`: never idle for long,
 * finishing late. `onSpace(n)` is called after the n-th space (tests expire the attempt's deadline there).
 */
export function trickle(res: http.ServerResponse, everyMs: number, totalMs: number, onSpace?: (n: number) => void): void {
	res.writeHead(200, { 'Content-Type': 'application/json', 'Request-Id': 'req_trickle' });
	res.write('{');
	const started = Date.now();
	let spaces = 0;
	const tick = setInterval(() => {
		if (res.destroyed || res.writableEnded) {
			clearInterval(tick);
			return;
		}
		if (Date.now() - started >= totalMs) {
			clearInterval(tick);
			res.end('}');
			return;
		}
		res.write(' ');
		onSpace?.(++spaces);
	}, everyMs);
	res.on('close', () => clearInterval(tick));
}
