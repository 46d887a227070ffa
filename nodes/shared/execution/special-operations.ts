/**
 * Operations that are more than "one request, one item", each recognised by a field of its descriptor, so the
 * executor stays generic and a reader finds every special case here, in one table (`SPECIAL_OPERATIONS`):
 *
 * | descriptor field              | what runs                                                             |
 * | ----------------------------- | --------------------------------------------------------------------- |
 * | `report: 'creditGrants'`      | the Credit Grant Report (reports/credit-grants.ts): many reads, items |
 * | `kind: 'find'`, `find`        | Find (find.ts): a list filter, retrieve or search; none / several as  |
 * |                               | the item chooses                                                      |
 * | `kind: 'findOrCreate'`        | Find or Create (find.ts): found, else created with an Idempotency-Key |
 * |                               | derived from the identity; `_created` says which                      |
 * | `auth: 'meterEventSession'`   | the request is authorised with a meter event session token, created  |
 * |                               | with the key and renewed before it expires (one per node execution)   |
 * | `response: 'binary'`          | the body is a file: one item with it as binary data, named as the     |
 * |                               | answer's Content-Disposition says, else after the object's ID and the |
 * |                               | content type                                                          |
 * | `response: 'any'`             | (Custom API Call) a JSON answer is the item's json; any other is a    |
 * |                               | file, as above                                                        |
 *
 * Every request they send is the item's request (build-request.ts) or derived from it (client/request.ts
 * `subRequest`), so the item's Request Options apply to each.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { OperationDescriptor } from '../model/descriptor';
import { AnswerShapeError, answerObject } from '../client/answers';
import { callStripe } from '../client/client';
import type { StripeRequest } from '../client/request';
import { subRequest } from '../client/request';
import type { StripeResponse, StripeSettings } from '../client/transport';
import type { ItemRequest } from './build-request';
import { runFind, runFindOrCreate } from './find';
import { runCreditGrantReport } from './reports/credit-grants';

type Runner = (ctx: IExecuteFunctions, settings: StripeSettings, built: ItemRequest, state: RunState) => Promise<INodeExecutionData[]>;

/** State shared by the requests of one node execution. */
export interface RunState {
	/** The current meter event session (token and expiry, seconds since epoch). */
	meterSession?: { token: string; expiresAt: number };
}

const METER_SESSION_PATH = '/v2/billing/meter_event_session';

/** A valid meter event session token: created on first use, renewed a minute before it expires. */
async function meterSessionToken(ctx: IExecuteFunctions, settings: StripeSettings, item: ItemRequest['request'], state: RunState): Promise<string> {
	const now = Date.now() / 1000;
	if (!state.meterSession || state.meterSession.expiresAt - 60 <= now) {
		const session = subRequest(item, { method: 'POST', path: METER_SESSION_PATH, apiMode: 'v2', params: {} });
		const res = await callStripe(ctx, settings, session, 'throw');
		const answer = answerObject(res.body, `POST ${METER_SESSION_PATH} for item ${item.itemIndex}`) as {
			authentication_token?: string;
			expires_at?: string | number;
		};
		if (!answer.authentication_token) {
			throw new NodeOperationError(ctx.getNode(), 'Stripe did not return a meter event session token', { itemIndex: item.itemIndex });
		}
		const expires = typeof answer.expires_at === 'number' ? answer.expires_at : Date.parse(String(answer.expires_at)) / 1000;
		state.meterSession = { token: answer.authentication_token, expiresAt: Number.isFinite(expires) ? expires : now + 15 * 60 };
	}
	return state.meterSession.token;
}

/** The file name an answer's Content-Disposition gives (`filename*=UTF-8''…` first, then `filename=`), if any. */
function dispositionName(value: unknown): string | undefined {
	const header = Array.isArray(value) ? value.join(', ') : String(value ?? '');
	const extended = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(header)?.[1];
	let name: string | undefined;
	try {
		name = extended ? decodeURIComponent(extended.trim()) : undefined;
	} catch {
		name = undefined;
	}
	name ??= /filename\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;\s]+))/i
		.exec(header)
		?.slice(1)
		.find((x) => x !== undefined)
		?.replace(/\\(.)/g, '$1');
	// Only the name: no folders, nothing a file system would read as a path.
	const base = name?.split(/[\\/]/).pop()?.trim();
	return base && base !== '.' && base !== '..' ? base : undefined;
}

/** File name for a downloaded body: the object's ID and an extension from the content type. */
function downloadName(path: string, contentType: string | undefined): string {
	const id =
		path
			.split('?')[0]
			.split('/')
			.filter(Boolean)
			.find((s, i, all) => i === all.length - 2) ?? 'download';
	const ext = /pdf/.test(contentType ?? '')
		? 'pdf'
		: /csv/.test(contentType ?? '')
			? 'csv'
			: /json/.test(contentType ?? '')
				? 'json'
				: /png/.test(contentType ?? '')
					? 'png'
					: /jpe?g/.test(contentType ?? '')
						? 'jpg'
						: 'bin';
	return `${decodeURIComponent(id)}.${ext}`;
}

