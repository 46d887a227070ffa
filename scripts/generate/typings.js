/*
 * Step 2. The SDK's typings (types/**, read with the TypeScript compiler API): every method's positional
 * (path) arguments, its params interface as a parameter schema, its doc comment and its return type.
 */
'use strict';
const path = require('path');
const ts = require('typescript');
const { STRIPE_DIR, PARAM_MEMBER_DEPTH } = require('./inputs');

function createChecker() {
	const program = ts.createProgram([path.join(STRIPE_DIR, 'types/index.d.ts')], {
		noEmit: true,
		skipLibCheck: true,
		types: [],
		lib: ['lib.es2020.d.ts'],
		target: ts.ScriptTarget.ES2020,
	});
	return { program, checker: program.getTypeChecker() };
}

function findStripeClass(program) {
	const sf = program.getSourceFile(path.join(STRIPE_DIR, 'types/index.d.ts'));
	let found;
	const visit = (node) => {
		if (ts.isClassDeclaration(node) && node.name && node.name.text === 'Stripe') found = node;
		else ts.forEachChild(node, visit);
	};
	visit(sf);
	if (!found) throw new Error('class Stripe not found in stripe typings');
	return found;
}

function docOf(symbol, checker) {
	if (!symbol) return '';
	return ts.displayPartsToString(symbol.getDocumentationComment(checker)).trim();
}

/** Stripe's doc comment as plain text (links as their text, no HTML), whole: nodes/shared/fields/shapes.ts picks the sentences shown. */
function plainText(text) {
	if (!text) return undefined;
	return text
		.replace(/\[([^\]]+)\]\((?:https?:\/\/[^)]+|\/[^)]*)\)/g, '$1') // markdown links → their text
		.replace(/<[^>]+>/g, '')
		.replace(/\s+/g, ' ')
		.trim();
}

function isStringLiteral(t) {
	return !!(t.flags & ts.TypeFlags.StringLiteral);
}

function typeName(t) {
	const s = t.aliasSymbol || t.getSymbol();
	return s ? s.getName() : '';
}

/**
 * Turn a TypeScript parameter type into our schema: { type, enum?, members?, items?, anyOf?, emptyable? }.
 */
function schemaOf(type, checker, depth, stack) {
	let parts = type.isUnion() ? type.types.slice() : [type];
	const schema = {};
	const emptyString = parts.some((t) => isStringLiteral(t) && t.value === '');
	const hasNull = parts.some((t) => t.flags & (ts.TypeFlags.Null | ts.TypeFlags.Undefined));
	parts = parts.filter((t) => !(t.flags & (ts.TypeFlags.Null | ts.TypeFlags.Undefined)));
	if (emptyString) {
		schema.emptyable = true;
		parts = parts.filter((t) => !(isStringLiteral(t) && t.value === ''));
	}
	if (hasNull) schema.nullable = true;

	const literals = parts.filter(isStringLiteral);
	const booleans = parts.filter((t) => t.flags & ts.TypeFlags.BooleanLiteral);
	const rest = parts.filter((t) => !isStringLiteral(t) && !(t.flags & ts.TypeFlags.BooleanLiteral));

	const variants = [];
	if (literals.length) variants.push({ type: 'enum', enum: literals.map((t) => t.value) });
	if (booleans.length) variants.push({ type: 'boolean' });
	for (const t of rest) variants.push(single(t, checker, depth, stack));

	// Merge duplicate scalar variants (e.g. string | string literal → string).
	const merged = [];
	for (const v of variants) {
		if (v.type === 'enum' && variants.some((o) => o.type === 'string')) continue;
		if (!merged.some((m) => m.type === v.type && v.type !== 'object' && v.type !== 'array')) merged.push(v);
	}
	if (merged.length === 1) return Object.assign(schema, merged[0]);
	return Object.assign(schema, { type: 'union', anyOf: merged });
}

