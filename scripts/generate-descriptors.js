#!/usr/bin/env node
/*
 * Descriptor generator.
 *
 * Reads the pinned devDependency stripe@17.4.0 — its method tables (cjs/resources/**, captured by loading the
 * SDK with a recording stand-in for StripeResource.method) and its typings (types/**, read with the TypeScript
 * compiler API) — plus the committed family map (descriptors/family-map.json) and hand-authored operations
 * (descriptors/hand-authored/*.json), and writes one descriptor per family to generated/families/<family>.ts.
 *
 * The output is build output (git-ignored). `npm run build` runs this first.
 *
 *   node scripts/generate-descriptors.js [--out DIR]   (into generated/, it also writes the scaffolded node files,
 *                                                      codex files and package.json n8n.nodes that differ from
 *                                                      the family table: scripts/scaffold-family-nodes.js)
 *   node scripts/generate-descriptors.js --check
 *
 * --check writes nothing into the tree. It generates into a temporary folder, type-checks every generated
 * descriptor (hand-authored operations included) against nodes/shared/model/descriptor.ts with tsc, as typed
 * object literals (excess properties and wrong types are errors), and checks that the scaffolded files (node
 * files, codex files, package.json n8n.nodes) agree with the family table (scripts/scaffold-family-nodes.js).
 * It exits 1 on any difference. CI runs it (`npm run generate -- --check`).
 */
'use strict';
const fs = require('fs');
const path = require('path');
const ts = require('typescript');
const { outputSchema, typeSchema, findInterface, shapeSchema, DOWNLOAD_SCHEMA } = require('./output-schemas');

const ROOT = path.join(__dirname, '..');
const STRIPE_DIR = path.join(ROOT, 'node_modules/stripe');
const STRIPE_VERSION = JSON.parse(fs.readFileSync(path.join(STRIPE_DIR, 'package.json'), 'utf8')).version;
const FAMILY_MAP = JSON.parse(fs.readFileSync(path.join(ROOT, 'descriptors/family-map.json'), 'utf8'));
const OVERRIDES_FILE = path.join(ROOT, 'descriptors/overrides.json');
const OVERRIDES = fs.existsSync(OVERRIDES_FILE) ? JSON.parse(fs.readFileSync(OVERRIDES_FILE, 'utf8')) : {};
const HAND_DIR = path.join(ROOT, 'descriptors/hand-authored');
/** The documented response objects of the hand-authored operations (and the report), for their output schemas. */
const RESPONSE_OBJECTS = JSON.parse(fs.readFileSync(path.join(ROOT, 'descriptors/response-objects.json'), 'utf8')).objects;

const args = process.argv.slice(2);
const CHECK = args.includes('--check');
const OUT_DIR = CHECK
	? fs.mkdtempSync(path.join(require('os').tmpdir(), 'n8n-stripe-generate-check-'))
	: args.includes('--out')
		? path.resolve(args[args.indexOf('--out') + 1])
		: path.join(ROOT, 'generated');

/** How deep nested object members are described (deeper levels are accepted as free-form JSON). */
const MAX_MEMBER_DEPTH = 4;

// ---------------------------------------------------------------------------------------------------------
// 1. The SDK's method tables: which HTTP method, path, host and pagination kind every method uses.
// ---------------------------------------------------------------------------------------------------------

