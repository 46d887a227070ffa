/**
 * Stripe Events Trigger through n8n-core's hook and webhook contexts against the loopback Stripe stand-in:
 * activation / checkExists / deactivation sequences (exact requests, never a second destination, no
 * orphans), signature acceptance and every rejection, event filtering, thin-event fetches.
 */
import '../harness/engine';

import assert from 'node:assert/strict';
import { afterAll, beforeAll, beforeEach, describe, it } from '@jest/globals';
import nock from 'nock';
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { signatureHeader } from '../../nodes/shared/events/signature';
import { forgetProcessClaims, SEEN_EVENTS_MAX, SEEN_EVENTS_RETENTION_SECONDS } from '../../nodes/shared/events/replay-memory';
import { StripeEventsTrigger } from '../../nodes/StripeEventsTrigger/StripeEventsTrigger.node';
import type { TriggerSetup } from '../harness/webhook';
import { deliver, runHook, runStarted, runTrigger, WEBHOOK_BASE, WEBHOOK_ID } from '../harness/webhook';
import type { Standin } from '../standin/server';
import { startStandin } from '../standin/server';

nock.restore();

const URL_PROD = `${WEBHOOK_BASE}/${WEBHOOK_ID}/webhook`;
const SECRET_KEY = 'sk_test_trigger0123456789';

let standin: Standin;

function setup(parameters: INodeParameters = {}, staticData: IDataObject = {}): TriggerSetup {
	return {
		nodeType: new StripeEventsTrigger(),
		parameters: { eventPayload: 'snapshot', snapshotEvents: ['customer.created', 'invoice.paid'], ...parameters },
		credentials: { stripeKeyApi: { secretKey: SECRET_KEY, baseUrl: standin.url } },
		staticData,
	};
}

function destinationCalls() {
	return standin.requests
		.filter((r) => r.path.startsWith('/v2/core/event_destinations'))
		.map((r) => `${r.method} ${r.path}${r.rawQuery ? `?${r.rawQuery}` : ''}`);
}

async function liveDestinations(): Promise<IDataObject[]> {
	const res = await fetch(`${standin.url}/v2/core/event_destinations?include=webhook_endpoint.url`, { headers: { Authorization: `Bearer ${SECRET_KEY}` } });
	return ((await res.json()) as { data: IDataObject[] }).data;
}

/** Deletes an event destination at Stripe (the stand-in), behind n8n's back. */
async function deleteAtStripe(destinationId: unknown): Promise<void> {
	await fetch(`${standin.url}/v2/core/event_destinations/${String(destinationId)}`, { method: 'DELETE', headers: { Authorization: `Bearer ${SECRET_KEY}` } });
}

function nodeStatic(s: TriggerSetup): IDataObject {
	return (s.staticData['node:Stripe Events Trigger'] ?? {}) as IDataObject;
}

