/**
 * The one pager: how every paged read of the package (an operation's Return All, the credit-grant report, the
 * pickers' list search, the Events API reads) goes from one page to the next.
 *
 * - `list` (v1 lists): `has_more`, then `starting_after` = the last row's ID (`ending_before` = the first row's
 *   ID when paging backwards);
 * - `search` (v1 search): `has_more` and `next_page`, sent back as `page`;
 * - `v2list`: `next_page_url`, a path on the same host that is requested as it is.
 *
 * Every page is checked before its rows are used (answers.ts): `data` must be a list of objects, and a cursor
 * must be a non-empty string never used before in this read, so a list that does not advance is an error, not a
 * loop; a v2 `next_page_url` must be a `/v2/` path (the credential's key goes with it).
 *
 * A read starts from the first page's request (client/request.ts), and the pager sends every further page
 * itself: the same request with the step's cursor (`nextPage`), so every option of the first (account,
 * retries, timeout, …) goes with each page. Callers say how many rows they want, never how to get the next page.
 */
import type { IDataObject } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import type { OperationDescriptor } from '../model/descriptor';
import { AnswerShapeError, answerObject, listRows, nextCursor } from './answers';
import { callStripe } from './client';
import type { StripeRequest } from './request';
import type { StripeContext, StripeSettings } from './transport';

export type PagedKind = 'list' | 'search' | 'v2list';

/** What changes for the next page: the cursor parameters (v1 lists and search) or the whole path (v2). */
export type PageStep = { params: Record<string, unknown> } | { path: string };

export interface PageRead {
	kind: PagedKind;
	/** v1 lists paged backwards (the read started with `ending_before`). */
	backwards?: boolean;
	/** Names the request in errors, e.g. `GET /v1/customers for item 0, page 2`. */
	where: (pageNo: number) => string;
	/** Stop after this many pages (the rows read so far are kept). */
	maxPages?: number;
	/** Each page asks for this many rows (`limit`), fewer when fewer are wanted; undefined: the first request's own `limit`. */
	pageSize?: number;
	/** Stop after this many rows, the last page cut (default: all). */
	wanted?: number;
}

/** How the cursor parameters of v1 lists are described in the editor (fields/shapes/describe.ts). */
export const CURSOR_DESCRIPTIONS: Record<string, string> = {
	ending_before: 'A cursor: an object ID, to list the objects before it',
	starting_after: 'A cursor: an object ID, to list the objects after it',
};

/** Whether a v1 list read pages backwards: it starts from the user's `ending_before`. */
export function pagesBackwards(kind: PagedKind, params: Record<string, unknown>): boolean {
	return kind === 'list' && params.ending_before !== undefined;
}

