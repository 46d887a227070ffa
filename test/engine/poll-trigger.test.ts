/**
 * Stripe Events Polling Trigger through n8n-core's PollContext, driven like n8n 2.41.1 drives polls
 * (test/harness/poll.ts), against the stand-in's Events API, with one clock for Stripe and n8n that the tests
 * move (days of downtime, 30-day retention). Expected requests come from stripe-node 17.4.0 sending the same list.
 */
import '../harness/engine';

import assert from 'node:assert/strict';
import { afterAll, beforeAll, beforeEach, describe, it } from '@jest/globals';
import nock from 'nock';
import type { IDataObject, INodeParameters } from 'n8n-workflow';
import Stripe from 'stripe';

import { signatureHeader } from '../../nodes/shared/events/signature';
import { OVERLAP_SECONDS, pollClock, StripeEventsPollingTrigger } from '../../nodes/StripeEventsPollingTrigger/StripeEventsPollingTrigger.node';
import { StripeEventsTrigger } from '../../nodes/StripeEventsTrigger/StripeEventsTrigger.node';
import { PolledWorkflow } from '../harness/poll';
import { deliver, runHook } from '../harness/webhook';
import type { Standin } from '../standin/server';
import { startStandin } from '../standin/server';

nock.restore();

const KEY = 'sk_test_polling0123456789';
const DAY = 86400;
let standin: Standin;
let stripe: Stripe;

function poller(parameters: INodeParameters = {}) {
	return new PolledWorkflow({
		nodeType: new StripeEventsPollingTrigger(),
		parameters: { eventPayload: 'snapshot', snapshotEvents: ['customer.created', 'invoice.paid'], ...parameters },
		credentials: { stripeKeyApi: { secretKey: KEY, baseUrl: standin.url } },
	});
}

async function api(method: string, path: string, body: Record<string, string> = {}, account?: string): Promise<IDataObject> {
	const res = await fetch(standin.url + path, {
		method,
		headers: {
			Authorization: `Bearer ${KEY}`,
			'Content-Type': 'application/x-www-form-urlencoded',
			...(account ? { 'Stripe-Account': account } : {}),
		},
		body: method === 'GET' ? undefined : new URLSearchParams(body).toString(),
	});
	return (await res.json()) as IDataObject;
}

const eventCalls = () => standin.requests.filter((r) => r.path === '/v1/events');
const ids = (items: Array<{ [k: string]: unknown }> | undefined) => (items ?? []).map((i) => String(i.id));

