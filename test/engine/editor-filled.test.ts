/**
 * Fields filled as a user fills them in the editor (issue 23, point 6): for every operation of every family node
 * that names a stripe-node method, the fields come from the *built* n8n description only, as n8n-workflow's own
 * logic gives them for a new node of the node's default version: NodeHelpers.getNodeParameters (the defaults the
 * editor stores) and NodeHelpers.displayParameter (what it shows). They are filled by n8n property type alone,
 * never by the package's field code, `write`, descriptors or shapes:
 *
 * - the required top-level fields, and up to four optional simple ones under Additional Fields / Filters (the
 *   first of each kind, in the order the collection lists them); a required object shown as a collection gets
 *   the fields its default lists (an address), else up to four; a search's Query is typed (its Conditions
 *   builder, the alternative, is left empty); other shown top-level fields keep what the editor presets, and a
 *   preset text or number (a Checkout mode, a price's billing scheme) is what the user sees and means;
 * - `string` → a realistic text for its name (an ID with Stripe's prefix, an email, …; `sampleValue` of
 *   test/support/samples.ts for a string, which reads only the name; an ID for a path's placeholder; digits
 *   where the help says the field takes integers), a list of texts → one text;
 *   `number` → 3 (within its min/max); `boolean` → true; `options` → the first choice that is not "(Not Set)";
 *   `multiOptions` → that choice alone; `dateTime` → `2025-07-01T12:30:00` (the workflow's time zone is UTC);
 *   `resourceLocator` → `{ __rl: true, mode: 'id', value }` with an ID of the prefix its ID mode's placeholder
 *   shows; a key/value fixed collection (`entries`) → one pair; a fixed collection of one `values` group or a
 *   list of `entry` groups → its members without display conditions filled by the same rules (one entry);
 * - skipped, and counted: JSON fields, a choice between alternatives (a fixed collection of several groups,
 *   a member shown only for another member's value), nested collections, groups deeper than two levels,
 *   multi-options whose choices load at run time, anything else not fillable by type. An operation with a
 *   required field that cannot be filled this way is not sent, and counted. A file upload keeps its preset
 *   binary property name and its input item carries a small text file there (stripe-node: `{ data, name, type }`).
 *   The counts are logged at the end and the last test fails if fewer than 510 are sent.
 *
 * The Stripe parameters the user meant are derived from what was typed by the mapping below (`meant`),
 * independent of the package: a field's `name` is the Stripe parameter's name; a date → the `Date` of that
 * instant (stripe-node sends Unix seconds); a locator → its value; key/value pairs → an object; a `values`
 * group → an object; `entry` groups → an array. Fields named after the path's placeholders (`{customer}` →
 * `customer`, or `customerId` when a body parameter is also called `customer`) are the path arguments; the
 * operation's header parameters (an ephemeral key's API version) are request options; a list's Limit, shown
 * preset to 50, is the `limit` the user sees. stripe-node 17.4.0 is called with them (the descriptor's
 * stripe-node method name; from the descriptor the test takes only the call: method name, path, header
 * parameters, whether the endpoint takes `limit`), the node runs with the filled parameters inside n8n-core, and the two requests
 * captured on one loopback server must be equal: method, path, query and form body (as sets of pairs: Stripe
 * reads them by key), JSON body, content type, Stripe-Version, Stripe-Account/Stripe-Context and whether an
 * Idempotency-Key is sent.
 */
import '../harness/engine';

