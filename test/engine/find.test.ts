/**
 * Find and Find or Create (issue 24, points 2 and 3; nodes/shared/execution/find.ts), through n8n's engine
 * against the stand-in, requests captured on the wire. Each request the node makes is compared with what
 * stripe-node 17.4.0 sends for the documented call (customers.list({ email }), prices.list({ lookup_keys }),
 * customers.search, customers.create with an idempotency key): the expectation comes from the SDK, not from the
 * code under test. Concurrency: two executions at once for the same identity make one object, with the same
 * and with different create fields; the requests show that both looked before either created.
 */
import '../harness/engine';

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, it } from '@jest/globals';
import nock from 'nock';
import Stripe from 'stripe';

import type { INodeParameters } from 'n8n-workflow';

import { runNode } from '../harness/engine';
import { StripeBilling } from '../../nodes/StripeBilling/StripeBilling.node';
import { StripeCore } from '../../nodes/StripeCore/StripeCore.node';
import { StripeProducts } from '../../nodes/StripeProducts/StripeProducts.node';
import type { RecordedRequest, Standin } from '../standin/server';
import { startStandin } from '../standin/server';

nock.restore();

const KEY = 'sk_test_find_or_create_123';

describe('Find and Find or Create against the stand-in', () => {
	let s: Standin;
	let stripe: Stripe;
	beforeAll(async () => {
		s = await startStandin({ port: 0, latencyMs: 20 });
		const u = new URL(s.url);
		stripe = new Stripe(KEY, { host: u.hostname, port: Number(u.port), protocol: 'http', maxNetworkRetries: 0 });
	});
	afterAll(async () => s.close());
	beforeEach(() => s.reset());
	const credentials = () => ({ stripeKeyApi: { secretKey: KEY, baseUrl: s.url } });
	const run = (nodeType: StripeCore | StripeProducts | StripeBilling, parameters: INodeParameters) =>
		runNode({ nodeType, credentials: credentials(), parameters });
	/** What stripe-node sends for a call, captured on the same stand-in (then forgotten). */
	const sdkSends = async (call: () => Promise<unknown>): Promise<RecordedRequest> => {
		const before = s.requests.length;
		await call();
		const req = s.requests[before];
		s.requests.splice(before);
		return req;
	};
	const wire = (r: RecordedRequest) => ({ method: r.method, path: r.path, query: r.rawQuery, body: r.rawBody, key: r.headers['idempotency-key'] });

	it('customer by email: the list filter, exact and case-sensitive, as stripe-node sends it', async () => {
		s.seed('customers', [{ email: 'bob@example.com', name: 'Bob' }, { email: 'Bob@example.com' }]);
		const result = await run(new StripeCore(), { resource: 'customer', operation: 'find', email: 'bob@example.com' });
		assert.equal(result.nodeError, undefined, result.nodeError?.message);
		assert.deepEqual(
			result.items[0].map((i) => i.json.email),
			['bob@example.com'],
		);
		const ours = s.requests.filter((r) => r.path === '/v1/customers');
		assert.equal(ours.length, 1);
		const sdk = await sdkSends(() => stripe.customers.list({ email: 'bob@example.com', limit: 100 }));
		assert.deepEqual(wire(ours[0]), wire(sdk));
	});

	it('nothing found: no item, or an error naming the item; several: all, the first, or an error', async () => {
		const none = await run(new StripeCore(), { resource: 'customer', operation: 'find', email: 'nobody@example.com' });
		assert.equal(none.nodeError, undefined);
		assert.equal(none.items[0].length, 0);
		const noneFails = await run(new StripeCore(), { resource: 'customer', operation: 'find', email: 'nobody@example.com', if_none: 'error' });
		assert.match(String(noneFails.nodeError?.message), /^No customer found for item 0/);
		s.seed('customers', [{ email: 'twin@example.com', name: 'Old' }]);
		s.seed('customers', [{ email: 'twin@example.com', name: 'New' }]);
		const all = await run(new StripeCore(), { resource: 'customer', operation: 'find', email: 'twin@example.com' });
		assert.deepEqual(
			all.items[0].map((i) => i.json.name),
			['New', 'Old'],
		);
		s.requests.length = 0;
		const first = await run(new StripeCore(), { resource: 'customer', operation: 'find', email: 'twin@example.com', if_many: 'first' });
		assert.deepEqual(
			first.items[0].map((i) => i.json.name),
			['New'],
		);
		assert.equal(s.requests[0].query.limit, '1');
		const many = await run(new StripeCore(), { resource: 'customer', operation: 'find', email: 'twin@example.com', if_many: 'error' });
		assert.match(String(many.nodeError?.message), /^More than one customer found for item 0/);
	});

	it('customer by metadata: a search for metadata["key"]:"value" (hostile value quoted), as stripe-node sends it', async () => {
		const value = '42" OR email:"x';
		s.seed('customers', [
			{ email: 'a@example.com', metadata: { crm_id: value } },
			{ email: 'x', metadata: { crm_id: '42' } },
		]);
		const result = await run(new StripeCore(), { resource: 'customer', operation: 'find', find_by: 'metadata', metadata_key: 'crm_id', metadata_value: value });
		assert.equal(result.nodeError, undefined, result.nodeError?.message);
		assert.deepEqual(
			result.items[0].map((i) => i.json.email),
			['a@example.com'],
		);
		const ours = s.requests.find((r) => r.path === '/v1/customers/search')!;
		const sdk = await sdkSends(() => stripe.customers.search({ query: 'metadata["crm_id"]:"42\\" OR email:\\"x"', limit: 100 }));
		assert.deepEqual(wire(ours), wire(sdk));
	});

	it('price by lookup key (lookup_keys[]), product by ID (404: none), subscriptions of a customer by status', async () => {
		s.seed('prices', [
			{ currency: 'usd', unit_amount: 1000, lookup_key: 'standard_monthly' },
			{ currency: 'usd', unit_amount: 2000, lookup_key: 'pro_monthly' },
		]);
		const price = await run(new StripeProducts(), { resource: 'price', operation: 'find', lookup_key: 'standard_monthly' });
		assert.equal(price.nodeError, undefined, price.nodeError?.message);
		assert.deepEqual(
			price.items[0].map((i) => i.json.unit_amount),
			[1000],
		);
		const ours = s.requests.find((r) => r.path === '/v1/prices')!;
		assert.deepEqual(wire(ours), wire(await sdkSends(() => stripe.prices.list({ lookup_keys: ['standard_monthly'], limit: 100 }))));

		s.requests.length = 0;
		const missing = await run(new StripeProducts(), { resource: 'product', operation: 'find', object_id: 'prod_missing' });
		assert.equal(missing.nodeError, undefined, missing.nodeError?.message);
		assert.equal(missing.items[0].length, 0);
		assert.deepEqual(wire(s.requests[0]), wire(await sdkSends(() => stripe.products.retrieve('prod_missing').catch(() => undefined))));

		s.seed('subscriptions', [
			{ customer: 'cus_A', status: 'active' },
			{ customer: 'cus_A', status: 'canceled' },
			{ customer: 'cus_B', status: 'active' },
		]);
		s.requests.length = 0;
		const subs = await run(new StripeBilling(), { resource: 'subscription', operation: 'find', customer: 'cus_A' });
		assert.equal(subs.nodeError, undefined, subs.nodeError?.message);
		assert.deepEqual(
			subs.items[0].map((i) => [i.json.customer, i.json.status]),
			[['cus_A', 'active']],
		);
		assert.deepEqual(wire(s.requests[0]), wire(await sdkSends(() => stripe.subscriptions.list({ customer: 'cus_A', status: 'active', limit: 100 }))));
	});

	const findOrCreate = { resource: 'customer', operation: 'findOrCreate', email: 'jane@example.com', name: 'Jane' };
	const identityKey = `n8n-find-or-create-${createHash('sha256')
		.update(JSON.stringify(['/v1/customers', 'email', 'jane@example.com']))
		.digest('hex')}`;

	it('find or create, run twice: the first creates (as stripe-node would), the second finds it', async () => {
		const first = await run(new StripeCore(), findOrCreate);
		assert.equal(first.nodeError, undefined, first.nodeError?.message);
		assert.equal(first.items[0].length, 1);
		assert.equal(first.items[0][0].json._created, true);
		const create = s.requests.find((r) => r.method === 'POST')!;
		s.reset();
		const sdk = await sdkSends(() => stripe.customers.create({ email: 'jane@example.com', name: 'Jane' }, { idempotencyKey: identityKey }));
		assert.deepEqual(wire(create), wire(sdk));
		s.reset();
		const again1 = await run(new StripeCore(), findOrCreate);
		const again2 = await run(new StripeCore(), findOrCreate);
		assert.equal(again1.items[0][0].json._created, true);
		assert.equal(again2.items[0][0].json._created, false);
		assert.equal(again2.items[0][0].json.id, again1.items[0][0].json.id);
		assert.equal(s.objects('customers').length, 1);
		assert.equal(s.requests.filter((r) => r.method === 'POST').length, 1, 'the second run only looked');
	});

	for (const [label, names] of [
		['the same fields', ['Jane', 'Jane']],
		['different fields', ['Jane', 'Jane Doe']],
	] as const)
		it(`two executions at once for the same customer (${label}) make one customer`, async () => {
			const [a, b] = await Promise.all(names.map((name) => run(new StripeCore(), { ...findOrCreate, name })));
			assert.equal(a.nodeError, undefined, a.nodeError?.message);
			assert.equal(b.nodeError, undefined, b.nodeError?.message);
			const gets = s.requests.filter((r) => r.method === 'GET').map((r) => r.seq);
			const firstPost = s.requests.find((r) => r.method === 'POST')!.seq;
			assert.ok(gets.filter((g) => g < firstPost).length >= 2, 'both executions looked before either created');
			assert.equal(s.objects('customers').length, 1);
			assert.equal(a.items[0][0].json.id, b.items[0][0].json.id);
			assert.deepEqual([a.items[0][0].json._created, b.items[0][0].json._created].sort(), [false, true]);
		});

	it('Update If Found updates the found customer with the fields Stripe lets change; metadata identity is added on create', async () => {
		s.seed('customers', [{ email: 'jane@example.com', name: 'Old' }]);
		const result = await run(new StripeCore(), { ...findOrCreate, name: 'New', update_if_found: true });
		assert.equal(result.nodeError, undefined, result.nodeError?.message);
		assert.equal(result.items[0][0].json.name, 'New');
		assert.equal(result.items[0][0].json._created, false);
		const update = s.requests.find((r) => r.method === 'POST')!;
		const id = String(result.items[0][0].json.id);
		assert.equal(update.path, `/v1/customers/${id}`);
		assert.equal(update.rawBody, 'name=New');

		s.reset();
		const made = await run(new StripeCore(), {
			resource: 'customer',
			operation: 'findOrCreate',
			find_by: 'metadata',
			metadata_key: 'crm_id',
			metadata_value: '7',
			name: 'Ann',
			additionalFields: { metadata: { entries: [{ key: 'source', value: 'n8n' }] } },
		});
		assert.equal(made.nodeError, undefined, made.nodeError?.message);
		assert.deepEqual(made.items[0][0].json.metadata, { source: 'n8n', crm_id: '7' });
	});

	it('product find or create by ID creates it with that ID; a metadata clash is refused before sending', async () => {
		const made = await run(new StripeProducts(), { resource: 'product', operation: 'findOrCreate', find_by: 'id', object_id: 'sku_hoodie', name: 'Hoodie' });
		assert.equal(made.nodeError, undefined, made.nodeError?.message);
		assert.equal(made.items[0][0].json.id, 'sku_hoodie');
		assert.equal(made.items[0][0].json._created, true);
		const found = await run(new StripeProducts(), { resource: 'product', operation: 'findOrCreate', find_by: 'id', object_id: 'sku_hoodie', name: 'Hoodie' });
		assert.equal(found.items[0][0].json._created, false);
		s.requests.length = 0;
		const clash = await run(new StripeCore(), {
			resource: 'customer',
			operation: 'findOrCreate',
			find_by: 'metadata',
			metadata_key: 'crm_id',
			metadata_value: '7',
			additionalFields: { metadata: { entries: [{ key: 'crm_id', value: '8' }] } },
		});
		assert.match(String(clash.nodeError?.message), /item 0: "Metadata" \(metadata\) sets "crm_id" to "8", but the object is found by crm_id = "7"/);
		assert.equal(s.requests.length, 0);
	});

	it('an object created under the identity key and deleted since is an error, not a silent reuse', async () => {
		const first = await run(new StripeCore(), findOrCreate);
		const id = String(first.items[0][0].json.id);
		await stripe.customers.del(id);
		const again = await run(new StripeCore(), findOrCreate);
		assert.match(String(again.nodeError?.message), new RegExp(`created for this identity in the last 24 hours \\(${id}\\) has been deleted`));
		assert.equal(s.objects('customers').filter((c) => !c.deleted).length, 0);
	});

	it('price find or create by lookup key', async () => {
		const params = { resource: 'price', operation: 'findOrCreate', lookup_key: 'std', product: 'prod_1', currency: 'usd', unit_amount: 1500 };
		const made = await run(new StripeProducts(), params);
		assert.equal(made.nodeError, undefined, made.nodeError?.message);
		assert.equal(made.items[0][0].json._created, true);
		assert.equal(made.items[0][0].json.lookup_key, 'std');
		const found = await run(new StripeProducts(), params);
		assert.equal(found.items[0][0].json._created, false);
		assert.equal(s.objects('prices').length, 1);
	});
});
