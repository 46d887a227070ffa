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
 * item the node makes ({ fileName, mimeType, bytes } with the file as binary data).
 * Expandable fields (`string | Stripe.Customer`) are described as they come unexpanded: an ID string. Objects
 * are described to MAX_DEPTH levels; deeper objects are `{ "type": "object" }`.
 */
'use strict';
const ts = require('typescript');

const MAX_DEPTH = 3;

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
	if (depth >= MAX_DEPTH) return { type: 'object' };
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

/** The JSON Schema of one output item of an SDK operation, or undefined when the typings say nothing. */
function outputSchema(op, returnType, checker) {
	if (op.response === 'binary') return DOWNLOAD_SCHEMA;
	if (!returnType) return undefined;
	const schema = schemaOfType(itemType(returnType, checker), checker, 0, new Set());
	return schema.type === 'object' && schema.properties ? schema : undefined;
}

module.exports = { outputSchema, DOWNLOAD_SCHEMA };
