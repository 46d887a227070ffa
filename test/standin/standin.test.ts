/**
 * Self-test of the Stripe stand-in, partly through the official stripe-node SDK (a dev dependency), so the
 * stand-in's answers are checked against what a real Stripe client expects.
 *
 *   node --test dist-test/test/standin/
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, beforeEach, describe, it } from '@jest/globals';

import Stripe from 'stripe';

import { parseForm } from './form';
import { startStandin, type Standin } from './server';
import { onFakeClock } from '../harness/fake-clock';

/** The fields of a Stripe error the assertions look at. */
type StripeErr = { type?: string; statusCode?: number; code?: string; param?: string; message?: string; requestId?: string };

const KEY = 'sk_test_standin_selftest';

describe('form parsing (Stripe bracket syntax)', () => {
	it('nests objects and arrays', () => {
		assert.deepEqual(parseForm('email=a%40b.c&metadata[k]=v&metadata[x+y]=1&a[0]=x&a[1]=y&items[0][price]=p&items[0][quantity]=2&expand[]=e1&expand[]=e2'), {
			email: 'a@b.c',
			metadata: { k: 'v', 'x y': '1' },
			a: ['x', 'y'],
			items: [{ price: 'p', quantity: '2' }],
			expand: ['e1', 'e2'],
		});
	});
	it('collects repeated keys (v2 query strings)', () => {
		assert.deepEqual(parseForm('include=a&include=b&limit=3'), { include: ['a', 'b'], limit: '3' });
	});
	it('keeps empty values (they unset fields)', () => {
		assert.deepEqual(parseForm('description=&metadata[old]='), { description: '', metadata: { old: '' } });
	});
});

