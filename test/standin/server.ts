/**
 * A local stand-in for the Stripe API, for tests. It listens on a loopback address only and answers
 * like api.stripe.com for:
 *
 *   v1 (form-encoded, bracket syntax): the resources in ./resources.ts — by default customers, products,
 *      prices, credit grants, subscriptions, invoices, payment intents, coupons and tax rates — with create / retrieve / update / delete / list (limit, starting_after, ending_before,
 *      created, filters) / search (query, limit, page); GET /v1/balance.
 *   files (./files.ts): POST /v1/files (multipart upload), GET /v1/files/:id and /v1/files/:id/contents.
 *   v2 (JSON): /v2/core/event_destinations create / retrieve / list / update / delete / enable / disable /
 *      ping.
 *   events (./events.ts): GET /v1/events (+ /:id) and GET /v2/core/events (+ /:id), 30 days kept; every create,
 *      update and delete above records `<object>.created|updated|deleted` (POST /v1/invoices/:id/pay: invoice.paid),
 *      stamped with the stand-in's clock, which tests can move to simulate days of downtime.
 *
 * Like Stripe it checks `Authorization: Bearer <key>` (or Basic with the key as user name; any key starting
 * with sk_test_ or rk_test_ is accepted), answers errors in Stripe's JSON format (401, 404
 * resource_missing, 400 parameter_unknown/parameter_missing/idempotency_error), sends a Request-Id header
 * on every response, replays responses for a repeated Idempotency-Key with the same body (and rejects it
 * with a different body), and keeps separate data per Stripe-Account header.
 *
 * For tests it records every request and has control endpoints (no authentication):
 *   GET  /__standin/requests[?since=<seq>]   the recorded requests (JSON array)
 *   POST /__standin/reset                    forget requests, objects, idempotency keys and faults
 *   POST /__standin/faults                   JSON {method?, path?, status, body?, rawBody?, headers?, times?, action?}:
 *                                            the next `times` (default 1) matching requests get this response
 *                                            (or this network fault: action reset / reset-after / hang / hang-after)
 *   POST /__standin/chaos                    JSON {rate, seed?, faults}: a seeded share of all requests gets one of
 *                                            the faults (`{}` switches it off)
 *   POST /__standin/rate-limit               JSON {perSecond}: 429 rate_limit above that many requests in any
 *                                            second (`{}` switches it off)
 *   POST /__standin/seed                     JSON {resource, objects, account?}: store objects directly (Standin.seed;
 *                                            an object's `created` sets its creation time)
 *   GET  /__standin/health                   {ok: true}
 *   GET  /__standin/destinations             every v2 event destination (all accounts), URLs included
 *   POST /__standin/deliver                  JSON {destination?, event, forge?, signature?, timestamp?}: POST the
 *                                            event to the destination's (loopback) webhook URL, signed with its
 *                                            secret (forge: a wrong one); answers what the webhook answered
 *   GET  /__standin/deliveries               deliveries made so far (pings are delivered after they are answered)
 *   GET|POST /__standin/clock                JSON {now?: unix s (stops the clock there), advance?: s, real?: true}
 *   POST /__standin/events                   JSON {type, object?, created?, account?, count?, step?, thin?, related_object?}:
 *                                            record events directly (e.g. 250 at once); answers them
 *   POST /__standin/auto-deliver             JSON {on}: deliver each new snapshot event to the enabled destinations
 *                                            that select it, as Stripe does (default off)
 *
 * Use it as a module:  const s = await startStandin({ port: 0, latencyMs: 5 }); s.url; s.requests; await s.close();
 * or from the command line:  node dist-test/test/standin/server.js --port 12111 [--host 127.0.0.1] [--latency 20]
 */

import { createHmac, randomBytes } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

import { addSnapshotEvent, addThinEvent, EventsApiError, EventStore, handleV1Events, handleV2Events, markDelivered } from './events';
import type { EventSink, NewEvent, NewThinEvent } from './events';
import { handleFiles, type StoredFile } from './files';
import { FormParseError, parseForm, type FormObject } from './form';
import type { RelatedStore } from './resources';
import { coerce, ParamError, resources as defaultResources, singletons as defaultSingletons } from './resources';
import type { ResourceDef, SingletonDef, StripeObject } from './resources';
import { matchesQuery, parseSearchQuery, SearchSyntaxError } from './search';

export type { ResourceDef, SingletonDef, StripeObject } from './resources';

export interface StandinOptions {
	/** 0 or omitted: a random free port. */
	port?: number;
	/** A loopback address; default 127.0.0.1. */
	host?: string;
	/** Fixed delay before every API response, in milliseconds. */
	latencyMs?: number;
	/** v1 resources (default: ./resources.ts). */
	resources?: ResourceDef[];
	singletons?: SingletonDef[];
	/** Log each request to stderr. */
	verbose?: boolean;
	/** Also accept live-mode keys (sk_live_…, rk_live_…), for the benchmark's live-mode figures. */
	liveKeys?: boolean;
	/** Called for every API request once it is recorded, before it is answered (e.g. to create objects while a list is read). */
	onRequest?: (request: RecordedRequest) => void;
	/** Called when a fault leaves a request unanswered (`hang`, `hang-after`): the tests' clock expires its deadline then. */
	onHang?: (request: RecordedRequest) => void;
}

export interface RecordedRequest {
	seq: number;
	time: string;
	method: string;
	/** Path without the query string, e.g. /v1/customers/cus_123. */
	path: string;
	rawQuery: string;
	query: FormObject;
	headers: http.IncomingHttpHeaders;
	rawBody: string;
	/** Parsed body: form-decoded for v1, JSON for v2 (undefined if it could not be parsed). */
	body: unknown;
	/** Filled in when the response is sent (stays undefined when the connection was reset or left hanging). */
	status?: number;
	requestId: string;
	/** When the request arrived (ms since the epoch). */
	at: number;
	/** What was injected instead of normal processing: a fault's status or action, or `rate_limit`. */
	fault?: string;
	/** The answer was replayed from the idempotency store (a repeated Idempotency-Key). */
	replayed?: boolean;
}

/**
 * Network-level faults:
 * - `reset`: the socket is destroyed as soon as the request has arrived; nothing is processed or stored.
 * - `reset-after`: the request is processed normally (objects stored, idempotency key recorded), then the
 *   socket is destroyed instead of answering: the client cannot know that it succeeded.
 * - `hang`: no answer ever (nothing processed); the client has to time out.
 * - `hang-after`: processed like `reset-after`, then no answer ever.
 */
export type FaultAction = 'reset' | 'reset-after' | 'hang' | 'hang-after';

export interface Fault {
	method?: string;
	/** Exact path, or a prefix when it ends with '*'. */
	path?: string;
	/** Only requests whose raw body contains this text (e.g. `metadata[row]=1`). */
	bodyContains?: string;
	/** Status of the injected answer; required unless `action` is given. */
	status?: number;
	body?: unknown;
	/** Sent verbatim instead of the JSON of `body` (e.g. malformed JSON). */
	rawBody?: string;
	headers?: Record<string, string>;
	times?: number;
	/** A network fault instead of an HTTP answer. */
	action?: FaultAction;
}

/** Random faults: each API request gets, with probability `rate`, one of `faults` (picked at random). */
export interface Chaos {
	rate: number;
	/** Seed of the pseudo-random sequence, so a run is reproducible (default 1). */
	seed?: number;
	faults: Array<Omit<Fault, 'times'>>;
}