describe('Stripe Events Trigger: activation lifecycle', () => {
	beforeAll(async () => {
		standin = await startStandin();
	});
	afterAll(async () => standin.close());
	beforeEach(() => standin.reset());

	it('activation creates exactly one destination with the secret requested; deactivation deletes it', async () => {
		const s = setup({ eventsFrom: ['self', 'other_accounts'] });
		assert.equal(await runHook(s, 'checkExists'), false);
		assert.equal(await runHook(s, 'create'), true);
		const create = standin.requests.find((r) => r.method === 'POST' && r.path === '/v2/core/event_destinations')!;
		assert.deepEqual(create.body, {
			name: 'n8n Stripe orders',
			description: 'Created by n8n for workflow "Stripe orders" (wf-trigger-1), node "Stripe Events Trigger". Deleted when the workflow is deactivated.',
			type: 'webhook_endpoint',
			event_payload: 'snapshot',
			enabled_events: ['customer.created', 'invoice.paid'],
			events_from: ['other_accounts', 'self'],
			snapshot_api_version: '2024-11-20.acacia',
			webhook_endpoint: { url: URL_PROD },
			include: ['webhook_endpoint.signing_secret', 'webhook_endpoint.url'],
		});
		assert.equal(create.headers['content-type'], 'application/json');
		assert.ok(create.headers['idempotency-key']);
		const data = nodeStatic(s);
		assert.match(String(data.destinationId), /^ed_/);
		assert.match(String(data.signingSecret), /^whsec_/);
		assert.equal((await liveDestinations()).length, 1);

		// n8n restarts / re-checks: the destination is still right, nothing is created.
		standin.requests.length = 0;
		assert.equal(await runHook(s, 'checkExists'), true);
		assert.deepEqual(destinationCalls(), [`GET /v2/core/event_destinations/${String(data.destinationId)}?include=webhook_endpoint.url`]);

		standin.requests.length = 0;
		assert.equal(await runHook(s, 'delete'), true);
		assert.deepEqual(destinationCalls(), [`DELETE /v2/core/event_destinations/${String(data.destinationId)}`]);
		// Only where catch-up starts is kept (set at the first activation), so the inactive time is caught up.
		assert.deepEqual(Object.keys(nodeStatic(s)).sort(), ['catchUpStart', 'caughtUpTo']);
		assert.equal((await liveDestinations()).length, 0);
	});

	it('editing the events replaces the destination: the stale one is deleted, never two at once', async () => {
		const s = setup();
		await runHook(s, 'create');
		const first = String(nodeStatic(s).destinationId);
		s.parameters = { ...s.parameters, snapshotEvents: ['charge.refunded'] };
		assert.equal(await runHook(s, 'checkExists'), false);
		await runHook(s, 'create');
		const second = String(nodeStatic(s).destinationId);
		assert.notEqual(first, second);
		const live = await liveDestinations();
		assert.deepEqual(
			live.map((d) => d.id),
			[second],
		);
		assert.deepEqual(live[0].enabled_events, ['charge.refunded']);
	});

	it('a disabled or deleted destination is recreated; a destination whose static data was lost is cleaned up', async () => {
		const s = setup();
		await runHook(s, 'create');
		const id = String(nodeStatic(s).destinationId);
		await fetch(`${standin.url}/v2/core/event_destinations/${id}/disable`, { method: 'POST', headers: { Authorization: `Bearer ${SECRET_KEY}` } });
		assert.equal(await runHook(s, 'checkExists'), false);
		await runHook(s, 'create');
		assert.equal((await liveDestinations()).length, 1);

		// Deleted behind n8n's back: checkExists notices and forgets it.
		const id2 = String(nodeStatic(s).destinationId);
		await deleteAtStripe(id2);
		assert.equal(await runHook(s, 'checkExists'), false);
		assert.equal(nodeStatic(s).destinationId, undefined);

		// Static data lost (e.g. a restored workflow) while a destination for this URL still exists.
		const orphanMaker = setup();
		await runHook(orphanMaker, 'create');
		const fresh = setup();
		await runHook(fresh, 'create');
		const live = await liveDestinations();
		assert.deepEqual(
			live.map((d) => d.id),
			[nodeStatic(fresh).destinationId],
		);
	});

	it('re-activating many times leaves one destination at most', async () => {
		const s = setup();
		for (let i = 0; i < 5; i++) {
			if (!(await runHook(s, 'checkExists'))) await runHook(s, 'create');
			assert.equal((await liveDestinations()).length, 1);
			if (i % 2) await runHook(s, 'delete');
		}
		await runHook(s, 'delete');
		assert.equal((await liveDestinations()).length, 0);
	});

	// n8n 2.41.1 keeps a test webhook's static data in its test-webhook registration (a copy of the workflow's,
	// never saved to the database) and removes test webhooks like production ones: delete() in mode
	// `internal`, activation `update` (n8nHookModes).
	it('listening for a test event on an active workflow: its own destination, removed afterwards in mode internal; the production one untouched', async () => {
		const prod = setup();
		await runHook(prod, 'create');
		const prodId = nodeStatic(prod).destinationId;
		const prodData = JSON.stringify(prod.staticData);
		const test: TriggerSetup = { ...setup({}, JSON.parse(prodData) as IDataObject), isTest: true };
		assert.equal(await runHook(test, 'checkExists'), false);
		await runHook(test, 'create');
		const data = nodeStatic(test);
		assert.equal(data.destinationId, prodId);
		assert.match(String(data.testDestinationId), /^ed_/);
		assert.notEqual(data.testDestinationId, prodId);
		const live = await liveDestinations();
		assert.equal(live.length, 2);
		const testId = String(data.testDestinationId);
		const testUrl = String((live.find((d) => d.id === testId)!.webhook_endpoint as IDataObject).url);
		assert.equal(testUrl, `http://localhost:5678/webhook-test/${WEBHOOK_ID}/webhook`);
		standin.requests.length = 0;
		assert.equal(await runHook(test, 'delete'), true);
		assert.deepEqual(destinationCalls(), [`DELETE /v2/core/event_destinations/${testId}`]);
		assert.deepEqual(
			(await liveDestinations()).map((d) => d.id),
			[prodId],
		);
		assert.equal(nodeStatic(test).destinationId, prodId);
		assert.equal(nodeStatic(test).testDestinationId, undefined);
		assert.equal(JSON.stringify(prod.staticData), prodData, 'the production static data is not touched');
		// The production webhook is still checked, and removed, as before.
		assert.equal(await runHook(prod, 'checkExists'), true);
		await runHook(prod, 'delete');
		assert.deepEqual(await liveDestinations(), []);
	});

	it('listening for a test event on an inactive workflow leaves no destination behind', async () => {
		const test: TriggerSetup = { ...setup(), isTest: true };
		for (let i = 0; i < 3; i++) {
			assert.equal(await runHook(test, 'checkExists'), false);
			await runHook(test, 'create');
			assert.equal((await liveDestinations()).length, 1);
			await runHook(test, 'delete');
			assert.deepEqual(await liveDestinations(), [], `listen ${i + 1} left its destination behind`);
		}
		assert.deepEqual(nodeStatic(test), {});
	});

	it('a test webhook removed before its destination was stored never deletes the production destination', async () => {
		const prod = setup();
		await runHook(prod, 'create');
		const prodId = nodeStatic(prod).destinationId;
		// n8n removes the test webhook again when create() failed: the registration's data has no test slot.
		const test: TriggerSetup = { ...setup({}, JSON.parse(JSON.stringify(prod.staticData)) as IDataObject), isTest: true };
		standin.requests.length = 0;
		await runHook(test, 'delete');
		assert.deepEqual(destinationCalls(), []);
		assert.deepEqual(
			(await liveDestinations()).map((d) => d.id),
			[prodId],
		);
	});

	it('production deactivation after WEBHOOK_URL changed still deletes the production destination', async () => {
		const prod = setup();
		await runHook(prod, 'create');
		const data = nodeStatic(prod);
		data.webhookUrl = String(data.webhookUrl).replace('http://localhost:5678/', 'https://old.example.com/n8n/');
		await runHook(prod, 'delete');
		assert.deepEqual(await liveDestinations(), []);
	});

	it('thin payloads: thin event types, no snapshot version', async () => {
		const s = setup({ eventPayload: 'thin', thinEvents: ['v1.billing.meter.no_meter_found'] });
		await runHook(s, 'create');
		const create = standin.requests.find((r) => r.method === 'POST')!;
		assert.equal((create.body as IDataObject).event_payload, 'thin');
		assert.deepEqual((create.body as IDataObject).enabled_events, ['v1.billing.meter.no_meter_found']);
		assert.equal((create.body as IDataObject).snapshot_api_version, undefined);
		assert.equal(await runHook(s, 'checkExists'), true);
	});
});

