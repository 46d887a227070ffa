import type { IDataObject, INodeExecutionData, INodeType, INodeTypeDescription, IPollFunctions } from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { createdSeconds, EVENT_RETENTION_SECONDS, fetchRelatedObject, listAll, listSnapshotEvents, MAX_TYPES_FILTER } from '../shared/events/events-api';
import { readPages } from '../shared/client/pager';
import type { StripeRequest } from '../shared/client/request';
import type { StripeSettings } from '../shared/client/transport';
import { getStripeSettings } from '../shared/client/transport';
import { EVENT_SELECTION_PROPERTIES, eventSelectionMethods, EVENTS_SUBTITLE, FETCH_RELATED_OBJECT_OPTION } from '../shared/events/selection';

export const RETENTION_SECONDS = EVENT_RETENTION_SECONDS;
/**
 * Each poll reads again this far before the newest event it emitted, and skips the IDs it already emitted in
 * that span, so an event that becomes visible in Stripe's list a little after a newer one is still emitted once.
 */
export const OVERLAP_SECONDS = 120;

/** What the node keeps in its static data between polls (n8n saves it in its database). */
export interface PollState {
	/** Unix seconds: events created at or after this (less OVERLAP_SECONDS) are read by the next poll. */
	since?: number;
	/** Unix seconds: where the trigger started (now at activation, or the moment chosen); nothing older is emitted. */
	start?: number;
	/** IDs of the events emitted within OVERLAP_SECONDS of `since`, with their `created` (unix seconds). */
	emitted?: Record<string, number>;
	/** A window of events that Stripe no longer keeps, to be reported (unix seconds). */
	lost?: { from: number; to: number };
}

interface Selection {
	payload: 'snapshot' | 'thin';
	types: string[];
	all: boolean;
	fromSelf: boolean;
	fromConnected: boolean;
	fetchRelatedObject: boolean;
}

/** One event with its sort keys: created (unix s), then the order Stripe listed it in (newest first). */
interface Listed {
	event: IDataObject;
	created: number;
	rank: number;
}

function selection(ctx: IPollFunctions): Selection {
	const payload = ctx.getNodeParameter('eventPayload', 'snapshot') as 'snapshot' | 'thin';
	const types = [...new Set(ctx.getNodeParameter(payload === 'thin' ? 'thinEvents' : 'snapshotEvents', []) as string[])];
	const from = ctx.getNodeParameter('eventsFrom', ['self']) as string[];
	const options = ctx.getNodeParameter('options', {}) as IDataObject;
	if (!types.length) throw new NodeOperationError(ctx.getNode(), 'Choose at least one event type to receive');
	return {
		payload,
		types,
		all: types.includes('*'),
		fromSelf: from.length === 0 || from.includes('self'),
		fromConnected: from.includes('other_accounts'),
		fetchRelatedObject: payload === 'thin' && options.fetchRelatedObject === true,
	};
}

function iso(seconds: number): string {
	return new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
}

/** The accounts whose events are read: undefined is the credential's own account. */
async function sources(ctx: IPollFunctions, settings: StripeSettings, sel: Selection): Promise<Array<string | undefined>> {
	const out: Array<string | undefined> = sel.fromSelf ? [undefined] : [];
	if (sel.fromConnected) for (const a of await listAll(ctx, settings, '/v1/accounts', { limit: 100 })) out.push(String(a.id));
	return out;
}

/** Snapshot events created at or after `since`, of the selected types, from one account (all pages). */
async function snapshotEvents(ctx: IPollFunctions, settings: StripeSettings, sel: Selection, since: number, account?: string, firstMatch = false) {
	const oneIsEnough = firstMatch && (sel.all || sel.types.length <= MAX_TYPES_FILTER);
	return await listSnapshotEvents(ctx, settings, { types: sel.types, since, account, limit: oneIsEnough ? 1 : 100, firstMatch });
}

/**
 * Thin events created at or after `since`. In API version 2024-11-20.acacia Stripe lists v2 events only per
 * object (`object_id` is required), and the thin event types of this version are about billing meters: so the
 * node lists the account's meters and reads each meter's events, newest first, until it reaches older ones.
 */