export interface Standin {
	url: string;
	port: number;
	/** Live list of recorded requests (cleared in place by reset()). */
	requests: RecordedRequest[];
	reset(): void;
	/** Event deliveries made so far (pings, deliver()). */
	deliveries: Delivery[];
	/** Deliver an event to a webhook destination (default: the newest enabled one), signed as Stripe does. */
	deliver(body: { destination?: string; event?: StripeObject; forge?: boolean; signature?: string; timestamp?: number }): Promise<Delivery>;
	addFault(fault: Fault): void;
	/** Random faults on every API request (undefined: off). Explicit faults (addFault) are checked first. */
	setChaos(chaos?: Chaos): void;
	/** Answer 429 `rate_limit` when more than `perSecond` requests were accepted in the last 1000 ms (undefined: off). */
	setRateLimit(perSecond?: number): void;
	/** The stored objects of a v1 resource (e.g. `customers`) of an account ('' = the platform), oldest first. */
	objects(resourcePath: string, account?: string): StripeObject[];
	/**
	 * Store objects directly (as if created through the API), e.g. to seed a long list quickly. A `created`
	 * entry (Unix seconds) sets the object's creation time instead of now; objects seeded in one call with the
	 * same `created` are listed in reverse seeding order, like objects created one after the other.
	 */
	seed(resourcePath: string, params: Array<{ [key: string]: unknown }>, account?: string): StripeObject[];
	/** The stand-in's clock in unix seconds (objects' and events' `created`, the 30-day retention). */
	now(): number;
	/** Stop the clock at this unix time (it then moves only with advanceClock); undefined: real time again. */
	setClock(seconds?: number): void;
	/** Move the clock forward (or back, negative) by this many seconds. */
	advanceClock(seconds: number): void;
	/** Record events directly: `count` events of a type (snapshot, or thin with `thin: true`), `created` by default now. */
	addEvents(e: AddEvents): StripeObject[];
	/** The recorded snapshot (or thin) events of an account ('' = the platform), oldest first, retention ignored. */
	events(account?: string, thin?: boolean): StripeObject[];
	/** Deliver every new snapshot event to the enabled destinations that select it, as Stripe does (default off). */
	setAutoDeliver(on: boolean): void;
	close(): Promise<void>;
}

/** Events recorded directly (POST /__standin/events): `count` (default 1) events, `step` seconds apart. */
export type AddEvents = (Omit<NewEvent, 'request'> | NewThinEvent) & { thin?: boolean; count?: number; step?: number };

/** mulberry32: a small seeded PRNG, so chaos runs are reproducible. */
function seededRandom(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

type Json = unknown;

interface Reply {
	status: number;
	body: Json;
	headers?: Record<string, string>;
	/** A body sent as it is instead of JSON (file contents). */
	raw?: string;
	/** An event to deliver to a destination once this reply is sent (ping). */
	deliver?: { destination: DestinationRecord; event: StripeObject };
}

/** What a webhook answered to one event delivery. */
export interface Delivery {
	destination: string;
	url: string;
	eventId: string;
	eventType: string;
	forged: boolean;
	status: number;
	body: string;
}

function isLoopbackUrl(url: string): boolean {
	try {
		const host = new URL(url).hostname;
		return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\./.test(host);
	} catch {
		return false;
	}
}

/**
 * POST an event to a destination's webhook URL as Stripe does: JSON body, `Stripe-Signature:
 * t=<now>,v1=<HMAC-SHA256(secret, t.body)>`. `forge` signs with a wrong secret; `signature` sends that header
 * as it is. Only loopback URLs are called.
 */
export async function deliverEvent(
	destination: DestinationRecord,
	event: StripeObject,
	opts: { forge?: boolean; signature?: string; timestamp?: number } = {},
): Promise<Delivery> {
	const url = destination._url;
	const base = { destination: String(destination.id), url: String(url), eventId: String(event.id), eventType: String(event.type), forged: !!opts.forge };
	if (!url || !isLoopbackUrl(url)) return { ...base, status: 0, body: 'not delivered: the stand-in only calls loopback URLs' };
	const body = JSON.stringify(event);
	const t = opts.timestamp ?? nowSeconds();
	const secret = opts.forge ? `whsec_forged_${randomId(8)}` : destination._secret;
	const signature = opts.signature ?? `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;
	return await new Promise<Delivery>((resolve) => {
		const req = http.request(
			url,
			{
				method: 'POST',
				headers: {
					'Content-Type': 'application/json; charset=utf-8',
					'Stripe-Signature': signature,
					'User-Agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
				},
			},
			(res) => {
				const chunks: Buffer[] = [];
				res.on('data', (c: Buffer) => chunks.push(c));
				res.on('end', () => resolve({ ...base, status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
			},
		);
		req.on('error', (e) => resolve({ ...base, status: 0, body: e.message }));
		req.setTimeout(30_000, () => req.destroy(new Error('timeout')));
		req.end(body);
	});
}

class ApiError extends Error {
	constructor(
		public status: number,
		public error: { type: string; message: string; code?: string; param?: string; doc_url?: string },
	) {
		super(error.message);
	}
}

const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
function randomId(n: number): string {
	const bytes = randomBytes(n);
	let s = '';
	for (let i = 0; i < n; i++) s += ALNUM[bytes[i] % ALNUM.length];
	return s;
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

function isLoopback(host: string): boolean {
	return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

function unrecognizedUrl(method: string, path: string): ApiError {
	return new ApiError(404, {
		type: 'invalid_request_error',
		message: `Unrecognized request URL (${method}: ${path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
	});
}

function resourceMissing(objectName: string, id: string, param = 'id'): ApiError {
	return new ApiError(404, {
		type: 'invalid_request_error',
		code: 'resource_missing',
		doc_url: 'https://stripe.com/docs/error-codes/resource-missing',
		message: `No such ${objectName}: '${id}'`,
		param,
	});
}

function paramError(code: string, message: string, param?: string): ApiError {
	return new ApiError(400, {
		type: 'invalid_request_error',
		code,
		doc_url: `https://stripe.com/docs/error-codes/${code.replace(/_/g, '-')}`,
		message,
		...(param !== undefined ? { param } : {}),
	});
}

function maskKey(key: string): string {
	if (key.length <= 12) return key.replace(/./g, '*');
	const prefixEnd = key.indexOf('_', key.indexOf('_') + 1) + 1;
	const prefix = prefixEnd > 0 ? key.slice(0, prefixEnd) : '';
	return prefix + '*'.repeat(Math.max(0, key.length - prefix.length - 4)) + key.slice(-4);
}

/** Deep-merge for updates: objects merge, '' (v1) / null (v2) unsets, metadata keys are removed by ''/null. */
function applyParams(target: StripeObject, params: { [key: string]: unknown }, unset: '' | null): void {
	for (const [k, v] of Object.entries(params)) {
		if (k === 'metadata') {
			if (v === unset) {
				target.metadata = {};
				continue;
			}
			const md = { ...((target.metadata as StripeObject | null) ?? {}) };
			for (const [mk, mv] of Object.entries((v as StripeObject) ?? {})) {
				if (mv === unset || mv === null) delete md[mk];
				else md[mk] = String(mv);
			}
			target.metadata = md;
		} else if (v === unset) {
			target[k] = null;
		} else if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
			const cur = target[k];
			const base: StripeObject = cur !== null && typeof cur === 'object' && !Array.isArray(cur) ? { ...(cur as StripeObject) } : {};
			applyParams(base, v as StripeObject, unset);
			target[k] = base;
		} else {
			target[k] = v;
		}
	}
}

interface Stored {
	seq: number;
	obj: StripeObject;
}

/** Objects of one Stripe account. */
/** Uploaded files per account (see ./files.ts). */
const accountFiles = new WeakMap<object, Map<string, StoredFile>>();
function filesOf(data: object): Map<string, StoredFile> {
	let m = accountFiles.get(data);
	if (!m) accountFiles.set(data, (m = new Map()));
	return m;
}

class AccountData {
	v1 = new Map<string, Map<string, Stored>>(); // resource path -> id -> object
	deleted = new Map<string, Set<string>>(); // resource path -> deleted ids
	v2Destinations = new Map<string, Stored>();
	events = new EventStore();
	seq = 0;
	/** The stand-in's clock (unix seconds), which tests can move. */
	constructor(public now: () => number = nowSeconds) {}

