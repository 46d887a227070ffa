/** `list`: an array of objects, as a multiple-value fixed collection of groups (one entry per object). */
import type { Schema } from '../../model/descriptor';
import { singular } from '../naming';
import { isPlainObject } from '../../client/answers';
import { coerce, fieldLabel, ParamError, parseJson } from '../values';
import { groupFields, readGroup, wrapped } from './group';
import type { ShapeUnit } from './unit';

/** The option name of a list's entries (no Stripe member is named so). */
export const LIST_OPTION = 'entry';

export const list: ShapeUnit = {
	property(base, { schema, depth, member }) {
		const entry = singular(schema.name);
		return {
			...base,
			type: 'fixedCollection',
			typeOptions: { multipleValues: true },
			placeholder: /^Add\b/.test(entry) ? entry : `Add ${entry}`, // `add_invoice_items`: "Add Invoice Item"
			default: {},
			options: [{ displayName: entry, name: LIST_OPTION, values: groupFields(schema.items as Schema, depth, member) }],
		};
	},
	read(value, args) {
		const { schema, path } = args;
		if (typeof value === 'string' && /^\s*\[/.test(value)) return coerce(parseJson(value, path), schema, path, false);
		if (wrapped(value, LIST_OPTION) && Array.isArray(value[LIST_OPTION]))
			return value[LIST_OPTION].map((e, i) => {
				if (!isPlainObject(e)) throw new ParamError(fieldLabel(`${path}[${i}]`), `expected fields, got ${typeof e}`);
				return readGroup(e, schema.items as Schema, { ...args, path: `${path}[${i}]` });
			});
		if (isPlainObject(value) && Object.keys(value).length === 0) return [];
		return coerce(value, schema, path, false);
	},
};
