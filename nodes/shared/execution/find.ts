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
import { callStripe } from '../client/client';
import { answerObject, isPlainObject } from '../client/answers';
import { LIST_PAGE_SIZE, readPages } from '../client/pager';
import type { StripeRequest } from '../client/request';
import { subRequest } from '../client/request';
import type { StripeSettings } from '../client/transport';
import { stripeError } from '../client/transport';
import { checkId } from '../fields/values';
import type { ItemRequest } from './build-request';
import type { Lookup } from './find-lookup';
import { createParamsOf, FINDING, lookupOf } from './find-lookup';

function specOf(built: ItemRequest): FindSpec {
	const spec = built.operation.find;
	if (!spec) throw new Error(`operation ${built.operation.value} has no find description`);
	return spec;
}

/** The item's parameters (the find and create fields). */
function dataOf(built: ItemRequest): Record<string, unknown> {
	return built.request.params ?? {};
}

/** A request for the item's lookup, create or update: the item's options (account, retries, timeout…), another endpoint. */
function call(built: ItemRequest, endpoint: Pick<StripeRequest, 'method' | 'path' | 'params' | 'idempotencyKey'>): StripeRequest {
	return subRequest(built.request, { apiMode: 'v1', ...endpoint });
}

/** Up to `max` matching objects, newest first, paged by the one pager. */
async function found(ctx: IExecuteFunctions, settings: StripeSettings, built: ItemRequest, lookup: Lookup, max: number): Promise<IDataObject[]> {
	if (lookup.kind === 'retrieve') {
		const res = await callStripe(ctx, settings, call(built, { method: 'GET', path: lookup.path }), 'return');
		if (res.statusCode === 404) return [];
		if (res.statusCode >= 400) throw stripeError(ctx, res, built.request.itemIndex);
		const object = answerObject(res.body, `GET ${lookup.path} for item ${built.request.itemIndex}`);
		return object.deleted === true ? [] : [object];
	}
	const out: IDataObject[] = [];
	const where = (page: number) => `GET ${lookup.path} for item ${built.request.itemIndex}${page > 1 ? `, page ${page}` : ''}`;
	const first = call(built, { method: 'GET', path: lookup.path, params: { ...lookup.params, limit: Math.min(LIST_PAGE_SIZE, max) } });
	for await (const rows of readPages(ctx, settings, first, { kind: lookup.kind, where })) {
		out.push(...rows.slice(0, max - out.length));
		if (out.length >= max) break;
	}
	return out;
}

function fail(ctx: IExecuteFunctions, built: ItemRequest, message: string, description?: string): NodeOperationError {
	return new NodeOperationError(ctx.getNode(), message, { itemIndex: built.request.itemIndex, description });
}

/** Find: the matching objects, one item each; the item's choices say what none or several mean. */
export async function runFind(ctx: IExecuteFunctions, settings: StripeSettings, built: ItemRequest): Promise<INodeExecutionData[]> {
	const spec = specOf(built);
	const lookup = lookupOf(spec, dataOf(built));
	const many = String(dataOf(built).if_many ?? 'all');
	const rows = await found(ctx, settings, built, lookup, many === 'all' ? Infinity : many === 'first' ? 1 : 2);
	if (!rows.length && dataOf(built).if_none === 'error') throw fail(ctx, built, `No ${spec.noun} found for item ${built.request.itemIndex}`, lookedUp(lookup));
	if (rows.length > 1 && many === 'error')
		throw fail(
			ctx,
			built,
			`More than one ${spec.noun} found for item ${built.request.itemIndex}`,
			`${lookedUp(lookup)}: ${rows.map((r) => String(r.id)).join(', ')}, …`,
		);
	return rows.map((row) => ({ json: row, pairedItem: { item: built.request.itemIndex } }));
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
export async function runFindOrCreate(ctx: IExecuteFunctions, settings: StripeSettings, built: ItemRequest): Promise<INodeExecutionData[]> {
	const spec = specOf(built);
	const lookup = lookupOf(spec, dataOf(built));
	const params = createParamsOf(lookup, dataOf(built));
	const item = (object: IDataObject, created: boolean): INodeExecutionData[] => [
		{ json: { ...object, _created: created }, pairedItem: { item: built.request.itemIndex } },
	];
	const existing = (await found(ctx, settings, built, lookup, 1))[0];
	if (existing) return item(await updateFound(ctx, settings, built, spec, existing), false);
	const create = call(built, {
		method: 'POST',
		path: spec.collection,
		params,
		idempotencyKey: built.request.idempotencyKey ?? findOrCreateKey(spec, lookup),
	});
	const res = await callStripe(ctx, settings, create, 'return');
	const error = isPlainObject(res.body) && isPlainObject(res.body.error) ? res.body.error : undefined;
	if (res.statusCode === 400 && error?.type === 'idempotency_error') {
		// Another execution created it a moment ago with other create parameters: it is there now.
		const now = (await found(ctx, settings, built, lookup, 1))[0];
		if (now) return item(await updateFound(ctx, settings, built, spec, now), false);
		throw fail(
			ctx,
			built,
			`The ${spec.noun} for item ${built.request.itemIndex} was created in the last 24 hours with other fields, and Stripe's search does not show it yet`,
			'Stripe refused a second create for the same identity with other fields (idempotency_error). Run again in a minute, when search shows it, or set Request Options › Idempotency Key.',
		);
	}
	if (res.statusCode >= 400) throw stripeError(ctx, res, built.request.itemIndex); // Stripe's error, as every operation reports it
	const made = answerObject(res.body, `POST ${spec.collection} for item ${built.request.itemIndex}`);
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
async function updateFound(ctx: IExecuteFunctions, settings: StripeSettings, built: ItemRequest, spec: FindSpec, object: IDataObject): Promise<IDataObject> {
	if (dataOf(built).update_if_found !== true) return object;
	const given = Object.entries(dataOf(built)).filter(([k]) => !FINDING.has(k) && spec.updatable?.includes(k));
	if (!given.length) return object;
	const path = `${spec.collection}/${checkId(object.id, 'id')}`;
	const res = await callStripe(ctx, settings, call(built, { method: 'POST', path, params: Object.fromEntries(given) }), 'throw');
	return answerObject(res.body, `POST ${path} for item ${built.request.itemIndex}`);
}
