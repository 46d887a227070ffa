/**
 * Found where people search (issue 20, point 9): n8n 2.41's node creator ranks nodes with @n8n/utils'
 * `sublimeSearch` over each node's display name (weight 1.3) and `codex.alias` entries (weight 1), an in-order
 * subsequence match (editor-ui nodeCreator.utils `searchNodes`; @n8n/utils 1.48.0 is the version n8n 2.41.1
 * ships, and the one installed here). The same function runs here over the package's built node list
 * (dist/types/nodes.json, codex included, as n8n serves it) together with n8n's own nodes
 * (n8n-nodes-base 2.41.1), for the searches the issue lists and a few more.
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from '@jest/globals';

// The CommonJS build of n8n's search.
const { sublimeSearch, DEFAULT_KEYS } = require('@n8n/utils/search/sublime-search') as {
	DEFAULT_KEYS: Array<{ key: string; weight: number }>;
	sublimeSearch: <T>(filter: string, data: T[], keys?: Array<{ key: string; weight: number }>) => Array<{ score: number; item: T }>;
};

interface Entry {
	key: string;
	properties: { displayName: string; codex?: { alias?: string[] } };
}

const ROOT = path.join(__dirname, '../../..');
const load = (file: string, pkg: string): Entry[] =>
	(require(file) as Array<{ name: string; displayName: string; codex?: { alias?: string[] } }>).map((n) => ({ key: `${pkg}.${n.name}`, properties: n }));
const OURS = load(path.join(ROOT, 'dist/types/nodes.json'), 'n8n-nodes-stripe');
const ALL = [...load(require.resolve('n8n-nodes-base/dist/types/nodes.json'), 'n8n-nodes-base'), ...OURS];

/** What n8n's node creator shows for a search, best first (display names). */
function search(text: string): string[] {
	return sublimeSearch(text.toLowerCase(), ALL).map((r) => r.item.properties.displayName);
}

describe("node creator search (n8n 2.41's sublimeSearch over names and aliases)", () => {
	it('searches the keys n8n searches: display name and codex alias', () => {
		assert.deepEqual(DEFAULT_KEYS, [
			{ key: 'properties.displayName', weight: 1.3 },
			{ key: 'properties.codex.alias', weight: 1 },
		]);
		assert.equal(OURS.length, 24);
	});

	// [what people type, the node that has it]
	const CASES: Array<[string, string]> = [
		['create subscription', 'Stripe Billing'],
		['cancel subscription', 'Stripe Billing'],
		['subscriptions', 'Stripe Billing'],
		['refunds', 'Stripe Core'],
		['create refund', 'Stripe Core'],
		['customers', 'Stripe Core'],
		['create customer', 'Stripe Core'],
		['invoices', 'Stripe Billing'],
		['send invoice', 'Stripe Billing'],
		['discount', 'Stripe Products'],
		['promo code', 'Stripe Products'],
		['dispute', 'Stripe Core'],
		['chargeback', 'Stripe Core'],
		['tax rate', 'Stripe Products'],
		['portal', 'Stripe Billing'],
		['customer portal', 'Stripe Billing'],
		['payment link', 'Stripe Payment Links'],
		['checkout session', 'Stripe Checkout'],
		['credit grants', 'Stripe Billing'],
		['transfers', 'Stripe Connect'],
	];
	for (const [text, node] of CASES) {
		it(`"${text}" finds ${node} first of the package, among n8n's first three`, () => {
			const found = search(text);
			const ours = found.filter((name) => OURS.some((o) => o.properties.displayName === name));
			assert.equal(ours[0], node, `${text}: ${found.slice(0, 5).join(', ')}`);
			assert.ok(found.indexOf(node) < 3, `${text}: ${found.slice(0, 5).join(', ')}`);
		});
	}
});