describe('Stripe Events Trigger: deliveries', () => {
	const secret = 'whsec_test_delivery_secret_0123456789';
	const staticData = () => ({ 'node:Stripe Events Trigger': { destinationId: 'ed_1', signingSecret: secret } });
	const event = { id: 'evt_1', object: 'event', type: 'customer.created', account: 'acct_1Conn', data: { object: { id: 'cus_1' } } };
	const raw = Buffer.from(JSON.stringify(event));
	const now = () => Math.floor(Date.now() / 1000);

	beforeAll(async () => {
		standin = await startStandin();
	});
	afterAll(async () => standin.close());
	// Each test is a fresh n8n process: nothing claimed in memory yet.
	beforeEach(() => forgetProcessClaims());

	it('a correctly signed delivery starts the workflow with the event, connected account exposed', async () => {
		const r = await deliver(setup({}, staticData()), { headers: { 'Stripe-Signature': signatureHeader(secret, now(), raw) }, rawBody: raw });
		assert.equal(r.status, 200);
		assert.deepEqual(r.items, [{ ...event }]);
		assert.equal(r.items?.[0].account, 'acct_1Conn');
	});

	it('several v1 signatures: any one may match (secret rolling)', async () => {
		const t = now();
		const good = signatureHeader(secret, t, raw).split(',')[1];
		const r = await deliver(setup({}, staticData()), { headers: { 'Stripe-Signature': `t=${t},v1=${'0'.repeat(64)},${good},v0=abc` }, rawBody: raw });
		assert.equal(r.items?.length, 1);
	});

	const rejections: Array<[string, () => Record<string, string | string[]>, Buffer | undefined, number]> = [
		['missing header', () => ({}), undefined, 400],
		['no v1 signature', () => ({ 'Stripe-Signature': `t=${now()},v0=${'a'.repeat(64)}` }), undefined, 400],
		['malformed header', () => ({ 'Stripe-Signature': 'garbage' }), undefined, 400],
		['wrong secret', () => ({ 'Stripe-Signature': signatureHeader('whsec_other', now(), raw) }), undefined, 401],
		[
			'tampered body',
			() => ({ 'Stripe-Signature': signatureHeader(secret, now(), raw) }),
			Buffer.from(JSON.stringify({ ...event, type: 'invoice.paid' })),
			401,
		],
		['old timestamp', () => ({ 'Stripe-Signature': signatureHeader(secret, now() - 301, raw) }), undefined, 401],
		['future timestamp beyond tolerance', () => ({ 'Stripe-Signature': signatureHeader(secret, now() + 301, raw) }), undefined, 401],
		['header given twice', () => ({ 'Stripe-Signature': [signatureHeader(secret, now(), raw), signatureHeader(secret, now(), raw)] }), undefined, 400],
		[
			'header given twice, joined',
			() => ({ 'Stripe-Signature': `${signatureHeader(secret, now(), raw)}, ${signatureHeader(secret, now(), raw)}` }),
			undefined,
			400,
		],
		['truncated signature', () => ({ 'Stripe-Signature': signatureHeader(secret, now(), raw).slice(0, -2) }), undefined, 401],
	];
	for (const [label, headers, body, status] of rejections) {
		it(`rejects: ${label} (${status}), no execution`, async () => {
			const r = await deliver(setup({}, staticData()), { headers: headers(), rawBody: body ?? raw });
			assert.equal(r.status, status);
			assert.equal(r.items, undefined);
			assert.equal(r.response.noWebhookResponse, true);
			assert.ok(!JSON.stringify(r.body).includes(secret), 'the signing secret is not echoed');
		});
	}

	it('fuzzing: random and mangled signature headers, replays and oversize bodies never start an execution', async () => {
		let seed = 7;
		const rnd = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
		const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
		const t = now();
		const valid = signatureHeader(secret, t, raw);
		const v1 = valid.split(',')[1].slice(3);
		const generators: Array<() => string> = [
			() => Array.from({ length: Math.floor(rnd() * 80) }, () => String.fromCharCode(32 + Math.floor(rnd() * 95))).join(''),
			() => valid.slice(0, Math.floor(rnd() * valid.length)),
			() => valid.replace(/[0-9a-f]/, (c) => (c === 'a' ? 'b' : 'a')),
			() => `t=${t},v2=${v1}`,
			() => `t=${t},V1=${v1}`,
			() => `t=${t};v1=${v1}`,
			() => `t=${t},v1=${v1.toUpperCase().replace(/./, 'Z')}`,
			() => `t=${t + Math.floor(rnd() * 10)},v1=${v1}`,
			() => `t=${pick(['', 'abc', '-1', '1e9', String(t) + '0'])},v1=${v1}`,
			() => `v1=${v1},t=${t},t=${t}`,
			() => `t=${t},v1=${v1}`.replace('=', ''),
			() => signatureHeader(secret, t - 3600, raw),
		];
		for (let i = 0; i < 300; i++) {
			const header = pick(generators)();
			if (header === valid) continue;
			const r = await deliver(setup({}, staticData()), { headers: { 'Stripe-Signature': header }, rawBody: raw });
			assert.equal(r.items, undefined, `header ${JSON.stringify(header)} started an execution`);
			assert.ok(r.status === 400 || r.status === 401, `header ${JSON.stringify(header)} answered ${r.status}`);
		}
		// Oversize body, signed for a different (the original) body, and a replay of an old valid delivery.
		const big = Buffer.concat([raw, Buffer.alloc(2 * 1024 * 1024, 32)]);
		assert.equal((await deliver(setup({}, staticData()), { headers: { 'Stripe-Signature': valid }, rawBody: big })).items, undefined);
		const old = now() - 3600;
		const replay = await deliver(setup({}, staticData()), { headers: { 'Stripe-Signature': signatureHeader(secret, old, raw) }, rawBody: raw });
		assert.equal(replay.items, undefined);
		assert.equal(replay.status, 401);
	});

	it('the tolerance is configurable', async () => {
		const r = await deliver(setup({ options: { tolerance: 1000 } }, staticData()), {
			headers: { 'Stripe-Signature': signatureHeader(secret, now() - 600, raw) },
			rawBody: raw,
		});
		assert.equal(r.items?.length, 1);
	});

	it('a signed event of a type that is not selected is acknowledged without an execution', async () => {
		const other = Buffer.from(JSON.stringify({ ...event, type: 'charge.refunded' }));
		const r = await deliver(setup({}, staticData()), { headers: { 'Stripe-Signature': signatureHeader(secret, now(), other) }, rawBody: other });
		assert.equal(r.status, 200);
		assert.equal(r.items, undefined);
	});

	it('thin events: fetches the full event and the related object with the event context as account', async () => {
		const meterSetup = setup(
			{ eventPayload: 'thin', thinEvents: ['v1.billing.meter.no_meter_found'], options: { fetchEvent: true, fetchRelatedObject: true } },
			staticData(),
		);
		const thin = {
			id: 'evt_thin_1',
			object: 'v2.core.event',
			type: 'v1.billing.meter.no_meter_found',
			context: 'acct_1Ctx',
			related_object: { id: 'cus_x', type: 'customer', url: '/v1/customers/cus_x' },
		};
		const thinRaw = Buffer.from(JSON.stringify(thin));
		const seen: Array<{ path: string; account?: string; context?: string }> = [];
		const server = await import('node:http').then(
			(http) =>
				new Promise<{ url: string; close: () => void }>((resolve) => {
					const srv = http.createServer((req, res) => {
						seen.push({ path: String(req.url), account: req.headers['stripe-account'] as string, context: req.headers['stripe-context'] as string });
						res.setHeader('Content-Type', 'application/json');
						if (String(req.url).startsWith('/v2/core/events/')) res.end(JSON.stringify({ ...thin, data: { developer_message_summary: 'no meter' } }));
						else res.end(JSON.stringify({ id: 'cus_x', object: 'customer', email: 'x@y.z' }));
					});
					srv.listen(0, '127.0.0.1', () => resolve({ url: `http://127.0.0.1:${(srv.address() as { port: number }).port}`, close: () => srv.close() }));
				}),
		);
		try {
			meterSetup.credentials = { stripeKeyApi: { secretKey: SECRET_KEY, baseUrl: server.url } };
			const r = await deliver(meterSetup, { headers: { 'Stripe-Signature': signatureHeader(secret, now(), thinRaw) }, rawBody: thinRaw });
			assert.equal(r.status, 200);
			assert.deepEqual(seen, [
				{ path: '/v2/core/events/evt_thin_1', account: undefined, context: 'acct_1Ctx' },
				{ path: '/v1/customers/cus_x', account: 'acct_1Ctx', context: undefined },
			]);
			const item = r.items![0];
			assert.deepEqual(item.data, { developer_message_summary: 'no meter' });
			assert.equal((item.related_object_data as IDataObject).email, 'x@y.z');
			assert.equal(item.context, 'acct_1Ctx');
		} finally {
			server.close();
		}
	});
});

