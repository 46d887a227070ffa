/**
 * A Return All in ranges (nodes/shared/client/pager.ts splitRows) against an in-memory Stripe list, on a
 * virtual clock: every page takes `pageMs` of virtual time, nothing waits for real. It records each request
 * (its `created` range, cursor, start and end) so tests can count the sequential round trips before the read
 * has all its pages in flight, and the read's whole (virtual) time, for a given page time and key.
 *
 * The list behaves as Stripe documents it: newest first by `created`, objects of one second in a fixed order
 * of their own (here the ID, descending), `created[gte|gt|lt|lte]` filters, `starting_after` = an object ID
 * of the filtered list, `limit` rows a page and `has_more`.
 */
import type { IDataObject } from 'n8n-workflow';

import type { FetchPage, PageStep } from '../../nodes/shared/client/pager';
import { splitRows } from '../../nodes/shared/client/pager';
import { newPacing, observeAnswer } from '../../nodes/shared/client/pacing';
import { pageLimit } from '../../nodes/shared/execution/concurrency';

/** Timers fired in time order once every promise chain has settled: the pager's clock in a test. */
export class VirtualClock {
	private t = 0;
	private seq = 0;
	private readonly timers: Array<{ at: number; seq: number; fire: () => void }> = [];

	readonly now = (): number => this.t;

	readonly sleep = (ms: number): Promise<void> => new Promise<void>((resolve) => this.at(this.t + Math.max(0, ms), resolve));

	at(when: number, fire: () => void): void {
		this.timers.push({ at: when, seq: this.seq++, fire });
	}

	/** Runs `work` to its end: whenever nothing else can happen, the clock jumps to the next timer. */
	async run<T>(work: Promise<T>): Promise<T> {
		let settled = false;
		const watched = work.finally(() => {
			settled = true;
		});
		watched.catch(() => undefined);
		for (;;) {
			await new Promise<void>((resolve) => setImmediate(resolve)); // every pending promise reaction runs first
			if (settled) return watched;
			if (this.timers.length === 0) throw new Error('the read waits for nothing: stuck');
			this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
			const next = this.timers.shift()!;
			this.t = next.at;
			next.fire();
		}
	}
}

export interface SimRequest {
	/** The `created` filter sent, and the cursor. */
	created?: Record<string, number>;
	startingAfter?: string;
	start: number;
	end: number;
	rows: number;
}

/** `times` (Unix seconds, any order) as Stripe would list them: newest first, one second's objects by ID descending. */
export function stripeList(times: number[]): IDataObject[] {
	const rows = times.map((created, i) => ({ id: `cus_${String(i).padStart(7, '0')}`, object: 'customer', created }));
	return rows.sort((a, b) => b.created - a.created || (a.id < b.id ? 1 : -1));
}

function inFilter(created: number, f: Record<string, number> | undefined): boolean {
	if (!f) return true;
	return (
		(f.gte === undefined || created >= f.gte) &&
		(f.gt === undefined || created > f.gt) &&
		(f.lt === undefined || created < f.lt) &&
		(f.lte === undefined || created <= f.lte)
	);
}

export interface SimResult {
	ids: string[];
	requests: SimRequest[];
	/** Virtual milliseconds from the first request to the result. */
	wallMs: number;
	/** The most pages in flight at once. */
	mostInFlight: number;
}

/**
 * Reads `list` in ranges on a virtual clock, each page answered `pageMs` after it was sent, with the automatic
 * page limit of a test-mode or live-mode key (concurrency.ts pageLimit) or a fixed one. `userCreated`: the
 * user's own filter.
 */
export async function simulateRead(
	list: IDataObject[],
	options: { pageMs: number; live?: boolean; fixed?: number; userCreated?: Record<string, number> },
): Promise<SimResult> {
	const clock = new VirtualClock();
	const pacing = newPacing();
	const limit = pageLimit(options.fixed, { pacing, livemode: options.live === true });
	const requests: SimRequest[] = [];
	let inFlight = 0;
	let mostInFlight = 0;
	const fetch: FetchPage = (step: PageStep | undefined) => {
		const params = step && 'params' in step ? step.params : {};
		const created = (params.created as Record<string, number> | undefined) ?? options.userCreated;
		const startingAfter = params.starting_after as string | undefined;
		const filtered = list.filter((r) => inFilter(r.created as number, created));
		const from = startingAfter === undefined ? 0 : filtered.findIndex((r) => r.id === startingAfter) + 1;
		if (startingAfter !== undefined && from === 0) throw new Error(`no such object: ${startingAfter}`);
		const data = filtered.slice(from, from + 100);
		const request: SimRequest = { created, startingAfter, start: clock.now(), end: NaN, rows: data.length };
		requests.push(request);
		mostInFlight = Math.max(mostInFlight, ++inFlight);
		return new Promise((resolve) =>
			clock.at(clock.now() + options.pageMs, () => {
				inFlight--;
				request.end = clock.now();
				observeAnswer(pacing, 200, clock.now());
				resolve({ object: 'list', data: data.map((r) => ({ ...r })), has_more: from + 100 < filtered.length });
			}),
		);
	};
	const read = { kind: 'list' as const, where: (n: number) => `GET /v1/customers for item 0, page ${n}`, pageSize: 100 };
	const rows = await clock.run(splitRows(fetch, read, options.userCreated, limit, clock));
	return { ids: rows.map((r) => String(r.id)), requests, wallMs: clock.now(), mostInFlight };
}

/**
 * Creation times like the bench's (bench/run.ts seedTimes): `n` objects over two years up to `now`, denser
 * towards now, a two-month gap, and 5 % in ten one-second bursts. Deterministic.
 */
export function accountTimes(n: number, now: number, seed = 25): number[] {
	let a = seed;
	const random = () => {
		a = (a * 1103515245 + 12345) % 2147483648;
		return a / 2147483648;
	};
	const year = 365 * 86400;
	const gap = { from: now - 1.2 * year, to: now - 1.2 * year + 60 * 86400 };
	const bursts = Array.from({ length: 10 }, () => now - Math.floor(2 * year * random() ** 2));
	return Array.from({ length: n }, (_, i) => {
		if (i < n * 0.05) return bursts[i % bursts.length];
		const t = now - Math.floor(2 * year * random() ** 2);
		return t >= gap.from && t < gap.to ? t - (gap.to - gap.from) : t;
	});
}
