/**
 * Rate-limit pacing, shared by every execution in this n8n process that uses the same Stripe account.
 *
 * Stripe answers 429 when an account sends more requests per second than it allows (25/s in test mode, 100/s
 * live, counted over all of the account's clients). Retrying each 429 on its own leads to bursts and 429s in
 * turn. So, once a 429 follows a burst of at least `minBurst` answered requests in the last `windowMs`,
 * requests to that account are spaced to `targetShare` of the rate Stripe just accepted, starting when the
 * oldest request of that burst has left Stripe's one-second window. The 429s of the same burst (everything
 * that was in flight) slow it down only once. After `quietMs` without a 429 the rate grows again by
 * `recoveryPerSec` per second (compounded) until pacing is off. Nothing changes for runs never rate limited.
 *
 * A 429 also has its own retry budget (see `rateLimitRetryAllowed`): it is retried for up to `retryBudgetMs`
 * after the request's first 429, without using up the Max Retries meant for network errors and 5xx answers.
 *
 * Pacers are kept per process, keyed by a SHA-256 hash of the key, the connected account and the base URL, so
 * that two executions on one account (two workflows, or two runs of one) pace together; the key itself is
 * never stored here.
 */
import { createHash } from 'crypto';

export const RATE_LIMIT = {
	windowMs: 1000,
	minBurst: 3,
	targetShare: 0.9,
	/** Without a 429 for this long, the paced rate grows again. */
	quietMs: 2000,
	/** Growth of the paced rate per second of quiet (0.25: +25 % per second, compounded). */
	recoveryPerSec: 0.25,
	/** Pacing ends once the paced rate is above this many requests per second. */
	offAbovePerSec: 1000,
	/** How long after a request's first 429 it is still retried (Stripe-Should-Retry: false ends it at once). */
	retryBudgetMs: 60_000,
};

/** See RATE_LIMIT. Times are Date.now() milliseconds. */
export interface Pacing {
	/** When the answered (not rate-limited) requests of the last window arrived. */
	answered: number[];
	/** Minimum spacing between requests; 0 until Stripe rate-limits a burst. */
	intervalMs: number;
	/** Earliest time for the next request. */
	nextAt: number;
	/** When the current paced rate was set (a slowdown, or the last growth step). */
	since?: number;
	/** The last 429, and the last slowdown (once per burst). */
	lastLimitedAt?: number;
	lastSlowdownAt?: number;
	/** Throttling answers seen (429, 409 lock_timeout): a counter the concurrency controller reads. */
	throttled?: number;
	/** Earliest start of the next item of an automatic-concurrency execution with more than one in flight (concurrency.ts). */
	autoNextAt?: number;
}

export function newPacing(): Pacing {
	return { answered: [], intervalMs: 0, nextAt: 0, throttled: 0 };
}

/** Grow the paced rate for the quiet time (no 429 for `quietMs`) since it was last set. */
function recover(pacing: Pacing, now: number): void {
	if (pacing.intervalMs <= 0) return;
	const from = Math.max(pacing.since ?? 0, (pacing.lastLimitedAt ?? -Infinity) + RATE_LIMIT.quietMs);
	if (now <= from) return;
	pacing.intervalMs /= Math.pow(1 + RATE_LIMIT.recoveryPerSec, (now - from) / 1000);
	pacing.since = now;
	if (1000 / pacing.intervalMs > RATE_LIMIT.offAbovePerSec) {
		pacing.intervalMs = 0;
		pacing.nextAt = 0;
	}
}

/**
 * Delay before the next attempt: `delayMs` (0, or the retry backoff), or longer when paced. Reserves the
 * attempt's slot, so consecutive requests stay `intervalMs` apart.
 */
export function pacedDelayMs(pacing: Pacing, delayMs: number, now = Date.now()): number {
	recover(pacing, now);
	if (pacing.intervalMs <= 0) return delayMs;
	// Reservations never run further ahead than a few dozen requests in flight could need (they only pile up
	// when sleeps return early, as in tests with a fake clock).
	const at = Math.min(Math.max(now + delayMs, pacing.nextAt), now + Math.max(delayMs, 32 * pacing.intervalMs + RATE_LIMIT.windowMs));
	pacing.nextAt = at + pacing.intervalMs;
	return at - now;
}

/** Learn from an answer (undefined: a network failure, which says nothing about the rate). */
export function observeAnswer(pacing: Pacing, statusCode: number | undefined, now = Date.now(), code?: string): void {
	if (statusCode === undefined) return;
	const answered = pacing.answered;
	while (answered.length && answered[0] <= now - RATE_LIMIT.windowMs) answered.shift();
	if (statusCode === 409 && code === 'lock_timeout') pacing.throttled = (pacing.throttled ?? 0) + 1;
	if (statusCode !== 429) {
		answered.push(now);
		return;
	}
	pacing.throttled = (pacing.throttled ?? 0) + 1;
	pacing.lastLimitedAt = now;
	// The rest of a burst that was already in flight: slowed down once already.
	if (pacing.lastSlowdownAt !== undefined && now - pacing.lastSlowdownAt < RATE_LIMIT.windowMs) return;
	recover(pacing, now);
	const acceptedPerSec = (answered.length * 1000) / RATE_LIMIT.windowMs;
	if (pacing.intervalMs > 0) {
		const pacedPerSec = 1000 / pacing.intervalMs;
		const rate = Math.min(pacedPerSec, answered.length >= RATE_LIMIT.minBurst ? acceptedPerSec : pacedPerSec) * RATE_LIMIT.targetShare;
		pacing.intervalMs = 1000 / rate;
	} else if (answered.length >= RATE_LIMIT.minBurst) {
		pacing.intervalMs = 1000 / (acceptedPerSec * RATE_LIMIT.targetShare);
	} else {
		return;
	}
	pacing.lastSlowdownAt = now;
	pacing.since = now;
	// Start (again) once the oldest request of the window has left it: from then on Stripe's window has room.
	if (answered.length) pacing.nextAt = Math.max(pacing.nextAt, answered[0] + RATE_LIMIT.windowMs);
}

/** Whether a 429 may be retried: within the budget counted from the request's first 429, with retries on. */
export function rateLimitRetryAllowed(firstLimitedAt: number, maxRetries: number, now = Date.now()): boolean {
	return maxRetries > 0 && now - firstLimitedAt < RATE_LIMIT.retryBudgetMs;
}

const pacers = new Map<string, Pacing>();

/** The pacing of one account in this process. `secret` is hashed, never kept. */
export function accountPacing(secret: string, account: string, baseUrl: string): Pacing {
	const id = createHash('sha256').update(`${secret}\u0000${account}\u0000${baseUrl}`).digest('hex').slice(0, 32);
	let p = pacers.get(id);
	if (!p) {
		if (pacers.size > 1000) pacers.clear();
		pacers.set(id, (p = newPacing()));
	}
	return p;
}

/** Forget every account's pacing (tests). */
export function resetAccountPacing(): void {
	pacers.clear();
}
