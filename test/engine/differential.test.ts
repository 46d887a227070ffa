/**
 * Differential test: for every operation of the family nodes, the request our node sends (run inside
 * n8n's engine) equals the request stripe@17.4.0 sends for the same parameters — method, path, query,
 * body encoding, and the Stripe-Version / Stripe-Account / Stripe-Context / Idempotency-Key headers.
 * Both go to one loopback capture server.
 */
import '../harness/engine';

import assert from 'node:assert/strict';
import nock from 'nock';
import { afterAll, beforeAll, describe, it } from '@jest/globals';

import type { FamilyDescriptor, OperationDescriptor } from '../../nodes/shared/model/descriptor';
import { asCollection } from '../../nodes/shared/fields/shapes/group';
import { shapeKind } from '../../nodes/shared/fields/shapes';
import { planOperation } from '../../nodes/shared/fields/json-rule';
import { runNode } from '../harness/engine';
import type { CaptureServer } from '../support/capture';
import { comparable, startCaptureServer, stripeNodeAt } from '../support/capture';
import { FAMILY_NODES } from '../support/families';
import type { OperationCase } from '../support/samples';
import { casesFor } from '../support/samples';

// Both sides talk to a real loopback server here; nock's interception would stall stripe-node (it waits
// for a socket event the interceptor never emits).
nock.restore();

const API_VERSION = '2024-11-20.acacia';
const ACCOUNT = 'acct_1DiffTest';

interface Answer {
	status: number;
	body: unknown;
}

let answerFor: (op: OperationDescriptor) => Answer = () => ({ status: 200, body: {} });
let currentOp: OperationDescriptor | undefined;

function answer(op: OperationDescriptor): Answer {
	if (op.kind === 'v2list') return { status: 200, body: { data: [], next_page_url: null, previous_page_url: null } };
	if (op.kind === 'search') return { status: 200, body: { object: 'search_result', data: [], has_more: false, next_page: null } };
	if (op.kind === 'list') return { status: 200, body: { object: 'list', data: [], has_more: false, url: op.path } };
	if (op.response === 'binary') return { status: 200, body: Buffer.from('%PDF-1.4 sample') };
	if (op.auth === 'meterEventSession')
		return { status: 200, body: { authentication_token: 'mes_token_1', expires_at: '2099-01-01T00:00:00.000Z', object: 'v2.billing.meter_event_session' } };
	return { status: 200, body: { id: 'obj_123', object: 'thing' } };
}

function sdkMethod(client: Record<string, unknown>, sdkPath: string): (...args: unknown[]) => Promise<unknown> {
	const parts = sdkPath.split('.');
	let target: Record<string, unknown> = client;
	for (const p of parts.slice(0, -1)) target = target[p] as Record<string, unknown>;
	const fn = target[parts[parts.length - 1]] as (...args: unknown[]) => Promise<unknown>;
	assert.equal(typeof fn, 'function', `stripe-node has no method ${sdkPath}`);
	return fn.bind(target);
}

async function sendWithSdk(server: CaptureServer, op: OperationDescriptor, c: OperationCase, extra: { idempotencyKey?: string }) {
	const client = stripeNodeAt(server.url, 'sk_test_differential');
	const given: Record<string, unknown> = { ...c.sdkParams };
	if (op.kind !== 'plain' && op.params.some((p) => p.name === 'limit')) given.limit = 50;
	// Parameters in the order the typings declare them (the node encodes in that order too).
	const params = Object.fromEntries(op.params.filter((p) => p.name in given).map((p) => [p.name, given[p.name]]));
	const options: Record<string, unknown> = { host: '127.0.0.1', ...c.sdkOptions };
	if (op.apiMode === 'v2') options.stripeContext = ACCOUNT;
	else options.stripeAccount = ACCOUNT;
	if (extra.idempotencyKey) options.idempotencyKey = extra.idempotencyKey;
	await sdkMethod(client, op.sdk!)(...c.pathArgs, params, options);
}

