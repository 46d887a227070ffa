/**
 * The encoders against stripe@17.4.0's own: its query/form encoder (`queryStringifyRequestData` in
 * cjs/utils.js), its path interpolation (`makeURLInterpolator`) and its multipart body
 * (`multipartRequestDataProcessor` in cjs/multipart.js), called as stripe-node calls them, on fixed and on
 * randomly generated nested data.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from '@jest/globals';

import { encodeForm, encodeMultipart, interpolatePath } from '../../nodes/shared/client/encoding';

/** stripe@17.4.0's CommonJS build (its package exports hide the subpaths, so they are loaded by file). */
const STRIPE_CJS = path.dirname(require.resolve('stripe'));
const stripeUtils = require(path.join(STRIPE_CJS, 'utils.js')) as {
	queryStringifyRequestData(data: unknown, apiMode: 'v1' | 'v2'): string;
	makeURLInterpolator(path: string): (values: Record<string, string>) => string;
};
const { multipartRequestDataProcessor } = require(path.join(STRIPE_CJS, 'multipart.js')) as {
	multipartRequestDataProcessor(
		this: unknown,
		method: string,
		data: unknown,
		headers: Record<string, string>,
		callback: (error: Error | null, body: Uint8Array | string | null) => void,
	): void;
};
const { NodePlatformFunctions } = require(path.join(STRIPE_CJS, 'platform/NodePlatformFunctions.js'));

/** The multipart body and content type stripe-node builds for a file upload (it picks its own boundary). */
function stripeMultipart(data: Record<string, unknown>): Promise<{ body: Buffer; contentType: string }> {
	const headers: Record<string, string> = {};
	const resource = { _stripe: { _platformFunctions: new NodePlatformFunctions() } };
	return new Promise((resolve, reject) => {
		multipartRequestDataProcessor.call(resource, 'POST', data, headers, (error, body) => {
			if (error || !body) reject(error ?? new Error('no body'));
			else resolve({ body: Buffer.from(body as Uint8Array), contentType: headers['Content-Type'] });
		});
	});
}

function boundaryOf(contentType: string): string {
	const m = /boundary=(.+)$/.exec(contentType);
	assert.ok(m, contentType);
	return m[1];
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

describe("form encoding equals stripe-node's queryStringifyRequestData", () => {
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
			assert.equal(encodeForm(data, mode === 'v2' ? 'repeat' : 'indices'), stripeUtils.queryStringifyRequestData(data, mode));
		}
	});

	it('2,000 random nested values', () => {
		const r = rng(42);
		for (let n = 0; n < 2000; n++) {
			const data = randomValue(r, 0);
			const obj = data && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>) : { value: data };
			const mode = r() < 0.5 ? 'v1' : 'v2';
			assert.equal(encodeForm(obj, mode === 'v2' ? 'repeat' : 'indices'), stripeUtils.queryStringifyRequestData(obj, mode), JSON.stringify(obj));
		}
	});
});

/** A random text of the alphabet (never empty: an empty path ID is refused before it is sent). */
function randomText(r: () => number): string {
	return Array.from({ length: 1 + Math.floor(r() * 8) }, () => ALPHABET[Math.floor(r() * ALPHABET.length)]).join('');
}

/** Random form fields as the executor sends them with a file: texts, numbers, booleans, nested objects and lists. */
function randomFields(r: () => number, depth: number): unknown {
	const pick = r();
	if (depth > 2 || pick < 0.5) {
		const kind = r();
		if (kind < 0.5) return randomText(r);
		if (kind < 0.8) return Math.floor(r() * 100000) / (r() < 0.3 ? 100 : 1);
		return r() < 0.5;
	}
	if (pick < 0.7) return Array.from({ length: Math.floor(r() * 3) }, () => randomFields(r, depth + 1));
	const obj: Record<string, unknown> = {};
	for (let i = Math.floor(r() * 3); i > 0; i--) obj[`${randomText(r)}${i}`] = randomFields(r, depth + 1);
	return obj;
}

describe("paths equal stripe-node's makeURLInterpolator", () => {
	it('fixed case', () => {
		const template = '/v1/customers/{customer}/tax_ids/{id}';
		const values = { customer: 'cus 1', id: 'txi_1/x' };
		assert.equal(interpolatePath(template, values), stripeUtils.makeURLInterpolator(template)(values));
		assert.equal(interpolatePath(template, values), '/v1/customers/cus%201/tax_ids/txi_1%2Fx');
	});

	it('500 random IDs', () => {
		const r = rng(7);
		const template = '/v1/accounts/{account}/persons/{person}';
		for (let n = 0; n < 500; n++) {
			const values = { account: randomText(r), person: randomText(r) };
			if (Object.values(values).some((v) => /^\.+$/.test(v))) continue; // `.`/`..` segments are refused before sending
			assert.equal(interpolatePath(template, values), stripeUtils.makeURLInterpolator(template)(values), JSON.stringify(values));
		}
	});
});

describe("multipart bodies equal stripe-node's multipartRequestDataProcessor", () => {
	it('fixed case: fields, a file with a quote in its name, a nested field', async () => {
		const data = { purpose: 'dispute_evidence', file: { data: Buffer.from('abc'), name: 'a"b.txt', type: 'text/plain' }, file_link_data: { create: true } };
		const theirs = await stripeMultipart(data);
		const ours = encodeMultipart(data, boundaryOf(theirs.contentType));
		assert.equal(ours.contentType, theirs.contentType);
		assert.equal(ours.body.toString('latin1'), theirs.body.toString('latin1'));
		// Also written out by hand from RFC 7578, so both encoders are read once by a person.
		const b = boundaryOf(theirs.contentType);
		assert.equal(
			ours.body.toString(),
			`--${b}\r\nContent-Disposition: form-data; name="purpose"\r\n\r\ndispute_evidence\r\n` +
				`--${b}\r\nContent-Disposition: form-data; name="file"; filename="a%22b.txt"\r\nContent-Type: text/plain\r\n\r\nabc\r\n` +
				`--${b}\r\nContent-Disposition: form-data; name="file_link_data[create]"\r\n\r\ntrue\r\n` +
				`--${b}--\r\n`,
		);
	});

	it('200 random bodies with a binary file', async () => {
		const r = rng(2024);
		for (let n = 0; n < 200; n++) {
			const fields = randomFields(r, 1);
			const bytes = Buffer.from(Array.from({ length: Math.floor(r() * 64) }, () => Math.floor(r() * 256)));
			const file: Record<string, unknown> = { data: bytes };
			if (r() < 0.7) file.name = randomText(r);
			if (r() < 0.7) file.type = r() < 0.5 ? 'application/pdf' : 'image/png';
			const data: Record<string, unknown> = { purpose: randomText(r), file, extra: fields };
			const theirs = await stripeMultipart(data);
			const ours = encodeMultipart(data, boundaryOf(theirs.contentType));
			assert.ok(ours.body.equals(theirs.body), JSON.stringify({ ...data, file: { ...file, data: bytes.toString('hex') } }));
		}
	});
});
