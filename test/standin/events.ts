/**
 * Stripe events in the stand-in: the v1 (snapshot) events its own operations produce, thin (v2) events added by
 * tests, and the Events API that lists them as Stripe does (API version 2024-11-20.acacia, stripe@17.4.0):
 *
 *   GET /v1/events              newest first; limit (1-100, default 10), starting_after, ending_before,
 *                               created (number or gt/gte/lt/lte), type (one type, or a group with `*`, e.g.
 *                               `customer.*`), types[] (up to 20 exact types; not with type), delivery_success
 *                               (true: every destination got it; false: some delivery is still pending), expand
 *   GET /v1/events/:id          one event
 *   GET /v2/core/events         object_id (required in this API version: the events of one object), limit,
 *                               page → next_page_url / previous_page_url; newest first
 *   GET /v2/core/events/:id     one thin event
 *
 * Like Stripe, only the last 30 days are kept: older events are neither listed nor retrieved. The time comes
 * from the stand-in's clock, which tests can move (`setClock`), to simulate days of downtime.
 */
import { randomBytes } from 'node:crypto';

import type { FormObject } from './form';
import type { StripeObject } from './resources';

export const RETENTION_SECONDS = 30 * 24 * 3600;
export const API_VERSION = '2024-11-20.acacia';

export interface StoredEvent {
	seq: number;
	obj: StripeObject;
	/** Destinations that have not yet received the event (Stripe's pending_webhooks). */
	pending: Set<string>;
}

/** A snapshot destination that would receive an event: its ID and what it selects. */
export interface EventSink {
	id: string;
	payload: 'snapshot' | 'thin';
	enabledEvents: string[];
}

export class EventStore {
	v1: StoredEvent[] = [];
	v2: StoredEvent[] = [];
}

export class EventsApiError extends Error {
	constructor(
		public status: number,
		public code: string,
		message: string,
		public param?: string,
	) {
		super(message);
	}
}

const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
function randomId(n: number): string {
	const bytes = randomBytes(n);
	let s = '';
	for (let i = 0; i < n; i++) s += ALNUM[bytes[i] % ALNUM.length];
	return s;
}

/** Whether a destination's enabled events select this type (`*` selects every type). */
export function selects(enabled: string[], type: string): boolean {
	return enabled.includes('*') || enabled.includes(type);
}

export interface NewEvent {
	type: string;
	/** data.object (snapshot events). */
	object?: StripeObject;
	previous?: StripeObject;
	/** Unix seconds; default: the stand-in's clock. */
	created?: number;
	/** The connected account the event happened on ('' or undefined: the platform). */
	account?: string;
	request?: { id: string | null; idempotency_key: string | null };
}

/** Records a v1 snapshot event, as Stripe does after an operation. */
export function addSnapshotEvent(store: EventStore, seq: number, e: NewEvent & { created: number }, sinks: EventSink[]): StripeObject {
	const obj: StripeObject = {
		id: `evt_${randomId(24)}`,
		object: 'event',
		...(e.account ? { account: e.account } : {}),
		api_version: API_VERSION,
		created: e.created,
		data: { object: e.object ?? {}, ...(e.previous ? { previous_attributes: e.previous } : {}) },
		livemode: false,
		pending_webhooks: 0,
		request: e.request ?? { id: null, idempotency_key: null },
		type: e.type,
	};
	const pending = new Set(sinks.filter((d) => d.payload === 'snapshot' && selects(d.enabledEvents, e.type)).map((d) => d.id));
	obj.pending_webhooks = pending.size;
	store.v1.push({ seq, obj, pending });
	return obj;
}

export interface NewThinEvent {
	type: string;
	related_object?: { id: string; type: string; url: string } | null;
	created?: number;
	/** The connected account (thin events call it `context`). */
	account?: string;
	reason?: StripeObject | null;
	data?: StripeObject;
}

/** Records a v2 thin event. */
export function addThinEvent(store: EventStore, seq: number, e: NewThinEvent & { created: number }): StripeObject {
	const obj: StripeObject = {
		id: `evt_test_${randomId(44)}`,
		object: 'v2.core.event',
		context: e.account || null,
		created: new Date(e.created * 1000).toISOString(),
		livemode: false,
		reason: e.reason ?? null,
		related_object: e.related_object ?? null,
		type: e.type,
		...(e.data ? { data: e.data } : {}),
	};
	store.v2.push({ seq, obj, pending: new Set() });
	return obj;
}