	table(path: string): Map<string, Stored> {
		let t = this.v1.get(path);
		if (!t) this.v1.set(path, (t = new Map()));
		return t;
	}

	tombstones(path: string): Set<string> {
		let t = this.deleted.get(path);
		if (!t) this.deleted.set(path, (t = new Set()));
		return t;
	}
}

interface RequestContext {
	method: string;
	path: string;
	query: FormObject;
	rawBody: string;
	headers: http.IncomingHttpHeaders;
	data: AccountData;
	/** Records the event an operation produces (like Stripe, after it succeeded). */
	emit: (e: Omit<NewEvent, 'account' | 'created'>) => void;
}

const LIST_PARAMS = ['limit', 'starting_after', 'ending_before', 'created', 'expand'];

function parseLimit(raw: unknown, max = 100, def = 10): number {
	if (raw === undefined) return def;
	if (typeof raw !== 'string' || !/^\d+$/.test(raw)) {
		throw paramError('parameter_invalid_integer', 'Invalid integer: ' + String(raw), 'limit');
	}
	const n = Number(raw);
	if (n < 1 || n > max) {
		throw paramError('parameter_invalid_integer', `This value must be greater than or equal to 1 and less than or equal to ${max}.`, 'limit');
	}
	return n;
}

function matchesCreated(created: number, filter: unknown): boolean {
	if (filter === undefined) return true;
	if (typeof filter === 'string') return created === Number(filter);
	const f = filter as { [k: string]: string };
	if (f.gt !== undefined && !(created > Number(f.gt))) return false;
	if (f.gte !== undefined && !(created >= Number(f.gte))) return false;
	if (f.lt !== undefined && !(created < Number(f.lt))) return false;
	if (f.lte !== undefined && !(created <= Number(f.lte))) return false;
	return true;
}

function encodePage(offset: number, limit?: number): string {
	return Buffer.from(JSON.stringify(limit === undefined ? { o: offset } : { o: offset, l: limit })).toString('base64url');
}

function decodePage(token: unknown, param = 'page'): { o: number; l?: number } {
	if (typeof token !== 'string') throw paramError('parameter_invalid', 'Invalid page token', param);
	try {
		const v = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { o: number; l?: number };
		if (typeof v.o !== 'number') throw new Error('bad');
		return v;
	} catch {
		throw paramError('parameter_invalid', `Invalid ${param} token: ${token}`, param);
	}
}

// ------------------------------------------------------------------------------------------------ v1

function handleV1(ctx: RequestContext, resources: ResourceDef[], singletons: SingletonDef[]): Reply {
	const { method, path } = ctx;
	const segments = path.split('/').filter(Boolean).slice(1); // drop 'v1'
	const joined = segments.join('/');

	if (method === 'POST' || method === 'DELETE') {
		const ct = String(ctx.headers['content-type'] ?? '');
		if (ctx.rawBody && !ct.startsWith('application/x-www-form-urlencoded')) {
			throw new ApiError(400, {
				type: 'invalid_request_error',
				message: `Invalid request (check that your POST content type is application/x-www-form-urlencoded). If you have any questions, we can help at https://support.stripe.com/.`,
			});
		}
	}
	let body: FormObject;
	try {
		body = parseForm(ctx.rawBody);
	} catch (e) {
		if (e instanceof FormParseError) throw new ApiError(400, { type: 'invalid_request_error', message: e.message });
		throw e;
	}

	const singleton = singletons.find((s) => s.path === joined);
	if (singleton) {
		if (method !== 'GET') throw unrecognizedUrl(method, path);
		return { status: 200, body: singleton.get({ query: ctx.query, objects: (p) => ordered(ctx.data.table(p)).map((st) => st.obj) }) };
	}

	const sorted = [...resources].sort((a, b) => b.path.length - a.path.length);
	const def = sorted.find((r) => {
		const parts = r.path.split('/');
		return parts.every((p, i) => segments[i] === p);
	});
	if (!def) throw unrecognizedUrl(method, path);
	const rest = segments.slice(def.path.split('/').length);
	const table = ctx.data.table(def.path);

	if (rest.length === 0 && method === 'POST') {
		const obj = create(def, ctx.data, table, body);
		ctx.emit({ type: `${def.object}.created`, object: obj });
		return { status: 200, body: obj };
	}
	if (rest.length === 0 && method === 'GET') return { status: 200, body: expandRows(list(def, table, ctx.query), ctx.query.expand, ctx.data) };
	if (rest.length === 1 && rest[0] === 'search' && method === 'GET' && def.searchable) {
		return { status: 200, body: expandRows(search(def, table, ctx.query), ctx.query.expand, ctx.data) };
	}
	if (rest.length === 1) {
		const id = decodeURIComponent(rest[0]);
		const found = table.get(id);
		if (method === 'GET') {
			if (found) return { status: 200, body: found.obj };
			if (def.retrieveDeleted && ctx.data.tombstones(def.path).has(id)) {
				return { status: 200, body: { id, object: def.object, deleted: true } };
			}
			throw resourceMissing(def.object, id);
		}
		if (method === 'POST') {
			if (!found) throw resourceMissing(def.object, id);
			checkParams(def, body, def.updateParams);
			const params = coerceOr400(def, body);
			writeRelated(def, found.obj, body, ctx.data);
			const before = JSON.parse(JSON.stringify(found.obj)) as StripeObject;
			applyParams(found.obj, stripWriteOnly(def, params), '');
			def.onWrite?.(found.obj, ctx.data.now());
			ctx.emit({ type: `${def.object}.updated`, object: found.obj, previous: changedFrom(before, found.obj) });
			return { status: 200, body: found.obj };
		}
		if (method === 'DELETE' && def.deletable !== false) {
			if (!found) throw resourceMissing(def.object, id);
			table.delete(id);
			ctx.data.tombstones(def.path).add(id);
			ctx.emit({ type: `${def.object}.deleted`, object: found.obj });
			return { status: 200, body: { id, object: def.object, deleted: true } };
		}
	}
	// An invoice is paid (as if its payment succeeded): invoice.updated, then invoice.paid.
	if (def.object === 'invoice' && rest.length === 2 && rest[1] === 'pay' && method === 'POST') {
		const found = table.get(decodeURIComponent(rest[0]));
		if (!found) throw resourceMissing(def.object, decodeURIComponent(rest[0]));
		const before = JSON.parse(JSON.stringify(found.obj)) as StripeObject;
		Object.assign(found.obj, { status: 'paid', paid: true, amount_paid: found.obj.amount_due ?? 0, amount_remaining: 0 });
		ctx.emit({ type: 'invoice.updated', object: found.obj, previous: changedFrom(before, found.obj) });
		ctx.emit({ type: 'invoice.paid', object: found.obj });
		return { status: 200, body: found.obj };
	}
	throw unrecognizedUrl(method, path);
}

/** Stripe's previous_attributes: the old values of the top-level fields that changed. */
function changedFrom(before: StripeObject, after: StripeObject): StripeObject {
	const out: StripeObject = {};
	for (const k of new Set([...Object.keys(before), ...Object.keys(after)])) {
		if (JSON.stringify(before[k]) !== JSON.stringify(after[k])) out[k] = before[k] ?? null;
	}
	return out;
}

function checkParams(def: ResourceDef, body: FormObject, allowed: string[] | undefined): void {
	if (!allowed) return;
	for (const k of Object.keys(body)) {
		if (!allowed.includes(k)) throw paramError('parameter_unknown', `Received unknown parameter: ${k}`, k);
	}
	void def;
}

function coerceOr400(def: ResourceDef, body: FormObject): { [key: string]: unknown } {
	try {
		return coerce(def, body);
	} catch (e) {
		if (e instanceof ParamError) throw paramError(e.code, e.message, e.param);
		throw e;
	}
}

