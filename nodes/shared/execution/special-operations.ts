/**
 * Operations that are more than "one request, one item", each dispatched by a field of its descriptor, so the
 * executor stays generic and a reader finds every special case here:
 *
 * | descriptor field              | what runs                                                             |
 * | ----------------------------- | --------------------------------------------------------------------- |
 * | `report: 'creditGrants'`      | the Credit Grant Report (reports/credit-grants.ts): many reads, items |
 * | `kind: 'find'`, `find`        | Find: a list filter, retrieve or search; none / several as chosen    |
 * | `kind: 'findOrCreate'`        | Find or Create (find.ts): found, else created with an Idempotency-Key |
 * |                               | derived from the identity; `_created` says which                     |
 * | `auth: 'meterEventSession'`   | the request is authorised with a meter event session token, created  |
 * |                               | with the key and renewed before it expires (one per node execution)   |
 * | `response: 'binary'`          | the body is a file: one item with it as binary data, named after the  |
 * |                               | object's ID and the content type                                      |
 */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { OperationDescriptor } from '../model/descriptor';
import type { BuiltRequest } from './executor';
import { callStripe } from '../client/client';
import { answerObject } from '../client/answers';
import { runCreditGrantReport } from './reports/credit-grants';
import { runFind, runFindOrCreate } from './find';
import type { StripeResponse, StripeSettings } from '../client/transport';

type Runner = (ctx: IExecuteFunctions, settings: StripeSettings, built: BuiltRequest) => Promise<INodeExecutionData[]>;

/** Reports, by the descriptor's `report`. */
export const REPORTS: Record<NonNullable<OperationDescriptor['report']>, Runner> = {
	creditGrants: (ctx, settings, built) => runCreditGrantReport(ctx, settings, built.data, built.itemIndex, built.stripeAccount, built.maxRetries),
};

/** Find and Find or Create, by the descriptor's kind (its `find` says which object; find.ts). */
export const FINDS: Record<'find' | 'findOrCreate', Runner> = { find: runFind, findOrCreate: runFindOrCreate };

/** State shared by the requests of one node execution. */
export interface RunState {
	/** The current meter event session (token and expiry, seconds since epoch). */
	meterSession?: { token: string; expiresAt: number };
}

const METER_SESSION_PATH = '/v2/billing/meter_event_session';

/** A valid meter event session token: created on first use, renewed a minute before it expires. */
async function meterSessionToken(ctx: IExecuteFunctions, settings: StripeSettings, built: BuiltRequest, state: RunState): Promise<string> {
	const now = Date.now() / 1000;
	if (!state.meterSession || state.meterSession.expiresAt - 60 <= now) {
		const res = await callStripe(
			ctx,
			settings,
			{
				method: 'POST',
				path: METER_SESSION_PATH,
				apiMode: 'v2',
				params: {},
				stripeAccount: built.stripeAccount,
				maxRetries: built.maxRetries,
				itemIndex: built.itemIndex,
				timeoutMs: built.timeoutMs,
				idempotencyScope: built.idempotencyScope,
			},
			'throw',
		);
		const session = answerObject(res.body, `POST ${METER_SESSION_PATH} for item ${built.itemIndex}`) as {
			authentication_token?: string;
			expires_at?: string | number;
		};
		if (!session.authentication_token) {
			throw new NodeOperationError(ctx.getNode(), 'Stripe did not return a meter event session token', { itemIndex: built.itemIndex });
		}
		const expires = typeof session.expires_at === 'number' ? session.expires_at : Date.parse(String(session.expires_at)) / 1000;
		state.meterSession = { token: session.authentication_token, expiresAt: Number.isFinite(expires) ? expires : now + 15 * 60 };
	}
	return state.meterSession.token;
}

/** File name for a downloaded body: the object's ID and an extension from the content type. */
function downloadName(built: BuiltRequest, contentType: string | undefined): string {
	const id =
		built.path
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

/** Bearer tokens other than the key, by the descriptor's `auth`. */
export const AUTHORISATIONS: Record<
	Exclude<NonNullable<OperationDescriptor['auth']>, 'key'>,
	(ctx: IExecuteFunctions, settings: StripeSettings, built: BuiltRequest, state: RunState) => Promise<string>
> = {
	meterEventSession: meterSessionToken,
};

/** `response: 'binary'`: the downloaded body as the item's binary data. */
export async function downloadItems(ctx: IExecuteFunctions, built: BuiltRequest, res: StripeResponse): Promise<INodeExecutionData[]> {
	const contentType = String(res.headers['content-type'] ?? '').split(';')[0] || undefined;
	const data = Buffer.from(res.body as ArrayBuffer);
	const binary = await ctx.helpers.prepareBinaryData(data, downloadName(built, contentType), contentType);
	return [
		{ json: { fileName: binary.fileName, mimeType: binary.mimeType, bytes: data.length }, binary: { data: binary }, pairedItem: { item: built.itemIndex } },
	];
}
