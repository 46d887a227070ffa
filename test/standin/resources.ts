/**
 * The v1 resources the stand-in serves, as data. Each entry makes /v1/<path> support create (POST),
 * list (GET), retrieve (GET /:id), update (POST /:id), delete (DELETE /:id, unless deletable=false) and
 * search (GET /search, when searchable). Add a resource by adding an entry.
 */

import type { FormObject, FormValue } from './form';

export type StripeObject = { [key: string]: unknown };

export interface ResourceDef {
	/** Path under /v1, e.g. 'customers' or 'billing/meters'. */
	path: string;
	/** The `object` field, e.g. 'customer'. */
	object: string;
	/** ID prefix without underscore, e.g. 'cus'. */
	idPrefix: string;
	/** Fields of a new object before the create parameters are applied. */
	defaults?: (ctx: { id: string; created: number }) => StripeObject;
	/** Allowed create/update parameters (top level). Unknown ones are rejected like Stripe does. Omit to accept any. */
	createParams?: string[];
	updateParams?: string[];
	/** Required create parameters. */
	required?: string[];
	/** Parameters accepted but not stored on the object (e.g. `expand`, `source`). */
	writeOnly?: string[];
	/** Integer fields: form strings are converted to numbers. */
	integers?: string[];
	/** Boolean fields: 'true'/'false' are converted. */
	booleans?: string[];
	/** Decimal fields (e.g. a coupon's `percent_off`): form strings are converted to numbers. */
	decimals?: string[];
	/** Extra list filters (exact match on a top-level field), besides limit/starting_after/ending_before/created/expand. */
	listFilters?: string[];
	/** List filters that take a list of values of a field (prices' `lookup_keys[]` → `lookup_key`). */
	listIn?: Record<string, string>;
	/** Create takes an `id` of the caller's (products); a used one is a 400 `resource_already_exists`. */
	customId?: boolean;
	searchable?: boolean;
	/** false: DELETE is not supported (404 like Stripe's unrecognized URL). Default true. */
	deletable?: boolean;
	/** true: retrieving a deleted object answers `{id, object, deleted: true}` (customers do this). */
	retrieveDeleted?: boolean;
	/** Sets fields computed on every write (e.g. `updated`). */
	onWrite?: (obj: StripeObject, now: number) => void;
	/** Writes the objects a create or update makes or changes besides this one (a subscription's items). */
	related?: (obj: StripeObject, body: FormObject, store: RelatedStore) => void;
}

/** The account's other objects, for `related` writes. */
export interface RelatedStore {
	table(path: string): Map<string, { seq: number; obj: StripeObject }>;
	/** A new object's ID and its place in the lists (`seq`). */
	add(path: string, prefix: string, make: (id: string, created: number) => StripeObject): StripeObject;
}

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

function wholeNumber(v: FormValue | undefined, param: string): number | undefined {
	if (v === undefined || v === '') return undefined;
	if (typeof v !== 'string' || !/^\d+$/.test(v)) throw new ParamError(param, `Invalid integer: ${String(v)}`, 'parameter_invalid_integer');
	return Number(v);
}

/**
 * A subscription's `items` as Stripe applies them: an entry with `id` changes that item of this subscription
 * (`deleted=true` removes it; a new price sets the quantity to 1 unless one is given; metadata is merged), an
 * entry without adds an item of the price (quantity 1 unless given). Prices must exist. The subscription's
 * `items` list shows its items afterwards, each with its whole price, oldest first.
 */
