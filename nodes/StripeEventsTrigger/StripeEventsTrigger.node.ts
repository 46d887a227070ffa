import type {
	IDataObject,
	IHookFunctions,
	ILoadOptionsFunctions,
	INodePropertyOptions,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeApiError, NodeConnectionTypes, sleep } from 'n8n-workflow';

import { SNAPSHOT_EVENT_TYPES, THIN_EVENT_TYPES } from '../../generated/event-types';
import { callStripe } from '../shared/client/client';
import { createdSeconds, EVENT_RETENTION_SECONDS, listAll, listSnapshotEvents } from '../shared/events/events-api';
import { eventTypeOptions } from '../shared/pickers/lookups';
import type { PageStep } from '../shared/client/pager';
import { pages } from '../shared/client/pager';
import { DEFAULT_TOLERANCE_SECONDS, verifySignature } from '../shared/events/signature';
import type { StripeContext, StripeSettings } from '../shared/client/transport';
import { getStripeSettings, stripeError } from '../shared/client/transport';

const DESTINATIONS = '/v2/core/event_destinations';

/** What the node's settings ask Stripe for; compared with the live destination by checkExists. */
interface DesiredDestination {
	url: string;
	eventPayload: 'snapshot' | 'thin';
	enabledEvents: string[];
	eventsFrom: string[];
	snapshotApiVersion?: string;
}

type TriggerStaticData = Record<string, unknown> & {
	destinationId?: string;
	signingSecret?: string;
	webhookUrl?: string;
	testDestinationId?: string;
	testSigningSecret?: string;
	testWebhookUrl?: string;
	/** Event IDs already started, with the time they were accepted (unix seconds): replays are dropped. */
	seenEvents?: Record<string, number>;
	/** Unix seconds: the newest `created` of the events started (or the first activation); catch-up reads from here. */
	caughtUpTo?: number;
	/** Unix seconds: the first activation; nothing older is caught up. */
	catchUpStart?: number;
};

interface Slot {
	test: boolean;
	id: 'testDestinationId' | 'destinationId';
	secret: 'testSigningSecret' | 'signingSecret';
	url: 'testWebhookUrl' | 'webhookUrl';
}

const PRODUCTION: Slot = { test: false, id: 'destinationId', secret: 'signingSecret', url: 'webhookUrl' };
const TEST: Slot = { test: true, id: 'testDestinationId', secret: 'testSigningSecret', url: 'testWebhookUrl' };

/**
 * n8n's webhook endpoint in a webhook URL: `<base>/<endpoint>/<webhookId>/<path>`, i.e. "webhook" or
 * "webhook-test" by default (N8N_ENDPOINT_WEBHOOK / N8N_ENDPOINT_WEBHOOK_TEST).
 */
function endpointOf(url: string | undefined): string | undefined {
	if (!url) return undefined;
	try {
		const parts = new URL(url).pathname.split('/').filter(Boolean);
		return parts.length >= 3 ? parts[parts.length - 3] : undefined;
	} catch {
		return undefined;
	}
}

/**
 * Which destination a hook or delivery is about: the production webhook's, or the test webhook's ("Listen
 * for test event"), so listening for a test event never touches an active workflow's destination.
 *
 * Decided by the webhook URL n8n serves for this call, which n8n derives from the webhook being a test one
 * in every mode. (The execution mode is not enough: n8n 2.41 creates test webhooks in mode `manual` but
 * removes them, like production ones, in mode `internal`.) The URL is compared with the URLs stored when the
 * destinations were created, by n8n endpoint (so a changed WEBHOOK_URL still finds the right one); a URL that is not the stored
 * production one is never taken for it. Only when nothing is stored does the activation mode decide
 * (`manual`: test).
 */
function slotFor(url: string | undefined, data: TriggerStaticData, fallbackTest: boolean): Slot {
	if (url && url === data.testWebhookUrl) return TEST;
	if (url && url === data.webhookUrl) return PRODUCTION;
	const endpoint = endpointOf(url);
	if (endpoint && endpoint === endpointOf(data.testWebhookUrl)) return TEST;
	if (endpoint && endpoint === endpointOf(data.webhookUrl)) return PRODUCTION;
	// Not the endpoint of the stored one: the other one (never the production destination by default).
	if (data.webhookUrl) return TEST;
	if (data.testWebhookUrl) return PRODUCTION;
	return fallbackTest ? TEST : PRODUCTION;
}

