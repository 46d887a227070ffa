/**
 * Field shapes: how one Stripe parameter (or a member inside one) appears in the editor, and how the value a
 * user gave there becomes the value sent to Stripe. Each shape is one unit of three functions:
 * - `property`: the n8n property (without the operation's display conditions, which properties.ts adds);
 * - `read`: a field's value → the request value, validated (params.ts `coerce`), nested members included;
 * - `write`: a request value → what a user enters in the field (its inverse; the tests build node
 *   parameters with it, so every shape is exercised both ways against stripe-node).
 *
 * The shapes:
 * - `string`, `number`, `boolean`; `options` (enums); `multiOptions` (lists of enums); `stringList`;
 *   `locator` (IDs of objects users pick from a list, locators.ts); `eventTypes`; `binary` (file uploads);
 * - `keyValue`: metadata and other maps of text, as key/value pairs;
 * - `group`: an object, as its members. With required (or promoted, see below) members, a fixed collection
 *   showing them, the other members under "Additional Fields"; otherwise a collection to add members to;
 * - `list`: an array of objects, as a multiple-value fixed collection of groups (one entry per object);
 * - `choice`: a union with object alternatives, as a fixed collection with one option per alternative;
 * - `json`: what is too large or too free-form to show as fields (the JSON rule, `expands` below).
 *
 * A parameter or member is "promoted" (`promote: true` in descriptors/overrides.json) when an operation
 * does not work without it though the typings say it is optional (a checkout session's `mode`): it is
 * shown as a field of its own, and, left empty, not sent.
 */
import type { INodeProperties, INodePropertyCollection, INodePropertyOptions } from 'n8n-workflow';

import type { ParamSchema } from '../model/descriptor';
import type { LocatorKind, LocatorWhere } from '../pickers/kinds';
import { KINDS, locatorField, locatorKind } from '../pickers/kinds';
import { amountHint, NOT_SET, PLAIN_CHOICES, stripeDefault } from './hints';
import { firstSentences, labelOf } from './naming';
import { CURSOR_DESCRIPTIONS } from '../client/pager';
import { coerce, fieldLabel, isPlainObject, ParamError, parseJson, toUnixSeconds, unwrapLocator } from './values';

export type Schema = Omit<ParamSchema, 'name'> & { name?: string };

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

/**
 * The JSON rule. A nested value is shown as fields when it is at most MAX_DEPTH levels deep and has at most
 * MAX_FIELDS fields, counted to the leaves. When a value has more, its largest members become one JSON field
 * each until it fits (a subscription's `payment_settings` shows its fields, its `payment_method_options` is
 * JSON); a value that does not fit even so, or an object the typings leave open (no members), is JSON.
 */
export const MAX_DEPTH = 3;
export const MAX_FIELDS = 8;
/**
 * Inside nested values, an enum of more choices than this (merchant categories, time zones) is a text field
 * (a text list for a list of them): its value is still checked against the choices before anything is sent.
 */
const MAX_NESTED_CHOICES = 30;

function manyChoices(schema: Schema | undefined, depth: number): boolean {
	return depth > 0 && schema?.type === 'enum' && (schema.enum?.length ?? 0) > MAX_NESTED_CHOICES;
}

/** Field counts of values shown as fields; Infinity for those that are JSON. Per schema object of a descriptor. */
const plans = new WeakMap<object, number>();

/** The members a value shows, for objects, arrays of objects and unions with object alternatives. */
function membersOf(schema: Schema): Schema[] | undefined {
	if (schema.type === 'object') return schema.members ?? [];
	if (schema.type === 'array' && schema.items?.type === 'object') return schema.items.members ?? [];
	if (schema.type === 'union') return (schema.anyOf ?? []).flatMap((a) => (a.type === 'object' ? (a.members ?? []) : [a]));
	return undefined;
}

