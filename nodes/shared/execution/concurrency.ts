/**
 * How many items of one node execution are in flight at once.
 *
 * With "Parallel Requests" set, exactly that many (1: strictly one after the other). Without it (the default)
 * the number adapts: it starts at 1 and grows by one each time as many items as are in flight have been
 * answered cleanly, while the items per second that many lanes manage (from how long an item takes) stay
 * below `ceilingShare` of Stripe's limit (25/s in test mode, 100/s live), the account's rate in this process
 * too, and no pacing is in force; it halves on every 429 or 409 lock_timeout. With more than one in flight,
 * items start at most at that ceiling rate (per account). So a run whose items are answered quickly stays
 * sequential (it is fast, or already near the limit), and a run that waits on the network overlaps its
 * requests without ever pushing the account towards its limit by itself.
 *
 * Items start in input order; two items that address the same object (the same method and path, e.g. two
 * updates of one customer) never overlap, so the later one sees the earlier one's result. Output keeps the
 * input order. Retries and idempotency keys are per request, as without concurrency.
 */
import type { IDataObject } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import type { OperationDescriptor } from '../model/descriptor';
import type { Pacing } from '../client/pacing';
import { newPacing, RATE_LIMIT } from '../client/pacing';
import type { StripeRequest } from '../client/request';
import type { StripeSettings } from '../client/transport';

export const CONCURRENCY = {
	/** The most items in flight in automatic mode. */
	autoMax: 8,
	/**
	 * The most pages of one Return All in flight in automatic mode (pager.ts reads a list in ranges of creation
	 * time): enough for 80 % of a live key's 100/s at 300–400 ms a page; the ceiling rate bounds it first.
	 */
	laneMax: 32,
	/** Automatic mode keeps the account's rate (in this process) below this share of Stripe's limit. */
	ceilingShare: 0.8,
	limitPerSec: { test: 25, live: 100 },
};

/** Answers to this account in the last rate window (this process). */
function recentRate(pacing: Pacing, now: number): number {
	let n = 0;
	for (let i = pacing.answered.length - 1; i >= 0 && pacing.answered[i] > now - RATE_LIMIT.windowMs; i--) n++;
	return (n * 1000) / RATE_LIMIT.windowMs;
}

export class InFlightLimit {
	readonly auto: boolean;
	private current: number;
	private seenThrottled: number;
	private clean = 0;
	private avgMs: number | undefined;
	private samples = 0;
	private readonly ceilingPerSec: number;

	/**
	 * `fixed`: the Parallel Requests option (undefined: automatic). `pages`: the pages of one Return All rather
	 * than items: it judges from the second answer on and goes at once to as many pages as the ceiling allows at
	 * the page time so far (the starts keep to the ceiling rate), up to CONCURRENCY.laneMax.
	 */
	constructor(
		fixed: number | undefined,
		private readonly pacing: Pacing,
		live: boolean,
		private readonly max: number,
		private readonly pages = false,
	) {
		this.auto = fixed === undefined;
		this.current = fixed === undefined ? 1 : Math.min(max, Math.max(1, fixed));
		this.seenThrottled = pacing.throttled ?? 0;
		this.ceilingPerSec = CONCURRENCY.ceilingShare * (live ? CONCURRENCY.limitPerSec.live : CONCURRENCY.limitPerSec.test);
	}

	get limit(): number {
		return this.current;
	}

	/** An item has been answered (or has failed) after `ms`: adapt. */
	done(ms: number, now = Date.now()): void {
		if (!this.auto) return;
		// The first items include warm-up (connections, credentials): judge from the third on. The first page of a
		// Return All (the execution's first request) is not counted at all; pages are judged from the second on.
		this.samples++;
		if (this.pages && this.samples === 1) return;
		this.avgMs = this.avgMs === undefined ? ms : 0.5 * this.avgMs + 0.5 * ms;
		const throttled = this.pacing.throttled ?? 0;
		if (throttled > this.seenThrottled) {
			this.seenThrottled = throttled;
			this.current = Math.max(1, Math.floor(this.current / 2));
			this.clean = 0;
			return;
		}
		if (this.pacing.intervalMs > 0 || this.samples < (this.pages ? 2 : 3)) return;
		if (!this.pages && ++this.clean < this.current) return;
		this.clean = 0;
		// Items per second one lane manages: one more lane only while all of them together stay within the ceiling.
		const perLane = 1000 / Math.max(1, this.avgMs);
		if (this.pages) {
			// Pages: at once as many lanes as the ceiling allows at this page time (starts keep to the ceiling rate).
			const fits = Math.min(this.max, CONCURRENCY.laneMax, Math.max(1, Math.floor(this.ceilingPerSec / perLane)));
			if (fits > this.current && recentRate(this.pacing, now) < this.ceilingPerSec) this.current = fits;
			else if (fits < this.current) this.current--;
			return;
		}
		if (
			this.current < Math.min(this.max, this.pages ? CONCURRENCY.laneMax : CONCURRENCY.autoMax) &&
			perLane * (this.current + 1) <= this.ceilingPerSec &&
			recentRate(this.pacing, now) < this.ceilingPerSec
		) {
			this.current++;
		} else if (this.current > 1 && perLane * (this.current - 1) >= this.ceilingPerSec) {
			this.current--;
		}
	}

