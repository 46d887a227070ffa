/**
 * The one Stripe client of the package. Every request to Stripe, from the family nodes, the pickers, the
 * credit-grant report and the triggers, is a `StripeRequest` (request.ts) sent with `callStripe`:
 *
 *   callStripe(ctx, settings, { method: 'GET', path: '/v1/customers', params: { limit: 3 }, apiMode: 'v1' }, 'throw')
 *
 * It encodes the parameters the way stripe-node 17.4.0 does (`encodeCall`):
 * - GET and DELETE: in the query string, arrays as `a[0]=x` (v1) or `a=x&a=y` (v2); a v1 request also sends an
 *   empty body, as stripe-node does;
 * - POST: form-encoded (v1), JSON (v2), or multipart (file uploads);
 * and hands the encoded request to the transport (transport.ts: headers, retries, idempotency, pacing, errors,
 * masking). What happens to an error answer is the caller's explicit choice: `'throw'` turns it into an n8n
 * error (NodeApiError with Stripe's fields); `'return'` gives it back for the caller to read (a 404 that means
 * "already gone", a retrieve that may find nothing).
 */
import { encodeForm, encodeMultipart } from './encoding';
import type { EncodedRequest, StripeRequest } from './request';
import { orderedParams } from './request';
import type { StripeContext, StripeResponse, StripeSettings } from './transport';
import { newIdempotencyKey, sendAnyAnswer, sendExpectingSuccess } from './transport';

/** The request encoded as stripe-node would send it. */
export function encodeCall(call: StripeRequest): EncodedRequest {
	const { params: given, paramOrder, multipart, ...rest } = call;
	const params = orderedParams({ params: given, paramOrder });
	const req: EncodedRequest = { ...rest };
	const keys = Object.keys(params);
	if (call.method === 'GET' || call.method === 'DELETE') {
		if (keys.length) req.path += `${req.path.includes('?') ? '&' : '?'}${encodeForm(params, call.apiMode === 'v2' ? 'repeat' : 'indices')}`;
		if (call.apiMode === 'v1') req.body = '';
	} else if (multipart) {
		const boundary = `n8nStripe${newIdempotencyKey().replace(/-/g, '')}`; // random: not part of derived idempotency keys
		const { body, contentType } = encodeMultipart(params, boundary);
		req.body = body;
		req.contentType = contentType;
	} else if (call.apiMode === 'v2') {
		req.body = JSON.stringify(params);
	} else {
		req.body = encodeForm(params);
	}
	return req;
}

/** What to do with an error answer (4xx, 5xx after the retries): throw it as an n8n error, or return it. */
export type OnErrorAnswer = 'throw' | 'return';

/** Send one request to Stripe (with retries) and return the answer, or throw on an error answer if asked to. */
export function callStripe(ctx: StripeContext, settings: StripeSettings, call: StripeRequest, onError: OnErrorAnswer): Promise<StripeResponse> {
	const req = encodeCall(call);
	return onError === 'throw' ? sendExpectingSuccess(ctx, settings, req) : sendAnyAnswer(ctx, settings, req);
}
