/**
 * Custom API Call: every family node sends a request to any Stripe endpoint itself. These fields give a method,
 * a path under `/v1/` or `/v2/`, parameters as key/value pairs or JSON and optionally a file, and the executor
 * sends them through the one client like any operation (encoding, Stripe-Version, Stripe-Account, idempotency
 * keys, retries, pacing, timeouts, masking).
 *
 * The choice is the package's own, with its own value (`customApiCall`), last in the Resource dropdown and in
 * every Operation dropdown. n8n 2.41.1 would otherwise add its own (load-nodes-and-credentials.js
 * `injectCustomApiCallOptions`: to every `resource`/`operation` dropdown of a node whose credential authenticates
 * requests, unless its last option is already named "Custom API Call"), and its editor hides every field but
 * Resource and Operation while either is `__CUSTOM_API_CALL__` (ParameterInputList `isCustomApiCallSelected`),
 * showing a notice about the HTTP Request node instead: a dead end. With our entry last, n8n injects nothing,
 * and the panel shows these fields. Workflows saved with n8n's value (JSON, the API, earlier versions) keep
 * running: the fields are also shown for it, and the executor takes both values.
 */
import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import type { HostKind, OperationDescriptor } from '../model/descriptor';
import { property } from './shapes';
import { isPlainObject } from '../client/answers';
import { ParamError, parseJson } from './values';

/** The value of the package's own "Custom API Call" choice. */
export const CUSTOM_API_CALL = 'customApiCall';

/** The value n8n gives the "Custom API Call" it injects (n8n's CUSTOM_API_CALL_KEY), kept for saved workflows. */
export const N8N_CUSTOM_API_CALL = '__CUSTOM_API_CALL__';

/** The Resource or Operation values that mean a Custom API Call. */
export const CUSTOM_API_CALL_VALUES = [CUSTOM_API_CALL, N8N_CUSTOM_API_CALL];

/** n8n's name for the choice (CUSTOM_API_CALL_NAME): a dropdown whose last option has it gets no injected one. */
const CUSTOM_API_CALL_NAME = 'Custom API Call';

/** The last option of the Resource dropdown, and (with its action) of every Operation dropdown. */
export function customCallOption(action?: string): INodePropertyOptions {
	return action ? { name: CUSTOM_API_CALL_NAME, value: CUSTOM_API_CALL, action } : { name: CUSTOM_API_CALL_NAME, value: CUSTOM_API_CALL };
}

export const CUSTOM = {
	method: 'customMethod',
	path: 'customPath',
	send: 'customSend',
	parameters: 'customParameters',
	json: 'customJson',
	file: 'customFile',
};

const SHOW = { operation: CUSTOM_API_CALL_VALUES };

/**
 * The hosts Stripe uses for other endpoints than api.stripe.com (stripe@17.4.0: `files.create` and
 * `quotes.pdf` on files.stripe.com, the v2 meter event stream on meter-events.stripe.com). A test checks this
 * table against the host of every operation of the descriptors (a file's contents are a download from
 * files.stripe.com too, a hand-authored operation).
 */
export const CUSTOM_HOSTS: Array<{ method: string; path: RegExp; host: HostKind }> = [
	{ method: 'POST', path: /^\/v1\/files$/, host: 'files' },
	{ method: 'GET', path: /^\/v1\/quotes\/[^/]+\/pdf$/, host: 'files' },
	{ method: 'GET', path: /^\/v1\/files\/[^/]+\/contents$/, host: 'files' },
	{ method: 'POST', path: /^\/v2\/billing\/meter_event_stream$/, host: 'meterEvents' },
];

export function customHost(method: string, path: string): HostKind {
	return CUSTOM_HOSTS.find((h) => h.method === method && h.path.test(path.split('?')[0]))?.host ?? 'api';
}

/**
 * The fields of a Custom API Call, once per node. A resource-level choice of Custom API Call gets an
 * Operation dropdown of its own whose only choice (and default) is Custom API Call, so both ways lead to
 * the same fields (its action names the node: n8n's node creator lists the actions of all nodes together).
 * It is over 60 lines because it is data: the field definitions one after another, with no logic to split.
 */
