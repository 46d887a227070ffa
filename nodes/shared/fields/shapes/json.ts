/** `json`: one JSON field for what the JSON rule (json-rule.ts) does not show as fields; checked like fields. */
import { coerce, parseJson, ParamError, fieldLabel } from '../values';
import { takesId } from './describe';
import type { ShapeUnit } from './unit';

export const json: ShapeUnit = {
	property: (base, { schema }) => ({ ...base, type: 'json', default: schema.type === 'array' ? '[]' : '{}' }),
	read(value, { schema, path }) {
		// An ID or token for a union that takes one (`external_account`: `btok_…` or the account's details).
		if (typeof value === 'string' && takesId(schema) && !/^\s*[[{"]/.test(value) && value.trim() !== '') return coerce(value.trim(), schema, path, true);
		if (typeof value === 'string') {
			const parsed = value.trim() === '' ? (schema.emptyable ? '' : undefined) : parseJson(value, path);
			if (parsed === undefined) throw new ParamError(fieldLabel(path), 'is empty');
			return coerce(parsed, schema, path, false);
		}
		return coerce(value, schema, path, false);
	},
};