/** How many fields `schema` shows at `depth`, or Infinity when it is JSON; decides its members' shapes too. */
function plan(schema: Schema, depth: number): number {
	const known = plans.get(schema);
	if (known !== undefined) return known;
	const members = membersOf(schema);
	if (!members) return 1;
	if (schema.json) {
		plans.set(schema, Infinity);
		return Infinity;
	}
	const limit = schema.maxFields ?? MAX_FIELDS;
	let total = Infinity;
	// n8n's lint rules give a field named `limit` one meaning (a page size): a value with such a member is JSON.
	if (depth <= MAX_DEPTH && members.length && !members.some((m) => m.name === 'limit')) {
		const sized = members.map((m) => ({ m, n: plan(m, depth + 1) }));
		total = sized.reduce((t, x) => t + (x.n === Infinity ? 1 : x.n), 0);
		// Too many fields: the largest members become JSON fields, one by one.
		const largest = sized.filter((x) => x.n !== Infinity && x.n > 1).sort((x, y) => y.n - x.n);
		for (const x of largest) {
			if (total <= limit) break;
			total -= x.n - 1;
			plans.set(x.m, Infinity);
		}
		if (total > limit) total = Infinity;
	}
	plans.set(schema, total);
	return total;
}

/** Whether a nested value at this depth is shown as fields (the JSON rule). */
function expands(schema: Schema, depth: number): boolean {
	return plan(schema, depth) !== Infinity;
}

/** The picker of an ID field: named in the descriptor (`picker`), or by its name (locators.ts). */
function pickerOf(schema: Schema, where?: LocatorWhere): LocatorKind | undefined {
	if (schema.picker) return schema.picker as LocatorKind;
	return schema.name ? locatorKind(schema.name, where) : undefined;
}

/** The shape of a parameter (depth 0) or of a member at `depth`; `where`: its operation (for pickers, locators.ts). */
export function shapeKind(schema: Schema, depth = 0, where?: LocatorWhere): ShapeKind {
	if (schema.json) return 'json';
	switch (schema.type) {
		case 'string':
			return schema.name && (depth === 0 || isDirect(schema)) && pickerOf(schema, where) ? 'locator' : 'string';
		case 'number':
			return schema.format === 'unix-time' ? 'date' : 'number';
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
		case 'array': {
			const item = schema.items;
			if (depth === 0 && schema.name === 'enabled_events' && (item?.type === 'string' || item?.type === 'enum')) return 'eventTypes';
			if (item?.type === 'enum') return manyChoices(item, depth) ? 'stringList' : 'multiOptions';
			if (item && (item.type === 'string' || item.type === 'number')) return 'stringList';
			return item?.type === 'object' && expands(schema, depth) ? 'list' : 'json';
		}
		case 'union': {
			const alts = schema.anyOf ?? [];
			// `trial_end`: `now` or a date; a choice of the two, so the date gets its picker.
			if (alts.every((a) => SCALARS.has(a.type))) return alts.some(isDate) ? 'choice' : 'string';
			return alts.every((a) => a.type === 'object' || SCALARS.has(a.type)) && expands(schema, depth) ? 'choice' : 'json';
		}
		case 'object':
			return expands(schema, depth) ? 'group' : 'json';
		default:
			return 'json';
	}
}

/** A union of an ID (or token) and an object: shown as JSON, it also takes the ID as plain text. */
function takesId(schema: Schema): boolean {
	return schema.type === 'union' && (schema.anyOf ?? []).some((a) => a.type === 'string') && (schema.anyOf ?? []).some((a) => a.type === 'object');
}

// ————— descriptions —————

/**
 * Descriptions are Stripe's own sentences, never cut inside one: a value's first sentence, however long, and
 * the sentences after it while the text stays within DESCRIPTION_LENGTH characters (by depth: parameters,
 * members, members of members). Stripe's API reference (each resource's documentation link) has the rest.
 */
const DESCRIPTION_LENGTH = [300, 200, 0];

/** What a date-time field takes (Stripe's own text speaks of Unix timestamps). */
const DATE_HINT = "A date and time, read in the workflow's time zone unless it names one; Unix seconds work too.";

/** Parameters most operations have, in fewer words than Stripe's. */
const SHORT_DESCRIPTIONS: Record<string, string> = { expand: 'Fields of the answer to expand', ...CURSOR_DESCRIPTIONS };

