/**
 * The objects users pick from a searchable, paged list (n8n resource locators), one entry per kind of object:
 * what it is called, its ID's placeholder, the collection paths it lives at, and how it is listed, searched
 * and labelled. kinds.ts maps parameters to these kinds; lookups.ts runs the list searches.
 */
import type { IDataObject, ILoadOptionsFunctions } from 'n8n-workflow';

import { readOnePage } from '../client/pager';
import type { StripeSettings } from '../client/transport';
import { decimalsOf } from '../model/currencies';

export interface PickerObject {
	/** What the object is called: "Payment Intent". */
	name: string;
	/** The ID field's placeholder: "pi_…". */
	placeholder: string;
	/** The collection paths whose `/{placeholder}` names one of these objects; the first one is the list. */
	paths: string[];
	/** Operation paths whose path parameter is not picked from the list (the list cannot have that object). */
	except?: string[];
	/** Search endpoint, and the query for a filter text (undefined: this text is filtered on the list's page). */
	search?: { path: string; query: (text: string) => string | undefined };
	/** More list (and search) parameters, from the node: `expand` for the label, a filter the operation needs. */
	listParams?: (ctx: ILoadOptionsFunctions) => Record<string, unknown>;
	/** Search another way for a text: prices by their product's name (a search of products, then of their prices). */
	searchBy?: (ctx: ILoadOptionsFunctions, text: string, settings: StripeSettings) => Promise<string | undefined>;
	/**
	 * The list of the customer filled in on the node (its `customer` field): `required` (payment methods: Stripe
	 * lists them per customer, `listPath` with `{customer}`), or `optional` (the list's `customer` filter).
	 */
	byCustomer?: 'required' | 'optional';
	/** The list's path when it is not the kind's first collection path. */
	listPath?: string;
	/** Dashboard path for links (`https://dashboard.stripe.com/<dashboard>/<id>`). */
	dashboard?: string;
	label: (o: IDataObject) => string;
	/** Client-side match when there is no search for the text (default: the label and the ID). */
	matchesFilter?: (o: IDataObject, text: string) => boolean;
}
/** Stripe's search query language wants quotes and backslashes escaped inside strings. */
export function searchString(text: string): string {
	return `"${text.replace(/["\\]/g, '\\$&')}"`;
}

export function includes(values: unknown[], text: string): boolean {
	const t = text.toLowerCase();
	return values.some((v) => typeof v === 'string' && v.toLowerCase().includes(t));
}

/** An amount in minor units as people read it: `1234, 'usd'` → `12.34 USD`. */
export function money(amount: unknown, currency: unknown): string {
	if (typeof amount !== 'number') return '';
	const cur = String(currency ?? '').toLowerCase();
	const digits = decimalsOf(cur);
	return `${(amount / 10 ** digits).toFixed(digits)} ${cur.toUpperCase()}`.trim();
}

export function join(...parts: unknown[]): string {
	return parts.filter((p) => typeof p === 'string' && p !== '').join(' · ');
}

/** How often a recurring price (or plan) bills: "/ month", "every 3 months". */
function interval(recurring: IDataObject): string {
	const unit = typeof recurring.interval === 'string' ? recurring.interval : '';
	if (!unit) return '';
	const count = typeof recurring.interval_count === 'number' ? recurring.interval_count : 1;
	return count > 1 ? `every ${count} ${unit}s` : `/ ${unit}`;
}

/**
 * A price as people recognise it: its product's name (when the list expanded it), the amount with currency and
 * the interval — "Hoodie — 25.00 USD / month"; the nickname after the product name; "Hoodie — tiered" when it
 * has no unit amount.
 */