/** A delivery of this event to this destination was answered 2xx: it is no longer pending for it. */
export function markDelivered(stores: EventStore[], eventId: string, destinationId: string): void {
	for (const store of stores) {
		for (const e of [...store.v1, ...store.v2]) {
			if (e.obj.id === eventId && e.pending.delete(destinationId)) e.obj.pending_webhooks = e.pending.size;
		}
	}
}

function created(e: StoredEvent): number {
	const c = e.obj.created;
	return typeof c === 'number' ? c : Math.floor(Date.parse(String(c)) / 1000);
}

/** Kept events, newest first (by created, then by the order they were recorded). */
function retained(list: StoredEvent[], now: number): StoredEvent[] {
	return list.filter((e) => created(e) >= now - RETENTION_SECONDS).sort((a, b) => created(b) - created(a) || b.seq - a.seq);
}

function parseLimit(raw: unknown, def: number): number {
	if (raw === undefined) return def;
	if (typeof raw !== 'string' || !/^\d+$/.test(raw)) throw new EventsApiError(400, 'parameter_invalid_integer', `Invalid integer: ${String(raw)}`, 'limit');
	const n = Number(raw);
	if (n < 1 || n > 100)
		throw new EventsApiError(400, 'parameter_invalid_integer', 'This value must be greater than or equal to 1 and less than or equal to 100.', 'limit');
	return n;
}

function matchesCreated(at: number, filter: unknown): boolean {
	if (filter === undefined) return true;
	if (typeof filter === 'string') return at === Number(filter);
	const f = filter as { [k: string]: string };
	const bad = Object.keys(f).find((k) => !['gt', 'gte', 'lt', 'lte'].includes(k));
	if (bad) throw new EventsApiError(400, 'parameter_unknown', `Received unknown parameter: created[${bad}]`, `created[${bad}]`);
	if (f.gt !== undefined && !(at > Number(f.gt))) return false;
	if (f.gte !== undefined && !(at >= Number(f.gte))) return false;
	if (f.lt !== undefined && !(at < Number(f.lt))) return false;
	if (f.lte !== undefined && !(at <= Number(f.lte))) return false;
	return true;
}

/** `customer.*` matches customer.created and customer.subscription.updated; without `*`, exact. */
function typeMatches(pattern: string, type: string): boolean {
	if (!pattern.includes('*')) return pattern === type;
	const re = new RegExp(
		`^${pattern
			.split('*')
			.map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
			.join('.*')}$`,
	);
	return re.test(type);
}

const V1_LIST_PARAMS = ['created', 'delivery_success', 'ending_before', 'expand', 'limit', 'starting_after', 'type', 'types'];

