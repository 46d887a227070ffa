/**
 * Find and Find or Create (issue 24): operations described as data (descriptor `find`, kinds `find` and
 * `findOrCreate`, descriptors/hand-authored/*.json), dispatched by special-operations.ts. Every request goes
 * through the one client and, for lists and searches, the one pager.
 *
 * How an object is found, by the item's `find_by`:
 * - `email`: the customers list filter `email` (exact and case-sensitive; up to date at once);
 * - `lookup_key`: the prices list filter `lookup_keys[]` (up to date at once);
 * - `id`: a retrieve (404 or a deleted object: not found);
 * - `metadata`: a search, `metadata["key"]:"value"` (Stripe's search lags writes by up to a minute);
 * - none (subscriptions): the list filtered by `customer` and `status`.
 *
 * Find or Create creates when nothing is found, with an Idempotency-Key derived from the identity alone
 * (collection, `find_by`, the identifying values), so two executions at the same moment make one object:
 * Stripe answers the second create with the first one's answer (`Idempotent-Replayed`), or, when the second
 * sent other create parameters, with a 400 `idempotency_error`, after which the node finds the first one's
 * object again. The key being the identity's, Stripe also answers a create with the object made for the same
 * identity in the last 24 hours when a search has not caught up yet; a replayed object is read again (its
 * current state), and one deleted since is an error rather than a silent reuse.
 */
import { createHash } from 'node:crypto';
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { FindSpec } from '../model/descriptor';
import type { StripeCall } from '../client/client';
import { callStripe } from '../client/client';
import { answerObject, isPlainObject } from '../client/answers';
import type { PageStep } from '../client/pager';
import { LIST_PAGE_SIZE, pages } from '../client/pager';
import type { StripeSettings } from '../client/transport';
import { stripeError } from '../client/transport';
import { metadataClause } from '../fields/search';
import { checkId, ParamError } from '../fields/values';
import type { BuiltRequest } from './executor';

/** Parameters that say how to find (and what to do with the result); the others are create parameters. */
const FINDING = new Set([
	'find_by',
	'email',
	'lookup_key',
	'metadata_key',
	'metadata_value',
	'object_id',
	'customer',
	'status',
	'if_none',
	'if_many',
	'update_if_found',
]);

interface Lookup {
	kind: 'list' | 'search' | 'retrieve';
	path: string;
	params: Record<string, unknown>;
	/** The identity, for the create's Idempotency-Key and the create's own parameters. */
	identity: unknown[];
	createParams: Record<string, unknown>;
}

function specOf(built: BuiltRequest): FindSpec {
	const spec = built.operation.find;
	if (!spec) throw new Error(`operation ${built.operation.value} has no find description`);
	return spec;
}

/** How the item's object is found; throws ParamError for values that cannot be sent (checked before sending). */
export function lookupOf(spec: FindSpec, data: Record<string, unknown>): Lookup {
	const by = String(data.find_by ?? '');
	const text = (name: string, label: string) => {
		const value = String(data[name] ?? '');
		if (value.trim() === '') throw new ParamError(`"${label}" (${name})`, 'is required');
		return value;
	};
	if (by === 'email') {
		const email = text('email', 'Email');
		return { kind: 'list', path: spec.collection, params: { email }, identity: [by, email], createParams: { email } };
	}
	if (by === 'lookup_key') {
		const key = text('lookup_key', 'Lookup Key');
		return { kind: 'list', path: spec.collection, params: { lookup_keys: [key] }, identity: [by, key], createParams: { lookup_key: key } };
	}
	if (by === 'id') {
		const id = checkId(text('object_id', 'ID'), '"ID" (object_id)');
		return { kind: 'retrieve', path: `${spec.collection}/${id}`, params: {}, identity: [by, id], createParams: { id } };
	}
	if (by === 'metadata') {
		const key = text('metadata_key', 'Metadata Key');
		const value = text('metadata_value', 'Metadata Value');
		const query = metadataClause(key, value, '"Metadata Key" (metadata_key)', '"Metadata Value" (metadata_value)');
		return { kind: 'search', path: `${spec.collection}/search`, params: { query }, identity: [by, key, value], createParams: { metadata: { [key]: value } } };
	}
	const customer = text('customer', 'Customer');
	const status = data.status === undefined ? {} : { status: data.status };
	return { kind: 'list', path: spec.collection, params: { customer, ...status }, identity: [customer], createParams: {} };
}

