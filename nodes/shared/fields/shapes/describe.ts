/**
 * A field's description: Stripe's own sentences, never cut inside one (a value's first sentence, however long,
 * and the sentences after it while the text stays within DESCRIPTION_LENGTH characters, by depth: parameters,
 * members, members of members; each resource's API reference link has the rest), then what to type: the unit
 * of amounts (hints.ts), a date's formats, a JSON field's keys, how to unset.
 */
import type { Schema } from '../../model/descriptor';
import { CURSOR_DESCRIPTIONS } from '../../client/pager';
import { amountHint } from '../hints';
import { firstSentences } from '../naming';
import type { ShapeKind } from './kind';
import { isDate } from './kind';

const DESCRIPTION_LENGTH = [300, 200, 0];

/** What a date-time field takes (Stripe's own text speaks of Unix timestamps). */
export const DATE_HINT = "A date and time, read in the workflow's time zone unless it names one; Unix seconds work too.";

/** Parameters most operations have, in fewer words than Stripe's. */
const SHORT_DESCRIPTIONS: Record<string, string> = { expand: 'Fields of the answer to expand', ...CURSOR_DESCRIPTIONS };

/** A union of an ID (or token) and an object: shown as JSON, it also takes the ID as plain text. */
export function takesId(schema: Schema): boolean {
	return schema.type === 'union' && (schema.anyOf ?? []).some((a) => a.type === 'string') && (schema.anyOf ?? []).some((a) => a.type === 'object');
}

/** "(A JSON object with keys such as `a`, `b`)": what a JSON field holds. */
function jsonHint(schema: Schema, depth: number): string {
	const members = schema.members?.map((m) => m.name) ?? schema.anyOf?.flatMap((a) => a.members?.map((m) => m.name) ?? []);
	const what =
		schema.type === 'array' ? 'A JSON array' : takesId(schema) ? 'an ID or token as it is, or JSON' : schema.type === 'union' ? 'JSON' : 'A JSON object';
	const keys = members?.length
		? ` with keys such as ${members
				.slice(0, depth > 0 ? 3 : 6)
				.map((m) => `\`${m}\``)
				.join(', ')}`
		: '';
	return `(${what}${keys})`;
}

/** `text` then `more`, as one description. */
function then(text: string, more: string, period = false): string {
	return `${text}${period && text && !/[.!?]$/.test(text) ? '.' : ''}${text ? ' ' : ''}${more}`;
}

/**
 * Key/value pairs (metadata) say what a user does in the field: Stripe's first sentence, then how to remove a
 * key with an entry, where Stripe's text explains unsetting "by posting an empty value" (106 metadata fields
 * repeat that paragraph; an entry with an empty value is sent as `metadata[key]=`, which unsets the key).
 */
function describePairs(text: string): string {
	const first = firstSentences(text, 0);
	return /unset by posting an empty value/i.test(text) ? then(first, 'An entry with an empty value removes its key.', true) : first;
}

export function describe(schema: Schema, kind: ShapeKind, depth: number): string | undefined {
	let d =
		SHORT_DESCRIPTIONS[schema.name ?? ''] ??
		(kind === 'keyValue' ? describePairs(schema.description ?? '') : firstSentences(schema.description ?? '', DESCRIPTION_LENGTH[Math.min(depth, 2)]));
	const unit = kind === 'date' || (kind === 'choice' && schema.anyOf?.some(isDate)) ? DATE_HINT : amountHint(schema);
	if (unit) d = then(d, unit, true);
	if (kind === 'json') d = then(d, jsonHint(schema, depth));
	if (schema.emptyable && kind !== 'keyValue' && depth === 0) d = then(d, 'An empty value unsets it.');
	return d || undefined;
}
