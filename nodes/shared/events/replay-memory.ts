/**
 * The webhook trigger's memory of the events it started, so a replayed delivery or Stripe's retry of an event
 * starts nothing: in the node's static data (saved by n8n, shared by every process through its database) and,
 * within one process, claims checked and taken in one synchronous step.
 */
import type { IWebhookFunctions } from 'n8n-workflow';

import type { Slot, TriggerStaticData } from './trigger-state';

/** Replay memory: event IDs kept at least this long (and at least the signature tolerance)… */
export const SEEN_EVENTS_RETENTION_SECONDS = 24 * 3600;
/** …and at most this many per trigger (the oldest are forgotten first), so static data stays small. */
export const SEEN_EVENTS_MAX = 1000;

export function alreadySeen(data: TriggerStaticData, eventId: string, now: number, tolerance: number): boolean {
	const at = data.seenEvents?.[eventId];
	return typeof at === 'number' && now - at <= Math.max(tolerance, SEEN_EVENTS_RETENTION_SECONDS);
}

/**
 * Records accepted event IDs in the node's static data, which n8n saves to its database when the delivery
 * is answered, before the execution starts (delivery.ts answers Stripe itself for that), in every process that
 * serves webhooks (main, or the webhook processors in queue mode), and loads again for the next delivery; so
 * it survives restarts and is seen by every process.
 */
export function rememberEvents(data: TriggerStaticData, eventIds: string[], now: number, tolerance: number): void {
	const keep = Math.max(tolerance, SEEN_EVENTS_RETENTION_SECONDS);
	const entries = Object.entries(data.seenEvents ?? {}).filter(([, at]) => typeof at === 'number' && now - at <= keep);
	for (const id of eventIds) entries.push([id, now]);
	entries.sort((a, b) => a[1] - b[1]);
	// A new object (not a nested write), so n8n's change tracking marks the static data as changed.
	data.seenEvents = Object.fromEntries(entries.slice(-SEEN_EVENTS_MAX));
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

export function claimKey(ctx: Pick<IWebhookFunctions, 'getWorkflow' | 'getNode'>, slot: Slot, eventId: string): string {
	return [ctx.getWorkflow().id ?? '', ctx.getNode().name, slot.id, eventId].join('\u0000');
}

/** What a process restart forgets (tests simulate restarts and other processes with it). */
export function forgetProcessClaims(): void {
	claims.clear();
}

/** True if this delivery now owns the event; false if another delivery in this process has it. */
export function claim(key: string, now: number, tolerance: number): boolean {
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

/** Gives a claim back (the delivery did not start), so Stripe's retry runs it. */
export function releaseClaim(key: string): void {
	claims.delete(key);
}