/** The create parameters of an item: everything but the finding ones, with the identity's; never in conflict. */
export function createParamsOf(lookup: Lookup, data: Record<string, unknown>): Record<string, unknown> {
	const given = Object.fromEntries(Object.entries(data).filter(([k]) => !FINDING.has(k)));
	const own = lookup.createParams.metadata as Record<string, string> | undefined;
	if (own && isPlainObject(given.metadata)) {
		for (const [k, v] of Object.entries(own))
			if (k in given.metadata && given.metadata[k] !== v)
				throw new ParamError('"Metadata" (metadata)', `sets "${k}" to "${String(given.metadata[k])}", but the object is found by ${k} = "${v}"`);
	}
	return { ...lookup.createParams, ...given, ...(own ? { metadata: { ...(given.metadata as object), ...own } } : {}) };
}

/** Everything checked before anything is sent (called by the executor while it builds the item). */
export function checkFind(spec: FindSpec, data: Record<string, unknown>): void {
	createParamsOf(lookupOf(spec, data), data);
}

function baseCall(built: BuiltRequest): Omit<StripeCall, 'method' | 'path'> {
	return {
		apiMode: 'v1',
		stripeAccount: built.stripeAccount,
		maxRetries: built.maxRetries,
		itemIndex: built.itemIndex,
		timeoutMs: built.timeoutMs,
		idempotencyScope: built.idempotencyScope,
	};
}

/** Up to `max` matching objects, newest first, paged by the one pager. */
async function found(ctx: IExecuteFunctions, settings: StripeSettings, built: BuiltRequest, lookup: Lookup, max: number): Promise<IDataObject[]> {
	if (lookup.kind === 'retrieve') {
		const res = await callStripe(ctx, settings, { ...baseCall(built), method: 'GET', path: lookup.path }, 'return');
		if (res.statusCode === 404) return [];
		if (res.statusCode >= 400) throw stripeError(ctx, res, built.itemIndex);
		const object = answerObject(res.body, `GET ${lookup.path} for item ${built.itemIndex}`);
		return object.deleted === true ? [] : [object];
	}
	const out: IDataObject[] = [];
	const where = (page: number) => `GET ${lookup.path} for item ${built.itemIndex}${page > 1 ? `, page ${page}` : ''}`;
	const fetchPage = async (step: PageStep | undefined) => {
		const limit = Math.min(LIST_PAGE_SIZE, max - out.length);
		const params = { ...lookup.params, ...(step && 'params' in step ? step.params : {}), limit };
		return (await callStripe(ctx, settings, { ...baseCall(built), method: 'GET', path: lookup.path, params }, 'throw')).body;
	};
	for await (const rows of pages(fetchPage, { kind: lookup.kind, where })) {
		out.push(...rows.slice(0, max - out.length));
		if (out.length >= max) break;
	}
	return out;
}

function fail(ctx: IExecuteFunctions, built: BuiltRequest, message: string, description?: string): NodeOperationError {
	return new NodeOperationError(ctx.getNode(), message, { itemIndex: built.itemIndex, description });
}

/** Find: the matching objects, one item each; the item's choices say what none or several mean. */
export async function runFind(ctx: IExecuteFunctions, settings: StripeSettings, built: BuiltRequest): Promise<INodeExecutionData[]> {
	const spec = specOf(built);
	const lookup = lookupOf(spec, built.data);
	const many = String(built.data.if_many ?? 'all');
	const rows = await found(ctx, settings, built, lookup, many === 'all' ? Infinity : many === 'first' ? 1 : 2);
	if (!rows.length && built.data.if_none === 'error') throw fail(ctx, built, `No ${spec.noun} found for item ${built.itemIndex}`, lookedUp(lookup));
	if (rows.length > 1 && many === 'error')
		throw fail(
			ctx,
			built,
			`More than one ${spec.noun} found for item ${built.itemIndex}`,
			`${lookedUp(lookup)}: ${rows.map((r) => String(r.id)).join(', ')}, …`,
		);
	return rows.map((row) => ({ json: row, pairedItem: { item: built.itemIndex } }));
}

