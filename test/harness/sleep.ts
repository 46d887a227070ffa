/**
 * Makes n8n's `sleep` (the one nodes import from n8n-workflow for retry backoff) return at once,
 * while recording the requested delays, so retry paths can be tested quickly and asserted on.
 *
 * n8n-workflow 2.x re-exports `sleep` through a getter from `@n8n/utils/sleep`, whose CommonJS
 * export is a plain writable property; replacing that property is therefore seen by every
 * `import { sleep } from 'n8n-workflow'` call site (compiled TS reads the export at call time).
 * The n8n-core engine's own retry loop uses the same function.
 */
import path from 'node:path';

type SleepFn = (ms: number, abortSignal?: AbortSignal) => Promise<void>;

const sleepModulePath = require.resolve('@n8n/utils/sleep', {
	paths: [path.dirname(require.resolve('n8n-workflow'))],
});

const sleepModule = require(sleepModulePath) as { sleep: SleepFn };

export interface SleepControl {
	/** The delays (ms) that were requested, in order. */
	readonly calls: number[];
	/** Puts the real sleep back. */
	restore(): void;
}

/** Replaces n8n's sleep with an instant one until `restore()` is called. */
export function instantSleep(): SleepControl {
	const original = sleepModule.sleep;
	const calls: number[] = [];
	sleepModule.sleep = async (ms: number, abortSignal?: AbortSignal) => {
		calls.push(ms);
		if (abortSignal?.aborted) {
			throw abortSignal.reason instanceof Error ? abortSignal.reason : new Error('Aborted');
		}
	};
	return {
		calls,
		restore: () => {
			sleepModule.sleep = original;
		},
	};
}
