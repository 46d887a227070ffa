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

import { AnswerShapeError, answerObject, listRows, nextCursor } from './lists';

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

/** How the cursor parameters of v1 lists are described in the editor (shapes.ts). */
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
