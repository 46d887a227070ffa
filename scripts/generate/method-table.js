/*
 * Step 1. The SDK's method tables: which HTTP method, path, host and pagination kind every stripe-node method
 * uses, captured by loading the SDK with a recording stand-in for StripeResource.method.
 */
'use strict';
const path = require('path');
const { STRIPE_DIR, FAMILY_MAP } = require('./inputs');

/** A stripe-node client whose methods return their spec instead of sending (StripeResource.method recorded while the SDK loads). */
function recordingClient(StripeResource) {
	const original = StripeResource.method;
	StripeResource.method = (spec) => {
		const recorder = function () {
			return { __spec: spec };
		};
		recorder.__spec = spec;
		return recorder;
	};
	let Stripe;
	try {
		Stripe = require(path.join(STRIPE_DIR, 'cjs/stripe.cjs.node.js'));
		Stripe = Stripe.default || Stripe;
	} finally {
		StripeResource.method = original;
	}
	return new Stripe('sk_test_generator', { apiVersion: FAMILY_MAP.apiVersion });
}

/** Every method of one resource into the table, keyed `<sdkPrefix>.<method>`. */
function recordResource(resource, sdkPrefix, table) {
	const proto = Object.getPrototypeOf(resource);
	const multipart = typeof proto.requestDataProcessor === 'function';
	for (const name of Object.getOwnPropertyNames(proto)) {
		if (name === 'constructor' || name.startsWith('_') || name === 'addFetchRelatedObjectIfNeeded') continue;
		const fn = proto[name];
		if (typeof fn !== 'function') continue;
		let spec = fn.__spec;
		if (!spec) {
			// Hand-maintained SDK methods build their spec when called.
			try {
				const r = fn.call(resource, 'placeholder_id');
				spec = r && r.__spec;
			} catch {
				spec = undefined;
			}
		}
		if (!spec) continue;
		table.set(`${sdkPrefix}.${name}`, {
			method: spec.method,
			fullPath: spec.fullPath,
			methodType: spec.methodType || null,
			host: spec.host || null,
			streaming: !!spec.streaming,
			multipart: multipart && spec.method === 'POST',
		});
	}
}

function loadMethodTable() {
	const { StripeResource } = require(path.join(STRIPE_DIR, 'cjs/StripeResource.js'));
	const client = recordingClient(StripeResource);
	const table = new Map();
	const seen = new Set();

	const walk = (obj, prefix) => {
		for (const key of Object.keys(obj)) {
			// `account` is the SDK's untyped legacy alias of `accounts`.
			if (key.startsWith('_') || ['errors', 'webhooks', 'StripeResource', 'account'].includes(key)) continue;
			const value = obj[key];
			if (!value || typeof value !== 'object' || seen.has(value)) continue;
			seen.add(value);
			const sdkPrefix = prefix ? `${prefix}.${key}` : key;
			if (value instanceof StripeResource) recordResource(value, sdkPrefix, table);
			else if (Object.getPrototypeOf(value) === Object.prototype || value.constructor.name === 'ResourceNamespace') walk(value, sdkPrefix);
		}
	};
	walk(client, '');
	return table;
}

module.exports = { loadMethodTable };
