/**
 * The one place that talks to Stripe. Adds Stripe-Version, Stripe-Account / Stripe-Context and
 * Idempotency-Key headers, retries like stripe-node (plus 429), and turns Stripe errors into NodeApiErrors.
 * Authorization comes from the credential type (n8n's httpRequestWithAuthentication), so the key never
 * passes through this module.
 */
import { createHash, randomUUID } from 'crypto';
import type {
	ICredentialDataDecryptedObject,
	IExecuteFunctions,
	IHookFunctions,
	IPollFunctions,
	ITriggerFunctions,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IWebhookFunctions,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

import { STRIPE_DEFAULT_API_VERSION, STRIPE_DEFAULT_BASE_URL } from '../../../credentials/StripeKeyApi.credentials';
import type { HostKind } from '../model/descriptor';
import type { Pacing } from './pacing';
import type { EncodedRequest } from './request';
import { accountPacing, newPacing, observeAnswer, pacedDelayMs, rateLimitRetryAllowed } from './pacing';

export const CREDENTIAL_TYPE = 'stripeKeyApi';
// The credential's defaults, so a blank field means the same here as in the credential dialog.
export const DEFAULT_API_VERSION = STRIPE_DEFAULT_API_VERSION;
export const DEFAULT_BASE_URL = STRIPE_DEFAULT_BASE_URL;
const SPECIAL_HOSTS: Record<HostKind, string> = {
	api: DEFAULT_BASE_URL,
	files: 'https://files.stripe.com',
	meterEvents: 'https://meter-events.stripe.com',
};

/** Retry timing, as stripe-node: min(0.5·2ⁿ⁻¹, 5) s with jitter, at least 0.5 s, honouring Retry-After ≤ 60 s. */
export const RETRY = { initialDelaySec: 0.5, maxDelaySec: 5, maxRetryAfterSec: 60, defaultMaxRetries: 2 };

/**
 * How long one attempt may take, from sending the request to the last byte of the answer, before it is
 * cancelled and counts as a network failure (and is retried): stripe-node's 80 s. An overall deadline, not
 * an idle timeout, so a server that trickles bytes cannot hold an execution. Requests may ask for another
 * one (`StripeRequest.timeoutMs` in request.ts: the family nodes' Request Options → Timeout).
 */
export const DEFAULT_TIMEOUT_MS = 80_000;

/** What an attempt sends, for the clock that starts its deadline. */
export interface AttemptInfo {
	method: string;
	url: string;
	idempotencyKey?: string;
}

/**
 * The clock of every attempt's deadline: a real timer from sending to the last byte (AbortSignal.timeout), the
 * attempt's only deadline. Tests put in their own clock (test/harness/deadlines.ts), so that a deadline passes
 * when the test says and not whenever a loaded machine happens to be slow.
 */
export const attemptClock: { deadline(timeoutMs: number, attempt: AttemptInfo): AbortSignal } = {
	deadline: (timeoutMs) => AbortSignal.timeout(timeoutMs),
};

// Rate-limit pacing (shared per account in this process) and the retry budget of a 429: see pacing.ts.
export { observeAnswer, pacedDelayMs, RATE_LIMIT } from './pacing';
export type { Pacing } from './pacing';

export type StripeContext = IExecuteFunctions | IHookFunctions | IWebhookFunctions | ILoadOptionsFunctions | IPollFunctions | ITriggerFunctions;

export interface StripeSettings {
	apiVersion: string;
	baseUrl: string;
	stripeAccount: string;
	/** Rate-limit pacing state, shared by every execution on this account in this process (pacing.ts). */
	pacing?: Pacing;
	/** A live-mode key (sk_live_, rk_live_): Stripe allows 100 requests/s instead of 25 (concurrency.ts). */
	livemode?: boolean;
}

export interface StripeResponse {
	statusCode: number;
	headers: Record<string, string | string[] | undefined>;
	body: unknown;
	attempts: number;
}

const KEY_PATTERN = /^(sk|rk)_(test|live)_[A-Za-z0-9_]+$/;

/** A connected account ID (`acct_…`), as the credential and Request Options → Connected Account take it. */
export function isAccountId(value: string): boolean {
	return /^acct_[A-Za-z0-9]+$/.test(value);
}

/**
 * Why a header value cannot be sent as it is (undefined: it can). HTTP header values are bytes; anything but
 * printable ASCII would be dropped, re-encoded or rejected on the way, so such values are refused rather than
 * altered.
 */
export function unsendableHeaderValue(value: string): string | undefined {
	const bad = /[^\x20-\x7e]/.exec(value);
	if (bad) {
		const ch = bad[0];
		const cp = ch.codePointAt(0) ?? 0;
		const code = `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
		return cp < 0x20 || cp === 0x7f
			? `contains a line break or control character (${code}), which cannot be sent in an HTTP header`
			: `contains "${ch}" (${code}), which cannot be sent in an HTTP header as it is (only printable ASCII can)`;
	}
	if (value !== value.trim()) return 'starts or ends with a space, which HTTP would drop';
	return undefined;
}

/** A value shown in a message: quoted, escapes visible, shortened. */
function shown(value: string): string {
	const s = JSON.stringify(value);
	return s.length > 60 ? `${s.slice(0, 57)}…"` : s;
}

/** Reads and checks the credential once per execution. Never returns the key itself. */
export async function getStripeSettings(ctx: StripeContext): Promise<StripeSettings> {
	const cred = (await ctx.getCredentials(CREDENTIAL_TYPE)) as ICredentialDataDecryptedObject;
	const key = String(cred.secretKey ?? '').trim();
	if (!KEY_PATTERN.test(key)) {
		const kind = key.startsWith('pk_')
			? 'a publishable key (pk_…), which cannot call the API from a server'
			: key === ''
				? 'empty'
				: 'not a Stripe secret or restricted key';
		throw new NodeOperationError(ctx.getNode(), `The Stripe credential's key is ${kind}`, {
			description: 'Use a secret key (sk_test_…, sk_live_…) or a restricted key (rk_test_…, rk_live_…).',
		});
	}
	const account = String(cred.stripeAccount ?? '').trim();
	if (account !== '' && !isAccountId(account)) {
		throw new NodeOperationError(ctx.getNode(), `The Stripe credential's connected account "${account}" is not an account ID`, {
			description: 'Connected account IDs look like acct_1A2b3C… (or leave the field empty).',
		});
	}
	const apiVersion = String(cred.apiVersion ?? '').trim() || DEFAULT_API_VERSION;
	const unsendable = unsendableHeaderValue(apiVersion);
	if (unsendable) {
		throw new NodeOperationError(ctx.getNode(), `The Stripe credential's API version ${shown(apiVersion)} ${unsendable}`, {
			description: 'API versions look like 2024-11-20.acacia. Nothing was sent to Stripe.',
		});
	}
	const baseUrl = (String(cred.baseUrl ?? '').trim() || DEFAULT_BASE_URL).replace(/\/+$/, '');
	return {
		apiVersion,
		baseUrl,
		stripeAccount: account,
		pacing: accountPacing(key, account, baseUrl),
		livemode: /^(sk|rk)_live_/.test(key),
	};
}

export function baseUrlFor(settings: StripeSettings, host: HostKind = 'api'): string {
	// A custom base URL (proxy, emulator) serves every host; Stripe's own API has separate hosts.
	return settings.baseUrl === DEFAULT_BASE_URL ? SPECIAL_HOSTS[host] : settings.baseUrl;
}

/** A fresh idempotency key (UUID v4 shaped), as stripe-node sends one for every retried POST. */
export function newIdempotencyKey(): string {
	return `n8n-${randomUUID()}`;
}

/**
 * The generated key of a request with an idempotency scope (see request.ts): UUID-shaped hex of a SHA-256
 * over the scope and everything that makes the request what it is (method, host, path and query, account,
 * API version, body; a multipart body without its random boundary).
 */
export function derivedIdempotencyKey(
	scope: string,
	parts: { method: string; url: string; account: string; version: string; body?: string | Buffer; contentType?: string },
): string {
	const hash = createHash('sha256');
	for (const part of [scope, parts.method, parts.url, parts.account, parts.version]) hash.update(`${part.length}:${part}\n`);
	let body: Buffer = Buffer.isBuffer(parts.body) ? parts.body : Buffer.from(parts.body ?? '', 'utf8');
	const boundary = /boundary=([^;]+)/.exec(parts.contentType ?? '')?.[1];
	if (boundary) body = Buffer.from(body.toString('latin1').split(boundary).join('BOUNDARY'), 'latin1');
	hash.update(body);
	const h = hash.digest('hex');
	return `n8n-${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** stripe-node sends a key on v1 POSTs that may be retried, and on every v2 POST and DELETE. */
export function needsIdempotencyKey(req: Pick<EncodedRequest, 'method' | 'apiMode'>, maxRetries: number): boolean {
	if (req.apiMode === 'v2') return req.method === 'POST' || req.method === 'DELETE';
	return req.method === 'POST' && maxRetries > 0;
}

function header(headers: StripeResponse['headers'], name: string): string | undefined {
	const v = headers[name] ?? headers[name.toLowerCase()];
	return Array.isArray(v) ? v[0] : v;
}

/** Whether an answer (or a network failure, when `statusCode` is undefined) is worth retrying. */
export function shouldRetry(statusCode: number | undefined, headers: StripeResponse['headers']): boolean {
	if (statusCode === undefined) return true;
	const advice = header(headers, 'stripe-should-retry');
	if (advice === 'false') return false;
	if (advice === 'true') return true;
	return statusCode === 409 || statusCode === 429 || statusCode >= 500;
}

export function retryDelayMs(retryNumber: number, retryAfterHeader?: string): number {
	let seconds = Math.min(RETRY.initialDelaySec * Math.pow(2, retryNumber - 1), RETRY.maxDelaySec);
	seconds *= 0.5 * (1 + Math.random());
	seconds = Math.max(RETRY.initialDelaySec, seconds);
	const retryAfter = retryAfterHeader !== undefined && /^\d+$/.test(retryAfterHeader.trim()) ? Number(retryAfterHeader) : NaN;
	if (Number.isInteger(retryAfter) && retryAfter <= RETRY.maxRetryAfterSec) seconds = Math.max(seconds, retryAfter);
	return seconds * 1000;
}

/** Stripe's error code in an error answer (`lock_timeout`, `rate_limit`, …), if any. */
function errorCode(body: unknown): string | undefined {
	const error = body && typeof body === 'object' ? (body as { error?: { code?: unknown } }).error : undefined;
	return error && typeof error === 'object' && typeof error.code === 'string' ? error.code : undefined;
}

/**
 * The error answer of a request that asked for bytes (a download, a Custom API Call), as text or parsed JSON like
 * any other error answer, so that Stripe's error object is read (message, code, retries). Success answers stay bytes.
 */
function readableErrorBody(statusCode: number, body: unknown): unknown {
	if (statusCode < 400 || !(Buffer.isBuffer(body) || body instanceof ArrayBuffer)) return body;
	const text = Buffer.from(body as Buffer).toString('utf8');
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return text;
	}
}

interface NetworkFailure {
	code?: string;
	message: string;
	/** The attempt's deadline cancelled it. */
	timedOut?: boolean;
}

function networkFailure(e: unknown): NetworkFailure {
	const err = e as { code?: string; cause?: { code?: string }; message?: string };
	return { code: err?.code ?? err?.cause?.code, message: String(err?.message ?? e) };
}

/**
 * Masks anything that looks like a credential in text received from a server (an error page of a proxy in
 * front of the API may echo the request, Authorization header included) before it goes into an error.
 */
export function maskSecrets(text: string): string {
	return (
		text
			// Keys anywhere (also glued to other text, as in `Bearer%20sk_test_…`), with `_` percent-encoded or not.
			.replace(/(sk|rk|pk)(_|%5f)(test|live)(_|%5f)(?:[A-Za-z0-9_]|%5f)+/gi, '$1_$3_…')
			.replace(/whsec(_|%5f)[A-Za-z0-9+/=%]+/gi, 'whsec_…')
			// The Base64 of a key (Basic credentials `key:`, or a key encoded on its own).
			.replace(/(c2tf|cmtf|cGtf)(dGVzdF|bGl2ZV)[A-Za-z0-9+/=]*/g, '$1$2…')
			// Authorization values, also URL-encoded (`Bearer%20…`, `Bearer+…`).
			.replace(/\b(Bearer|Basic)(\s+|%20|\+)[A-Za-z0-9._~+/=%-]+/gi, '$1 …')
	);
}

/** maskSecrets for any value: strings masked, other scalars kept, anything else (objects) as masked JSON. */
function maskValue(value: unknown): string | number | boolean {
	if (typeof value === 'number' || typeof value === 'boolean') return value;
	if (typeof value === 'string') return maskSecrets(value);
	let text: string;
	try {
		text = JSON.stringify(value) ?? String(value);
	} catch {
		text = String(value);
	}
	return maskSecrets(text);
}

/** Server text for an error message: one line, at most 200 characters, secrets masked. */
function serverText(text: string): string {
	const line = maskSecrets(text.replace(/\s+/g, ' ').trim());
	return line.length > 200 ? `${line.slice(0, 199)}…` : line;
}

/**
 * Stripe's error object (v1 `{error: {...}}`; v2 uses the same envelope) → a NodeApiError. Any other body (a
 * proxy's HTML page, truncated JSON) is quoted, shortened, in the message.
 */
export function stripeError(ctx: StripeContext, res: StripeResponse, itemIndex?: number): NodeApiError {
	const rawRequestId = header(res.headers, 'request-id');
	const requestId = rawRequestId === undefined ? undefined : serverText(String(rawRequestId));
	const body = res.body;
	const isStripeError = !!body && typeof body === 'object' && 'error' in body && typeof (body as JsonObject).error === 'object';
	const err: Record<string, unknown> = isStripeError
		? { ...((body as JsonObject).error as Record<string, unknown>) }
		: {
				message:
					typeof body === 'string' && body.trim() !== ''
						? `Stripe answered HTTP ${res.statusCode} with a body that is not JSON: ${serverText(body)}`
						: `Stripe answered HTTP ${res.statusCode} without an error object`,
			};
	// Every field shown anywhere (message, description, error item, run data) is masked: a server or proxy may
	// echo the request, key included, into any of them.
	const fields = ['type', 'code', 'decline_code', 'param', 'message', 'doc_url'] as const;
	for (const f of fields) if (err[f] !== undefined && err[f] !== null) err[f] = maskValue(err[f]);
	const details: JsonObject = { httpCode: res.statusCode };
	for (const f of fields) if (err[f] !== undefined && err[f] !== null) details[f] = err[f] as string;
	if (requestId) details.request_id = requestId;
	const type = String(err.type ?? 'api_error');
	const message = isStripeError ? `Stripe ${type}${err.code ? ` (${String(err.code)})` : ''}: ${String(err.message ?? 'request failed')}` : String(err.message);
	const description = [
		err.param ? `Parameter: ${String(err.param)}` : '',
		err.decline_code ? `Decline code: ${String(err.decline_code)}` : '',
		err.doc_url ? `Docs: ${String(err.doc_url)}` : '',
		requestId ? `Request ID: ${requestId}` : '',
		res.attempts > 1 ? `Attempts: ${res.attempts}` : '',
	]
		.filter(Boolean)
		.join(' · ');
	const apiError = new NodeApiError(ctx.getNode(), details, {
		message,
		description: description || undefined,
		httpCode: String(res.statusCode),
		itemIndex,
	});
	// NodeApiError may replace the message with a generic one for some status codes: keep Stripe's words.
	apiError.message = message;
	return apiError;
}

/**
 * The headers of a request: Stripe-Version (with a beta flag), Content-Type, the connected account
 * (Stripe-Account on v1, Stripe-Context on v2), the Idempotency-Key (the user's, or one generated as
 * stripe-node does: derived from the request's idempotency scope, else random), then the request's own.
 */
function requestHeaders(settings: StripeSettings, req: EncodedRequest, url: string, maxRetries: number): Record<string, string> {
	const headers: Record<string, string> = {
		Accept: 'application/json',
		'Stripe-Version': req.betaVersion ? `${settings.apiVersion}; ${req.betaVersion}` : settings.apiVersion,
	};
	if (req.contentType) headers['Content-Type'] = req.contentType;
	else headers['Content-Type'] = req.apiMode === 'v2' ? 'application/json' : 'application/x-www-form-urlencoded';
	const account = req.stripeAccount || settings.stripeAccount;
	if (account) headers[req.apiMode === 'v2' ? 'Stripe-Context' : 'Stripe-Account'] = account;
	let idempotencyKey = req.idempotencyKey;
	if (!idempotencyKey && needsIdempotencyKey(req, maxRetries)) {
		idempotencyKey = req.idempotencyScope
			? derivedIdempotencyKey(req.idempotencyScope, {
					method: req.method,
					url,
					account,
					version: headers['Stripe-Version'],
					body: req.body,
					contentType: headers['Content-Type'],
				})
			: newIdempotencyKey();
	}
	if (idempotencyKey) headers['Idempotency-Key'] = idempotencyKey;
	Object.assign(headers, req.headers);
	return headers;
}

/**
 * Nothing leaves with a header that HTTP would alter on the way (callers check their fields first; this
 * catches whatever reaches the transport otherwise).
 */
function checkSendable(ctx: StripeContext, req: EncodedRequest, headers: Record<string, string>): void {
	for (const [name, value] of Object.entries(headers)) {
		const unsendable = unsendableHeaderValue(String(value));
		if (unsendable) {
			throw new NodeOperationError(ctx.getNode(), `The ${name} header ${shown(String(value))} ${unsendable}`, {
				description: `Nothing was sent to Stripe (${req.method} ${req.path.split('?')[0]}).`,
				itemIndex: req.itemIndex,
			});
		}
	}
}

/** n8n's HTTP request options for every attempt of a request. */
function httpOptions(req: EncodedRequest, url: string, headers: Record<string, string>): IHttpRequestOptions {
	const options: IHttpRequestOptions = {
		method: req.method,
		url,
		headers,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		// Stripe's API never redirects. A redirect means a wrong base URL or something in between: it is not
		// followed (n8n would re-send the credential to any origin by default), and reported below.
		disableFollowRedirect: true,
		sendCredentialsOnCrossOriginRedirect: false,
		// No `timeout` (axios's idle timeout on the socket): the attempt's deadline (attemptClock) ends it sooner
		// or at the same time, whether the server is silent or trickles.
		json: !req.binaryResponse,
		...(req.binaryResponse ? { encoding: 'arraybuffer' as const } : {}),
	};
	if (req.body !== undefined && req.method !== 'GET') options.body = req.body;
	return options;
}

/** One attempt: the answer, or the network failure (`timedOut` when the attempt's deadline cancelled it). */
async function attempt(
	ctx: StripeContext,
	req: EncodedRequest,
	options: IHttpRequestOptions,
	attemptNo: number,
	cancelSignal: AbortSignal | undefined,
	timeoutMs: number,
): Promise<{ res?: StripeResponse; failure?: NetworkFailure }> {
	// The attempt's deadline: from sending the request to the last byte of the answer.
	const deadline = attemptClock.deadline(timeoutMs, {
		method: req.method,
		url: String(options.url),
		idempotencyKey: options.headers?.['Idempotency-Key'] as string | undefined,
	});
	const signal = cancelSignal ? AbortSignal.any([cancelSignal, deadline]) : deadline;
	try {
		const raw = (
			req.bearerToken
				? await ctx.helpers.httpRequest({ ...options, abortSignal: signal, headers: { ...options.headers, Authorization: `Bearer ${req.bearerToken}` } })
				: await ctx.helpers.httpRequestWithAuthentication.call(withCancelSignal(ctx, signal), CREDENTIAL_TYPE, { ...options, abortSignal: signal })
		) as { statusCode: number; headers: StripeResponse['headers']; body: unknown };
		const body = req.binaryResponse ? readableErrorBody(raw.statusCode, raw.body) : raw.body;
		return { res: { statusCode: raw.statusCode, headers: raw.headers ?? {}, body, attempts: attemptNo } };
	} catch (e) {
		const failure = networkFailure(e);
		if (deadline.aborted) failure.timedOut = true;
		return { failure };
	}
}

/**
 * The retries of one request: 429s have their own budget (time since the first one, see pacing.ts); Max
 * Retries counts the rest. `next` says how long to wait before the next attempt, or undefined: no more.
 */
class Retries {
	private rateLimited = 0;
	private firstLimitedAt = 0;

	constructor(private readonly maxRetries: number) {}

	next(attemptNo: number, res: StripeResponse | undefined): number | undefined {
		const retryable = res ? res.statusCode >= 400 && shouldRetry(res.statusCode, res.headers) : true;
		if (!retryable) return undefined;
		if (res?.statusCode === 429) {
			if (this.rateLimited++ === 0) this.firstLimitedAt = Date.now();
			if (rateLimitRetryAllowed(this.firstLimitedAt, this.maxRetries)) return retryDelayMs(this.rateLimited, header(res.headers, 'retry-after'));
			return undefined;
		}
		if (attemptNo - this.rateLimited > this.maxRetries) return undefined;
		return retryDelayMs(attemptNo - this.rateLimited, res ? header(res.headers, 'retry-after') : undefined);
	}
}

/** The error of a request that got no answer after its attempts: a timeout, or Stripe could not be reached. */
function networkError(
	ctx: StripeContext,
	settings: StripeSettings,
	req: EncodedRequest,
	failure: NetworkFailure | undefined,
	attempts: number,
	timeoutMs: number,
): NodeApiError {
	const timedOut = failure?.timedOut || failure?.code === 'ECONNABORTED' || failure?.code === 'ETIMEDOUT' || /timeout/i.test(failure?.message ?? '');
	const message = timedOut
		? `Stripe did not answer within ${timeoutMs / 1000} s`
		: `Could not reach Stripe at ${baseUrlFor(settings, req.host)} (${serverText(failure?.code ?? failure?.message ?? 'network error')})`;
	const tries = `${req.method} ${req.path.split('?')[0]} failed after ${attempts} attempt${attempts > 1 ? 's' : ''}.`;
	const error = new NodeApiError(
		ctx.getNode(),
		{ code: failure?.code ?? 'network_error' },
		{
			message,
			description: timedOut
				? `${tries} Each attempt may take ${timeoutMs / 1000} s, from sending the request to the end of the answer (Request Options → Timeout).`
				: tries,
			itemIndex: req.itemIndex,
		},
	);
	// NodeApiError maps some error codes to generic texts: keep ours, which names the host.
	error.message = message;
	return error;
}

/**
 * Send one encoded request (with retries) and return the final answer, whatever its status, for the caller to
 * read. Only client.ts calls this (`callStripe(…, 'return')`); `sendExpectingSuccess` below throws instead.
 */
export async function sendAnyAnswer(ctx: StripeContext, settings: StripeSettings, req: EncodedRequest): Promise<StripeResponse> {
	const maxRetries = req.maxRetries ?? RETRY.defaultMaxRetries;
	const timeoutMs = req.timeoutMs ?? DEFAULT_TIMEOUT_MS;
	const url = baseUrlFor(settings, req.host) + req.path;
	const headers = requestHeaders(settings, req, url, maxRetries);
	checkSendable(ctx, req, headers);
	const options = httpOptions(req, url, headers);
	settings.pacing ??= newPacing();
	const pacing = settings.pacing;
	const cancelSignal = 'getExecutionCancelSignal' in ctx ? ctx.getExecutionCancelSignal() : undefined;
	const retries = new Retries(maxRetries);
	let delayMs = 0;
	for (let attemptNo = 1; ; attemptNo++) {
		const waitMs = pacedDelayMs(pacing, delayMs);
		if (waitMs > 0) await sleep(waitMs);
		const { res, failure } = await attempt(ctx, req, options, attemptNo, cancelSignal, timeoutMs);
		if (cancelSignal?.aborted) {
			throw new NodeOperationError(ctx.getNode(), 'The execution was cancelled while waiting for Stripe', { itemIndex: req.itemIndex });
		}
		if (res && res.statusCode >= 300 && res.statusCode < 400) throw redirectError(ctx, req, res, url);
		observeAnswer(pacing, res?.statusCode, Date.now(), res ? errorCode(res.body) : undefined);
		const next = retries.next(attemptNo, res);
		if (next !== undefined) {
			delayMs = next;
			continue;
		}
		if (res) return res;
		throw networkError(ctx, settings, req, failure, attemptNo, timeoutMs);
	}
}

/**
 * `ctx` with another execution-cancel signal. n8n's httpRequestWithAuthentication replaces a request's
 * abortSignal by the execution's; the attempt's deadline must also abort it, so it gets both.
 */
function withCancelSignal(ctx: StripeContext, signal: AbortSignal): StripeContext {
	if (!('getExecutionCancelSignal' in ctx)) return ctx;
	return Object.create(ctx, { getExecutionCancelSignal: { value: () => signal } }) as StripeContext;
}

/** A 3xx answer: never followed (see sendAnyAnswer), reported with where it pointed (masked). */
function redirectError(ctx: StripeContext, req: EncodedRequest, res: StripeResponse, url: string): NodeApiError {
	const location = header(res.headers, 'location');
	let target = 'no location';
	if (location) {
		try {
			target = new URL(location, url).origin;
		} catch {
			target = serverText(location);
		}
	}
	const requestId = header(res.headers, 'request-id');
	const message = `Stripe answered HTTP ${res.statusCode}, a redirect to ${maskSecrets(target)}, which is not followed`;
	const error = new NodeApiError(
		ctx.getNode(),
		{ httpCode: res.statusCode },
		{
			message,
			description: [
				`Stripe's API never redirects, so the credential's Base URL (or a proxy in between) is wrong. The request (${req.method} ${req.path.split('?')[0]}) was not sent anywhere else and not retried.`,
				requestId ? `Request ID: ${serverText(requestId)}` : '',
			]
				.filter(Boolean)
				.join(' · '),
			httpCode: String(res.statusCode),
			itemIndex: req.itemIndex,
		},
	);
	error.message = message;
	return error;
}

/**
 * Send one encoded request and return Stripe's JSON (or bytes), throwing a NodeApiError for any error answer.
 * Only client.ts calls this (`callStripe(…, 'throw')`).
 */
export async function sendExpectingSuccess(ctx: StripeContext, settings: StripeSettings, req: EncodedRequest): Promise<StripeResponse> {
	const res = await sendAnyAnswer(ctx, settings, req);
	if (res.statusCode >= 400) throw stripeError(ctx, res, req.itemIndex);
	if (!req.binaryResponse && typeof res.body === 'string') {
		if (res.body === '') return { ...res, body: {} };
		const requestId = header(res.headers, 'request-id');
		const description = [
			`HTTP ${res.statusCode}, ${res.body.length} bytes`,
			requestId ? `Request ID: ${serverText(String(requestId))}` : '',
			// Not retried: Stripe may have carried the request out; a retry would only replay the same answer.
			req.method === 'GET' ? '' : 'Stripe may have carried the request out: check before sending it again',
		];
		throw new NodeApiError(
			ctx.getNode(),
			{ httpCode: res.statusCode },
			{ message: 'Stripe answered with a body that is not JSON', description: description.filter(Boolean).join(' · '), itemIndex: req.itemIndex },
		);
	}
	return res;
}
