/**
 * Secrets (issue 7): the secret key, the Authorization header and event destinations' signing secrets never
 * appear in output items, error messages or descriptions, run data, or anything written to the console,
 * stdout, stderr or n8n's logger (at debug level) — for succeeding runs and for every way a run can fail,
 * including servers that echo the key or the Authorization header back in their error answers.
 */
import '../harness/engine';

import { Container } from '@n8n/di';
import { Logger } from '@n8n/backend-common';
import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import nock from 'nock';
import type { INodeParameters } from 'n8n-workflow';
import { LoggerProxy } from 'n8n-workflow';

import { StripeCore } from '../../nodes/StripeCore/StripeCore.node';
import { runNode } from '../harness/engine';
import type { RunNodeOptions } from '../harness/engine';
import type { Standin } from '../standin/server';
import { useStandin } from '../support/use-standin';

// Real loopback sockets: nock's interception would get in the way.
nock.restore();

const SECRET = 'sk_test_51SecretsScanKeyA1b2C3d4E5f6G7h8I9j0';
const node = new StripeCore();

type LogMethod = (message: string, metadata?: object) => void;
const LEVELS = ['error', 'warn', 'info', 'debug'] as const;

/** Makes a logger (and the loggers it scopes) report every call, whatever the log level. */
function tap(logger: Logger, record: (...args: unknown[]) => void): () => void {
	const own = logger as unknown as Record<string, unknown>;
	const saved = [...LEVELS, 'scoped'].map((k) => [k, Object.prototype.hasOwnProperty.call(own, k), own[k]] as const);
	for (const level of LEVELS) {
		const original = logger[level].bind(logger) as LogMethod;
		own[level] = (message: string, metadata?: object) => {
			record(`logger.${level}`, message, metadata);
			original(message, metadata);
		};
	}
	const scoped = logger.scoped.bind(logger);
	own.scoped = (...args: Parameters<Logger['scoped']>) => {
		const child = scoped(...args);
		tap(child, record);
		return child;
	};
	return () => {
		for (const [k, wasOwn, v] of saved) {
			if (wasOwn) own[k] = v;
			else delete own[k];
		}
	};
}

/**
 * Everything written while `fn` runs: console, stdout and stderr (recorded and passed on: the test runner
 * reports through stdout), and every call of n8n's logger with its metadata (n8n-core logs through the
 * container's Logger and through LoggerProxy; the harness keeps it silent, which does not stop the calls).
 */
async function captured<T>(fn: () => Promise<T>): Promise<{ value: T; output: string[] }> {
	const output: string[] = [];
	const record = (...args: unknown[]) => output.push(args.map((a) => dump(a)).join(' '));
	const stdoutWrite = process.stdout.write;
	const stderrWrite = process.stderr.write;
	const consoleMethods = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;
	const originals = consoleMethods.map((m) => console[m]);
	process.stdout.write = ((...args: Parameters<typeof stdoutWrite>) => {
		record(String(args[0]));
		return stdoutWrite.apply(process.stdout, args);
	}) as typeof process.stdout.write;
	process.stderr.write = ((...args: Parameters<typeof stderrWrite>) => {
		record(String(args[0]));
		return stderrWrite.apply(process.stderr, args);
	}) as typeof process.stderr.write;
	for (const m of consoleMethods) console[m] = (...args: unknown[]) => record(`console.${m}`, ...args);
	const logger = Container.get(Logger);
	const untap = tap(logger, record);
	LoggerProxy.init(logger);
	try {
		return { value: await fn(), output };
	} finally {
		process.stdout.write = stdoutWrite;
		process.stderr.write = stderrWrite;
		consoleMethods.forEach((m, i) => (console[m] = originals[i] as never));
		untap();
		LoggerProxy.init(logger);
	}
}

/** Deep text of a value, errors included (their message, stack, description, cause and other own properties). */
function dump(value: unknown): string {
	const seen = new WeakSet<object>();
	const walk = (v: unknown, depth: number): unknown => {
		if (typeof v === 'bigint' || typeof v === 'symbol' || typeof v === 'function') return String(v);
		if (Buffer.isBuffer(v)) return v.toString('latin1');
		if (v === null || typeof v !== 'object') return v;
		if (seen.has(v) || depth > 40) return '[seen]';
		seen.add(v);
		if (Array.isArray(v)) return v.map((x) => walk(x, depth + 1));
		const out: Record<string, unknown> = {};
		for (const k of Object.getOwnPropertyNames(v)) {
			try {
				out[k] = walk((v as Record<string, unknown>)[k], depth + 1);
			} catch {
				out[k] = '[unreadable]';
			}
		}
		return out;
	};
	return typeof value === 'string' ? value : JSON.stringify(walk(value, 0));
}

interface Run {
	label: string;
	text: string;
	failed: boolean;
}