function subscriptionItems(sub: StripeObject, body: FormObject, store: RelatedStore): void {
	const table = store.table('subscription_items');
	const given = body.items;
	if (given !== undefined) {
		const entries = (Array.isArray(given) ? given : typeof given === 'object' ? Object.values(given) : []) as FormObject[];
		const priceOf = (v: FormValue | undefined, param: string) => {
			const found = typeof v === 'string' ? store.table('prices').get(v) : undefined;
			if (!found) throw new ParamError(param, `No such price: '${String(v)}'`, 'resource_missing');
			return clone(found.obj);
		};
		entries.forEach((entry, i) => {
			const at = (k: string) => `items[${i}][${k}]`;
			const metadata = typeof entry.metadata === 'object' && entry.metadata ? (entry.metadata as Record<string, string>) : {};
			if (typeof entry.id === 'string') {
				const item = table.get(entry.id)?.obj;
				if (!item || item.subscription !== sub.id) throw new ParamError(at('id'), `No such subscription item: '${entry.id}'`, 'resource_missing');
				if (entry.deleted === 'true') {
					table.delete(entry.id);
					return;
				}
				if (entry.price !== undefined) {
					item.price = priceOf(entry.price, at('price'));
					item.quantity = 1;
				}
				const quantity = wholeNumber(entry.quantity, at('quantity'));
				if (quantity !== undefined) item.quantity = quantity;
				item.metadata = { ...(item.metadata as object), ...metadata };
				return;
			}
			if (entry.price === undefined) throw new ParamError(at('price'), `Missing required param: ${at('price')}.`, 'parameter_missing');
			const price = priceOf(entry.price, at('price'));
			const quantity = wholeNumber(entry.quantity, at('quantity')) ?? 1;
			store.add('subscription_items', 'si', (id, created) => ({ id, object: 'subscription_item', created, metadata, price, quantity, subscription: sub.id }));
		});
	}
	const mine = [...table.values()].filter((s) => s.obj.subscription === sub.id).sort((a, b) => a.seq - b.seq);
	sub.items = { object: 'list', data: mine.map((s) => clone(s.obj)), has_more: false, url: `/v1/subscription_items?subscription=${String(sub.id)}` };
}

export interface SingletonDef {
	/** Path under /v1, e.g. 'balance'. */
	path: string;
	/** The object, from the query and the stored objects of the requesting account. */
	get: (ctx: { query: FormObject; objects: (resourcePath: string) => StripeObject[] }) => StripeObject;
}

interface Monetary {
	monetary?: { currency?: string; value?: number };
}

/**
 * Credit balance summary of a customer, computed from the stored credit balance transactions: per
 * currency, credits minus debits (ledger); available is the same here (the stand-in has no pending credit).
 */
function creditBalanceSummary(ctx: { query: FormObject; objects: (resourcePath: string) => StripeObject[] }): StripeObject {
	const customer = String(ctx.query.customer ?? '');
	if (!customer) throw new ParamError('parameter_missing', 'Missing required param: customer.', 'customer');
	if (!ctx.query.filter) throw new ParamError('parameter_missing', 'Missing required param: filter.', 'filter');
	const totals = new Map<string, number>();
	for (const t of ctx.objects('billing/credit_balance_transactions').filter((x) => x.customer === customer)) {
		const side = (t.type === 'credit' ? t.credit : t.debit) as { amount?: Monetary } | null;
		const m = side?.amount?.monetary;
		if (!m?.currency || typeof m.value !== 'number') continue;
		totals.set(m.currency, (totals.get(m.currency) ?? 0) + (t.type === 'credit' ? m.value : -m.value));
	}
	const money = (currency: string, value: number) => ({ type: 'monetary', monetary: { currency, value } });
	return {
		object: 'billing.credit_balance_summary',
		customer,
		livemode: false,
		balances: [...totals].map(([currency, value]) => ({ available_balance: money(currency, value), ledger_balance: money(currency, value) })),
	};
}

const EXPAND = ['expand'];

function randomUpper(n: number): string {
	const chars = 'ABCDEF0123456789';
	let s = '';
	for (let i = 0; i < n; i++) s += chars[Math.floor(Math.random() * chars.length)];
	return s;
}