/** `response: 'binary'`: the downloaded body as the item's binary data. */
async function downloadItems(ctx: IExecuteFunctions, item: ItemRequest['request'], res: StripeResponse): Promise<INodeExecutionData[]> {
	const contentType = mediaType(res);
	const data = bytesOf(res.body);
	const name = dispositionName(res.headers['content-disposition']) ?? downloadName(item.path, contentType);
	const binary = await ctx.helpers.prepareBinaryData(data, name, contentType);
	return [
		{ json: { fileName: binary.fileName, mimeType: binary.mimeType, bytes: data.length }, binary: { data: binary }, pairedItem: { item: item.itemIndex } },
	];
}

/** An answer's body as bytes (asked for as bytes; nothing for an answer without a body). */
function bytesOf(body: unknown): Buffer {
	if (Buffer.isBuffer(body)) return body;
	if (body instanceof ArrayBuffer || typeof body === 'string') return Buffer.from(body as ArrayBuffer);
	return Buffer.alloc(0);
}

/** The answer's media type (`application/pdf`), without parameters; undefined without a Content-Type. */
function mediaType(res: StripeResponse): string | undefined {
	return (
		String(res.headers['content-type'] ?? '')
			.split(';')[0]
			.trim()
			.toLowerCase() || undefined
	);
}

/**
 * `response: 'any'`: the answer as JSON when it is JSON (its Content-Type says so; without one, an empty body or
 * one that parses as a JSON object), else undefined (a file).
 */
function jsonAnswer(res: StripeResponse, where: string): IDataObject | undefined {
	const text = bytesOf(res.body).toString('utf8');
	const type = mediaType(res);
	if (type && !/^(application|text)\/([\w.-]+\+)?json$/.test(type)) return undefined;
	if (text.trim() === '') return {};
	try {
		return answerObject(JSON.parse(text), where);
	} catch (e) {
		if (!type) return undefined; // no Content-Type, not JSON: a file
		throw e instanceof SyntaxError ? new AnswerShapeError(where, `is not JSON although its Content-Type is ${type}`) : e;
	}
}

/** Send the item's request (authorised as the operation says) and make its answer the item's output. */
async function sendOne(ctx: IExecuteFunctions, settings: StripeSettings, built: ItemRequest, state: RunState): Promise<INodeExecutionData[]> {
	const { operation: op, request } = built;
	let req: StripeRequest = request;
	if (op.auth === 'meterEventSession') req = { ...request, bearerToken: await meterSessionToken(ctx, settings, request, state) };
	const res = await callStripe(ctx, settings, req, 'throw');
	const where = `${op.method} ${request.path} for item ${request.itemIndex}`;
	const json = op.response === 'binary' ? undefined : op.response === 'any' ? jsonAnswer(res, where) : answerObject(res.body, where);
	if (json === undefined) return downloadItems(ctx, request, res);
	return [{ json, pairedItem: { item: request.itemIndex } }];
}

/** The special operations, by descriptor data: the first row whose `applies` holds runs the item. */
export const SPECIAL_OPERATIONS: ReadonlyArray<{ field: string; applies: (op: OperationDescriptor) => boolean; run: Runner }> = [
	{
		field: "report: 'creditGrants'",
		applies: (op) => op.kind === 'report' && (op.report ?? 'creditGrants') === 'creditGrants',
		run: (ctx, settings, built) => runCreditGrantReport(ctx, settings, built.request),
	},
	{ field: "kind: 'find'", applies: (op) => op.kind === 'find', run: (ctx, settings, built) => runFind(ctx, settings, built) },
	{ field: "kind: 'findOrCreate'", applies: (op) => op.kind === 'findOrCreate', run: (ctx, settings, built) => runFindOrCreate(ctx, settings, built) },
	{ field: "auth: 'meterEventSession'", applies: (op) => op.kind === 'plain' && op.auth === 'meterEventSession', run: sendOne },
	{ field: "response: 'binary'", applies: (op) => op.kind === 'plain' && op.response === 'binary', run: sendOne },
	{ field: "response: 'any'", applies: (op) => op.kind === 'plain' && op.response === 'any', run: sendOne },
];

/** Runs the item if its operation is a special one (undefined: it is not). */
export function runSpecial(ctx: IExecuteFunctions, settings: StripeSettings, built: ItemRequest, state: RunState): Promise<INodeExecutionData[]> | undefined {
	return SPECIAL_OPERATIONS.find((row) => row.applies(built.operation))?.run(ctx, settings, built, state);
}
