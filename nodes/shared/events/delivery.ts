/**
 * A delivery to the webhook trigger: its signature verified, its event selected or ignored, a replay
 * recognised, the events Stripe did not deliver caught up from the Events API, and the workflow started.
 */
import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { callStripe } from '../client/client';
import { getStripeSettings } from '../client/transport';
import { createdSeconds, EVENT_RETENTION_SECONDS, fetchRelatedObject, listAll, listSnapshotEvents, thinEventAccount } from './events-api';
import { alreadySeen, claim, claimKey, releaseClaim, rememberEvents } from './replay-memory';
import { DEFAULT_TOLERANCE_SECONDS, verifySignature } from './signature';
import type { TriggerStaticData } from './trigger-state';
import { deliverySlot, PRODUCTION } from './trigger-state';

/** How far before `caughtUpTo` the catch-up reads, for events Stripe lists a moment late. */
export const CATCH_UP_OVERLAP_SECONDS = 120;

/** The trigger's `webhook()`: see the module comment. */
export async function receiveDelivery(ctx: IWebhookFunctions): Promise<IWebhookResponseData> {
	const req = ctx.getRequestObject() as unknown as { headers: Record<string, string | string[] | undefined>; rawBody?: Buffer };
	const res = ctx.getResponseObject();
	const data = ctx.getWorkflowStaticData('node') as TriggerStaticData;
	const options = ctx.getNodeParameter('options', {}) as IDataObject;
	const tolerance = Number(options.tolerance ?? DEFAULT_TOLERANCE_SECONDS);
	const slot = deliverySlot(ctx, data);
	const check = verifySignature(req.headers['stripe-signature'], req.rawBody, data[slot.secret] ?? '', tolerance);
	if (!check.ok) {
		res.status(check.status).json({ error: { message: `Invalid Stripe-Signature: ${check.reason}` } });
		return { noWebhookResponse: true };
	}
	const event = ctx.getBodyData() as IDataObject;
	const payload = ctx.getNodeParameter('eventPayload', 'snapshot') as string;
	const selected = ctx.getNodeParameter(payload === 'thin' ? 'thinEvents' : 'snapshotEvents', []) as string[];
	if (!selected.includes('*') && !selected.includes(String(event.type))) {
		return { webhookResponse: { received: true, ignored: `event type ${String(event.type)} is not selected` } };
	}
	const eventId = typeof event.id === 'string' && event.id.length <= 255 ? event.id : undefined;
	const now = Math.floor(Date.now() / 1000);
	const key = eventId ? claimKey(ctx, slot, eventId) : undefined;
	// Checked and claimed synchronously (no await before): see `claims` in replay-memory.ts.
	if (eventId && key && (alreadySeen(data, eventId, now, tolerance) || !claim(key, now, tolerance))) {
		// Stripe delivers at least once (and a captured delivery can be replayed within the tolerance):
		// acknowledged, so Stripe stops retrying, and no second execution.
		return { webhookResponse: { received: true, duplicate: true } };
	}
	const missed = payload === 'snapshot' && !slot.test ? await catchUp(ctx, data, event, eventId, selected, now, tolerance) : [];
	const item = await deliveredItem(ctx, event, payload, options, key);
	// Recorded only once everything above succeeded: a delivery that failed here is retried by Stripe.
	const started = [...missed.map((m) => String(m.id)), ...(eventId ? [eventId] : [])];
	if (started.length) rememberEvents(data, started, now, tolerance);
	const created = typeof event.created === 'number' ? event.created : now;
	if (typeof data.caughtUpTo === 'number' && created > data.caughtUpTo) data.caughtUpTo = created;
	// The answer to Stripe: a fixed acknowledgement, never the event (see responseData in the description).
	return { webhookResponse: { received: true }, workflowData: [ctx.helpers.returnJsonArray([...missed, item])] };
}

/** The delivered event as an item: thin events fetched when asked, the account it belongs to exposed. */
async function deliveredItem(ctx: IWebhookFunctions, event: IDataObject, payload: string, options: IDataObject, key: string | undefined): Promise<IDataObject> {
	let item: IDataObject = { ...event };
	if (payload === 'thin' && (options.fetchEvent || options.fetchRelatedObject)) {
		let fetched = false;
		try {
			item = await fetchThin(ctx, event, options);
			fetched = true;
		} finally {
			// Not started: the claim is released, so Stripe's retry runs it.
			if (!fetched && key) releaseClaim(key);
		}
	}
	// Connected-account events: which account the event belongs to, whatever the payload style.
	if (item.account === undefined) item.account = event.account ?? null;
	if (payload === 'thin' && item.context === undefined) item.context = event.context ?? null;
	return item;
}

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
	let rows: IDataObject[];
	try {
		rows = await missedEvents(ctx, selected, since, until);
	} catch {
		return [];
	}
	const out: IDataObject[] = [];
	for (const e of rows) {
		const id = String(e.id);
		if (id === eventId || alreadySeen(data, id, now, tolerance)) continue;
		if (!claim(claimKey(ctx, PRODUCTION, id), now, tolerance)) continue;
		out.push({ ...e, account: e.account ?? null });
	}
	return out;
}

/** The selected snapshot events created in [since, until], of this account and/or connected accounts, oldest first. */
async function missedEvents(ctx: IWebhookFunctions, selected: string[], since: number, until: number): Promise<IDataObject[]> {
	const from = ctx.getNodeParameter('eventsFrom', ['self']) as string[];
	const settings = await getStripeSettings(ctx);
	const accounts: Array<string | undefined> = from.length === 0 || from.includes('self') ? [undefined] : [];
	if (from.includes('other_accounts')) for (const a of await listAll(ctx, settings, '/v1/accounts', { limit: 100 })) accounts.push(String(a.id));
	const rows: IDataObject[] = [];
	for (const account of accounts) {
		const listed = await listSnapshotEvents(ctx, settings, { types: selected, since, until, account });
		// Newest first from Stripe: reversed, oldest first.
		rows.push(...listed.reverse());
	}
	return rows.filter((e) => createdSeconds(e) >= since).sort((a, b) => createdSeconds(a) - createdSeconds(b));
}

/** A thin event's full event and related object, fetched with the event's context as the account. */
async function fetchThin(ctx: IWebhookFunctions, event: IDataObject, options: IDataObject): Promise<IDataObject> {
	let item: IDataObject = { ...event };
	const settings = await getStripeSettings(ctx);
	if (options.fetchEvent && event.id) {
		const path = `/v2/core/events/${encodeURIComponent(String(event.id))}`;
		const full = await callStripe(ctx, settings, { method: 'GET', path, apiMode: 'v2', stripeAccount: thinEventAccount(event) }, 'throw');
		item = { ...(full.body as IDataObject) };
	}
	const related = options.fetchRelatedObject ? await fetchRelatedObject(ctx, settings, event) : undefined;
	if (related) item.related_object_data = related;
	return item;
}