	/** How long to wait before starting the next item: with more than one in flight, starts keep to the ceiling rate (per account). */
	startDelayMs(now = Date.now()): number {
		if (!this.auto || this.current <= 1) return 0;
		const gap = 1000 / this.ceilingPerSec;
		const at = Math.max(now, Math.min(this.pacing.autoNextAt ?? 0, now + 32 * gap));
		this.pacing.autoNextAt = at + gap;
		return at - now;
	}
}

/** At most this many requests of one node execution in flight ("Parallel Requests"). */
export const MAX_PARALLEL = 10;

/** The Parallel Requests option: a number ≥ 1, or undefined (automatic). */
export function parallelRequests(options: IDataObject): number | undefined {
	const raw = options.parallelRequests;
	return raw === undefined || raw === null || raw === '' ? undefined : Math.floor(Number(raw)) || 1;
}

/** The in-flight limit for an execution: the Parallel Requests option (from the first item), or automatic. */
export function inFlightLimit(options: IDataObject, settings: Pick<StripeSettings, 'pacing' | 'livemode'>): InFlightLimit {
	const fixed = parallelRequests(options);
	settings.pacing ??= newPacing();
	return new InFlightLimit(fixed, settings.pacing, settings.livemode === true, MAX_PARALLEL);
}

/**
 * How many pages of one Return All may be in flight (pager.ts `splitRows`): `fixed` pages (the Parallel
 * Requests option; 1 = one cursor), or automatic (undefined).
 */
export function pageLimit(fixed: number | undefined, settings: Pick<StripeSettings, 'pacing' | 'livemode'>): InFlightLimit {
	settings.pacing ??= newPacing();
	return new InFlightLimit(fixed, settings.pacing, settings.livemode === true, fixed === undefined ? CONCURRENCY.laneMax : MAX_PARALLEL, true);
}

/**
 * What a request writes to, when two items must not overlap: a POST or DELETE on a path with an object ID
 * (`POST /v1/customers/cus_1`), per connected account. Reads and creates on a collection have none.
 */
export function objectKey(op: Pick<OperationDescriptor, 'method' | 'pathParams'>, request: Pick<StripeRequest, 'path' | 'stripeAccount'>): string | undefined {
	if (op.method === 'GET' || op.pathParams.length === 0) return undefined;
	return `${request.stripeAccount ?? ''} ${op.method} ${request.path}`;
}

/**
 * Runs `runOne(0…count-1)`, starting them in order, at most `limit.limit` at a time, never two with the same
 * `keyOf`, and no new one once `stopped()`.
 */
export async function runInFlight(
	count: number,
	limit: InFlightLimit,
	runOne: (i: number) => Promise<void>,
	stopped: () => boolean,
	keyOf: (i: number) => string | undefined,
): Promise<void> {
	const active = new Map<number, string | undefined>();
	let next = 0;
	let waiting = false;
	let slotTaken = false;
	let crash: unknown;
	await new Promise<void>((resolve, reject) => {
		const busy = (key: string) => {
			for (const k of active.values()) if (k === key) return true;
			return false;
		};
		const pump = () => {
			if (waiting) return;
			while (crash === undefined && !stopped() && next < count && active.size < limit.limit) {
				const key = keyOf(next);
				if (key !== undefined && busy(key)) break;
				if (!slotTaken && active.size > 0) {
					const delayMs = limit.startDelayMs();
					if (delayMs > 0) {
						waiting = slotTaken = true;
						void sleep(delayMs).then(() => {
							waiting = false;
							pump();
						});
						return;
					}
				}
				slotTaken = false;
				const i = next++;
				active.set(i, key);
				const started = Date.now();
				runOne(i).then(
					() => finish(i, started),
					(e: unknown) => {
						crash ??= e;
						finish(i, started);
					},
				);
			}
			if (active.size === 0 && (crash !== undefined || stopped() || next >= count)) {
				if (crash !== undefined) reject(crash instanceof Error ? crash : new Error(String(crash)));
				else resolve();
			}
		};
		const finish = (i: number, started: number) => {
			active.delete(i);
			limit.done(Date.now() - started);
			pump();
		};
		pump();
	});
}
