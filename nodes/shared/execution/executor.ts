/**
 * The executor: descriptor + node parameters → Stripe request(s) → output items. One for every family node.
 *
 * Every item's request is built and validated first; only when all are valid (or, with "continue on fail",
 * for the valid ones) is anything sent, so bad input never leaves a half-done batch behind.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeParameters } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { FamilyDescriptor, OperationDescriptor } from '../model/descriptor';
import { toNodeError } from './errors';
import type { StripeCall } from '../client/client';
import { callStripe } from '../client/client';
import { interpolatePath } from '../client/encoding';
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
import { AnswerShapeError, answerObject, listRows } from '../client/answers';
import type { PageRead, PageStep } from '../client/pager';
import type { RunState } from './special-operations';
import { AUTHORISATIONS, downloadItems, REPORTS } from './special-operations';
import { canSplit, LIST_PAGE_SIZE, pages, pagesBackwards, splitRows, splitsByCreated } from '../client/pager';
import { checkId, ParamError } from '../fields/values';
import { isEmpty, isShown, isUnset, read, readJsonParameters, shapeKind } from '../fields/shapes';
import type { StripeSettings } from '../client/transport';
import { DEFAULT_TIMEOUT_MS, getStripeSettings, isAccountId, RETRY, unsendableHeaderValue } from '../client/transport';
import { inFlightLimit, objectKey, pageLimit, parallelRequests, runInFlight } from './concurrency';
import { withParameterCache } from './param-cache';
import { CUSTOM_API_CALL, customOperation, readCustomCall } from '../fields/custom-call';

export interface BuiltRequest {
	itemIndex: number;
	operation: OperationDescriptor;
	/** Path with placeholders filled, without query. */
	path: string;
	data: Record<string, unknown>;
	files?: Record<string, { data: Buffer; name?: string; type?: string }>;
	headers?: Record<string, string>;
	returnAll: boolean;
	limit: number;
	idempotencyKey?: string;
	stripeAccount?: string;
	maxRetries: number;
	/** Deadline of each attempt (Request Options → Timeout). */
	timeoutMs: number;
	/** Execution, node, run and item: where generated idempotency keys come from (see StripeRequest). */
	idempotencyScope?: string;
	/**
	 * Return All in ranges of creation time (pager.ts splitRows): set when the operation and the parameters
	 * allow it and Read in Parallel is on; `fixed`: pages in flight from Parallel Requests (undefined: automatic).
	 */
	split?: { fixed?: number };
}

/**
 * Parameters in the order the Stripe typings declare them, whatever order the editor stored them in, so
 * the encoded request is the same for the same parameters.
 */
export function canonicalOrder(op: OperationDescriptor, data: Record<string, unknown>): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	for (const p of op.params) if (data[p.name] !== undefined) out[p.name] = data[p.name];
	for (const [k, v] of Object.entries(data)) if (!(k in out) && v !== undefined) out[k] = v;
	return out;
}

/** A built request as a call to the client (client.ts encodes it as stripe-node does), for one page. */
export function callOf(built: BuiltRequest, pageData: Record<string, unknown> = built.data): StripeCall {
	const op = built.operation;
	return {
		method: op.method,
		path: built.path,
		params: canonicalOrder(op, { ...pageData, ...built.files }),
		multipart: op.bodyEncoding === 'multipart',
		host: op.host,
		apiMode: op.apiMode,
		idempotencyKey: built.idempotencyKey,
		stripeAccount: built.stripeAccount,
		headers: built.headers,
		maxRetries: built.maxRetries,
		binaryResponse: op.response === 'binary',
		itemIndex: built.itemIndex,
		timeoutMs: built.timeoutMs,
		idempotencyScope: built.idempotencyScope,
		betaVersion: op.betaVersion,
	};
}

