/**
 * The webhook trigger's catch-up: the selected snapshot events Stripe did not deliver (while the workflow was
 * inactive, n8n was down, or the destination was missing), read from the Events API and started once, oldest
 * first. Used by each delivery (before its own event) and at each activation of the trigger (watch.ts).
 */
import type { IDataObject, IExecuteFunctions, ITriggerFunctions, IWebhookFunctions } from 'n8n-workflow';

import { getStripeSettings } from '../client/transport';
import { createdSeconds, EVENT_RETENTION_SECONDS, listAll, listSnapshotEvents } from './events-api';
import { alreadySeen, claim, claimKey } from './replay-memory';
import type { TriggerStaticData } from './trigger-state';
import { PRODUCTION } from './trigger-state';

/** How far before `caughtUpTo` the catch-up reads, for events Stripe lists a moment late. */
export const CATCH_UP_OVERLAP_SECONDS = 120;

export type CatchUpContext = IWebhookFunctions | ITriggerFunctions | IExecuteFunctions;

export interface CatchUpWindow {
	/** The selected event types (`*`: all). */
	selected: string[];
	/** Unix seconds: events created at or before. */
	until: number;
	/** An event not to return (the delivered one). */
	except?: string;
	now: number;
	tolerance: number;
}

/**
 * The selected snapshot events created since the last event this trigger started, up to `until`, that it has
 * not started (not remembered, not claimed in this process): claimed here and returned oldest first. Read from
 * the Events API (the last 30 days), for this account and, when selected, each connected account. If Stripe
 * cannot be read, nothing is returned and the next delivery or activation tries again.
 */
export async function catchUp(ctx: CatchUpContext, data: TriggerStaticData, w: CatchUpWindow): Promise<IDataObject[]> {
	if (typeof data.caughtUpTo !== 'number' || ctx.getNodeParameter('catchUp', true) === false) return [];
	const since = Math.max(data.caughtUpTo - CATCH_UP_OVERLAP_SECONDS, data.catchUpStart ?? 0, w.now - EVENT_RETENTION_SECONDS);
	if (w.until < since) return [];
	let rows: IDataObject[];
	try {
		rows = await missedEvents(ctx, w.selected, since, w.until);
	} catch {
		return [];
	}
	const out: IDataObject[] = [];
	for (const e of rows) {
		const id = String(e.id);
		if (id === w.except || alreadySeen(data, id, w.now, w.tolerance)) continue;
		if (!claim(claimKey(ctx, PRODUCTION, id), w.now, w.tolerance)) continue;
		out.push({ ...e, account: e.account ?? null });
	}
	return out;
}

/** The selected snapshot events created in [since, until], of this account and/or connected accounts, oldest first. */
async function missedEvents(ctx: CatchUpContext, selected: string[], since: number, until: number): Promise<IDataObject[]> {
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
