/**
 * Dynamic choices shared by every family node: a searchable, paged list for every kind of object users pick
 * (objects.ts `OBJECTS`, one list search each), and Stripe's event types for event-type fields.
 */
import type { IDataObject, ILoadOptionsFunctions, INodeListSearchItems, INodeListSearchResult, INodePropertyOptions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { SNAPSHOT_EVENT_TYPES, THIN_EVENT_TYPES } from '../../../generated/event-types';
import { interpolatePath } from '../client/encoding';
import { readOnePage } from '../client/pager';
import type { StripeSettings } from '../client/transport';
import { getStripeSettings } from '../client/transport';
import { searchMethodName, unwrapLocator } from './kinds';
import type { LocatorKind, PickerObject } from './objects';
import { customerText, includes, join, obj, OBJECTS } from './objects';

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
	const lookup: PickerObject = OBJECTS[kind];
	const customer = lookup.byCustomer ? nodeCustomer(ctx) : '';
	if (lookup.byCustomer === 'required' && !customer) {
		throw new NodeOperationError(ctx.getNode(), `Stripe lists ${OBJECTS[kind].name.toLowerCase()}s per customer: fill in the Customer field first`);
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
		path = lookup.searchBy ? `${OBJECTS[kind].paths[0]}/search` : lookup.search!.path;
		params.query = query;
	} else {
		const listPath = lookup.listPath ?? OBJECTS[kind].paths[0];
		path = listPath.includes('{customer}') ? interpolatePath(listPath, { customer }) : listPath;
		if (customer && !listPath.includes('{customer}')) params.customer = customer;
		// A list's filters (a price's `type`); a search has no such parameters: its rows are filtered below.
		Object.assign(params, only);
	}
	if (expand) params.expand = expand;
	const read = { kind: searching ? 'search' : 'list', where: () => `GET ${path}` } as const;
	const { rows, token } = await readOnePage(ctx, settings, { method: 'GET', path, params, apiMode: 'v1' }, read, paginationToken);
	const matches = lookup.matchesFilter ?? ((o: IDataObject, t: string) => includes([o.id, lookup.label(o)], t));
	let shown = text && !searching ? rows.filter((o) => matches(o, text)) : rows;
	if (searching) shown = shown.filter((o) => Object.entries(only).every(([k, v]) => o[k] === v));
	return { results: shown.map((o) => item(lookup, o)), paginationToken: token };
}

function item(lookup: PickerObject, o: IDataObject, name = lookup.label(o)): INodeListSearchItems {
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
	const lookup: PickerObject = OBJECTS.subscription_item;
	const subscription = nodeSubscription(ctx);
	const path = subscription ? '/v1/subscription_items' : '/v1/subscriptions';
	const params: Record<string, unknown> = subscription
		? { subscription, limit: 100, expand: ['data.price.product'] }
		: { limit: 100, expand: ['data.customer'] };
	const { rows, token } = await readOnePage(
		ctx,
		settings,
		{ method: 'GET', path, params, apiMode: 'v1' },
		{ kind: 'list', where: () => `GET ${path}` },
		paginationToken,
	);
	const items = subscription
		? rows.map((o) => item(lookup, o))
		: rows.flatMap((sub) =>
				((obj(sub.items).data as IDataObject[] | undefined) ?? []).map((o) =>
					item(lookup, o, join(customerText(sub.customer) || String(sub.id), lookup.label(o))),
				),
			);
	const shown = text ? items.filter((i) => includes([i.name, i.value], text)) : items;
	return { results: shown, paginationToken: token };
}

type ListSearch = (this: ILoadOptionsFunctions, filter?: string, paginationToken?: string) => Promise<INodeListSearchResult>;

/** One list search per kind, named as the locator fields ask for it (`searchPaymentIntents`). */
function listSearchMethods(): Record<string, ListSearch> {
	const out: Record<string, ListSearch> = {};
	for (const kind of Object.keys(OBJECTS) as LocatorKind[]) {
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