function hookSlot(ctx: IHookFunctions, data: TriggerStaticData): Slot {
	return slotFor(ctx.getNodeWebhookUrl('default'), data, ctx.getActivationMode() === 'manual');
}

function deliverySlot(ctx: IWebhookFunctions, data: TriggerStaticData): Slot {
	// getWebhookResourceUrl: the endpoint actually served (n8n >= 2.x); getNodeWebhookUrl is always production.
	const served = typeof ctx.getWebhookResourceUrl === 'function' ? ctx.getWebhookResourceUrl('default') : undefined;
	return served ? slotFor(served, data, ctx.getMode() === 'manual') : ctx.getMode() === 'manual' ? TEST : PRODUCTION;
}

/** Replay memory: event IDs kept at least this long (and at least the signature tolerance)… */
export const SEEN_EVENTS_RETENTION_SECONDS = 24 * 3600;
/** …and at most this many per trigger (the oldest are forgotten first), so static data stays small. */
export const SEEN_EVENTS_MAX = 1000;

function alreadySeen(data: TriggerStaticData, eventId: string, now: number, tolerance: number): boolean {
	const at = data.seenEvents?.[eventId];
	return typeof at === 'number' && now - at <= Math.max(tolerance, SEEN_EVENTS_RETENTION_SECONDS);
}

/**
 * Records an accepted event ID in the node's static data, which n8n saves to its database after the
 * delivery (in every process that serves webhooks: main, or the webhook processors in queue mode) and
 * loads again for the next one; so it survives restarts and is seen by every process.
 */
function rememberEvents(data: TriggerStaticData, eventIds: string[], now: number, tolerance: number): void {
	const keep = Math.max(tolerance, SEEN_EVENTS_RETENTION_SECONDS);
	const entries = Object.entries(data.seenEvents ?? {}).filter(([, at]) => typeof at === 'number' && now - at <= keep);
	for (const id of eventIds) entries.push([id, now]);
	entries.sort((a, b) => a[1] - b[1]);
	// A new object (not a nested write), so n8n's change tracking marks the static data as changed.
	data.seenEvents = Object.fromEntries(entries.slice(-SEEN_EVENTS_MAX));
	markChangedAfterStart(data);
}

/**
 * Event IDs claimed by deliveries in this process (main, or one webhook processor), keyed by workflow, node,
 * destination and event. The check and the claim happen in one synchronous step of the event loop, so of two
 * copies of an event arriving at the same moment, or any later copy while this process runs, exactly one starts
 * the workflow, however late n8n saves the static data. Across restarts and processes the static-data memory
 * above applies. Bounded like it: SEEN_EVENTS_RETENTION_SECONDS, at most CLAIMS_MAX entries per process.
 */
const claims = new Map<string, number>();
const CLAIMS_MAX = 50_000;

function claimKey(ctx: IWebhookFunctions, slot: Slot, eventId: string): string {
	return [ctx.getWorkflow().id ?? '', ctx.getNode().name, slot.id, eventId].join('\u0000');
}

/** What a process restart forgets (tests simulate restarts and other processes with it). */
export function forgetProcessClaims(): void {
	claims.clear();
}

/** True if this delivery now owns the event; false if another delivery in this process has it. */
function claim(key: string, now: number, tolerance: number): boolean {
	const at = claims.get(key);
	if (at !== undefined && now - at <= Math.max(tolerance, SEEN_EVENTS_RETENTION_SECONDS)) return false;
	claims.delete(key);
	claims.set(key, now);
	if (claims.size > CLAIMS_MAX) {
		// Map keeps insertion order: the first entries are the oldest claims.
		for (const k of [...claims.keys()].slice(0, claims.size - CLAIMS_MAX)) claims.delete(k);
	}
	return true;
}

/**
 * n8n 2.41.1 loses a webhook's static-data change when the delivery starts an execution: WorkflowRunner.run
 * (establishContextForPersistence) wraps the same static-data object in a new Workflow, which resets its
 * "changed" flag, before the webhook server saves changed static data after starting the execution; so
 * nothing is saved (verified in n8n's source and in a real n8n, regular and queue mode). Writing the value
 * again once that has happened marks it changed again: a few times, from right after this webhook call
 * until a few seconds later, so that one write falls between the reset and the save. Harmless otherwise.
 */
function markChangedAfterStart(data: TriggerStaticData): void {
	const again = () => {
		const seen = data.seenEvents;
		data.seenEvents = seen;
	};
	void (async () => {
		for (const ms of [0, 5, 15, 30, 50, 150, 250, 500, 1000, 2000]) {
			await sleep(ms);
			again();
		}
	})();
}

