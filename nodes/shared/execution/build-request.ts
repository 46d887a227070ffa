/**
 * An item's node parameters → its request (client/request.ts), read and checked before anything is sent.
 * Each step reads one part of the item (the operation, the path, the header parameters, the body parameters,
 * paging, Request Options); a bad value throws a ParamError naming the field, which `buildRequest` turns into
 * an error naming the item.
 */
import type { IDataObject, IExecuteFunctions, INodeParameters } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { FamilyDescriptor, OperationDescriptor } from '../model/descriptor';
import { interpolatePath } from '../client/encoding';
import { canSplit, splitsByCreated } from '../client/pager';
import type { StripeRequest } from '../client/request';
import { DEFAULT_TIMEOUT_MS, isAccountId, RETRY, unsendableHeaderValue } from '../client/transport';
import {
	ADDITIONAL_FIELDS,
	findOperation,
	INPUT_MODE,
	isPaged,
	JSON_PARAMETERS,
	jsonParams,
	labelOf,
	optionalParams,
	pathFieldName,
	READ_IN_PARALLEL,
	REQUEST_OPTIONS,
	requiredParams,
} from '../fields/properties';
import { CUSTOM_API_CALL_VALUES, customOperation, readCustomCall } from '../fields/custom-call';
import { readSearchQuery, searchFieldsOf } from '../fields/search';
import { isEmpty, isShown, isUnset, read, readJsonParameters, shapeKind } from '../fields/shapes';
import { checkId, ParamError } from '../fields/values';
import { parallelRequests } from './concurrency';
import { toNodeError } from './errors';
import { checkFind } from './find-lookup';

/** One item's request, and how the item reads its answer. */
export interface ItemRequest {
	operation: OperationDescriptor;
	/** The request: endpoint, parameters (files included) and every option; every further call of the item is derived from it. */
	request: StripeRequest & { itemIndex: number };
	returnAll: boolean;
	limit: number;
	/**
	 * Return All in ranges of creation time (pager.ts readInRanges): set when the operation and the parameters
	 * allow it and Read in Parallel is on; `fixed`: pages in flight from Parallel Requests (undefined: automatic).
	 */
	split?: { fixed?: number };
}

type File = { data: Buffer; name?: string; type?: string };

/** The parameter names of an operation in the order the Stripe typings declare them (cached per operation). */
const paramOrders = new WeakMap<OperationDescriptor, readonly string[]>();
function paramOrder(op: OperationDescriptor): readonly string[] {
	let order = paramOrders.get(op);
	if (!order) paramOrders.set(op, (order = op.params.map((p) => p.name)));
	return order;
}

/**
 * Where this item's generated idempotency keys come from: execution, node, run index (n8n's Retry On Fail
 * runs the node again with the same run index; a loop gives each pass another) and item.
 */
const scopes = new WeakMap<IExecuteFunctions, string | undefined>();
function idempotencyScope(ctx: IExecuteFunctions, itemIndex: number): string | undefined {
	if (!scopes.has(ctx)) {
		let scope: string | undefined;
		try {
			const executionId = ctx.getExecutionId();
			const runIndex: unknown = ctx.getWorkflowDataProxy(0).$runIndex;
			const node = ctx.getNode();
			if (executionId && typeof runIndex === 'number') scope = JSON.stringify([ctx.getWorkflow().id ?? '', executionId, node.id ?? node.name, runIndex]);
		} catch {
			scope = undefined;
		}
		scopes.set(ctx, scope);
	}
	const scope = scopes.get(ctx);
	return scope === undefined ? undefined : `${scope}#${itemIndex}`;
}

/** Whether the item is a Custom API Call (ours, or n8n's value in saved workflows: fields/custom-call.ts). */
function isCustomCall(ctx: IExecuteFunctions, itemIndex: number): boolean {
	const values = [ctx.getNodeParameter('resource', itemIndex), ctx.getNodeParameter('operation', itemIndex)];
	return values.some((v) => CUSTOM_API_CALL_VALUES.includes(v as string));
}