function stripWriteOnly(def: ResourceDef, params: { [key: string]: unknown }): { [key: string]: unknown } {
	const out = { ...params };
	for (const k of def.writeOnly ?? []) delete out[k];
	return out;
}

function create(def: ResourceDef, data: AccountData, table: Map<string, Stored>, body: FormObject): StripeObject {
	checkParams(def, body, def.createParams);
	for (const r of def.required ?? []) {
		if (body[r] === undefined || body[r] === '') throw paramError('parameter_missing', `Missing required param: ${r}.`, r);
	}
	const params = stripWriteOnly(def, coerceOr400(def, body));
	let id: string;
	if (def.customId && typeof body.id === 'string' && body.id !== '') {
		id = body.id;
		if (table.has(id))
			throw new ApiError(400, { type: 'invalid_request_error', code: 'resource_already_exists', message: `${def.object} already exists.`, param: 'id' });
	} else {
		do id = `${def.idPrefix}_${randomId(14)}`;
		while (table.has(id));
	}
	const created = data.now();
	const obj: StripeObject = def.defaults ? def.defaults({ id, created }) : { id, object: def.object, created, livemode: false, metadata: {} };
	writeRelated(def, obj, body, data);
	applyParams(obj, params, '');
	def.onWrite?.(obj, created);
	table.set(id, { seq: ++data.seq, obj });
	return obj;
}

/** A resource's `related` write (a subscription's items), its parameter errors answered 400 like Stripe's. */
function writeRelated(def: ResourceDef, obj: StripeObject, body: FormObject, data: AccountData): void {
	if (!def.related) return;
	const store: RelatedStore = {
		table: (path) => data.table(path),
		add: (path, prefix, make) => {
			const table = data.table(path);
			let id: string;
			do id = `${prefix}_${randomId(14)}`;
			while (table.has(id));
			const made = make(id, nowSeconds());
			table.set(id, { seq: ++data.seq, obj: made });
			return made;
		},
	};
	try {
		def.related(obj, body, store);
	} catch (e) {
		if (e instanceof ParamError) throw paramError(e.code, e.message, e.param);
		throw e;
	}
}

/**
 * `expand[]=data.product` (or `data.customer`, `data.price.product`) on a list or search: the IDs at those
 * paths of each row replaced by the stored objects they name (any resource of the account), like Stripe.
 */
function expandRows(result: StripeObject, expand: unknown, data: AccountData): StripeObject {
	const paths = (Array.isArray(expand) ? expand : expand === undefined ? [] : [expand]).map(String).filter((p) => p.startsWith('data.'));
	if (!paths.length) return result;
	const byId = (id: string): StripeObject | undefined => {
		for (const table of data.v1.values()) {
			const found = table.get(id);
			if (found) return JSON.parse(JSON.stringify(found.obj)) as StripeObject;
		}
		return undefined;
	};
	const walk = (node: unknown, keys: string[]): unknown => {
		if (Array.isArray(node)) return node.map((n) => walk(n, keys));
		if (!keys.length) return typeof node === 'string' ? (byId(node) ?? node) : node;
		if (!node || typeof node !== 'object') return node;
		const o = node as StripeObject;
		const [key, ...more] = keys;
		if (key in o) o[key] = walk(o[key], more);
		return o;
	};
	const copy = JSON.parse(JSON.stringify(result)) as StripeObject;
	for (const p of paths) walk(copy, p.split('.'));
	return copy;
}

/** The sorted rows of a table, kept until the table changes (a seeded list of 50,000 is not sorted for every page). */
const sortedCache = new WeakMap<Map<string, Stored>, { size: number; seq: number; rows: Stored[] }>();

/**
 * Newest first, like Stripe: by `created`, and within one second by Stripe's own order (here: the later
 * stored first). Stripe's order within a second is not derivable from `created`; clients must not rely on it.
 */
function ordered(table: Map<string, Stored>): Stored[] {
	let maxSeq = 0;
	for (const st of table.values()) if (st.seq > maxSeq) maxSeq = st.seq;
	const hit = sortedCache.get(table);
	if (hit && hit.size === table.size && hit.seq === maxSeq) return hit.rows;
	const rows = [...table.values()].sort((a, b) => (b.obj.created as number) - (a.obj.created as number) || b.seq - a.seq);
	sortedCache.set(table, { size: table.size, seq: maxSeq, rows });
	return rows;
}

function list(def: ResourceDef, table: Map<string, Stored>, query: FormObject): StripeObject {
	const allowed = [...LIST_PARAMS, ...(def.listFilters ?? []), ...Object.keys(def.listIn ?? {})];
	for (const k of Object.keys(query)) {
		if (!allowed.includes(k)) throw paramError('parameter_unknown', `Received unknown parameter: ${k}`, k);
	}
	const limit = parseLimit(query.limit);
	if (query.starting_after !== undefined && query.ending_before !== undefined) {
		throw paramError('parameter_invalid', 'You may only specify one of these parameters: ending_before, starting_after.');
	}
	const filters = coerceOr400(def, Object.fromEntries((def.listFilters ?? []).filter((f) => query[f] !== undefined).map((f) => [f, query[f]])) as FormObject);
	// A cursor is a place in the whole list (it need not match the filters); the filters (`created` ranges
	// included) then apply to the objects after (or before) that place.
	const everything = ordered(table).map((st) => st.obj);
	const among = Object.entries(def.listIn ?? {}).filter(([param]) => query[param] !== undefined);
	const matches = (o: StripeObject) =>
		matchesCreated(o.created as number, query.created) &&
		Object.entries(filters).every(([k, v]) => String(o[k]) === String(v)) &&
		among.every(([param, field]) => Object.values(query[param] as object).some((v) => String(v) === String(o[field])));
	const place = (cursor: string, param: string) => {
		const idx = everything.findIndex((o) => o.id === cursor);
		if (idx === -1) throw resourceMissing(def.object, cursor, param);
		return idx;
	};
	let data: StripeObject[];
	let hasMore: boolean;
	if (typeof query.starting_after === 'string') {
		const after = everything.slice(place(query.starting_after, 'starting_after') + 1).filter(matches);
		data = after.slice(0, limit);
		hasMore = after.length > limit;
	} else if (typeof query.ending_before === 'string') {
		const before = everything.slice(0, place(query.ending_before, 'ending_before')).filter(matches);
		data = before.slice(Math.max(0, before.length - limit));
		hasMore = before.length > limit;
	} else {
		const all = everything.filter(matches);
		data = all.slice(0, limit);
		hasMore = all.length > limit;
	}
	return { object: 'list', data, has_more: hasMore, url: `/v1/${def.path}` };
}

function search(def: ResourceDef, table: Map<string, Stored>, query: FormObject): StripeObject {
	for (const k of Object.keys(query)) {
		if (!['query', 'limit', 'page', 'expand'].includes(k)) throw paramError('parameter_unknown', `Received unknown parameter: ${k}`, k);
	}
	if (typeof query.query !== 'string' || query.query === '') throw paramError('parameter_missing', 'Missing required param: query.', 'query');
	let parsed;
	try {
		parsed = parseSearchQuery(query.query);
	} catch (e) {
		if (e instanceof SearchSyntaxError) throw paramError('parameter_invalid', `Invalid search query: ${e.message}`, 'query');
		throw e;
	}
	const limit = parseLimit(query.limit);
	const offset = query.page === undefined ? 0 : decodePage(query.page).o;
	const hits = ordered(table)
		.map((s) => s.obj)
		.filter((o) => matchesQuery(o, parsed));
	const data = hits.slice(offset, offset + limit);
	const hasMore = hits.length > offset + limit;
	const result: StripeObject = {
		object: 'search_result',
		data,
		has_more: hasMore,
		next_page: hasMore ? encodePage(offset + limit) : null,
		url: `/v1/${def.path}/search`,
	};
	const expand = query.expand;
	if ((Array.isArray(expand) && expand.includes('total_count')) || expand === 'total_count') result.total_count = hits.length;
	return result;
}

