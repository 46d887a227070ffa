/**
 * Operations with special hosts, bodies or answers, through n8n's engine: binary downloads (quote PDF,
 * file contents) from the files host, the meter event stream's session-token flow on meter-events.stripe.com,
 * and v2 events.
 */
import { interceptStripe, readBinary, runNode } from '../harness/engine';

import assert from 'node:assert/strict';
import { afterEach, beforeAll, describe, it } from '@jest/globals';
import nock from 'nock';

import { StripeBilling } from '../../nodes/StripeBilling/StripeBilling.node';
import { StripeCore } from '../../nodes/StripeCore/StripeCore.node';

const SECRET = 'sk_test_special0123456789';
const credentials = { stripeKeyApi: { secretKey: SECRET } };

describe('special hosts, bodies and answers', () => {
	interceptStripe({ before: beforeAll, afterEach });

	it('quote PDF: files host, binary output with the quote ID as file name', async () => {
		const pdf = Buffer.from('%PDF-1.7\n%binary\u00ff\u00fe\n');
		nock('https://files.stripe.com')
			.get('/v1/quotes/qt_123/pdf')
			.matchHeader('authorization', `Bearer ${SECRET}`)
			.reply(200, pdf, { 'Content-Type': 'application/pdf' });
		const result = await runNode({ nodeType: new StripeBilling(), credentials, parameters: { resource: 'quote', operation: 'pdf', quote: 'qt_123' } });
		assert.equal(result.nodeError, undefined, result.nodeError?.message);
		const item = result.items[0][0];
		assert.equal(item.binary?.data.fileName, 'qt_123.pdf');
		assert.equal(item.binary?.data.mimeType, 'application/pdf');
		assert.deepEqual(await readBinary(item.binary!.data), pdf);
		assert.deepEqual(item.json, { fileName: 'qt_123.pdf', mimeType: 'application/pdf', bytes: pdf.length });
	});

	it('file contents: files host, bytes as they are', async () => {
		const csv = Buffer.from('id,amount\nch_1,100\n');
		nock('https://files.stripe.com').get('/v1/files/file_9/contents').reply(200, csv, { 'Content-Type': 'text/csv' });
		const result = await runNode({ nodeType: new StripeCore(), credentials, parameters: { resource: 'file', operation: 'downloadContents', file: 'file_9' } });
		assert.equal(result.nodeError, undefined, result.nodeError?.message);
		assert.equal(result.items[0][0].binary?.data.fileName, 'file_9.csv');
		assert.deepEqual(await readBinary(result.items[0][0].binary!.data), csv);
	});

	it('meter event stream: one session for many items, renewed when it expires, token never output', async () => {
		const sessions: string[] = [];
		const streamAuth: string[] = [];
		let n = 0;
		nock('https://api.stripe.com')
			.post('/v2/billing/meter_event_session')
			.times(2)
			.reply(function () {
				sessions.push(String(this.req.headers.authorization));
				n++;
				// The first session is already about to expire (within the node's one-minute margin).
				const expires = n === 1 ? new Date(Date.now() + 30_000) : new Date(Date.now() + 15 * 60_000);
				return [200, { id: `mes_${n}`, object: 'v2.billing.meter_event_session', authentication_token: `mes_token_${n}`, expires_at: expires.toISOString() }];
			});
		nock('https://meter-events.stripe.com')
			.post('/v2/billing/meter_event_stream')
			.times(2)
			.reply(function (_uri, body) {
				streamAuth.push(String(this.req.headers.authorization));
				assert.deepEqual(body, { events: [{ event_name: 'api_call', payload: { stripe_customer_id: 'cus_1', value: '1' } }] });
				return [202, {}];
			});
		const result = await runNode({
			nodeType: new StripeBilling(),
			credentials,
			parameters: {
				resource: 'meterEventStreamV2',
				operation: 'sendEvents',
				events: {
					entry: [
						{
							event_name: 'api_call',
							payload: {
								entries: [
									{ key: 'stripe_customer_id', value: 'cus_1' },
									{ key: 'value', value: '1' },
								],
							},
						},
					],
				},
			},
			inputItems: [{ json: {} }, { json: {} }],
		});
		assert.equal(result.nodeError, undefined, result.nodeError?.message);
		assert.deepEqual(sessions, [`Bearer ${SECRET}`, `Bearer ${SECRET}`]);
		assert.deepEqual(streamAuth, ['Bearer mes_token_1', 'Bearer mes_token_2']);
		assert.ok(!JSON.stringify(result.items).includes('mes_token'), 'session tokens stay out of the output');
	});

	it('v2 events: retrieve and list with an object filter', async () => {
		nock('https://api.stripe.com')
			.get('/v2/core/events/evt_1')
			.reply(200, { id: 'evt_1', object: 'v2.core.event', type: 'v1.billing.meter.no_meter_found' })
			.get('/v2/core/events')
			.query({ object_id: 'mtr_1', limit: '5' })
			.reply(200, { data: [{ id: 'evt_2' }], next_page_url: null });
		const one = await runNode({ nodeType: new StripeCore(), credentials, parameters: { resource: 'eventV2', operation: 'retrieve', id: 'evt_1' } });
		assert.equal(one.items[0][0].json.type, 'v1.billing.meter.no_meter_found');
		const list = await runNode({
			nodeType: new StripeCore(),
			credentials,
			parameters: { resource: 'eventV2', operation: 'list', object_id: 'mtr_1', returnAll: false, limit: 5 },
		});
		assert.deepEqual(
			list.items[0].map((i) => i.json.id),
			['evt_2'],
		);
	});
});
