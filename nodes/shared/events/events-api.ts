/**
 * Reading Stripe's Events API, for both triggers: the polling trigger's polls and the webhook trigger's
 * catch-up. Requests go through the one client, pages through the one pager.
 */
import type { IDataObject } from 'n8n-workflow';

import { callStripe } from '../client/client';
import { readAll, readPages } from '../client/pager';
import type { StripeContext, StripeSettings } from '../client/transport';

/** Stripe lists events of the last 30 days (GET /v1/events, GET /v2/core/events). */
export const EVENT_RETENTION_SECONDS = 30 * 24 * 3600;
/** Stripe's `types` filter takes at most 20 event types; with more, the caller's filter applies. */
export const MAX_TYPES_FILTER = 20;

/** An event's `created` in unix seconds (v1: a number; v2: an ISO date). */
export function createdSeconds(event: IDataObject): number {
	const c = event.created;
	if (typeof c === 'number') return c;
	const ms = Date.parse(String(c));
	return Number.isFinite(ms) ? Math.floor(ms / 1000) : 0;
}

/** Every row of a v1 list (e.g. connected accounts, billing meters), all pages. */
export async function listAll(
	ctx: StripeContext,
	settings: StripeSettings,
	path: string,
	params: Record<string, unknown>,
	account?: string,
): Promise<IDataObject[]> {
	return readAll(
		ctx,
		settings,
		{ method: 'GET', path, params, apiMode: 'v1', stripeAccount: account },
		{
			kind: 'list',
			where: (n) => `GET ${path}${account ? ` (${account})` : ''}, page ${n}`,
		},
	);
}

export interface SnapshotEventRead {
	/** The selected types; `*` is every type. */
	types: string[];
	/** Unix seconds: events created at or after. */
	since: number;
	/** Unix seconds: events created at or before. */
	until?: number;
	/** A connected account (Stripe-Account); undefined: the credential's account. */
	account?: string;
	/** Page size (default 100). */
	limit?: number;
	/** Stop after the first page that has a selected event. */
	firstMatch?: boolean;
}

/**
 * Snapshot events of the selected types created in a window, as Stripe lists them (newest first), all pages.
 * With up to 20 types Stripe filters them (`types[]`); otherwise they are filtered here.
 */
export async function listSnapshotEvents(ctx: StripeContext, settings: StripeSettings, read: SnapshotEventRead): Promise<IDataObject[]> {
	const all = read.types.includes('*');
	const created: Record<string, number> = { gte: read.since };
	if (read.until !== undefined) created.lte = read.until;
	const params: Record<string, unknown> = { created, limit: read.limit ?? 100 };
	if (!all && read.types.length <= MAX_TYPES_FILTER) params.types = read.types;
	const out: IDataObject[] = [];
	const first = { method: 'GET', path: '/v1/events', params, apiMode: 'v1', stripeAccount: read.account } as const;
	const where = (n: number) => `GET /v1/events${read.account ? ` (${read.account})` : ''}, page ${n}`;
	for await (const rows of readPages(ctx, settings, first, { kind: 'list', where })) {
		out.push(...rows.filter((e) => all || read.types.includes(String(e.type))));
		if (read.firstMatch && out.length) break;
	}
	return out;
}

/** The account a thin event belongs to (its `context`); undefined: the credential's account. */
export function thinEventAccount(event: IDataObject): string | undefined {
	return typeof event.context === 'string' && event.context ? event.context : undefined;
}

/**
 * The object a thin event is about, fetched from its related object URL with the event's context as the account;
 * undefined when the event has no v1 related object.
 */
export async function fetchRelatedObject(ctx: StripeContext, settings: StripeSettings, event: IDataObject): Promise<IDataObject | undefined> {
	const related = (event.related_object ?? {}) as IDataObject;
	if (typeof related.url !== 'string' || !related.url.startsWith('/v1/')) return undefined;
	const obj = await callStripe(ctx, settings, { method: 'GET', path: related.url, apiMode: 'v1', stripeAccount: thinEventAccount(event) }, 'throw');
	return obj.body as IDataObject;
}
