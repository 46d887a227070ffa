/**
 * The webhook trigger's v2 event destination at Stripe: created at activation with the node's settings,
 * checked whenever n8n runs the activation check, replaced when it is gone, disabled or stale, deleted at
 * deactivation; destinations left behind for the same URL are removed, so they never pile up.
 */
import type { IDataObject, IHookFunctions } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { callStripe } from '../client/client';
import { readPages } from '../client/pager';
import type { StripeRequest } from '../client/request';
import type { StripeContext, StripeSettings } from '../client/transport';
import { getStripeSettings, stripeError } from '../client/transport';
import type { TriggerStaticData } from './trigger-state';
import { hookSlot } from './trigger-state';

const DESTINATIONS = '/v2/core/event_destinations';

/** What the node's settings ask Stripe for; compared with the live destination by checkExists. */
export interface DesiredDestination {
	url: string;
	eventPayload: 'snapshot' | 'thin';
	enabledEvents: string[];
	eventsFrom: string[];
	snapshotApiVersion?: string;
}

/** What the node's settings ask for, at `url` (the node's production or test webhook URL). */
export function desiredDestination(ctx: StripeContext, settings: StripeSettings, url: string): DesiredDestination {
	const eventPayload = ctx.getNodeParameter('eventPayload', 'snapshot') as 'snapshot' | 'thin';
	const events = ctx.getNodeParameter(eventPayload === 'thin' ? 'thinEvents' : 'snapshotEvents', []) as string[];
	const eventsFrom = (ctx.getNodeParameter('eventsFrom', ['self']) as string[]).slice().sort();
	const version = String(ctx.getNodeParameter('snapshotApiVersion', '') || '').trim() || settings.apiVersion;
	return {
		url,
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

/** The account's destinations that point at `url`, whatever their status. */
export async function destinationsFor(ctx: StripeContext, settings: StripeSettings, url: string): Promise<IDataObject[]> {
	const first: StripeRequest = { method: 'GET', path: DESTINATIONS, params: { include: ['webhook_endpoint.url'], limit: 100 }, apiMode: 'v2' };
	const found: IDataObject[] = [];
	for await (const rows of readPages(ctx, settings, first, { kind: 'v2list', where: (n) => `GET ${DESTINATIONS}, page ${n}`, maxPages: 20 })) {
		found.push(...rows.filter((d) => ((d.webhook_endpoint ?? {}) as IDataObject).url === url));
	}
	return found;
}

/** Destinations pointing at this node's URL that we no longer track (lost static data): removed, no orphans. */
async function deleteOrphans(ctx: IHookFunctions, settings: StripeSettings, url: string): Promise<void> {
	for (const d of await destinationsFor(ctx, settings, url)) await deleteDestination(ctx, settings, String(d.id));
}

/** The request body that creates the destination the node's settings ask for, with its signing secret returned. */
function creationBody(ctx: StripeContext, want: DesiredDestination): IDataObject {
	const workflow = ctx.getWorkflow();
	return {
		name: `n8n ${workflow.name ?? ''}`.trim().slice(0, 100),
		description:
			`Created by n8n for workflow "${workflow.name ?? ''}" (${workflow.id ?? 'unsaved'}), node "${ctx.getNode().name}". Deleted when the workflow is deactivated.`.slice(
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
}

function assertSomeEvents(ctx: StripeContext, want: DesiredDestination): void {
	if (!want.enabledEvents.length) {
		throw new NodeApiError(ctx.getNode(), {}, { message: 'Choose at least one event type to receive' });
	}
}

/** Creates the destination `want` describes: its ID and signing secret (one created without a secret is deleted). */
export async function createDestination(ctx: StripeContext, settings: StripeSettings, want: DesiredDestination): Promise<{ id: string; secret: string }> {
	assertSomeEvents(ctx, want);
	const res = await callStripe(ctx, settings, { method: 'POST', path: DESTINATIONS, apiMode: 'v2', params: creationBody(ctx, want) }, 'throw');
	const created = res.body as IDataObject;
	const secret = ((created.webhook_endpoint ?? {}) as IDataObject).signing_secret;
	if (!created.id || typeof secret !== 'string') {
		if (created.id) await deleteDestination(ctx, settings, String(created.id));
		throw new NodeApiError(ctx.getNode(), {}, { message: 'Stripe created the event destination without returning its signing secret' });
	}
	return { id: String(created.id), secret };
}

/** n8n's activation check: true if the stored destination is live and still what the node asks for. */
async function checkExists(this: IHookFunctions): Promise<boolean> {
	const data = this.getWorkflowStaticData('node') as TriggerStaticData;
	const key = hookSlot(this, data);
	const id = data[key.id];
	if (!id) return false;
	const settings = await getStripeSettings(this);
	const want = desiredDestination(this, settings, this.getNodeWebhookUrl('default') as string);
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
}

/** Creates the destination (replacing a stale one and any orphan for the URL) and stores its ID and secret. */
async function create(this: IHookFunctions): Promise<boolean> {
	const data = this.getWorkflowStaticData('node') as TriggerStaticData;
	const key = hookSlot(this, data);
	const settings = await getStripeSettings(this);
	const want = desiredDestination(this, settings, this.getNodeWebhookUrl('default') as string);
	assertSomeEvents(this, want);
	const stale = data[key.id];
	if (stale) await deleteDestination(this, settings, stale);
	delete data[key.id];
	delete data[key.secret];
	await deleteOrphans(this, settings, want.url);
	const created = await createDestination(this, settings, want);
	data[key.id] = created.id;
	data[key.secret] = created.secret;
	data[key.url] = want.url;
	// Catch-up starts at the first activation; a later one keeps it, so the inactive time is caught up.
	if (!key.test && typeof data.caughtUpTo !== 'number') {
		data.caughtUpTo = Math.floor(Date.now() / 1000);
		data.catchUpStart = data.caughtUpTo;
	}
	return true;
}

/** Deletes the destination at deactivation (and when n8n stops listening for a test event). */
async function remove(this: IHookFunctions): Promise<boolean> {
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
}

/** The trigger's `webhookMethods.default`. */
export const destinationHooks = { checkExists, create, delete: remove };