// ------------------------------------------------------------------------------------------------ v2

const V2_BASE = '/v2/core/event_destinations';

function v2Error(status: number, code: string, message: string, type = 'invalid_request_error'): ApiError {
	return new ApiError(status, { type, code, message });
}

function includes(v: unknown): string[] {
	if (v === undefined || v === null) return [];
	return Array.isArray(v) ? v.map(String) : [String(v)];
}

interface DestinationRecord extends StripeObject {
	_secret: string;
	_url: string | null;
}

function renderDestination(rec: DestinationRecord, include: string[]): StripeObject {
	const { _secret, _url, ...pub } = rec;
	if (pub.type === 'webhook_endpoint') {
		pub.webhook_endpoint = {
			signing_secret: include.includes('webhook_endpoint.signing_secret') ? _secret : null,
			url: include.includes('webhook_endpoint.url') ? _url : null,
		};
	}
	return pub;
}

function handleV2(ctx: RequestContext): Reply {
	const { method, path } = ctx;
	if (path !== V2_BASE && !path.startsWith(V2_BASE + '/')) throw unrecognizedUrl(method, path);
	let body: { [key: string]: unknown } = {};
	if (ctx.rawBody) {
		try {
			const parsed = JSON.parse(ctx.rawBody) as unknown;
			if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
			body = parsed as { [key: string]: unknown };
		} catch {
			throw v2Error(400, 'invalid_json', 'The request body could not be parsed as a JSON object.');
		}
	}
	const rest = path.slice(V2_BASE.length).split('/').filter(Boolean).map(decodeURIComponent);
	const table = ctx.data.v2Destinations;
	const now = new Date(ctx.data.now() * 1000).toISOString();
	const find = (id: string): DestinationRecord => {
		const s = table.get(id);
		if (!s) throw v2Error(404, 'resource_missing', `No such event destination: '${id}'`);
		return s.obj as DestinationRecord;
	};

	if (rest.length === 0 && method === 'POST') {
		for (const k of ['name', 'type', 'event_payload', 'enabled_events']) {
			if (body[k] === undefined) throw v2Error(400, 'parameter_missing', `Missing required param: ${k}.`);
		}
		const allowed = [
			'enabled_events',
			'event_payload',
			'name',
			'type',
			'amazon_eventbridge',
			'description',
			'events_from',
			'include',
			'metadata',
			'snapshot_api_version',
			'webhook_endpoint',
		];
		for (const k of Object.keys(body)) if (!allowed.includes(k)) throw v2Error(400, 'parameter_unknown', `Received unknown parameter: ${k}`);
		if (!Array.isArray(body.enabled_events) || body.enabled_events.length === 0) {
			throw v2Error(400, 'parameter_invalid', 'enabled_events must be a non-empty array of event types.');
		}
		if (!['thin', 'snapshot'].includes(String(body.event_payload))) throw v2Error(400, 'parameter_invalid', 'event_payload must be one of: thin, snapshot.');
		const type = String(body.type);
		const we = body.webhook_endpoint as { url?: string } | undefined;
		const eb = body.amazon_eventbridge as { aws_account_id?: string; aws_region?: string } | undefined;
		if (type === 'webhook_endpoint' && !we?.url) throw v2Error(400, 'parameter_missing', 'Missing required param: webhook_endpoint.url.');
		if (type === 'amazon_eventbridge' && (!eb?.aws_account_id || !eb?.aws_region)) {
			throw v2Error(400, 'parameter_missing', 'Missing required param: amazon_eventbridge.aws_account_id, amazon_eventbridge.aws_region.');
		}
		if (!['webhook_endpoint', 'amazon_eventbridge'].includes(type))
			throw v2Error(400, 'parameter_invalid', 'type must be one of: webhook_endpoint, amazon_eventbridge.');
		const id = `ed_test_${randomId(44)}`;
		const metadata: StripeObject = {};
		for (const [k, v] of Object.entries((body.metadata as StripeObject) ?? {})) if (v !== null) metadata[k] = String(v);
		const rec: DestinationRecord = {
			id,
			object: 'v2.core.event_destination',
			amazon_eventbridge:
				type === 'amazon_eventbridge'
					? {
							aws_account_id: eb!.aws_account_id,
							aws_event_source_arn: `arn:aws:events:${eb!.aws_region}::event-source/aws.partner/stripe.com/${id}`,
							aws_event_source_status: 'pending',
						}
					: null,
			created: now,
			description: typeof body.description === 'string' ? body.description : '',
			enabled_events: body.enabled_events,
			event_payload: body.event_payload,
			events_from: Array.isArray(body.events_from) ? body.events_from : ['self'],
			livemode: false,
			metadata,
			name: String(body.name),
			snapshot_api_version: body.event_payload === 'snapshot' ? (body.snapshot_api_version ?? '2024-11-20.acacia') : null,
			status: 'enabled',
			status_details: null,
			type,
			updated: now,
			webhook_endpoint: null,
			_secret: `whsec_${randomId(32)}`,
			_url: type === 'webhook_endpoint' ? String(we!.url) : null,
		};
		table.set(id, { seq: ++ctx.data.seq, obj: rec });
		return { status: 200, body: renderDestination(rec, includes(body.include)) };
	}
	if (rest.length === 0 && method === 'GET') {
		for (const k of Object.keys(ctx.query))
			if (!['include', 'limit', 'page'].includes(k)) throw v2Error(400, 'parameter_unknown', `Received unknown parameter: ${k}`);
		let offset = 0;
		let limit = 20;
		if (ctx.query.page !== undefined) {
			const p = decodePage(ctx.query.page);
			offset = p.o;
			limit = p.l ?? limit;
		}
		if (ctx.query.limit !== undefined) limit = parseLimit(ctx.query.limit, 100, 20);
		const all = [...table.values()].sort((a, b) => b.seq - a.seq).map((s) => s.obj as DestinationRecord);
		const inc = includes(ctx.query.include);
		const data = all.slice(offset, offset + limit).map((r) => renderDestination(r, inc));
		const incQs = inc.map((i) => `&include=${encodeURIComponent(i)}`).join('');
		return {
			status: 200,
			body: {
				data,
				next_page_url: all.length > offset + limit ? `${V2_BASE}?page=${encodePage(offset + limit, limit)}${incQs}` : null,
				previous_page_url: offset > 0 ? `${V2_BASE}?page=${encodePage(Math.max(0, offset - limit), limit)}${incQs}` : null,
			},
		};
	}
	if (rest.length >= 1) {
		const rec = find(rest[0]);
		if (rest.length === 1 && method === 'GET') return { status: 200, body: renderDestination(rec, includes(ctx.query.include)) };
		if (rest.length === 1 && method === 'POST') {
			const allowed = ['description', 'enabled_events', 'include', 'metadata', 'name', 'webhook_endpoint'];
			for (const k of Object.keys(body)) if (!allowed.includes(k)) throw v2Error(400, 'parameter_unknown', `Received unknown parameter: ${k}`);
			if (typeof body.name === 'string') rec.name = body.name;
			if (typeof body.description === 'string') rec.description = body.description;
			if (Array.isArray(body.enabled_events)) rec.enabled_events = body.enabled_events;
			if (body.metadata && typeof body.metadata === 'object') {
				const md = { ...((rec.metadata as StripeObject) ?? {}) };
				for (const [k, v] of Object.entries(body.metadata as StripeObject)) {
					if (v === null) delete md[k];
					else md[k] = String(v);
				}
				rec.metadata = md;
			}
			const we = body.webhook_endpoint as { url?: string } | undefined;
			if (we?.url) {
				if (rec.type !== 'webhook_endpoint') throw v2Error(400, 'parameter_invalid', 'webhook_endpoint can only be set on webhook_endpoint destinations.');
				rec._url = we.url;
			}
			rec.updated = now;
			return { status: 200, body: renderDestination(rec, includes(body.include)) };
		}
		if (rest.length === 1 && method === 'DELETE') {
			table.delete(rec.id as string);
			return { status: 200, body: { ...renderDestination(rec, []), deleted: true } };
		}
		if (rest.length === 2 && method === 'POST' && (rest[1] === 'enable' || rest[1] === 'disable')) {
			rec.status = rest[1] === 'enable' ? 'enabled' : 'disabled';
			rec.status_details = rest[1] === 'enable' ? null : { disabled: { reason: 'user' } };
			rec.updated = now;
			return { status: 200, body: renderDestination(rec, []) };
		}
		if (rest.length === 2 && method === 'POST' && rest[1] === 'ping') {
			const event: StripeObject = {
				id: `evt_test_${randomId(44)}`,
				object: 'v2.core.event',
				context: null,
				created: now,
				livemode: false,
				reason: null,
				related_object: { id: rec.id, type: 'v2.core.event_destination', url: `${V2_BASE}/${rec.id as string}` },
				type: 'v2.core.event_destination.ping',
			};
			return { status: 200, body: event, deliver: { destination: rec, event } };
		}
	}
	throw unrecognizedUrl(method, path);
}