function desiredDestination(ctx: IHookFunctions, settings: StripeSettings): DesiredDestination {
	const eventPayload = ctx.getNodeParameter('eventPayload', 'snapshot') as 'snapshot' | 'thin';
	const events = ctx.getNodeParameter(eventPayload === 'thin' ? 'thinEvents' : 'snapshotEvents', []) as string[];
	const eventsFrom = (ctx.getNodeParameter('eventsFrom', ['self']) as string[]).slice().sort();
	const version = String(ctx.getNodeParameter('snapshotApiVersion', '') || '').trim() || settings.apiVersion;
	return {
		url: ctx.getNodeWebhookUrl('default') as string,
		eventPayload,
		enabledEvents: [...new Set(events)].sort(),
		eventsFrom: eventsFrom.length ? eventsFrom : ['self'],
		...(eventPayload === 'snapshot' ? { snapshotApiVersion: version } : {}),
	};
}

function matches(live: IDataObject, want: DesiredDestination): boolean {
	const sorted = (v: unknown) => (Array.isArray(v) ? v.map(String).sort() : []);
	const endpoint = (live.webhook_endpoint ?? {}) as IDataObject;
	return (
		live.status === 'enabled' &&
		live.type === 'webhook_endpoint' &&
		endpoint.url === want.url &&
		live.event_payload === want.eventPayload &&
		JSON.stringify(sorted(live.enabled_events)) === JSON.stringify(want.enabledEvents) &&
		JSON.stringify(sorted(live.events_from ?? ['self'])) === JSON.stringify(want.eventsFrom) &&
		(want.eventPayload !== 'snapshot' || live.snapshot_api_version === want.snapshotApiVersion)
	);
}

/** Delete a destination; one that is already gone counts as deleted. */
async function deleteDestination(ctx: StripeContext, settings: StripeSettings, id: string): Promise<void> {
	const res = await callStripe(ctx, settings, { method: 'DELETE', path: `${DESTINATIONS}/${encodeURIComponent(id)}`, apiMode: 'v2' }, 'return');
	if (res.statusCode >= 400 && res.statusCode !== 404) throw stripeError(ctx, res);
}

/** Destinations pointing at this node's URL that we no longer track (lost static data): removed, no orphans. */
async function deleteOrphans(ctx: IHookFunctions, settings: StripeSettings, url: string): Promise<void> {
	const first = { include: ['webhook_endpoint.url'], limit: 100 };
	const fetchPage = async (step: PageStep | undefined) =>
		(
			await callStripe(
				ctx,
				settings,
				step && 'path' in step ? { method: 'GET', path: step.path, apiMode: 'v2' } : { method: 'GET', path: DESTINATIONS, params: first, apiMode: 'v2' },
				'throw',
			)
		).body;
	for await (const rows of pages(fetchPage, { kind: 'v2list', where: (n) => `GET ${DESTINATIONS}, page ${n}`, maxPages: 20 })) {
		for (const d of rows) {
			if (((d.webhook_endpoint ?? {}) as IDataObject).url === url) await deleteDestination(ctx, settings, String(d.id));
		}
	}
}