function loadMethodTable() {
	const { StripeResource } = require(path.join(STRIPE_DIR, 'cjs/StripeResource.js'));
	const original = StripeResource.method;
	StripeResource.method = (spec) => {
		const recorder = function () {
			return { __spec: spec };
		};
		recorder.__spec = spec;
		return recorder;
	};
	let Stripe;
	try {
		Stripe = require(path.join(STRIPE_DIR, 'cjs/stripe.cjs.node.js'));
		Stripe = Stripe.default || Stripe;
	} finally {
		StripeResource.method = original;
	}
	const client = new Stripe('sk_test_generator', { apiVersion: FAMILY_MAP.apiVersion });
	const table = new Map();
	const seen = new Set();

	const walk = (obj, prefix) => {
		for (const key of Object.keys(obj)) {
			// `account` is the SDK's untyped legacy alias of `accounts`.
			if (key.startsWith('_') || ['errors', 'webhooks', 'StripeResource', 'account'].includes(key)) continue;
			const value = obj[key];
			if (!value || typeof value !== 'object' || seen.has(value)) continue;
			seen.add(value);
			const sdkPrefix = prefix ? `${prefix}.${key}` : key;
			if (value instanceof StripeResource) {
				const proto = Object.getPrototypeOf(value);
				const multipart = typeof proto.requestDataProcessor === 'function';
				for (const name of Object.getOwnPropertyNames(proto)) {
					if (name === 'constructor' || name.startsWith('_') || name === 'addFetchRelatedObjectIfNeeded') continue;
					const fn = proto[name];
					if (typeof fn !== 'function') continue;
					let spec = fn.__spec;
					if (!spec) {
						// Hand-maintained SDK methods build their spec when called.
						try {
							const r = fn.call(value, 'placeholder_id');
							spec = r && r.__spec;
						} catch {
							spec = undefined;
						}
					}
					if (!spec) continue;
					table.set(`${sdkPrefix}.${name}`, {
						method: spec.method,
						fullPath: spec.fullPath,
						methodType: spec.methodType || null,
						host: spec.host || null,
						streaming: !!spec.streaming,
						multipart: multipart && spec.method === 'POST',
					});
				}
			} else if (Object.getPrototypeOf(value) === Object.prototype || value.constructor.name === 'ResourceNamespace') {
				walk(value, sdkPrefix);
			}
		}
	};
	walk(client, '');
	return table;
}

// ---------------------------------------------------------------------------------------------------------
// 2. The SDK's typings: every method's positional (path) arguments and its params interface.
// ---------------------------------------------------------------------------------------------------------

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
		if (depth >= MAX_MEMBER_DEPTH || stack.includes(t)) return { type: 'object' };
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

// ---------------------------------------------------------------------------------------------------------
// 3. Assemble family descriptors.
// ---------------------------------------------------------------------------------------------------------

const OPERATION_WORDS = { del: 'Delete', retrieve: 'Retrieve', list: 'List', create: 'Create', update: 'Update' };

/**
 * n8n's operation names: Create / Get / Get Many / Update / Delete / Search, and Stripe's own verbs (Capture,
 * Finalize, Void, …) as they are. Applied to every operation, hand-authored ones included; the operation's
 * value (what workflows store) and its description (Stripe's wording) stay.
 */
function n8nOperationName(name) {
	return name.replace(/^Retrieve\b/, 'Get').replace(/^List\b/, 'Get Many');
}

function humanize(method) {
	if (OPERATION_WORDS[method]) return OPERATION_WORDS[method];
	const words = method.replace(/([a-z0-9])([A-Z])/g, '$1 $2').split(' ');
	return words.map((w, i) => (i === 0 ? w[0].toUpperCase() + w.slice(1) : w)).join(' ');
}

function singularWord(w) {
	return w.replace(/ies$/, 'y').replace(/s$/, '');
}

function operationKind(entry) {
	if (entry.methodType === 'search') return 'search';
	if (entry.methodType === 'list') return entry.fullPath.startsWith('/v2/') ? 'v2list' : 'list';
	return 'plain';
}

function hostKind(host) {
	if (!host) return 'api';
	if (host.startsWith('files.')) return 'files';
	if (host.startsWith('meter-events.')) return 'meterEvents';
	throw new Error(`unknown host ${host}`);
}

function badgeOf(mapEntry, sdkPath, sig) {
	const badges = [];
	if (sdkPath.startsWith('testHelpers.') || (mapEntry && mapEntry.badge === 'Test helper')) badges.push('testHelper');
	if ((mapEntry && mapEntry.badge === 'Deprecated') || (sig && sig.deprecated)) badges.push('deprecated');
	if (mapEntry && mapEntry.badge === 'Preview feature') badges.push('preview');
	return badges;
}

