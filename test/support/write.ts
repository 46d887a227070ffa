/**
 * The field shapes' inverse: what a user enters in a field for a request value (n8n's stored parameter value).
 * Only the tests use it (the differential builds node parameters with it), so it lives here and is not shipped.
 * It follows each shape's fixed-collection layout (nodes/shared/fields/shapes/): the option names, which
 * members a group shows directly, how a choice names its alternatives.
 */
import type { ParamSchema, Schema } from '../../nodes/shared/model/descriptor';
import type { LocatorWhere } from '../../nodes/shared/pickers/kinds';
import { alternatives } from '../../nodes/shared/fields/shapes/choice';
import { asCollection, GROUP_OPTION, MORE } from '../../nodes/shared/fields/shapes/group';
import { OPEN_OBJECT_VERSION } from '../../nodes/shared/fields/shapes';
import { PAIRS_OPTION } from '../../nodes/shared/fields/shapes/key-value';
import { isDate, isDirect, shapeKind } from '../../nodes/shared/fields/shapes/kind';
import { LIST_OPTION } from '../../nodes/shared/fields/shapes/list';
import { isPlainObject } from '../../nodes/shared/client/answers';

function writeGroup(value: Record<string, unknown>, schema: Schema, depth: number, where?: LocatorWhere): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	const more: Record<string, unknown> = {};
	for (const m of (schema.members ?? []) as ParamSchema[]) {
		if (value[m.name] === undefined) continue;
		(isDirect(m) ? out : more)[m.name] = write(value[m.name], m, depth + 1, where);
	}
	if (Object.keys(more).length) out[MORE] = more;
	return out;
}

function writeChoice(value: unknown, schema: Schema, depth: number, where?: LocatorWhere): unknown {
	const alts = alternatives(schema);
	const fit =
		alts.find((a) => a.alt.type === 'object' && isPlainObject(value)) ??
		alts.find((a) => a.alt.type !== 'object' && (a.alt.type === 'number' ? typeof value === 'number' : typeof value !== 'object'));
	if (!fit) return JSON.stringify(value);
	if (isDate(fit.alt) && typeof value === 'number') return { [fit.name]: { value: new Date(value * 1000).toISOString() } };
	return { [fit.name]: fit.alt.type === 'object' ? writeGroup(value as Record<string, unknown>, fit.alt, depth, where) : { value } };
}

/**
 * What a user enters in the field for the request value `value`. `schema` must come from the operation as its
 * fields show it (`planOperation`, nodes/shared/fields/json-rule.ts), so its members' shapes are the fields'.
 * `version` is the node's: from 1.1 a required top-level object is a collection of its members (one object,
 * as the editor stores a collection), before it the fixed collection's `{values: {...}}`.
 */
export function write(value: unknown, schema: Schema, depth = 0, where?: LocatorWhere, version = OPEN_OBJECT_VERSION): unknown {
	switch (shapeKind(schema, depth, where)) {
		case 'locator':
			return { __rl: true, mode: 'id', value };
		case 'keyValue':
			return {
				[PAIRS_OPTION]: Object.entries(value as Record<string, unknown>).map(([key, v]) => ({ key, value: typeof v === 'string' ? v : JSON.stringify(v) })),
			};
		case 'json':
			return JSON.stringify(value);
		case 'stringList':
			return (value as unknown[]).map(String);
		case 'date':
			return typeof value === 'number' ? new Date(value * 1000).toISOString() : value;
		case 'string':
			return typeof value === 'string' ? value : String(value);
		case 'binary':
			return 'data';
		case 'group': {
			if (!isPlainObject(value)) return value;
			const fields = writeGroup(value, schema, depth, where);
			if (asCollection(schema)) return fields[MORE] ?? {};
			if (depth === 0 && schema.required && version >= OPEN_OBJECT_VERSION) {
				const { [MORE]: more, ...shown } = fields;
				return { ...shown, ...(more as object) };
			}
			return { [GROUP_OPTION]: fields };
		}
		case 'list':
			return { [LIST_OPTION]: (value as Array<Record<string, unknown>>).map((e) => writeGroup(e, schema.items as Schema, depth, where)) };
		case 'choice':
			return writeChoice(value, schema, depth, where);
		default:
			return value;
	}
}
