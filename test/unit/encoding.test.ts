/**
 * The form encoder against the encoder stripe-node uses (qs 6 with stripe-node's options), on fixed
 * and on randomly generated nested data, plus path interpolation and multipart bodies.
 */
import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';

import { encodeForm, encodeMultipart, interpolatePath } from '../../nodes/shared/client/encoding';

const qs = require('qs');

/** Exactly what stripe-node 17.4.0's queryStringifyRequestData does. */
function stripeNodeEncode(data: unknown, apiMode: 'v1' | 'v2'): string {
	return qs
		.stringify(data, {
			serializeDate: (d: Date) => Math.floor(d.getTime() / 1000).toString(),
			arrayFormat: apiMode === 'v2' ? 'repeat' : 'indices',
		})
		.replace(/%5B/g, '[')
		.replace(/%5D/g, ']');
}

/** Small deterministic PRNG so failures reproduce. */
function rng(seed: number) {
	let s = seed >>> 0;
	return () => {
		s = (s * 1664525 + 1013904223) >>> 0;
		return s / 2 ** 32;
	};
}

const ALPHABET = [
	'a',
	'Z',
	'0',
	' ',
	'&',
	'=',
	'+',
	'/',
	'?',
	'#',
	'%',
	'[',
	']',
	'{',
	'}',
	"'",
	'"',
	'!',
	'*',
	'(',
	')',
	'~',
	'-',
	'_',
	'.',
	'é',
	'€',
	'😀',
	'\n',
	',',
	';',
	':',
	'@',
];

function randomValue(r: () => number, depth: number): unknown {
	const pick = r();
	if (depth > 2 || pick < 0.45) {
		const kind = r();
		if (kind < 0.5) return Array.from({ length: Math.floor(r() * 6) }, () => ALPHABET[Math.floor(r() * ALPHABET.length)]).join('');
		if (kind < 0.7) return Math.floor(r() * 100000) / (r() < 0.3 ? 100 : 1);
		if (kind < 0.85) return r() < 0.5;
		return r() < 0.5 ? null : '';
	}
	if (pick < 0.7) return Array.from({ length: Math.floor(r() * 4) }, () => randomValue(r, depth + 1));
	const obj: Record<string, unknown> = {};
	for (let i = Math.floor(r() * 4); i > 0; i--) obj[`${ALPHABET[Math.floor(r() * ALPHABET.length)]}k${i}`] = randomValue(r, depth + 1);
	return obj;
}

describe('form encoding equals stripe-node (qs)', () => {
	it('fixed cases', () => {
		const data = {
			amount: 2000,
			currency: 'usd',
			capture: false,
			metadata: { order_id: '6735', 'key with space': 'a&b=c', empty: '' },
			payment_method_types: ['card', 'sepa_debit'],
			line_items: [{ price: 'price_1', quantity: 2 }, { price_data: { currency: 'eur', unit_amount: 5 } }],
			description: "Café (50%) *now* 'quoted' ~ok~ 😀",
			nothing: null,
			skipped: undefined,
			empty_list: [],
			empty_obj: {},
		};
		for (const mode of ['v1', 'v2'] as const) {
			assert.equal(encodeForm(data, mode === 'v2' ? 'repeat' : 'indices'), stripeNodeEncode(data, mode));
		}
	});

	it('2,000 random nested values', () => {
		const r = rng(42);
		for (let n = 0; n < 2000; n++) {
			const data = randomValue(r, 0);
			const obj = data && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>) : { value: data };
			const mode = r() < 0.5 ? 'v1' : 'v2';
			assert.equal(encodeForm(obj, mode === 'v2' ? 'repeat' : 'indices'), stripeNodeEncode(obj, mode), JSON.stringify(obj));
		}
	});
});

describe('paths and multipart', () => {
	it('path parameters are percent-encoded like stripe-node', () => {
		assert.equal(interpolatePath('/v1/customers/{customer}/tax_ids/{id}', { customer: 'cus 1', id: 'txi_1/x' }), '/v1/customers/cus%201/tax_ids/txi_1%2Fx');
	});

	it('multipart bodies carry fields and files', () => {
		const { body, contentType } = encodeMultipart(
			{ purpose: 'dispute_evidence', file: { data: Buffer.from('abc'), name: 'a"b.txt', type: 'text/plain' }, file_link_data: { create: true } },
			'BOUNDARY',
		);
		assert.equal(contentType, 'multipart/form-data; boundary=BOUNDARY');
		assert.equal(
			body.toString(),
			'--BOUNDARY\r\nContent-Disposition: form-data; name="purpose"\r\n\r\ndispute_evidence\r\n' +
				'--BOUNDARY\r\nContent-Disposition: form-data; name="file"; filename="a%22b.txt"\r\nContent-Type: text/plain\r\n\r\nabc\r\n' +
				'--BOUNDARY\r\nContent-Disposition: form-data; name="file_link_data[create]"\r\n\r\ntrue\r\n' +
				'--BOUNDARY--\r\n',
		);
	});
});