export const resources: ResourceDef[] = [
	{
		path: 'customers',
		object: 'customer',
		idPrefix: 'cus',
		defaults: ({ id, created }) => ({
			id,
			object: 'customer',
			address: null,
			balance: 0,
			created,
			currency: null,
			default_source: null,
			delinquent: false,
			description: null,
			discount: null,
			email: null,
			invoice_prefix: randomUpper(8),
			invoice_settings: {
				custom_fields: null,
				default_payment_method: null,
				footer: null,
				rendering_options: null,
			},
			livemode: false,
			metadata: {},
			name: null,
			next_invoice_sequence: 1,
			phone: null,
			preferred_locales: [],
			shipping: null,
			tax_exempt: 'none',
			test_clock: null,
		}),
		createParams: [
			'address',
			'balance',
			'cash_balance',
			'coupon',
			'description',
			'email',
			'expand',
			'invoice_prefix',
			'invoice_settings',
			'metadata',
			'name',
			'next_invoice_sequence',
			'payment_method',
			'phone',
			'preferred_locales',
			'promotion_code',
			'shipping',
			'source',
			'tax',
			'tax_exempt',
			'tax_id_data',
			'test_clock',
			'validate',
		],
		updateParams: [
			'address',
			'balance',
			'cash_balance',
			'coupon',
			'default_source',
			'description',
			'email',
			'expand',
			'invoice_prefix',
			'invoice_settings',
			'metadata',
			'name',
			'next_invoice_sequence',
			'phone',
			'preferred_locales',
			'promotion_code',
			'shipping',
			'source',
			'tax',
			'tax_exempt',
			'validate',
		],
		writeOnly: [...EXPAND, 'cash_balance', 'coupon', 'payment_method', 'promotion_code', 'source', 'tax', 'tax_id_data', 'validate'],
		integers: ['balance', 'next_invoice_sequence'],
		listFilters: ['email', 'test_clock'],
		searchable: true,
		retrieveDeleted: true,
	},
	{
		path: 'products',
		object: 'product',
		idPrefix: 'prod',
		defaults: ({ id, created }) => ({
			id,
			object: 'product',
			active: true,
			attributes: [],
			created,
			default_price: null,
			description: null,
			images: [],
			livemode: false,
			marketing_features: [],
			metadata: {},
			name: null,
			package_dimensions: null,
			shippable: null,
			statement_descriptor: null,
			tax_code: null,
			type: 'service',
			unit_label: null,
			updated: created,
			url: null,
		}),
		required: ['name'],
		writeOnly: [...EXPAND, 'default_price_data'],
		booleans: ['active', 'shippable'],
		listFilters: ['active', 'type', 'shippable', 'url'],
		customId: true,
		searchable: true,
		onWrite: (obj, now) => {
			obj.updated = now;
		},
	},
	{
		path: 'prices',
		object: 'price',
		idPrefix: 'price',
		defaults: ({ id, created }) => ({
			id,
			object: 'price',
			active: true,
			billing_scheme: 'per_unit',
			created,
			currency: null,
			custom_unit_amount: null,
			livemode: false,
			lookup_key: null,
			metadata: {},
			nickname: null,
			product: null,
			recurring: null,
			tax_behavior: 'unspecified',
			tiers_mode: null,
			transform_quantity: null,
			type: 'one_time',
			unit_amount: null,
			unit_amount_decimal: null,
		}),
		required: ['currency'],
		writeOnly: [...EXPAND, 'product_data', 'transfer_lookup_key'],
		integers: ['unit_amount'],
		booleans: ['active'],
		listFilters: ['active', 'currency', 'product', 'type'],
		listIn: { lookup_keys: 'lookup_key' },
		searchable: true,
		deletable: false,
		onWrite: (obj) => {
			if (obj.unit_amount !== null && obj.unit_amount !== undefined && obj.unit_amount_decimal === null) {
				obj.unit_amount_decimal = String(obj.unit_amount);
			}
			if (obj.recurring) obj.type = 'recurring';
			// Stripe's price has the interval count (1 unless given) and usage type (licensed unless given).
			const recurring = obj.recurring as { interval_count?: unknown; usage_type?: unknown } | null;
			if (recurring && typeof recurring === 'object') {
				recurring.interval_count = Number(recurring.interval_count ?? 1);
				recurring.usage_type ??= 'licensed';
			}
		},
	},
	{
		path: 'billing/credit_grants',
		object: 'billing.credit_grant',
		idPrefix: 'credgr_test',
		defaults: ({ id, created }) => ({
			id,
			object: 'billing.credit_grant',
			amount: null,
			applicability_config: { scope: { price_type: 'metered' } },
			category: 'paid',
			created,
			customer: null,
			effective_at: created,
			expires_at: null,
			livemode: false,
			metadata: {},
			name: null,
			test_clock: null,
			updated: created,
			voided_at: null,
		}),
		createParams: ['amount', 'applicability_config', 'category', 'customer', 'effective_at', 'expand', 'expires_at', 'metadata', 'name'],
		updateParams: ['expand', 'expires_at', 'metadata'],
		required: ['amount', 'applicability_config', 'category', 'customer'],
		writeOnly: [...EXPAND],
		integers: ['effective_at', 'expires_at'],
		listFilters: ['customer'],
		deletable: false,
		onWrite: (obj) => {
			// The amount's value is an integer on Stripe's object (the form sends it as text).
			const m = (obj.amount as Monetary | null)?.monetary as { value?: unknown } | undefined;
			if (m && typeof m.value === 'string' && /^-?\d+$/.test(m.value)) m.value = Number(m.value);
		},
	},
	{
		// Written by Stripe, not by API users: the stand-in's tests and e2e seed them.
		path: 'billing/credit_balance_transactions',
		object: 'billing.credit_balance_transaction',
		idPrefix: 'cbtxn_test',
		// Seeded objects carry `customer` too (Stripe's object has none), so lists can filter by customer.
		defaults: ({ id, created }) => ({
			id,
			object: 'billing.credit_balance_transaction',
			created,
			credit: null,
			credit_grant: null,
			debit: null,
			effective_at: created,
			livemode: false,
			test_clock: null,
			type: null,
		}),
		listFilters: ['customer', 'credit_grant'],
		deletable: false,
	},
	// The objects the editor's pickers list (subscriptions, invoices, payment intents, coupons, tax rates): the
	// fields the pickers' labels read, the list filters Stripe has for them, and search where Stripe has it.
	{
		path: 'subscriptions',
		object: 'subscription',
		idPrefix: 'sub',
		defaults: ({ id, created }) => ({
			id,
			object: 'subscription',
			cancel_at_period_end: false,
			created,
			currency: 'usd',
			customer: null,
			items: { object: 'list', data: [], has_more: false, url: `/v1/subscription_items?subscription=${id}` },
			livemode: false,
			metadata: {},
			status: 'active',
			test_clock: null,
		}),
		required: ['customer'],
		// `items` makes and changes the subscription's items (subscription_items below).
		writeOnly: [...EXPAND, 'items', 'add_invoice_items', 'payment_behavior', 'proration_behavior', 'trial_period_days'],
		related: subscriptionItems,
		booleans: ['cancel_at_period_end'],
		listFilters: ['customer', 'status', 'test_clock'],
		searchable: true,
		deletable: false,
	},
	{
		// Made and changed through a subscription's `items`; listed per subscription (`subscription` filter).
		path: 'subscription_items',
		object: 'subscription_item',
		idPrefix: 'si',
		createParams: ['subscription', 'price', 'quantity', 'metadata', 'expand'],
		updateParams: ['price', 'quantity', 'metadata', 'expand'],
		writeOnly: EXPAND,
		integers: ['quantity'],
		listFilters: ['subscription'],
	},
	{
		path: 'invoices',
		object: 'invoice',
		idPrefix: 'in',
		defaults: ({ id, created }) => ({
			id,
			object: 'invoice',
			amount_due: 0,
			amount_paid: 0,
			auto_advance: false,
			collection_method: 'charge_automatically',
			created,
			currency: 'usd',
			customer: null,
			customer_email: null,
			customer_name: null,
			description: null,
			livemode: false,
			metadata: {},
			number: null,
			status: 'draft',
			subscription: null,
		}),
		required: ['customer'],
		writeOnly: [...EXPAND, 'pending_invoice_items_behavior'],
		integers: ['days_until_due', 'due_date'],
		booleans: ['auto_advance'],
		listFilters: ['customer', 'status', 'subscription', 'collection_method'],
		searchable: true,
	},
	{
		path: 'payment_intents',
		object: 'payment_intent',
		idPrefix: 'pi',
		defaults: ({ id, created }) => ({
			id,
			object: 'payment_intent',
			amount: null,
			capture_method: 'automatic',
			client_secret: `${id}_secret_${randomUpper(12)}`,
			created,
			currency: null,
			customer: null,
			description: null,
			livemode: false,
			metadata: {},
			payment_method: null,
			status: 'requires_payment_method',
		}),
		required: ['amount', 'currency'],
		writeOnly: [...EXPAND, 'automatic_payment_methods', 'confirm'],
		integers: ['amount', 'application_fee_amount'],
		listFilters: ['customer'],
		searchable: true,
		deletable: false,
	},
	{
		// A refund of a payment intent or charge: the whole amount unless `amount` says less (a partial refund).
		path: 'refunds',
		object: 'refund',
		idPrefix: 're',
		defaults: ({ id, created }) => ({
			id,
			object: 'refund',
			amount: null,
			charge: null,
			created,
			currency: 'usd',
			metadata: {},
			payment_intent: null,
			reason: null,
			status: 'succeeded',
		}),
		createParams: ['amount', 'charge', 'payment_intent', 'reason', 'metadata', 'expand', 'instructions_email', 'reverse_transfer', 'refund_application_fee'],
		updateParams: ['metadata', 'expand'],
		writeOnly: [...EXPAND, 'instructions_email', 'reverse_transfer', 'refund_application_fee'],
		integers: ['amount'],
		listFilters: ['charge', 'payment_intent'],
		deletable: false,
	},
	{
		path: 'coupons',
		object: 'coupon',
		idPrefix: 'coupon',
		defaults: ({ id, created }) => ({
			id,
			object: 'coupon',
			amount_off: null,
			created,
			currency: null,
			duration: 'once',
			duration_in_months: null,
			livemode: false,
			max_redemptions: null,
			metadata: {},
			name: null,
			percent_off: null,
			redeem_by: null,
			times_redeemed: 0,
			valid: true,
		}),
		writeOnly: [...EXPAND],
		integers: ['amount_off', 'duration_in_months', 'max_redemptions', 'redeem_by'],
		decimals: ['percent_off'],
	},
	// Connect platforms list their connected accounts; the polling trigger reads each one's events.
	{
		path: 'accounts',
		object: 'account',
		idPrefix: 'acct',
		defaults: ({ id, created }) => ({
			id,
			object: 'account',
			business_type: null,
			charges_enabled: false,
			country: 'US',
			created,
			email: null,
			metadata: {},
			payouts_enabled: false,
			type: 'custom',
		}),
		writeOnly: [...EXPAND],
	},
	// Billing meters: the objects thin events of this API version are about (GET /v2/core/events?object_id=mtr_…).
	{
		path: 'billing/meters',
		object: 'billing.meter',
		idPrefix: 'mtr',
		defaults: ({ id, created }) => ({
			id,
			object: 'billing.meter',
			created,
			display_name: null,
			event_name: null,
			livemode: false,
			status: 'active',
			updated: created,
		}),
		required: ['display_name', 'event_name'],
		writeOnly: [...EXPAND, 'default_aggregation', 'customer_mapping', 'value_settings', 'event_time_window'],
		listFilters: ['status'],
		deletable: false,
	},
	{
		path: 'tax_rates',
		object: 'tax_rate',
		idPrefix: 'txr',
		defaults: ({ id, created }) => ({
			id,
			object: 'tax_rate',
			active: true,
			country: null,
			created,
			description: null,
			display_name: null,
			inclusive: false,
			jurisdiction: null,
			livemode: false,
			metadata: {},
			percentage: null,
			state: null,
			tax_type: null,
		}),
		required: ['display_name', 'inclusive', 'percentage'],
		writeOnly: [...EXPAND],
		booleans: ['active', 'inclusive'],
		decimals: ['percentage'],
		listFilters: ['active', 'inclusive'],
		deletable: false,
	},
	{
		// A Checkout Session as Stripe answers a create: open, with the hosted page's URL (hosted mode only).
		// `line_items` is not part of the object (Stripe lists them at /line_items, or with expand[]=line_items).
		path: 'checkout/sessions',
		object: 'checkout.session',
		idPrefix: 'cs_test',
		defaults: ({ id, created }) => ({
			id,
			object: 'checkout.session',
			amount_subtotal: null,
			amount_total: null,
			cancel_url: null,
			client_reference_id: null,
			client_secret: null,
			created,
			currency: null,
			customer: null,
			customer_email: null,
			expires_at: created + 24 * 3600,
			livemode: false,
			metadata: {},
			mode: null,
			payment_intent: null,
			payment_status: 'unpaid',
			return_url: null,
			status: 'open',
			subscription: null,
			success_url: null,
			ui_mode: 'hosted',
			url: null,
		}),
		updateParams: ['expand', 'metadata', 'shipping_options'],
		writeOnly: [...EXPAND, 'line_items', 'shipping_options'],
		integers: ['expires_at'],
		listFilters: ['customer', 'payment_intent', 'payment_link', 'status', 'subscription'],
		deletable: false,
		onWrite: (obj) => {
			if (obj.url === null && obj.ui_mode === 'hosted') obj.url = `https://checkout.stripe.com/c/pay/${String(obj.id)}`;
			if (obj.client_secret === null && obj.ui_mode === 'embedded') obj.client_secret = `${String(obj.id)}_secret_${randomUpper(12)}`;
		},
	},
];

