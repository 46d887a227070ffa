/**
 * One stand-in for a describe block, with the tests' clocks: `useStandin()` starts the loopback Stripe stand-in
 * (startTestStandin in standin.ts) before its tests and closes it after, resets it before each test, makes n8n's
 * sleep instant (retry backoff) and puts in the tests' deadline clock, which expires an attempt's deadline when the
 * stand-in leaves that request unanswered (a `hang` or `hang-after` fault) and never otherwise.
 */
import { afterAll, beforeAll, beforeEach } from '@jest/globals';

import type { DeadlineControl, SleepControl } from '../harness/engine';
import { controlledDeadlines, instantSleep } from '../harness/engine';
import type { Standin, StandinOptions } from '../standin/server';
import { startTestStandin } from './standin';

export interface UsedStandin {
	/** The stand-in (started in beforeAll). */
	readonly s: Standin;
	/** The backoff delays asked for since the describe block began. */
	readonly sleep: SleepControl;
	readonly deadlines: DeadlineControl;
}

/** A stand-in for the enclosing describe block; `reset: false` keeps its data between tests. */
export function useStandin(options: StandinOptions & { reset?: boolean } = {}): UsedStandin {
	let s: Standin | undefined;
	let sleep: SleepControl | undefined;
	let deadlines: DeadlineControl | undefined;
	beforeAll(async () => {
		s = await startTestStandin(options);
		sleep = instantSleep();
		deadlines = controlledDeadlines();
	});
	afterAll(async () => {
		deadlines?.restore();
		sleep?.restore();
		await s?.close();
	});
	if (options.reset !== false) beforeEach(() => s?.reset());
	const started = <T>(value: T | undefined): T => {
		if (value === undefined) throw new Error('useStandin: the stand-in starts in beforeAll');
		return value;
	};
	return {
		get s() {
			return started(s);
		},
		get sleep() {
			return started(sleep);
		},
		get deadlines() {
			return started(deadlines);
		},
	};
}
