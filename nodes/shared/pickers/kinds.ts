/**
 * Pickers: which parameters name an object users pick from a searchable, paged list (n8n resource locators
 * with "From List" and "ID" modes), and the locator field itself. What each kind of object is (its name, paths
 * and list search) is one entry of objects.ts `OBJECTS`; the list searches run in lookups.ts.
 *
 * `locatorKind` is the one place that maps parameters to kinds:
 * - a path parameter is the kind whose collection (objects.ts `paths`) is the path before it
 *   (`/v1/payment_intents/{intent}`, `/v1/billing/credit_grants/{id}`), so `{intent}` of a setup intent, `{account}` of a Financial Connections
 *   account or `{product}` of a climate product are not mistaken for another object;
 * - a body or query parameter (at any depth: `line_items[].price`, `discounts[].coupon`) is the kind its name
 *   says (NAMES), unless the operation's path is one where the name means another object (`except`).
 */
import type { INodeProperties } from 'n8n-workflow';

import type { LocatorKind, PickerObject } from './objects';
import { OBJECTS } from './objects';

export type { LocatorKind } from './objects';

/** A resource locator's value ({__rl, mode, value}) is its `value`; anything else is itself. */
export function unwrapLocator(value: unknown): unknown {
	if (value && typeof value === 'object' && (value as { __rl?: boolean }).__rl) return (value as { value?: unknown }).value;
	return value;
}

/**
 * Body and query parameter names (the last segment of a nested name) and their kind. `except`: operation
 * paths (a path, or every path under one ending in `/`) where the name means another object, or where the
 * list cannot have the object.
 */
export const NAMES: Record<string, { kind: LocatorKind; except?: string[] }> = {
	customer: { kind: 'customer' },
	// A climate product (climsku_) and a terminal hardware product are not products.
	product: { kind: 'product', except: ['/v1/climate/', '/v1/terminal/'] },
	price: { kind: 'price' },
	meter: { kind: 'meter' },
	subscription: { kind: 'subscription' },
	subscription_item: { kind: 'subscription_item' },
	// The subscription schedule of an upcoming-invoice preview.
	schedule: { kind: 'subscription_schedule' },
	invoice: { kind: 'invoice' },
	invoiceitem: { kind: 'invoice_item' },
	invoice_item: { kind: 'invoice_item' },
	quote: { kind: 'quote' },
	// A new customer's payment method is not a customer's yet.
	payment_method: { kind: 'payment_method', except: ['/v1/customers'] },
	default_payment_method: { kind: 'payment_method' },
	payment_intent: { kind: 'payment_intent' },
	setup_intent: { kind: 'setup_intent' },
	charge: { kind: 'charge' },
	source_transaction: { kind: 'charge' },
	refund: { kind: 'refund' },
	coupon: { kind: 'coupon' },
	promotion_code: { kind: 'promotion_code' },
	tax_rate: { kind: 'tax_rate' },
	shipping_rate: { kind: 'shipping_rate' },
	plan: { kind: 'plan' },
	on_behalf_of: { kind: 'account' },
	// A Financial Connections transaction list's `account` is a Financial Connections account (fca_).
	account: { kind: 'account', except: ['/v1/financial_connections/'] },
	// A transfer's (and `transfer_data`'s) destination is a connected account; a payout's is a bank account or card.
	destination: { kind: 'account', except: ['/v1/payouts'] },
	test_clock: { kind: 'test_clock' },
	credit_grant: { kind: 'credit_grant' },
	payment_link: { kind: 'payment_link' },
	file: { kind: 'file' },
};

/** Where a parameter is, when the caller knows it: its operation's path (`/v1/payment_intents/{intent}`), and whether it is a path parameter. */
export interface LocatorWhere {
	path?: string;
	inPath?: boolean;
}

/** The kind whose collection is this path (`/v1/test_helpers/…` paths also as their object's own path). */
function kindOfCollection(collection: string, path: string): LocatorKind | undefined {
	const tries = [collection, collection.replace(/^\/v1\/test_helpers\//, '/v1/')];
	for (const [kind, def] of Object.entries(OBJECTS) as Array<[LocatorKind, PickerObject]>) {
		if (tries.some((c) => def.paths.includes(c))) return excepted(def.except, path) ? undefined : kind;
	}
	return undefined;
}

function excepted(except: string[] | undefined, path: string): boolean {
	return !!except?.some((p) => path === p || (p.endsWith('/') && path.startsWith(p)));
}

/**
 * Which kind of object a parameter refers to, if users can pick it from a list. `name`: a body or query
 * parameter's name (a nested member's own name), or a path parameter's placeholder (`where.inPath`, with the
 * operation's path). Without `where`, a body name is judged by its name alone.
 */
export function locatorKind(name: string, where: LocatorWhere = {}): LocatorKind | undefined {
	const path = where.path;
	if (where.inPath) {
		const at = path?.indexOf(`/{${name}}`) ?? -1;
		return at > 0 ? kindOfCollection(path!.slice(0, at), path!) : undefined;
	}
	const entry = Object.prototype.hasOwnProperty.call(NAMES, name) ? NAMES[name] : undefined;
	if (!entry) return undefined;
	if (path && excepted(entry.except, path)) return undefined;
	return entry.kind;
}

/** The list search method of a kind (lookups.ts): `searchPaymentIntents` for `payment_intent`. */
export function searchMethodName(kind: LocatorKind): string {
	return `search${kind.replace(/(^|_)([a-z])/g, (_m, _u, c: string) => c.toUpperCase())}s`;
}

export function locatorField(base: Omit<INodeProperties, 'type' | 'default'>, kind: LocatorKind): INodeProperties {
	const l = OBJECTS[kind];
	return {
		...base,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: searchMethodName(kind), searchable: true },
			},
			{ displayName: 'ID', name: 'id', type: 'string', placeholder: l.placeholder },
		],
	};
}
