/**
 * Parameters that take "an ID or an object" (issue 24 point 5): over every operation of the 22 families,
 * each parameter or member whose schema (from stripe@17.4.0's typings) is a union of a string and an object
 * offers the choice, or takes the plain ID in its JSON field. The two named in the issue are sent on the wire
 * and compared with what stripe-node sends. And Transfer → Create shows `amount` as a field of its own.
 */
import '../harness/engine';

import assert from 'node:assert/strict';
import nock from 'nock';
import { afterAll, beforeAll, describe, it } from '@jest/globals';

import type { ParamSchema, Schema } from '../../nodes/shared/model/descriptor';
import { property, read, shapeKind } from '../../nodes/shared/fields/shapes';
import { runNode } from '../harness/engine';
import type { CaptureServer } from '../support/capture';
import { comparable, startCaptureServer, stripeNodeAt } from '../support/capture';
import { FAMILY_NODES } from '../support/families';
import { operationPanel } from '../support/panel';

nock.restore(); // real loopback server on both sides (see differential.test.ts)

const API_VERSION = '2024-11-20.acacia';

function idOrObject(s: Schema): boolean {
	return s.type === 'union' && (s.anyOf ?? []).some((a) => a.type === 'string') && (s.anyOf ?? []).some((a) => a.type === 'object');
}

/** Every parameter and member, at its depth, with where it is. */
function* everySchema(): Generator<{ where: string; schema: Schema; depth: number }> {
	function* walk(s: Schema, depth: number, where: string): Generator<{ where: string; schema: Schema; depth: number }> {
		yield { where, schema: s, depth };
		for (const m of s.members ?? []) yield* walk(m, depth + 1, `${where}.${m.name}`);
		for (const a of s.anyOf ?? []) for (const m of a.members ?? []) yield* walk(m, depth + 1, `${where}.${m.name}`);
		if (s.items) yield* walk(s.items, depth + 1, `${where}[]`);
	}
	for (const { family } of FAMILY_NODES)
		for (const r of family.resources)
			for (const op of r.operations) for (const p of op.params) yield* walk(p, 0, `${family.family}/${r.value}.${op.value} ${p.name}`);
}

describe('ID or object, over all operations', () => {
	it('each such parameter offers the choice of an ID, or its JSON field takes the ID as it is', () => {
		const found: string[] = [];
		for (const { where, schema, depth } of everySchema()) {
			if (!idOrObject(schema)) continue;
			found.push(where);
			const kind = shapeKind(schema, depth);
			if (kind === 'choice') {
				const field = property(schema as ParamSchema, false, depth);
				const labels = (field.options ?? []).map((o) => ('displayName' in o ? o.displayName : ''));
				assert.ok(labels.includes('ID') || labels.includes('Text'), `${where}: choices ${labels.join(', ')}`);
			} else {
				assert.equal(kind, 'json', where);
				assert.equal(read('tok_123', schema, 'p', depth), 'tok_123', where);
				assert.equal(read('  btok_123 ', schema, 'p', depth), 'btok_123', where);
				assert.match(String(property(schema as ParamSchema, false, depth).description), /an ID or token as it is, or JSON/, where);
			}
		}
		// The two of the issue are among them (a sanity check that the walk finds what it should).
		assert.ok(found.includes('connect/externalBankAccount.createExternalAccount external_account'), found.join('\n'));
		assert.ok(found.includes('connect/account.update external_account'), found.join('\n'));
		assert.ok(found.length >= 6, found.join('\n'));
	});
});

describe('ID or object on the wire, against stripe@17.4.0', () => {
	let server: CaptureServer;
	beforeAll(async () => {
		server = await startCaptureServer(() => ({ status: 200, body: { id: 'ba_123', object: 'bank_account' } }));
	});
	afterAll(async () => server.close());
	const connect = () => FAMILY_NODES.find((f) => f.key === 'connect')!;
	const sdk = () => stripeNodeAt(server.url, 'sk_test_idobj');

	async function same(sendSdk: () => Promise<unknown>, parameters: Record<string, unknown>) {
		server.requests.length = 0;
		await sendSdk();
		const result = await runNode({
			nodeType: connect().nodeType as never,
			parameters: parameters as never,
			credentials: { stripeKeyApi: { secretKey: 'sk_test_idobj', apiVersion: API_VERSION, baseUrl: server.url } },
		});
		if (result.nodeError) throw new Error(`node failed: ${result.nodeError.message}`);
		assert.equal(server.requests.length, 2);
		const [theirs, ours] = server.requests.map(comparable);
		assert.deepEqual(ours, theirs);
		return ours;
	}

	it('External Bank Account → Create External Account with a bank account token (btok_…)', async () => {
		const sent = await same(() => sdk().accounts.createExternalAccount('acct_1Ext', { external_account: 'btok_us_verified' }), {
			resource: 'externalBankAccount',
			operation: 'createExternalAccount',
			account: 'acct_1Ext',
			external_account: 'btok_us_verified',
		});
		assert.equal(sent.body, 'external_account=btok_us_verified');
	});

	it('… and with the bank account as JSON (tagged by its `object`)', async () => {
		const details = { object: 'bank_account', country: 'US', currency: 'usd', account_number: '000123456789', routing_number: '110000000' };
		await same(() => sdk().accounts.createExternalAccount('acct_1Ext', { external_account: details }), {
			resource: 'externalBankAccount',
			operation: 'createExternalAccount',
			account: 'acct_1Ext',
			external_account: JSON.stringify(details),
		});
	});

	it('Account → Update with a card token (tok_…)', async () => {
		const sent = await same(() => sdk().accounts.update('acct_1Upd', { external_account: 'tok_visa_debit' }), {
			resource: 'account',
			operation: 'update',
			account: 'acct_1Upd',
			additionalFields: { external_account: 'tok_visa_debit' },
		});
		assert.equal(sent.body, 'external_account=tok_visa_debit');
	});
});

describe('Transfer → Create', () => {
	it('shows amount as a field of its own, not under Additional Fields', () => {
		const props = operationPanel(FAMILY_NODES.find((f) => f.key === 'connect')!.nodeType.description.properties, 'transfer', 'create');
		assert.ok(props.some((p) => p.name === 'amount'));
		const extra = props.find((p) => p.name === 'additionalFields');
		assert.ok(!(extra?.options ?? []).some((o) => o.name === 'amount'));
	});
});
