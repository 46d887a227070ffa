/**
 * Checks on what Stripe answers, before anything of it becomes an output item: an object where an object is
 * expected, a list object with a `data` list of objects, and paging cursors that move on. A malformed answer
 * is an error naming what was wrong (the callers add the item), never an empty success or a crash of the
 * execution (n8n cannot store `null` as an item).
 */
import type { IDataObject } from 'n8n-workflow';

/** Why an answer does not fit; `where` says which request, e.g. `GET /v1/customers, page 2`. */
export class AnswerShapeError extends Error {
	constructor(
		readonly where: string,
		readonly reason: string,
	) {
		super(`Stripe's answer to ${where} ${reason}`);
	}
}

export function isPlainObject(value: unknown): value is IDataObject {
	return !!value && typeof value === 'object' && !Array.isArray(value) && !Buffer.isBuffer(value);
}

/** What a value is, for messages. */
export function kindOf(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'a list';
	if (typeof value === 'object') return 'an object';
	if (typeof value === 'string') return value === '' ? 'empty' : 'text';
	return `a ${typeof value}`;
}

/** The answer must be a JSON object. */
export function answerObject(body: unknown, where: string): IDataObject {
	if (!isPlainObject(body)) throw new AnswerShapeError(where, `is ${kindOf(body)}, not an object`);
	return body;
}

/** The rows of a list (or search) answer: `data` must be a list of objects. */
export function listRows(page: unknown, where: string): IDataObject[] {
	const obj = answerObject(page, where);
	if (!('data' in obj)) throw new AnswerShapeError(where, 'has no "data" list');
	const data = obj.data;
	if (!Array.isArray(data)) throw new AnswerShapeError(where, `has a "data" that is ${kindOf(data)}, not a list`);
	data.forEach((row, i) => {
		if (!isPlainObject(row)) throw new AnswerShapeError(where, `has a row ${i} that is ${kindOf(row)}, not an object`);
	});
	return data as IDataObject[];
}

/** The next cursor of a paged answer: a non-empty string, other than every one already used. */
export function nextCursor(value: unknown, used: Set<string>, what: string, where: string): string {
	if (typeof value !== 'string' || value === '') throw new AnswerShapeError(where, `says there is more (has_more), but its ${what} is ${kindOf(value)}`);
	if (used.has(value))
		throw new AnswerShapeError(where, `says there is more, but its ${what} "${value.slice(0, 80)}" was used already: the list does not advance`);
	used.add(value);
	return value;
}
