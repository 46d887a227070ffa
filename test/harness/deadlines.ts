/**
 * The tests' clock for attempt deadlines (Request Options → Timeout): replaces the transport's real timer
 * (`attemptClock` in nodes/shared/client/transport.ts) with deadlines that pass only when the test says so.
 * A request the server leaves unanswered times out because the test expires its deadline (the stand-in does it
 * for the requests it hangs, see test/support/standin.ts), never because a loaded machine was slow: every
 * other request has all the time it needs, so counts of attempts are exact.
 */
import type { AttemptInfo } from '../../nodes/shared/client/transport';
import { attemptClock } from '../../nodes/shared/client/transport';

export interface Attempt extends AttemptInfo {
	timeoutMs: number;
	/** Aborted when the test expires it. */
	controller: AbortController;
}

export interface DeadlineControl {
	/** Every attempt started, in order. */
	readonly attempts: Attempt[];
	/**
	 * Expires the deadline of the latest attempt not yet expired that sends this request (method, path without
	 * the query, Idempotency-Key or none). Throws when there is none: a test that expects a timeout sees why not.
	 */
	expireRequest(method: string, path: string, idempotencyKey: string | undefined): void;
	/** Expires every deadline not yet expired; returns how many. */
	expireAll(): number;
	/** Puts the real timer back. */
	restore(): void;
}

let active: DeadlineControl | undefined;

/** The control installed now, if any (the stand-in's hang faults expire deadlines through it). */
export function activeDeadlines(): DeadlineControl | undefined {
	return active;
}

/** Installs deadlines that pass only when the test says so, until `restore()`. */
export function controlledDeadlines(): DeadlineControl {
	const original = attemptClock.deadline;
	const attempts: Attempt[] = [];
	attemptClock.deadline = (timeoutMs, info) => {
		const attempt: Attempt = { ...info, timeoutMs, controller: new AbortController() };
		attempts.push(attempt);
		return attempt.controller.signal;
	};
	const expire = (a: Attempt) => a.controller.abort(new DOMException(`The deadline of ${a.timeoutMs} ms passed`, 'TimeoutError'));
	const control: DeadlineControl = {
		attempts,
		expireRequest(method, path, idempotencyKey) {
			const found = [...attempts]
				.reverse()
				.find((a) => !a.controller.signal.aborted && a.method === method && new URL(a.url).pathname === path && a.idempotencyKey === idempotencyKey);
			if (!found) throw new Error(`No attempt of ${method} ${path} (Idempotency-Key ${idempotencyKey ?? 'none'}) is waiting for its deadline`);
			expire(found);
		},
		expireAll() {
			const pending = attempts.filter((a) => !a.controller.signal.aborted);
			for (const a of pending) expire(a);
			return pending.length;
		},
		restore() {
			attemptClock.deadline = original;
			if (active === control) active = undefined;
		},
	};
	active = control;
	return control;
}
