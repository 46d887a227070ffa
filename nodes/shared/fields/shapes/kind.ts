/**
 * Which shape a parameter or member has, decided from its schema, its depth and the JSON rule (json-rule.ts).
 *
 * The shapes: `string`, `number`, `date` (Stripe timestamps), `boolean`; `options` (enums); `multiOptions`
 * (lists of enums); `stringList`; `locator` (IDs of objects users pick from a list, pickers/kinds.ts);
 * `eventTypes`; `binary` (file uploads); `keyValue` (metadata and other maps of text); `group` (an object, as its
 * members); `list` (an array of objects, one entry per object); `choice` (a union, one option per alternative);
 * `json` (what is too large or too free-form to show as fields).
 *
 * A parameter or member is "promoted" (`promote: true` in descriptors/overrides.json) when an operation does
 * not work without it though the typings say it is optional (a checkout session's `mode`): it is shown as a
 * field of its own, and, left empty, not sent.
 */
import type { Schema } from '../../model/descriptor';
import type { LocatorKind, LocatorWhere } from '../../pickers/kinds';
import { locatorKind } from '../../pickers/kinds';
import { expands, manyChoices } from '../json-rule';

export type ShapeKind =
	| 'string'
	| 'locator'
	| 'eventTypes'
	| 'number'
	| 'date'
	| 'boolean'
	| 'options'
	| 'multiOptions'
	| 'stringList'
	| 'keyValue'
	| 'group'
	| 'list'
	| 'choice'
	| 'json'
	| 'binary';

const SCALARS = new Set(['string', 'number', 'boolean', 'enum']);

/** A Stripe timestamp (Unix seconds), shown as a date-time field (`format: 'unix-time'`, set by the generator). */
export function isDate(schema: Schema): boolean {
	return schema.type === 'number' && schema.format === 'unix-time';
}

/** A member shown directly in its group, not under "Additional Fields": required or promoted. */
export function isDirect(m: Schema): boolean {
	return !!m.required || !!m.promote;
}

/** The picker of an ID field: named in the descriptor (`picker`), or by its name (pickers/kinds.ts). */
export function pickerOf(schema: Schema, where?: LocatorWhere): LocatorKind | undefined {
	if (schema.picker) return schema.picker as LocatorKind;
	return schema.name ? locatorKind(schema.name, where) : undefined;
}

function arrayKind(schema: Schema, depth: number): ShapeKind {
	const item = schema.items;
	if (depth === 0 && schema.name === 'enabled_events' && (item?.type === 'string' || item?.type === 'enum')) return 'eventTypes';
	if (item?.type === 'enum') return manyChoices(item, depth) ? 'stringList' : 'multiOptions';
	if (item && (item.type === 'string' || item.type === 'number')) return 'stringList';
	return item?.type === 'object' && expands(schema, depth) ? 'list' : 'json';
}

function unionKind(schema: Schema, depth: number): ShapeKind {
	const alts = schema.anyOf ?? [];
	// `trial_end`: `now` or a date; a choice of the two, so the date gets its picker.
	if (alts.every((a) => SCALARS.has(a.type))) return alts.some(isDate) ? 'choice' : 'string';
	return alts.every((a) => a.type === 'object' || SCALARS.has(a.type)) && expands(schema, depth) ? 'choice' : 'json';
}

/** The shape of a parameter (depth 0) or of a member at `depth`; `where`: its operation (for pickers). */
export function shapeKind(schema: Schema, depth = 0, where?: LocatorWhere): ShapeKind {
	if (schema.json) return 'json';
	switch (schema.type) {
		case 'string':
			return schema.name && (depth === 0 || isDirect(schema)) && pickerOf(schema, where) ? 'locator' : 'string';
		case 'number':
			return isDate(schema) ? 'date' : 'number';
		case 'boolean':
			return 'boolean';
		case 'enum':
			return manyChoices(schema, depth) ? 'string' : 'options';
		case 'metadata':
			return 'keyValue';
		case 'map':
			// Maps of objects (a price's currency_options) are JSON; maps of text are key/value pairs.
			return schema.items && !SCALARS.has(schema.items.type) ? 'json' : 'keyValue';
		case 'file':
			return 'binary';
		case 'array':
			return arrayKind(schema, depth);
		case 'union':
			return unionKind(schema, depth);
		case 'object':
			return expands(schema, depth) ? 'group' : 'json';
		default:
			return 'json';
	}
}