function describe(schema: Schema, kind: ShapeKind, depth: number): string | undefined {
	let d = SHORT_DESCRIPTIONS[schema.name ?? ''] ?? firstSentences(schema.description ?? '', DESCRIPTION_LENGTH[Math.min(depth, 2)]);
	const unit = kind === 'date' || (kind === 'choice' && schema.anyOf?.some(isDate)) ? DATE_HINT : amountHint(schema);
	if (unit) d = `${d}${d && !/[.!?]$/.test(d) ? '.' : ''}${d ? ' ' : ''}${unit}`;
	if (kind === 'json') {
		const members = schema.members?.map((m) => m.name) ?? schema.anyOf?.flatMap((a) => a.members?.map((m) => m.name) ?? []);
		const what =
			schema.type === 'array' ? 'A JSON array' : takesId(schema) ? 'an ID or token as it is, or JSON' : schema.type === 'union' ? 'JSON' : 'A JSON object';
		const hint = members?.length
			? ` with keys such as ${members
					.slice(0, depth > 0 ? 3 : 6)
					.map((m) => `\`${m}\``)
					.join(', ')}`
			: '';
		d = `${d}${d ? ' ' : ''}(${what}${hint})`;
	}
	if (schema.emptyable && kind !== 'keyValue' && depth === 0) d = `${d}${d ? ' ' : ''}An empty value unsets it.`;
	return d || undefined;
}

// ————— properties —————

function enumOptions(values: string[], names?: Record<string, string>): INodePropertyOptions[] {
	return values.filter((v) => v !== '').map((v) => ({ name: names?.[v] ?? PLAIN_CHOICES[v] ?? (labelOf(v) || v), value: v }));
}

/** "line_items" → "Line Item": the name of one entry of a list. */
function singular(name: string): string {
	const label = labelOf(name);
	if (/ies$/.test(label)) return label.slice(0, -3) + 'y';
	if (/(sses|xes|ches|shes)$/.test(label)) return label.slice(0, -2); // "Phases" → "Phase", "Addresses" → "Address"
	if (/[^s]s$/.test(label)) return label.slice(0, -1);
	return label;
}

/** Option names inside the fixed collections of groups, lists and choices (no Stripe member is named so). */
const GROUP_OPTION = 'values';
const LIST_OPTION = 'entry';
const MORE = 'additionalFields';

/** The bounds of a date range (`created[gte]`), in words. */
const DATE_RANGE_LABELS: Record<string, string> = { gt: 'After', gte: 'On or After', lt: 'Before', lte: 'On or Before' };

/** A Stripe timestamp (Unix seconds), shown as a date-time field (`format: 'unix-time'`, set by the generator). */
function isDate(schema: Schema): boolean {
	return schema.type === 'number' && schema.format === 'unix-time';
}

function isDirect(m: Schema): boolean {
	return !!m.required || !!m.promote;
}

function byDisplayName(a: INodeProperties, b: INodeProperties): number {
	return a.displayName.localeCompare(b.displayName);
}

/** A group's fields: its required and promoted members, then the others under "Additional Fields". */
function groupFields(schema: Schema, depth: number, where?: LocatorWhere): INodeProperties[] {
	const members = (schema.members ?? []) as ParamSchema[];
	// Nested members are never marked `required` for n8n: its parameter-issue check looks for a collection's
	// options one level too high (n8n-workflow getParameterIssues), so a required member under "Additional
	// Fields" would be reported missing whenever a top-level field of the same name is set. Required members
	// are shown directly, and checked before anything is sent (readGroup).
	const direct = members.filter(isDirect).map((m) => property(m, false, depth + 1, where));
	const rest = members
		.filter((m) => !isDirect(m))
		.map((m) => property(m, false, depth + 1, where))
		.sort(byDisplayName);
	const fields = rest.length ? [...direct, moreFields(direct.length ? 'Additional Fields' : 'Fields', rest)] : direct;
	// n8n's lint rules want five or more fields in alphabetical order.
	return fields.length >= 5 ? fields.sort(byDisplayName) : fields;
}

function moreFields(displayName: string, options: INodeProperties[]): INodeProperties {
	return {
		displayName,
		name: MORE,
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options,
	};
}

/**
 * A group is a collection to add members to, unless it has members to show directly; or unless its name has
 * "update" in it (`customer_update`), which n8n's lint rules reserve for an Update operation's "Update Fields"
 * collection: then it is a fixed collection too.
 */
function asCollection(schema: Schema): boolean {
	return !(schema.members ?? []).some(isDirect) && !/update/.test(schema.name ?? '');
}

/** Names of a choice's alternatives, as fixed-collection options: by what tells them apart. */
function alternatives(schema: Schema): Array<{ name: string; label: string; alt: Schema }> {
	const alts = (schema.anyOf ?? []) as Schema[];
	const objects = alts.filter((a) => a.type === 'object');
	return alts.map((alt, i) => {
		if (alt.type !== 'object') {
			const label = isDate(alt)
				? 'Date'
				: alt.type === 'enum' && alts.some(isDate)
					? (alt.enum ?? []).map((v) => labelOf(v)).join(' or ') // `now`, `now` / `unchanged`
					: alt.type === 'number'
						? 'Number'
						: alt.type === 'string'
							? /(^|_)(id|product|account|customer)$/.test(schema.name ?? '')
								? 'ID'
								: 'Text'
							: 'Value';
			return { name: alt.type === 'number' ? 'number' : `value${i}`, label, alt };
		}
		const tag = alt.members?.find((m) => m.name === 'object' && m.type === 'enum' && m.enum?.length === 1)?.enum?.[0];
		const range = alt.members?.every((m) => ['gt', 'gte', 'lt', 'lte'].includes(m.name));
		const label = tag ? labelOf(tag) : range ? 'Range' : objects.length === 1 ? 'Details' : `Details ${objects.indexOf(alt) + 1}`;
		return { name: `object${objects.indexOf(alt)}`, label, alt };
	});
}

/** The n8n property of a parameter (depth 0) or member (depth > 0), named by its Stripe name. */
export function property(schema: ParamSchema, required: boolean, depth = 0, where?: LocatorWhere): INodeProperties {
	const field = baseProperty(schema, required, depth, where);
	if (schema.default !== undefined) field.default = schema.default;
	else if (required && depth === 0 && field.typeOptions?.multipleValues) field.default = opened(field);
	if (schema.format === 'date-time' && field.type === 'string') field.type = 'dateTime';
	if (isDate(schema as Schema) && DATE_RANGE_LABELS[schema.name]) field.displayName = DATE_RANGE_LABELS[schema.name];
	if (schema.show && depth === 0) field.displayOptions = { show: { ...field.displayOptions?.show, ...schema.show } };
	return field;
}

/**
 * A required list is open when the operation is chosen (issue 20): its first entry is there, with the fields
 * shown directly at every depth (a payment link's line item: Price, Quantity), as the editor shows a fixed
 * collection's default (n8n's HTTP Request node does the same for its first query parameter). Choices (which
 * alternative) stay for the user to pick.
 *
 * A required object (a credit grant's Amount) cannot start open this way in n8n 2.41: n8n-workflow's
 * getNodeParameters reads a single-value fixed collection's items from the stored value even when it took the
 * default (`nodeValues[name][itemName]`, node-helpers.js), so a default with content throws a TypeError when
 * the node's parameters are resolved without it. Such objects keep their "Add …" button and `required` mark.
 */
function opened(field: INodeProperties): INodeProperties['default'] {
	// A picker's value as the editor stores it (a resource locator value is marked `__rl`).
	if (field.type === 'resourceLocator') return { __rl: true, ...(field.default as object) };
	if (field.type !== 'fixedCollection' || field.options?.length !== 1) return field.default;
	const option = field.options[0] as INodePropertyCollection;
	const values = Object.fromEntries(option.values.filter((v) => v.name !== MORE).map((v) => [v.name, opened(v)]));
	return { [option.name]: field.typeOptions?.multipleValues ? [values] : values };
}

function baseProperty(schema: ParamSchema, required: boolean, depth: number, where?: LocatorWhere): INodeProperties {
	const kind = shapeKind(schema, depth, where);
	const base = {
		// An ID named only `id` (a subscription item's) is called what it is: "Subscription Item".
		displayName: schema.picker && schema.name === 'id' ? KINDS[schema.picker as LocatorKind].label : labelOf(schema.name),
		name: schema.name,
		description: describe(schema, kind, depth),
		...(required ? { required: true } : {}),
	};
	switch (kind) {
		case 'locator':
			return locatorField(base, pickerOf(schema, where)!);
		case 'eventTypes': {
			// n8n's convention for dynamic multi-options: "… Names or IDs", and the standard description last.
			const prefix = base.description ? `${base.description.replace(/\.$/, '')}. ` : '';
			return {
				...base,
				displayName: `${labelOf(schema.name).replace(/s$/, '')} Names or IDs`,
				type: 'multiOptions',
				typeOptions: { loadOptionsMethod: 'getEventTypes' },
				default: [],
				description: `${prefix}Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>`,
			};
		}
		case 'number':
			return { ...base, type: 'number', default: 0 };
		case 'date':
			return { ...base, type: 'dateTime', default: '' };
		case 'boolean':
			return { ...base, type: 'boolean', default: false };
		case 'options': {
			const options = enumOptions(schema.enum ?? [], schema.enumNames);
			if (required || schema.required) return { ...base, type: 'options', options, default: options[0]?.value ?? '' };
			// An optional choice shows Stripe's own default, or "(Not Set)", which sends nothing (isUnset).
			const stripes = stripeDefault(schema);
			if (stripes !== undefined) return { ...base, type: 'options', options, default: stripes };
			return { ...base, type: 'options', options: [{ ...NOT_SET }, ...options], default: '' };
		}
		case 'multiOptions':
			return { ...base, type: 'multiOptions', options: enumOptions(schema.items?.enum ?? []), default: [] };
		case 'stringList':
			return { ...base, type: 'string', typeOptions: { multipleValues: true }, default: [] };
		case 'keyValue':
			return {
				...base,
				type: 'fixedCollection',
				typeOptions: { multipleValues: true },
				placeholder: 'Add Entry',
				default: {},
				options: [
					{
						displayName: 'Entry',
						name: 'entries',
						values: [
							{ displayName: 'Key', name: 'key', type: 'string', default: '' },
							{ displayName: 'Value', name: 'value', type: 'string', default: '' },
						],
					},
				],
			};
		case 'group': {
			const fields = groupFields(schema, depth, where);
			if (asCollection(schema)) return { ...base, type: 'collection', placeholder: 'Add Field', default: {}, options: fields[0].options };
			return {
				...base,
				type: 'fixedCollection',
				placeholder: `Add ${base.displayName}`,
				default: {},
				options: [{ displayName: base.displayName, name: GROUP_OPTION, values: fields }],
			};
		}
		case 'list': {
			const entry = singular(schema.name);
			return {
				...base,
				type: 'fixedCollection',
				typeOptions: { multipleValues: true },
				placeholder: /^Add\b/.test(entry) ? entry : `Add ${entry}`, // `add_invoice_items`: "Add Invoice Item"
				default: {},
				options: [{ displayName: entry, name: LIST_OPTION, values: groupFields(schema.items as Schema, depth, where) }],
			};
		}
		case 'choice': {
			const options: INodePropertyCollection[] = alternatives(schema).map(({ name, label, alt }) => ({
				displayName: label,
				name,
				values:
					alt.type === 'object'
						? groupFields(alt, depth, where)
						: [{ ...property({ ...alt, name: 'value', description: undefined, required: true } as ParamSchema, false, depth + 1, where), displayName: label }],
			}));
			// A choice with a date says once, in its own description, what a date takes: not again in each of its fields.
			if (base.description?.includes(DATE_HINT)) options.forEach((o) => o.values.forEach(withoutDateHint));
			return { ...base, type: 'fixedCollection', placeholder: `Add ${base.displayName}`, default: {}, options };
		}
		case 'json':
			return { ...base, type: 'json', default: schema.type === 'array' ? '[]' : '{}' };
		case 'binary':
			return {
				...base,
				displayName: 'Input Binary Field',
				description: `Name of the input item's binary property holding the ${labelOf(schema.name).toLowerCase()} to upload`,
				type: 'string',
				default: 'data',
				required: true,
			};
		default:
			return { ...base, type: 'string', default: '' };
	}
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

