/**
 * The one request model. A request to Stripe is one value that carries everything that decides what goes on
 * the wire and how it is sent: the endpoint, the parameters, and the options (connected account, retries,
 * timeout, idempotency, headers, authorisation). An item's request is built once (execution/build-request.ts);
 * every further call made for it is derived from it here, so no option can be lost on the way:
 *
 * - a page of a list: `nextPage` (pager.ts), the same request with the step's cursor;
 * - a retry: the transport sends the same encoded request again;
 * - another request for the same item (a report's reads, a meter event session): `subRequest`.
 *
 * client.ts encodes a request as stripe-node does (`EncodedRequest`) and hands it to the transport.
 */
import type { IHttpRequestMethods } from 'n8n-workflow';

import type { HostKind } from '../model/descriptor';

export interface StripeRequest {
	method: IHttpRequestMethods;
	/**
	 * The path, its path parameters already in it (`/v1/customers/cus_123`). A v2 `next_page_url` is a path with
	 * its query, sent as it is (then without params).
	 */
	path: string;
	host?: HostKind;
	apiMode: 'v1' | 'v2';
	/** The parameters, encoded by method and API mode; left out or empty: none. Undefined values are not sent. */
	params?: Record<string, unknown>;
	/**
	 * Parameter names in the order the Stripe typings declare them: `params` are encoded in this order, whatever
	 * order they were given in (others after them, as given), so the same parameters make the same request.
	 */
	paramOrder?: readonly string[];
	/** A POST body that carries files (`{ data, name, type }` values): multipart/form-data. */
	multipart?: boolean;
	/** Extra headers (from an operation's header parameters); they win over the defaults. */
	headers?: Record<string, string>;
	/** The user's Idempotency-Key for this request (Request Options → Idempotency Key). */
	idempotencyKey?: string;
	/**
	 * Where a generated Idempotency-Key comes from: the request's place in the execution (execution, node, run,
	 * item). The key is a digest of this and of the request itself, so n8n running the same node again for the
	 * same item (Retry On Fail) sends the same key, and any other request gets another. Without it, a random key.
	 */
	idempotencyScope?: string;
	/** Connected account for this request; overrides the credential's. */
	stripeAccount?: string;
	maxRetries?: number;
	/** Deadline of one attempt, in milliseconds (default: transport.ts DEFAULT_TIMEOUT_MS). */
	timeoutMs?: number;
	/** The answer is a file (bytes), not JSON. */
	binaryResponse?: boolean;
	/** The input item the request is made for (named in errors). */
	itemIndex?: number;
	/** Authorise with this bearer token instead of the credential's key (meter event sessions). */
	bearerToken?: string;
	/** A beta flag the operation needs in Stripe-Version (e.g. `terminal_hardware_orders_beta=v5`). */
	betaVersion?: string;
}

/** A request as the transport sends it: the path with its encoded query, and the body with its content type. */
export type EncodedRequest = Omit<StripeRequest, 'params' | 'paramOrder' | 'multipart'> & {
	body?: string | Buffer;
	contentType?: string;
};

/**
 * What belongs to one endpoint's request only, and so is not carried over to another request made for the same
 * item: the endpoint and its parameters, the operation's own headers, the user's Idempotency-Key (it names the
 * item's request: sent with another, Stripe would refuse it), what the answer is, and the authorisation made for
 * the endpoint. Everything else (account, retries, timeout, idempotency scope, item, and any option added later)
 * is carried over.
 */
const ENDPOINT_OWN = [
	'method',
	'path',
	'host',
	'apiMode',
	'params',
	'paramOrder',
	'multipart',
	'headers',
	'idempotencyKey',
	'binaryResponse',
	'bearerToken',
	'betaVersion',
] as const satisfies ReadonlyArray<keyof StripeRequest>;

type Endpoint = Pick<StripeRequest, (typeof ENDPOINT_OWN)[number]>;

/** Another request made for the same item (a report's read, a session the item's request needs): the item's options, another endpoint. */
export function subRequest(item: StripeRequest, endpoint: Endpoint & Pick<StripeRequest, 'method' | 'path' | 'apiMode'>): StripeRequest {
	const options: Partial<StripeRequest> = { ...item };
	for (const key of ENDPOINT_OWN) delete options[key];
	return { ...options, ...endpoint };
}

/** The params of a request in its `paramOrder`, without undefined values. */
export function orderedParams(req: Pick<StripeRequest, 'params' | 'paramOrder'>): Record<string, unknown> {
	const given = req.params ?? {};
	const out: Record<string, unknown> = {};
	for (const name of req.paramOrder ?? []) if (given[name] !== undefined) out[name] = given[name];
	for (const [name, value] of Object.entries(given)) if (!(name in out) && value !== undefined) out[name] = value;
	return out;
}
