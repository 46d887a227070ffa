/**
 * Node parameters → Stripe request data, validated against the operation's parameter schema.
 * Every problem is reported as a ParamError naming the field and the reason; the executor adds the item.
 */
import { tryToParseDateTime } from 'n8n-workflow';

import type { Schema } from '../model/descriptor';
import { isPlainObject } from '../client/answers';
import { unwrapLocator } from '../pickers/kinds';
import { labelOf } from './naming';

export class ParamError extends Error {
	constructor(
		readonly field: string,
		readonly reason: string,
	) {
		super(`${field}: ${reason}`);
	}
}

/** Stripe's documented limits on metadata. */
export const METADATA_LIMITS = { maxKeys: 50, maxKeyLength: 40, maxValueLength: 500 };

function forMessage(value: unknown): string {
	let s: string;
	try {
		s = typeof value === 'string' ? `"${value}"` : JSON.stringify(value);
	} catch {
		s = String(value);
	}
	return s.length > 80 ? `${s.slice(0, 77)}…` : s;
}

export function fieldLabel(path: string): string {
	const named = path.split(/[.[\]]+/).filter((s) => s && !/^\d+$/.test(s));
	return `"${labelOf(named.pop() ?? path)}" (${path})`;
}

function typeError(path: string, expected: string, value: unknown): ParamError {
	return new ParamError(fieldLabel(path), `expected ${expected}, got ${forMessage(value)}`);
}

function toNumber(value: unknown, path: string): number {
	if (typeof value === 'number') {
		if (!Number.isFinite(value)) throw typeError(path, 'a finite number', value);
		return value;
	}
	if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
	throw typeError(path, 'a number', value);
}

function toBoolean(value: unknown, path: string): boolean {
	if (typeof value === 'boolean') return value;
	if (value === 'true' || value === 'false') return value === 'true';
	throw typeError(path, 'true or false', value);
}

function toEnum(value: unknown, schema: Schema, path: string): string {
	const allowed = (schema.enum ?? []).filter((v) => v !== '');
	if (typeof value === 'string' && (allowed.includes(value) || (value === '' && schema.emptyable))) return value;
	const list = allowed.length > 25 ? `${allowed.slice(0, 25).join(', ')}, …` : allowed.join(', ');
	return failEnum(path, value, list);
}

function failEnum(path: string, value: unknown, list: string): never {
	throw new ParamError(fieldLabel(path), `${forMessage(value)} is not an allowed value (allowed: ${list})`);
}

/**
 * Key/value pairs from the fixedCollection UI, or an object given by an expression. Values are text, except
 * for maps whose values are objects (e.g. a price's `currency_options`): each value is then a JSON object,
 * given as JSON text in the UI, and checked against the map's value schema.
 */