import assert from 'node:assert/strict';
import nock from 'nock';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import type { INode, INodeParameters, INodeProperties, INodePropertyCollection, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import type { OperationDescriptor } from '../../nodes/shared/model/descriptor';
import { runNode } from '../harness/engine';
import type { CaptureServer, CapturedRequest } from '../support/capture';
import { comparable, startCaptureServer, stripeNodeAt } from '../support/capture';
import { FAMILY_NODES } from '../support/families';
import { asShown } from '../support/panel';
import { sampleValue } from '../support/samples';

nock.restore();

const KEY = 'sk_test_editor_filled';
const ACCOUNT = 'acct_1EditorFilled';
const TYPED_DATE = '2025-07-01T12:30:00';
const TYPED_INSTANT = new Date(`${TYPED_DATE}Z`);
/** n8n-only controls, left as the editor presets them. */
const CONTROLS = new Set(['resource', 'operation', 'specifyParameters', 'returnAll', 'searchMatch', 'requestOptions']);
const MAX_OPTIONAL = 4;
/** The file an upload's input item carries; stripe-node takes it as { data, name, type }. */
const UPLOAD = { fileName: 'receipt-6735.txt', mimeType: 'text/plain', text: 'Receipt for order 6735\n' };

/** What was typed into one field: the stored value and the Stripe value it means, or why it was skipped. */
type Filled = { stored: unknown; meant: unknown } | { skipped: string };

const counts = {
	operations: 0,
	sent: 0,
	matched: 0,
	fieldsFilled: 0,
	optionalFilled: 0,
	notSent: {} as Record<string, number>,
	skipped: {} as Record<string, number>,
	filledTypes: {} as Record<string, number>,
};
const bump = (table: Record<string, number>, k: string) => (table[k] = (table[k] ?? 0) + 1);

function text(name: string, v2: boolean): string {
	if (name === 'apiVersion') return '2020-08-27'; // an ephemeral key's client API version, a date
	return String(sampleValue({ type: 'string' }, name, v2 ? 1 : 0));
}

/** An ID of the prefix a locator's ID mode shows in its placeholder (`cus_…`), else by the field's name. */
function locatorId(p: INodeProperties, v2: boolean): string {
	const idMode = (p.modes ?? []).find((m) => m.name === 'id');
	const prefix = /^([a-z]+(?:_[a-z]+)*)_/.exec(String(idMode?.placeholder ?? ''))?.[1];
	return prefix ? `${prefix}_1EditorFilled7` : text(p.name, v2);
}

/** What a user types into an ID field (a path's placeholder): Stripe's prefix for the name, else `obj_`. */
function idText(name: string): string {
	const t = String(sampleValue({ type: 'string' }, name, 1));
	return /^[a-z]+(_[a-z]+)*_[A-Za-z0-9]+$/.test(t) ? t : `obj_1EditorFilled${name.length}`;
}

function fillScalar(p: INodeProperties, v2: boolean, ids = new Set<string>()): Filled {
	switch (p.type) {
		case 'string': {
			// A field its help says takes whole numbers (microdeposit amounts) gets digits, as a user would type.
			const t = ids.has(p.name) ? idText(p.name) : /\bintegers?\b/i.test(p.description ?? '') ? '32' : text(p.name, v2);
			return p.typeOptions?.multipleValues ? { stored: [t], meant: [t] } : { stored: t, meant: t };
		}
		case 'number': {
			const n = Math.min(Math.max(3, Number(p.typeOptions?.minValue ?? 3)), Number(p.typeOptions?.maxValue ?? 3));
			return { stored: n, meant: n };
		}
		case 'boolean':
			return { stored: true, meant: true };
		case 'options':
		case 'multiOptions': {
			const choice = (p.options ?? []).map((o) => (o as { value: unknown }).value).find((v) => v !== '' && v !== undefined);
			if (choice === undefined) return { skipped: `${p.type} without choices` };
			return p.type === 'options' ? { stored: choice, meant: choice } : { stored: [choice], meant: [choice] };
		}
		case 'dateTime':
			return { stored: TYPED_DATE, meant: TYPED_INSTANT };
		case 'resourceLocator': {
			const value = locatorId(p, v2);
			return { stored: { __rl: true, mode: 'id', value }, meant: value };
		}
		default:
			return { skipped: p.type };
	}
}

/** A fixed collection's members without display conditions, filled; undefined when a required one cannot be. */
function fillGroup(values: INodeProperties[], v2: boolean, depth: number): { stored: Record<string, unknown>; meant: Record<string, unknown> } | undefined {
	const stored: Record<string, unknown> = {};
	const meant: Record<string, unknown> = {};
	for (const m of values) {
		if (m.displayOptions) continue;
		// Groups inside groups are filled two levels deep (a cart's line items, an event's payload pairs).
		const f = m.type === 'fixedCollection' && depth >= 2 ? { skipped: 'fixedCollection deeper than two levels' } : fill(m, v2, undefined, depth + 1);
		if ('skipped' in f) {
			bump(counts.skipped, `member: ${f.skipped}`);
			if (m.required) return undefined;
			continue;
		}
		stored[m.name] = f.stored;
		meant[m.name] = f.meant;
	}
	return Object.keys(stored).length ? { stored, meant } : undefined;
}

function fill(p: INodeProperties, v2: boolean, ids?: Set<string>, depth = 0): Filled {
	if (p.type === 'json') return { skipped: 'json' };
	if (p.type === 'collection') return { skipped: 'nested collection' };
	if (p.type !== 'fixedCollection') return fillScalar(p, v2, ids);
	const groups = (p.options ?? []) as INodePropertyCollection[];
	if (groups.length !== 1) return { skipped: 'choice between alternatives' };
	const [g] = groups;
	const names = g.values.map((v) => v.name).sort();
	if (g.name === 'entries' && names.join() === 'key,value') return { stored: { entries: [{ key: 'order_id', value: '6735' }] }, meant: { order_id: '6735' } };
	const group = fillGroup(g.values, v2, depth);
	if (!group) return { skipped: 'group with a required member not fillable by type' };
	if (g.name === 'values') return { stored: { values: group.stored }, meant: group.meant };
	if (g.name === 'entry') return { stored: { entry: [group.stored] }, meant: [group.meant] };
	return { skipped: `fixed collection group "${g.name}"` };
}

/** What the test knows of the call besides the fields: v1 or v2, the path's placeholders, whether Stripe pages it with `limit`. */
interface Call {
	v2: boolean;
	ids: Set<string>;
	takesLimit: boolean;
}

/** Up to MAX_OPTIONAL fields of a collection, the first of each kind in the order it lists them. */
function pickSome(p: INodeProperties, v2: boolean, label: string) {
	const stored: Record<string, unknown> = {};
	const meant: Record<string, unknown> = {};
	const kinds = new Set<string>();
	const types: string[] = [];
	// A collection whose default lists fields shows them all (an address): the user fills each of them.
	const preset = Object.keys((p.default ?? {}) as object);
	for (const o of (p.options ?? []) as INodeProperties[]) {
		if (preset.length && !preset.includes(o.name)) continue;
		const f = fill(o, v2);
		if ('skipped' in f) {
			bump(counts.skipped, `${label}: ${f.skipped}`);
			continue;
		}
		const kind = preset.length ? o.name : o.type === 'string' && o.typeOptions?.multipleValues ? 'string list' : o.type;
		if (kinds.has(kind) || (!preset.length && kinds.size >= MAX_OPTIONAL)) continue;
		kinds.add(kind);
		types.push(o.type);
		stored[o.name] = f.stored;
		meant[o.name] = f.meant;
	}
	return { stored, meant, count: kinds.size, types };
}

interface EditorCase {
	parameters: INodeParameters;
	params: Record<string, unknown>;
	optional: number;
	filled: number;
	/** The n8n property type of every field filled. */
	types: string[];
	/** The input item's file, for an upload. */
	binary?: { property: string; fileName: string; mimeType: string; text: string };
}

/** The fields the editor shows for a new node at (resource, operation), filled as above; a reason when it cannot be. */
function editorCase(description: INodeTypeDescription, resource: string, operation: string, call: Call): EditorCase | string {
	const { v2, ids, takesLimit } = call;
	const props = description.properties;
	const version = description.defaultVersion ?? (Array.isArray(description.version) ? Math.max(...description.version) : description.version);
	const node = { name: 'Stripe', type: description.name, typeVersion: version, parameters: {} } as unknown as INode;
	const parameters = NodeHelpers.getNodeParameters(props, { resource, operation }, true, false, node, description)!;
	const shown = props.filter((p) => NodeHelpers.displayParameter(parameters, p, node, description, parameters));
	const params: Record<string, unknown> = {};
	let optional = 0;
	let filled = 0;
	const types: string[] = [];
	let binary: EditorCase['binary'];
	for (const p of shown) {
		if (CONTROLS.has(p.name) || p.type === 'notice') continue;
		if (p.type === 'collection' && (p.name === 'additionalFields' || p.name === 'filters')) {
			// The members the editor offers for this operation (shared collections hold other operations' too).
			const some = pickSome(asShown(p, parameters), v2, 'optional');
			parameters[p.name] = some.stored as never;
			Object.assign(params, some.meant);
			optional += some.count;
			types.push(...some.types);
			continue;
		}
		if (p.type === 'collection' && p.required) {
			// A required object shown as a collection: a few of its fields, added as a user adds them.
			const some = pickSome(p, v2, 'member');
			if (!some.count) return 'required collection with no field fillable by type';
			parameters[p.name] = some.stored as never;
			params[p.name] = some.meant;
			filled += some.count;
			types.push(...some.types);
			continue;
		}
		if (p.name === 'limit') {
			if (takesLimit) params.limit = parameters.limit; // shown preset to 50; Stripe's page size where the endpoint has one
			continue;
		}
		if (p.type === 'string' && /binary/i.test(p.displayName)) {
			// A file upload: the preset binary property name is kept, and the input item carries a file under it.
			const property = String(parameters[p.name] || 'data');
			binary = { property, ...UPLOAD };
			params[p.name] = { data: Buffer.from(UPLOAD.text), name: UPLOAD.fileName, type: UPLOAD.mimeType };
			filled++;
			types.push('binary property name');
			continue;
		}
		if (p.name === 'searchConditions') {
			bump(counts.skipped, 'search conditions (Query typed instead)');
			continue;
		}
		// A search's Query: the alternative to Conditions a user who knows the search language types.
		const typed = p.required || (p.name === 'query' && 'searchConditions' in parameters);
		if (!typed) {
			// What the editor shows preset (a mode, a scheme) is what the user sees and means.
			const v = parameters[p.name];
			if ((typeof v === 'string' && v !== '') || typeof v === 'number') params[p.name] = v;
			continue;
		}
		const f = fill(p, v2, ids);
		if ('skipped' in f) {
			bump(counts.skipped, `required: ${f.skipped}`);
			return `required ${f.skipped}`;
		}
		parameters[p.name] = f.stored as never;
		params[p.name] = f.meant;
		filled++;
		types.push(p.type);
	}
	return { parameters, params, optional, filled, types, binary };
}

/** A request compared as Stripe reads it: query and form bodies as sorted pairs (their order carries nothing). */
function asRead(req: CapturedRequest) {
	const c = comparable(req);
	const [path, query] = c.url.split('?');
	const pairs = (s: string | undefined) => (s ? s.split('&').sort() : []);
	const form = c.contentType.startsWith('application/x-www-form-urlencoded');
	return { ...c, url: path, query: pairs(query), body: form ? pairs(String(c.body)) : c.body };
}

function sdkMethod(client: Record<string, unknown>, sdkPath: string): (...args: unknown[]) => Promise<unknown> {
	const parts = sdkPath.split('.');
	const target = parts.slice(0, -1).reduce((o, k) => o[k] as Record<string, unknown>, client);
	const fn = target[parts[parts.length - 1]] as (...args: unknown[]) => Promise<unknown>;
	assert.equal(typeof fn, 'function', `stripe-node has no method ${sdkPath}`);
	return fn.bind(target);
}

function answer(r: CapturedRequest): { status: number; body: unknown } {
	const path = r.url.split('?')[0];
	if (r.method === 'GET' && path.startsWith('/v2/'))
		return { status: 200, body: { id: 'obj_123', object: 'thing', data: [], next_page_url: null, previous_page_url: null } };
	if (path.endsWith('/search')) return { status: 200, body: { object: 'search_result', data: [], has_more: false, next_page: null, url: path } };
	if (path.endsWith('/meter_event_session'))
		return { status: 200, body: { authentication_token: 'mes_token_1', expires_at: '2099-01-01T00:00:00.000Z', object: 'v2.billing.meter_event_session' } };
	return { status: 200, body: { id: 'obj_123', object: 'list', data: [], has_more: false, url: path } };
}

/** The stripe-node call for what was meant: the path's placeholders take the fields named after them; header parameters are request options. */
function sdkCall(op: OperationDescriptor, meant: Record<string, unknown>, placeholders: string[]) {
	const params = { ...meant };
	const pathArgs: unknown[] = [];
	for (const name of placeholders) {
		const field = `${name}Id` in params && op.params.some((p) => p.name === name) ? `${name}Id` : name;
		assert.ok(field in params, `${op.path}: no filled field for the path's {${name}}`);
		pathArgs.push(params[field]);
		delete params[field];
	}
	const options: Record<string, unknown> = { host: '127.0.0.1', [op.apiMode === 'v2' ? 'stripeContext' : 'stripeAccount']: ACCOUNT };
	for (const h of op.headerParams ?? []) {
		if (h.name in params) options[h.name] = params[h.name];
		delete params[h.name];
	}
	return [...pathArgs, params, options];
}

/** One operation filled, sent by stripe-node and by the node; what differs (undefined when the two requests are equal or it was not sent). */
async function compareOperation(server: CaptureServer, nodeType: INodeType, resource: string, op: OperationDescriptor): Promise<string | undefined> {
	counts.operations++;
	const where = `${resource}.${op.value} (${op.method} ${op.path})`;
	const placeholders = [...op.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
	const ids = new Set(placeholders.flatMap((n) => [n, `${n}Id`]));
	const takesLimit = op.params.some((p) => p.name === 'limit');
	const c = editorCase(nodeType.description, resource, op.value, { v2: op.apiMode === 'v2', ids, takesLimit });
	if (typeof c === 'string') {
		bump(counts.notSent, c);
		return undefined;
	}
	server.requests.length = 0;
	try {
		await sdkMethod(stripeNodeAt(server.url, KEY), op.sdk!)(...sdkCall(op, c.params, placeholders));
	} catch (e) {
		return `${where}: stripe-node failed: ${(e as Error).message}`;
	}
	const result = await runNode({
		nodeType,
		parameters: c.parameters,
		settings: { timezone: 'UTC' },
		inputItems: [
			c.binary
				? { json: {}, binary: { [c.binary.property]: { content: Buffer.from(c.binary.text), fileName: c.binary.fileName, mimeType: c.binary.mimeType } } }
				: { json: {} },
		],
		credentials: { stripeKeyApi: { secretKey: KEY, stripeAccount: ACCOUNT, apiVersion: '2024-11-20.acacia', baseUrl: server.url } },
	});
	counts.sent++;
	counts.fieldsFilled += c.filled + c.optional;
	counts.optionalFilled += c.optional;
	for (const t of c.types) bump(counts.filledTypes, t);
	if (result.nodeError) return `${where}: node failed: ${result.nodeError.message} ${result.nodeError.description ?? ''}`;
	// Send Events first gets a meter event session token with the key (stripe-node leaves that to the caller).
	const sent = server.requests.filter((r, i) => !(op.auth === 'meterEventSession' && i > 0 && r.url === '/v2/billing/meter_event_session'));
	try {
		assert.equal(sent.length, 2, 'each side sends exactly one request');
		const [sdk, ours] = sent.map(asRead);
		assert.deepEqual(ours, sdk);
		counts.matched++;
		return undefined;
	} catch (e) {
		return `${where} ${JSON.stringify(c.parameters)}: ${(e as Error).message.slice(0, 1500)}`;
	}
}

for (const { family, nodeType } of FAMILY_NODES) {
	if (!family.resources.some((r) => r.operations.some((op) => op.sdk))) continue;
	describe(`fields filled as in the editor vs stripe@17.4.0: ${family.displayName}`, () => {
		let server: CaptureServer;
		beforeAll(async () => {
			server = await startCaptureServer(answer);
		});
		afterAll(async () => server.close());

		it('every operation with a stripe-node method, its shown fields filled by type', async () => {
			const failures: string[] = [];
			for (const resource of family.resources)
				for (const op of resource.operations) {
					if (!op.sdk) continue;
					const failure = await compareOperation(server, nodeType, resource.value, op);
					if (failure) failures.push(failure);
				}
			assert.deepEqual(failures, []);
		});
	});
}

describe('fields filled as in the editor: coverage', () => {
	// Runs after the families (jest runs a file's tests in order): a change that skips operations shows here.
	it('sends at least 510 of the 524 operations with a stripe-node method, all matching', () => {
		assert.ok(counts.operations >= 524, `${counts.operations} operations`);
		assert.ok(counts.sent >= 510, `${counts.sent} sent; not sent: ${JSON.stringify(counts.notSent)}`);
		assert.equal(counts.matched, counts.sent);
	});
});

afterAll(() => {
	console.log(
		`editor-filled: ${counts.matched}/${counts.sent} sent operations matched stripe@17.4.0 (of ${counts.operations} with a stripe-node method); ` +
			`${counts.fieldsFilled} fields filled (${counts.optionalFilled} optional; by type ${JSON.stringify(counts.filledTypes)}); not sent: ${JSON.stringify(counts.notSent)}; skipped kinds: ${JSON.stringify(counts.skipped)}`,
	);
});
