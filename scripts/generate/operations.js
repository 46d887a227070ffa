/*
 * Step 3. One operation descriptor per stripe-node method: its method table entry, its typings and its entry
 * in the family map (badges, reference page), named in n8n's words, then descriptors/overrides.json applied.
 */
'use strict';
const { membersOf, orderKeys } = require('./typings');
const { applyOverrides } = require('./overrides');

const OPERATION_WORDS = { del: 'Delete', retrieve: 'Retrieve', list: 'List', create: 'Create', update: 'Update' };

/**
 * n8n's operation names: Create / Get / Get Many / Update / Delete / Search, and Stripe's own verbs (Capture,
 * Finalize, Void, …) as they are. Applied to every operation, hand-authored ones included; the operation's
 * value (what workflows store) and its description (Stripe's wording) stay.
 */
function n8nOperationName(name) {
	return name.replace(/^Retrieve\b/, 'Get').replace(/^List\b/, 'Get Many');
}

function humanize(method) {
	if (OPERATION_WORDS[method]) return OPERATION_WORDS[method];
	const words = method.replace(/([a-z0-9])([A-Z])/g, '$1 $2').split(' ');
	return words.map((w, i) => (i === 0 ? w[0].toUpperCase() + w.slice(1) : w)).join(' ');
}

function operationKind(entry) {
	if (entry.methodType === 'search') return 'search';
	if (entry.methodType === 'list') return entry.fullPath.startsWith('/v2/') ? 'v2list' : 'list';
	return 'plain';
}

function hostKind(host) {
	if (!host) return 'api';
	if (host.startsWith('files.')) return 'files';
	if (host.startsWith('meter-events.')) return 'meterEvents';
	throw new Error(`unknown host ${host}`);
}

function badgeOf(mapEntry, sdkPath, sig) {
	const badges = [];
	if (sdkPath.startsWith('testHelpers.') || (mapEntry && mapEntry.badge === 'Test helper')) badges.push('testHelper');
	if ((mapEntry && mapEntry.badge === 'Deprecated') || (sig && sig.deprecated)) badges.push('deprecated');
	if (mapEntry && mapEntry.badge === 'Preview feature') badges.push('preview');
	return badges;
}

function operationValue(method, badges) {
	const base = method === 'del' ? 'delete' : method;
	return badges.includes('testHelper') ? 'testHelper' + base[0].toUpperCase() + base.slice(1) : base;
}

function operationName(method, badges) {
	let name = humanize(method);
	if (badges.includes('testHelper')) name += ' (Test Mode Only)';
	if (badges.includes('preview')) name += ' (Preview)';
	if (badges.includes('deprecated')) name += ' (Deprecated)';
	return name;
}

function buildOperation(sdkPath, entry, sig, mapEntry, checker) {
	const method = sdkPath.split('.').pop();
	const badges = badgeOf(mapEntry, sdkPath, sig);
	const placeholders = (entry.fullPath.match(/\{\w+\}/g) || []).map((p) => p.slice(1, -1));
	let params = sig && sig.paramsType ? membersOf(sig.paramsType, checker, 1, []) : [];
	if (entry.multipart) {
		// A file part ({data, name, type} with Buffer data) is uploaded from an n8n binary property.
		params = params.map((p) =>
			p.type === 'object' && (p.members || []).some((m) => m.name === 'data' && (m.type === 'file' || (m.anyOf || []).some((a) => a.type === 'file')))
				? orderKeys({ name: p.name, type: 'file', required: p.required, description: p.description })
				: p,
		);
	}
	const op = {
		value: operationValue(method, badges),
		name: operationName(method, badges),
		description: sig ? sig.description : '',
		sdk: sdkPath,
		method: entry.method,
		path: entry.fullPath,
		apiMode: entry.fullPath.startsWith('/v2/') ? 'v2' : 'v1',
		host: hostKind(entry.host),
		kind: operationKind(entry),
		pathParams: placeholders.map((p, i) => ({
			name: p,
			type: 'string',
			required: true,
			description: pathParamDescription(p, entry.fullPath, sig && sig.pathArgs[i]),
		})),
		params,
	};
	if (entry.multipart) op.bodyEncoding = 'multipart';
	if (entry.streaming) op.response = 'binary';
	if (badges.length) op.badges = badges;
	if (mapEntry && mapEntry.docSlug) op.docUrl = `https://docs.stripe.com${mapEntry.docSlug}`;
	return applyOverrides(op);
}

/**
 * What a path ID is the ID of, in words: the placeholder without `_id` and without words of Stripe's
 * internals (`subscription_exposed_id` is a subscription's ID); for a bare `{id}`, the collection before it
 * (`/tax_ids/{id}` → "tax ID", `/refunds/{id}` → "refund").
 */
function pathParamNoun(placeholder, fullPath, argName) {
	let noun = placeholder;
	if (placeholder === 'id') {
		const segments = fullPath.split('/');
		const before = segments[segments.indexOf('{id}') - 1] || '';
		noun = before && !before.startsWith('{') ? before.replace(/ies$/, 'y').replace(/s$/, '') : (argName || '').replace(/Id$/, '');
	}
	return noun
		.replace(/([a-z])([A-Z])/g, '$1_$2')
		.toLowerCase()
		.split('_')
		.filter((w) => w && w !== 'exposed')
		.join(' ')
		.replace(/ id$/, ' ID')
		.replace(/^id$/, '');
}

function pathParamDescription(placeholder, fullPath, argName) {
	const noun = pathParamNoun(placeholder, fullPath, argName);
	if (!noun) return 'The object ID';
	return / ID$/.test(noun) ? `The ${noun}` : `The ID of the ${noun}`;
}

module.exports = { buildOperation, humanize, n8nOperationName };