describe('stand-in server', () => {
	let s: Standin;
	let stripe: Stripe;
	const raw = async (method: string, p: string, opts: { key?: string | null; body?: string; headers?: Record<string, string> } = {}) => {
		const headers: Record<string, string> = { ...(opts.headers ?? {}) };
		if (opts.key !== null) headers.Authorization = `Bearer ${opts.key ?? KEY}`;
		if (opts.body !== undefined && !headers['Content-Type']) headers['Content-Type'] = 'application/x-www-form-urlencoded';
		const res = await fetch(s.url + p, { method, headers, body: opts.body });
		return { status: res.status, headers: res.headers, json: (await res.json()) as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON of any shape, read by the assertions;
	};

	beforeAll(async () => {
		s = await startStandin({ port: 0 });
		stripe = new Stripe(KEY, { host: '127.0.0.1', port: s.port, protocol: 'http', maxNetworkRetries: 0, telemetry: false });
	});
	afterAll(async () => {
		await s.close();
	});
	beforeEach(() => s.reset());

	it('listens on loopback only', async () => {
		assert.match(s.url, /^http:\/\/127\.0\.0\.1:\d+$/);
		await assert.rejects(startStandin({ host: '0.0.0.0' }), /loopback/);
	});

	it('401 without a key, and for keys that are not test keys, in Stripe format', async () => {
		const none = await raw('GET', '/v1/customers', { key: null });
		assert.equal(none.status, 401);
		assert.equal(none.json.error.type, 'invalid_request_error');
		assert.match(none.json.error.message, /You did not provide an API key/);
		assert.match(none.headers.get('request-id') ?? '', /^req_/);
		const live = await raw('GET', '/v1/customers', { key: 'sk_live_abcdefghijklmnop' });
		assert.equal(live.status, 401);
		assert.match(live.json.error.message, /^Invalid API Key provided: sk_live_\*+mnop$/);
		assert.equal((await raw('GET', '/v1/balance', { key: 'rk_test_restricted' })).status, 200);
		await assert.rejects(
			new Stripe('sk_live_nope', { host: '127.0.0.1', port: s.port, protocol: 'http' }).balance.retrieve(),
			(e: StripeErr) => e.type === 'StripeAuthenticationError',
		);
	});

	it('customers: create / retrieve / update / delete through stripe-node', async () => {
		const c = await stripe.customers.create({ email: 'a@example.com', name: 'A', metadata: { tier: 'gold' }, preferred_locales: ['en', 'de'], balance: 5 });
		assert.match(c.id, /^cus_[A-Za-z0-9]{14}$/);
		assert.equal(c.object, 'customer');
		assert.deepEqual(c.metadata, { tier: 'gold' });
		assert.deepEqual(c.preferred_locales, ['en', 'de']);
		assert.equal(c.balance, 5);
		assert.match(c.lastResponse.requestId, /^req_/);
		const got = await stripe.customers.retrieve(c.id);
		assert.equal((got as Stripe.Customer).email, 'a@example.com');
		const upd = await stripe.customers.update(c.id, { name: 'B', metadata: { tier: '', extra: '1' }, description: 'd' });
		assert.equal(upd.name, 'B');
		assert.deepEqual(upd.metadata, { extra: '1' });
		assert.equal(upd.description, 'd');
		const unset = await stripe.customers.update(c.id, { description: '' });
		assert.equal(unset.description, null);
		const del = await stripe.customers.del(c.id);
		assert.deepEqual({ ...del, lastResponse: undefined }, { id: c.id, object: 'customer', deleted: true, lastResponse: undefined });
		const again = await stripe.customers.retrieve(c.id);
		assert.equal((again as Stripe.DeletedCustomer).deleted, true);
		await assert.rejects(stripe.customers.del(c.id), (e: StripeErr) => e.statusCode === 404 && e.code === 'resource_missing');
	});

	it('404 resource_missing and unrecognized URLs like Stripe', async () => {
		await assert.rejects(stripe.customers.retrieve('cus_missing'), (e: StripeErr) => {
			assert.equal(e.type, 'StripeInvalidRequestError');
			assert.equal(e.statusCode, 404);
			assert.equal(e.code, 'resource_missing');
			assert.equal(e.param, 'id');
			assert.equal(e.message, "No such customer: 'cus_missing'");
			assert.match(String(e.requestId), /^req_/);
			return true;
		});
		const r = await raw('GET', '/v1/nothing_here');
		assert.equal(r.status, 404);
		assert.match(r.json.error.message, /^Unrecognized request URL \(GET: \/v1\/nothing_here\)/);
		assert.equal((await raw('DELETE', '/v1/prices/price_x')).status, 404);
	});

	it('400 for unknown and missing parameters, and for JSON bodies on v1', async () => {
		const unknown = await raw('POST', '/v1/customers', { body: 'emali=x' });
		assert.equal(unknown.status, 400);
		assert.equal(unknown.json.error.code, 'parameter_unknown');
		assert.equal(unknown.json.error.param, 'emali');
		const missing = await raw('POST', '/v1/products', { body: 'description=x' });
		assert.equal(missing.json.error.code, 'parameter_missing');
		const json = await raw('POST', '/v1/customers', { body: '{"email":"x"}', headers: { 'Content-Type': 'application/json' } });
		assert.equal(json.status, 400);
	});

	it('lists: newest first, limit, has_more, starting_after, ending_before, autopagination', async () => {
		const ids: string[] = [];
		for (let i = 0; i < 5; i++) ids.push((await stripe.customers.create({ email: `c${i}@x.io` })).id);
		const newest = [...ids].reverse();
		const p1 = await stripe.customers.list({ limit: 2 });
		assert.equal(p1.object, 'list');
		assert.equal(p1.url, '/v1/customers');
		assert.deepEqual(
			p1.data.map((c) => c.id),
			newest.slice(0, 2),
		);
		assert.equal(p1.has_more, true);
		const p2 = await stripe.customers.list({ limit: 2, starting_after: newest[1] });
		assert.deepEqual(
			p2.data.map((c) => c.id),
			newest.slice(2, 4),
		);
		const p3 = await stripe.customers.list({ limit: 2, starting_after: newest[3] });
		assert.deepEqual(
			p3.data.map((c) => c.id),
			newest.slice(4),
		);
		assert.equal(p3.has_more, false);
		const back = await stripe.customers.list({ limit: 2, ending_before: newest[4] });
		assert.deepEqual(
			back.data.map((c) => c.id),
			newest.slice(2, 4),
		);
		assert.equal(back.has_more, true);
		const all = await stripe.customers.list({ limit: 2 }).autoPagingToArray({ limit: 100 });
		assert.deepEqual(
			all.map((c) => c.id),
			newest,
		);
		const byEmail = await stripe.customers.list({ email: 'c3@x.io' });
		assert.deepEqual(
			byEmail.data.map((c) => c.id),
			[ids[3]],
		);
		await assert.rejects(stripe.customers.list({ limit: 101 }), (e: StripeErr) => e.param === 'limit');
		await assert.rejects(
			stripe.customers.list({ starting_after: 'cus_nope' }),
			(e: StripeErr) => e.code === 'resource_missing' && e.param === 'starting_after',
		);
	});

	it('search: query language, page / next_page, autopagination', async () => {
		for (const [email, name, tier] of [
			['ann@x.io', 'Ann Lee', 'gold'],
			['bob@x.io', 'Bob Stone', 'gold'],
			['cy@y.io', 'Cy Lee', 'free'],
		]) {
			await stripe.customers.create({ email, name, metadata: { tier } });
		}
		const gold = await stripe.customers.search({ query: "metadata['tier']:'gold'" });
		assert.equal(gold.object, 'search_result');
		assert.equal(gold.url, '/v1/customers/search');
		assert.deepEqual(gold.data.map((c) => c.email).sort(), ['ann@x.io', 'bob@x.io']);
		const lee = await stripe.customers.search({ query: "name~'lee' AND -email:'cy@y.io'" });
		assert.deepEqual(
			lee.data.map((c) => c.email),
			['ann@x.io'],
		);
		const either = await stripe.customers.search({ query: "email:'ANN@x.io' OR email:'cy@y.io'" });
		assert.equal(either.data.length, 2);
		const page1 = await stripe.customers.search({ query: 'created>0', limit: 2 });
		assert.equal(page1.has_more, true);
		assert.ok(page1.next_page);
		const page2 = await stripe.customers.search({ query: 'created>0', limit: 2, page: page1.next_page! });
		assert.equal(page2.data.length, 1);
		assert.equal(page2.next_page, null);
		const all = await stripe.customers.search({ query: 'created>0', limit: 1 }).autoPagingToArray({ limit: 10 });
		assert.equal(all.length, 3);
		await assert.rejects(stripe.customers.search({ query: 'name:unquoted' }), (e: StripeErr) => e.param === 'query');
		await assert.rejects(stripe.customers.search({} as Stripe.CustomerSearchParams), (e: StripeErr) => e.code === 'parameter_missing');
	});

	it('balance', async () => {
		const b = await stripe.balance.retrieve();
		assert.equal(b.object, 'balance');
		assert.equal(b.available[0].currency, 'usd');
	});

	it('invoice payments (GET /v1/invoice_payments, reached by a Custom API Call): one per invoice, filtered by invoice', async () => {
		const c = await stripe.customers.create({ email: 'inpay@x.io' });
		const one = await stripe.invoices.create({ customer: c.id });
		const two = await stripe.invoices.create({ customer: c.id });
		const list = (await stripe.rawRequest('GET', `/v1/invoice_payments?invoice=${one.id}`)) as unknown as {
			object: string;
			data: Array<{ object: string; invoice: string; status: string }>;
		};
		assert.equal(list.object, 'list');
		assert.deepEqual(
			list.data.map((p) => [p.object, p.invoice, p.status]),
			[['invoice_payment', one.id, 'open']],
		);
		assert.notEqual(one.id, two.id);
	});

	it('idempotency: same key + same body replays, different body is rejected', async () => {
		const a = await raw('POST', '/v1/customers', { body: 'email=i%40x.io', headers: { 'Idempotency-Key': 'k-1' } });
		const b = await raw('POST', '/v1/customers', { body: 'email=i%40x.io', headers: { 'Idempotency-Key': 'k-1' } });
		assert.equal(b.json.id, a.json.id);
		assert.equal(b.headers.get('idempotent-replayed'), 'true');
		assert.equal(b.headers.get('original-request'), a.headers.get('request-id'));
		assert.notEqual(b.headers.get('request-id'), a.headers.get('request-id'));
		const c = await raw('POST', '/v1/customers', { body: 'email=other%40x.io', headers: { 'Idempotency-Key': 'k-1' } });
		assert.equal(c.status, 400);
		assert.equal(c.json.error.type, 'idempotency_error');
		assert.equal((await stripe.customers.list()).data.length, 1);
		// stripe-node retries with the same key: still one customer
		const viaSdk = await stripe.customers.create({ email: 'sdk@x.io' }, { idempotencyKey: 'k-2' });
		const viaSdk2 = await stripe.customers.create({ email: 'sdk@x.io' }, { idempotencyKey: 'k-2' });
		assert.equal(viaSdk.id, viaSdk2.id);
	});

	it('keeps data per Stripe-Account', async () => {
		await stripe.customers.create({ email: 'platform@x.io' });
		await stripe.customers.create({ email: 'connected@x.io' }, { stripeAccount: 'acct_123' });
		assert.deepEqual(
			(await stripe.customers.list()).data.map((c) => c.email),
			['platform@x.io'],
		);
		assert.deepEqual(
			(await stripe.customers.list({}, { stripeAccount: 'acct_123' })).data.map((c) => c.email),
			['connected@x.io'],
		);
	});

	it('v2 event destinations through stripe-node', async () => {
		const ed = await stripe.v2.core.eventDestinations.create({
			name: 'n8n',
			type: 'webhook_endpoint',
			event_payload: 'thin',
			enabled_events: ['v1.billing.meter.error_report_triggered'],
			webhook_endpoint: { url: 'https://example.test/hook' },
			include: ['webhook_endpoint.signing_secret', 'webhook_endpoint.url'],
			metadata: { a: '1' },
		});
		assert.match(ed.id, /^ed_test_/);
		assert.equal(ed.object, 'v2.core.event_destination');
		assert.equal(ed.status, 'enabled');
		assert.match(ed.webhook_endpoint?.signing_secret ?? '', /^whsec_/);
		assert.equal(ed.webhook_endpoint?.url, 'https://example.test/hook');
		const plain = await stripe.v2.core.eventDestinations.retrieve(ed.id);
		assert.equal(plain.webhook_endpoint?.signing_secret, null);
		assert.equal(plain.webhook_endpoint?.url, null);
		const withUrl = await stripe.v2.core.eventDestinations.retrieve(ed.id, { include: ['webhook_endpoint.url'] });
		assert.equal(withUrl.webhook_endpoint?.url, 'https://example.test/hook');
		const upd = await stripe.v2.core.eventDestinations.update(ed.id, { name: 'renamed', metadata: { a: null as unknown as string, b: '2' } });
		assert.equal(upd.name, 'renamed');
		assert.deepEqual(upd.metadata, { b: '2' });
		const dis = await stripe.v2.core.eventDestinations.disable(ed.id);
		assert.equal(dis.status, 'disabled');
		assert.deepEqual(dis.status_details, { disabled: { reason: 'user' } });
		assert.equal((await stripe.v2.core.eventDestinations.enable(ed.id)).status, 'enabled');
		const ping = await stripe.v2.core.eventDestinations.ping(ed.id);
		assert.equal(ping.object, 'v2.core.event');
		assert.equal(ping.type, 'v2.core.event_destination.ping');
		for (let i = 0; i < 3; i++) {
			await stripe.v2.core.eventDestinations.create({
				name: `e${i}`,
				type: 'webhook_endpoint',
				event_payload: 'thin',
				enabled_events: ['*'],
				webhook_endpoint: { url: 'https://e.test' },
			});
		}
		const page = await stripe.v2.core.eventDestinations.list({ limit: 2 });
		assert.equal(page.data.length, 2);
		const all = await stripe.v2.core.eventDestinations.list({ limit: 2 }).autoPagingToArray({ limit: 10 });
		assert.equal(all.length, 4);
		await stripe.v2.core.eventDestinations.del(ed.id);
		await assert.rejects(stripe.v2.core.eventDestinations.retrieve(ed.id), (e: StripeErr) => e.statusCode === 404);
		const reqs = s.requests.filter((r) => r.path.startsWith('/v2/'));
		assert.ok(reqs.filter((r) => r.method === 'POST').every((r) => typeof r.headers['idempotency-key'] === 'string'));
		assert.equal(reqs[0].headers['content-type'], 'application/json');
	});

	it('records requests, exposes them over HTTP, and resets', async () => {
		await stripe.customers.create({ email: 'r@x.io', metadata: { k: 'v' } });
		const rec = s.requests[s.requests.length - 1];
		assert.equal(rec.method, 'POST');
		assert.equal(rec.path, '/v1/customers');
		assert.match(rec.rawBody, /metadata\[k\]=v/);
		assert.deepEqual(rec.body, { email: 'r@x.io', metadata: { k: 'v' } });
		assert.equal(rec.status, 200);
		assert.equal(rec.headers.authorization, `Bearer ${KEY}`);
		const over = (await (await fetch(`${s.url}/__standin/requests`)).json()) as unknown[];
		assert.equal(over.length, s.requests.length);
		await fetch(`${s.url}/__standin/reset`, { method: 'POST' });
		assert.equal(s.requests.length, 0);
		assert.equal((await stripe.customers.list()).data.length, 0);
	});

	it('injected faults (e.g. 429 then success) and stripe-node retries', async () => {
		const res = await fetch(`${s.url}/__standin/faults`, {
			method: 'POST',
			body: JSON.stringify({ method: 'GET', path: '/v1/balance', status: 429, headers: { 'Stripe-Should-Retry': 'true' }, times: 1 }),
		});
		assert.equal(res.status, 200);
		const retrying = new Stripe(KEY, { host: '127.0.0.1', port: s.port, protocol: 'http', maxNetworkRetries: 2 });
		const b = await retrying.balance.retrieve();
		assert.equal(b.object, 'balance');
		assert.deepEqual(
			s.requests.map((r) => r.status),
			[429, 200],
		);
	});

	it('network faults: reset before / after processing, hang', async () => {
		const post = (body: string, signal?: AbortSignal) =>
			fetch(`${s.url}/v1/customers`, {
				method: 'POST',
				headers: { Authorization: `Bearer ${KEY}`, 'Content-Type': 'application/x-www-form-urlencoded', 'Idempotency-Key': `k-${body}` },
				body,
				signal,
			});
		// fetch (undici) fails with "fetch failed"; the cause is the socket the stand-in closed.
		const closedSocket = (e: Error & { cause?: { code?: string } }) =>
			e.message === 'fetch failed' && ['ECONNRESET', 'UND_ERR_SOCKET'].includes(String(e.cause?.code));
		s.addFault({ path: '/v1/customers', action: 'reset' });
		await assert.rejects(post('email=a%40x.io'), closedSocket);
		assert.equal(s.objects('customers').length, 0, 'reset: nothing stored');
		s.addFault({ path: '/v1/customers', action: 'reset-after' });
		await assert.rejects(post('email=a%40x.io'), closedSocket);
		assert.equal(s.objects('customers').length, 1, 'reset-after: stored');
		const again = await post('email=a%40x.io');
		assert.equal(again.headers.get('idempotent-replayed'), 'true');
		assert.equal(((await again.json()) as { id: string }).id, s.objects('customers')[0].id);
		assert.equal(s.requests[s.requests.length - 1].replayed, true);
		s.addFault({ path: '/v1/customers', action: 'hang-after', bodyContains: 'b%40x.io' });
		await assert.rejects(post('email=b%40x.io', AbortSignal.timeout(150)), /abort|timeout/i);
		assert.equal(s.objects('customers').length, 2, 'hang-after: stored');
		assert.deepEqual(
			s.requests.map((r) => r.fault ?? r.status),
			['reset', 'reset-after', 200, 'hang-after'],
		);
		assert.throws(() => s.addFault({ action: 'explode' as never }), /unknown fault action/);
	});

	it('raw (malformed) bodies, and faults matched by body text', async () => {
		s.addFault({ path: '/v1/customers', bodyContains: 'metadata[row]=2', status: 200, rawBody: '{"id": "cus_' });
		const form = (row: number) => `metadata[row]=${row}`;
		const send = (row: number) =>
			fetch(`${s.url}/v1/customers`, {
				method: 'POST',
				headers: { Authorization: `Bearer ${KEY}`, 'Content-Type': 'application/x-www-form-urlencoded' },
				body: form(row),
			});
		assert.equal((await send(1)).status, 200);
		const bad = await send(2);
		assert.equal(await bad.text(), '{"id": "cus_');
		assert.equal(s.objects('customers').length, 1);
	});

	it('chaos: a seeded share of requests gets random faults, reproducibly', async () => {
		const pattern = async () => {
			s.reset();
			s.setChaos({ rate: 0.3, seed: 42, faults: [{ status: 500 }, { status: 503 }] });
			for (let i = 0; i < 40; i++) await fetch(`${s.url}/v1/balance`, { headers: { Authorization: `Bearer ${KEY}` } });
			return s.requests.map((r) => r.status).join(',');
		};
		const first = await pattern();
		assert.equal(await pattern(), first);
		const faulted = first.split(',').filter((x) => x !== '200').length;
		assert.ok(faulted >= 4 && faulted <= 20, `${faulted} of 40`);
		const res = await fetch(`${s.url}/__standin/chaos`, { method: 'POST', body: '{}' });
		assert.equal(res.status, 200);
		s.requests.length = 0;
		for (let i = 0; i < 10; i++) await fetch(`${s.url}/v1/balance`, { headers: { Authorization: `Bearer ${KEY}` } });
		assert.ok(
			s.requests.every((r) => r.status === 200),
			'switched off',
		);
	});

	it('rate limit: 429 rate_limit above N accepted requests in the last second', async () => {
		await fetch(`${s.url}/__standin/rate-limit`, { method: 'POST', body: JSON.stringify({ perSecond: 5 }) });
		const statuses: number[] = [];
		for (let i = 0; i < 8; i++) statuses.push((await fetch(`${s.url}/v1/balance`, { headers: { Authorization: `Bearer ${KEY}` } })).status);
		assert.deepEqual(statuses, [200, 200, 200, 200, 200, 429, 429, 429]);
		const limited = await fetch(`${s.url}/v1/balance`, { headers: { Authorization: `Bearer ${KEY}` } });
		assert.equal(((await limited.json()) as { error: { code: string } }).error.code, 'rate_limit');
		assert.equal(s.requests[s.requests.length - 1].fault, 'rate_limit');
		s.setRateLimit(undefined);
		assert.equal((await fetch(`${s.url}/v1/balance`, { headers: { Authorization: `Bearer ${KEY}` } })).status, 200);
	});

	it('seed and objects: store and read objects without HTTP', async () => {
		const seeded = s.seed('customers', [{ email: 'a@x.io' }, { email: 'b@x.io' }]);
		assert.match(String(seeded[0].id), /^cus_/);
		assert.deepEqual(
			s.objects('customers').map((c) => c.email),
			['a@x.io', 'b@x.io'],
		);
		assert.equal((await stripe.customers.list()).data.length, 2);
		assert.deepEqual(s.objects('customers', 'acct_other'), []);
		assert.throws(() => s.objects('nothing'), /no resource nothing/);
	});

	it('created filters and cursors as Stripe applies them: a cursor is a place in the whole list, filters apply after it', async () => {
		// Three seconds, three objects each; in one second the later stored is listed first.
		const seeded = s.seed(
			'customers',
			[100, 100, 100, 200, 200, 200, 300, 300, 300].map((created, i) => ({ email: `c${i}@x.io`, created: 1700000000 + created })),
		);
		const newestFirst = [8, 7, 6, 5, 4, 3, 2, 1, 0].map((i) => String(seeded[i].id));
		assert.deepEqual(
			(await stripe.customers.list({ limit: 100 })).data.map((c) => c.id),
			newestFirst,
		);
		const range = { gte: 1700000200, lt: 1700000300 };
		assert.deepEqual(
			(await stripe.customers.list({ created: range, limit: 100 })).data.map((c) => c.id),
			newestFirst.slice(3, 6),
		);
		// The cursor (in second 300) is outside the range: the range's objects after it.
		const page = await stripe.customers.list({ created: range, limit: 2, starting_after: newestFirst[1] });
		assert.deepEqual(
			page.data.map((c) => c.id),
			newestFirst.slice(3, 5),
		);
		assert.equal(page.has_more, true);
		assert.deepEqual(
			(await stripe.customers.list({ created: { gt: 1700000100 }, limit: 100, starting_after: newestFirst[4] })).data.map((c) => c.id),
			newestFirst.slice(5, 6),
		);
		assert.deepEqual(
			(await stripe.customers.list({ created: { lte: 1700000200 }, limit: 2, ending_before: newestFirst[6] })).data.map((c) => c.id),
			newestFirst.slice(4, 6),
		);
	});

	it('fixed latency option', async () => {
		const slow = await startStandin({ latencyMs: 120 });
		try {
			// On jest's fake clock: the answer waits 120 fake milliseconds, however busy the machine.
			const { status, ms } = await onFakeClock(async () => {
				const t = Date.now();
				const r = await fetch(`${slow.url}/v1/balance`, { headers: { Authorization: `Bearer ${KEY}` } });
				return { status: r.status, ms: Date.now() - t };
			});
			assert.equal(status, 200);
			assert.ok(ms >= 120, `answered after ${ms} ms`);
		} finally {
			await slow.close();
		}
	});

	it('event deliveries: a ping is delivered signed to the webhook URL; deliver() can forge', async () => {
		const http = await import('node:http');
		const { createHmac } = await import('node:crypto');
		const received: Array<{ sig: string; body: string }> = [];
		let answered: () => void = () => undefined;
		const firstAnswered = new Promise<void>((resolve) => (answered = resolve));
		const hook = http.createServer((req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', (c: Buffer) => chunks.push(c));
			req.on('end', () => {
				received.push({ sig: String(req.headers['stripe-signature']), body: Buffer.concat(chunks).toString() });
				res.writeHead(received.length === 1 ? 200 : 401).end('{}', answered);
			});
		});
		await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
		try {
			const url = `http://127.0.0.1:${(hook.address() as { port: number }).port}/hook`;
			const created = await stripe.v2.core.eventDestinations.create({
				name: 'd',
				type: 'webhook_endpoint',
				event_payload: 'thin',
				enabled_events: ['v1.billing.meter.no_meter_found'],
				webhook_endpoint: { url },
				include: ['webhook_endpoint.signing_secret'],
			});
			const secret = String(created.webhook_endpoint?.signing_secret);
			await stripe.v2.core.eventDestinations.ping(created.id);
			// No clock: wait for the hook to have answered, then for the stand-in to record it (I/O, not time).
			await firstAnswered;
			while (s.deliveries.length === 0) await new Promise((r) => setImmediate(r));
			assert.equal(s.deliveries[0].status, 200);
			const [t, v1] = received[0].sig.split(',').map((p) => p.split('=')[1]);
			assert.equal(v1, createHmac('sha256', secret).update(`${t}.${received[0].body}`).digest('hex'));
			assert.equal(JSON.parse(received[0].body).type, 'v2.core.event_destination.ping');
			const forged = await s.deliver({ event: { type: 'customer.created' }, forge: true });
			assert.equal(forged.status, 401);
			assert.notEqual(
				received[1].sig.split(',')[1].split('=')[1],
				createHmac('sha256', secret)
					.update(`${received[1].sig.split(',')[0].split('=')[1]}.${received[1].body}`)
					.digest('hex'),
			);
		} finally {
			hook.close();
		}
	});

	it("a subscription's items through stripe-node: created with it, quantity changed, deleted, added; listed per subscription, expanded", async () => {
		const product = await stripe.products.create({ name: 'Hoodie' });
		const monthly = await stripe.prices.create({ currency: 'usd', unit_amount: 2500, product: product.id, recurring: { interval: 'month' } });
		const yearly = await stripe.prices.create({ currency: 'usd', unit_amount: 25000, product: product.id, recurring: { interval: 'year' } });
		const ada = await stripe.customers.create({ name: 'Ada' });
		const sub = await stripe.subscriptions.create({ customer: ada.id, items: [{ price: monthly.id, quantity: 2 }, { price: yearly.id }] });
		const [first, second] = sub.items.data;
		assert.deepEqual(
			sub.items.data.map((i) => [i.price.id, i.quantity]),
			[
				[monthly.id, 2],
				[yearly.id, 1],
			],
		);
		const updated = await stripe.subscriptions.update(sub.id, {
			items: [
				{ id: first.id, quantity: 5 },
				{ id: second.id, deleted: true },
				{ price: yearly.id, quantity: 3 },
			],
		});
		assert.deepEqual(
			updated.items.data.map((i) => [i.id === first.id, i.price.id, i.quantity]),
			[
				[true, monthly.id, 5],
				[false, yearly.id, 3],
			],
		);
		const listed = await stripe.subscriptionItems.list({ subscription: sub.id, expand: ['data.price.product'] });
		assert.deepEqual(
			listed.data.map((i) => (i.price.product as Stripe.Product).name),
			['Hoodie', 'Hoodie'],
		);
		await assert.rejects(stripe.subscriptions.update(sub.id, { items: [{ price: 'price_missing' }] }), (e: StripeErr) => e.code === 'resource_missing');
		await assert.rejects(stripe.subscriptions.update(sub.id, { items: [{ id: second.id, quantity: 1 }] }), (e: StripeErr) => e.code === 'resource_missing');
	});

	it('the objects the pickers list: subscriptions, invoices, payment intents, coupons and tax rates through stripe-node', async () => {
		const ada = await stripe.customers.create({ name: 'Ada' });
		const bob = await stripe.customers.create({ name: 'Bob' });
		const price = await stripe.prices.create({ currency: 'usd', unit_amount: 500, product_data: { name: 'Seat' }, recurring: { interval: 'month' } });
		const sub = await stripe.subscriptions.create({ customer: ada.id, items: [{ price: price.id }] });
		await stripe.subscriptions.create({ customer: bob.id, items: [{ price: price.id }] });
		assert.match(sub.id, /^sub_/);
		assert.equal(sub.status, 'active');
		assert.deepEqual(
			(await stripe.subscriptions.list({ customer: ada.id })).data.map((x) => x.id),
			[sub.id],
		);
		await assert.rejects(stripe.subscriptions.create({ items: [] } as unknown as Stripe.SubscriptionCreateParams), (e: StripeErr) => e.param === 'customer');

		const inv = await stripe.invoices.create({ customer: ada.id, subscription: sub.id, auto_advance: false });
		assert.equal(inv.status, 'draft');
		assert.equal(inv.auto_advance, false);
		assert.deepEqual(
			(await stripe.invoices.list({ subscription: sub.id })).data.map((x) => x.id),
			[inv.id],
		);
		assert.deepEqual(
			(await stripe.invoices.search({ query: `customer:'${ada.id}'` })).data.map((x) => x.id),
			[inv.id],
		);

		const pi = await stripe.paymentIntents.create({ amount: 1500, currency: 'eur', customer: bob.id });
		assert.equal(pi.amount, 1500);
		assert.equal(pi.status, 'requires_payment_method');
		assert.deepEqual(
			(await stripe.paymentIntents.search({ query: 'amount:1500' })).data.map((x) => x.id),
			[pi.id],
		);
		assert.deepEqual((await stripe.paymentIntents.list({ customer: ada.id })).data, []);

		const coupon = await stripe.coupons.create({ name: 'Summer', percent_off: 12.5, duration: 'once' });
		assert.equal(coupon.percent_off, 12.5);
		assert.deepEqual(
			(await stripe.coupons.list()).data.map((x) => x.id),
			[coupon.id],
		);
		await assert.rejects(stripe.coupons.create({ percent_off: 'lots' as unknown as number }), (e: StripeErr) => e.param === 'percent_off');

		const rate = await stripe.taxRates.create({ display_name: 'VAT', percentage: 19, inclusive: true, jurisdiction: 'DE' });
		assert.equal(rate.percentage, 19);
		assert.equal(rate.inclusive, true);
		assert.deepEqual(
			(await stripe.taxRates.list({ inclusive: true })).data.map((x) => x.id),
			[rate.id],
		);
		assert.deepEqual((await stripe.taxRates.list({ inclusive: false })).data, []);
	});

	it('checkout sessions: create (hosted and embedded) / retrieve / list through stripe-node', async () => {
		const hosted = await stripe.checkout.sessions.create({
			mode: 'payment',
			ui_mode: 'hosted',
			success_url: 'https://example.com/thanks',
			line_items: [
				{ price: 'price_a', quantity: 2 },
				{ price: 'price_b', quantity: 1 },
			],
		});
		assert.match(hosted.id, /^cs_test_/);
		assert.equal(hosted.object, 'checkout.session');
		assert.equal(hosted.status, 'open');
		assert.equal(hosted.payment_status, 'unpaid');
		assert.equal(hosted.mode, 'payment');
		assert.equal(hosted.success_url, 'https://example.com/thanks');
		assert.equal(hosted.url, `https://checkout.stripe.com/c/pay/${hosted.id}`);
		assert.equal(hosted.client_secret, null);
		assert.equal(hosted.expires_at, hosted.created + 24 * 3600);
		assert.equal((hosted as unknown as Record<string, unknown>).line_items, undefined, 'line items are not part of the object');
		const embedded = await stripe.checkout.sessions.create({ mode: 'setup', ui_mode: 'embedded', return_url: 'https://example.com/r', currency: 'usd' });
		assert.equal(embedded.url, null);
		assert.match(embedded.client_secret ?? '', new RegExp(`^${embedded.id}_secret_`));
		assert.deepEqual(await stripe.checkout.sessions.retrieve(hosted.id), hosted);
		assert.deepEqual(
			(await stripe.checkout.sessions.list({ status: 'open' })).data.map((x) => x.id),
			[embedded.id, hosted.id],
		);
		await assert.rejects(stripe.checkout.sessions.retrieve('cs_test_missing'), (e: StripeErr) => e.code === 'resource_missing');
		await assert.rejects(stripe.checkout.sessions.update(hosted.id, { mode: 'setup' } as never), (e: StripeErr) => e.param === 'mode');
	});

	it('credit grants: the amount comes back as Stripe has it (an integer value), through stripe-node', async () => {
		const grant = await stripe.billing.creditGrants.create({
			customer: 'cus_1',
			category: 'paid',
			amount: { type: 'monetary', monetary: { currency: 'usd', value: 5000 } },
			applicability_config: { scope: { price_type: 'metered' } },
		});
		assert.match(grant.id, /^credgr_test_/);
		assert.deepEqual(grant.amount, { type: 'monetary', monetary: { currency: 'usd', value: 5000 } });
		assert.deepEqual(await stripe.billing.creditGrants.retrieve(grant.id), grant);
	});

	it('credit balance summary is computed from the seeded balance transactions', async () => {
		s.seed('billing/credit_balance_transactions', [
			{ customer: 'cus_1', type: 'credit', credit: { amount: { type: 'monetary', monetary: { currency: 'usd', value: 1000 } }, type: 'credits_granted' } },
			{ customer: 'cus_1', type: 'debit', debit: { amount: { type: 'monetary', monetary: { currency: 'usd', value: 300 } }, type: 'credits_applied' } },
		]);
		const summary = await stripe.billing.creditBalanceSummary.retrieve({
			customer: 'cus_1',
			filter: { type: 'applicability_scope', applicability_scope: { price_type: 'metered' } },
		});
		assert.deepEqual(summary.balances, [
			{
				available_balance: { type: 'monetary', monetary: { currency: 'usd', value: 700 } },
				ledger_balance: { type: 'monetary', monetary: { currency: 'usd', value: 700 } },
			},
		]);
	});

	it('events: the stand-in operations record v1 events, listed by stripe-node newest first with previous_attributes', async () => {
		const cus = await stripe.customers.create({ email: 'a@x.io' }, { idempotencyKey: 'ik-1' });
		await stripe.customers.update(cus.id, { name: 'Ada' });
		const inv = await stripe.invoices.create({ customer: cus.id });
		const paid = await stripe.invoices.pay(inv.id);
		assert.equal(paid.status, 'paid');
		await stripe.customers.del(cus.id);
		const events = await stripe.events.list({ limit: 100 });
		assert.deepEqual(
			events.data.map((e) => e.type),
			['customer.deleted', 'invoice.paid', 'invoice.updated', 'invoice.created', 'customer.updated', 'customer.created'],
		);
		const created = events.data[5];
		assert.equal(created.object, 'event');
		assert.equal(created.api_version, '2024-11-20.acacia');
		assert.equal((created.data.object as Stripe.Customer).id, cus.id);
		assert.equal(created.request?.idempotency_key, 'ik-1');
		assert.match(created.request?.id ?? '', /^req_/);
		const updated = events.data[4];
		assert.deepEqual(updated.data.previous_attributes, { name: null });
		assert.deepEqual((events.data[2].data.previous_attributes as Record<string, unknown>).status, 'draft');
		assert.deepEqual(await stripe.events.retrieve(created.id), created);
		await assert.rejects(stripe.events.retrieve('evt_missing'), (e: StripeErr) => e.statusCode === 404 && e.code === 'resource_missing');
	});

	it('events: types[], type wildcards, created filters, pagination over 250 events and the 30-day retention', async () => {
		const t0 = 1_760_000_000;
		s.setClock(t0 + 40 * 86400);
		s.addEvents({ type: 'customer.created', created: t0 + 5 * 86400, count: 3 }); // past retention
		const fresh = s.addEvents({ type: 'invoice.paid', created: t0 + 20 * 86400, count: 250, step: 60 });
		s.addEvents({ type: 'customer.subscription.updated', created: t0 + 30 * 86400, count: 2 });
		s.addEvents({ type: 'charge.succeeded', created: t0 + 30 * 86400 });
		const all = await stripe.events.list({ limit: 100 }).autoPagingToArray({ limit: 1000 });
		assert.equal(all.length, 253);
		assert.ok(
			all.every((e, i) => i === 0 || e.created <= all[i - 1].created),
			'newest first',
		);
		assert.equal(s.requests.filter((r) => r.path === '/v1/events').length, 3);
		const paidOnly = await stripe.events.list({ types: ['invoice.paid', 'charge.succeeded'], limit: 100 }).autoPagingToArray({ limit: 1000 });
		assert.equal(paidOnly.length, 251);
		assert.match(s.requests[s.requests.length - 1].rawQuery, /types\[0\]=invoice\.paid&types\[1\]=charge\.succeeded/);
		assert.deepEqual(
			(await stripe.events.list({ type: 'customer.*' })).data.map((e) => e.type),
			['customer.subscription.updated', 'customer.subscription.updated'],
		);
		const window = await stripe.events.list({ created: { gte: fresh[10].created as number, lt: fresh[20].created as number }, limit: 100 });
		assert.deepEqual(
			window.data.map((e) => e.id),
			fresh
				.slice(10, 20)
				.reverse()
				.map((e) => e.id),
		);
		assert.equal((await stripe.events.list({ created: fresh[3].created as number })).data[0].id, fresh[3].id);
		await assert.rejects(stripe.events.list({ type: 'a', types: ['b'] }), (e: StripeErr) => e.statusCode === 400);
		await assert.rejects(stripe.events.list({ types: Array.from({ length: 21 }, (_, i) => `t${i}`) }), (e: StripeErr) => e.statusCode === 400);
		// 30 days: an event of t0+5d is gone at t0+40d, retrieved or listed.
		const old = s.events()[0];
		await assert.rejects(stripe.events.retrieve(String(old.id)), (e: StripeErr) => e.statusCode === 404);
		s.setClock(t0 + 35 * 86400 - 60);
		assert.equal((await stripe.events.retrieve(String(old.id))).id, old.id);
		// Objects created now carry the clock's time, and so do their events.
		const cus = await stripe.customers.create({});
		assert.equal(cus.created, s.now());
		assert.equal((await stripe.events.list({ limit: 1 })).data[0].created, cus.created);
	});

	it('events: delivery_success follows deliveries to the destinations that select the event', async () => {
		const ed = await stripe.v2.core.eventDestinations.create({
			name: 'd',
			type: 'webhook_endpoint',
			event_payload: 'snapshot',
			enabled_events: ['customer.created'],
			webhook_endpoint: { url: 'https://example.test/hook' },
		});
		await stripe.customers.create({});
		await stripe.products.create({ name: 'p' });
		const pending = await stripe.events.list({ delivery_success: false });
		assert.deepEqual(
			pending.data.map((e) => [e.type, e.pending_webhooks]),
			[['customer.created', 1]],
		);
		assert.deepEqual(
			(await stripe.events.list({ delivery_success: true })).data.map((e) => e.type),
			['product.created'],
		);
		void ed;
	});

	it('thin events: GET /v2/core/events by object_id (required in this API version), pages, retrieve, through stripe-node', async () => {
		const related = { id: 'mtr_1', type: 'billing.meter', url: '/v1/billing/meters/mtr_1' };
		const made = s.addEvents({ thin: true, type: 'v1.billing.meter.error_report_triggered', related_object: related, count: 5, step: 1 });
		s.addEvents({ thin: true, type: 'v1.billing.meter.error_report_triggered', related_object: { ...related, id: 'mtr_2' } });
		const listed = await stripe.v2.core.events.list({ object_id: 'mtr_1', limit: 2 }).autoPagingToArray({ limit: 100 });
		assert.deepEqual(
			listed.map((e) => e.id),
			made.map((e) => e.id).reverse(),
		);
		assert.equal(listed[0].object, 'v2.core.event');
		assert.match(String(listed[0].created), /^\d{4}-\d\d-\d\dT/);
		const one = await stripe.v2.core.events.retrieve(String(made[0].id));
		assert.equal(one.id, made[0].id);
		const missing = await raw('GET', '/v2/core/events');
		assert.equal(missing.status, 400);
		assert.equal(missing.json.error.code, 'parameter_missing');
	});
});