async function sendWithNode(
	server: CaptureServer,
	family: FamilyDescriptor,
	nodeType: unknown,
	resource: string,
	op: OperationDescriptor,
	c: OperationCase,
	extra: { idempotencyKey?: string; typeVersion?: number },
) {
	const parameters: Record<string, unknown> = { resource, operation: op.value, ...c.nodeParams };
	if (op.kind !== 'plain') {
		parameters.returnAll = false;
		parameters.limit = 50;
	}
	if (extra.idempotencyKey) parameters.requestOptions = { idempotencyKey: extra.idempotencyKey };
	const result = await runNode({
		nodeType: nodeType as never,
		typeVersion: extra.typeVersion,
		parameters: parameters as never,
		credentials: { stripeKeyApi: { secretKey: 'sk_test_differential', stripeAccount: ACCOUNT, apiVersion: API_VERSION, baseUrl: server.url } },
		inputItems: [c.file ? { json: {}, binary: { data: { content: c.file.data, fileName: c.file.name, mimeType: c.file.type } } } : { json: {} }],
	});
	if (result.nodeError)
		throw new Error(`${family.family}/${resource}/${op.value}: node failed: ${result.nodeError.message} ${result.nodeError.description ?? ''}`);
}

/** Whether an operation has a required object, which node version 1.1 shows as a collection (fields/shapes versionedObject). */
function hasOpenObject(op: OperationDescriptor): boolean {
	return planOperation(op).params.some((p) => p.required && shapeKind(p) === 'group' && !asCollection(p));
}

const totals = { operations: 0, cases: 0, matched: 0, version1: 0 };

for (const { family, nodeType } of FAMILY_NODES) {
	// A family without stripe-node methods has no case here (jest refuses hooks in a block without tests).
	if (!family.resources.some((r) => r.operations.some((op) => op.sdk))) continue;
	describe(`differential vs stripe@17.4.0: ${family.displayName}`, () => {
		let server: CaptureServer;
		beforeAll(async () => {
			server = await startCaptureServer(() => answerFor(currentOp!));
			answerFor = answer;
		});
		afterAll(async () => server.close());

		for (const resource of family.resources) {
			for (const op of resource.operations) {
				if (!op.sdk) continue;
				totals.operations++;
				// Node version 1.1 (the default), and version 1 where a required object has another shape there (a fixed collection).
				const cases = [
					...casesFor(op),
					...(hasOpenObject(op) ? casesFor(op, 1).map((c) => ({ ...c, typeVersion: 1, label: `${c.label}, node version 1` })) : []),
				];
				for (const c of cases as Array<OperationCase & { typeVersion?: number }>) {
					const variants: Array<{ label: string; idempotencyKey?: string; typeVersion?: number }> = [{ label: c.label, typeVersion: c.typeVersion }];
					if (op.method === 'POST' && c.label === 'required parameters') variants.push({ label: 'user idempotency key', idempotencyKey: `idem-${op.value}-1` });
					for (const v of variants) {
						it(`${resource.value}.${op.value} (${op.method} ${op.path}) — ${v.label}`, async () => {
							totals.cases++;
							currentOp = op;
							server.requests.length = 0;
							await sendWithSdk(server, op, c, v);
							await sendWithNode(server, family, nodeType, resource.value, op, c, v);
							// Send Events first gets a meter event session token with the key (stripe-node leaves that to the caller).
							const sent = server.requests.filter((r, i) => !(op.auth === 'meterEventSession' && i > 0 && r.url === '/v2/billing/meter_event_session'));
							assert.equal(sent.length, 2, 'each side sends exactly one request');
							const [sdk, ours] = sent.map(comparable);
							assert.deepEqual(ours, sdk);
							totals.matched++;
							if (v.typeVersion === 1) totals.version1++;
						});
					}
				}
			}
		}
	});
}

afterAll(() => {
	console.log(
		`differential: ${totals.matched}/${totals.cases} cases matched stripe@17.4.0 over ${totals.operations} SDK operations (${totals.version1} of them as node version 1)`,
	);
});