describe('secrets never leave', () => {
	const standin = useStandin();
	const runs: Run[] = [];
	const signingSecrets: string[] = [];

	async function run(label: string, parameters: INodeParameters, extra: Partial<RunNodeOptions> = {}) {
		const { value: result, output } = await captured(
			async () => await runNode({ nodeType: node, parameters, credentials: { stripeKeyApi: { secretKey: SECRET, baseUrl: standin.s.url } }, ...extra }),
		);
		runs.push({
			label,
			failed: !!result.nodeError || result.items.some((o) => o.some((i) => i.json.error)),
			text: [dump(result.run), dump(result.items), dump(result.nodeError), ...output].join('\n'),
		});
		return result;
	}

	it('succeeding runs: creates, Return All, v2 event destinations', async () => {
		await run(
			'create customers',
			{ resource: 'customer', operation: 'create', email: '={{ $json.email }}', additionalFields: { metadata: { entries: [{ key: 'k', value: 'v' }] } } },
			{ inputItems: [{ json: { email: 'a@example.com' } }, { json: { email: 'b@example.com' } }] },
		);
		standin.s.seed(
			'customers',
			Array.from({ length: 150 }, (_, i) => ({ email: `c${i}@example.com` })),
		);
		const list = await run('list customers, Return All', { resource: 'customer', operation: 'list', returnAll: true });
		assert.equal(list.items[0].length, 152);
		const created = await run('create event destination', {
			resource: 'eventDestinationV2',
			operation: 'create',
			enabled_events: ['v1.billing.meter.error_report_triggered'],
			event_payload: 'thin',
			name: 'secrets',
			type: 'webhook_endpoint',
			additionalFields: { webhook_endpoint: { values: { url: 'https://example.com/hook' } } },
		});
		const id = String(created.items[0][0].json.id);
		await run('retrieve event destination', { resource: 'eventDestinationV2', operation: 'retrieve', id });
		// The stand-in made a signing secret for the destination; the node never asked for it.
		const res = await fetch(`${standin.s.url}/v2/core/event_destinations/${id}?include=webhook_endpoint.signing_secret`, {
			headers: { Authorization: `Bearer ${SECRET}` },
		});
		const secret = ((await res.json()) as { webhook_endpoint: { signing_secret: string } }).webhook_endpoint.signing_secret;
		assert.match(secret, /^whsec_/);
		signingSecrets.push(secret);
		assert.ok(
			runs.every((r) => !r.failed),
			'these runs succeed',
		);
	});

	const echo = `Authorization: Bearer ${SECRET}`;
	const failures: Array<[string, INodeParameters, (s: Standin) => void, Partial<RunNodeOptions>?]> = [
		[
			'Stripe error that echoes the key',
			{ resource: 'balance', operation: 'retrieve' },
			(s) => s.addFault({ status: 401, body: { error: { type: 'invalid_request_error', message: `Invalid API Key provided: ${SECRET}` } } }),
		],
		[
			'proxy error page that echoes the request headers',
			{ resource: 'balance', operation: 'retrieve' },
			(s) =>
				s.addFault({
					status: 502,
					rawBody: `<html><pre>GET /v1/balance\n${echo}\nStripe-Version: x</pre></html>`,
					headers: { 'Content-Type': 'text/html' },
					times: 3,
				}),
		],
		[
			'plain-text error echoing Basic credentials',
			{ resource: 'balance', operation: 'retrieve' },
			(s) => s.addFault({ status: 400, rawBody: `bad request; authorization=Basic ${Buffer.from(`${SECRET}:`).toString('base64')}` }),
		],
		[
			'error that echoes a signing secret',
			{ resource: 'balance', operation: 'retrieve' },
			(s) => s.addFault({ status: 400, body: { error: { type: 'invalid_request_error', message: 'whsec_0123456789abcdefABCDEF0123456789 does not match' } } }),
		],
		['connection reset on every attempt', { resource: 'customer', operation: 'create' }, (s) => s.addFault({ action: 'reset', times: 3 })],
		[
			'timeout on every attempt',
			{ resource: 'customer', operation: 'create', requestOptions: { timeout: 200 } },
			(s) => s.addFault({ action: 'hang', times: 3 }),
		],
		['HTTP 500 on every attempt', { resource: 'customer', operation: 'list', returnAll: true }, (s) => s.addFault({ status: 500, times: 3 })],
		[
			'malformed JSON',
			{ resource: 'customer', operation: 'create' },
			(s) => s.addFault({ status: 200, rawBody: `{"id": "cus_1", "note": "${SECRET.slice(0, 12)}` }),
		],
		[
			'declined card',
			{ resource: 'paymentIntent', operation: 'confirm', intent: 'pi_1' },
			(s) =>
				s.addFault({
					status: 402,
					body: { error: { type: 'card_error', code: 'card_declined', decline_code: 'generic_decline', message: 'Your card was declined.' } },
					headers: { 'Stripe-Should-Retry': 'false' },
				}),
		],
		['bad input', { resource: 'customer', operation: 'create', additionalFields: { tax_exempt: 'nope' } }, () => {}],
		[
			'live key refused by Stripe',
			{ resource: 'balance', operation: 'retrieve' },
			() => {},
			{ credentials: { stripeKeyApi: { secretKey: SECRET.replace('_test_', '_live_'), baseUrl: '' } } },
		],
		// Issue 14: the key in every Stripe error field, in a header, and encoded.
		[
			'the key in every Stripe error field (code, param, decline_code, doc_url, type)',
			{ resource: 'balance', operation: 'retrieve' },
			(s) =>
				s.addFault({
					status: 402,
					headers: { 'Stripe-Should-Retry': 'false' },
					body: {
						error: {
							type: `card_error ${SECRET}`,
							code: `code_${SECRET}`,
							param: `param[${SECRET}]`,
							decline_code: SECRET,
							doc_url: `https://stripe.com/docs?key=${SECRET}`,
							message: 'declined',
						},
					},
				}),
		],
		[
			'the key in an error field that is an object',
			{ resource: 'balance', operation: 'retrieve' },
			(s) => s.addFault({ status: 400, body: { error: { type: 'invalid_request_error', param: { echoed: SECRET } as unknown as string, message: 'bad' } } }),
		],
		[
			'the key in the Request-Id header (error and non-JSON answers)',
			{ resource: 'balance', operation: 'retrieve' },
			(s) => {
				s.addFault({ status: 400, headers: { 'Request-Id': `req_${SECRET}` } });
			},
		],
		[
			'the key in the Request-Id header of a 200 answer that is not JSON',
			{ resource: 'customer', operation: 'create' },
			(s) => s.addFault({ status: 200, rawBody: '{"id": "cus_', headers: { 'Request-Id': `req_x ${SECRET}` } }),
		],
		[
			'a URL-encoded Authorization header echoed',
			{ resource: 'balance', operation: 'retrieve' },
			(s) =>
				s.addFault({ status: 400, body: { error: { type: 'invalid_request_error', message: `echo: authorization=Bearer%20${SECRET}&x=Bearer+${SECRET}` } } }),
		],
		[
			'the key with percent-encoded underscores, and Base64-encoded on its own',
			{ resource: 'balance', operation: 'retrieve' },
			(s) => s.addFault({ status: 400, rawBody: `${SECRET.replace(/_/g, '%5F')} ${Buffer.from(SECRET).toString('base64')}` }),
		],
		[
			'a redirect whose Location carries the key',
			{ resource: 'balance', operation: 'retrieve' },
			(s) => s.addFault({ status: 302, headers: { Location: `http://127.0.0.1:9/v1/balance?key=${SECRET}` }, rawBody: '' }),
		],
		[
			'continue on fail: errors as items',
			{ resource: 'customer', operation: 'retrieve', customer: '={{ $json.id }}' },
			(s) => s.addFault({ status: 500, times: 3 }),
			{ continueOnFail: true, inputItems: [{ json: { id: 'cus_missing' } }, { json: { id: 'cus_bad/id' } }] },
		],
	];

	for (const [label, parameters, inject, extra] of failures) {
		it(`failing run: ${label}`, async () => {
			inject(standin.s);
			const options = { ...extra };
			if (options.credentials) options.credentials.stripeKeyApi.baseUrl = standin.s.url;
			const result = await run(label, parameters, options);
			assert.ok(result.nodeError || result.items[0].some((i) => i.json.error), 'the run fails');
		});
	}

	it('nothing any run produced contains a secret', () => {
		assert.equal(runs.length, failures.length + 4);
		const liveKey = SECRET.replace('_test_', '_live_');
		const needles = [
			SECRET,
			liveKey,
			SECRET.slice(-16), // the key's random part, in case it was only partly masked
			Buffer.from(`${SECRET}:`).toString('base64'),
			Buffer.from(SECRET).toString('base64').slice(12, 40), // the Base64 of the key's random part
			encodeURIComponent(SECRET).slice(-16),
			'whsec_0123456789abcdef',
			...signingSecrets,
			...signingSecrets.map((x) => x.slice(-12)),
		];
		const leaks: string[] = [];
		for (const r of runs) {
			for (const needle of needles) if (r.text.includes(needle)) leaks.push(`${r.label}: contains ${needle.slice(0, 10)}…`);
			if (/authorization["']?\s*[:=]\s*["']?(Bearer|Basic) [A-Za-z0-9]/i.test(r.text)) leaks.push(`${r.label}: an Authorization header`);
		}
		assert.deepEqual(leaks, []);
		// The scan saw real material: n8n's log calls (with the errors as metadata) and the failures' messages.
		const all = runs.map((r) => r.text).join('\n');
		assert.match(all, /logger\.debug Start executing node/);
		assert.match(all, /logger\.debug Running node "Stripe Core" finished with error/);
		assert.match(all, /Could not reach Stripe/);
		assert.match(all, /Stripe did not answer within/);
		assert.match(all, /body that is not JSON: <html><pre>GET \/v1\/balance Authorization: Bearer …/);
		assert.match(all, /Invalid API Key provided: sk_test_…/);
	});
});