function paramFailure(ctx: IExecuteFunctions, e: ParamError, itemIndex: number, op: OperationDescriptor): NodeOperationError {
	return new NodeOperationError(ctx.getNode(), `Invalid parameter in item ${itemIndex}: ${e.field} ${e.reason}`, {
		itemIndex,
		description: `Nothing was sent to Stripe for this item (${op.method} ${op.path}).`,
	});
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

/** Request Options (connected account, retries, idempotency key, timeout), checked. */
function readRequestOptions(options: IDataObject): Pick<BuiltRequest, 'stripeAccount' | 'maxRetries' | 'idempotencyKey' | 'timeoutMs'> {
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

/** A Custom API Call's request: method, path, parameters and file from its fields (fields/custom-call.ts). */
async function buildCustomRequest(ctx: IExecuteFunctions, itemIndex: number): Promise<BuiltRequest> {
	let where = 'Custom API Call';
	try {
		const call = readCustomCall((name, fallback) => ctx.getNodeParameter(name, itemIndex, fallback));
		where = `${call.method} ${call.path}`;
		const files: BuiltRequest['files'] = {};
		if (call.binaryField) {
			const binary = ctx.getInputData()[itemIndex]?.binary?.[call.binaryField];
			if (!binary) throw new ParamError('"Input Binary Field" (customFile)', `the input item has no binary property "${call.binaryField}"`);
			const buffer = await ctx.helpers.getBinaryDataBuffer(itemIndex, call.binaryField);
			files.file = { data: buffer, name: binary.fileName ?? 'file', type: binary.mimeType || 'application/octet-stream' };
		}
		const options = ctx.getNodeParameter(REQUEST_OPTIONS, itemIndex, {}) as IDataObject;
		return {
			itemIndex,
			operation: customOperation(call),
			path: call.path,
			data: call.params,
			files: call.binaryField ? files : undefined,
			returnAll: false,
			limit: 0,
			...readRequestOptions(options),
			idempotencyScope: idempotencyScope(ctx, itemIndex),
		};
	} catch (e) {
		if (!(e instanceof ParamError)) throw toNodeError(ctx.getNode(), e, itemIndex);
		throw new NodeOperationError(ctx.getNode(), `Invalid parameter in item ${itemIndex}: ${e.field} ${e.reason}`, {
			itemIndex,
			description: `Nothing was sent to Stripe for this item (${where}).`,
		});
	}
}

/** Read and validate one item's parameters into a request. Throws NodeOperationError naming item and field. */
export async function buildRequest(ctx: IExecuteFunctions, family: FamilyDescriptor, itemIndex: number): Promise<BuiltRequest> {
	const resourceValue = ctx.getNodeParameter('resource', itemIndex) as string;
	const operationValue = ctx.getNodeParameter('operation', itemIndex) as string;
	const found = findOperation(family, resourceValue, operationValue);
	if (!found) {
		// n8n offers "Custom API Call" in the dropdowns of nodes whose credential authenticates requests
		// (fields/custom-call.ts): a request to any Stripe endpoint, sent like every operation.
		if (operationValue === CUSTOM_API_CALL || resourceValue === CUSTOM_API_CALL) return buildCustomRequest(ctx, itemIndex);
		throw new NodeOperationError(ctx.getNode(), `Unknown operation "${operationValue}" for resource "${resourceValue}"`, { itemIndex });
	}
	const op = found.operation;
	try {
		const pathValues: Record<string, string> = {};
		for (const p of op.pathParams) {
			const name = pathFieldName(op, p.name);
			pathValues[p.name] = checkId(ctx.getNodeParameter(name, itemIndex, ''), `"${labelOf(name)}" (${name})`);
		}
		const headers: Record<string, string> = {};
		for (const p of op.headerParams ?? []) {
			const value = String(ctx.getNodeParameter(p.name, itemIndex, '') ?? '').trim();
			if (value === '' && p.required) throw new ParamError(`"${labelOf(p.name)}" (${p.name})`, 'is required');
			const unsendable = unsendableHeaderValue(value);
			if (unsendable) throw new ParamError(`"${labelOf(p.name)}" (${p.name})`, unsendable);
			if (value !== '') headers[p.header] = value;
		}
		const data: Record<string, unknown> = {};
		// Dates without a time zone are read in the workflow's (its settings, else the instance's GENERIC_TIMEZONE).
		const zone = ctx.getTimezone();
		const files: BuiltRequest['files'] = {};
		const valueOf = (name: string) => ctx.getNodeParameter(name, itemIndex, '');
		const mode = jsonParams(op).length ? (ctx.getNodeParameter(INPUT_MODE, itemIndex, 'fields') as string) : 'fields';
		for (const p of requiredParams(op)) {
			if (!isShown(p, valueOf)) continue;
			if (shapeKind(p) === 'binary') {
				const property = String(ctx.getNodeParameter(p.name, itemIndex, 'data'));
				const binary = ctx.getInputData()[itemIndex]?.binary?.[property];
				if (!binary) throw new ParamError(`"Input Binary Field" (${p.name})`, `the input item has no binary property "${property}"`);
				const buffer = await ctx.helpers.getBinaryDataBuffer(itemIndex, property);
				files[p.name] = { data: buffer, name: binary.fileName ?? 'file', type: binary.mimeType || 'application/octet-stream' };
				continue;
			}
			if (mode === 'json') continue;
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
		let returnAll = false;
		let limit = 0;
		if (isPaged(op)) {
			returnAll = ctx.getNodeParameter('returnAll', itemIndex, false) as boolean;
			if (!returnAll) {
				limit = Number(ctx.getNodeParameter('limit', itemIndex, 50));
				if (!Number.isInteger(limit) || limit < 1) throw new ParamError('"Limit" (limit)', `must be a whole number of at least 1, got ${limit}`);
			}
		}
		const options = ctx.getNodeParameter(REQUEST_OPTIONS, itemIndex, {}) as IDataObject;
		const { stripeAccount, maxRetries, idempotencyKey, timeoutMs } = readRequestOptions(options);
		// Return All in ranges of creation time: where the operation's `created` filter takes ranges, unless Read
		// in Parallel is off or Parallel Requests is 1.
		const fixed = parallelRequests(options);
		const split = returnAll && splitsByCreated(op) && options[READ_IN_PARALLEL] !== false && fixed !== 1 && canSplit(data) ? { fixed } : undefined;
		return {
			itemIndex,
			operation: op,
			path: interpolatePath(op.path, pathValues),
			data,
			files: Object.keys(files).length ? files : undefined,
			headers: Object.keys(headers).length ? headers : undefined,
			returnAll,
			limit,
			idempotencyKey,
			stripeAccount,
			maxRetries,
			timeoutMs,
			idempotencyScope: idempotencyScope(ctx, itemIndex),
			split,
		};
	} catch (e) {
		throw e instanceof ParamError ? paramFailure(ctx, e, itemIndex, op) : toNodeError(ctx.getNode(), e, itemIndex);
	}
}

export type { RunState } from './special-operations';

/** A malformed answer as a node error for the item (see lists.ts). */
function shapeFailure(ctx: IExecuteFunctions, e: AnswerShapeError, built: BuiltRequest): NodeOperationError {
	const sent = built.operation.method !== 'GET';
	return new NodeOperationError(ctx.getNode(), e.message, {
		itemIndex: built.itemIndex,
		description: sent ? 'Stripe may have carried the request out: check before sending it again.' : 'Nothing was output for this item.',
	});
}

/** Run one built request, paging through list/search results as asked. */
export async function runRequest(ctx: IExecuteFunctions, settings: StripeSettings, built: BuiltRequest, state: RunState = {}): Promise<INodeExecutionData[]> {
	try {
		return await runChecked(ctx, settings, built, state);
	} catch (e) {
		throw e instanceof AnswerShapeError ? shapeFailure(ctx, e, built) : e;
	}
}

async function runChecked(ctx: IExecuteFunctions, settings: StripeSettings, built: BuiltRequest, state: RunState): Promise<INodeExecutionData[]> {
	const op = built.operation;
	const pairedItem = { item: built.itemIndex };
	const where = (page?: number) => `${op.method} ${built.path} for item ${built.itemIndex}${page ? `, page ${page}` : ''}`;
	// Operations that are more than one request → one item are dispatched by their descriptor's data
	// (special.ts): a report, another authorisation than the key, a file to download.
	if (op.kind === 'report') return REPORTS[op.report ?? 'creditGrants'](ctx, settings, built);
	if (op.kind === 'plain') {
		const call = callOf(built);
		if (op.auth && op.auth !== 'key') call.bearerToken = await AUTHORISATIONS[op.auth](ctx, settings, built, state);
		const res = await callStripe(ctx, settings, call, 'throw');
		if (op.response === 'binary') return downloadItems(ctx, built, res);
		return [{ json: answerObject(res.body, where()), pairedItem }];
	}

	const out: INodeExecutionData[] = [];
	const wanted = built.returnAll ? Infinity : built.limit;
	// A few list endpoints (an account's capabilities, report types) return everything at once and take no
	// `limit`: one request, the limit applied here.
	if (!op.params.some((p) => p.name === 'limit')) {
		const rows = listRows((await callStripe(ctx, settings, callOf(built), 'throw')).body, where());
		return rows.slice(0, wanted).map((row) => ({ json: row, pairedItem }));
	}
	const read: PageRead = { kind: op.kind, backwards: pagesBackwards(op.kind, built.data), where };
	const fetchPage = async (step: PageStep | undefined): Promise<unknown> => {
		const limit = Math.min(LIST_PAGE_SIZE, wanted - out.length);
		const call = step && 'path' in step ? { ...callOf(built, {}), path: step.path } : callOf(built, { ...built.data, ...step?.params, limit });
		return (await callStripe(ctx, settings, call, 'throw')).body;
	};
	if (built.split) {
		const rows = await splitRows(fetchPage, read, built.data.created, pageLimit(built.split.fixed, settings));
		return rows.map((row) => ({ json: row, pairedItem }));
	}
	for await (const rows of pages(fetchPage, read)) {
		for (const row of rows.slice(0, wanted - out.length)) out.push({ json: row, pairedItem });
		if (out.length >= wanted) break;
	}
	return out;
}

function errorItem(error: Error, itemIndex: number): INodeExecutionData {
	const json: IDataObject = { error: error.message };
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		if (error.description) json.description = error.description;
		if (error instanceof NodeApiError) {
			if (error.httpCode) json.httpCode = error.httpCode;
			const details = (error.errorResponse ?? {}) as IDataObject;
			for (const k of ['type', 'code', 'decline_code', 'param', 'doc_url', 'request_id']) if (details[k] !== undefined) json[k] = details[k];
		}
	}
	return { json, pairedItem: { item: itemIndex } };
}

/** `execute()` of every family node. */
export async function executeFamily(ctx: IExecuteFunctions, family: FamilyDescriptor): Promise<INodeExecutionData[][]> {
	const items = ctx.getInputData();
	const built: Array<BuiltRequest | Error> = [];
	// Parameters without expressions are read once for all items (param-cache.ts).
	const params = withParameterCache(ctx);
	for (let i = 0; i < items.length; i++) {
		try {
			built.push(await buildRequest(params, family, i));
		} catch (e) {
			const error = toNodeError(ctx.getNode(), e, i);
			if (!ctx.continueOnFail()) throw error;
			built.push(error);
		}
	}
	const settings = await getStripeSettings(ctx);
	const state: RunState = {};
	// "Parallel Requests" pins how many items are in flight; without it the number adapts (concurrency.ts).
	// Output keeps the input order either way.
	const options = (items.length ? ctx.getNodeParameter(REQUEST_OPTIONS, 0, {}) : {}) as IDataObject;
	const results: INodeExecutionData[][] = new Array(built.length);
	let failure: NodeApiError | NodeOperationError | undefined;
	const runOne = async (i: number) => {
		const b = built[i];
		if (b instanceof Error) {
			results[i] = [errorItem(b, i)];
			return;
		}
		try {
			results[i] = await runRequest(ctx, settings, b, state);
		} catch (e) {
			const error = toNodeError(ctx.getNode(), e, i);
			if (!ctx.continueOnFail()) {
				failure ??= error;
				return;
			}
			results[i] = [errorItem(error, i)];
		}
	};
	await runInFlight(
		built.length,
		inFlightLimit(options, settings),
		runOne,
		() => failure !== undefined,
		(i) => (built[i] instanceof Error ? undefined : objectKey(built[i] as BuiltRequest)),
	);
	if (failure) throw failure;
	return [results.flat()];
}

export { MAX_PARALLEL } from './concurrency';
