/**
 * Parameter sets recorded from n8n 2.41.1's editor (test/fixtures/editor-recorded/, see its README.md): a user's
 * clicks and typing in the real editor, stored by the editor as the workflow's node parameters. Each node runs
 * inside n8n-core with exactly those parameters (and the workflow's time zone), and its request must equal the
 * one stripe-node 17.4.0 sends for the call written by hand in the fixture (`stripeNode`): method, path, query,
 * body byte for byte, content type, Stripe-Version, Stripe-Account and an Idempotency-Key. Neither side is
 * derived from the package's field code (no `write`, no `read`).
 */
import '../harness/engine';

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import nock from 'nock';
import { afterAll, beforeAll, describe, it } from '@jest/globals';

import { runNode } from '../harness/engine';
import type { CaptureServer } from '../support/capture';
import { comparable, startCaptureServer } from '../support/capture';
import { FAMILY_NODES } from '../support/families';

const Stripe = require('stripe');

nock.restore();

const ROOT = path.join(__dirname, '../../..');
const DIR = path.join(ROOT, 'test/fixtures/editor-recorded');
const KEY = 'sk_test_recorded';
const ACCOUNT = 'acct_1E2eEditorFields';

interface Recording {
	task: string;
	timezone: string;
	node: { name: string; type: string; typeVersion: number; parameters: Record<string, unknown> };
	stripeNode: { method: string; args: unknown[] };
	binary?: { property: string; fileName: string; mimeType: string; text: string };
}

const recordings = fs
	.readdirSync(DIR)
	.filter((f) => f.endsWith('.json'))
	.sort()
	.map((f) => ({ file: f, rec: JSON.parse(fs.readFileSync(path.join(DIR, f), 'utf8')) as Recording }));

/** The fixture's `<binary data>` placeholder → the input item's bytes (stripe-node takes a file as { data, name, type }). */
function withBinary(value: unknown, rec: Recording): unknown {
	if (!rec.binary) return value;
	return JSON.parse(JSON.stringify(value), (_k, v) => (v === `<binary ${rec.binary!.property}>` ? Buffer.from(rec.binary!.text) : v));
}

async function sendWithSdk(server: CaptureServer, rec: Recording): Promise<void> {
	const client = new Stripe(KEY, { host: '127.0.0.1', port: Number(new URL(server.url).port), protocol: 'http', maxNetworkRetries: 2, telemetry: false });
	const parts = rec.stripeNode.method.split('.');
	const target = parts.slice(0, -1).reduce((o: Record<string, never>, k) => o[k], client);
	const fn = target[parts[parts.length - 1]] as (...args: unknown[]) => Promise<unknown>;
	assert.equal(typeof fn, 'function', `stripe-node has no method ${rec.stripeNode.method}`);
	const args = withBinary(rec.stripeNode.args, rec) as unknown[];
	await fn.call(target, ...args, { stripeAccount: ACCOUNT, host: '127.0.0.1' });
}

async function sendWithNode(server: CaptureServer, rec: Recording): Promise<void> {
	const family = FAMILY_NODES.find((f) => `n8n-nodes-stripe.${f.nodeType.description.name}` === rec.node.type);
	assert.ok(family, `a family node of type ${rec.node.type}`);
	const b = rec.binary;
	const result = await runNode({
		nodeType: family.nodeType,
		typeVersion: rec.node.typeVersion,
		parameters: rec.node.parameters as never,
		settings: { timezone: rec.timezone },
		credentials: { stripeKeyApi: { secretKey: KEY, stripeAccount: ACCOUNT, apiVersion: '2024-11-20.acacia', baseUrl: server.url } },
		inputItems: [b ? { json: {}, binary: { [b.property]: { content: Buffer.from(b.text), fileName: b.fileName, mimeType: b.mimeType } } } : { json: {} }],
	});
	if (result.nodeError) throw new Error(`node failed: ${result.nodeError.message} ${result.nodeError.description ?? ''}`);
}

describe('parameters recorded in n8n’s editor, sent as stripe@17.4.0 sends the hand-written call', () => {
	let server: CaptureServer;
	beforeAll(async () => {
		server = await startCaptureServer((r) => {
			if (r.method === 'GET') return { status: 200, body: { object: 'list', data: [], has_more: false, url: r.url.split('?')[0] } };
			return { status: 200, body: { id: 'obj_123', object: 'thing' } };
		});
	});
	afterAll(async () => server.close());

	it('the recordings cover every field shape the editor offers', () => {
		const all = JSON.stringify(recordings.map((r) => r.rec.node.parameters));
		const covered: Record<string, RegExp> = {
			'resource locator picked from the list': /"__rl":true,"value":"(cus|price|pi|sub|si)_[^"]+","mode":"list"/,
			'fixed collection with several entries': /"line_items":\{"entry":\[\{[^\]]*\},\{/,
			'metadata key/values': /"metadata":\{"entries":\[\{"key":/,
			'date-time field (wall-clock text)': /"gte":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d"/,
			'union choice (Trial End › Date, picked in the calendar)': /"trial_end":\{"number":\{"value":"\d{4}-\d\d-\d\dT09:00:00"/,
			amount: /"amount":500/,
			options: /"tax_exempt":"exempt"/,
			'multi-options': /"payment_method_types":\["card","link"\]/,
			'boolean switch': /"off_session":true/,
			'Using JSON': /"specifyParameters":"json"/,
			'nested collection': /"invoice_settings":\{"footer":/,
			'file upload (binary field)': /"resource":"file"/,
		};
		const missing = Object.entries(covered)
			.filter(([, re]) => !re.test(all))
			.map(([k]) => k);
		assert.deepEqual(missing, []);
	});

	for (const { file, rec } of recordings) {
		it(`${file}: ${rec.task}`, async () => {
			server.requests.length = 0;
			await sendWithSdk(server, rec);
			await sendWithNode(server, rec);
			assert.equal(server.requests.length, 2, 'each side sends exactly one request');
			const [sdk, ours] = server.requests.map(comparable);
			assert.deepEqual(ours, sdk);
		});
	}
});