describe('Stripe Events Trigger: answers, test deliveries and replays', () => {
	const secret = 'whsec_test_replay_secret_0123456789';
	const testSecret = 'whsec_test_listen_secret_9876543210';
	const URL_TEST = `http://localhost:5678/webhook-test/${WEBHOOK_ID}/webhook`;
	const nodeData = () => ({ destinationId: 'ed_1', signingSecret: secret, webhookUrl: URL_PROD });
	const now = () => Math.floor(Date.now() / 1000);
	const eventRaw = (id: string, type = 'customer.created') => Buffer.from(JSON.stringify({ id, object: 'event', type, data: { object: { id: 'cus_1' } } }));
	const signed = (raw: Buffer, s = secret, t = now()) => ({ headers: { 'Stripe-Signature': signatureHeader(s, t, raw) }, rawBody: raw });

	beforeAll(async () => {
		standin = await startStandin();
	});
	afterAll(async () => standin.close());
	beforeEach(() => forgetProcessClaims());

	it('an accepted delivery is answered {"received":true}, never with the event or n8n\'s default', async () => {
		const description = new StripeEventsTrigger().description.webhooks![0];
		// n8n sends the description's responseData when it is set (default "firstEntryJson", sent literally).
		assert.equal(description.responseData, '');
		const r = await deliver(setup({}, { 'node:Stripe Events Trigger': nodeData() }), signed(eventRaw('evt_ack_1')));
		assert.equal(r.status, 200);
		assert.deepEqual(r.body, { received: true });
		assert.equal(r.items?.[0].id, 'evt_ack_1');
	});

	it("a test delivery verifies with the test destination's secret only; a production delivery with the production one only", async () => {
		const both = () => ({
			'node:Stripe Events Trigger': { ...nodeData(), testDestinationId: 'ed_t', testSigningSecret: testSecret, testWebhookUrl: URL_TEST },
		});
		const raw = eventRaw('evt_listen_1');
		const asTest = (sd: IDataObject): TriggerSetup => ({ ...setup({}, sd), isTest: true });
		assert.equal((await deliver(asTest(both()), signed(raw, testSecret))).items?.length, 1);
		assert.equal((await deliver(asTest(both()), signed(raw, secret))).status, 401);
		assert.equal((await deliver(setup({}, both()), signed(raw, secret))).items?.length, 1);
		assert.equal((await deliver(setup({}, both()), signed(raw, testSecret))).status, 401);
	});

	it('Listen for test event: the manual run outputs the test delivery, in whichever process runs it (a worker too)', async () => {
		const test = (): TriggerSetup => ({
			...setup({}, { 'node:Stripe Events Trigger': { ...nodeData(), testDestinationId: 'ed_t', testSigningSecret: testSecret, testWebhookUrl: URL_TEST } }),
			isTest: true,
		});
		// Main receives two test deliveries; the execution of the first one runs elsewhere (a worker), from its
		// stored execution data only: it outputs the first delivery's items, not what this process received last.
		const first = await deliver(test(), signed(eventRaw('evt_listen_run'), testSecret));
		const second = await deliver(test(), signed(eventRaw('evt_listen_other'), testSecret));
		assert.equal(second.items?.length, 1);
		const run = await runStarted(test(), first.items!, 'manual');
		assert.equal(run.status, 'success');
		assert.deepEqual(
			run.items?.map((i) => i.id),
			['evt_listen_run'],
		);
		assert.deepEqual(run.items?.[0], { id: 'evt_listen_run', object: 'event', type: 'customer.created', data: { object: { id: 'cus_1' } }, account: null });
		// A production delivery's execution (mode webhook) passes its items on the same way.
		const prod = await deliver(setup({}, { 'node:Stripe Events Trigger': nodeData() }), signed(eventRaw('evt_prod_run')));
		assert.deepEqual(
			(await runStarted(setup({}, { 'node:Stripe Events Trigger': nodeData() }), prod.items!, 'webhook')).items?.map((i) => i.id),
			['evt_prod_run'],
		);
		assert.deepEqual((await runTrigger(test(), 'manual', 'manual')).cron, [], 'no destination check in a manual run');
	});

	it('the same event delivered again (a replay, or a Stripe retry with a new signature) is acknowledged 2xx and starts nothing', async () => {
		const s = setup({}, { 'node:Stripe Events Trigger': nodeData() });
		const raw = eventRaw('evt_once_1');
		const first = signed(raw);
		assert.equal((await deliver(s, first)).items?.length, 1);
		const replay = await deliver(s, first);
		assert.equal(replay.status, 200);
		assert.equal(replay.items, undefined);
		assert.deepEqual(replay.body, { received: true, duplicate: true });
		const retry = await deliver(s, signed(raw, secret, now() - 30));
		assert.equal(retry.items, undefined);
		assert.equal(retry.status, 200);
		// Another event still starts.
		assert.equal((await deliver(s, signed(eventRaw('evt_once_2')))).items?.length, 1);
		assert.deepEqual(Object.keys(nodeStatic(s).seenEvents as IDataObject).sort(), ['evt_once_1', 'evt_once_2']);
	});

	it('n8n 2.41.1 stores the replay memory before it starts the execution: the node answers Stripe itself', async () => {
		const s = setup({}, { 'node:Stripe Events Trigger': nodeData() });
		const r = await deliver(s, signed(eventRaw('evt_flag_1')));
		assert.equal(r.items?.length, 1);
		assert.equal(r.response.noWebhookResponse, true, 'answered by the node, so n8n saves before it starts the execution');
		assert.deepEqual(r.body, { received: true });
		const stored = (r.saved?.['node:Stripe Events Trigger'] ?? {}) as IDataObject;
		assert.deepEqual(Object.keys((stored.seenEvents ?? {}) as IDataObject), ['evt_flag_1'], 'what n8n writes to its database');
	});

	it('a replay after a restart, and Stripe’s retry with a new signature, start nothing: from what n8n stored', async () => {
		const s = setup({}, { 'node:Stripe Events Trigger': nodeData() });
		const raw = eventRaw('evt_restart_1');
		const first = await deliver(s, signed(raw));
		assert.equal(first.items?.length, 1);
		assert.ok(first.saved, 'n8n saved the static data');
		forgetProcessClaims(); // the restart: only what n8n stored in its database remains
		const afterRestart = () => setup({}, JSON.parse(JSON.stringify(first.saved)) as IDataObject);
		const replay = await deliver(afterRestart(), signed(raw));
		assert.equal(replay.items, undefined);
		assert.deepEqual(replay.body, { received: true, duplicate: true });
		forgetProcessClaims(); // another webhook processor
		assert.equal((await deliver(afterRestart(), signed(raw, secret, now() - 40))).items, undefined, 'a retry signed anew');
	});

	it('two copies of one event at the same moment start one execution, whatever n8n saves (in one process)', async () => {
		// n8n loads the static data from its database for each delivery: both copies see no memory of the event.
		const stored = { 'node:Stripe Events Trigger': nodeData() };
		const raw = eventRaw('evt_twin_1');
		const copies = await Promise.all([
			deliver(setup({}, JSON.parse(JSON.stringify(stored)) as IDataObject), signed(raw)),
			deliver(setup({}, JSON.parse(JSON.stringify(stored)) as IDataObject), signed(raw, secret, now() - 1)),
		]);
		assert.deepEqual(copies.map((c) => c.items?.length ?? 0).sort(), [0, 1]);
		assert.deepEqual(copies.find((c) => !c.items)?.body, { received: true, duplicate: true });
		// Later copies too, even if n8n never saved the first delivery's memory (the static data as loaded before it).
		assert.equal((await deliver(setup({}, JSON.parse(JSON.stringify(stored)) as IDataObject), signed(raw))).items, undefined);
	});

	it('the replay memory is bounded: entries past the retention are dropped, at most SEEN_EVENTS_MAX are kept, oldest first', async () => {
		const t = now();
		const seenEvents: Record<string, number> = { evt_expired: t - SEEN_EVENTS_RETENTION_SECONDS - 10 };
		for (let i = 0; i < SEEN_EVENTS_MAX; i++) seenEvents[`evt_old_${i}`] = t - 1000 + Math.floor(i / 10);
		const s = setup({}, { 'node:Stripe Events Trigger': { ...nodeData(), seenEvents } });
		assert.equal((await deliver(s, signed(eventRaw('evt_expired')))).items?.length, 1, 'an entry past the retention no longer blocks');
		const kept = nodeStatic(s).seenEvents as Record<string, number>;
		assert.equal(Object.keys(kept).length, SEEN_EVENTS_MAX);
		assert.equal(kept.evt_old_0, undefined, 'the oldest entry was forgotten');
		// Remembered at delivery time, which may be a second after `t` was read.
		assert.ok(kept.evt_expired >= t && kept.evt_expired <= now(), `remembered at ${kept.evt_expired}, between ${t} and now`);
		assert.ok(JSON.stringify(kept).length < 50_000, `replay memory is ${JSON.stringify(kept).length} bytes`);
		// Within the retention and the cap, a replay is still dropped.
		assert.equal((await deliver(s, signed(eventRaw(`evt_old_${SEEN_EVENTS_MAX - 1}`)))).items, undefined);
	});

	it("a delivery that fails (thin-event fetch refused) is not remembered, so Stripe's retry starts the workflow", async () => {
		let fail = true;
		const http = await import('node:http');
		const srv = http.createServer((req, res) => {
			res.setHeader('Content-Type', 'application/json');
			if (fail) {
				res.statusCode = 400;
				res.end(JSON.stringify({ error: { type: 'invalid_request_error', message: 'nope' } }));
			} else res.end(JSON.stringify({ id: 'evt_thin_r', object: 'v2.core.event', type: 'v1.billing.meter.no_meter_found' }));
		});
		await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
		try {
			const s = setup(
				{ eventPayload: 'thin', thinEvents: ['v1.billing.meter.no_meter_found'], options: { fetchEvent: true } },
				{ 'node:Stripe Events Trigger': nodeData() },
			);
			s.credentials = { stripeKeyApi: { secretKey: SECRET_KEY, baseUrl: `http://127.0.0.1:${(srv.address() as { port: number }).port}` } };
			const raw = Buffer.from(JSON.stringify({ id: 'evt_thin_r', object: 'v2.core.event', type: 'v1.billing.meter.no_meter_found' }));
			await assert.rejects(deliver(s, signed(raw)), { name: 'NodeApiError', message: 'Stripe invalid_request_error: nope' });
			assert.equal((nodeStatic(s).seenEvents as IDataObject | undefined)?.evt_thin_r, undefined);
			fail = false;
			assert.equal((await deliver(s, signed(raw))).items?.length, 1);
			assert.equal((await deliver(s, signed(raw))).items, undefined);
		} finally {
			srv.close();
		}
	});
});

