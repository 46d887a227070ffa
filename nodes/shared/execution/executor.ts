/**
 * The executor: descriptor + node parameters → Stripe request(s) → output items. One for every family node.
 *
 * Every item's request is built and validated first (build-request.ts); only when all are valid (or, with
 * "continue on fail", for the valid ones) is anything sent, so bad input never leaves a half-done batch behind.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { FamilyDescriptor } from '../model/descriptor';
import { AnswerShapeError, answerObject, listRows } from '../client/answers';
import { callStripe } from '../client/client';
import type { PagedKind, PageRead } from '../client/pager';
import { LIST_PAGE_SIZE, pagesBackwards, readInRanges, readPages } from '../client/pager';
import type { StripeSettings } from '../client/transport';
import { getStripeSettings } from '../client/transport';
import { REQUEST_OPTIONS } from '../fields/properties';
import { showSearchQuery } from '../fields/search';
import type { ItemRequest } from './build-request';
import { buildRequest } from './build-request';
import { inFlightLimit, objectKey, pageLimit, runInFlight } from './concurrency';
import { toNodeError } from './errors';
import { withParameterCache } from './param-cache';
import type { RunState } from './special-operations';
import { runSpecial } from './special-operations';

export type { RunState } from './special-operations';

/** A malformed answer as a node error for the item (see answers.ts). */
function shapeFailure(ctx: IExecuteFunctions, e: AnswerShapeError, built: ItemRequest): NodeOperationError {
	const sent = built.operation.method !== 'GET';
	return new NodeOperationError(ctx.getNode(), e.message, {
		itemIndex: built.request.itemIndex,
		description: sent ? 'Stripe may have carried the request out: check before sending it again.' : 'Nothing was output for this item.',
	});
}

/** Run one item's request, paging through list/search results as asked. */
export async function runRequest(ctx: IExecuteFunctions, settings: StripeSettings, built: ItemRequest, state: RunState = {}): Promise<INodeExecutionData[]> {
	try {
		return await runChecked(ctx, settings, built, state);
	} catch (e) {
		throw e instanceof AnswerShapeError ? shapeFailure(ctx, e, built) : e;
	}
}

async function runChecked(ctx: IExecuteFunctions, settings: StripeSettings, built: ItemRequest, state: RunState): Promise<INodeExecutionData[]> {
	const { operation: op, request } = built;
	const pairedItem = { item: request.itemIndex };
	const where = (page?: number) => `${op.method} ${request.path} for item ${request.itemIndex}${page ? `, page ${page}` : ''}`;
	// Operations that are more than one request → one item are run by their descriptor's data
	// (special-operations.ts): a report, another authorisation than the key, a file to download.
	const special = await runSpecial(ctx, settings, built, state);
	if (special) return special;
	if (op.kind === 'plain') return [{ json: answerObject((await callStripe(ctx, settings, request, 'throw')).body, where()), pairedItem }];

	if (op.kind === 'search') showSearchQuery(ctx, request.params?.query, request.itemIndex); // the query sent, in the output's hint
	const wanted = built.returnAll ? Infinity : built.limit;
	// A few list endpoints (an account's capabilities, report types) return everything at once and take no
	// `limit`: one request, the limit applied here.
	if (!op.params.some((p) => p.name === 'limit')) {
		const rows = listRows((await callStripe(ctx, settings, request, 'throw')).body, where());
		return rows.slice(0, wanted).map((row) => ({ json: row, pairedItem }));
	}
	const kind = op.kind as PagedKind; // reports ran above, as special operations
	const read: PageRead = { kind, backwards: pagesBackwards(kind, request.params ?? {}), where, pageSize: LIST_PAGE_SIZE, wanted };
	if (built.split) {
		const rows = await readInRanges(ctx, settings, request, read, pageLimit(built.split.fixed, settings));
		return rows.map((row) => ({ json: row, pairedItem }));
	}
	const out: INodeExecutionData[] = [];
	for await (const rows of readPages(ctx, settings, request, read)) for (const row of rows) out.push({ json: row, pairedItem });
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
	const built: Array<ItemRequest | Error> = [];
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
		(i) => (built[i] instanceof Error ? undefined : objectKey((built[i] as ItemRequest).operation, (built[i] as ItemRequest).request)),
	);
	if (failure) throw failure;
	return [results.flat()];
}

export { MAX_PARALLEL } from './concurrency';
