/**
 * `choice`: a union, as a fixed collection with one option per alternative: an object's members, or one value
 * (a date range's *Date* or *Range*, `trial_end`'s *Now* or *Date*).
 */
import type { INodeProperties, INodePropertyCollection } from 'n8n-workflow';

import type { ParamSchema, Schema } from '../../model/descriptor';
import { labelOf } from '../naming';
import { isPlainObject } from '../../client/answers';
import { coerce, fieldLabel, isDateTimeLike, ParamError, parseJson, toUnixSeconds } from '../values';
import { DATE_HINT } from './describe';
import { groupFields, readGroup } from './group';
import { isDate } from './kind';
import type { ReadArgs, ShapeUnit } from './unit';

export interface Alternative {
	/** The option's name in the fixed collection. */
	name: string;
	label: string;
	alt: Schema;
}

/** The label of a scalar alternative. */
function scalarLabel(schema: Schema, alt: Schema, alts: Schema[]): string {
	if (isDate(alt)) return 'Date';
	if (alt.type === 'enum' && alts.some(isDate)) return (alt.enum ?? []).map((v) => labelOf(v)).join(' or '); // `now`, `now` / `unchanged`
	if (alt.type === 'number') return 'Number';
	if (alt.type === 'string') return /(^|_)(id|product|account|customer)$/.test(schema.name ?? '') ? 'ID' : 'Text';
	return 'Value';
}

/** Names of a choice's alternatives, as fixed-collection options: by what tells them apart. */
export function alternatives(schema: Schema): Alternative[] {
	const alts = (schema.anyOf ?? []) as Schema[];
	const objects = alts.filter((a) => a.type === 'object');
	return alts.map((alt, i) => {
		if (alt.type !== 'object') return { name: alt.type === 'number' ? 'number' : `value${i}`, label: scalarLabel(schema, alt, alts), alt };
		const tag = alt.members?.find((m) => m.name === 'object' && m.type === 'enum' && m.enum?.length === 1)?.enum?.[0];
		const range = alt.members?.every((m) => ['gt', 'gte', 'lt', 'lte'].includes(m.name));
		const label = tag ? labelOf(tag) : range ? 'Range' : objects.length === 1 ? 'Details' : `Details ${objects.indexOf(alt) + 1}`;
		return { name: `object${objects.indexOf(alt)}`, label, alt };
	});
}

/** The value of the one alternative chosen in the fields (`{object0: {...}}`, `{number: {value: 5}}`). */
function readChosen(v: Record<string, unknown>, alts: Alternative[], args: ReadArgs): unknown {
	const { schema, path, zone } = args;
	const chosen = Object.keys(v);
	if (chosen.length > 1)
		throw new ParamError(
			fieldLabel(path),
			`give one of ${alts.map((a) => a.label).join(', ')}, not ${chosen.map((k) => alts.find((a) => a.name === k)?.label).join(' and ')}`,
		);
	const { alt } = alts.find((a) => a.name === chosen[0])!;
	const inner = v[chosen[0]];
	const given = isPlainObject(inner) ? inner.value : inner;
	if (isDate(alt)) return toUnixSeconds(given, zone, path);
	if (alt.type !== 'object') return coerce(given, schema, path, true);
	if (!isPlainObject(inner)) throw new ParamError(fieldLabel(path), `expected fields, got ${typeof inner}`);
	return readGroup(inner, alt, args);
}

/** A date field (at any depth) inside a field whose description already says what a date takes. */
function withoutDateHint(field: INodeProperties): void {
	if (field.type === 'dateTime' && field.description) {
		const rest = field.description.replace(DATE_HINT, '').trim();
		if (rest) field.description = rest;
		else delete field.description;
	}
	for (const o of (field.options ?? []) as Array<INodeProperties | INodePropertyCollection>) {
		if ('values' in o) o.values.forEach(withoutDateHint);
		else if ('type' in o) withoutDateHint(o);
	}
}

export const choice: ShapeUnit = {
	property(base, { schema, depth, member }) {
		const options: INodePropertyCollection[] = alternatives(schema).map(({ name, label, alt }) => ({
			displayName: label,
			name,
			values:
				alt.type === 'object'
					? groupFields(alt, depth, member)
					: [{ ...member({ ...alt, name: 'value', description: undefined, required: true } as ParamSchema, depth + 1), displayName: label }],
		}));
		// A choice with a date says once, in its own description, what a date takes: not again in each of its fields.
		if (base.description?.includes(DATE_HINT)) options.forEach((o) => o.values.forEach(withoutDateHint));
		return { ...base, type: 'fixedCollection', placeholder: `Add ${base.displayName}`, default: {}, options };
	},
	read(value, args) {
		const { schema, path, zone } = args;
		const v = value;
		if (typeof v === 'string' && /^\s*[[{]/.test(v)) return coerce(parseJson(v, path), schema, path, false);
		const alts = alternatives(schema);
		if (isPlainObject(v) && Object.keys(v).length > 0 && Object.keys(v).every((k) => alts.some((a) => a.name === k))) return readChosen(v, alts, args);
		// A plain value from an expression: a date for the date alternative unless it is one of the words (`now`).
		const dateAlt = alts.some((a) => isDate(a.alt));
		const word = (schema.anyOf ?? []).some((a) => a.type === 'enum' && a.enum?.includes(v as string));
		const fields = isPlainObject(v) && !(v instanceof Date) && !isDateTimeLike(v);
		if (dateAlt && !word && !fields) return toUnixSeconds(v, zone, path);
		return coerce(v, schema, path, true);
	},
};