describe('Stripe Events Trigger: catching up what Stripe did not deliver', () => {
	const now = () => Math.floor(Date.now() / 1000);
	beforeAll(async () => {
		standin = await startStandin();
	});
	afterAll(async () => standin.close());
	beforeEach(() => {
		standin.reset();
		forgetProcessClaims();
	});

	/** A delivery of a stored stand-in event, signed with the destination's secret as Stripe does. */
	const deliverStored = (s: TriggerSetup, event: IDataObject) => {
		const raw = Buffer.from(JSON.stringify(event));
		const secret = String(nodeStatic(s).signingSecret);
		return deliver(s, { headers: { 'Stripe-Signature': signatureHeader(secret, now(), raw) }, rawBody: raw });
	};
	const api = (path: string, body: Record<string, string> = {}) =>
		fetch(standin.url + path, {
			method: 'POST',
			headers: { Authorization: `Bearer ${SECRET_KEY}`, 'Content-Type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams(body).toString(),
		});

	it('events while the workflow was inactive start, oldest first and once, with the next delivery; a repeat of one starts nothing', async () => {
		standin.setClock(now() - 30);
		await api('/v1/customers', { email: 'before-activation@x.io' }); // before the first activation: never caught up
		standin.setClock(undefined);
		const s = setup();
		await runHook(s, 'create');
		await runHook(s, 'delete');
		const mark = standin.events().length;
		// Inactive: three customers and an unselected product; Stripe has no destination to deliver them to.
		for (let i = 0; i < 3; i++) await api('/v1/customers', { email: `gap-${i}@x.io` });
		await api('/v1/products', { name: 'p' });
		const gap = standin
			.events()
			.slice(mark)
			.filter((e) => e.type === 'customer.created');
		await runHook(s, 'create');
		await api('/v1/customers', { email: 'after@x.io' });
		const delivered = standin.events().at(-1)!;
		standin.requests.length = 0;
		const r = await deliverStored(s, delivered as IDataObject);
		assert.deepEqual(
			r.items?.map((i) => i.id),
			[...gap.map((e) => e.id), delivered.id],
		);
		assert.ok(r.items?.every((i) => i.account === null));
		assert.equal(r.body && (r.body as IDataObject).received, true);
		// One read of the Events API, for the window since the first activation, up to the delivered event.
		const reads = standin.requests.filter((q) => q.path === '/v1/events');
		assert.equal(reads.length, 1);
		assert.match(reads[0].rawQuery, /^created\[gte\]=\d+&created\[lte\]=\d+&limit=100&types\[0\]=customer\.created&types\[1\]=invoice\.paid$/);
		// Stripe delivers a gap event late: already started.
		assert.equal((await deliverStored(s, gap[0] as IDataObject)).items, undefined);
		// The next delivery catches up nothing more.
		await api('/v1/customers', { email: 'next@x.io' });
		assert.deepEqual(
			(await deliverStored(s, standin.events().at(-1) as IDataObject)).items?.map((i) => i.id),
			[standin.events().at(-1)!.id],
		);
	});

	it('events while the destination was deleted at Stripe are not lost: after the repair, the next delivery starts them first', async () => {
		const s = setup();
		await runHook(s, 'create');
		await deleteAtStripe(nodeStatic(s).destinationId);
		const inv = (await (await api('/v1/customers', {})).json()) as IDataObject;
		const invoice = (await (await api('/v1/invoices', { customer: String(inv.id) })).json()) as IDataObject;
		await api(`/v1/invoices/${String(invoice.id)}/pay`);
		const gap = standin.events().filter((e) => ['customer.created', 'invoice.paid'].includes(String(e.type)));
		assert.equal(await runHook(s, 'checkExists'), false, 'the activation check finds it gone');
		await runHook(s, 'create');
		await api('/v1/customers', {});
		const r = await deliverStored(s, standin.events().at(-1) as IDataObject);
		assert.deepEqual(
			r.items?.map((i) => i.type),
			['customer.created', 'invoice.paid', 'customer.created'],
		);
		assert.deepEqual(
			r.items?.slice(0, 2).map((i) => i.id),
			gap.map((e) => e.id),
		);
	});

	it('at the next activation (or start of n8n) the events of the inactive time start at once, oldest first; a late delivery of one starts nothing', async () => {
		const s = setup();
		await runHook(s, 'create');
		await runHook(s, 'delete');
		const mark = standin.events().length;
		for (let i = 0; i < 3; i++) await api('/v1/customers', { email: `off-${i}@x.io` });
		await api('/v1/products', { name: 'not selected' });
		const gap = standin
			.events()
			.slice(mark)
			.filter((e) => e.type === 'customer.created');
		assert.equal(gap.length, 3);
		await runHook(s, 'create');
		const run = await runTrigger(s);
		run.settle();
		assert.deepEqual(
			run.emitted.map((items) => items.map((i) => i.id)),
			[gap.map((e) => e.id)],
			'one execution with the three events, oldest first',
		);
		// n8n saves the static data when the trigger emits: the replay memory already has them.
		const saved = (run.savedOnEmit[0]['node:Stripe Events Trigger'] ?? {}) as IDataObject;
		assert.deepEqual(Object.keys((saved.seenEvents ?? {}) as IDataObject).sort(), gap.map((e) => String(e.id)).sort());
		// Another process (a webhook processor, or after a restart) loads what n8n saved: Stripe's late delivery is a duplicate.
		forgetProcessClaims();
		const reloaded = setup({}, JSON.parse(JSON.stringify(run.savedOnEmit[0])) as IDataObject);
		assert.deepEqual((await deliverStored(reloaded, gap[1] as IDataObject)).body, { received: true, duplicate: true });
		// The next delivery catches up nothing more, and a second start emits nothing.
		await api('/v1/customers', { email: 'after@x.io' });
		const next = await deliverStored(reloaded, standin.events().at(-1) as IDataObject);
		assert.deepEqual(
			next.items?.map((i) => i.id),
			[standin.events().at(-1)!.id],
		);
		forgetProcessClaims();
		assert.deepEqual((await runTrigger(reloaded, 'init')).emitted, []);
	});

	it('while active: a disabled destination is enabled again (same secret); the check reads the trigger’s static data only', async () => {
		const s = setup({ options: { checkEveryMinutes: 5 } });
		await runHook(s, 'create');
		const id = String(nodeStatic(s).destinationId);
		const run = await runTrigger(s);
		assert.deepEqual(run.cron, ['0 */5 * * * *']);
		const v2 = (path: string, method = 'POST') =>
			fetch(`${standin.url}/v2/core/event_destinations/${id}${path}`, { method, headers: { Authorization: `Bearer ${SECRET_KEY}` } });
		const status = async () => ((await (await v2('', 'GET')).json()) as IDataObject).status;
		await run.ticks[0]();
		assert.equal(await status(), 'enabled');
		await v2('/disable');
		assert.equal(await status(), 'disabled');
		// While disabled: an event Stripe does not send.
		await api('/v1/customers', { email: 'while-disabled@x.io' });
		const gap = standin.events().at(-1)!;
		const before = JSON.stringify(s.staticData);
		await run.ticks[0]();
		assert.equal(await status(), 'enabled', 'enabled again: same destination, same signing secret');
		assert.equal(JSON.stringify(s.staticData), before);
		assert.deepEqual(run.emitted, []);
		assert.deepEqual(run.failed, []);
		// The next delivery (same secret) starts the event of the gap first, then its own.
		await api('/v1/customers', { email: 'after-enabled@x.io' });
		const next = standin.events().at(-1)!;
		assert.deepEqual(
			(await deliverStored(s, next as IDataObject)).items?.map((i) => i.id),
			[gap.id, next.id],
		);
		// Option 0: no check registered.
		assert.deepEqual((await runTrigger(setup({ options: { checkEveryMinutes: 0 } }))).cron, []);
	});

	it('while active: a deleted destination is replaced by a repair execution that starts the events of the gap once, in order', async () => {
		const s = setup({ options: { checkEveryMinutes: 5 } });
		await runHook(s, 'create');
		const oldId = String(nodeStatic(s).destinationId);
		const oldSecret = String(nodeStatic(s).signingSecret);
		const run = await runTrigger(s);
		run.settle();
		// A delivery before the deletion: the stored replay memory has it.
		await api('/v1/customers', { email: 'before@x.io' });
		const before = standin.events().at(-1)!;
		assert.equal((await deliverStored(s, before as IDataObject)).items?.length, 1);
		await deleteAtStripe(oldId);
		const mark = standin.events().length;
		const customer = (await (await api('/v1/customers', {})).json()) as IDataObject;
		const invoice = (await (await api('/v1/invoices', { customer: String(customer.id) })).json()) as IDataObject;
		await api(`/v1/invoices/${String(invoice.id)}/pay`);
		await api('/v1/products', { name: 'not selected' });
		const gap = standin
			.events()
			.slice(mark)
			.filter((e) => ['customer.created', 'invoice.paid'].includes(String(e.type)));
		assert.equal(gap.length, 2);

		// The check (main) notices: it asks for a repair execution, without changing its own copy of the static data
		// (n8n would save that copy, loaded at activation, over what the deliveries saved since). Asked once.
		await run.ticks[0]();
		await run.ticks[0]();
		assert.deepEqual(run.emitted, [[{ stripeEventsTriggerRepair: true }]]);
		assert.deepEqual(run.changedOnEmit, [false]);
		assert.deepEqual(run.failed, []);

		// The repair execution (a worker in queue mode) runs with the static data n8n loads for it.
		forgetProcessClaims();
		const repair = await runStarted(s, run.emitted[0], 'trigger');
		assert.equal(repair.status, 'success');
		assert.deepEqual(
			repair.items?.map((i) => i.id),
			gap.map((e) => e.id),
			'the events of the gap, oldest first, with account',
		);
		assert.ok(repair.items?.every((i) => i.account === null));
		const live = await liveDestinations();
		assert.equal(live.length, 1);
		assert.equal((live[0].webhook_endpoint as IDataObject).url, URL_PROD);
		const saved = (repair.savedAtEnd?.['node:Stripe Events Trigger'] ?? {}) as IDataObject;
		assert.equal(saved.destinationId, live[0].id);
		assert.notEqual(saved.destinationId, oldId);
		assert.notEqual(saved.signingSecret, oldSecret);
		assert.deepEqual(Object.keys(saved.seenEvents as IDataObject).sort(), [before.id, ...gap.map((e) => e.id)].map(String).sort());

		// Another process loads what n8n saved: the new destination verifies; late copies of the gap and of the
		// earlier event are duplicates; the next event starts only itself.
		forgetProcessClaims();
		const reloaded = setup({ options: { checkEveryMinutes: 5 } }, JSON.parse(JSON.stringify(repair.savedAtEnd)) as IDataObject);
		for (const e of [gap[0], gap[1], before]) assert.deepEqual((await deliverStored(reloaded, e as IDataObject)).body, { received: true, duplicate: true });
		await api('/v1/customers', { email: 'next@x.io' });
		const next = standin.events().at(-1)!;
		assert.deepEqual(
			(await deliverStored(reloaded, next as IDataObject)).items?.map((i) => i.id),
			[next.id],
		);
		// The next check finds the new destination: nothing asked. A second repair (asked twice) creates nothing.
		await run.ticks[0]();
		assert.equal(run.emitted.length, 1);
		const again = await runStarted(reloaded, run.emitted[0], 'trigger');
		assert.deepEqual(again.items, []);
		assert.equal((await liveDestinations()).length, 1);
	});

	it('a repair that Stripe refuses, or that runs without static data (queue mode), fails its execution with what to do; nothing is recorded', async () => {
		const s = setup();
		await runHook(s, 'create');
		await deleteAtStripe(nodeStatic(s).destinationId);
		await api('/v1/customers', {});
		const stored = JSON.stringify(s.staticData);
		standin.addFault({ method: 'POST', path: '/v2/core/event_destinations', status: 400, times: 1 });
		const repair = await runStarted(s, [{ stripeEventsTriggerRepair: true }], 'trigger');
		assert.equal(repair.status, 'error');
		assert.match(String((repair.error as Error).message), /destination of this trigger was deleted at Stripe and could not be created again/);
		assert.match(
			String((repair.error as { description?: string }).description),
			/tries again at a later check; unpublishing and publishing the workflow creates it now/,
		);
		assert.equal(repair.savedAtEnd, undefined);
		assert.equal(JSON.stringify(s.staticData), stored);
		assert.deepEqual(await liveDestinations(), []);
		// Queue mode: n8n 2.41.1 starts an execution on a worker with no static data. Nothing is created or saved
		// (a save would replace the trigger's static data); the execution fails saying what to do.
		const worker = await runStarted(setup({}, {}), [{ stripeEventsTriggerRepair: true }], 'trigger');
		assert.equal(worker.status, 'error');
		assert.equal((worker.error as Error).message, 'The Stripe event destination of this trigger was deleted at Stripe');
		assert.match(
			String((worker.error as { description?: string }).description),
			/queue mode.*Unpublish and publish the workflow \(or restart the main process\) to create it again; the events Stripe could not send meanwhile are started then/,
		);
		assert.equal(worker.savedAtEnd, undefined);
		assert.deepEqual(await liveDestinations(), []);
		// The marker is a repair request only in an execution a trigger started: elsewhere it is passed on as is.
		assert.deepEqual((await runStarted(s, [{ stripeEventsTriggerRepair: true }], 'webhook')).items, [{ stripeEventsTriggerRepair: true }]);
		assert.deepEqual(await liveDestinations(), []);
	});

	it('Catch Up Missed Events off, or the Events API failing: the delivery starts its own event only', async () => {
		const off = setup({ catchUp: false });
		await runHook(off, 'create');
		await api('/v1/customers', {});
		await api('/v1/customers', {});
		standin.requests.length = 0;
		assert.equal((await deliverStored(off, standin.events().at(-1) as IDataObject)).items?.length, 1);
		assert.equal(standin.requests.filter((q) => q.path === '/v1/events').length, 0);

		forgetProcessClaims();
		const on = setup();
		await runHook(on, 'create');
		await api('/v1/customers', {});
		await api('/v1/customers', {});
		standin.addFault({ path: '/v1/events', status: 400, times: 5 });
		const r = await deliverStored(on, standin.events().at(-1) as IDataObject);
		assert.equal(r.status, 200);
		assert.deepEqual(
			r.items?.map((i) => i.id),
			[standin.events().at(-1)!.id],
		);
	});
});