function lookedUp(lookup: Lookup): string {
	return `Looked up with GET ${lookup.path}${Object.keys(lookup.params).length ? ` ${JSON.stringify(lookup.params)}` : ''}`;
}

/** The create's Idempotency-Key: a digest of the collection and the identity (or the user's own key). */
export function findOrCreateKey(spec: FindSpec, lookup: Lookup): string {
	return `n8n-find-or-create-${createHash('sha256')
		.update(JSON.stringify([spec.collection, ...lookup.identity]))
		.digest('hex')}`;
}

/** Find or Create: the object found (updated if asked) or created, with `_created`. */
export async function runFindOrCreate(ctx: IExecuteFunctions, settings: StripeSettings, built: BuiltRequest): Promise<INodeExecutionData[]> {
	const spec = specOf(built);
	const lookup = lookupOf(spec, built.data);
	const params = createParamsOf(lookup, built.data);
	const item = (object: IDataObject, created: boolean): INodeExecutionData[] => [
		{ json: { ...object, _created: created }, pairedItem: { item: built.itemIndex } },
	];
	const existing = (await found(ctx, settings, built, lookup, 1))[0];
	if (existing) return item(await updateFound(ctx, settings, built, spec, existing), false);
	const create: StripeCall = {
		...baseCall(built),
		method: 'POST',
		path: spec.collection,
		params,
		idempotencyKey: built.idempotencyKey ?? findOrCreateKey(spec, lookup),
	};
	const res = await callStripe(ctx, settings, create, 'return');
	const error = isPlainObject(res.body) && isPlainObject(res.body.error) ? res.body.error : undefined;
	if (res.statusCode === 400 && error?.type === 'idempotency_error') {
		// Another execution created it a moment ago with other create parameters: it is there now.
		const now = (await found(ctx, settings, built, lookup, 1))[0];
		if (now) return item(await updateFound(ctx, settings, built, spec, now), false);
		throw fail(
			ctx,
			built,
			`The ${spec.noun} for item ${built.itemIndex} was created in the last 24 hours with other fields, and Stripe's search does not show it yet`,
			'Stripe refused a second create for the same identity with other fields (idempotency_error). Run again in a minute, when search shows it, or set Request Options › Idempotency Key.',
		);
	}
	if (res.statusCode >= 400) throw stripeError(ctx, res, built.itemIndex); // Stripe's error, as every operation reports it
	const made = answerObject(res.body, `POST ${spec.collection} for item ${built.itemIndex}`);
	if (String(res.headers['idempotent-replayed']) !== 'true') return item(made, true);
	// Stripe answered with an earlier create for the same identity: the object as it is now.
	const again = await found(ctx, settings, built, { ...lookup, kind: 'retrieve', path: `${spec.collection}/${checkId(made.id, 'id')}` }, 1);
	if (!again.length)
		throw fail(
			ctx,
			built,
			`The ${spec.noun} created for this identity in the last 24 hours (${String(made.id)}) has been deleted`,
			'Stripe answers a create with the same Idempotency-Key with that object for 24 hours. To create a new one now, set Request Options › Idempotency Key.',
		);
	return item(await updateFound(ctx, settings, built, spec, again[0]), false);
}

/** Update If Found: the found object updated with the given fields Stripe lets you change (the spec's `updatable`). */
async function updateFound(ctx: IExecuteFunctions, settings: StripeSettings, built: BuiltRequest, spec: FindSpec, object: IDataObject): Promise<IDataObject> {
	if (built.data.update_if_found !== true) return object;
	const given = Object.entries(built.data).filter(([k]) => !FINDING.has(k) && spec.updatable?.includes(k));
	if (!given.length) return object;
	const path = `${spec.collection}/${checkId(object.id, 'id')}`;
	const res = await callStripe(ctx, settings, { ...baseCall(built), method: 'POST', path, params: Object.fromEntries(given) }, 'throw');
	return answerObject(res.body, `POST ${path} for item ${built.itemIndex}`);
}
