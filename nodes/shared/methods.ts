/**
 * Dynamic choices shared by every family node: searchable, paged lists of customers, products, prices and
 * meters for resource locators, and Stripe's event types for event-type fields.
 */
import type { IDataObject, ILoadOptionsFunctions, INodeListSearchItems, INodeListSearchResult, INodePropertyOptions } from 'n8n-workflow';

import { SNAPSHOT_EVENT_TYPES, THIN_EVENT_TYPES } from '../../generated/event-types';
import { callStripe } from './client';
import { readPage, resumeParams, resumeToken } from './pager';
import { getStripeSettings } from './transport';

interface Lookup {
	/** List endpoint (paged by pager.ts). */
	listPath: string;
	/** Search endpoint and query for a filter text, when Stripe has one for this object. */
	search?: { path: string; query: (text: string) => string };
	/** Dashboard path for links. */
	dashboard: string;
	label: (o: IDataObject) => string;
	/** Client-side match when there is no search endpoint. */
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

export const LOOKUPS: Record<string, Lookup> = {
	customer: {
		listPath: '/v1/customers',
		search: { path: '/v1/customers/search', query: (t) => `email~${searchString(t)} OR name~${searchString(t)} OR phone~${searchString(t)}` },
		dashboard: 'customers',
		label: (o) => `${String(o.name || o.email || o.id)}${o.name && o.email ? ` <${String(o.email)}>` : ''}`,
	},
	product: {
		listPath: '/v1/products',
		search: { path: '/v1/products/search', query: (t) => `name~${searchString(t)}` },
		dashboard: 'products',
		label: (o) => String(o.name || o.id),
	},
	price: {
		listPath: '/v1/prices',
		dashboard: 'prices',
		label: (o) => {
			const amount = typeof o.unit_amount === 'number' ? `${o.unit_amount} ${String(o.currency ?? '').toUpperCase()}` : '';
			return [o.nickname || o.lookup_key || o.id, amount].filter(Boolean).join(' · ');
		},
		matchesFilter: (o, t) => includes([o.id, o.nickname, o.lookup_key, o.product], t),
	},
	meter: {
		listPath: '/v1/billing/meters',
		dashboard: 'meters',
		label: (o) => `${String(o.display_name || o.id)} (${String(o.event_name ?? '')})`,
		matchesFilter: (o, t) => includes([o.id, o.display_name, o.event_name], t),
	},
};

async function searchObjects(
	ctx: ILoadOptionsFunctions,
	kind: keyof typeof LOOKUPS,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const lookup = LOOKUPS[kind];
	const settings = await getStripeSettings(ctx);
	const text = filter?.trim() ?? '';
	const searching = Boolean(text && lookup.search);
	const path = searching ? lookup.search!.path : lookup.listPath;
	const params = searching
		? { query: lookup.search!.query(text), limit: 100, ...resumeParams('search', paginationToken) }
		: { limit: 100, ...resumeParams('list', paginationToken) };
	const body = (await callStripe(ctx, settings, { method: 'GET', path, params, apiMode: 'v1' }, 'throw')).body;
	const { rows, next: step } = readPage(body, { kind: searching ? 'search' : 'list', where: () => `GET ${path}` }, 1);
	const shown = text && !lookup.search && lookup.matchesFilter ? rows.filter((o) => lookup.matchesFilter!(o, text)) : rows;
	const results: INodeListSearchItems[] = shown.map((o) => ({
		name: lookup.label(o),
		value: String(o.id),
		url: `https://dashboard.stripe.com/${lookup.dashboard}/${String(o.id)}`,
	}));
	const next = resumeToken(step);
	return { results, paginationToken: next };
}

/**
 * The event-type choices of every event field (a webhook endpoint's enabled events, the trigger's events): the
 * types from the SDK's typings (generated/event-types.ts), optionally after "All Events (*)".
 */
export function eventTypeOptions(types: string[], opts: { all?: boolean; suffix?: string } = {}): INodePropertyOptions[] {
	return [...(opts.all ? [{ name: 'All Events (*)', value: '*' }] : []), ...types.map((t) => ({ name: `${t}${opts.suffix ?? ''}`, value: t }))];
}

export const familyMethods = {
	listSearch: {
		async searchCustomers(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string) {
			return searchObjects(this, 'customer', filter, paginationToken);
		},
		async searchProducts(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string) {
			return searchObjects(this, 'product', filter, paginationToken);
		},
		async searchPrices(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string) {
			return searchObjects(this, 'price', filter, paginationToken);
		},
		async searchMeters(this: ILoadOptionsFunctions, filter?: string, paginationToken?: string) {
			return searchObjects(this, 'meter', filter, paginationToken);
		},
	},
	loadOptions: {
		/** Every event type: `*`, the v1 (snapshot) types and the thin v2 types. */
		async getEventTypes(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
			return [...eventTypeOptions(SNAPSHOT_EVENT_TYPES, { all: true }), ...eventTypeOptions(THIN_EVENT_TYPES, { suffix: ' (thin)' })];
		},
	},
};
