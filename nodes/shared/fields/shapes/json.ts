/** `json`: one JSON field for what the JSON rule (json-rule.ts) does not show as fields; checked like fields. */
import { coerce, parseJson, ParamError, fieldLabel } from '../values';
import type { ShapeUnit } from './unit';

export const json: ShapeUnit = {
	property: (base, { schema }) => ({ ...base, type: 'json', default: schema.type === 'array' ? '[]' : '{}' }),
	read(value, { schema, path }) {
		if (typeof value === 'string') {
			const parsed = value.trim() === '' ? (schema.emptyable ? '' : undefined) : parseJson(value, path);
			if (parsed === undefined) throw new ParamError(fieldLabel(path), 'is empty');
			return coerce(parsed, schema, path, false);
		}
		return coerce(value, schema, path, false);
	},
};