/** GET /v1/events and /v1/events/:id. */
export function handleV1Events(store: EventStore, method: string, path: string, query: FormObject, now: number): StripeObject {
	if (method !== 'GET') throw new EventsApiError(404, '', `Unrecognized request URL (${method}: ${path}).`);
	const rest = path.split('/').filter(Boolean).slice(2);
	const all = retained(store.v1, now);
	if (rest.length === 1) {
		const id = decodeURIComponent(rest[0]);
		const found = all.find((e) => e.obj.id === id);
		if (!found) throw new EventsApiError(404, 'resource_missing', `No such event: '${id}'`, 'id');
		return found.obj;
	}
	if (rest.length > 1) throw new EventsApiError(404, '', `Unrecognized request URL (${method}: ${path}).`);
	for (const k of Object.keys(query))
		if (!V1_LIST_PARAMS.includes(k)) throw new EventsApiError(400, 'parameter_unknown', `Received unknown parameter: ${k}`, k);
	const limit = parseLimit(query.limit, 10);
	if (query.starting_after !== undefined && query.ending_before !== undefined) {
		throw new EventsApiError(400, 'parameter_invalid', 'You may only specify one of these parameters: ending_before, starting_after.');
	}
	if (query.type !== undefined && query.types !== undefined) {
		throw new EventsApiError(400, 'parameter_invalid', 'You may only specify one of these parameters: type, types.');
	}
	let types: string[] | undefined;
	if (query.types !== undefined) {
		const raw = query.types;
		types = (Array.isArray(raw) ? raw : typeof raw === 'object' ? Object.values(raw) : [raw]).map(String);
		if (types.length > 20) throw new EventsApiError(400, 'parameter_invalid', 'types may contain at most 20 event types.', 'types');
		if (types.some((t) => t.includes('*'))) throw new EventsApiError(400, 'parameter_invalid', 'types may not contain wildcards; use type.', 'types');
	}
	let delivery: boolean | undefined;
	if (query.delivery_success !== undefined) {
		if (query.delivery_success !== 'true' && query.delivery_success !== 'false') {
			throw new EventsApiError(400, 'parameter_invalid_boolean', `Invalid boolean: ${String(query.delivery_success)}`, 'delivery_success');
		}
		delivery = query.delivery_success === 'true';
	}
	const type = typeof query.type === 'string' ? query.type : undefined;
	const rows = all
		.filter((e) => matchesCreated(created(e), query.created))
		.filter((e) => (type === undefined ? true : typeMatches(type, String(e.obj.type))))
		.filter((e) => (types === undefined ? true : types.includes(String(e.obj.type))))
		.filter((e) => (delivery === undefined ? true : delivery === (e.pending.size === 0)))
		.map((e) => e.obj);
	let data: StripeObject[];
	let hasMore: boolean;
	const cursor = (name: 'starting_after' | 'ending_before') => {
		const id = String(query[name]);
		const idx = rows.findIndex((o) => o.id === id);
		if (idx === -1 && !all.some((e) => e.obj.id === id)) throw new EventsApiError(404, 'resource_missing', `No such event: '${id}'`, name);
		// A cursor the filters leave out still marks a position in the whole (time-ordered) list.
		if (idx !== -1) return idx;
		const at = all.find((e) => e.obj.id === id)!;
		const pos = rows.findIndex((o) => (o.created as number) < created(at));
		return name === 'starting_after' ? (pos === -1 ? rows.length : pos) - 1 : pos === -1 ? rows.length : pos;
	};
	if (query.starting_after !== undefined) {
		const after = rows.slice(cursor('starting_after') + 1);
		data = after.slice(0, limit);
		hasMore = after.length > limit;
	} else if (query.ending_before !== undefined) {
		const before = rows.slice(0, Math.max(0, cursor('ending_before')));
		data = before.slice(Math.max(0, before.length - limit));
		hasMore = before.length > limit;
	} else {
		data = rows.slice(0, limit);
		hasMore = rows.length > limit;
	}
	return { object: 'list', data, has_more: hasMore, url: '/v1/events' };
}

/** GET /v2/core/events (by object_id) and /v2/core/events/:id. */
export function handleV2Events(store: EventStore, method: string, path: string, query: FormObject, now: number): StripeObject {
	const base = '/v2/core/events';
	if (method !== 'GET') throw new EventsApiError(404, '', `Unrecognized request URL (${method}: ${path}).`);
	const rest = path.slice(base.length).split('/').filter(Boolean).map(decodeURIComponent);
	const all = retained(store.v2, now);
	if (rest.length === 1) {
		const found = all.find((e) => e.obj.id === rest[0]);
		if (!found) throw new EventsApiError(404, 'resource_missing', `No such event: '${rest[0]}'`);
		return found.obj;
	}
	if (rest.length > 1) throw new EventsApiError(404, '', `Unrecognized request URL (${method}: ${path}).`);
	for (const k of Object.keys(query))
		if (!['object_id', 'limit', 'page'].includes(k)) throw new EventsApiError(400, 'parameter_unknown', `Received unknown parameter: ${k}`);
	let offset = 0;
	let limit = 20;
	let objectId = typeof query.object_id === 'string' ? query.object_id : undefined;
	if (query.page !== undefined) {
		try {
			const p = JSON.parse(Buffer.from(String(query.page), 'base64url').toString('utf8')) as { o: number; l: number; id: string };
			offset = p.o;
			limit = p.l;
			objectId = p.id;
		} catch {
			throw new EventsApiError(400, 'parameter_invalid', `Invalid page token: ${String(query.page)}`);
		}
	}
	if (query.limit !== undefined) limit = parseLimit(query.limit, 20);
	if (!objectId) throw new EventsApiError(400, 'parameter_missing', 'Missing required param: object_id.');
	const rows = all.filter((e) => ((e.obj.related_object ?? {}) as StripeObject).id === objectId).map((e) => e.obj);
	const page = (o: number) => `${base}?page=${Buffer.from(JSON.stringify({ o, l: limit, id: objectId })).toString('base64url')}`;
	return {
		data: rows.slice(offset, offset + limit),
		next_page_url: rows.length > offset + limit ? page(offset + limit) : null,
		previous_page_url: offset > 0 ? page(Math.max(0, offset - limit)) : null,
	};
}