export function customCallFields(nodeName: string): INodeProperties[] {
	const show = { show: SHOW };
	const parameters = property(
		{
			name: CUSTOM.parameters,
			type: 'map',
			items: { type: 'string' },
			description:
				'Query of a GET or DELETE, body of a POST. Nested names in brackets: metadata[order_id], items[0][price]. Values are text (v2 numbers: use JSON).',
		},
		false,
	);
	return [
		{
			displayName: 'Operation',
			name: 'operation',
			type: 'options',
			noDataExpression: true,
			displayOptions: { show: { resource: CUSTOM_API_CALL_VALUES } },
			options: [customCallOption(`Make a custom API call for ${nodeName.replace(/^Stripe | \(.*\)$/g, '').toLowerCase()}`)],
			default: CUSTOM_API_CALL,
		},
		{
			displayName: 'Method',
			name: CUSTOM.method,
			type: 'options',
			options: ['DELETE', 'GET', 'POST'].map((m) => ({ name: m, value: m })),
			default: 'GET',
			displayOptions: show,
		},
		{
			displayName: 'Path',
			name: CUSTOM.path,
			type: 'string',
			required: true,
			default: '',
			placeholder: '/v1/customers',
			description:
				'Path from Stripe’s API reference, starting with /v1/ or /v2/, e.g. /v1/customers/cus_123. Sent with this node’s credential, retries and idempotency keys.',
			displayOptions: show,
		},
		{
			displayName: 'Send Parameters',
			name: CUSTOM.send,
			type: 'options',
			options: [
				{ name: 'None', value: 'none' },
				{ name: 'Using Fields Below', value: 'fields' },
				{ name: 'Using JSON', value: 'json' },
			],
			default: 'none',
			displayOptions: show,
		},
		{ ...parameters, displayName: 'Parameters', displayOptions: { show: { ...SHOW, [CUSTOM.send]: ['fields'] } } },
		{
			displayName: 'Parameters (JSON)',
			name: CUSTOM.json,
			type: 'json',
			default: '{}',
			description: 'Query of a GET or DELETE, body of a POST',
			displayOptions: { show: { ...SHOW, [CUSTOM.send]: ['json'] } },
		},
		{
			displayName: 'Input Binary Field',
			name: CUSTOM.file,
			type: 'string',
			default: '',
			placeholder: 'e.g. data',
			description: 'Binary field of the input item sent as the multipart parameter `file` (Stripe’s file upload). Empty: no file.',
			displayOptions: { show: { ...SHOW, [CUSTOM.method]: ['POST'] } },
		},
	];
}

/** What a Custom API Call's fields say, checked: the path (with any query), the parameters, the file field. */
export interface CustomCall {
	method: 'GET' | 'POST' | 'DELETE';
	path: string;
	params: Record<string, unknown>;
	binaryField?: string;
}