function operationValue(method, badges) {
	const base = method === 'del' ? 'delete' : method;
	return badges.includes('testHelper') ? 'testHelper' + base[0].toUpperCase() + base.slice(1) : base;
}

function operationName(method, badges) {
	let name = humanize(method);
	if (badges.includes('testHelper')) name += ' (Test Mode Only)';
	if (badges.includes('preview')) name += ' (Preview)';
	if (badges.includes('deprecated')) name += ' (Deprecated)';
	return name;
}

function buildOperation(sdkPath, entry, sig, mapEntry, checker) {
	const method = sdkPath.split('.').pop();
	const badges = badgeOf(mapEntry, sdkPath, sig);
	const placeholders = (entry.fullPath.match(/\{\w+\}/g) || []).map((p) => p.slice(1, -1));
	let params = sig && sig.paramsType ? membersOf(sig.paramsType, checker, 1, []) : [];
	if (entry.multipart) {
		// A file part ({data, name, type} with Buffer data) is uploaded from an n8n binary property.
		params = params.map((p) =>
			p.type === 'object' && (p.members || []).some((m) => m.name === 'data' && (m.type === 'file' || (m.anyOf || []).some((a) => a.type === 'file')))
				? orderKeys({ name: p.name, type: 'file', required: p.required, description: p.description })
				: p,
		);
	}
	const op = {
		value: operationValue(method, badges),
		name: operationName(method, badges),
		description: sig ? sig.description : '',
		sdk: sdkPath,
		method: entry.method,
		path: entry.fullPath,
		apiMode: entry.fullPath.startsWith('/v2/') ? 'v2' : 'v1',
		host: hostKind(entry.host),
		kind: operationKind(entry),
		pathParams: placeholders.map((p, i) => ({
			name: p,
			type: 'string',
			required: true,
			description: pathParamDescription(p, entry.fullPath, sig && sig.pathArgs[i]),
		})),
		params,
	};
	if (entry.multipart) op.bodyEncoding = 'multipart';
	if (entry.streaming) op.response = 'binary';
	if (badges.length) op.badges = badges;
	if (mapEntry && mapEntry.docSlug) op.docUrl = `https://docs.stripe.com${mapEntry.docSlug}`;
	return applyOverrides(op);
}

/**
 * What a path ID is the ID of, in words: the placeholder without `_id` and without words of Stripe's
 * internals (`subscription_exposed_id` is a subscription's ID); for a bare `{id}`, the collection before it
 * (`/tax_ids/{id}` → "tax ID", `/refunds/{id}` → "refund").
 */
function pathParamNoun(placeholder, fullPath, argName) {
	let noun = placeholder;
	if (placeholder === 'id') {
		const segments = fullPath.split('/');
		const before = segments[segments.indexOf('{id}') - 1] || '';
		noun = before && !before.startsWith('{') ? before.replace(/ies$/, 'y').replace(/s$/, '') : (argName || '').replace(/Id$/, '');
	}
	return noun
		.replace(/([a-z])([A-Z])/g, '$1_$2')
		.toLowerCase()
		.split('_')
		.filter((w) => w && w !== 'exposed')
		.join(' ')
		.replace(/ id$/, ' ID')
		.replace(/^id$/, '');
}

function pathParamDescription(placeholder, fullPath, argName) {
	const noun = pathParamNoun(placeholder, fullPath, argName);
	if (!noun) return 'The object ID';
	return / ID$/.test(noun) ? `The ${noun}` : `The ID of the ${noun}`;
}

/**
 * A parameter's override: its keys replace the parameter's (`promote`, `default`, `show`, …); `members`
 * overrides members by name (of an object, or of an array's objects), recursively. Unknown names fail the
 * generator, so a typo cannot silently do nothing.
 */
function overrideParam(p, o, where) {
	const { members, ...own } = o;
	const merged = { ...p, ...own };
	if (members) {
		const holder = merged.type === 'array' ? { ...merged.items } : merged;
		if (!holder.members) throw new Error(`override ${where}: ${p.name} has no members`);
		holder.members = overrideParams(holder.members, members, `${where}.${p.name}`);
		if (merged.type === 'array') merged.items = holder;
	}
	return merged;
}

