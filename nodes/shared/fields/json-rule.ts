/**
 * The JSON rule: which nested values are shown as fields and which as one JSON field each. Decided here only,
 * as a pure function of a value's schema (and of its operation's parameters, `planOperation`); the overrides
 * (descriptors/overrides.json `json`, `maxFields`, `nestedAsJson`) are data it reads.
 *
 * A nested value is shown as fields when the descriptor describes its members and it has at most MAX_FIELDS
 * fields (its `maxFields` if set), counted to the leaves. How deep members are described is decided once, by the
 * generator (PARAM_MEMBER_DEPTH in scripts/generate/inputs.js): deeper objects have no members, so they are JSON. When a value has more, its largest members become one JSON
 * field each until it fits (a subscription's `payment_settings` shows its fields, its `payment_method_options`
 * is JSON); a value that does not fit even so, an object the typings leave open (no members), and a value with a
 * member named `limit` (n8n's lint rules give that name one meaning, a page size) are JSON.
 *
 * No cache: a member's answer depends on its parent's (it may be one of the parent's largest members), so the
 * parent decides for it in `planOperation`, which returns the operation with those members marked. The answer
 * for a schema is the same whatever was asked before.
 */
import type { OperationDescriptor, ParamSchema, Schema } from '../model/descriptor';

export const MAX_FIELDS = 8;
/**
 * Inside nested values, an enum of more choices than this (merchant categories, time zones) is a text field
 * (a text list for a list of them): its value is still checked against the choices before anything is sent.
 */
export const MAX_NESTED_CHOICES = 30;

const SCALARS = new Set(['string', 'number', 'boolean', 'enum']);

/** Whether an enum at this depth has too many choices for a dropdown. */
export function manyChoices(schema: Schema | undefined, depth: number): boolean {
	return depth > 0 && schema?.type === 'enum' && (schema.enum?.length ?? 0) > MAX_NESTED_CHOICES;
}

/** The members a value shows, for objects, arrays of objects and unions with object alternatives. */
function membersOf(schema: Schema): Schema[] | undefined {
	if (schema.type === 'object') return schema.members ?? [];
	if (schema.type === 'array' && schema.items?.type === 'object') return schema.items.members ?? [];
	if (schema.type === 'union') return (schema.anyOf ?? []).flatMap((a) => (a.type === 'object' ? (a.members ?? []) : [a]));
	return undefined;
}

/** How many fields `members` show at `depth` (Infinity: more than `limit`), and which become JSON to fit. */
function fit(members: Schema[], depth: number, limit: number): { total: number; demoted: Set<Schema> } {
	const sized = members.map((m) => ({ m, n: fieldCount(m, depth + 1) }));
	let total = sized.reduce((t, x) => t + (x.n === Infinity ? 1 : x.n), 0);
	const demoted = new Set<Schema>();
	// Too many fields: the largest members become JSON fields, one by one.
	const largest = sized.filter((x) => x.n !== Infinity && x.n > 1).sort((x, y) => y.n - x.n);
	for (const x of largest) {
		if (total <= limit) break;
		total -= x.n - 1;
		demoted.add(x.m);
	}
	return { total: total > limit ? Infinity : total, demoted };
}

/** How many fields `schema` shows at `depth`, or Infinity when it is one JSON field. */
export function fieldCount(schema: Schema, depth: number): number {
	const members = membersOf(schema);
	if (!members) return 1;
	if (schema.json || !members.length || members.some((m) => m.name === 'limit')) return Infinity;
	return fit(members, depth, schema.maxFields ?? MAX_FIELDS).total;
}

/** Whether a nested value at this depth is shown as fields. */
export function expands(schema: Schema, depth: number): boolean {
	return fieldCount(schema, depth) !== Infinity;
}

/**
 * Whether a value is one JSON field whatever its size: a union of scalars is a text field or a choice, not
 * JSON, even when its parent counts it as one field.
 */
function becomesJson(schema: Schema): boolean {
	return schema.type !== 'union' || !(schema.anyOf ?? []).every((a) => SCALARS.has(a.type));
}

/** `schema` with its parent's decisions written in: the members it turns into JSON fields are marked `json`. */
function decided<S extends Schema>(schema: S, depth: number): S {
	const members = membersOf(schema);
	if (!members?.length || fieldCount(schema, depth) === Infinity) return schema;
	const { demoted } = fit(members, depth, schema.maxFields ?? MAX_FIELDS);
	const member = <M extends Schema>(m: M): M => (demoted.has(m) && becomesJson(m) ? { ...m, json: true } : decided(m, depth + 1));
	if (schema.type === 'object') return { ...schema, members: (schema.members as ParamSchema[]).map(member) };
	if (schema.type === 'array') return { ...schema, items: { ...schema.items, members: (schema.items?.members ?? []).map(member) } };
	return { ...schema, anyOf: (schema.anyOf ?? []).map((a) => (a.type === 'object' ? { ...a, members: (a.members ?? []).map(member) } : a)) };
}

/**
 * Operations whose nested values are all JSON fields: test-mode helpers (for developers simulating events),
 * deprecated operations (superseded), and those the overrides mark `nestedAsJson` (a payment method
 * configuration's fifty payment methods, the upcoming-invoice operations). Showing them as fields would cost the
 * size budget (`npm run sizes`) of what everyone uses.
 */
function nestedAsJson(op: OperationDescriptor): boolean {
	const badges = op.badges ?? [];
	return badges.includes('testHelper') || badges.includes('deprecated') || !!op.nestedAsJson;
}

function isNested(p: Schema): boolean {
	return p.type === 'object' || (p.type === 'array' && p.items?.type === 'object') || (p.type === 'union' && (p.anyOf ?? []).some((a) => a.type === 'object'));
}

const planned = new WeakMap<OperationDescriptor, OperationDescriptor>();

/**
 * The operation with the JSON rule decided for every nested value. A pure function of `op` (remembered per
 * operation object only because it is asked for every item): the node's fields and the executor both use it.
 */
export function planOperation(op: OperationDescriptor): OperationDescriptor {
	let out = planned.get(op);
	if (!out) {
		const allJson = nestedAsJson(op);
		out = { ...op, params: op.params.map((p) => (allJson && isNested(p) ? { ...p, json: true } : decided(p, 0))) };
		planned.set(op, out);
	}
	return out;
}