function toKeyValue(value: unknown, schema: Schema, path: string, fromText: boolean): Record<string, unknown> | '' {
	const structured = schema.type === 'map' && schema.items !== undefined && !['string', 'number', 'boolean', 'enum'].includes(schema.items.type);
	let pairs: Array<[string, unknown]>;
	if (typeof value === 'string') {
		if (value === '' && schema.emptyable) return '';
		if (!fromText) throw typeError(path, 'key/value pairs', value);
		return toKeyValue(parseJson(value, path), schema, path, false);
	}
	if (value && typeof value === 'object' && !Array.isArray(value)) {
		const v = value as Record<string, unknown>;
		if (Array.isArray(v.entries) && Object.keys(v).length === 1) {
			pairs = (v.entries as Array<{ key?: unknown; value?: unknown }>).map((e) => [String(e.key ?? ''), e.value ?? '']);
		} else if (Object.keys(v).length === 0) {
			pairs = [];
		} else {
			pairs = Object.entries(v);
		}
	} else {
		throw typeError(path, 'key/value pairs', value);
	}
	const out: Record<string, unknown> = {};
	for (const [k, raw] of pairs) {
		if (k === '') throw new ParamError(fieldLabel(path), 'a key is empty');
		if (structured) {
			if (Object.prototype.hasOwnProperty.call(out, k)) throw new ParamError(fieldLabel(path), `key "${k}" is given twice`);
			// Plain text (not JSON) still passes through unchanged, as before, for Stripe to judge.
			const parsed = typeof raw === 'string' && /^\s*[[{]/.test(raw) ? parseJson(raw, `${path}[${k}]`) : raw;
			out[k] = typeof parsed === 'string' ? parsed : coerce(parsed, schema.items as Schema, `${path}[${k}]`, false);
			continue;
		}
		if (raw !== null && typeof raw === 'object') throw typeError(`${path}[${k}]`, 'a text value', raw);
		const val = raw === null || raw === undefined ? '' : String(raw);
		if (schema.type === 'metadata') {
			if (k.length > METADATA_LIMITS.maxKeyLength)
				throw new ParamError(fieldLabel(path), `key "${k.slice(0, 20)}…" is ${k.length} characters long (Stripe allows ${METADATA_LIMITS.maxKeyLength})`);
			if (/[[\]]/.test(k)) throw new ParamError(fieldLabel(path), `key "${k}" must not contain square brackets`);
			if (val.length > METADATA_LIMITS.maxValueLength)
				throw new ParamError(fieldLabel(path), `the value of "${k}" is ${val.length} characters long (Stripe allows ${METADATA_LIMITS.maxValueLength})`);
		}
		if (Object.prototype.hasOwnProperty.call(out, k)) throw new ParamError(fieldLabel(path), `key "${k}" is given twice`);
		out[k] = val;
	}
	if (schema.type === 'metadata' && Object.keys(out).length > METADATA_LIMITS.maxKeys)
		throw new ParamError(fieldLabel(path), `${Object.keys(out).length} keys given (Stripe allows ${METADATA_LIMITS.maxKeys})`);
	return out;
}

/** `text` parsed as JSON; invalid JSON is a ParamError naming the field at `path` (or `label`). */
export function parseJson(text: string, path: string, label = fieldLabel(path)): unknown {
	let parsed: unknown;
	let failure: string | undefined;
	try {
		parsed = JSON.parse(text);
	} catch (e) {
		failure = (e as Error).message;
	}
	if (failure !== undefined) throw new ParamError(label, `invalid JSON: ${failure}`);
	return parsed;
}

function toList(value: unknown, schema: Schema, path: string, fromText: boolean): unknown[] | '' {
	let list: unknown;
	if (Array.isArray(value)) list = value;
	else if (typeof value === 'string' && fromText) {
		const t = value.trim();
		if (t === '' && schema.emptyable) return '';
		if (t.startsWith('[')) list = parseJson(t, path);
		else list = t === '' ? [] : t.split(',').map((s) => s.trim());
	} else throw typeError(path, 'a list', value);
	if (!Array.isArray(list)) throw typeError(path, 'a list', list);
	const item = (schema.items ?? { type: 'any' }) as Schema;
	return list.map((v, i) => coerce(v, item, `${path}[${i}]`, false));
}

function toObject(value: unknown, schema: Schema, path: string): Record<string, unknown> | '' {
	if (value === '' && schema.emptyable) return '';
	if (!isPlainObject(value)) throw typeError(path, 'a JSON object', value);
	if (!schema.members) return value;
	const out: Record<string, unknown> = {};
	for (const m of schema.members) {
		if (m.required && value[m.name] === undefined) throw new ParamError(fieldLabel(`${path}.${m.name}`), 'is required');
	}
	for (const [k, v] of Object.entries(value)) {
		const member = schema.members.find((m) => m.name === k);
		out[k] = member ? coerce(v, member, `${path}.${k}`, false) : v;
	}
	return out;
}

function fitsAlternative(value: unknown, alt: Schema): boolean {
	switch (alt.type) {
		case 'number':
			return typeof value === 'number' || (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)));
		case 'boolean':
			return typeof value === 'boolean' || value === 'true' || value === 'false';
		case 'enum':
			return typeof value === 'string' && (alt.enum ?? []).includes(value);
		case 'string':
			return typeof value === 'string';
		case 'array':
			return Array.isArray(value);
		case 'object': {
			// An alternative tagged by its `object` member (`card`, `bank_account`) fits values of its tag only.
			const tag = alt.members?.find((m) => m.name === 'object' && m.type === 'enum' && m.enum?.length === 1)?.enum?.[0];
			return isPlainObject(value) && (tag === undefined || value.object === undefined || value.object === tag);
		}
		case 'metadata':
		case 'map':
			return isPlainObject(value);
		default:
			return true;
	}
}

