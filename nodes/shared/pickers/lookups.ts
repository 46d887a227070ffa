/**
 * Dynamic choices shared by every family node: a searchable, paged list for every kind of picker
 * (locators.ts `KINDS`), generated from `LOOKUPS`, and Stripe's event types for event-type fields.
 */
import type { IDataObject, ILoadOptionsFunctions, INodeListSearchItems, INodeListSearchResult, INodePropertyOptions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { SNAPSHOT_EVENT_TYPES, THIN_EVENT_TYPES } from '../../../generated/event-types';
import { callStripe } from '../client/client';
import { decimalsOf } from '../model/currencies';
import { unwrapLocator } from './kinds';
import { interpolatePath } from '../client/encoding';
import type { LocatorKind } from './kinds';
import { KINDS, searchMethodName } from './kinds';
import { readPage, resumeParams, resumeToken } from '../client/pager';
import type { StripeSettings } from '../client/transport';
import { getStripeSettings } from '../client/transport';

interface Lookup {
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
function searchString(text: string): string {
	return `"${text.replace(/["\\]/g, '\\$&')}"`;
}

function includes(values: unknown[], text: string): boolean {
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

function join(...parts: unknown[]): string {
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
function customerText(customer: unknown): string {
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

function obj(v: unknown): IDataObject {
	return v && typeof v === 'object' ? (v as IDataObject) : {};
}

/** An exact search clause for a pasted ID of one of these prefixes, e.g. `customer:"cus_…"`. */
function idClause(text: string, fields: Record<string, string>): string | undefined {
	for (const [prefix, field] of Object.entries(fields)) if (text.startsWith(prefix) && /^[A-Za-z0-9_]+$/.test(text)) return `${field}:${searchString(text)}`;
	return undefined;
}

export const LOOKUPS: Record<LocatorKind, Lookup> = {
	customer: {
		search: { path: '/v1/customers/search', query: (t) => `email~${searchString(t)} OR name~${searchString(t)} OR phone~${searchString(t)}` },
		dashboard: 'customers',
		label: (o) => `${String(o.name || o.email || o.id)}${o.name && o.email ? ` <${String(o.email)}>` : ''}`,
	},
	product: {
		search: { path: '/v1/products/search', query: (t) => `name~${searchString(t)}` },
		dashboard: 'products',
		label: (o) => String(o.name || o.id),
	},
	price: {
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
			const found = await callStripe(
				ctx,
				settings,
				{ method: 'GET', path: '/v1/products/search', params: { query: `name~${searchString(text)}`, limit: 10 }, apiMode: 'v1' },
				'throw',
			);
			const ids = readPage(found.body, { kind: 'search', where: () => 'GET /v1/products/search' }, 1).rows.map((p) => String(p.id));
			return ids.length ? ids.map((id) => `product:${searchString(id)}`).join(' OR ') : undefined;
		},
		label: priceLabel,
		matchesFilter: (o, t) => includes([o.id, o.nickname, o.lookup_key, o.product, obj(o.product).name, priceLabel(o)], t),
	},
	meter: {
		dashboard: 'meters',
		label: (o) => `${String(o.display_name || o.id)} (${String(o.event_name ?? '')})`,
		matchesFilter: (o, t) => includes([o.id, o.display_name, o.event_name], t),
	},
	subscription: {
		// Stripe's subscription search has no field for a typed name; a customer's subscriptions are its list.
		byCustomer: 'optional',
		dashboard: 'subscriptions',
		// The customer's name and email for the label (`expand: ['data.customer']`).
		listParams: () => ({ expand: ['data.customer'] }),
		label: (o) => join(customerText(o.customer) || String(o.id), o.status, plan(o)),
		matchesFilter: (o, t) => includes([o.id, obj(o.customer).id, o.customer, obj(o.customer).name, obj(o.customer).email, plan(o)], t),
	},
	subscription_item: {
		// Listed per subscription (Stripe's list needs one): the node's subscription, else every subscription's items.
		listParams: () => ({ expand: ['data.price.product'] }),
		label: (o) => join(priceLabel(obj(o.price)), typeof o.quantity === 'number' ? `quantity ${o.quantity}` : ''),
	},
	subscription_schedule: {
		byCustomer: 'optional',
		dashboard: 'subscription_schedules',
		label: (o) => join(who(o.customer) || String(o.id), o.status),
	},
	invoice: {
		byCustomer: 'optional',
		search: {
			path: '/v1/invoices/search',
			query: (t) => idClause(t, { cus_: 'customer', sub_: 'subscription' }) ?? (/^[A-Z0-9]+-\d+$/i.test(t) ? `number:${searchString(t)}` : undefined),
		},
		dashboard: 'invoices',
		label: (o) => join(String(o.number || o.id), `${money(o.amount_due, o.currency)} due`, o.status, who(o.customer, o.customer_name, o.customer_email)),
	},
	invoice_item: {
		byCustomer: 'optional',
		dashboard: 'invoiceitems',
		// Whose item it is: the customer's name or email (`expand: ['data.customer']`).
		listParams: () => ({ expand: ['data.customer'] }),
		label: (o) => join(String(o.description || o.id), money(o.amount, o.currency), customerText(o.customer)),
	},
	credit_note: {
		byCustomer: 'optional',
		dashboard: 'credit_notes',
		label: (o) => join(String(o.number || o.id), money(o.total, o.currency), o.status),
	},
	quote: {
		byCustomer: 'optional',
		dashboard: 'quotes',
		label: (o) => join(String(o.number || o.id), money(o.amount_total, o.currency), o.status, who(o.customer)),
	},
	payment_method: {
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
		byCustomer: 'optional',
		search: { path: '/v1/payment_intents/search', query: (t) => idClause(t, { cus_: 'customer' }) ?? (/^\d+$/.test(t) ? `amount:${t}` : undefined) },
		dashboard: 'payments',
		label: (o) => join(money(o.amount, o.currency), o.status, o.description),
	},
	setup_intent: {
		byCustomer: 'optional',
		dashboard: 'setup_intents',
		label: (o) => join(String(o.id), o.status, ((o.payment_method_types as string[] | undefined) ?? []).join(', ')),
	},
	charge: {
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
		dashboard: 'refunds',
		label: (o) => join(money(o.amount, o.currency), o.status, o.reason),
	},
	dispute: {
		dashboard: 'disputes',
		label: (o) => join(money(o.amount, o.currency), o.reason, o.status),
	},
	coupon: {
		dashboard: 'coupons',
		label: (o) => {
			const off = typeof o.percent_off === 'number' ? `${o.percent_off}% off` : o.amount_off ? `${money(o.amount_off, o.currency)} off` : '';
			return join(String(o.name || o.id), off);
		},
	},
	promotion_code: {
		byCustomer: 'optional',
		dashboard: 'promotion_codes',
		label: (o) => join(String(o.code || o.id), obj(o.coupon).name),
	},
	tax_rate: {
		dashboard: 'tax-rates',
		label: (o) =>
			join(
				String(o.display_name || o.id),
				typeof o.percentage === 'number' ? `${o.percentage}%${o.inclusive ? ' incl.' : ''}` : '',
				o.jurisdiction || o.country,
			),
	},
	shipping_rate: {
		dashboard: 'shipping-rates',
		label: (o) => join(String(o.display_name || o.id), money(obj(o.fixed_amount).amount, obj(o.fixed_amount).currency)),
	},
	plan: {
		dashboard: 'plans',
		label: (o) => join(String(o.nickname || o.id), typeof o.amount === 'number' ? `${money(o.amount, o.currency)} / ${String(o.interval ?? '')}` : ''),
	},
	account: {
		dashboard: 'connect/accounts',
		label: (o) => String(obj(o.business_profile).name || obj(obj(o.settings).dashboard).display_name || o.email || o.id),
	},
	transfer: {
		dashboard: 'connect/transfers',
		label: (o) => join(money(o.amount, o.currency), o.destination ? `to ${String(o.destination)}` : '', o.description),
	},
	payout: {
		dashboard: 'payouts',
		label: (o) => join(money(o.amount, o.currency), o.status, date(o.arrival_date)),
	},
	test_clock: {
		dashboard: 'test-clocks',
		label: (o) => join(String(o.name || o.id), date(o.frozen_time) && `${date(o.frozen_time)} UTC`),
	},
	credit_grant: {
		byCustomer: 'optional',
		label: (o) => {
			const m = obj(obj(o.amount).monetary);
			return join(String(o.name || o.id), money(m.value, m.currency), who(o.customer));
		},
	},
	checkout_session: {
		byCustomer: 'optional',
		// Whom it is for first (the email the customer gave), then the amount, mode and status; the ID without an email.
		label: (o) => join(String(obj(o.customer_details).email || o.id), money(o.amount_total, o.currency), o.mode, o.status),
	},
	payment_link: {
		dashboard: 'payment-links',
		label: (o) => join(String(o.url || o.id), o.active === false ? 'inactive' : ''),
	},
	file: {
		dashboard: 'files',
		label: (o) => join(String(o.filename || o.id), o.purpose),
	},
	webhook_endpoint: {
		dashboard: 'webhooks',
		label: (o) => join(String(o.url || o.id), o.status),
	},
};

/** The value of a node field as a plain string (a resource locator's `value`), or '' when it is empty or not resolved. */
function fieldText(value: unknown): string {
	const v = unwrapLocator(value);
	return typeof v === 'string' && !v.startsWith('=') ? v.trim() : '';
}

/**
 * The customer filled in on the node: the picker's sibling `customer` (same collection), then the top-level
 * field (a required parameter or path parameter, `customerId` when a body field of that name exists), then
 * Additional Fields. n8n hands a list search the node's current parameters, expressions resolved (n8n-core
 * LoadOptionsContext.getCurrentNodeParameter; `&name` is a sibling of the parameter the list is for).
 */
function nodeCustomer(ctx: ILoadOptionsFunctions): string {
	return firstNodeText(ctx, ['&customer', 'customer', 'customerId', 'additionalFields.customer']);
}

/** The first of these node parameters that holds an ID (a picker's or a text field's value), or ''. */
function firstNodeText(ctx: ILoadOptionsFunctions, paths: string[]): string {
	for (const path of paths) {
		let text = '';
		try {
			text = fieldText(ctx.getCurrentNodeParameter(path));
		} catch {
			text = '';
		}
		if (text) return text;
	}
	return '';
}

async function searchObjects(ctx: ILoadOptionsFunctions, kind: LocatorKind, filter?: string, paginationToken?: string): Promise<INodeListSearchResult> {
	const lookup = LOOKUPS[kind];
	const customer = lookup.byCustomer ? nodeCustomer(ctx) : '';
	if (lookup.byCustomer === 'required' && !customer) {
		throw new NodeOperationError(ctx.getNode(), `Stripe lists ${KINDS[kind].label.toLowerCase()}s per customer: fill in the Customer field first`);
	}
	const settings = await getStripeSettings(ctx);
	const text = filter?.trim() ?? '';
	if (kind === 'subscription_item') return searchSubscriptionItems(ctx, settings, text, paginationToken);
	// A customer's list is filtered by the list's own customer filter (search cannot mix it with OR clauses).
	let query: string | undefined;
	if (text && !customer && lookup.searchBy) query = await lookup.searchBy(ctx, text, settings);
	else if (text && !customer && lookup.search) query = lookup.search.query(text);
	const searching = query !== undefined;
	const { expand, ...only } = lookup.listParams?.(ctx) ?? {};
	let path: string;
	const params: Record<string, unknown> = { limit: 100 };
	if (searching) {
		path = lookup.searchBy ? `${KINDS[kind].paths[0]}/search` : lookup.search!.path;
		Object.assign(params, { query }, resumeParams('search', paginationToken));
	} else {
		const listPath = lookup.listPath ?? KINDS[kind].paths[0];
		path = listPath.includes('{customer}') ? interpolatePath(listPath, { customer }) : listPath;
		if (customer && !listPath.includes('{customer}')) params.customer = customer;
		// A list's filters (a price's `type`); a search has no such parameters: its rows are filtered below.
		Object.assign(params, only, resumeParams('list', paginationToken));
	}
	if (expand) params.expand = expand;
	const body = (await callStripe(ctx, settings, { method: 'GET', path, params, apiMode: 'v1' }, 'throw')).body;
	const { rows, next: step } = readPage(body, { kind: searching ? 'search' : 'list', where: () => `GET ${path}` }, 1);
	const matches = lookup.matchesFilter ?? ((o: IDataObject, t: string) => includes([o.id, lookup.label(o)], t));
	let shown = text && !searching ? rows.filter((o) => matches(o, text)) : rows;
	if (searching) shown = shown.filter((o) => Object.entries(only).every(([k, v]) => o[k] === v));
	return { results: shown.map((o) => item(lookup, o)), paginationToken: resumeToken(step) };
}

function item(lookup: Lookup, o: IDataObject, name = lookup.label(o)): INodeListSearchItems {
	return { name, value: String(o.id), ...(lookup.dashboard ? { url: `https://dashboard.stripe.com/${lookup.dashboard}/${String(o.id)}` } : {}) };
}

/** The subscription filled in on the node: an update's or cancel's path field, or a `subscription` field. */
function nodeSubscription(ctx: ILoadOptionsFunctions): string {
	return firstNodeText(ctx, ['subscription_exposed_id', 'subscription', 'additionalFields.subscription']);
}

/**
 * Subscription items: Stripe lists them per subscription. With a subscription in the node, its items, each
 * with its price's product (`expand: ['data.price.product']`); without one, the items of every subscription,
 * each after its customer (`expand: ['data.customer']` on the subscriptions; the product stays unexpanded, as
 * Stripe expands four levels at most).
 */
async function searchSubscriptionItems(
	ctx: ILoadOptionsFunctions,
	settings: StripeSettings,
	text: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const lookup = LOOKUPS.subscription_item;
	const subscription = nodeSubscription(ctx);
	const path = subscription ? '/v1/subscription_items' : '/v1/subscriptions';
	const params: Record<string, unknown> = subscription
		? { subscription, limit: 100, expand: ['data.price.product'] }
		: { limit: 100, expand: ['data.customer'] };
	Object.assign(params, resumeParams('list', paginationToken));
	const body = (await callStripe(ctx, settings, { method: 'GET', path, params, apiMode: 'v1' }, 'throw')).body;
	const { rows, next: step } = readPage(body, { kind: 'list', where: () => `GET ${path}` }, 1);
	const items = subscription
		? rows.map((o) => item(lookup, o))
		: rows.flatMap((sub) =>
				((obj(sub.items).data as IDataObject[] | undefined) ?? []).map((o) =>
					item(lookup, o, join(customerText(sub.customer) || String(sub.id), lookup.label(o))),
				),
			);
	const shown = text ? items.filter((i) => includes([i.name, i.value], text)) : items;
	return { results: shown, paginationToken: resumeToken(step) };
}

type ListSearch = (this: ILoadOptionsFunctions, filter?: string, paginationToken?: string) => Promise<INodeListSearchResult>;

/** One list search per kind, named as the locator fields ask for it (`searchPaymentIntents`). */
function listSearchMethods(): Record<string, ListSearch> {
	const out: Record<string, ListSearch> = {};
	for (const kind of Object.keys(LOOKUPS) as LocatorKind[]) {
		out[searchMethodName(kind)] = async function (this: ILoadOptionsFunctions, filter?: string, paginationToken?: string) {
			return searchObjects(this, kind, filter, paginationToken);
		};
	}
	return out;
}

/**
 * The event-type choices of every event field (a webhook endpoint's enabled events, the trigger's events): the
 * types from the SDK's typings (generated/event-types.ts), optionally after "All Events (*)".
 */
export function eventTypeOptions(types: string[], opts: { all?: boolean; suffix?: string } = {}): INodePropertyOptions[] {
	return [...(opts.all ? [{ name: 'All Events (*)', value: '*' }] : []), ...types.map((t) => ({ name: `${t}${opts.suffix ?? ''}`, value: t }))];
}

export const familyMethods = {
	listSearch: listSearchMethods(),
	loadOptions: {
		/** Every event type: `*`, the v1 (snapshot) types and the thin v2 types. */
		async getEventTypes(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
			return [...eventTypeOptions(SNAPSHOT_EVENT_TYPES, { all: true }), ...eventTypeOptions(THIN_EVENT_TYPES, { suffix: ' (thin)' })];
		},
	},
};