function single(t, checker, depth, stack) {
	if (t.flags & ts.TypeFlags.String) return { type: 'string' };
	if (t.flags & ts.TypeFlags.Number) return { type: 'number' };
	if (t.flags & (ts.TypeFlags.Boolean | ts.TypeFlags.BooleanLiteral)) return { type: 'boolean' };
	if (t.flags & ts.TypeFlags.NumberLiteral) return { type: 'number' };
	if (t.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return { type: 'any' };
	const name = typeName(t);
	if (name === 'Date') return { type: 'number' };
	if (name === 'MetadataParam' || name === 'Metadata') return { type: 'metadata' };
	if (checker.isArrayType(t) || checker.isTupleType(t)) {
		const [item] = checker.getTypeArguments(t);
		return { type: 'array', items: item ? schemaOf(item, checker, depth, stack) : { type: 'any' } };
	}
	if (t.flags & ts.TypeFlags.Object) {
		if (['Buffer', 'Uint8Array', 'Readable', 'Stream'].includes(name)) return { type: 'file' };
		const index = checker.getIndexInfosOfType(t);
		const props = checker.getPropertiesOfType(t);
		if (index.length && !props.length) {
			return { type: 'map', items: schemaOf(index[0].type, checker, depth + 1, stack) };
		}
		if (depth >= PARAM_MEMBER_DEPTH || stack.includes(t)) return { type: 'object' };
		return { type: 'object', members: membersOf(t, checker, depth + 1, stack.concat([t])) };
	}
	return { type: 'any' };
}

function membersOf(type, checker, depth, stack) {
	const out = [];
	for (const prop of checker.getPropertiesOfType(type)) {
		const decl = prop.valueDeclaration || (prop.declarations && prop.declarations[0]);
		if (!decl) continue;
		const pt = checker.getTypeOfSymbolAtLocation(prop, decl);
		const s = schemaOf(pt, checker, depth, stack);
		const member = { name: prop.getName(), ...s };
		if (!(prop.flags & ts.SymbolFlags.Optional)) member.required = true;
		const d = plainText(docOf(prop, checker));
		if (d) member.description = d;
		// Keep the member order stable: required first is decided by the UI layer.
		out.push(orderKeys(member));
	}
	return out;
}

function orderKeys(o) {
	const order = ['name', 'type', 'required', 'description', 'enum', 'emptyable', 'nullable', 'items', 'members', 'anyOf'];
	const r = {};
	for (const k of order) if (o[k] !== undefined) r[k] = o[k];
	for (const k of Object.keys(o)) if (r[k] === undefined) r[k] = o[k];
	return r;
}

function loadSignatures(program, checker) {
	const cls = findStripeClass(program);
	const result = new Map();
	const walkType = (type, prefix) => {
		for (const prop of checker.getPropertiesOfType(type)) {
			const decl = prop.valueDeclaration || (prop.declarations && prop.declarations[0]);
			if (!decl) continue;
			const pt = checker.getTypeOfSymbolAtLocation(prop, decl);
			const name = prop.getName();
			const sdkPrefix = prefix ? `${prefix}.${name}` : name;
			const sym = pt.getSymbol();
			if (sym && /Resource$/.test(sym.getName()) && sym.flags & ts.SymbolFlags.Class) {
				for (const m of checker.getPropertiesOfType(pt)) {
					const mdecl = m.valueDeclaration || (m.declarations && m.declarations[0]);
					if (!mdecl) continue;
					const mt = checker.getTypeOfSymbolAtLocation(m, mdecl);
					const sigs = mt.getCallSignatures();
					if (!sigs.length) continue;
					// The richest overload: the one with a `params` argument.
					const sig = sigs.find((s) => s.getParameters().some((p) => p.getName() === 'params')) || sigs[0];
					const pathArgs = [];
					let paramsType = null;
					for (const p of sig.getParameters()) {
						const pdecl = p.valueDeclaration;
						const ptype = checker.getTypeOfSymbolAtLocation(p, pdecl);
						if (p.getName() === 'params') paramsType = ptype;
						else if (p.getName() !== 'options' && (ptype.flags & ts.TypeFlags.String || checker.typeToString(ptype) === 'string')) {
							pathArgs.push(p.getName());
						}
					}
					result.set(`${sdkPrefix}.${m.getName()}`, {
						description: plainText(docOf(m, checker)) || '',
						longDescription: docOf(m, checker),
						pathArgs,
						paramsType,
						deprecated: !!ts.getJSDocTags(mdecl).find((t) => t.tagName.text === 'deprecated'),
						returnType: sig.getReturnType(),
					});
				}
			} else if (pt.flags & ts.TypeFlags.Object && !pt.getCallSignatures().length) {
				walkType(pt, sdkPrefix);
			}
		}
	};
	walkType(checker.getTypeAtLocation(cls), '');
	return result;
}

module.exports = { createChecker, loadSignatures, membersOf, orderKeys };