function toUnion(value: unknown, schema: Schema, path: string): unknown {
	const alts = (schema.anyOf ?? []) as Schema[];
	if (value === '' && schema.emptyable) return '';
	let v = value;
	// A JSON field's text: parse it unless a scalar alternative takes the text as it is.
	if (typeof v === 'string' && /^\s*[[{]/.test(v) && alts.some((a) => ['object', 'array', 'metadata', 'map'].includes(a.type))) v = parseJson(v, path);
	for (const alt of alts) if (alt.type === 'enum' && fitsAlternative(v, alt)) return v;
	// The first alternative the value fits and passes (two objects may share a tag: a card's details, a card token).
	let failure: ParamError | undefined;
	for (const alt of alts) {
		if (alt.type === 'string' || alt.type === 'enum' || !fitsAlternative(v, alt)) continue;
		let result: unknown;
		let error: unknown;
		try {
			result = coerce(v, alt, path, false);
		} catch (e) {
			error = e;
		}
		if (error === undefined) return result;
		if (!(error instanceof ParamError)) throw error;
		failure ??= error;
	}
	if (failure) throw failure;
	for (const alt of alts) if (alt.type === 'string' && fitsAlternative(v, alt)) return v;
	const kinds = alts.map((a) => (a.type === 'enum' ? `one of ${(a.enum ?? []).join(', ')}` : a.type)).join(' or ');
	throw typeError(path, kinds, value);
}

/**
 * Convert and check one value against its schema. `path` is the Stripe parameter path, for messages.
 * `fromText`: the value comes straight from a node field, so text may stand for a list or an object;
 * inside parsed JSON a string is only ever a string.
 */
export function coerce(value: unknown, schema: Schema, path: string, fromText = true): unknown {
	if (value === null && schema.nullable) return null;
	switch (schema.type) {
		case 'string':
			if (typeof value === 'string') return value;
			if (typeof value === 'number' || typeof value === 'boolean') return String(value);
			throw typeError(path, 'text', value);
		case 'number':
			if (value === '' && schema.emptyable) return '';
			return toNumber(value, path);
		case 'boolean':
			if (value === '' && schema.emptyable) return '';
			return toBoolean(value, path);
		case 'enum':
			return toEnum(value, schema, path);
		case 'metadata':
		case 'map':
			return toKeyValue(value, schema, path, fromText);
		case 'array':
			return toList(value, schema, path, fromText);
		case 'object':
			return toObject(fromText && typeof value === 'string' && value.trim() !== '' ? parseJson(value, path) : value, schema, path);
		case 'union':
			return toUnion(value, schema, path);
		default:
			return typeof value === 'string' && /^\s*[[{]/.test(value) ? parseJson(value, path) : value;
	}
}

/**
 * Stripe IDs, each one path segment that the URL parser keeps as it is: non-empty, no whitespace, slashes,
 * `?`, `#`, `%` (so nothing percent-decodes to anything else) or control characters, and not `.` or `..`,
 * which URL parsers resolve (`/v1/customers/../tax_ids/x` is `/v1/tax_ids/x`: another endpoint).
 */
/** U+0000 to U+001F (checked by code, not in a regular expression, for ESLint's no-control-regex). */
function hasControlCharacter(text: string): boolean {
	for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) < 0x20) return true;
	return false;
}

export function checkId(fieldValue: unknown, label: string): string {
	const value = unwrapLocator(fieldValue);
	if (value === undefined || value === null || value === '') throw new ParamError(label, 'is required');
	if (typeof value !== 'string' && typeof value !== 'number') throw new ParamError(label, `expected an ID, got ${forMessage(value)}`);
	const id = String(value).trim();
	if (id === '') throw new ParamError(label, 'is required');
	if (id.length > 255) throw new ParamError(label, `is ${id.length} characters long; Stripe IDs are at most 255`);
	if (/[\s/\\?#%]/.test(id) || hasControlCharacter(id))
		throw new ParamError(label, `${forMessage(id)} is not a valid Stripe ID (it contains spaces, slashes or other characters IDs never have)`);
	if (/^\.+$/.test(id)) throw new ParamError(label, `${forMessage(id)} is not a valid Stripe ID (a path of dots would address another endpoint)`);
	return id;
}

/** Unix seconds from 100000000000 on are milliseconds (the year 5138 in seconds): refused, not guessed. */
const MILLISECONDS_FROM = 1e11;

/**
 * A date-time field's value → the Unix seconds Stripe takes (a Stripe `Timestamp`), the way stripe-node turns a
 * `Date` into one (whole seconds, rounded down). Accepted: what the date picker stores and any date text n8n's
 * own date fields accept (ISO 8601, HTTP, RFC 2822, SQL), read in the workflow's time zone when it names none
 * (`zone`: n8n's `getTimezone()`, the workflow setting or the instance's GENERIC_TIMEZONE), a Luxon DateTime or
 * JS Date from an expression (`{{ $now.plus(14, 'days') }}`), or Unix seconds as a number or digits.
 */
export function toUnixSeconds(value: unknown, zone: string | undefined, path: string): number {
	const hint = `give a date and time (2025-01-31T09:00:00), an expression such as {{ $now.plus(14, 'days') }}, or Unix seconds`;
	let seconds: number | undefined;
	if (typeof value === 'number') seconds = value;
	else if (typeof value === 'string' && /^\s*-?\d+\s*$/.test(value)) seconds = Number(value);
	if (seconds !== undefined) {
		if (!Number.isFinite(seconds)) throw new ParamError(fieldLabel(path), `${forMessage(value)} is not a date: ${hint}`);
		if (Math.abs(seconds) >= MILLISECONDS_FROM)
			throw new ParamError(fieldLabel(path), `${forMessage(value)} looks like milliseconds; Stripe takes Unix seconds (divide by 1000) or ${hint.slice(5)}`);
		return seconds;
	}
	if (value === undefined || value === null || value === '' || (typeof value === 'object' && !(value instanceof Date) && !isDateTimeLike(value)))
		throw new ParamError(fieldLabel(path), `${forMessage(value)} is not a date: ${hint}`);
	const millis = parsedMillis(value, zone);
	if (millis === undefined) throw new ParamError(fieldLabel(path), `${forMessage(value instanceof Date ? String(value) : value)} is not a date: ${hint}`);
	return Math.floor(millis / 1000);
}

/** n8n-workflow's own date parsing (that of n8n's date fields), in `zone` when the text names none. */
function parsedMillis(value: unknown, zone: string | undefined): number | undefined {
	try {
		const millis = tryToParseDateTime(value, zone).toMillis();
		return Number.isFinite(millis) ? millis : undefined;
	} catch {
		return undefined;
	}
}

/** A Luxon DateTime (from n8n's expressions: `$now`, `$today`, `DateTime`), whichever copy of Luxon made it. */
export function isDateTimeLike(value: unknown): boolean {
	return !!value && typeof value === 'object' && (value as { isLuxonDateTime?: boolean }).isLuxonDateTime === true;
}
