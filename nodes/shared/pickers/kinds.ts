/**
 * Pickers: which parameters name an object users pick from a searchable, paged list (n8n resource locators
 * with "From List" and "ID" modes), and the locator field itself. The list searches are in methods.ts.
 *
 * `locatorKind` is the one place that maps names to kinds, by two tables:
 * - a path parameter is the kind whose collection is the path before it (`/v1/payment_intents/{intent}`,
 *   `/v1/billing/credit_grants/{id}`), so `{intent}` of a setup intent, `{account}` of a Financial Connections
 *   account or `{product}` of a climate product are not mistaken for another object;
 * - a body or query parameter (at any depth: `line_items[].price`, `discounts[].coupon`) is the kind its name
 *   says (NAMES), unless the operation's path is one where the name means another object (`except`).
 */
import type { INodeProperties } from 'n8n-workflow';

interface KindDef {
	label: string;
	placeholder: string;
	/** The collection paths whose `/{placeholder}` names one of these objects; the first one is the list. */
	paths: string[];
	/** Operation paths whose path parameter is not picked from the list (the list cannot have that object). */
	except?: string[];
}

/** Objects users pick from a searchable list (resource locators); see methods.ts `LOOKUPS`. */
export const KINDS = {
	customer: { label: 'Customer', placeholder: 'cus_…', paths: ['/v1/customers'] },
	product: { label: 'Product', placeholder: 'prod_…', paths: ['/v1/products'] },
	price: { label: 'Price', placeholder: 'price_…', paths: ['/v1/prices'] },
	meter: { label: 'Meter', placeholder: 'mtr_…', paths: ['/v1/billing/meters'] },
	subscription: { label: 'Subscription', placeholder: 'sub_…', paths: ['/v1/subscriptions'] },
	subscription_item: { label: 'Subscription Item', placeholder: 'si_…', paths: ['/v1/subscription_items'] },
	subscription_schedule: { label: 'Subscription Schedule', placeholder: 'sub_sched_…', paths: ['/v1/subscription_schedules'] },
	invoice: { label: 'Invoice', placeholder: 'in_…', paths: ['/v1/invoices'] },
	invoice_item: { label: 'Invoice Item', placeholder: 'ii_…', paths: ['/v1/invoiceitems'] },
	credit_note: { label: 'Credit Note', placeholder: 'cn_…', paths: ['/v1/credit_notes'] },
	quote: { label: 'Quote', placeholder: 'qt_…', paths: ['/v1/quotes'] },
	// Attaching: the payment method is not a customer's yet, and only a customer's can be listed.
	payment_method: {
		label: 'Payment Method',
		placeholder: 'pm_…',
		paths: ['/v1/payment_methods', '/v1/customers/{customer}/payment_methods'],
		except: ['/v1/payment_methods/{payment_method}/attach'],
	},
	payment_intent: { label: 'Payment Intent', placeholder: 'pi_…', paths: ['/v1/payment_intents'] },
	setup_intent: { label: 'Setup Intent', placeholder: 'seti_…', paths: ['/v1/setup_intents'] },
	charge: { label: 'Charge', placeholder: 'ch_…', paths: ['/v1/charges'] },
	refund: { label: 'Refund', placeholder: 're_…', paths: ['/v1/refunds'] },
	dispute: { label: 'Dispute', placeholder: 'dp_…', paths: ['/v1/disputes'] },
	coupon: { label: 'Coupon', placeholder: 'Coupon ID', paths: ['/v1/coupons'] },
	promotion_code: { label: 'Promotion Code', placeholder: 'promo_…', paths: ['/v1/promotion_codes'] },
	tax_rate: { label: 'Tax Rate', placeholder: 'txr_…', paths: ['/v1/tax_rates'] },
	shipping_rate: { label: 'Shipping Rate', placeholder: 'shr_…', paths: ['/v1/shipping_rates'] },
	plan: { label: 'Plan', placeholder: 'Plan ID', paths: ['/v1/plans'] },
	account: { label: 'Account', placeholder: 'acct_…', paths: ['/v1/accounts'] },
	transfer: { label: 'Transfer', placeholder: 'tr_…', paths: ['/v1/transfers'] },
	payout: { label: 'Payout', placeholder: 'po_…', paths: ['/v1/payouts'] },
	test_clock: { label: 'Test Clock', placeholder: 'clock_…', paths: ['/v1/test_helpers/test_clocks'] },
	credit_grant: { label: 'Credit Grant', placeholder: 'credgr_…', paths: ['/v1/billing/credit_grants'] },
	checkout_session: { label: 'Checkout Session', placeholder: 'cs_…', paths: ['/v1/checkout/sessions'] },
	payment_link: { label: 'Payment Link', placeholder: 'plink_…', paths: ['/v1/payment_links'] },
	file: { label: 'File', placeholder: 'file_…', paths: ['/v1/files'] },
	webhook_endpoint: { label: 'Webhook Endpoint', placeholder: 'we_…', paths: ['/v1/webhook_endpoints'] },
} satisfies Record<string, KindDef>;

export type LocatorKind = keyof typeof KINDS;

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
	for (const [kind, def] of Object.entries(KINDS) as Array<[LocatorKind, KindDef]>) {
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

/** The list search method of a kind (methods.ts): `searchPaymentIntents` for `payment_intent`. */
export function searchMethodName(kind: LocatorKind): string {
	return `search${kind.replace(/(^|_)([a-z])/g, (_m, _u, c: string) => c.toUpperCase())}s`;
}

export function locatorField(base: Omit<INodeProperties, 'type' | 'default'>, kind: LocatorKind): INodeProperties {
	const l = KINDS[kind];
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