function overrideParams(params, overrides, where) {
	for (const name of Object.keys(overrides)) if (!params.some((p) => p.name === name)) throw new Error(`override ${where}: no parameter ${name}`);
	return params.map((p) => (overrides[p.name] ? overrideParam(p, overrides[p.name], where) : p));
}

/**
 * Entries of a list whose members are at most three optional texts (a discount: coupon, discount or promotion
 * code) show them directly (`promote`, see nodes/shared/fields/shapes.ts), not under "Fields": one click less, and
 * their IDs get pickers. A text left empty is not sent. So do addresses (Stripe's address shape: line1, line2,
 * city, state, postal code, country): adding one shows all its lines in one step, as n8n's own Stripe node
 * offers an address.
 */
const ADDRESS_LINES = ['line1', 'city', 'postal_code', 'country'];
function showSmallEntries(p) {
	const item = p.type === 'array' ? p.items : undefined;
	const members = item && item.type === 'object' ? item.members : p.members;
	if (!members) return;
	if (item && members.length <= 3 && members.every((m) => m.type === 'string' && !m.required)) for (const m of members) m.promote = true;
	const address = !item && ADDRESS_LINES.every((n) => members.some((m) => m.name === n)) && members.every((m) => m.type === 'string');
	if (address) for (const m of members) m.promote = true;
	for (const m of members) showSmallEntries(m);
}

/**
 * Timestamps (Stripe's `Timestamp`, Unix seconds): numbers named as points in time (`created`, `trial_end`,
 * `expires_at`, `due_date`, `start_time`, `redeem_by`, …), alone or as the number of a union (`trial_end`:
 * `now` or a timestamp; `created`: a timestamp or a range of `gt`/`gte`/`lt`/`lte`, which are timestamps too).
 * They get `format: 'unix-time'`: nodes/shared/fields/shapes.ts shows them as n8n date-time fields.
 */
const TIMESTAMP_NAME = /(^|_)(at|date|time|timestamp|created|end|start|from)$|(^|_)(billing_cycle_anchor|redeem_by)$/;
const RANGE_MEMBERS = ['gt', 'gte', 'lt', 'lte'];

function markTimestamps(p) {
	if (p.name && TIMESTAMP_NAME.test(p.name)) {
		if (p.type === 'number') p.format = 'unix-time';
		if (p.type === 'union')
			for (const alt of p.anyOf || []) {
				if (alt.type === 'number') alt.format = 'unix-time';
				if (alt.type === 'object' && alt.members && alt.members.length && alt.members.every((m) => RANGE_MEMBERS.includes(m.name) && m.type === 'number'))
					for (const m of alt.members) m.format = 'unix-time';
			}
	}
	for (const m of p.members || []) markTimestamps(m);
	if (p.items) markTimestamps(p.items);
	for (const alt of p.anyOf || []) for (const m of alt.members || []) markTimestamps(m);
}

function applyOverrides(op) {
	const o = OVERRIDES[op.sdk];
	if (!o) return op;
	const merged = { ...op, ...o };
	if (o.params) merged.params = overrideParams(op.params, o.params, op.sdk);
	return merged;
}

function loadHandAuthored() {
	const ops = [];
	if (!fs.existsSync(HAND_DIR)) return ops;
	for (const f of fs
		.readdirSync(HAND_DIR)
		.filter((f) => f.endsWith('.json'))
		.sort()) {
		const data = JSON.parse(fs.readFileSync(path.join(HAND_DIR, f), 'utf8'));
		for (const op of data.operations) ops.push({ ...op, handAuthored: true, family: data.family, resource: op.resource });
	}
	return ops;
}

/** Thin (v2) event types the typings do not list: the destination ping (API reference, event types). */
const EXTRA_THIN_EVENT_TYPES = ['v2.core.event_destination.ping'];

