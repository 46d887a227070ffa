/**
 * The loopback Stripe stand-in (test/standin) wired to the tests' deadline clock (test/harness/deadlines.ts): when
 * it leaves a request unanswered (a `hang` or `hang-after` fault), the deadline of the attempt that sent it passes
 * at once, when that clock is in. Usable outside jest (test/support/reliability-table.ts); `useStandin()`
 * (use-standin.ts) is the jest form.
 */
import { activeDeadlines } from '../harness/engine';
import type { RecordedRequest, Standin, StandinOptions } from '../standin/server';
import { startStandin } from '../standin/server';

/** Expires the deadline of the attempt that sent `request`, when the tests' deadline clock is in. */
export function expireHung(request: RecordedRequest): void {
	const key = request.headers['idempotency-key'];
	activeDeadlines()?.expireRequest(request.method, request.path, Array.isArray(key) ? key[0] : key);
}

/** Starts a stand-in whose hung requests time out at once under the tests' deadline clock. */
export async function startTestStandin(options: StandinOptions = {}): Promise<Standin> {
	return await startStandin({ port: 0, ...options, onHang: expireHung });
}