describe('Stripe Events Polling Trigger', () => {
	beforeAll(async () => {
		standin = await startStandin();
		stripe = new Stripe(KEY, { host: '127.0.0.1', port: standin.port, protocol: 'http', maxNetworkRetries: 0, telemetry: false });
		pollClock.now = () => standin.now() * 1000;
	});
	afterAll(async () => {
		pollClock.now = () => Date.now();
		await standin.close();
	});
	beforeEach(() => {
		standin.reset();
		standin.setClock(1_770_000_000);
	});

	it('starts from now: activation emits nothing; the next poll emits the events the stand-in operations made, once, oldest first, as stripe-node lists them', async () => {
		standin.addEvents({ type: 'customer.created', created: standin.now() - 60 }); // before activation: not emitted
		const p = poller();
		assert.deepEqual(await p.activate(), {});
		assert.deepEqual(p.database, { 'node:Stripe Events Polling Trigger': { since: 1_770_000_000, start: 1_770_000_000, emitted: {} } });
		assert.equal(eventCalls().length, 0, 'the first poll only sets where to start');
		standin.advanceClock(30);
		const a = await api('POST', '/v1/customers', { email: 'a@x.io' });
		await api('POST', '/v1/products', { name: 'not selected' });
		standin.advanceClock(1);
		const b = await api('POST', '/v1/customers', { email: 'b@x.io' });
		const inv = await api('POST', '/v1/invoices', { customer: String(a.id) });
		await api('POST', `/v1/invoices/${String(inv.id)}/pay`);
		standin.advanceClock(29);
		const out = await p.tick();
		assert.deepEqual(
			(out.items ?? []).map((i) => [i.type, ((i.data as IDataObject).object as IDataObject).id]),
			[
				['customer.created', a.id],
				['customer.created', b.id],
				['invoice.paid', inv.id],
			],
		);
		// The request is the one stripe-node sends for the same list.
		const ours = eventCalls()[0];
		const since = 1_770_000_000; // the start: nothing older is read
		await stripe.events.list({ created: { gte: since }, limit: 100, types: ['customer.created', 'invoice.paid'] });
		const theirs = eventCalls()[1];
		assert.equal(ours.rawQuery, theirs.rawQuery);
		assert.equal(ours.headers['stripe-version'], theirs.headers['stripe-version']);
		assert.equal((await p.tick()).items, undefined, 'nothing twice');
		assert.equal(p.executions.length, 1);
	});

	it('250 events between two polls become one execution of 250 items, in order, each once (3 pages, no cap)', async () => {
		const p = poller({ snapshotEvents: ['*'] });
		await p.activate();
		standin.advanceClock(10);
		const made = standin.addEvents({ type: 'invoice.paid', count: 250, step: 0 }); // all in the same second
		standin.addEvents({ type: 'customer.created', count: 5, step: 1 });
		standin.advanceClock(60);
		const out = await p.tick();
		assert.equal(out.items?.length, 255);
		assert.deepEqual(ids(out.items).slice(0, 250), ids(made));
		assert.equal(eventCalls().length, 3);
		assert.ok(!eventCalls()[0].rawQuery.includes('types'), '* lists every type');
		assert.equal(new Set(ids(out.items)).size, 255);
		standin.addEvents({ type: 'invoice.paid', count: 2 }); // the same second as the newest emitted
		const next = await p.tick();
		assert.equal(next.items?.length, 2);
		assert.equal((await p.tick()).items, undefined);
	});

	it('a restart between polls emits nothing twice; what happened while n8n was stopped (40 events over 3 days) is emitted once, in order', async () => {
		const p = poller();
		await p.activate();
		standin.advanceClock(60);
		const first = standin.addEvents({ type: 'customer.created', count: 3 });
		assert.deepEqual(ids((await p.tick()).items), ids(first));
		p.stop();
		const during = standin.addEvents({ type: 'invoice.paid', count: 40, step: (3 * DAY) / 40 });
		standin.advanceClock(3 * DAY + 60);
		const restarted = await p.activate('init');
		assert.deepEqual(ids(restarted.items), ids(during));
		p.stop();
		assert.equal((await p.activate('init')).items, undefined, 'a second restart: nothing twice');
		assert.equal((await p.tick()).items, undefined);
		assert.deepEqual(
			p.executions.map((e) => e.length),
			[3, 40],
		);
	});

	it('a poll that finds nothing saves nothing', async () => {
		const p = poller();
		await p.activate();
		const saved = JSON.stringify(p.database);
		standin.advanceClock(60);
		assert.equal((await p.tick()).items, undefined);
		assert.equal(JSON.stringify(p.database), saved);
	});

	it('past the 30-day retention: emits what Stripe still has, then a poll reports the window that could not be recovered, once', async () => {
		const p = poller();
		await p.activate();
		const stoppedAt = standin.now();
		p.stop();
		standin.addEvents({ type: 'customer.created', created: stoppedAt + 2 * DAY, count: 2 }); // gone by the restart
		const kept = standin.addEvents({ type: 'customer.created', created: stoppedAt + 36 * DAY, count: 3, step: 60 });
		standin.setClock(stoppedAt + 40 * DAY);
		const restarted = await p.activate('init');
		assert.deepEqual(ids(restarted.items), ids(kept));
		const report = await p.tick();
		assert.match(String(report.error?.message), new RegExp(`from ${new Date(stoppedAt * 1000).toISOString().replace('.000Z', 'Z')} to `));
		assert.match(String(report.error?.message), /could not be recovered/);
		assert.match(String(report.error?.description), /30 days/);
		assert.deepEqual(await p.tick(), {}, 'reported once');
	});

	it('starts from a chosen moment within 30 days (emitted at activation); a moment past retention fails activation clearly', async () => {
		const before = standin.addEvents({ type: 'invoice.paid', created: standin.now() - 3 * DAY, count: 2 });
		const since = standin.addEvents({ type: 'invoice.paid', created: standin.now() - DAY, count: 2, step: 10 });
		const p = poller({ startFrom: 'moment', startAt: new Date((standin.now() - 2 * DAY) * 1000).toISOString() });
		const first = await p.activate();
		assert.deepEqual(ids(first.items), ids(since));
		assert.ok(!ids(first.items).includes(String(before[0].id)));
		const old = poller({ startFrom: 'moment', startAt: new Date((standin.now() - 31 * DAY) * 1000).toISOString() });
		const failed = await old.activate();
		assert.match(String(failed.error?.message), /more than 30 days ago/);
		assert.deepEqual(old.database, {});
	});

	it('Fetch Test Event shows the latest matching event and changes nothing; with none, says how to get one', async () => {
		const p = poller();
		assert.match(String((await p.fetchTestEvent()).error?.message), /No matching Stripe event in the last 30 days/);
		standin.addEvents({ type: 'customer.created', created: standin.now() - 100 });
		const latest = standin.addEvents({ type: 'invoice.paid', created: standin.now() - 50 });
		standin.addEvents({ type: 'product.created', created: standin.now() - 10 });
		const out = await p.fetchTestEvent();
		assert.deepEqual(ids(out.items), ids(latest));
		assert.deepEqual(p.database, {});
	});

	it('connected accounts: each account’s events are read with its Stripe-Account header and carry `account`', async () => {
		const acct = await api('POST', '/v1/accounts', {});
		const p = poller({ eventsFrom: ['self', 'other_accounts'] });
		await p.activate();
		standin.advanceClock(5);
		const own = await api('POST', '/v1/customers', {});
		standin.advanceClock(5);
		const theirs = await api('POST', '/v1/customers', {}, String(acct.id));
		standin.advanceClock(5);
		const out = await p.tick();
		assert.deepEqual(
			(out.items ?? []).map((i) => [((i.data as IDataObject).object as IDataObject).id, i.account]),
			[
				[own.id, null],
				[theirs.id, acct.id],
			],
		);
		assert.deepEqual(
			eventCalls().map((r) => r.headers['stripe-account'] ?? null),
			[null, acct.id],
		);
	});

	it('thin events: read per billing meter from GET /v2/core/events (object_id), oldest first, once', async () => {
		const meter = await api('POST', '/v1/billing/meters', { display_name: 'API calls', event_name: 'api_call' });
		const p = poller({ eventPayload: 'thin', thinEvents: ['v1.billing.meter.error_report_triggered'] });
		await p.activate();
		standin.advanceClock(5);
		const related = { id: String(meter.id), type: 'billing.meter', url: `/v1/billing/meters/${String(meter.id)}` };
		const made = standin.addEvents({ thin: true, type: 'v1.billing.meter.error_report_triggered', related_object: related, count: 3, step: 1 });
		standin.advanceClock(10);
		const out = await p.tick();
		assert.deepEqual(ids(out.items), ids(made));
		assert.equal(out.items?.[0].context, null);
		assert.ok(standin.requests.some((r) => r.path === '/v2/core/events' && r.query.object_id === meter.id));
		assert.equal((await p.tick()).items, undefined);
	});

	it('the item has the webhook trigger’s shape for the same event', async () => {
		const p = poller();
		await p.activate();
		standin.advanceClock(5);
		await api('POST', '/v1/customers', { email: 'same@x.io' });
		standin.advanceClock(5);
		const polled = (await p.tick()).items![0];
		const hook = {
			nodeType: new StripeEventsTrigger(),
			parameters: { eventPayload: 'snapshot', snapshotEvents: ['customer.created'] },
			credentials: { stripeKeyApi: { secretKey: KEY, baseUrl: standin.url } },
			staticData: {} as IDataObject,
		};
		await runHook(hook, 'create');
		const secret = String((hook.staticData['node:Stripe Events Trigger'] as IDataObject).signingSecret);
		const event = standin.events().find((e) => e.id === polled.id)!;
		const raw = Buffer.from(JSON.stringify(event));
		const delivered = await deliver(hook, { headers: { 'stripe-signature': signatureHeader(secret, Math.floor(Date.now() / 1000), raw) }, rawBody: raw });
		assert.deepEqual(delivered.items?.[0], polled);
	});

	it('reads back OVERLAP_SECONDS and skips what it emitted: an event listed late with an older timestamp is emitted once', async () => {
		const p = poller();
		await p.activate();
		standin.advanceClock(30);
		const a = standin.addEvents({ type: 'customer.created' });
		standin.advanceClock(30);
		assert.deepEqual(ids((await p.tick()).items), ids(a));
		const late = standin.addEvents({ type: 'customer.created', created: standin.now() - 40 }); // older than `a`'s poll
		const out = await p.tick();
		assert.deepEqual(ids(out.items), ids(late));
		assert.equal((await p.tick()).items, undefined);
		assert.ok(OVERLAP_SECONDS >= 40);
	});
});
