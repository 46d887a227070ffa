/**
 * A delivery to the webhook trigger: its signature verified, its event selected or ignored, a replay
 * recognised, the events Stripe did not deliver caught up from the Events API, and the workflow started.
 */
import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { callStripe } from '../client/client';
import { getStripeSettings } from '../client/transport';
import { catchUp } from './catch-up';
import { fetchRelatedObject, thinEventAccount } from './events-api';
import { alreadySeen, claim, claimKey, releaseClaim, rememberEvents } from './replay-memory';
import { DEFAULT_TOLERANCE_SECONDS, verifySignature } from './signature';
import type { TriggerStaticData } from './trigger-state';
import { deliverySlot } from './trigger-state';

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
	const until = typeof event.created === 'number' ? event.created : now;
	const missed = payload === 'snapshot' && !slot.test ? await catchUp(ctx, data, { selected, until, except: eventId, now, tolerance }) : [];
	const item = await deliveredItem(ctx, event, payload, options, key);
	// Recorded only once everything above succeeded: a delivery that failed here is retried by Stripe.
	const started = [...missed.map((m) => String(m.id)), ...(eventId ? [eventId] : [])];
	if (started.length) rememberEvents(data, started, now, tolerance);
	const created = typeof event.created === 'number' ? event.created : now;
	if (typeof data.caughtUpTo === 'number' && created > data.caughtUpTo) data.caughtUpTo = created;
	// The answer to Stripe, a fixed acknowledgement (never the event), sent here rather than by n8n: n8n 2.41.1
	// saves the static data (the replay memory above) when the node has answered, before it starts the
	// execution; when n8n answers, it starts the execution first, which clears the "changed" flag, and saves
	// nothing (see README, "Each event once").
	res.status(200).json({ received: true });
	return { noWebhookResponse: true, workflowData: [ctx.helpers.returnJsonArray([...missed, item])] };
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