async function thinEvents(ctx: IPollFunctions, settings: StripeSettings, sel: Selection, since: number, account?: string, first = false) {
	const out: IDataObject[] = [];
	for (const meter of await listAll(ctx, settings, '/v1/billing/meters', { limit: 100 }, account)) {
		const firstPage: StripeRequest = {
			method: 'GET',
			path: '/v2/core/events',
			params: { object_id: String(meter.id), limit: first ? 1 : 100 },
			apiMode: 'v2',
			stripeAccount: account,
		};
		const where = (n: number) => `GET /v2/core/events?object_id=${String(meter.id)}${account ? ` (${account})` : ''}, page ${n}`;
		for await (const rows of readPages(ctx, settings, firstPage, { kind: 'v2list', where, maxPages: first ? 1 : undefined })) {
			const recent = rows.filter((e) => createdSeconds(e) >= since);
			out.push(...recent.filter((e) => sel.all || sel.types.includes(String(e.type))));
			if (recent.length < rows.length) break; // newest first: the rest is older
		}
	}
	return out;
}

/** Every selected event created at or after `since`, from every source, oldest first. */
async function readEvents(ctx: IPollFunctions, settings: StripeSettings, sel: Selection, since: number): Promise<Listed[]> {
	const listed: Listed[] = [];
	let rank = 0;
	for (const account of await sources(ctx, settings, sel)) {
		const rows = sel.payload === 'thin' ? await thinEvents(ctx, settings, sel, since, account) : await snapshotEvents(ctx, settings, sel, since, account);
		// Newest first from Stripe: the last listed of a second is the oldest of it.
		rows.forEach((event, i) => listed.push({ event, created: createdSeconds(event), rank: rank + rows.length - i }));
		rank += rows.length;
	}
	return listed.sort((a, b) => a.created - b.created || a.rank - b.rank);
}

/** The item of an event: the same shape as the webhook trigger's. */
async function toItem(ctx: IPollFunctions, settings: StripeSettings, sel: Selection, event: IDataObject): Promise<IDataObject> {
	const item: IDataObject = { ...event };
	if (item.account === undefined) item.account = null;
	if (sel.payload === 'thin') {
		if (item.context === undefined) item.context = null;
		const related = sel.fetchRelatedObject ? await fetchRelatedObject(ctx, settings, event) : undefined;
		if (related) item.related_object_data = related;
	}
	return item;
}

/** Poll contexts that have polled already: n8n creates one per activation and polls through it on schedule. */
const polled = new WeakSet<object>();

/** The clock the polls read (ms since the epoch); tests replace `now` to simulate days passing. */
export const pollClock = { now: (): number => Date.now() };

export class StripeEventsPollingTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Stripe Events Polling Trigger',
		name: 'stripeEventsPollingTrigger',
		icon: { light: 'file:../../icons/stripe.svg', dark: 'file:../../icons/stripe.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: EVENTS_SUBTITLE,
		description: 'Starts the workflow on Stripe events by polling Stripe’s Events API; needs no public URL',
		defaults: { name: 'Stripe Events Polling Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'stripeKeyApi', required: true }],
		properties: [
			{
				displayName:
					'Reads new events from Stripe’s Events API on the schedule below and starts the workflow once with all of them, oldest first. Works where Stripe cannot reach n8n (e.g. localhost); for instant delivery use the Stripe Events Trigger.',
				name: 'notice',
				type: 'notice',
				default: '',
			},
			...EVENT_SELECTION_PROPERTIES,
			{
				displayName: 'Start From',
				name: 'startFrom',
				type: 'options',
				options: [
					{ name: 'Now', value: 'now', description: 'Only events that happen after the workflow is activated' },
					{ name: 'A Moment in the Past', value: 'moment', description: 'Also the events since a moment of the last 30 days (Stripe keeps events for 30 days)' },
				],
				default: 'now',
				description: 'Where the first poll after activation starts. Later polls continue where the last one ended.',
			},
			{
				displayName: 'Start At',
				name: 'startAt',
				type: 'dateTime',
				default: '',
				required: true,
				description: 'The first events to emit are those created at or after this moment (within the last 30 days)',
				displayOptions: { show: { startFrom: ['moment'] } },
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					FETCH_RELATED_OBJECT_OPTION,
				],
			},
		],
	};

	methods = eventSelectionMethods;

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return await pollEvents(this, Math.floor(pollClock.now() / 1000));
	}
}