/**
 * GET /v1/invoice_payments (Stripe API 2025-03-31.basil, "List all payments for an invoice": newer than the
 * pinned 2024-11-20.acacia, so no operation of the package has it; the editor test reaches it with a Custom API
 * Call): one payment per stored invoice, filtered by `invoice`, amounts and status from the invoice.
 */
function invoicePayments(ctx: { query: FormObject; objects: (resourcePath: string) => StripeObject[] }): StripeObject {
	const invoice = typeof ctx.query.invoice === 'string' ? ctx.query.invoice : undefined;
	const data = ctx
		.objects('invoices')
		.filter((inv) => invoice === undefined || inv.id === invoice)
		.map((inv) => ({
			id: `inpay_${String(inv.id).replace(/^in_/, '')}`,
			object: 'invoice_payment',
			amount_paid: inv.status === 'paid' ? inv.amount_due : null,
			amount_requested: inv.amount_due,
			created: inv.created,
			currency: inv.currency,
			invoice: inv.id,
			is_default: true,
			livemode: false,
			status: inv.status === 'paid' ? 'paid' : 'open',
		}));
	return { object: 'list', data, has_more: false, url: '/v1/invoice_payments' };
}

export const singletons: SingletonDef[] = [
	{ path: 'billing/credit_balance_summary', get: creditBalanceSummary },
	{ path: 'invoice_payments', get: invoicePayments },
	{
		path: 'balance',
		get: () => ({
			object: 'balance',
			available: [{ amount: 0, currency: 'usd', source_types: { card: 0 } }],
			connect_reserved: [{ amount: 0, currency: 'usd' }],
			livemode: false,
			pending: [{ amount: 0, currency: 'usd', source_types: { card: 0 } }],
		}),
	},
];