export class StripeEventsTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Stripe Events Trigger',
		name: 'stripeEventsTrigger',
		icon: { light: 'file:../../icons/stripe.svg', dark: 'file:../../icons/stripe.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{($parameter["eventPayload"] === "thin" ? $parameter["thinEvents"] : $parameter["snapshotEvents"]).join(", ")}}',
		description: 'Starts the workflow on Stripe events, through a v2 event destination it creates and removes itself',
		defaults: { name: 'Stripe Events Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'stripeKeyApi', required: true }],
		// responseData '': n8n answers with the webhookResponse the node returns ({"received":true}) instead of
		// its default ("firstEntryJson", sent literally for nodes that are not n8n's own Webhook node).
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', responseData: '', path: 'webhook' }],
		properties: [
			{
				displayName:
					'Publishing the workflow creates a Stripe event destination (where Stripe sends the events) for it; unpublishing deletes it. Every delivery’s Stripe-Signature is verified.',
				name: 'notice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Event Payload',
				name: 'eventPayload',
				type: 'options',
				options: [
					{
						name: 'Full Object (Snapshot Events)',
						value: 'snapshot',
						description: 'Each event carries the whole object as it was when the event happened, e.g. the paid invoice for invoice.paid (Stripe’s v1 events)',
					},
					{
						name: 'ID Only (Thin Events)',
						value: 'thin',
						description:
							'Each event carries only its type and the ID of the object it is about; the node can fetch the full event and the object (Stripe’s v2 events)',
					},
				],
				default: 'snapshot',
			},
			{
				displayName: 'Event Names or IDs',
				name: 'snapshotEvents',
				type: 'multiOptions',
				typeOptions: { loadOptionsMethod: 'getSnapshotEventTypes' },
				required: true,
				default: [],
				description:
					'The event types to receive (* for all). Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
				displayOptions: { show: { eventPayload: ['snapshot'] } },
			},
			{
				displayName: 'Event Names or IDs',
				name: 'thinEvents',
				type: 'multiOptions',
				typeOptions: { loadOptionsMethod: 'getThinEventTypes' },
				required: true,
				default: [],
				description:
					'The thin event types to receive. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
				displayOptions: { show: { eventPayload: ['thin'] } },
			},
			{
				displayName: 'Events From',
				name: 'eventsFrom',
				type: 'multiOptions',
				options: [
					{ name: 'This Account', value: 'self' },
					{ name: 'Connected Accounts', value: 'other_accounts', description: 'For Connect platforms: events of connected accounts' },
				],
				default: ['self'],
			},
			{
				displayName: 'Catch Up Missed Events',
				name: 'catchUp',
				type: 'boolean',
				default: true,
				description:
					'Whether each delivery also starts, before its own event, the selected events Stripe did not deliver since the last event this trigger started (e.g. while the workflow was inactive or its destination missing), read from Stripe’s Events API (last 30 days), oldest first',
				displayOptions: { show: { eventPayload: ['snapshot'] } },
			},
			{
				displayName: 'API Version of Event Objects',
				name: 'snapshotApiVersion',
				type: 'string',
				default: '',
				placeholder: '2024-11-20.acacia',
				description:
					'The Stripe API version whose fields the objects in the events have (objects change shape between versions). Empty: the credential’s API version.',
				displayOptions: { show: { eventPayload: ['snapshot'] } },
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Fetch Full Event',
						name: 'fetchEvent',
						type: 'boolean',
						default: false,
						description: 'Whether to fetch the whole event from Stripe (GET /v2/core/events/{ID}) before starting the workflow (thin events)',
						displayOptions: { show: { '/eventPayload': ['thin'] } },
					},
					{
						displayName: 'Fetch Related Object',
						name: 'fetchRelatedObject',
						type: 'boolean',
						default: false,
						description: 'Whether to fetch the object the event is about (from its related object URL) into related_object_data (thin events)',
						displayOptions: { show: { '/eventPayload': ['thin'] } },
					},
					{
						displayName: 'Signature Tolerance (Seconds)',
						name: 'tolerance',
						type: 'number',
						typeOptions: { minValue: 1 },
						default: DEFAULT_TOLERANCE_SECONDS,
						description: 'How far a delivery’s signed timestamp may be from now; older (or later) deliveries are rejected',
					},
				],
			},
		],
	};

	methods = {
		loadOptions: {
			async getSnapshotEventTypes(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
				return eventTypeOptions(SNAPSHOT_EVENT_TYPES, { all: true });
			},
			async getThinEventTypes(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
				return eventTypeOptions(THIN_EVENT_TYPES);
			},
		},
	};

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				const data = this.getWorkflowStaticData('node') as TriggerStaticData;
				const key = hookSlot(this, data);
				const id = data[key.id];
				if (!id) return false;
				const settings = await getStripeSettings(this);
				const want = desiredDestination(this, settings);
				const path = `${DESTINATIONS}/${encodeURIComponent(id)}`;
				const res = await callStripe(this, settings, { method: 'GET', path, params: { include: ['webhook_endpoint.url'] }, apiMode: 'v2' }, 'return');
				if (res.statusCode === 404) {
					delete data[key.id];
					delete data[key.secret];
					return false;
				}
				if (res.statusCode >= 400) throw stripeError(this, res);
				if (data[key.secret] && matches(res.body as IDataObject, want)) return true;
				// Disabled, or no longer what the node asks for: replace it (create() deletes the stale one).
				return false;
			},

			async create(this: IHookFunctions): Promise<boolean> {
				const data = this.getWorkflowStaticData('node') as TriggerStaticData;
				const key = hookSlot(this, data);
				const settings = await getStripeSettings(this);
				const want = desiredDestination(this, settings);
				if (!want.enabledEvents.length) {
					throw new NodeApiError(this.getNode(), {}, { message: 'Choose at least one event type to receive' });
				}
				const stale = data[key.id];
				if (stale) await deleteDestination(this, settings, stale);
				delete data[key.id];
				delete data[key.secret];
				await deleteOrphans(this, settings, want.url);
				const workflow = this.getWorkflow();
				const body: IDataObject = {
					name: `n8n ${workflow.name ?? ''}`.trim().slice(0, 100),
					description:
						`Created by n8n for workflow "${workflow.name ?? ''}" (${workflow.id ?? 'unsaved'}), node "${this.getNode().name}". Deleted when the workflow is deactivated.`.slice(
							0,
							500,
						),
					type: 'webhook_endpoint',
					event_payload: want.eventPayload,
					enabled_events: want.enabledEvents,
					events_from: want.eventsFrom,
					...(want.snapshotApiVersion ? { snapshot_api_version: want.snapshotApiVersion } : {}),
					webhook_endpoint: { url: want.url },
					include: ['webhook_endpoint.signing_secret', 'webhook_endpoint.url'],
				};
				const res = await callStripe(this, settings, { method: 'POST', path: DESTINATIONS, apiMode: 'v2', params: body }, 'throw');
				const created = res.body as IDataObject;
				const secret = ((created.webhook_endpoint ?? {}) as IDataObject).signing_secret;
				if (!created.id || typeof secret !== 'string') {
					if (created.id) await deleteDestination(this, settings, String(created.id));
					throw new NodeApiError(this.getNode(), {}, { message: 'Stripe created the event destination without returning its signing secret' });
				}
				data[key.id] = String(created.id);
				data[key.secret] = secret;
				data[key.url] = want.url;
				// Catch-up starts at the first activation; a later one keeps it, so the inactive time is caught up.
				if (!key.test && typeof data.caughtUpTo !== 'number') {
					data.caughtUpTo = Math.floor(Date.now() / 1000);
					data.catchUpStart = data.caughtUpTo;
				}
				return true;
			},

			async delete(this: IHookFunctions): Promise<boolean> {
				const data = this.getWorkflowStaticData('node') as TriggerStaticData;
				const key = hookSlot(this, data);
				const id = data[key.id];
				if (id) {
					const settings = await getStripeSettings(this);
					await deleteDestination(this, settings, id);
				}
				delete data[key.id];
				delete data[key.secret];
				delete data[key.url];
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const req = this.getRequestObject() as unknown as { headers: Record<string, string | string[] | undefined>; rawBody?: Buffer };
		const res = this.getResponseObject();
		const data = this.getWorkflowStaticData('node') as TriggerStaticData;
		const options = this.getNodeParameter('options', {}) as IDataObject;
		const tolerance = Number(options.tolerance ?? DEFAULT_TOLERANCE_SECONDS);
		const slot = deliverySlot(this, data);
		const check = verifySignature(req.headers['stripe-signature'], req.rawBody, data[slot.secret] ?? '', tolerance);
		if (!check.ok) {
			res.status(check.status).json({ error: { message: `Invalid Stripe-Signature: ${check.reason}` } });
			return { noWebhookResponse: true };
		}
		const event = this.getBodyData() as IDataObject;
		const payload = this.getNodeParameter('eventPayload', 'snapshot') as string;
		const selected = this.getNodeParameter(payload === 'thin' ? 'thinEvents' : 'snapshotEvents', []) as string[];
		if (!selected.includes('*') && !selected.includes(String(event.type))) {
			return { webhookResponse: { received: true, ignored: `event type ${String(event.type)} is not selected` } };
		}
		const eventId = typeof event.id === 'string' && event.id.length <= 255 ? event.id : undefined;
		const now = Math.floor(Date.now() / 1000);
		const key = eventId ? claimKey(this, slot, eventId) : undefined;
		// Checked and claimed synchronously (no await before): see `claims`.
		if (eventId && key && (alreadySeen(data, eventId, now, tolerance) || !claim(key, now, tolerance))) {
			// Stripe delivers at least once (and a captured delivery can be replayed within the tolerance):
			// acknowledged, so Stripe stops retrying, and no second execution.
			return { webhookResponse: { received: true, duplicate: true } };
		}
		const missed = payload === 'snapshot' && !slot.test ? await catchUp(this, data, event, eventId, selected, now, tolerance) : [];
		let item: IDataObject = { ...event };
		if (payload === 'thin' && (options.fetchEvent || options.fetchRelatedObject)) {
			let fetched = false;
			try {
				item = await fetchThin(this, event, options);
				fetched = true;
			} finally {
				// Not started: the claim is released, so Stripe's retry runs it.
				if (!fetched && key) claims.delete(key);
			}
		}
		// Connected-account events: which account the event belongs to, whatever the payload style.
		if (item.account === undefined) item.account = event.account ?? null;
		if (payload === 'thin' && item.context === undefined) item.context = event.context ?? null;
		// Recorded only once everything above succeeded: a delivery that failed here is retried by Stripe.
		const started = [...missed.map((m) => String(m.id)), ...(eventId ? [eventId] : [])];
		if (started.length) rememberEvents(data, started, now, tolerance);
		const created = typeof event.created === 'number' ? event.created : now;
		if (typeof data.caughtUpTo === 'number' && created > data.caughtUpTo) data.caughtUpTo = created;
		// The answer to Stripe: a fixed acknowledgement, never the event (see responseData in the description).
		return { webhookResponse: { received: true }, workflowData: [this.helpers.returnJsonArray([...missed, item])] };
	}
}