const PATH = /^\/v[12]\/[A-Za-z0-9_.~%:-]+(\/[A-Za-z0-9_.~%:-]+)*(\?[^\s#]*)?$/;

/** The path as given, refused unless it is a Stripe API path (`/v1/…`, `/v2/…`) and nothing else. */
export function checkCustomPath(value: unknown): string {
	const label = '"Path" (customPath)';
	const path = String(value ?? '').trim();
	if (path === '') throw new ParamError(label, 'is required');
	if (/^[a-z]+:\/\//i.test(path) || path.startsWith('//'))
		throw new ParamError(label, `"${path}" is a URL: give only the path, starting with /v1/ or /v2/ (the host comes from the credential)`);
	if (!PATH.test(path) || /(^|\/)\.\.?(\/|\?|$)/.test(path.split('?')[0]))
		throw new ParamError(label, `"${path}" is not a Stripe API path: it must start with /v1/ or /v2/ and contain no spaces, "..", "#" or backslashes`);
	return path;
}

/** `items[0][price]` → ['items', '0', 'price']; a name that is not of that form is one key. */
function keyPath(name: string): string[] {
	const m = /^([^[\]]+)((\[[^[\]]*\])+)$/.exec(name);
	if (!m) return [name];
	return [m[1], ...[...m[2].matchAll(/\[([^[\]]*)\]/g)].map((x) => x[1])];
}

/** Key/value pairs → parameters, bracketed names nested (`metadata[a]` → { metadata: { a } }; `[0]` → lists). */
export function nestParameters(pairs: Array<{ key: string; value: unknown }>): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	for (const { key, value } of pairs) {
		const name = key.trim();
		const label = `"Parameters" (${CUSTOM.parameters}) entry "${name}"`;
		if (name === '') throw new ParamError(`"Parameters" (${CUSTOM.parameters})`, 'has an entry without a name');
		const path = keyPath(name);
		if (path.some((p) => p === '' || p === '__proto__' || p === 'constructor' || p === 'prototype')) throw new ParamError(label, 'is not a parameter name');
		let node: Record<string, unknown> | unknown[] = out;
		for (let i = 0; i < path.length; i++) {
			const k = path[i];
			const index = /^\d+$/.test(k) ? Number(k) : undefined;
			if (Array.isArray(node) !== (index !== undefined)) throw new ParamError(label, 'mixes list positions and names at one level with other entries');
			const slot = node as Record<string | number, unknown>;
			const here = index ?? k;
			if (i === path.length - 1) {
				if (slot[here] !== undefined) throw new ParamError(label, 'is given twice, or also as a nested name');
				slot[here] = value;
			} else {
				if (slot[here] === undefined) slot[here] = /^\d+$/.test(path[i + 1]) ? [] : {};
				else if (!isPlainObject(slot[here]) && !Array.isArray(slot[here])) throw new ParamError(label, 'is nested in a name that already has a value');
				node = slot[here] as Record<string, unknown> | unknown[];
			}
		}
	}
	return out;
}

/** Read a Custom API Call's fields. `valueOf(name, fallback)`: the item's value of a field. */
export function readCustomCall(valueOf: (name: string, fallback: unknown) => unknown): CustomCall {
	const method = String(valueOf(CUSTOM.method, 'GET')).toUpperCase();
	if (method !== 'GET' && method !== 'POST' && method !== 'DELETE')
		throw new ParamError(`"Method" (${CUSTOM.method})`, `must be GET, POST or DELETE (the methods of Stripe’s API), got "${method}"`);
	const path = checkCustomPath(valueOf(CUSTOM.path, ''));
	const send = String(valueOf(CUSTOM.send, 'none'));
	let params: Record<string, unknown> = {};
	if (send === 'fields') {
		const raw = valueOf(CUSTOM.parameters, {});
		const entries = isPlainObject(raw) && Array.isArray(raw.entries) ? (raw.entries as Array<{ key?: unknown; value?: unknown }>) : [];
		params = nestParameters(entries.map((e) => ({ key: String(e.key ?? ''), value: e.value ?? '' })));
	} else if (send === 'json') {
		let given = valueOf(CUSTOM.json, '{}');
		const label = `"Parameters (JSON)" (${CUSTOM.json})`;
		if (typeof given === 'string') given = given.trim() === '' ? {} : parseJson(given, CUSTOM.json, label);
		if (!isPlainObject(given)) throw new ParamError(label, `expected a JSON object of parameters, got ${Array.isArray(given) ? 'a list' : typeof given}`);
		params = given;
	}
	const file = method === 'POST' ? String(valueOf(CUSTOM.file, '') ?? '').trim() : '';
	if (file && path.startsWith('/v2/'))
		throw new ParamError(`"Input Binary Field" (${CUSTOM.file})`, 'files are sent to v1 endpoints only (v2 bodies are JSON)');
	return { method, path, params, binaryField: file || undefined };
}

/** A Custom API Call as an operation of its own, for the executor and the client. */
export function customOperation(call: CustomCall): OperationDescriptor {
	return {
		value: CUSTOM_API_CALL,
		name: 'Custom API Call',
		description: 'A request to any Stripe endpoint',
		method: call.method,
		path: call.path,
		apiMode: call.path.startsWith('/v2/') ? 'v2' : 'v1',
		host: customHost(call.method, call.path),
		kind: 'plain',
		pathParams: [],
		params: [],
		bodyEncoding: call.binaryField ? 'multipart' : undefined,
		// Any endpoint: a file (a quote's PDF, a file's contents) becomes binary data, JSON the item's json.
		response: 'any',
	};
}