/** Event types from the typings: v1 snapshot events (types/EventTypes.d.ts), thin events (types/V2/EventTypes.d.ts). */
function writeEventTypes() {
	const literals = (file) => {
		const text = fs.readFileSync(path.join(STRIPE_DIR, 'types', file), 'utf8');
		return [...new Set([...text.matchAll(/^\s*type: '([a-z0-9_.]+)';$/gm)].map((m) => m[1]))].sort();
	};
	const snapshot = literals('EventTypes.d.ts');
	const thin = [...new Set([...literals('V2/EventTypes.d.ts'), ...EXTRA_THIN_EVENT_TYPES])].sort();
	if (snapshot.length < 100 || thin.length < 2) throw new Error('event types not found in the typings');
	fs.writeFileSync(
		path.join(OUT_DIR, 'event-types.ts'),
		`// Generated by scripts/generate-descriptors.js from stripe@${STRIPE_VERSION}. Do not edit.\n` +
			`export const SNAPSHOT_EVENT_TYPES: string[] = ${JSON.stringify(snapshot)};\n` +
			`export const THIN_EVENT_TYPES: string[] = ${JSON.stringify(thin)};\n`,
	);
	console.log(`[generate]   event types: ${snapshot.length} snapshot (v1), ${thin.length} thin (v2)`);
}

/** The output schema of a hand-authored operation: its download item, or the response object it names. */
function handAuthoredSchema(op, output, program, checker) {
	if (op.response === 'binary') return DOWNLOAD_SCHEMA;
	const where = `hand-authored operation ${op.value} (${op.path})`;
	if (!output) throw new Error(`${where} names no "output" object (descriptors/response-objects.json)`);
	const object = RESPONSE_OBJECTS[output];
	if (!object) throw new Error(`${where}: unknown output object "${output}" (descriptors/response-objects.json)`);
	if (object.typings) {
		const type = findInterface(program, checker, STRIPE_DIR, object.typings);
		if (!type) throw new Error(`${where}: ${object.typings} is not in the stripe@${STRIPE_VERSION} typings`);
		return typeSchema(type, checker);
	}
	return shapeSchema(object.shape);
}

/** generated/schemas/<NodeClass>/<resource>/<operation>.json, copied by the build to each node's __schema__/v1.0.0/. */
function writeSchemas(families, schemas) {
	const dir = path.join(OUT_DIR, 'schemas');
	fs.rmSync(dir, { recursive: true, force: true });
	let bytes = 0;
	for (const { family, resource, operation, schema } of schemas) {
		const file = path.join(dir, families[family].className, resource, `${operation}.json`);
		fs.mkdirSync(path.dirname(file), { recursive: true });
		const text = JSON.stringify(schema);
		bytes += text.length;
		fs.writeFileSync(file, text);
	}
	const ops = Object.values(families).reduce((n, f) => n + f.resources.reduce((m, r) => m + r.operations.length, 0), 0);
	console.log(`[generate]   output schemas: ${schemas.length} of ${ops} operations, ${(bytes / 1024).toFixed(0)} KiB`);
}

