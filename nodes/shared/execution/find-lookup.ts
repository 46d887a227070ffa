/**
 * How a Find or Find or Create item's object is found (its `find_by` and values) and what its create sends:
 * read and checked while the item's request is built (build-request.ts), before anything is sent; run by
 * find.ts.
 */
import type { FindSpec } from '../model/descriptor';
import { isPlainObject } from '../client/answers';
import { metadataClause } from '../fields/search';
import { checkId, ParamError } from '../fields/values';

/** Parameters that say how to find (and what to do with the result); the others are create parameters. */
export const FINDING = new Set([
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

export interface Lookup {
	kind: 'list' | 'search' | 'retrieve';
	path: string;
	params: Record<string, unknown>;
	/** The identity, for the create's Idempotency-Key and the create's own parameters. */
	identity: unknown[];
	createParams: Record<string, unknown>;
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
