/*
 * Output schemas: what each operation's items look like, from stripe@17.4.0's response typings, as the JSON
 * Schema files n8n reads to show a node's output fields before it has run (the editor's schema view, and
 * drag-and-drop of `{{ $json.url }}`).
 *
 * n8n 2.41 serves `/schemas/<node type>/<version>/<resource>/<operation>.json` from the node file's folder,
 * `__schema__/v<x.y.z>/<resource>/<operation>.json` (n8n-core nodes-loader/output-schema-resolver; a community
 * package's node folder works the same, as its `sourcePath` is known to n8n). The generator calls
 * `outputSchema` per operation and writes generated/schemas/<NodeClass>/<resource>/<operation>.json; the
 * build copies them to dist/nodes/<NodeClass>/__schema__/v1.0.0/.
 *
 * What an item is: the object Stripe returns (Stripe.Response<T> without `lastResponse`); for list and search
 * operations one item per listed object (ApiListPromise<T>, ApiSearchResultPromise<T>: T); for downloads the
 * item the node makes ({ fileName, mimeType, bytes } with the file as binary data); for an empty answer
 * (Promise<void>) the empty object the node outputs. Hand-authored operations and the credit grant report name
 * their documented response object in descriptors/response-objects.json: an interface of the typings, or the
 * shape written as data (shapeSchema), described the same way.
 * Expandable fields (`string | Stripe.Customer`) are described as they come unexpanded: an ID string. Objects
 * are described to OUTPUT_SCHEMA_DEPTH levels (inputs.js says why); deeper objects are `{ "type": "object" }`.
 */
'use strict';
const ts = require('typescript');
const { OUTPUT_SCHEMA_DEPTH } = require('./inputs');

function symbolName(t) {
	const s = t.aliasSymbol || t.getSymbol();
	return s ? s.getName() : '';
}

/** Promise<Response<T>> / ApiListPromise<T> / ApiSearchResultPromise<T> → the type of one output item. */
function itemType(returnType, checker) {
	let t = returnType;
	const args = (x) => (x.aliasTypeArguments && x.aliasTypeArguments.length ? x.aliasTypeArguments : checker.getTypeArguments(x) || []);
	for (let i = 0; i < 4; i++) {
		const name = symbolName(t);
		if (name === 'Promise' || name === 'ApiListPromise' || name === 'ApiSearchResultPromise' || name === 'Response') {
			const a = args(t);
			if (!a.length) break;
			t = a[0];
			continue;
		}
		break;
	}
	// Stripe.Response<T> = T & { lastResponse }: keep T.
	if (t.isIntersection()) {
		const kept = t.types.filter((x) => !checker.getPropertyOfType(x, 'lastResponse'));
		if (kept.length === 1) t = kept[0];
	}
	return t;
}

function schemaOfType(t, checker, depth, seen) {
	if (t.flags & ts.TypeFlags.Any || t.flags & ts.TypeFlags.Unknown) return {};
	if (t.flags & ts.TypeFlags.Null) return { type: 'null' };
	if (t.flags & (ts.TypeFlags.String | ts.TypeFlags.StringLiteral)) return { type: 'string' };
	if (t.flags & (ts.TypeFlags.Number | ts.TypeFlags.NumberLiteral)) return { type: 'number' };
	if (t.flags & (ts.TypeFlags.Boolean | ts.TypeFlags.BooleanLiteral)) return { type: 'boolean' };
	if (t.isUnion()) {
		const parts = t.types.filter((x) => !(x.flags & (ts.TypeFlags.Null | ts.TypeFlags.Undefined)));
		if (!parts.length) return { type: 'null' };
		// Expandable fields come as IDs unless expanded; string literal unions are strings.
		if (parts.some((x) => x.flags & (ts.TypeFlags.String | ts.TypeFlags.StringLiteral))) return { type: 'string' };
		if (parts.every((x) => x.flags & (ts.TypeFlags.Boolean | ts.TypeFlags.BooleanLiteral))) return { type: 'boolean' };
		if (parts.every((x) => x.flags & (ts.TypeFlags.Number | ts.TypeFlags.NumberLiteral))) return { type: 'number' };
		// Objects of several shapes (Customer | DeletedCustomer): the union of their fields.
		const objects = parts.filter((x) => x.flags & ts.TypeFlags.Object);
		if (objects.length === parts.length) return objectSchema(objects, checker, depth, seen);
		return schemaOfType(parts[0], checker, depth, seen);
	}
	if (checker.isArrayType(t)) {
		const [item] = checker.getTypeArguments(t);
		return { type: 'array', items: item ? schemaOfType(item, checker, depth, seen) : {} };
	}
	if (t.flags & ts.TypeFlags.Object || t.isIntersection()) return objectSchema([t], checker, depth, seen);
	return {};
}