function main() {
	const t0 = Date.now();
	const table = loadMethodTable();
	const { program, checker } = createChecker();
	const sigs = loadSignatures(program, checker);

	const missingTypes = [...table.keys()].filter((k) => !sigs.has(k));
	if (missingTypes.length) throw new Error(`no typings found for SDK methods: ${missingTypes.join(', ')}`);

	const families = {};
	for (const [key, fam] of Object.entries(FAMILY_MAP.families)) {
		families[key] = {
			family: key,
			displayName: fam.displayName,
			className: fam.className,
			stripeVersion: STRIPE_VERSION,
			apiVersion: FAMILY_MAP.apiVersion,
			resources: [],
		};
		for (const [resKey, res] of Object.entries(fam.resources)) {
			families[key].resources.push({ value: resKey, name: res.name, docUrl: `https://docs.stripe.com${res.docSlug}`, operations: [] });
		}
	}
	// Resource names are unique across the package: n8n's node creator lists every node's actions together.
	const seenNames = new Map();
	for (const [key, fam] of Object.entries(FAMILY_MAP.families)) {
		for (const res of Object.values(fam.resources)) {
			if (seenNames.has(res.name))
				throw new Error(`resource name "${res.name}" is used by both ${seenNames.get(res.name)} and ${key}: qualify one in descriptors/family-map.json`);
			seenNames.set(res.name, key);
		}
	}
	const resourceOf = (famKey, resKey) => {
		const fam = families[famKey];
		if (!fam) throw new Error(`unknown family ${famKey}`);
		const r = fam.resources.find((x) => x.value === resKey);
		if (!r) throw new Error(`unknown resource ${famKey}/${resKey}`);
		return r;
	};

	// Two SDK resources can put a method of the same name into one of our resources (customers.deleteDiscount
	// and subscriptions.deleteDiscount both belong to Products → Discount): those are qualified by their owner.
	const methodCount = new Map();
	for (const sdkPath of table.keys()) {
		const m = FAMILY_MAP.operations[sdkPath];
		if (!m) continue;
		const k = `${m.family}/${m.resource}/${sdkPath.split('.').pop()}`;
		methodCount.set(k, (methodCount.get(k) || 0) + 1);
	}

	for (const key of Object.keys(OVERRIDES)) if (!table.has(key)) throw new Error(`descriptors/overrides.json: no stripe-node method ${key}`);
	const unmapped = [];
	const schemas = [];
	for (const [sdkPath, entry] of table) {
		const mapEntry = FAMILY_MAP.operations[sdkPath];
		if (!mapEntry) {
			if (!(FAMILY_MAP.excluded || {})[sdkPath]) unmapped.push(sdkPath);
			continue;
		}
		const op = buildOperation(sdkPath, entry, sigs.get(sdkPath), mapEntry, checker);
		if (methodCount.get(`${mapEntry.family}/${mapEntry.resource}/${sdkPath.split('.').pop()}`) > 1 && !(OVERRIDES[sdkPath] || {}).value) {
			const owner = singularWord(sdkPath.split('.').slice(-2)[0]);
			op.value = owner + op.value[0].toUpperCase() + op.value.slice(1);
			op.name = `${op.name} (${humanize(owner)})`;
		}
		op.name = n8nOperationName(op.name);
		const res = resourceOf(mapEntry.family, mapEntry.resource);
		if (res.operations.some((o) => o.value === op.value)) throw new Error(`duplicate operation ${op.value} in ${mapEntry.family}/${mapEntry.resource}`);
		res.operations.push(op);
		const schema = outputSchema(op, sigs.get(sdkPath).returnType, checker);
		if (schema) schemas.push({ family: mapEntry.family, resource: res.value, operation: op.value, schema });
	}
	for (const op of loadHandAuthored()) {
		const res = resourceOf(op.family, op.resource);
		// `output` names the response object (descriptors/response-objects.json): build data, not runtime data.
		const { family, resource, output, ...rest } = op;
		rest.name = n8nOperationName(rest.name);
		if (res.operations.some((o) => o.value === rest.value)) throw new Error(`duplicate operation ${rest.value} in ${family}/${resource} (hand-authored)`);
		res.operations.push(rest);
		schemas.push({ family, resource, operation: rest.value, schema: handAuthoredSchema(rest, output, program, checker) });
	}

	for (const fam of Object.values(families))
		for (const r of fam.resources)
			for (const op of r.operations) {
				for (const p of op.params) {
					showSmallEntries(p);
					markTimestamps(p);
				}
			}

	fs.mkdirSync(path.join(OUT_DIR, 'families'), { recursive: true });
	const summary = [];
	for (const fam of Object.values(families)) {
		fam.resources = fam.resources.filter((r) => r.operations.length);
		if (!fam.resources.length) continue;
		const json = JSON.stringify(fam);
		const file = path.join(OUT_DIR, 'families', `${fam.family}.ts`);
		const body =
			`// Generated by scripts/generate-descriptors.js from stripe@${STRIPE_VERSION}. Do not edit.\n` +
			`import type { FamilyDescriptor } from '../../nodes/shared/model/descriptor';\n\n` +
			`export const family: FamilyDescriptor = JSON.parse(${JSON.stringify(json)});\n`;
		fs.writeFileSync(file, body);
		const ops = fam.resources.reduce((n, r) => n + r.operations.length, 0);
		summary.push(`${fam.family}: ${fam.resources.length} resources, ${ops} operations, ${(json.length / 1024).toFixed(0)} KiB`);
	}
	writeEventTypes();
	writeSchemas(families, schemas);
	// Every SDK operation must have a home (or a stated reason in `excluded`).
	if (unmapped.length) throw new Error(`SDK methods missing from descriptors/family-map.json: ${unmapped.join(', ')}`);
	const excluded = Object.keys(FAMILY_MAP.excluded || {});
	console.log(
		`[generate] stripe@${STRIPE_VERSION}: ${table.size} SDK methods, ${table.size - excluded.length} mapped, excluded: ${excluded.join(', ') || 'none'} (${Date.now() - t0} ms)`,
	);
	for (const s of summary) console.log(`[generate]   ${s}`);
	return families;
}