export function priceLabel(o: IDataObject): string {
	const product = obj(o.product);
	const name = [product.name, o.nickname].filter((x) => typeof x === 'string' && x !== '').join(' · ') || String(o.lookup_key || o.id);
	const amount =
		typeof o.unit_amount === 'number'
			? money(o.unit_amount, o.currency)
			: typeof o.unit_amount_decimal === 'string'
				? `${o.unit_amount_decimal} ${String(o.currency ?? '').toUpperCase()} (minor units)`
				: o.billing_scheme === 'tiered'
					? 'tiered'
					: o.custom_unit_amount
						? 'customer chooses'
						: '';
	const every = interval(obj(o.recurring));
	return `${name}${amount ? ` — ${amount}` : ''}${every ? ` ${every}` : ''}`;
}

/**
 * Which prices an operation takes: a subscription's items, a subscription item and a schedule's phases only
 * recurring prices; an invoice item and a checkout session in payment mode only one-time prices (Stripe refuses
 * the others). Read from the node's Resource, Operation and Mode.
 */
function priceType(ctx: ILoadOptionsFunctions): 'recurring' | 'one_time' | undefined {
	const param = (name: string) => {
		try {
			return String(ctx.getCurrentNodeParameter(name) ?? '');
		} catch {
			return '';
		}
	};
	const resource = param('resource');
	if (['subscription', 'subscriptionItem', 'subscriptionSchedule'].includes(resource)) return 'recurring';
	if (resource === 'invoiceItem') return 'one_time';
	if (resource === 'session' && param('mode') === 'payment') return 'one_time';
	return undefined;
}

/** A customer (an ID, or an expanded object) as a short text. */
function who(customer: unknown, name?: unknown, email?: unknown): string {
	if (customer && typeof customer === 'object') {
		const c = customer as IDataObject;
		return String(c.name || c.email || c.id || '');
	}
	return String(name || email || customer || '');
}

/** A customer as "Ada Lovelace <ada@example.com>" (expanded), or its ID. */
export function customerText(customer: unknown): string {
	const c = obj(customer);
	if (!c.id) return typeof customer === 'string' ? customer : '';
	const name = String(c.name || c.email || c.id);
	return c.name && c.email ? `${name} <${String(c.email)}>` : name;
}

/** A subscription's plan: its first item's price ("Pro — 25.00 USD / month"), and how many more items it has. */
function plan(o: IDataObject): string {
	const items = (obj(o.items).data as IDataObject[] | undefined) ?? [];
	if (!items.length) return '';
	const first = obj(items[0]);
	const price = obj(first.price);
	const text = price.id ? priceLabel(price) : String(obj(first.plan).nickname || obj(first.plan).id || '');
	const qty = typeof first.quantity === 'number' && first.quantity !== 1 ? ` × ${first.quantity}` : '';
	return `${text}${qty}${items.length > 1 ? ` + ${items.length - 1} more` : ''}`;
}

function date(seconds: unknown): string {
	return typeof seconds === 'number' ? new Date(seconds * 1000).toISOString().slice(0, 16).replace('T', ' ') : '';
}

export function obj(v: unknown): IDataObject {
	return v && typeof v === 'object' ? (v as IDataObject) : {};
}