/** *Fetch Test Event*: the latest matching event of the last 30 days; nothing is saved. */
async function fetchTestEvent(ctx: IPollFunctions, settings: StripeSettings, sel: Selection, now: number): Promise<INodeExecutionData[][]> {
	let latest: Listed | undefined;
	let rank = 0;
	for (const account of await sources(ctx, settings, sel)) {
		const rows =
			sel.payload === 'thin'
				? await thinEvents(ctx, settings, sel, now - RETENTION_SECONDS, account, true)
				: await snapshotEvents(ctx, settings, sel, now - RETENTION_SECONDS, account, true);
		for (const event of rows) {
			const c = { event, created: createdSeconds(event), rank: rank-- };
			if (!latest || c.created > latest.created) latest = c;
		}
	}
	if (!latest) {
		throw new NodeOperationError(ctx.getNode(), 'No matching Stripe event in the last 30 days', {
			description: 'Cause one in test mode (e.g. create a customer for customer.created), then fetch again. Stripe keeps events for 30 days.',
		});
	}
	return [[{ json: await toItem(ctx, settings, sel, latest.event) }]];
}

/**
 * The first poll after activation sets where to start: the moment chosen (returned: read from there), checked to
 * lie within Stripe's 30 days, or now (undefined: nothing to read yet).
 */
function startingPoint(ctx: IPollFunctions, state: PollState, now: number): number | undefined {
	const startFrom = ctx.getNodeParameter('startFrom', 'now') as string;
	if (startFrom === 'moment') {
		const raw = ctx.getNodeParameter('startAt', '') as string;
		const ms = Date.parse(raw);
		if (!raw || !Number.isFinite(ms)) throw new NodeOperationError(ctx.getNode(), `"Start At" is not a date and time: "${raw}"`);
		const at = Math.floor(ms / 1000);
		if (at < now - RETENTION_SECONDS) {
			throw new NodeOperationError(ctx.getNode(), `"Start At" (${iso(at)}) is more than 30 days ago`, {
				description: `Stripe keeps events for 30 days: choose a moment after ${iso(now - RETENTION_SECONDS)}.`,
			});
		}
		if (at > now) throw new NodeOperationError(ctx.getNode(), `"Start At" (${iso(at)}) is in the future`);
		state.since = at;
		state.start = at;
		state.emitted = {};
		return at;
	}
	state.since = now;
	state.start = now;
	state.emitted = {};
	return undefined;
}

/**
 * One poll. Manual runs (*Fetch Test Event*) show the latest matching event and change nothing. Otherwise the
 * first poll after activation only sets where to start (now, or the moment chosen); every later poll reads all
 * events created since the last one it emitted, emits them once, oldest first, and moves its cursor.
 */
async function pollEvents(ctx: IPollFunctions, now: number): Promise<INodeExecutionData[][] | null> {
	const sel = selection(ctx);
	const settings = await getStripeSettings(ctx);
	if (ctx.getMode() === 'manual') return await fetchTestEvent(ctx, settings, sel, now);

	const state = ctx.getWorkflowStaticData('node') as PollState;
	const first = !polled.has(ctx);
	polled.add(ctx);
	let cursor = state.since ?? startingPoint(ctx, state, now);
	if (cursor === undefined) return null;
	const edge = now - RETENTION_SECONDS;
	if (cursor < edge) {
		state.lost = { from: cursor, to: edge };
		state.since = cursor = edge;
		state.emitted = {};
	}
	// A window past retention is reported by a poll of its own (a failed execution naming it); the first poll
	// after activation (e.g. n8n started again after weeks) emits what Stripe still has, and the next one reports.
	if (state.lost && !first) {
		const { from, to } = state.lost;
		delete state.lost;
		throw new NodeOperationError(ctx.getNode(), `Stripe events from ${iso(from)} to ${iso(to)} could not be recovered`, {
			description:
				'Stripe keeps events for 30 days, and this trigger was not polling for longer (n8n stopped or the workflow inactive). The events after that window are emitted as usual.',
		});
	}
	const emitted = state.emitted ?? {};
	const start = state.start ?? 0;
	const fresh = (await readEvents(ctx, settings, sel, Math.max(edge, start, cursor - OVERLAP_SECONDS))).filter(
		(e) => emitted[String(e.event.id)] === undefined && e.created >= start,
	);
	if (!fresh.length) return null;
	const items: INodeExecutionData[] = [];
	for (const e of fresh) items.push({ json: await toItem(ctx, settings, sel, e.event) });
	const newest = fresh[fresh.length - 1].created;
	const since = Math.max(cursor, newest);
	const keep: Record<string, number> = {};
	for (const [id, at] of Object.entries(emitted)) if (at >= since - OVERLAP_SECONDS) keep[id] = at;
	for (const e of fresh) if (e.created >= since - OVERLAP_SECONDS) keep[String(e.event.id)] = e.created;
	// New objects (not nested writes), so n8n's change tracking marks the static data as changed and saves it.
	state.since = since;
	state.emitted = keep;
	return [items];
}