// ————— reading —————

/**
 * Whether a top-level field with a display condition (`show`, e.g. a checkout session's success URL for UI
 * mode hosted) is shown for the other fields' values, as n8n's displayOptions decide (`property` sets them):
 * a hidden field is not read, whatever value it kept.
 */
export function isShown(schema: Schema, valueOf: (name: string) => unknown): boolean {
	return !schema.show || Object.entries(schema.show).every(([k, values]) => values.includes(String(valueOf(k.replace(/^\//, '')))));
}

/** Whether an optional dropdown is left at "(Not Set)", a date-time field empty or a choice unchosen: nothing is sent. */
export function isUnset(value: unknown, schema: Schema, depth = 0): boolean {
	if (schema.required) return false;
	const kind = shapeKind(schema, depth);
	// A choice added but with none of its options picked (Trial End without Now or Date) sends nothing either.
	if (kind === 'choice') return isPlainObject(value) && Object.keys(value).length === 0;
	return value === '' && (kind === 'options' || kind === 'date');
}

/** Whether a field's value means "nothing given" (an empty text, list, collection or locator). */
export function isEmpty(value: unknown): boolean {
	const v = unwrapLocator(value);
	if (v === undefined || v === null || v === '') return true;
	if (Array.isArray(v)) return v.length === 0;
	return isPlainObject(v) && Object.keys(v).length === 0;
}

/** A group's UI value ({member: value}, with "Additional Fields") → the object, members read and checked. */
function readGroup(value: Record<string, unknown>, schema: Schema, path: string, depth: number, zone?: string): Record<string, unknown> {
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
		out[m.name] = read(v, m, `${path}.${m.name}`, depth + 1, zone);
	}
	const unknown = Object.keys(given)[0];
	if (unknown !== undefined)
		throw new ParamError(fieldLabel(`${path}.${unknown}`), `is not a member of ${labelOf(schema.name ?? path.split('.').pop() ?? path)}`);
	for (const m of members) if (m.required && out[m.name] === undefined) throw new ParamError(fieldLabel(`${path}.${m.name}`), 'is required');
	return out;
}

/** A Luxon DateTime from an expression (`$now`), whichever copy of Luxon made it. */
function isLuxon(v: unknown): boolean {
	return isPlainObject(v) && (v as { isLuxonDateTime?: boolean }).isLuxonDateTime === true;
}

/** Whether a value is this shape's fixed-collection UI value (`{values: {...}}`, `{entry: [...]}`), not a plain one. */
function wrapped(value: unknown, option: string): value is Record<string, unknown> {
	return isPlainObject(value) && Object.keys(value).length === 1 && option in value;
}

/**
 * A field's value → the request value, validated at every depth. Values may also come plain, from an
 * expression (an object or JSON text instead of the fields): they are validated the same way.
 */
export function read(value: unknown, schema: Schema, path: string, depth = 0, zone?: string): unknown {
	const kind = shapeKind(schema, depth);
	const v = unwrapLocator(value);
	switch (kind) {
		case 'group': {
			if (typeof v === 'string' && /^\s*\{/.test(v)) return coerce(parseJson(v, path), schema, path, false);
			if (wrapped(v, GROUP_OPTION) && isPlainObject(v[GROUP_OPTION])) return readGroup(v[GROUP_OPTION], schema, path, depth, zone);
			if (!isPlainObject(v)) return coerce(v, schema, path, false); // '' of an emptyable object, or a type error
			return readGroup(v, schema, path, depth, zone);
		}
		case 'list': {
			if (typeof v === 'string' && /^\s*\[/.test(v)) return coerce(parseJson(v, path), schema, path, false);
			if (wrapped(v, LIST_OPTION) && Array.isArray(v[LIST_OPTION]))
				return v[LIST_OPTION].map((e, i) => {
					if (!isPlainObject(e)) throw new ParamError(fieldLabel(`${path}[${i}]`), `expected fields, got ${typeof e}`);
					return readGroup(e, schema.items as Schema, `${path}[${i}]`, depth, zone);
				});
			if (isPlainObject(v) && Object.keys(v).length === 0) return [];
			return coerce(v, schema, path, false);
		}
		case 'choice': {
			if (typeof v === 'string' && /^\s*[[{]/.test(v)) return coerce(parseJson(v, path), schema, path, false);
			const alts = alternatives(schema);
			if (isPlainObject(v) && Object.keys(v).length > 0 && Object.keys(v).every((k) => alts.some((a) => a.name === k))) {
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
				return readGroup(inner, alt, path, depth, zone);
			}
			// A plain value from an expression: a date for the date alternative unless it is one of the words (`now`).
			const dateAlt = alts.some((a) => isDate(a.alt));
			const word = (schema.anyOf ?? []).some((a) => a.type === 'enum' && a.enum?.includes(v as string));
			const fields = isPlainObject(v) && !(v instanceof Date) && !isLuxon(v);
			if (dateAlt && !word && !fields) return toUnixSeconds(v, zone, path);
			return coerce(v, schema, path, true);
		}
		case 'date':
			return toUnixSeconds(v, zone, path);
		case 'json': {
			// An ID or token for a union that takes one (`external_account`: `btok_…` or the account's details).
			if (typeof v === 'string' && takesId(schema) && !/^\s*[[{"]/.test(v) && v.trim() !== '') return coerce(v.trim(), schema, path, true);
			if (typeof v === 'string') {
				const parsed = v.trim() === '' ? (schema.emptyable ? '' : undefined) : parseJson(v, path);
				if (parsed === undefined) throw new ParamError(fieldLabel(path), 'is empty');
				return coerce(parsed, schema, path, false);
			}
			return coerce(v, schema, path, false);
		}
		default:
			return coerce(v, schema, path, true);
	}
}

/**
 * "Using JSON": all parameters (properties.ts `jsonParams`) as one object, JSON text or an object from an
 * expression, each checked against its schema like the fields are; unknown and missing required ones are refused.
 */
export function readJsonParameters(params: ParamSchema[], operation: string, paged: boolean, value: unknown): Record<string, unknown> {
	const label = '"Parameters (JSON)" (parametersJson)';
	let given = value;
	if (typeof given === 'string') given = given.trim() === '' ? {} : parseJson(given, 'parametersJson', label);
	if (!isPlainObject(given)) throw new ParamError(label, `expected a JSON object of parameters, got ${Array.isArray(given) ? 'a list' : typeof given}`);
	const out: Record<string, unknown> = {};
	for (const [name, v] of Object.entries(given)) {
		const schema = params.find((p) => p.name === name);
		if (!schema) {
			const why = paged && name === 'limit' ? 'set the page size with Return All and Limit' : `it is not a parameter of ${operation}`;
			throw new ParamError(label, `"${name}" is not accepted: ${why}`);
		}
		if (v === undefined) continue;
		out[name] = coerce(v, schema, name, false);
	}
	for (const p of params) if (p.required && out[p.name] === undefined) throw new ParamError(label, `"${p.name}" is required`);
	return out;
}

// ————— writing (the inverse) —————

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

/** What a user enters in the field for the request value `value` (n8n's stored parameter value). */
export function write(value: unknown, schema: Schema, depth = 0, where?: LocatorWhere): unknown {
	switch (shapeKind(schema, depth, where)) {
		case 'locator':
			return { __rl: true, mode: 'id', value };
		case 'keyValue':
			return { entries: Object.entries(value as Record<string, unknown>).map(([key, v]) => ({ key, value: typeof v === 'string' ? v : JSON.stringify(v) })) };
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
			return { [GROUP_OPTION]: fields };
		}
		case 'list':
			return { [LIST_OPTION]: (value as Array<Record<string, unknown>>).map((e) => writeGroup(e, schema.items as Schema, depth, where)) };
		case 'choice': {
			const alts = alternatives(schema);
			const fit =
				alts.find((a) => a.alt.type === 'object' && isPlainObject(value)) ??
				alts.find((a) => a.alt.type !== 'object' && (a.alt.type === 'number' ? typeof value === 'number' : typeof value !== 'object'));
			if (!fit) return JSON.stringify(value);
			if (isDate(fit.alt) && typeof value === 'number') return { [fit.name]: { value: new Date(value * 1000).toISOString() } };
			return { [fit.name]: fit.alt.type === 'object' ? writeGroup(value as Record<string, unknown>, fit.alt, depth, where) : { value } };
		}
		default:
			return value;
	}
}