/** An exact search clause for a pasted ID of one of these prefixes, e.g. `customer:"cus_…"`. */
function idClause(text: string, fields: Record<string, string>): string | undefined {
	for (const [prefix, field] of Object.entries(fields)) if (text.startsWith(prefix) && /^[A-Za-z0-9_]+$/.test(text)) return `${field}:${searchString(text)}`;
	return undefined;
}
export const OBJECTS = {
	customer: {
		name: 'Customer',
		placeholder: 'cus_…',
		paths: ['/v1/customers'],
		search: { path: '/v1/customers/search', query: (t) => `email~${searchString(t)} OR name~${searchString(t)} OR phone~${searchString(t)}` },
		dashboard: 'customers',
		label: (o) => `${String(o.name || o.email || o.id)}${o.name && o.email ? ` <${String(o.email)}>` : ''}`,
	},
	product: {
		name: 'Product',
		placeholder: 'prod_…',
		paths: ['/v1/products'],
		search: { path: '/v1/products/search', query: (t) => `name~${searchString(t)}` },
		dashboard: 'products',
		label: (o) => String(o.name || o.id),
	},
	price: {
		name: 'Price',
		placeholder: 'price_…',
		paths: ['/v1/prices'],
		dashboard: 'prices',
		// The product's name for the label (stripe-node: `expand: ['data.product']`), and only the prices the operation takes.
		listParams: (ctx) => {
			const type = priceType(ctx);
			return { expand: ['data.product'], ...(type ? { type } : {}) };
		},
		// A text is a product's name: Stripe's price search has no name field, so the products are found first.
		searchBy: async (ctx, text, settings) => {
			if (/^price_[A-Za-z0-9]+$/.test(text)) return undefined; // a price's ID: matched on the list's pages
			if (/^prod_[A-Za-z0-9]+$/.test(text)) return `product:${searchString(text)}`;
			const found = await readOnePage(
				ctx,
				settings,
				{ method: 'GET', path: '/v1/products/search', params: { query: `name~${searchString(text)}`, limit: 10 }, apiMode: 'v1' },
				{ kind: 'search', where: () => 'GET /v1/products/search' },
			);
			const ids = found.rows.map((p) => String(p.id));
			return ids.length ? ids.map((id) => `product:${searchString(id)}`).join(' OR ') : undefined;
		},
		label: priceLabel,
		matchesFilter: (o, t) => includes([o.id, o.nickname, o.lookup_key, o.product, obj(o.product).name, priceLabel(o)], t),
	},
	meter: {
		name: 'Meter',
		placeholder: 'mtr_…',
		paths: ['/v1/billing/meters'],
		dashboard: 'meters',
		label: (o) => `${String(o.display_name || o.id)} (${String(o.event_name ?? '')})`,
		matchesFilter: (o, t) => includes([o.id, o.display_name, o.event_name], t),
	},
	subscription: {
		name: 'Subscription',
		placeholder: 'sub_…',
		paths: ['/v1/subscriptions'],
		// Stripe's subscription search has no field for a typed name; a customer's subscriptions are its list.
		byCustomer: 'optional',
		dashboard: 'subscriptions',
		// The customer's name and email for the label (`expand: ['data.customer']`).
		listParams: () => ({ expand: ['data.customer'] }),
		label: (o) => join(customerText(o.customer) || String(o.id), o.status, plan(o)),
		matchesFilter: (o, t) => includes([o.id, obj(o.customer).id, o.customer, obj(o.customer).name, obj(o.customer).email, plan(o)], t),
	},
	subscription_item: {
		name: 'Subscription Item',
		placeholder: 'si_…',
		paths: ['/v1/subscription_items'],
		// Listed per subscription (Stripe's list needs one): the node's subscription, else every subscription's items.
		listParams: () => ({ expand: ['data.price.product'] }),
		label: (o) => join(priceLabel(obj(o.price)), typeof o.quantity === 'number' ? `quantity ${o.quantity}` : ''),
	},
	subscription_schedule: {
		name: 'Subscription Schedule',
		placeholder: 'sub_sched_…',
		paths: ['/v1/subscription_schedules'],
		byCustomer: 'optional',
		dashboard: 'subscription_schedules',
		label: (o) => join(who(o.customer) || String(o.id), o.status),
	},
	invoice: {
		name: 'Invoice',
		placeholder: 'in_…',
		paths: ['/v1/invoices'],
		byCustomer: 'optional',
		search: {
			path: '/v1/invoices/search',
			query: (t) => idClause(t, { cus_: 'customer', sub_: 'subscription' }) ?? (/^[A-Z0-9]+-\d+$/i.test(t) ? `number:${searchString(t)}` : undefined),
		},
		dashboard: 'invoices',
		label: (o) => join(String(o.number || o.id), `${money(o.amount_due, o.currency)} due`, o.status, who(o.customer, o.customer_name, o.customer_email)),
	},
	invoice_item: {
		name: 'Invoice Item',
		placeholder: 'ii_…',
		paths: ['/v1/invoiceitems'],
		byCustomer: 'optional',
		dashboard: 'invoiceitems',
		// Whose item it is: the customer's name or email (`expand: ['data.customer']`).
		listParams: () => ({ expand: ['data.customer'] }),
		label: (o) => join(String(o.description || o.id), money(o.amount, o.currency), customerText(o.customer)),
	},
	credit_note: {
		name: 'Credit Note',
		placeholder: 'cn_…',
		paths: ['/v1/credit_notes'],
		byCustomer: 'optional',
		dashboard: 'credit_notes',
		label: (o) => join(String(o.number || o.id), money(o.total, o.currency), o.status),
	},
	quote: {
		name: 'Quote',
		placeholder: 'qt_…',
		paths: ['/v1/quotes'],
		byCustomer: 'optional',
		dashboard: 'quotes',
		label: (o) => join(String(o.number || o.id), money(o.amount_total, o.currency), o.status, who(o.customer)),
	},
	payment_method: {
		// Attaching: the payment method is not a customer's yet, and only a customer's can be listed.
		name: 'Payment Method',
		placeholder: 'pm_…',
		paths: ['/v1/payment_methods', '/v1/customers/{customer}/payment_methods'],
		except: ['/v1/payment_methods/{payment_method}/attach'],
		byCustomer: 'required',
		listPath: '/v1/customers/{customer}/payment_methods',
		label: (o) => {
			const card = obj(o.card);
			const kind = card.brand ? `${String(card.brand)} •••• ${String(card.last4 ?? '')}` : String(o.type ?? '');
			const expiry = card.exp_month ? `${String(card.exp_month)}/${String(card.exp_year ?? '')}` : '';
			return join(kind || String(o.id), expiry, obj(o.billing_details).name);
		},
	},
	payment_intent: {
		name: 'Payment Intent',
		placeholder: 'pi_…',
		paths: ['/v1/payment_intents'],
		byCustomer: 'optional',
		search: { path: '/v1/payment_intents/search', query: (t) => idClause(t, { cus_: 'customer' }) ?? (/^\d+$/.test(t) ? `amount:${t}` : undefined) },
		dashboard: 'payments',
		label: (o) => join(money(o.amount, o.currency), o.status, o.description),
	},
	setup_intent: {
		name: 'Setup Intent',
		placeholder: 'seti_…',
		paths: ['/v1/setup_intents'],
		byCustomer: 'optional',
		dashboard: 'setup_intents',
		label: (o) => join(String(o.id), o.status, ((o.payment_method_types as string[] | undefined) ?? []).join(', ')),
	},
	charge: {
		name: 'Charge',
		placeholder: 'ch_…',
		paths: ['/v1/charges'],
		byCustomer: 'optional',
		search: {
			path: '/v1/charges/search',
			query: (t) =>
				idClause(t, { cus_: 'customer', pi_: 'payment_intent' }) ??
				(/^\d{4}$/.test(t) ? `payment_method_details.card.last4:${searchString(t)} OR amount:${t}` : /^\d+$/.test(t) ? `amount:${t}` : undefined),
		},
		dashboard: 'payments',
		label: (o) => join(money(o.amount, o.currency), o.description || o.status),
	},
	refund: {
		name: 'Refund',
		placeholder: 're_…',
		paths: ['/v1/refunds'],
		dashboard: 'refunds',
		label: (o) => join(money(o.amount, o.currency), o.status, o.reason),
	},
	dispute: {
		name: 'Dispute',
		placeholder: 'dp_…',
		paths: ['/v1/disputes'],
		dashboard: 'disputes',
		label: (o) => join(money(o.amount, o.currency), o.reason, o.status),
	},
	coupon: {
		name: 'Coupon',
		placeholder: 'Coupon ID',
		paths: ['/v1/coupons'],
		dashboard: 'coupons',
		label: (o) => {
			const off = typeof o.percent_off === 'number' ? `${o.percent_off}% off` : o.amount_off ? `${money(o.amount_off, o.currency)} off` : '';
			return join(String(o.name || o.id), off);
		},
	},
	promotion_code: {
		name: 'Promotion Code',
		placeholder: 'promo_…',
		paths: ['/v1/promotion_codes'],
		byCustomer: 'optional',
		dashboard: 'promotion_codes',
		label: (o) => join(String(o.code || o.id), obj(o.coupon).name),
	},
	tax_rate: {
		name: 'Tax Rate',
		placeholder: 'txr_…',
		paths: ['/v1/tax_rates'],
		dashboard: 'tax-rates',
		label: (o) =>
			join(
				String(o.display_name || o.id),
				typeof o.percentage === 'number' ? `${o.percentage}%${o.inclusive ? ' incl.' : ''}` : '',
				o.jurisdiction || o.country,
			),
	},
	shipping_rate: {
		name: 'Shipping Rate',
		placeholder: 'shr_…',
		paths: ['/v1/shipping_rates'],
		dashboard: 'shipping-rates',
		label: (o) => join(String(o.display_name || o.id), money(obj(o.fixed_amount).amount, obj(o.fixed_amount).currency)),
	},
	plan: {
		name: 'Plan',
		placeholder: 'Plan ID',
		paths: ['/v1/plans'],
		dashboard: 'plans',
		label: (o) => join(String(o.nickname || o.id), typeof o.amount === 'number' ? `${money(o.amount, o.currency)} / ${String(o.interval ?? '')}` : ''),
	},
	account: {
		name: 'Account',
		placeholder: 'acct_…',
		paths: ['/v1/accounts'],
		dashboard: 'connect/accounts',
		label: (o) => String(obj(o.business_profile).name || obj(obj(o.settings).dashboard).display_name || o.email || o.id),
	},
	transfer: {
		name: 'Transfer',
		placeholder: 'tr_…',
		paths: ['/v1/transfers'],
		dashboard: 'connect/transfers',
		label: (o) => join(money(o.amount, o.currency), o.destination ? `to ${String(o.destination)}` : '', o.description),
	},
	payout: {
		name: 'Payout',
		placeholder: 'po_…',
		paths: ['/v1/payouts'],
		dashboard: 'payouts',
		label: (o) => join(money(o.amount, o.currency), o.status, date(o.arrival_date)),
	},
	test_clock: {
		name: 'Test Clock',
		placeholder: 'clock_…',
		paths: ['/v1/test_helpers/test_clocks'],
		dashboard: 'test-clocks',
		label: (o) => join(String(o.name || o.id), date(o.frozen_time) && `${date(o.frozen_time)} UTC`),
	},
	credit_grant: {
		name: 'Credit Grant',
		placeholder: 'credgr_…',
		paths: ['/v1/billing/credit_grants'],
		byCustomer: 'optional',
		label: (o) => {
			const m = obj(obj(o.amount).monetary);
			return join(String(o.name || o.id), money(m.value, m.currency), who(o.customer));
		},
	},
	checkout_session: {
		name: 'Checkout Session',
		placeholder: 'cs_…',
		paths: ['/v1/checkout/sessions'],
		byCustomer: 'optional',
		// Whom it is for first (the email the customer gave), then the amount, mode and status; the ID without an email.
		label: (o) => join(String(obj(o.customer_details).email || o.id), money(o.amount_total, o.currency), o.mode, o.status),
	},
	payment_link: {
		name: 'Payment Link',
		placeholder: 'plink_…',
		paths: ['/v1/payment_links'],
		dashboard: 'payment-links',
		label: (o) => join(String(o.url || o.id), o.active === false ? 'inactive' : ''),
	},
	file: {
		name: 'File',
		placeholder: 'file_…',
		paths: ['/v1/files'],
		dashboard: 'files',
		label: (o) => join(String(o.filename || o.id), o.purpose),
	},
	webhook_endpoint: {
		name: 'Webhook Endpoint',
		placeholder: 'we_…',
		paths: ['/v1/webhook_endpoints'],
		dashboard: 'webhooks',
		label: (o) => join(String(o.url || o.id), o.status),
	},
} satisfies Record<string, PickerObject>;

export type LocatorKind = keyof typeof OBJECTS;