/** --check: the generated descriptors type-check as FamilyDescriptor literals, and nothing scaffolded drifted. */
function check(families) {
	const { execFileSync } = require('child_process');
	const typesFile = path.join(ROOT, 'nodes/shared/model/descriptor.ts').replace(/\.ts$/, '');
	const dir = path.join(OUT_DIR, 'typecheck');
	fs.mkdirSync(dir, { recursive: true });
	const withOps = Object.values(families).filter((f) => f.resources.length);
	for (const fam of withOps) {
		fs.writeFileSync(
			path.join(dir, `${fam.family}.ts`),
			`import type { FamilyDescriptor } from ${JSON.stringify(typesFile)};\nexport const family: FamilyDescriptor = ${JSON.stringify(fam, null, 1)};\n`,
		);
	}
	fs.writeFileSync(
		path.join(dir, 'tsconfig.json'),
		JSON.stringify({
			compilerOptions: { strict: true, noEmit: true, skipLibCheck: true, target: 'es2021', module: 'commonjs', moduleResolution: 'node' },
			include: ['*.ts'],
		}),
	);
	let failed = false;
	try {
		execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(dir, 'tsconfig.json')], { stdio: 'pipe', encoding: 'utf8' });
		console.log(`[generate --check] ${withOps.length} generated descriptors type-check against nodes/shared/model/descriptor.ts`);
	} catch (e) {
		failed = true;
		console.error(
			`[generate --check] generated descriptors do not match nodes/shared/model/descriptor.ts:\n${String(e.stdout || e.message)
				.split('\n')
				.slice(0, 20)
				.join('\n')}`,
		);
	}
	const { renderScaffold, scaffoldDrift } = require('./scaffold-family-nodes');
	const drift = scaffoldDrift(renderScaffold(FAMILY_MAP, (key) => withOps.some((f) => f.family === key)));
	if (drift.length) {
		failed = true;
		console.error(`[generate --check] out of date with the family table: ${drift.join(', ')} (run node scripts/scaffold-family-nodes.js)`);
	} else console.log('[generate --check] node files, codex files and package.json n8n.nodes agree with the family table');
	fs.rmSync(OUT_DIR, { recursive: true, force: true });
	if (failed) process.exit(1);
}

const families = main();
if (CHECK) check(families);
else if (OUT_DIR === path.join(ROOT, 'generated')) {
	// The scaffolded files follow the family table: a new family is one table entry plus `npm run generate`.
	const { renderScaffold, scaffoldDrift, writeScaffold } = require('./scaffold-family-nodes');
	const files = renderScaffold(FAMILY_MAP, (key) => families[key].resources.length > 0);
	const drift = scaffoldDrift(files);
	if (drift.length) {
		writeScaffold(Object.fromEntries(drift.map((rel) => [rel, files[rel]])));
		console.log(`[generate] scaffolded from the family table: ${drift.join(', ')}`);
	}
}
