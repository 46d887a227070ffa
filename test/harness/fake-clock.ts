/**
 * Runs work on jest's fake clock (setTimeout, setInterval and Date; not process.hrtime, nextTick, performance,
 * queueMicrotask or setImmediate, which n8n-core and node:http need to keep moving), advancing it 5 ms at a time
 * until the work settles. A server stand-in that answers after a timer answers after so many fake milliseconds,
 * whatever the machine's load: what overlaps, overlaps the same way on every run.
 */
import { jest } from '@jest/globals';

export async function onFakeClock<T>(work: () => Promise<T>): Promise<T> {
	jest.useFakeTimers({ doNotFake: ['hrtime', 'nextTick', 'performance', 'queueMicrotask', 'setImmediate'] });
	try {
		let settled = false;
		const running = work().finally(() => {
			settled = true;
		});
		while (!settled) await jest.advanceTimersByTimeAsync(5);
		return await running;
	} finally {
		jest.useRealTimers();
	}
}
