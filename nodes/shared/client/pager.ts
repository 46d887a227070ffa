/**
 * The one pager: how every paged read of the package (an operation's Return All, the credit-grant report, the
 * pickers' list search, the trigger's look for orphaned destinations) goes from one page to the next.
 *
 * - `list` (v1 lists): `has_more`, then `starting_after` = the last row's ID (`ending_before` = the first row's
 *   ID when paging backwards);
 * - `search` (v1 search): `has_more` and `next_page`, sent back as `page`;
 * - `v2list`: `next_page_url`, a path on the same host that is requested as it is.
 *
 * Every page is checked before its rows are used (lists.ts): `data` must be a list of objects, and a cursor must
 * be a non-empty string never used before in this read, so a list that does not advance is an error, not a loop;
 * a v2 `next_page_url` must be a `/v2/` path (the credential's key goes with it). The callers send the requests
 * (the pager knows no client) and decide how many rows they want.
 */
import type { IDataObject } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import type { OperationDescriptor } from '../model/descriptor';
import { AnswerShapeError, answerObject, listRows, nextCursor } from './answers';

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

/**
 * The pages of a read, as lists of checked rows. `fetch(step, pageNo)` sends one request and returns its body:
 * `step` is undefined for the first page, then what readPage said. Stop iterating to stop reading.
 */
export async function* pages(fetch: (step: PageStep | undefined, pageNo: number) => Promise<unknown>, read: PageRead): AsyncGenerator<IDataObject[]> {
	const used = new Set<string>();
	let step: PageStep | undefined;
	for (let pageNo = 1; pageNo <= (read.maxPages ?? Infinity); pageNo++) {
		const { rows, next } = readPage(await fetch(step, pageNo), read, pageNo, used);
		yield rows;
		if (!next) return;
		step = next;
	}
}

/** Every row of a read. */
export async function allRows(fetch: (step: PageStep | undefined, pageNo: number) => Promise<unknown>, read: PageRead): Promise<IDataObject[]> {
	const out: IDataObject[] = [];
	for await (const rows of pages(fetch, read)) out.push(...rows);
	return out;
}

/**
 * A read that is resumed from a token kept outside (n8n's list search hands back `paginationToken`): the token
 * of a step, and the cursor parameters that resume from a token.
 */
export function resumeToken(step: PageStep | undefined): string | undefined {
	if (!step || !('params' in step)) return undefined;
	const value = step.params.page ?? step.params.starting_after ?? step.params.ending_before;
	return value === undefined ? undefined : String(value);
}

export function resumeParams(kind: 'list' | 'search', token: string | undefined): Record<string, unknown> {
	if (token === undefined) return {};
	return kind === 'search' ? { page: token } : { starting_after: token };
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
	/** A page was answered after `ms`. */
	done(ms: number): void;
	/** How long to wait before starting another page while others are in flight. */
	startDelayMs(): number;
}

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

/** The rows' `created` times: whole numbers, newest first (also after the lane's previous row), or undefined if a row has none. */
function createdTimes(rows: IDataObject[], after: number | undefined): number[] | undefined {
	const times: number[] = [];
	for (const row of rows) {
		if (typeof row.created !== 'number' || !Number.isInteger(row.created)) return undefined;
		times.push(row.created);
	}
	return times.every((t, i) => t <= (i ? times[i - 1] : (after ?? Infinity))) ? times : undefined;
}

/**
 * Every row of a v1 list, read in ranges of creation time (see above) within `limit`, in the order one cursor
 * reads them. `fetch(step, pageNo)` sends one page: step.params are the cursor and `created` to send instead
 * of the user's (undefined for the first page). `created`: the user's own filter (kept, narrowed per range).
 * Falls back to one cursor when the first page is the last, or its rows have no whole-second `created`.
 */