/** The item's Resource and Operation as an operation of the family. */
function itemOperation(ctx: IExecuteFunctions, family: FamilyDescriptor, itemIndex: number): OperationDescriptor {
	const resourceValue = ctx.getNodeParameter('resource', itemIndex) as string;
	const operationValue = ctx.getNodeParameter('operation', itemIndex) as string;
	const found = findOperation(family, resourceValue, operationValue);
	if (found) return found.operation;
	throw new NodeOperationError(ctx.getNode(), `Unknown operation "${operationValue}" for resource "${resourceValue}"`, { itemIndex });
}

/** The path with its path parameters (IDs) filled in. */
function readPath(ctx: IExecuteFunctions, op: OperationDescriptor, itemIndex: number): string {
	const pathValues: Record<string, string> = {};
	for (const p of op.pathParams) {
		const name = pathFieldName(op, p.name);
		pathValues[p.name] = checkId(ctx.getNodeParameter(name, itemIndex, ''), `"${labelOf(name)}" (${name})`);
	}
	return interpolatePath(op.path, pathValues);
}

/** The operation's header parameters (undefined: none given). */
function readHeaders(ctx: IExecuteFunctions, op: OperationDescriptor, itemIndex: number): Record<string, string> | undefined {
	const headers: Record<string, string> = {};
	for (const p of op.headerParams ?? []) {
		const value = String(ctx.getNodeParameter(p.name, itemIndex, '') ?? '').trim();
		if (value === '' && p.required) throw new ParamError(`"${labelOf(p.name)}" (${p.name})`, 'is required');
		const unsendable = unsendableHeaderValue(value);
		if (unsendable) throw new ParamError(`"${labelOf(p.name)}" (${p.name})`, unsendable);
		if (value !== '') headers[p.header] = value;
	}
	return Object.keys(headers).length ? headers : undefined;
}

/** A binary parameter: the input item's binary property it names, as a file. */
async function readFile(ctx: IExecuteFunctions, name: string, itemIndex: number, given?: string): Promise<File> {
	const property = given ?? String(ctx.getNodeParameter(name, itemIndex, 'data'));
	const binary = ctx.getInputData()[itemIndex]?.binary?.[property];
	if (!binary) throw new ParamError(`"Input Binary Field" (${name})`, `the input item has no binary property "${property}"`);
	const buffer = await ctx.helpers.getBinaryDataBuffer(itemIndex, property);
	return { data: buffer, name: binary.fileName ?? 'file', type: binary.mimeType || 'application/octet-stream' };
}

/**
 * The body and query parameters: the operation's own fields (files from binary data), then its Additional
 * Fields, or its JSON Parameters in JSON mode.
 */
async function readParams(
	ctx: IExecuteFunctions,
	op: OperationDescriptor,
	itemIndex: number,
): Promise<{ data: Record<string, unknown>; files: Record<string, File> }> {
	const data: Record<string, unknown> = {};
	const files: Record<string, File> = {};
	// Dates without a time zone are read in the workflow's (its settings, else the instance's GENERIC_TIMEZONE).
	const zone = ctx.getTimezone();
	const valueOf = (name: string) => ctx.getNodeParameter(name, itemIndex, '');
	const mode = jsonParams(op).length ? (ctx.getNodeParameter(INPUT_MODE, itemIndex, 'fields') as string) : 'fields';
	for (const p of requiredParams(op)) {
		if (!isShown(p, valueOf)) continue;
		if (shapeKind(p) === 'binary') {
			files[p.name] = await readFile(ctx, p.name, itemIndex);
			continue;
		}
		if (mode === 'json') continue;
		const searchable = p.name === 'query' ? searchFieldsOf(op) : undefined;
		if (searchable) {
			data.query = readSearchQuery(searchable, valueOf, zone); // the raw Query, or the one built from Conditions
			continue;
		}
		const raw = ctx.getNodeParameter(p.name, itemIndex, undefined);
		if (isEmpty(raw)) {
			if (p.required) throw new ParamError(`"${labelOf(p.name)}" (${p.name})`, 'is required');
			continue; // a promoted parameter left empty is not sent
		}
		data[p.name] = read(raw, p, p.name, 0, zone);
	}
	if (mode === 'json') Object.assign(data, readJsonParameters(jsonParams(op), op.name, isPaged(op), ctx.getNodeParameter(JSON_PARAMETERS, itemIndex, '{}')));
	else {
		const additional = ctx.getNodeParameter(ADDITIONAL_FIELDS, itemIndex, {}) as INodeParameters;
		const optional = optionalParams(op);
		for (const [name, raw] of Object.entries(additional)) {
			const schema = optional.find((p) => p.name === name);
			if (!schema) throw new ParamError(`"${labelOf(name)}" (${name})`, `is not a parameter of ${op.name}`);
			if (isUnset(raw, schema)) continue; // a dropdown left at "(Not Set)"
			data[name] = read(raw, schema, name, 0, zone);
		}
	}
	return { data, files };
}

