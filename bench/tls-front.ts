/**
 * The "realistic" front of the bench: HTTPS with a self-signed certificate and a simulated network round trip,
 * in front of the plain-HTTP stand-in.
 *
 *   client ──TCP──▶ latency proxy (public port) ──TCP──▶ TLS terminator ──TCP──▶ stand-in (HTTP)
 *
 * The latency proxy delays every chunk by half a round trip in each direction (order kept), and the first
 * chunk of a connection by one more round trip (the TCP handshake a real network would cost before the
 * client could send anything). So a TLS 1.3 handshake costs what it costs on a real link (one round trip for
 * the handshake, one for TCP), and a request on an open keep-alive connection costs one round trip. It counts
 * the connections it accepts. The certificate is made at run time with the `openssl` CLI (node:crypto cannot
 * self-sign) and trusted by the contenders through NODE_EXTRA_CA_CERTS, set when their processes start.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tls from 'node:tls';
import { performance } from 'node:perf_hooks';

export interface TlsFront {
	/** https://127.0.0.1:<port> */
	url: string;
	/** PEM file of the self-signed certificate, for NODE_EXTRA_CA_CERTS. */
	caFile: string;
	/** Connections accepted so far. */
	connections(): number;
	close(): Promise<void>;
}

/**
 * A self-signed EC P-256 certificate for 127.0.0.1, localhost and api.stripe.com (n8n's built-in Stripe node
 * addresses api.stripe.com and sends that name as SNI and checks the certificate against it, even though the
 * bench routes its requests to the stand-in).
 */
export function makeCertificate(dir: string): { keyFile: string; certFile: string } {
	const which = spawnSync('openssl', ['version'], { encoding: 'utf8' });
	if (which.status !== 0) throw new Error('The TLS scenario needs the openssl command line tool (apt-get install openssl), or use --scenarios loopback');
	const keyFile = path.join(dir, 'key.pem');
	const certFile = path.join(dir, 'cert.pem');
	const r = spawnSync(
		'openssl',
		[
			'req',
			'-x509',
			'-newkey',
			'ec',
			'-pkeyopt',
			'ec_paramgen_curve:prime256v1',
			'-nodes',
			'-keyout',
			keyFile,
			'-out',
			certFile,
			'-days',
			'2',
			'-subj',
			'/CN=n8n-nodes-stripe bench',
			'-addext',
			'subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:api.stripe.com',
		],
		{ encoding: 'utf8' },
	);
	if (r.status !== 0) throw new Error(`openssl failed: ${r.stderr}`);
	return { keyFile, certFile };
}

/** Pipes `from` into `to`, every chunk (and the end) delivered `delayMs` later, the first one `firstExtraMs` later still. */
function delayedPipe(from: net.Socket, to: net.Socket, delayMs: number, firstExtraMs: number): void {
	const queue: Array<{ at: number; chunk?: Buffer }> = [];
	let timer: NodeJS.Timeout | undefined;
	let first = true;
	const flush = () => {
		timer = undefined;
		const now = performance.now();
		while (queue.length && queue[0].at <= now + 0.5) {
			const { chunk } = queue.shift()!;
			if (chunk === undefined) {
				to.end();
				return;
			}
			if (!to.destroyed) to.write(chunk);
		}
		if (queue.length) timer = setTimeout(flush, Math.max(0, queue[0].at - now));
	};
	const push = (chunk?: Buffer) => {
		const at = performance.now() + delayMs + (first ? firstExtraMs : 0);
		first = false;
		// Keep the order even if a later chunk's delay were shorter.
		queue.push({ at: Math.max(at, queue.length ? queue[queue.length - 1].at : 0), chunk });
		if (!timer) timer = setTimeout(flush, Math.max(0, queue[0].at - performance.now()));
	};
	from.on('data', (c: Buffer) => push(c));
	from.on('end', () => push(undefined));
}

function listen(server: net.Server): Promise<number> {
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port));
	});
}

export async function startTlsFront(options: { standinUrl: string; rttMs: number }): Promise<TlsFront> {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-stripe-bench-tls-'));
	const { keyFile, certFile } = makeCertificate(dir);
	const target = new URL(options.standinUrl);
	const sockets = new Set<net.Socket>();
	const track = (s: net.Socket) => {
		sockets.add(s);
		s.on('close', () => sockets.delete(s));
		s.on('error', () => s.destroy());
		// A side that has ended and been ended is done; half-open sockets close when both ends are in.
		s.on('end', () => {
			if (s.writableEnded) s.destroy();
		});
		s.on('finish', () => {
			if (s.readableEnded) s.destroy();
		});
	};

	// TLS terminator: decrypts and passes the bytes on to the stand-in, one stand-in connection per connection.
	const terminator = tls.createServer({ key: fs.readFileSync(keyFile), cert: fs.readFileSync(certFile) }, (clear) => {
		track(clear);
		const upstream = net.connect(Number(target.port), target.hostname);
		track(upstream);
		// Ends travel with the data (pipe ends the other side); only an error tears the pair down at once.
		clear.pipe(upstream);
		upstream.pipe(clear);
		upstream.on('error', () => clear.destroy());
		clear.on('error', () => upstream.destroy());
	});
	terminator.on('tlsClientError', () => undefined);
	const terminatorPort = await listen(terminator);

	// Latency proxy: what the contenders connect to.
	let accepted = 0;
	const half = options.rttMs / 2;
	const proxy = net.createServer((client) => {
		accepted++;
		client.setNoDelay(true);
		track(client);
		const upstream = net.connect(terminatorPort, '127.0.0.1');
		upstream.setNoDelay(true);
		track(upstream);
		delayedPipe(client, upstream, half, options.rttMs);
		delayedPipe(upstream, client, half, 0);
		upstream.on('error', () => client.destroy());
		client.on('error', () => upstream.destroy());
	});
	const port = await listen(proxy);
	return {
		url: `https://127.0.0.1:${port}`,
		caFile: certFile,
		connections: () => accepted,
		close: async () => {
			for (const s of sockets) s.destroy();
			await Promise.all([new Promise((r) => proxy.close(r)), new Promise((r) => terminator.close(r))]);
			fs.rmSync(dir, { recursive: true, force: true });
		},
	};
}