function objectSchema(types, checker, depth, seen) {
	if (depth >= OUTPUT_SCHEMA_DEPTH) return { type: 'object' };
	const properties = {};
	for (const t of types) {
		if (seen.has(t)) continue;
		const props = checker.getPropertiesOfType(t);
		if (!props.length) continue;
		const inner = new Set(seen).add(t);
		for (const p of props) {
			if (properties[p.getName()]) continue;
			const decl = p.valueDeclaration || (p.declarations && p.declarations[0]);
			if (!decl) continue;
			const pt = checker.getTypeOfSymbolAtLocation(p, decl);
			if (pt.getCallSignatures().length) continue;
			// `deleted?: void` (Customer beside DeletedCustomer): never in the answer; a union takes `deleted: true`
			// from the deleted shape.
			if (pt.flags & (ts.TypeFlags.Void | ts.TypeFlags.Undefined)) continue;
			properties[p.getName()] = schemaOfType(pt, checker, depth + 1, inner);
		}
	}
	const names = Object.keys(properties).sort();
	if (!names.length) return { type: 'object' };
	return { type: 'object', properties: Object.fromEntries(names.map((n) => [n, properties[n]])) };
}

const DOWNLOAD_SCHEMA = {
	type: 'object',
	properties: { bytes: { type: 'number' }, fileName: { type: 'string' }, mimeType: { type: 'string' } },
};

/** An item with no fields: what the node outputs for an empty answer. */
const EMPTY_SCHEMA = { type: 'object', properties: {} };

/** The JSON Schema of one output item of an SDK operation, or undefined when the typings say nothing. */
function outputSchema(op, returnType, checker) {
	if (op.response === 'binary') return DOWNLOAD_SCHEMA;
	if (!returnType) return undefined;
	const item = itemType(returnType, checker);
	// Promise<void> (v2 meter event stream): Stripe answers with an empty body, which the node outputs as {}.
	if (item.flags & ts.TypeFlags.Void) return EMPTY_SCHEMA;
	const schema = schemaOfType(item, checker, 0, new Set());
	return schema.type === 'object' && schema.properties ? schema : undefined;
}

/** The JSON Schema of a named type of the typings (e.g. `Stripe.Terminal.Reader`), described as an output item. */
function typeSchema(type, checker) {
	return schemaOfType(type, checker, 0, new Set());
}

/** The declared interface `qualifiedName` (namespaces joined by dots, e.g. `Stripe.Card`) in the program's files under `dir`. */
function findInterface(program, checker, dir, qualifiedName) {
	let found;
	const visit = (node, ns) => {
		if (found) return;
		if (ts.isModuleDeclaration(node)) {
			const inner = ts.isStringLiteral(node.name) ? ns : ns.concat(node.name.text);
			if (node.body) ts.forEachChild(node.body, (c) => visit(c, inner));
			return;
		}
		if (ts.isInterfaceDeclaration(node) && ns.concat(node.name.text).join('.') === qualifiedName) {
			found = node;
			return;
		}
		ts.forEachChild(node, (c) => visit(c, ns));
	};
	for (const sf of program.getSourceFiles()) if (sf.fileName.startsWith(dir)) visit(sf, []);
	return found ? checker.getTypeAtLocation(found) : undefined;
}

/**
 * A response shape written as data (descriptors/response-objects.json) → the same JSON Schema the typings give:
 * a string is a scalar type ("string", "number", "boolean") or "object" (free-form, e.g. metadata); an object
 * lists members; an array of one shape is a list of it. Same depth limit and member order as the typings' schemas.
 */
function shapeSchema(shape, depth = 0) {
	if (Array.isArray(shape)) {
		if (shape.length !== 1) throw new Error(`a list shape names exactly one item shape, got ${JSON.stringify(shape)}`);
		return { type: 'array', items: shapeSchema(shape[0], depth) };
	}
	if (typeof shape === 'string') {
		if (!['string', 'number', 'boolean', 'object'].includes(shape)) throw new Error(`unknown shape type "${shape}"`);
		return { type: shape };
	}
	if (!shape || typeof shape !== 'object') throw new Error(`bad shape ${JSON.stringify(shape)}`);
	if (depth >= OUTPUT_SCHEMA_DEPTH) return { type: 'object' };
	const names = Object.keys(shape).sort();
	if (!names.length) return { type: 'object' };
	return { type: 'object', properties: Object.fromEntries(names.map((n) => [n, shapeSchema(shape[n], depth + 1)])) };
}

/** `base` with the members of `extra` added (deep: objects are merged, anything else is replaced). */
function mergeSchema(base, extra) {
	if (base.type !== 'object' || extra.type !== 'object' || !extra.properties) return extra;
	const properties = { ...(base.properties || {}) };
	for (const [k, v] of Object.entries(extra.properties)) properties[k] = properties[k] ? mergeSchema(properties[k], v) : v;
	const names = Object.keys(properties).sort();
	return { type: 'object', properties: Object.fromEntries(names.map((n) => [n, properties[n]])) };
}

module.exports = { outputSchema, typeSchema, findInterface, shapeSchema, mergeSchema, DOWNLOAD_SCHEMA };