/** The rows of one page, checked, and the step to the next page (undefined at the end). `used`: the cursors this read has used. */
export function readPage(body: unknown, read: PageRead, pageNo: number, used: Set<string> = new Set()): { rows: IDataObject[]; next?: PageStep } {
	const where = read.where(pageNo);
	const rows = listRows(body, where);
	const page = answerObject(body, where);
	if (read.kind === 'v2list') {
		if (!page.next_page_url || rows.length === 0) return { rows };
		const url = nextCursor(page.next_page_url, used, 'next_page_url', where);
		if (!/^\/v2\/[^?#]*(\?.*)?$/.test(url) || /\/\.\.?(\/|\?|$)/.test(url.split('?')[0])) {
			throw new AnswerShapeError(where, `has a next_page_url that is not a /v2/ path: "${url.slice(0, 80)}"`);
		}
		return { rows, next: { path: url } };
	}
	if (!page.has_more || rows.length === 0) return { rows };
	if (read.kind === 'search') {
		if (!page.next_page) return { rows };
		return { rows, next: { params: { page: nextCursor(page.next_page, used, 'next_page', where) } } };
	}
	const edge = read.backwards ? rows[0] : rows[rows.length - 1];
	const cursor = nextCursor(edge.id, used, read.backwards ? 'first row ID' : 'last row ID', where);
	return { rows, next: { params: read.backwards ? { ending_before: cursor } : { starting_after: cursor } } };
}

/** How a page is fetched: `step` is undefined for the first page, then what readPage said. Returns the body. */
export type FetchPage = (step: PageStep | undefined, pageNo: number) => Promise<unknown>;

/**
 * The pages of a read whose requests the caller sends itself (`fetch(step, pageNo)` returns a page's body).
 * Only for the trigger nodes until they read through `readPages`; everything else lets the pager send them.
 */
export async function* pages(fetch: FetchPage, read: PageRead): AsyncGenerator<IDataObject[]> {
	const used = new Set<string>();
	let step: PageStep | undefined;
	for (let pageNo = 1; pageNo <= (read.maxPages ?? Infinity); pageNo++) {
		const { rows, next } = readPage(await fetch(step, pageNo), read, pageNo, used);
		yield rows;
		if (!next) return;
		step = next;
	}
}

/**
 * The request of a page after the first: the first request with the step's cursor parameters (v1), or the
 * step's path without parameters (a v2 `next_page_url`), and `limit` when given. Every option is kept.
 */
export function nextPage(first: StripeRequest, step: PageStep | undefined, limit?: number): StripeRequest {
	if (step && 'path' in step) return { ...first, path: step.path, params: undefined };
	const params: Record<string, unknown> = { ...first.params, ...step?.params };
	if (limit !== undefined) params.limit = limit;
	return { ...first, params };
}

/** Sends the pages of a read: `got()` says how many rows the read has so far (for the page's `limit`). */
function pageSender(ctx: StripeContext, settings: StripeSettings, first: StripeRequest, read: PageRead, got: () => number): FetchPage {
	return async (step) => {
		const limit = read.pageSize === undefined ? undefined : Math.min(read.pageSize, (read.wanted ?? Infinity) - got());
		const req = step && 'path' in step ? nextPage(first, step) : nextPage(first, step, limit);
		return (await callStripe(ctx, settings, req, 'throw')).body;
	};
}

/** The pages of a read, as lists of checked rows, from its first request; the pager sends each page. Stop iterating to stop reading. */
export async function* readPages(ctx: StripeContext, settings: StripeSettings, first: StripeRequest, read: PageRead): AsyncGenerator<IDataObject[]> {
	const wanted = read.wanted ?? Infinity;
	let got = 0;
	for await (const rows of pages(
		pageSender(ctx, settings, first, read, () => got),
		read,
	)) {
		const kept = rows.slice(0, wanted - got);
		got += kept.length;
		yield kept;
		if (got >= wanted) return;
	}
}

/** Every row of a read (or the first `read.wanted`). */
export async function readAll(ctx: StripeContext, settings: StripeSettings, first: StripeRequest, read: PageRead): Promise<IDataObject[]> {
	const out: IDataObject[] = [];
	for await (const rows of readPages(ctx, settings, first, read)) out.push(...rows);
	return out;
}

/**
 * One page of a read that is resumed from a token kept outside (n8n's list search hands back
 * `paginationToken`): the page `token` points at (undefined: the first), its rows, and the token of the next.
 */
export async function readOnePage(
	ctx: StripeContext,
	settings: StripeSettings,
	first: StripeRequest,
	read: PageRead & { kind: 'list' | 'search' },
	token?: string,
): Promise<{ rows: IDataObject[]; token?: string }> {
	const resume: PageStep | undefined = token === undefined ? undefined : { params: read.kind === 'search' ? { page: token } : { starting_after: token } };
	const body = (await callStripe(ctx, settings, nextPage(first, resume), 'throw')).body;
	const { rows, next } = readPage(body, read, 1);
	if (!next || !('params' in next)) return { rows };
	const value = next.params.page ?? next.params.starting_after ?? next.params.ending_before;
	return { rows, token: value === undefined ? undefined : String(value) };
}

// ------------------------------------------------------------------------------------------------------------
// Return All in ranges of creation time
//
// Stripe lists are newest first by `created` (whole seconds), objects of one second in Stripe's own order,
// which cannot be derived from `created`. So a list can be read as disjoint ranges of whole seconds
// (`created[gte]` / `created[lt]`), each with its own cursor, at the same time; the ranges' rows, newest range
// first, are the rows one cursor reads, in the same order. A range never cuts inside a second.
//
// The first page is the one request one cursor sends first (the same parameters). If it says there is more,
// and its rows have whole-second `created` times, newest first, the rest is read in lanes: the first page's
// cursor goes on (the top lane), and whenever another page may be in flight (`limit`: concurrency.ts, within
// the account's pacing) and no lane has a page to ask for, a lane is split (see `split`): it keeps the upper
// part of what it has left (its cursor is inside it), a new lane reads the lower part. A page asked for before
// its lane was split keeps only the rows at or above the split (the rest are the new lane's), and the lane
// ends there. Each lane has one page in flight at most.
//
// Objects created while the list is read are newer than the first page and are never read (as with one
// cursor): the result is the list as it was when the first page was read, less objects deleted meanwhile.
// ------------------------------------------------------------------------------------------------------------

/** The page size of a Return All (the most Stripe allows). */
export const LIST_PAGE_SIZE = 100;

/** How many pages may be in flight and when the next may start (concurrency.ts InFlightLimit). */
export interface PageLimit {
	readonly limit: number;
	/** A page was answered after `ms` (at `now`). */
	done(ms: number, now?: number): void;
	/** How long to wait before starting another page while others are in flight (at `now`). */
	startDelayMs(now?: number): number;
}

/** The time a read in ranges goes by: the real clock, or a test's (a virtual clock, so no test waits). */
export interface PagerClock {
	now(): number;
	sleep(ms: number): Promise<void>;
}

const REAL_CLOCK: PagerClock = { now: () => Date.now(), sleep };

/**
 * Whether Return All of an operation can be read in ranges of creation time, from its parameter schema: a
 * v1 list with cursors whose `created` filter takes a range (`gte` and `lt`).
 */
export function splitsByCreated(op: OperationDescriptor): boolean {
	if (op.kind !== 'list' || !op.params.some((p) => p.name === 'starting_after')) return false;
	const created = op.params.find((p) => p.name === 'created');
	const range = created?.type === 'object' ? created : created?.anyOf?.find((a) => a.type === 'object');
	const members = new Set((range?.members ?? []).map((m) => m.name));
	return members.has('gte') && members.has('lt');
}

/**
 * Whether this read's parameters let it be split: no cursor of the user's, the list in `created` order
 * (`order_by`, where an operation has it, left out or `created`), and a `created` filter that is a range of
 * whole seconds or none.
 */
export function canSplit(params: Record<string, unknown>): boolean {
	return (
		params.starting_after === undefined &&
		params.ending_before === undefined &&
		(params.order_by === undefined || params.order_by === 'created') &&
		createdBounds(params.created) !== undefined
	);
}

/** A user's `created` filter as whole-second bounds [lo, hi), or undefined when it cannot be split (one second, or not whole numbers). */
export function createdBounds(created: unknown): { lo?: number; hi?: number } | undefined {
	if (created === undefined) return {};
	if (!created || typeof created !== 'object' || Array.isArray(created)) return undefined;
	const f = created as Record<string, unknown>;
	const out: { lo?: number; hi?: number } = {};
	for (const [k, v] of Object.entries(f)) {
		if (v === undefined) continue;
		if (typeof v !== 'number' || !Number.isInteger(v) || !['gt', 'gte', 'lt', 'lte'].includes(k)) return undefined;
		const lo = k === 'gt' ? v + 1 : k === 'gte' ? v : undefined;
		const hi = k === 'lt' ? v : k === 'lte' ? v + 1 : undefined;
		if (lo !== undefined) out.lo = Math.max(out.lo ?? lo, lo);
		if (hi !== undefined) out.hi = Math.min(out.hi ?? hi, hi);
	}
	return out;
}

interface Lane {
	/** Whole-second bounds this lane adds to the user's filter: created[gte] = lo, created[lt] = hi (undefined: none). */
	lo?: number;
	hi?: number;
	/** The last row read (the lane's cursor) and its `created`; the first row's `created`; rows read. */
	cursor?: string;
	last?: number;
	first?: number;
	count: number;
	pages: IDataObject[][];
	used: Set<string>;
	busy: boolean;
	done: boolean;
}

/** A lane for [lo, hi) (undefined: no bound) that has read nothing yet. */
function newLane(lo: number | undefined, hi: number | undefined): Lane {
	return { lo, hi, count: 0, pages: [], used: new Set(), busy: false, done: false };
}

/** The rows' `created` times: whole numbers, newest first (also after the lane's previous row), or undefined if a row has none. */
function createdTimes(rows: IDataObject[], after: number | undefined): number[] | undefined {
	const times: number[] = [];
	for (const row of rows) {
		if (typeof row.created !== 'number' || !Number.isInteger(row.created)) return undefined;
		times.push(row.created);
	}
	return times.every((t, i) => t <= (i ? times[i - 1] : (after ?? Infinity))) ? times : undefined;
}

/** A lane takes the rows of its page at or above its lower bound; it is done at the end of its range or its list. */
function takeRows(lane: Lane, rows: IDataObject[], at: number[], more: boolean): void {
	// Rows below the lane's lower bound (set by a split while the page was on its way) are the new lane's.
	const below = lane.lo === undefined ? -1 : at.findIndex((t) => t < lane.lo!);
	const keep = below === -1 ? rows.length : below;
	if (keep > 0) {
		lane.pages.push(keep === rows.length ? rows : rows.slice(0, keep));
		lane.count += keep;
		lane.first ??= at[0];
		lane.last = at[keep - 1];
		lane.cursor = String(rows[keep - 1].id);
	}
	lane.done = !more || keep < rows.length;
}

/**
 * The cursor and `created` of a lane's next page: the user's filter narrowed to the lane's range (a lane's
 * bounds are always inside the user's, so its gte replaces the user's gt and its lt the user's lte).
 */
function laneStep(lane: Lane, created: unknown): PageStep {
	const params: Record<string, unknown> = {};
	if (lane.lo !== undefined || lane.hi !== undefined) {
		const range: Record<string, unknown> = { ...(created as Record<string, unknown> | undefined) };
		if (lane.lo !== undefined) {
			delete range.gt;
			range.gte = lane.lo;
		}
		if (lane.hi !== undefined) {
			delete range.lte;
			range.lt = lane.hi;
		}
		params.created = range;
	}
	if (lane.cursor !== undefined) params.starting_after = lane.cursor;
	return { params };
}

/** A read in lanes (see above), once its first page said there is more: lanes split and read within `limit`. */
class LaneRead {
	private readonly lanes: Lane[];
	private pageNo = 1;

	constructor(
		private readonly fetch: FetchPage,
		private readonly read: PageRead,
		private readonly created: unknown,
		private readonly user: { lo?: number; hi?: number },
		top: Lane,
		private readonly clock: PagerClock,
	) {
		this.lanes = [top];
	}

	/** Every row, in the order one cursor reads them. */
	rows(): IDataObject[] {
		return this.lanes.flatMap((lane) => lane.pages.flat());
	}

	/**
	 * The lane with the most rows still expected, split. A lane whose lower end is known (a split's, or the
	 * user's filter) expects its rows per second so far × the seconds it has left, and is split at the middle
	 * second of those, when it expects at least one page more. The bottom lane's end is unknown (Stripe lists
	 * cannot be read oldest first), so it comes first, and is probed at once by as many ranges as pages may
	 * start now (`free`; see `probe`).
	 */
	private split(free: number): Lane | undefined {
		let best: { lane: Lane; at: number; expected: number; perSecond: number } | undefined;
		this.lanes.forEach((lane, at) => {
			if (lane.done || lane.cursor === undefined || lane.last === undefined || lane.first === undefined) return;
			const perSecond = lane.count / (lane.first - lane.last + 1);
			const end = lane.lo ?? this.user.lo;
			const left = end === undefined ? Infinity : lane.last - end;
			const expected = perSecond * left;
			if (left < 1 || expected < LIST_PAGE_SIZE) return;
			if (!best || expected > best.expected) best = { lane, at, expected, perSecond };
		});
		if (!best) return undefined;
		const { lane, at, perSecond } = best;
		const last = lane.last!;
		const end = lane.lo ?? this.user.lo;
		if (end === undefined) return this.probe(lane, at, Math.max(1, Math.round(LIST_PAGE_SIZE / perSecond)), free);
		const middle = end + Math.ceil((last - end) / 2); // end < middle ≤ last: a whole second
		const lower = newLane(lane.lo, middle);
		lane.lo = middle;
		this.lanes.splice(at + 1, 0, lower);
		return lower;
	}

	/**
	 * The bottom lane (no lower end) split into a ladder of up to `free` ranges below its last row, all at once:
	 * it keeps 4 pages' worth of seconds at its rows per second so far (`page`: one page's worth), the ranges
	 * below take 16, 64, 256, … pages' worth back from its last row, down to the first second, and the lowest
	 * one has no lower end (it is probed the same way when it has rows and more). So with enough pages allowed
	 * in flight the list's oldest end is found in one round trip, whatever the list's age, and every range of it
	 * has a lane; most are split again when their first page has told their density. With few pages allowed it
	 * is one range at a time, as reading needs. Returns the first of them.
	 */
	private probe(lane: Lane, at: number, page: number, free: number): Lane | undefined {
		const anchor = lane.last! + 1;
		let hi = anchor - 4 * page;
		if (hi <= 1) return undefined;
		lane.lo = hi;
		const ladder: Lane[] = [];
		for (let width = 16 * page; ; width *= 4) {
			const lo = anchor - width;
			const open = lo <= 1 || ladder.length + 1 >= free;
			ladder.push(newLane(open ? undefined : lo, hi));
			if (open) break;
			hi = lo;
		}
		this.lanes.splice(at + 1, 0, ...ladder);
		return ladder[0];
	}

	/** The next page of a lane. */
	private async readLane(lane: Lane, no: number): Promise<void> {
		const bounds = [lane.lo !== undefined ? `created ≥ ${lane.lo}` : '', lane.hi !== undefined ? `created < ${lane.hi}` : ''].filter(Boolean).join(', ');
		const where = (n: number) => (bounds ? `${this.read.where(n)} (${bounds})` : this.read.where(n));
		const { rows, next } = readPage(await this.fetch(laneStep(lane, this.created), no), { ...this.read, where }, no, lane.used);
		const at = createdTimes(rows, lane.last);
		if (!at) throw new AnswerShapeError(where(no), 'has rows without whole-second "created" times, or not newest first');
		takeRows(lane, rows, at, next !== undefined);
	}

	/** Reads every lane to its end: a page of each lane at most in flight, within `limit`, splitting lanes when a page may start and none has one to ask for. */
	run(limit: PageLimit): Promise<void> {
		let inFlight = 0;
		let failure: unknown;
		let waiting = false;
		let reserved = false;
		return new Promise<void>((resolve, reject) => {
			const pump = () => {
				if (waiting) return;
				while (failure === undefined && inFlight < limit.limit) {
					const lane = this.lanes.find((l) => !l.done && !l.busy) ?? this.split(limit.limit - inFlight);
					if (!lane) break;
					if (inFlight > 0 && !reserved) {
						const delayMs = limit.startDelayMs(this.clock.now());
						if (delayMs > 0) {
							waiting = reserved = true;
							void this.clock.sleep(delayMs).then(() => {
								waiting = false;
								pump();
							});
							return;
						}
					}
					reserved = false;
					lane.busy = true;
					inFlight++;
					const since = this.clock.now();
					this.readLane(lane, ++this.pageNo)
						.catch((e: unknown) => {
							failure ??= e;
						})
						.finally(() => {
							lane.busy = false;
							inFlight--;
							const now = this.clock.now();
							limit.done(now - since, now);
							pump();
						});
				}
				if (inFlight === 0) {
					if (failure !== undefined) reject(failure instanceof Error ? failure : new Error(String(failure)));
					else if (this.lanes.every((l) => l.done)) resolve();
				}
			};
			pump();
		});
	}
}

/**
 * Every row of a v1 list, read in ranges of creation time (see above) within `limit`, in the order one cursor
 * reads them. `fetch(step, pageNo)` sends one page: step.params are the cursor and `created` to send instead
 * of the user's (undefined for the first page). `created`: the user's own filter (kept, narrowed per range).
 * Falls back to one cursor when the first page is the last, or its rows have no whole-second `created`.
 */
export async function splitRows(fetch: FetchPage, read: PageRead, created: unknown, limit: PageLimit, clock = REAL_CLOCK): Promise<IDataObject[]> {
	const user = createdBounds(created);
	const top: Lane = { count: 0, pages: [], used: new Set(), busy: false, done: false };
	const started = clock.now();
	const firstPage = readPage(await fetch(undefined, 1), read, 1, top.used);
	limit.done(clock.now() - started, clock.now());
	const times = createdTimes(firstPage.rows, undefined);
	if (!firstPage.next || !times || !user || !('params' in firstPage.next)) {
		// One cursor, exactly as `pages` reads it.
		const out = [...firstPage.rows];
		let step = firstPage.next;
		for (let pageNo = 2; step; pageNo++) {
			const { rows, next } = readPage(await fetch(step, pageNo), read, pageNo, top.used);
			out.push(...rows);
			step = next;
		}
		return out;
	}
	takeRows(top, firstPage.rows, times, true);
	const lanes = new LaneRead(fetch, read, created, user, top, clock);
	await lanes.run(limit);
	return lanes.rows();
}

/**
 * Every row of a v1 list from its first request, read in ranges of creation time (see above) within `limit`,
 * in the order one cursor reads them. The request's own `created` filter is kept, narrowed per range.
 */
export function readInRanges(ctx: StripeContext, settings: StripeSettings, first: StripeRequest, read: PageRead, limit: PageLimit): Promise<IDataObject[]> {
	return splitRows(
		pageSender(ctx, settings, first, read, () => 0),
		read,
		first.params?.created,
		limit,
	);
}