/** Converts declared integer/boolean fields from their form-string form. */
export function coerce(def: ResourceDef, params: FormObject): { [key: string]: unknown } {
	const out: { [key: string]: unknown } = { ...params };
	for (const k of def.integers ?? []) {
		const v = out[k];
		if (typeof v === 'string' && v !== '') {
			if (!/^-?\d+$/.test(v)) throw new ParamError(k, `Invalid integer: ${v}`, 'parameter_invalid_integer');
			out[k] = Number(v);
		}
	}
	for (const k of def.decimals ?? []) {
		const v = out[k];
		if (typeof v === 'string' && v !== '') {
			if (!/^-?\d+(\.\d+)?$/.test(v)) throw new ParamError(k, `Invalid decimal: ${v}`, 'parameter_invalid_decimal');
			out[k] = Number(v);
		}
	}
	for (const k of def.booleans ?? []) {
		const v = out[k];
		if (typeof v === 'string' && v !== '') {
			if (v !== 'true' && v !== 'false') throw new ParamError(k, `Invalid boolean: ${v}`, 'parameter_invalid_boolean');
			out[k] = v === 'true';
		}
	}
	return out;
}

export class ParamError extends Error {
	constructor(
		public param: string,
		message: string,
		public code = 'parameter_invalid',
	) {
		super(message);
	}
}

export type { FormValue };