export async function splitRows(
	fetch: (step: PageStep | undefined, pageNo: number) => Promise<unknown>,
	read: PageRead,
	created: unknown,
	limit: PageLimit,
): Promise<IDataObject[]> {
	const user = createdBounds(created);
	const top: Lane = { count: 0, pages: [], used: new Set(), busy: false, done: false };
	let started = Date.now();
	const firstPage = readPage(await fetch(undefined, 1), read, 1, top.used);
	limit.done(Date.now() - started);
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
	const take = (lane: Lane, rows: IDataObject[], at: number[], more: boolean) => {
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
	};
	take(top, firstPage.rows, times, true);
	const lanes: Lane[] = [top];
	let pageNo = 1;

	/**
	 * The lane with the most rows still expected, split. A lane whose lower end is known (a split's, or the
	 * user's filter) expects its rows per second so far × the seconds it has left, and is split at the middle
	 * second of those, when it expects at least two pages more. The bottom lane's end is unknown (Stripe lists
	 * cannot be read oldest first), so it comes first; it keeps 4, 16, 64, … pages' worth of seconds at its rows
	 * per second so far (a galloping search for the end of the list), the new lane takes everything below.
	 */
	let bottomSplits = 0;
	const split = (): Lane | undefined => {
		let best: { lane: Lane; at: number; expected: number; perSecond: number } | undefined;
		lanes.forEach((lane, at) => {
			if (lane.done || lane.cursor === undefined || lane.last === undefined || lane.first === undefined) return;
			const perSecond = lane.count / (lane.first - lane.last + 1);
			const end = lane.lo ?? user.lo;
			const left = end === undefined ? Infinity : lane.last - end;
			const expected = perSecond * left;
			if (left < 1 || expected < 2 * LIST_PAGE_SIZE) return;
			if (!best || expected > best.expected) best = { lane, at, expected, perSecond };
		});
		if (!best) return undefined;
		const { lane, at, perSecond } = best;
		const last = lane.last!;
		const end = lane.lo ?? user.lo;
		let middle: number;
		if (end === undefined) {
			middle = last + 1 - Math.max(1, Math.round((LIST_PAGE_SIZE / perSecond) * 4 ** ++bottomSplits));
			if (middle < 1) return undefined;
		} else {
			middle = end + Math.ceil((last - end) / 2); // end < middle ≤ last: a whole second
		}
		const lower: Lane = { lo: lane.lo, hi: middle, count: 0, pages: [], used: new Set(), busy: false, done: false };
		lane.lo = middle;
		lanes.splice(at + 1, 0, lower);
		return lower;
	};

	/**
	 * The cursor and `created` of a lane's next page: the user's filter narrowed to the lane's range (a lane's
	 * bounds are always inside the user's, so its gte replaces the user's gt and its lt the user's lte).
	 */
	const stepOf = (lane: Lane): PageStep => {
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
	};

	const readLane = async (lane: Lane, no: number) => {
		const bounds = [lane.lo !== undefined ? `created ≥ ${lane.lo}` : '', lane.hi !== undefined ? `created < ${lane.hi}` : ''].filter(Boolean).join(', ');
		const where = (n: number) => (bounds ? `${read.where(n)} (${bounds})` : read.where(n));
		const { rows, next } = readPage(await fetch(stepOf(lane), no), { ...read, where }, no, lane.used);
		const at = createdTimes(rows, lane.last);
		if (!at) throw new AnswerShapeError(where(no), 'has rows without whole-second "created" times, or not newest first');
		take(lane, rows, at, next !== undefined);
	};

	let inFlight = 0;
	let failure: unknown;
	await new Promise<void>((resolve, reject) => {
		let waiting = false;
		let reserved = false;
		const pump = () => {
			if (waiting) return;
			while (failure === undefined && inFlight < limit.limit) {
				const lane = lanes.find((l) => !l.done && !l.busy) ?? split();
				if (!lane) break;
				if (inFlight > 0 && !reserved) {
					const delayMs = limit.startDelayMs();
					if (delayMs > 0) {
						waiting = reserved = true;
						void sleep(delayMs).then(() => {
							waiting = false;
							pump();
						});
						return;
					}
				}
				reserved = false;
				lane.busy = true;
				inFlight++;
				started = Date.now();
				const since = started;
				readLane(lane, ++pageNo)
					.catch((e: unknown) => {
						failure ??= e;
					})
					.finally(() => {
						lane.busy = false;
						inFlight--;
						limit.done(Date.now() - since);
						pump();
					});
			}
			if (inFlight === 0) {
				if (failure !== undefined) reject(failure instanceof Error ? failure : new Error(String(failure)));
				else if (lanes.every((l) => l.done)) resolve();
			}
		};
		pump();
	});
	return lanes.flatMap((lane) => lane.pages.flat());
}
