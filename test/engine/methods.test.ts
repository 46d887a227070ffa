/**
 * The editor's dynamic choices (resource locator lists and event types) through n8n-core's
 * LoadOptionsContext, with Stripe intercepted.
 */
import { interceptStripe, callNodeMethod } from '../harness/engine';

import assert from 'node:assert/strict';
import { afterEach, before, describe, it } from 'node:test';
import nock from 'nock';
import type { INodeListSearchResult, INodePropertyOptions } from 'n8n-workflow';

import { StripeCore } from '../../nodes/StripeCore/StripeCore.node';

const STRIPE = 'https://api.stripe.com';
const credentials = { stripeKeyApi: { secretKey: 'sk_test_methods123' } };
const nodeType = new StripeCore();
const parameters = { resource: 'customer', operation: 'retrieve' };

describe('dynamic choices', () => {
	interceptStripe({ before, afterEach });

	it('customers: a page of the list, then the next page by its cursor', async () => {
		nock(STRIPE)
			.get('/v1/customers')
			.query({ limit: '100' })
			.reply(200, {
				object: 'list',
				has_more: true,
				data: [
					{ id: 'cus_1', name: 'Ada', email: 'ada@example.com' },
					{ id: 'cus_2', email: 'bob@example.com' },
				],
			})
			.get('/v1/customers')
			.query({ limit: '100', starting_after: 'cus_2' })
			.reply(200, { object: 'list', has_more: false, data: [{ id: 'cus_3' }] });
		const first = (await callNodeMethod({ nodeType, parameters, credentials, kind: 'listSearch', method: 'searchCustomers' })) as INodeListSearchResult;
		assert.deepEqual(
			first.results.map((r) => [r.name, r.value]),
			[
				['Ada <ada@example.com>', 'cus_1'],
				['bob@example.com', 'cus_2'],
			],
		);
		assert.equal(first.paginationToken, 'cus_2');
		const second = (await callNodeMethod({
			nodeType,
			parameters,
			credentials,
			kind: 'listSearch',
			method: 'searchCustomers',
			paginationToken: 'cus_2',
		})) as INodeListSearchResult;
		assert.deepEqual(
			second.results.map((r) => r.value),
			['cus_3'],
		);
		assert.equal(second.paginationToken, undefined);
	});

	it('customers: a filter uses Stripe search on email, name and phone, paged by next_page', async () => {
		nock(STRIPE)
			.get('/v1/customers/search')
			.query({ query: 'email~"a\\"b" OR name~"a\\"b" OR phone~"a\\"b"', limit: '100' })
			.reply(200, { object: 'search_result', has_more: true, next_page: 'pg_2', data: [{ id: 'cus_9', name: 'A"B' }] });
		const r = (await callNodeMethod({
			nodeType,
			parameters,
			credentials,
			kind: 'listSearch',
			method: 'searchCustomers',
			filter: 'a"b',
		})) as INodeListSearchResult;
		assert.deepEqual(
			r.results.map((x) => x.value),
			['cus_9'],
		);
		assert.equal(r.paginationToken, 'pg_2');
	});

	it('prices and meters are filtered on the page when Stripe has no search for them', async () => {
		nock(STRIPE)
			.get('/v1/billing/meters')
			.query({ limit: '100' })
			.reply(200, {
				object: 'list',
				has_more: false,
				data: [
					{ id: 'mtr_1', display_name: 'API calls', event_name: 'api_call' },
					{ id: 'mtr_2', display_name: 'Storage', event_name: 'gb' },
				],
			});
		const r = (await callNodeMethod({ nodeType, parameters, credentials, kind: 'listSearch', method: 'searchMeters', filter: 'api' })) as INodeListSearchResult;
		assert.deepEqual(
			r.results.map((x) => [x.name, x.value]),
			[['API calls (api_call)', 'mtr_1']],
		);
	});

	it('event types: *, every v1 type of the acacia API, and the thin types', async () => {
		const options = (await callNodeMethod({ nodeType, parameters, credentials, kind: 'loadOptions', method: 'getEventTypes' })) as INodePropertyOptions[];
		const values = options.map((o) => o.value);
		assert.equal(values[0], '*');
		for (const t of ['customer.created', 'invoice.paid', 'billing.alert.triggered', 'v1.billing.meter.no_meter_found', 'v2.core.event_destination.ping'])
			assert.ok(values.includes(t), t);
		assert.ok(values.length > 200);
	});
});
