/**
 * Field shapes: how one Stripe parameter (or a member inside one) appears in the editor, and how the value a
 * user gave there becomes the value sent to Stripe. Each shape is one unit, in its own file (unit.ts says what
 * a unit is); `SHAPES` maps a kind (kind.ts) to its unit. `property` and `read` are what the rest of the package
 * calls: properties.ts for the fields, the executor for the values.
 */
import type { INodeProperties, INodePropertyCollection } from 'n8n-workflow';

import type { ParamSchema, Schema } from '../../model/descriptor';
import type { LocatorKind, LocatorWhere } from '../../pickers/kinds';
import { OBJECTS } from '../../pickers/objects';
import { labelOf } from '../naming';
import { unwrapLocator } from '../../pickers/kinds';
import { binary } from './binary';
import { boolean } from './boolean';
import { choice } from './choice';
import { date } from './date';
import { describe } from './describe';
import { eventTypes } from './event-types';
import { group, GROUP_OPTION, MORE } from './group';
import { json } from './json';
import { keyValue } from './key-value';
import type { ShapeKind } from './kind';
import { isDate, shapeKind } from './kind';
import { list } from './list';
import { locator } from './locator';
import { multiOptions } from './multi-options';
import { number } from './number';
import { options } from './options';
import { string } from './string';
import { stringList } from './string-list';
import type { ShapeUnit } from './unit';

export type { ShapeKind } from './kind';
export { isDate, isDirect, shapeKind } from './kind';
export { isEmpty, isShown, isUnset } from './presence';
export { readJsonParameters } from './using-json';

/** Every shape's unit, by kind. */
export const SHAPES: Record<ShapeKind, ShapeUnit> = {
	string,
	locator,
	eventTypes,
	number,
	date,
	boolean,
	options,
	multiOptions,
	stringList,
	keyValue,
	group,
	list,
	choice,
	json,
	binary,
};

/** The bounds of a date range (`created[gte]`), in words. */
const DATE_RANGE_LABELS: Record<string, string> = { gt: 'After', gte: 'On or After', lt: 'Before', lte: 'On or Before' };

/** The n8n property of a parameter (depth 0) or member (depth > 0), named by its Stripe name. */
export function property(schema: ParamSchema, required: boolean, depth = 0, where?: LocatorWhere): INodeProperties {
	const kind = shapeKind(schema, depth, where);
	const base = {
		// An ID named only `id` (a subscription item's) is called what it is: "Subscription Item".
		displayName: schema.picker && schema.name === 'id' ? OBJECTS[schema.picker as LocatorKind].name : labelOf(schema.name),
		name: schema.name,
		description: describe(schema, kind, depth),
		...(required ? { required: true as const } : {}),
	};
	const member = (m: ParamSchema, d: number) => property(m, false, d, where);
	const field = SHAPES[kind].property(base, { schema, required, depth, where, member });
	if (schema.default !== undefined) field.default = schema.default;
	else if (required && depth === 0 && field.typeOptions?.multipleValues) field.default = opened(field);
	if (schema.format === 'date-time' && field.type === 'string') field.type = 'dateTime';
	if (isDate(schema) && DATE_RANGE_LABELS[schema.name]) field.displayName = DATE_RANGE_LABELS[schema.name];
	if (schema.show && depth === 0) field.displayOptions = { show: { ...field.displayOptions?.show, ...schema.show } };
	return field;
}

/**
 * A required list is open when the operation is chosen (issue 20): its first entry is there, with the fields
 * shown directly at every depth (a payment link's line item: Price, Quantity), as the editor shows a fixed
 * collection's default (n8n's HTTP Request node does the same for its first query parameter). Choices (which
 * alternative) stay for the user to pick.
 *
 * A required object (a credit grant's Amount) cannot start open this way as a fixed collection in n8n 2.41:
 * n8n-workflow's getNodeParameters reads a single-value fixed collection's items from the stored value even
 * when it took the default (`nodeValues[name][itemName]`, node-helpers.js), so a default with content throws a
 * TypeError when the node's parameters are resolved without it. See `versionedObject`.
 */
function opened(field: INodeProperties): INodeProperties['default'] {
	// A picker's value as the editor stores it (a resource locator value is marked `__rl`).
	if (field.type === 'resourceLocator') return { __rl: true, ...(field.default as object) };
	if (field.type !== 'fixedCollection' || field.options?.length !== 1) return field.default;
	const option = field.options[0] as INodePropertyCollection;
	const values = Object.fromEntries(option.values.filter((v) => v.name !== MORE).map((v) => [v.name, opened(v)]));
	return { [option.name]: field.typeOptions?.multipleValues ? [values] : values };
}

/** The node version from which a required object starts open (issue 20): `versionedObject`. */
export const OPEN_OBJECT_VERSION = 1.1;

/**
 * A required top-level object (a credit grant's Amount and Applicability Config) as a field of each node
 * version. From version 1.1 it is a collection whose default holds its required (and promoted) members, nested
 * required objects filled in (their fixed collections then have a value, so the above does not throw), marked
 * required, its optional members added with "Add Field"; n8n takes a collection's default as it is. Version 1
 * keeps the fixed collection with its "Add …" button: its workflows store `{values: {...}}`, which the editor
 * would drop under a collection of other options. Both read the same way (group.ts `read`).
 */
export function versionedObject(field: INodeProperties): INodeProperties[] {
	const option = field.options?.[0] as INodePropertyCollection | undefined;
	// Objects only (a group's one option); a choice of alternatives (Now or Date) stays for the user to pick.
	if (field.type !== 'fixedCollection' || field.typeOptions?.multipleValues || !field.required || field.options?.length !== 1 || option?.name !== GROUP_OPTION)
		return [field];
	const shown = option.values.filter((v) => v.name !== MORE);
	const more = (option.values.find((v) => v.name === MORE)?.options ?? []) as INodeProperties[];
	const show = field.displayOptions?.show ?? {};
	const v1: INodeProperties = { ...field, displayOptions: { ...field.displayOptions, show: { ...show, '@version': [1] } } };
	const open: INodeProperties = {
		...field,
		type: 'collection',
		placeholder: 'Add Field',
		default: Object.fromEntries(shown.map((v) => [v.name, opened(v)])),
		options: [...shown, ...more].sort((a, b) => a.displayName.localeCompare(b.displayName)),
		displayOptions: { ...field.displayOptions, show: { ...show, '@version': [{ _cnd: { gte: OPEN_OBJECT_VERSION } }] } },
	};
	return [v1, open];
}

/**
 * A field's value → the request value, validated at every depth. Values may also come plain, from an
 * expression (an object or JSON text instead of the fields): they are validated the same way.
 */
export function read(value: unknown, schema: Schema, path: string, depth = 0, zone?: string): unknown {
	const member = (v: unknown, m: Schema, p: string, d: number) => read(v, m, p, d, zone);
	return SHAPES[shapeKind(schema, depth)].read(unwrapLocator(value), { schema, path, depth, zone, member });
}