// ------------------------------------------------------------------------------------------------ server

function authenticate(headers: http.IncomingHttpHeaders, liveKeys = false): { key: string } {
	const auth = headers.authorization;
	let key: string | undefined;
	if (typeof auth === 'string') {
		const bearer = /^Bearer\s+(.+)$/i.exec(auth);
		const basic = /^Basic\s+(.+)$/i.exec(auth);
		if (bearer) key = bearer[1].trim();
		else if (basic) key = Buffer.from(basic[1], 'base64').toString('utf8').split(':')[0];
	}
	if (!key) {
		throw new ApiError(401, {
			type: 'invalid_request_error',
			message:
				"You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.",
		});
	}
	if (!(liveKeys ? /^(sk|rk)_(test|live)_[A-Za-z0-9_]+$/ : /^(sk|rk)_test_[A-Za-z0-9_]+$/).test(key)) {
		throw new ApiError(401, {
			type: 'invalid_request_error',
			message: `Invalid API Key provided: ${maskKey(key)}`,
		});
	}
	return { key };
}

export async function startStandin(options: StandinOptions = {}): Promise<Standin> {
	const host = options.host ?? '127.0.0.1';
	if (!isLoopback(host)) throw new Error(`The Stripe stand-in only listens on loopback addresses, not ${host}`);
	const resources = options.resources ?? defaultResources;
	const singletons = options.singletons ?? defaultSingletons;
	const latency = options.latencyMs ?? 0;
	const requests: RecordedRequest[] = [];
	const accounts = new Map<string, AccountData>();
	/** Event deliveries made (pings, and POST /__standin/deliver), oldest first. */
	const deliveries: Delivery[] = [];
	const allDestinations = () => [...accounts.values()].flatMap((a) => [...a.v2Destinations.values()].map((st) => st.obj as DestinationRecord));
	const deliver = async (body: { destination?: string; event?: StripeObject; forge?: boolean; signature?: string; timestamp?: number }) => {
		const all = allDestinations().filter((d) => d.status === 'enabled' && d.type === 'webhook_endpoint');
		const destination = body.destination ? all.find((d) => d.id === body.destination) : all[all.length - 1];
		if (!destination) throw new Error(body.destination ? `no enabled webhook destination ${body.destination}` : 'no enabled webhook destination');
		const event: StripeObject = { id: `evt_test_${randomId(24)}`, object: 'event', created: nowSeconds(), livemode: false, ...(body.event ?? {}) };
		const result = await deliverEvent(destination, event, body);
		deliveries.push(result);
		if (result.status >= 200 && result.status < 300 && !body.forge) markDelivered(allStores(), String(event.id), String(destination.id));
		return result;
	};
	const idempotency = new Map<string, { fingerprint: string; reply: Reply; requestId: string }>();
	let faults: Fault[] = [];
	let chaos: { rate: number; faults: Chaos['faults']; random: () => number } | undefined;
	let rateLimit: number | undefined;
	/** Arrival times of the requests accepted in the last second (rate-limit mode). */
	let acceptedTimes: number[] = [];
	let seq = 0;

	/** The clock: real time moved by an offset, or stopped at a set time (tests move it explicitly). */
	let clockOffset = 0;
	let clockStopped: number | undefined;
	const clock = () => clockStopped ?? nowSeconds() + clockOffset;
	const setClock = (seconds?: number) => {
		clockOffset = 0;
		clockStopped = seconds;
	};
	const advanceClock = (seconds: number) => {
		if (clockStopped !== undefined) clockStopped += seconds;
		else clockOffset += seconds;
	};
	let autoDeliver = false;
	const account = (id: string) => {
		let a = accounts.get(id);
		if (!a) accounts.set(id, (a = new AccountData(clock)));
		return a;
	};
	/** The enabled webhook destinations that receive an account's events ('' = the platform). */
	const sinksFor = (acct: string): Array<EventSink & { rec: DestinationRecord }> => {
		const of = (a: string, from: string) =>
			[...account(a).v2Destinations.values()]
				.map((st) => st.obj as DestinationRecord)
				.filter((d) => d.status === 'enabled' && d.type === 'webhook_endpoint' && ((d.events_from as string[]) ?? ['self']).includes(from));
		const recs = acct ? [...of('', 'other_accounts'), ...of(acct, 'self')] : of('', 'self');
		return recs.map((rec) => ({
			id: String(rec.id),
			payload: rec.event_payload as 'snapshot' | 'thin',
			enabledEvents: (rec.enabled_events as string[]) ?? [],
			rec,
		}));
	};
	const allStores = () => [...accounts.values()].map((a) => a.events);
	/** Records a snapshot event; with auto-delivery on, delivers it (after the current answer) to its destinations. */
	const recordEvent = (acct: string, e: NewEvent) => {
		const data = account(acct);
		const sinks = sinksFor(acct);
		const event = addSnapshotEvent(data.events, ++data.seq, { ...e, account: acct || undefined, created: e.created ?? clock() }, sinks);
		if (autoDeliver) {
			for (const sink of sinks.filter((d) => d.payload === 'snapshot' && (d.enabledEvents.includes('*') || d.enabledEvents.includes(e.type)))) {
				setImmediate(() => {
					void deliverEvent(sink.rec, event).then((d) => {
						deliveries.push(d);
						if (d.status >= 200 && d.status < 300) markDelivered(allStores(), String(event.id), sink.id);
					});
				});
			}
		}
		return event;
	};
	const addEvents = (e: AddEvents): StripeObject[] => {
		const out: StripeObject[] = [];
		const start = e.created ?? clock();
		for (let i = 0; i < (e.count ?? 1); i++) {
			const created = start + i * (e.step ?? 0);
			const acct = e.account ?? '';
			if (e.thin) {
				const data = account(acct);
				out.push(addThinEvent(data.events, ++data.seq, { ...(e as NewThinEvent), created }));
			} else {
				const { object, previous, type } = e as NewEvent;
				out.push(recordEvent(acct, { type, object: object ?? { id: `obj_${i}`, object: type.split('.').slice(0, -1).join('.') }, previous, created }));
			}
		}
		return out;
	};
	const reset = () => {
		requests.length = 0;
		deliveries.length = 0;
		accounts.clear();
		idempotency.clear();
		setClock(undefined);
		autoDeliver = false;
		faults = [];
		chaos = undefined;
		rateLimit = undefined;
		acceptedTimes = [];
	};
	const checkFault = (f: Omit<Fault, 'times'>) => {
		if (f.action !== undefined && !['reset', 'reset-after', 'hang', 'hang-after'].includes(f.action))
			throw new Error(`unknown fault action ${String(f.action)}`);
		if (f.action === undefined && typeof f.status !== 'number') throw new Error('fault.status (or fault.action) is required');
	};
	const addFault = (f: Fault) => {
		checkFault(f);
		faults.push({ ...f, times: f.times ?? 1 });
	};
	const setChaos = (c?: Chaos) => {
		if (!c || !c.faults?.length || !(c.rate > 0)) {
			chaos = undefined;
			return;
		}
		c.faults.forEach(checkFault);
		chaos = { rate: c.rate, faults: c.faults, random: seededRandom(c.seed ?? 1) };
	};
	const setRateLimit = (perSecond?: number) => {
		rateLimit = perSecond !== undefined && perSecond > 0 ? perSecond : undefined;
		acceptedTimes = [];
	};
	const findDef = (resourcePath: string) => {
		const def = resources.find((r) => r.path === resourcePath);
		if (!def) throw new Error(`The stand-in has no resource ${resourcePath}`);
		return def;
	};
	const objects = (resourcePath: string, acct = '') =>
		[...account(acct).table(findDef(resourcePath).path).values()].sort((a, b) => a.seq - b.seq).map((st) => st.obj);
	const seed = (resourcePath: string, params: Array<{ [key: string]: unknown }>, acct = '') => {
		const def = findDef(resourcePath);
		const data = account(acct);
		return params.map(({ created, ...p }) => {
			const obj = create(def, data, data.table(def.path), p as FormObject);
			if (created !== undefined) obj.created = Number(created);
			return obj;
		});
	};
	/** Sockets left hanging on purpose, destroyed on close. */
	const hanging = new Set<http.ServerResponse>();

	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			const rawBody = Buffer.concat(chunks).toString('utf8');
			const url = new URL(req.url ?? '/', 'http://standin');
			const path = url.pathname;
			const rawQuery = url.search.replace(/^\?/, '');
			const method = (req.method ?? 'GET').toUpperCase();
			const requestId = `req_${randomId(14)}`;

			/** A network fault to apply instead of sending the (processed) answer. */
			let afterProcessing: FaultAction | undefined;
			const send = (reply: Reply, record?: RecordedRequest, rawText?: string) => {
				if (afterProcessing === 'reset-after' || afterProcessing === 'reset') {
					req.socket.destroy();
					return;
				}
				if (afterProcessing === 'hang-after' || afterProcessing === 'hang') {
					hanging.add(res);
					if (record) options.onHang?.(record);
					return;
				}
				const text = rawText ?? JSON.stringify(reply.body, null, 2);
				const headers: Record<string, string> = {
					'Content-Type': 'application/json',
					'Content-Length': String(Buffer.byteLength(text)),
					'Request-Id': requestId,
					'Cache-Control': 'no-cache, no-store',
					...(req.headers['stripe-version'] ? { 'Stripe-Version': String(req.headers['stripe-version']) } : {}),
					...(reply.headers ?? {}),
				};
				if (record && !afterProcessing) record.status = reply.status;
				const doSend = () => {
					res.writeHead(reply.status, headers);
					res.end(text);
				};
				if (latency > 0 && record) setTimeout(doSend, latency);
				else doSend();
				if (options.verbose) process.stderr.write(`[standin] ${method} ${req.url} -> ${reply.status}\n`);
			};

			// Control endpoints (not recorded).
			if (path.startsWith('/__standin/')) {
				try {
					if (path === '/__standin/requests' && method === 'GET') {
						const since = Number(url.searchParams.get('since') ?? 0);
						return send({ status: 200, body: requests.filter((r) => r.seq > since) });
					}
					if (path === '/__standin/reset' && method === 'POST') {
						reset();
						return send({ status: 200, body: { ok: true } });
					}
					if (path === '/__standin/faults' && method === 'POST') {
						addFault(JSON.parse(rawBody) as Fault);
						return send({ status: 200, body: { ok: true } });
					}
					if (path === '/__standin/chaos' && method === 'POST') {
						const c = JSON.parse(rawBody || '{}') as Chaos;
						setChaos(c.faults ? c : undefined);
						return send({ status: 200, body: { ok: true } });
					}
					if (path === '/__standin/rate-limit' && method === 'POST') {
						setRateLimit((JSON.parse(rawBody || '{}') as { perSecond?: number }).perSecond);
						return send({ status: 200, body: { ok: true } });
					}
					if (path === '/__standin/seed' && method === 'POST') {
						const b = JSON.parse(rawBody || '{}') as { resource?: string; objects?: Array<{ [key: string]: unknown }>; account?: string };
						if (typeof b.resource !== 'string' || !Array.isArray(b.objects)) throw new Error('seed needs { resource, objects: [...] }');
						return send({ status: 200, body: { seeded: seed(b.resource, b.objects, b.account).length } });
					}
					if (path === '/__standin/health') return send({ status: 200, body: { ok: true } });
					if (path === '/__standin/clock') {
						if (method === 'POST') {
							const c = JSON.parse(rawBody || '{}') as { now?: number; advance?: number; real?: boolean };
							if (c.real) setClock(undefined);
							if (typeof c.now === 'number') setClock(c.now);
							if (typeof c.advance === 'number') advanceClock(c.advance);
						}
						return send({ status: 200, body: { now: clock() } });
					}
					if (path === '/__standin/events' && method === 'POST') return send({ status: 200, body: addEvents(JSON.parse(rawBody || '{}') as AddEvents) });
					if (path === '/__standin/auto-deliver' && method === 'POST') {
						autoDeliver = !!(JSON.parse(rawBody || '{}') as { on?: boolean }).on;
						return send({ status: 200, body: { on: autoDeliver } });
					}
					if (path === '/__standin/deliveries' && method === 'GET') return send({ status: 200, body: deliveries });
					if (path === '/__standin/destinations' && method === 'GET')
						return send({ status: 200, body: allDestinations().map((d) => renderDestination(d, ['webhook_endpoint.url'])) });
					if (path === '/__standin/deliver' && method === 'POST') {
						deliver(JSON.parse(rawBody || '{}'))
							.then((result) => send({ status: 200, body: result }))
							.catch((e: Error) => send({ status: 400, body: { error: { message: e.message } } }));
						return;
					}
				} catch (e) {
					return send({ status: 400, body: { error: { message: (e as Error).message } } });
				}
				return send({ status: 404, body: { error: { message: `Unknown control endpoint ${method} ${path}` } } });
			}

			let query: FormObject = {};
			try {
				query = parseForm(rawQuery);
			} catch {
				query = {};
			}
			let parsedBody: unknown;
			try {
				parsedBody = path.startsWith('/v2/') ? (rawBody ? JSON.parse(rawBody) : undefined) : parseForm(rawBody);
			} catch {
				parsedBody = undefined;
			}
			const record: RecordedRequest = {
				seq: ++seq,
				time: new Date().toISOString(),
				method,
				path,
				rawQuery,
				query,
				headers: req.headers,
				rawBody,
				body: parsedBody,
				requestId,
				at: Date.now(),
			};
			requests.push(record);
			options.onRequest?.(record);

			try {
				if (rateLimit !== undefined) {
					const now = record.at;
					while (acceptedTimes.length && acceptedTimes[0] <= now - 1000) acceptedTimes.shift();
					if (acceptedTimes.length >= rateLimit) {
						record.fault = 'rate_limit';
						return send(
							{
								status: 429,
								body: {
									error: {
										type: 'invalid_request_error',
										code: 'rate_limit',
										doc_url: 'https://stripe.com/docs/error-codes/rate-limit',
										message: 'Too many requests hit the API too quickly. We recommend an exponential backoff of your requests.',
									},
								},
							},
							record,
						);
					}
					acceptedTimes.push(now);
				}
				let fault: Omit<Fault, 'times'> | undefined = faults.find(
					(f) =>
						(f.times ?? 1) > 0 &&
						(!f.method || f.method.toUpperCase() === method) &&
						(!f.path || (f.path.endsWith('*') ? path.startsWith(f.path.slice(0, -1)) : f.path === path)) &&
						(f.bodyContains === undefined || rawBody.includes(f.bodyContains)),
				);
				if (fault) {
					const matched = fault as Fault;
					matched.times = (matched.times ?? 1) - 1;
					faults = faults.filter((f) => (f.times ?? 1) > 0);
				} else if (chaos && chaos.random() < chaos.rate) {
					fault = chaos.faults[Math.floor(chaos.random() * chaos.faults.length)];
				}
				if (fault) {
					record.fault = fault.action ?? String(fault.status);
					if (fault.action === 'reset' || fault.action === 'hang') {
						afterProcessing = fault.action;
						return send({ status: 0, body: null }, record);
					}
					if (fault.action === 'reset-after' || fault.action === 'hang-after') {
						afterProcessing = fault.action; // processed below, then not answered
					} else {
						const status = fault.status as number;
						return send(
							{
								status,
								body: fault.body ?? { error: { type: status >= 500 ? 'api_error' : 'invalid_request_error', message: `Injected ${status}` } },
								headers: fault.headers,
							},
							record,
							fault.rawBody,
						);
					}
				}

				const { key } = authenticate(req.headers, options.liveKeys);
				const acct = String(req.headers['stripe-account'] ?? req.headers['stripe-context'] ?? '');
				const idemKey = req.headers['idempotency-key'];
				let idemSlot: string | undefined;
				const fingerprint = `${method} ${path}?${rawQuery}\n${rawBody}`;
				if (typeof idemKey === 'string' && (method === 'POST' || method === 'DELETE')) {
					if (idemKey.length > 255) throw paramError('idempotency_key_too_long', 'Idempotency-Key must be 255 characters or fewer.');
					idemSlot = `${key}\n${acct}\n${idemKey}`;
					const prev = idempotency.get(idemSlot);
					if (prev) {
						if (prev.fingerprint !== fingerprint) {
							throw new ApiError(400, {
								type: 'idempotency_error',
								message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${idemKey}' if you meant to execute a different request.`,
							});
						}
						record.replayed = true;
						return send(
							{
								...prev.reply,
								headers: { ...(prev.reply.headers ?? {}), 'Idempotent-Replayed': 'true', 'Original-Request': prev.requestId },
							},
							record,
						);
					}
				}
				const emit = (e: Omit<NewEvent, 'account' | 'created'>) =>
					void recordEvent(acct, { ...e, request: { id: requestId, idempotency_key: typeof idemKey === 'string' ? idemKey : null } });
				const ctx: RequestContext = { method, path, query, rawBody, headers: req.headers, data: account(acct), emit };
				let reply: Reply;
				const fileReply = path.startsWith('/v1/files') ? handleFiles(filesOf(ctx.data), method, path, rawBody, req.headers) : undefined;
				if (fileReply) reply = fileReply;
				else if (path === '/v1/events' || path.startsWith('/v1/events/'))
					reply = { status: 200, body: handleV1Events(ctx.data.events, method, path, query, clock()) };
				else if (path === '/v2/core/events' || path.startsWith('/v2/core/events/'))
					reply = { status: 200, body: handleV2Events(ctx.data.events, method, path, query, clock()) };
				else if (path.startsWith('/v1/')) reply = handleV1(ctx, resources, singletons);
				else if (path.startsWith('/v2/')) reply = handleV2(ctx);
				else throw unrecognizedUrl(method, path);
				if (idemSlot) {
					idempotency.set(idemSlot, { fingerprint, reply: { ...reply, body: JSON.parse(JSON.stringify(reply.body)) }, requestId });
					reply = { ...reply, headers: { ...(reply.headers ?? {}), 'Idempotency-Key': String(idemKey), 'Original-Request': requestId } };
				}
				send(reply, record, reply.raw);
				// Like Stripe, a ping is delivered after it is answered.
				if (reply.deliver) {
					const { destination, event } = reply.deliver;
					void deliverEvent(destination, event).then((d) => deliveries.push(d));
				}
				return;
			} catch (caught) {
				let e = caught;
				if (e instanceof EventsApiError) {
					e =
						e.code === ''
							? unrecognizedUrl(method, path)
							: new ApiError(e.status, {
									type: 'invalid_request_error',
									code: e.code,
									message: e.message,
									...(path.startsWith('/v1/') ? { doc_url: `https://stripe.com/docs/error-codes/${e.code.replace(/_/g, '-')}` } : {}),
									...(e.param !== undefined ? { param: e.param } : {}),
								});
				}
				if (e instanceof ApiError) {
					const error: StripeObject = { ...e.error };
					if (path.startsWith('/v1/') || !path.startsWith('/v2/')) {
						error.request_log_url = `https://dashboard.stripe.com/test/logs/${requestId}?t=${nowSeconds()}`;
					}
					for (const k of Object.keys(error)) if (error[k] === undefined) delete error[k];
					const headers: Record<string, string> = e.status === 401 ? { 'WWW-Authenticate': 'Bearer realm="Stripe"' } : {};
					return send({ status: e.status, body: { error }, headers }, record);
				}
				const message = (e as Error)?.stack ?? String(e);
				process.stderr.write(`[standin] internal error for ${method} ${path}: ${message}\n`);
				return send({ status: 500, body: { error: { type: 'api_error', message: 'An unknown error occurred in the Stripe stand-in.' } } }, record);
			}
		});
	});
	server.keepAliveTimeout = 5000;

	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? 0, host, () => {
			server.off('error', reject);
			resolve();
		});
	});
	const port = (server.address() as AddressInfo).port;
	const urlHost = host.includes(':') ? `[${host}]` : host;
	return {
		url: `http://${urlHost}:${port}`,
		port,
		requests,
		reset,
		deliveries,
		deliver,
		addFault,
		setChaos,
		setRateLimit,
		objects,
		seed,
		now: clock,
		setClock,
		advanceClock,
		addEvents,
		events: (acct = '', thin = false) => [...(thin ? account(acct).events.v2 : account(acct).events.v1)].sort((a, b) => a.seq - b.seq).map((e) => e.obj),
		setAutoDeliver: (on: boolean) => {
			autoDeliver = on;
		},
		close: () =>
			new Promise<void>((resolve) => {
				for (const r of hanging) r.socket?.destroy();
				hanging.clear();
				server.close(() => resolve());
				server.closeAllConnections?.();
			}),
	};
}

function parseArgs(argv: string[]): StandinOptions {
	const opts: StandinOptions = {};
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		const [flag, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
		const value = () => inline ?? argv[++i];
		if (flag === '--port' || flag === '-p') opts.port = Number(value());
		else if (flag === '--host') opts.host = value();
		else if (flag === '--latency') opts.latencyMs = Number(value());
		else if (flag === '--live-keys') opts.liveKeys = true;
		else if (flag === '--verbose' || flag === '-v') opts.verbose = true;
		else if (flag === '--help' || flag === '-h') {
			process.stdout.write('Usage: node dist-test/test/standin/server.js [--port 12111] [--host 127.0.0.1] [--latency ms] [--verbose]\n');
			process.exit(0);
		} else throw new Error(`Unknown argument: ${a}`);
	}
	return opts;
}

if (require.main === module) {
	startStandin(parseArgs(process.argv.slice(2)))
		.then((s) => {
			process.stdout.write(`Stripe stand-in listening on ${s.url}\n`);
			const stop = () => void s.close().then(() => process.exit(0));
			process.on('SIGINT', stop);
			process.on('SIGTERM', stop);
		})
		.catch((e: Error) => {
			process.stderr.write(`${e.message}\n`);
			process.exit(1);
		});
}