/** Return All and Limit of a paged operation. */
function readPaging(ctx: IExecuteFunctions, op: OperationDescriptor, itemIndex: number): { returnAll: boolean; limit: number } {
	if (!isPaged(op)) return { returnAll: false, limit: 0 };
	const returnAll = ctx.getNodeParameter('returnAll', itemIndex, false) as boolean;
	if (returnAll) return { returnAll, limit: 0 };
	const limit = Number(ctx.getNodeParameter('limit', itemIndex, 50));
	if (!Number.isInteger(limit) || limit < 1) throw new ParamError('"Limit" (limit)', `must be a whole number of at least 1, got ${limit}`);
	return { returnAll, limit };
}

/** Request Options → the request's options. */
function readRequestOptions(options: IDataObject): Pick<StripeRequest, 'stripeAccount' | 'maxRetries' | 'idempotencyKey' | 'timeoutMs'> {
	let stripeAccount: string | undefined;
	if (options.stripeAccount) {
		stripeAccount = String(options.stripeAccount).trim();
		if (!isAccountId(stripeAccount)) throw new ParamError('"Connected Account" (stripeAccount)', `"${stripeAccount}" is not an account ID (acct_…)`);
	}
	const maxRetries = options.maxRetries === undefined ? RETRY.defaultMaxRetries : Number(options.maxRetries);
	if (!Number.isInteger(maxRetries) || maxRetries < 0)
		throw new ParamError('"Max Retries" (maxRetries)', `must be a whole number ≥ 0, got ${String(options.maxRetries)}`);
	const idempotencyKey = options.idempotencyKey ? String(options.idempotencyKey) : undefined;
	if (idempotencyKey && idempotencyKey.length > 255) throw new ParamError('"Idempotency Key" (idempotencyKey)', 'is longer than 255 characters');
	const unsendableKey = idempotencyKey === undefined ? undefined : unsendableHeaderValue(idempotencyKey);
	if (unsendableKey) {
		throw new ParamError(
			'"Idempotency Key" (idempotencyKey)',
			`${unsendableKey}; make keys from other text with a digest, e.g. {{ $json.name.hash('sha256') }}`,
		);
	}
	const timeoutMs = options.timeout === undefined || options.timeout === '' ? DEFAULT_TIMEOUT_MS : Number(options.timeout);
	if (!Number.isFinite(timeoutMs) || timeoutMs <= 0)
		throw new ParamError('"Timeout" (timeout)', `must be a number of milliseconds above 0, got ${String(options.timeout)}`);
	return { stripeAccount, maxRetries, idempotencyKey, timeoutMs };
}

/**
 * Return All in ranges of creation time: where the operation's `created` filter takes ranges, unless Read in
 * Parallel is off or Parallel Requests is 1.
 */