/** How far before `caughtUpTo` the catch-up reads, for events Stripe lists a moment late. */
export const CATCH_UP_OVERLAP_SECONDS = 120;

/**
 * The selected snapshot events created since the last event this trigger started, up to this delivery's event,
 * that it has not started (not remembered, not claimed in this process): claimed here and returned oldest
 * first, to start before the delivered event. Read from the Events API (the last 30 days), for this account and,
 * when selected, each connected account. If Stripe cannot be read, the delivery starts its own event only and
 * the next delivery tries again.
 */
async function catchUp(
	ctx: IWebhookFunctions,
	data: TriggerStaticData,
	event: IDataObject,
	eventId: string | undefined,
	selected: string[],
	now: number,
	tolerance: number,
): Promise<IDataObject[]> {
	if (typeof data.caughtUpTo !== 'number' || ctx.getNodeParameter('catchUp', true) === false) return [];
	const until = typeof event.created === 'number' ? event.created : now;
	const since = Math.max(data.caughtUpTo - CATCH_UP_OVERLAP_SECONDS, data.catchUpStart ?? 0, now - EVENT_RETENTION_SECONDS);
	if (until < since) return [];
	const from = ctx.getNodeParameter('eventsFrom', ['self']) as string[];
	let rows: IDataObject[] = [];
	try {
		const settings = await getStripeSettings(ctx);
		const accounts: Array<string | undefined> = from.length === 0 || from.includes('self') ? [undefined] : [];
		if (from.includes('other_accounts')) for (const a of await listAll(ctx, settings, '/v1/accounts', { limit: 100 })) accounts.push(String(a.id));
		for (const account of accounts) {
			const listed = await listSnapshotEvents(ctx, settings, { types: selected, since, until, account });
			// Newest first from Stripe: reversed, oldest first.
			rows.push(...listed.reverse());
		}
	} catch {
		return [];
	}
	rows = rows.filter((e) => createdSeconds(e) >= since).sort((a, b) => createdSeconds(a) - createdSeconds(b));
	const out: IDataObject[] = [];
	for (const e of rows) {
		const id = String(e.id);
		if (id === eventId || alreadySeen(data, id, now, tolerance)) continue;
		const key = claimKey(ctx, PRODUCTION, id);
		if (!claim(key, now, tolerance)) continue;
		out.push({ ...e, account: e.account ?? null });
	}
	return out;
}

/** A thin event's full event and related object, fetched with the event's context as the account. */
async function fetchThin(ctx: IWebhookFunctions, event: IDataObject, options: IDataObject): Promise<IDataObject> {
	let item: IDataObject = { ...event };
	const settings = await getStripeSettings(ctx);
	const context = typeof event.context === 'string' && event.context ? event.context : undefined;
	if (options.fetchEvent && event.id) {
		const full = await callStripe(
			ctx,
			settings,
			{ method: 'GET', path: `/v2/core/events/${encodeURIComponent(String(event.id))}`, apiMode: 'v2', stripeAccount: context },
			'throw',
		);
		item = { ...(full.body as IDataObject) };
	}
	const related = (event.related_object ?? {}) as IDataObject;
	if (options.fetchRelatedObject && typeof related.url === 'string' && related.url.startsWith('/v1/')) {
		const obj = await callStripe(ctx, settings, { method: 'GET', path: related.url, apiMode: 'v1', stripeAccount: context }, 'throw');
		item.related_object_data = obj.body as IDataObject;
	}
	return item;
}
