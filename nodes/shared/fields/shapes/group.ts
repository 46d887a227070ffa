/**
 * `group`: an object, as its members. With required (or promoted) members, a fixed collection showing them,
 * the other members under "Additional Fields"; otherwise a collection to add members to. Also the entries of
 * lists and the object alternatives of choices (`groupFields`, `readGroup`).
 */
import type { INodeProperties } from 'n8n-workflow';

import type { ParamSchema, Schema } from '../../model/descriptor';
import { labelOf } from '../naming';
import { isPlainObject } from '../../client/answers';
import { coerce, fieldLabel, ParamError, parseJson } from '../values';
import { isDirect } from './kind';
import { isEmpty, isUnset } from './presence';
import type { PropertyArgs, ReadArgs, ShapeUnit } from './unit';

/** Option names inside the fixed collections of groups (no Stripe member is named so). */
export const GROUP_OPTION = 'values';
export const MORE = 'additionalFields';
/** What the editor shows under a required member's input. */
export const REQUIRED_HINT = 'Required';

function byDisplayName(a: INodeProperties, b: INodeProperties): number {
	return a.displayName.localeCompare(b.displayName);
}

function moreFields(displayName: string, options: INodeProperties[]): INodeProperties {
	return { displayName, name: MORE, type: 'collection', placeholder: 'Add Field', default: {}, options };
}

/** A group's fields: its required and promoted members, then the others under "Additional Fields". */
export function groupFields(schema: Schema, depth: number, member: PropertyArgs['member']): INodeProperties[] {
	const members = (schema.members ?? []) as ParamSchema[];
	// Nested members are never marked `required` for n8n: its parameter-issue check looks for a collection's
	// options one level too high (n8n-workflow getParameterIssues), so a required member under "Additional
	// Fields" would be reported missing whenever a top-level field of the same name is set (and n8n 2.41's
	// editor draws no mark for `required`). Required members are shown directly with the hint "Required" under
	// their input, and checked before anything is sent (readGroup).
	const direct = members.filter(isDirect).map((m) => (m.required ? { ...member(m, depth + 1), hint: REQUIRED_HINT } : member(m, depth + 1)));
	const rest = members
		.filter((m) => !isDirect(m))
		.map((m) => member(m, depth + 1))
		.sort(byDisplayName);
	const fields = rest.length ? [...direct, moreFields(direct.length ? 'Additional Fields' : 'Fields', rest)] : direct;
	// n8n's lint rules want five or more fields in alphabetical order.
	return fields.length >= 5 ? fields.sort(byDisplayName) : fields;
}

/**
 * A group is a collection to add members to, unless it has members to show directly; or unless its name has
 * "update" in it (`customer_update`), which n8n's lint rules reserve for an Update operation's "Update Fields"
 * collection: then it is a fixed collection too.
 */
export function asCollection(schema: Schema): boolean {
	return !(schema.members ?? []).some(isDirect) && !/update/.test(schema.name ?? '');
}

/** Whether a value is a fixed collection's UI value (`{values: {...}}`, `{entry: [...]}`), not a plain one. */
export function wrapped(value: unknown, option: string): value is Record<string, unknown> {
	return isPlainObject(value) && Object.keys(value).length === 1 && option in value;
}

/** A group's UI value ({member: value}, with "Additional Fields") → the object, members read and checked. */
export function readGroup(value: Record<string, unknown>, schema: Schema, { path, depth, member }: ReadArgs): Record<string, unknown> {
	const members = (schema.members ?? []) as ParamSchema[];
	const given: Record<string, unknown> = { ...value };
	const more = given[MORE];
	delete given[MORE];
	if (more !== undefined) {
		if (!isPlainObject(more)) throw new ParamError(fieldLabel(path), `expected fields, got ${typeof more}`);
		Object.assign(given, more);
	}
	const out: Record<string, unknown> = {};
	// Members in the order the typings declare them, as for top-level parameters (canonicalOrder).
	for (const m of members) {
		if (!(m.name in given)) continue;
		const v = given[m.name];
		delete given[m.name];
		// A shown member left empty is not sent; one added under "Additional Fields" is sent as given.
		if ((isDirect(m) && isEmpty(v)) || isUnset(v, m, depth + 1)) continue;
		out[m.name] = member(v, m, `${path}.${m.name}`, depth + 1);
	}
	const unknown = Object.keys(given)[0];
	if (unknown !== undefined)
		throw new ParamError(fieldLabel(`${path}.${unknown}`), `is not a member of ${labelOf(schema.name ?? path.split('.').pop() ?? path)}`);
	for (const m of members) if (m.required && out[m.name] === undefined) throw new ParamError(fieldLabel(`${path}.${m.name}`), 'is required');
	return out;
}

export const group: ShapeUnit = {
	property(base, { schema, depth, member }) {
		const fields = groupFields(schema, depth, member);
		if (asCollection(schema)) return { ...base, type: 'collection', placeholder: 'Add Field', default: {}, options: fields[0].options };
		return {
			...base,
			type: 'fixedCollection',
			placeholder: `Add ${base.displayName}`,
			default: {},
			options: [{ displayName: base.displayName, name: GROUP_OPTION, values: fields }],
		};
	},
	read(value, args) {
		const { schema, path } = args;
		if (typeof value === 'string' && /^\s*\{/.test(value)) return coerce(parseJson(value, path), schema, path, false);
		if (wrapped(value, GROUP_OPTION) && isPlainObject(value[GROUP_OPTION])) return readGroup(value[GROUP_OPTION], schema, args);
		if (!isPlainObject(value)) return coerce(value, schema, path, false); // '' of an emptyable object, or a type error
		return readGroup(value, schema, args);
	},
};