function splitOf(op: OperationDescriptor, returnAll: boolean, data: Record<string, unknown>, options: IDataObject): ItemRequest['split'] {
	const fixed = parallelRequests(options);
	return returnAll && splitsByCreated(op) && options[READ_IN_PARALLEL] !== false && fixed !== 1 && canSplit(data) ? { fixed } : undefined;
}

/**
 * Custom API Call (last in every family node's Resource and Operation dropdowns): method,
 * path, parameters and a file from its fields (fields/custom-call.ts), sent like every operation's request.
 */
async function buildCustomRequest(ctx: IExecuteFunctions, itemIndex: number): Promise<ItemRequest> {
	let where = 'Custom API Call';
	try {
		const call = readCustomCall((name, fallback) => ctx.getNodeParameter(name, itemIndex, fallback));
		where = `${call.method} ${call.path}`;
		const op = customOperation(call);
		const files = call.binaryField ? { file: await readFile(ctx, 'customFile', itemIndex, call.binaryField) } : {};
		const options = ctx.getNodeParameter(REQUEST_OPTIONS, itemIndex, {}) as IDataObject;
		const request: ItemRequest['request'] = {
			method: op.method,
			path: call.path,
			host: op.host,
			apiMode: op.apiMode,
			params: { ...call.params, ...files },
			multipart: op.bodyEncoding === 'multipart',
			binaryResponse: true, // the answer's bytes as they come: JSON or a file (special-operations.ts)
			...readRequestOptions(options),
			idempotencyScope: idempotencyScope(ctx, itemIndex),
			itemIndex,
		};
		return { operation: op, request, returnAll: false, limit: 0 };
	} catch (e) {
		if (!(e instanceof ParamError)) throw toNodeError(ctx.getNode(), e, itemIndex);
		throw new NodeOperationError(ctx.getNode(), `Invalid parameter in item ${itemIndex}: ${e.field} ${e.reason}`, {
			itemIndex,
			description: `Nothing was sent to Stripe for this item (${where}).`,
		});
	}
}

/** Read and validate one item's parameters into its request. Throws NodeOperationError naming item and field. */
export async function buildRequest(ctx: IExecuteFunctions, family: FamilyDescriptor, itemIndex: number): Promise<ItemRequest> {
	if (isCustomCall(ctx, itemIndex)) return buildCustomRequest(ctx, itemIndex);
	const op = itemOperation(ctx, family, itemIndex);
	try {
		const path = readPath(ctx, op, itemIndex);
		const headers = readHeaders(ctx, op, itemIndex);
		const { data, files } = await readParams(ctx, op, itemIndex);
		if (op.find) checkFind(op.find, data); // Find (or Create): its values checked before anything is sent
		const { returnAll, limit } = readPaging(ctx, op, itemIndex);
		const options = ctx.getNodeParameter(REQUEST_OPTIONS, itemIndex, {}) as IDataObject;
		const { stripeAccount, maxRetries, idempotencyKey, timeoutMs } = readRequestOptions(options);
		const request: ItemRequest['request'] = {
			method: op.method,
			path,
			host: op.host,
			apiMode: op.apiMode,
			params: { ...data, ...files },
			paramOrder: paramOrder(op),
			multipart: op.bodyEncoding === 'multipart',
			headers,
			idempotencyKey,
			idempotencyScope: idempotencyScope(ctx, itemIndex),
			stripeAccount,
			maxRetries,
			timeoutMs,
			binaryResponse: op.response === 'binary',
			itemIndex,
			betaVersion: op.betaVersion,
		};
		return { operation: op, request, returnAll, limit, split: splitOf(op, returnAll, data, options) };
	} catch (e) {
		if (!(e instanceof ParamError)) throw toNodeError(ctx.getNode(), e, itemIndex);
		throw new NodeOperationError(ctx.getNode(), `Invalid parameter in item ${itemIndex}: ${e.field} ${e.reason}`, {
			itemIndex,
			description: `Nothing was sent to Stripe for this item (${op.method} ${op.path}).`,
		});
	}
}
