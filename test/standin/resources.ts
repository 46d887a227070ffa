/**
 * The v1 resources the stand-in serves, as data. Each entry makes /v1/<path> support create (POST),
 * list (GET), retrieve (GET /:id), update (POST /:id), delete (DELETE /:id, unless deletable=false) and
 * search (GET /search, when searchable). Add a resource by adding an entry.
 */

import type { FormObject, FormValue } from './form';

export type StripeObject = { [key: string]: unknown };

export interface ResourceDef {
	/** Path under /v1, e.g. 'customers' or 'billing/meters'. */
	path: string;
	/** The `object` field, e.g. 'customer'. */
	object: string;
	/** ID prefix without underscore, e.g. 'cus'. */
	idPrefix: string;
	/** Fields of a new object before the create parameters are applied. */
	defaults?: (ctx: { id: string; created: number }) => StripeObject;
	/** Allowed create/update parameters (top level). Unknown ones are rejected like Stripe does. Omit to accept any. */
	createParams?: string[];
	updateParams?: string[];
	/** Required create parameters. */
	required?: string[];
	/** Parameters accepted but not stored on the object (e.g. `expand`, `source`). */
	writeOnly?: string[];
	/** Integer fields: form strings are converted to numbers. */
	integers?: string[];
	/** Boolean fields: 'true'/'false' are converted. */
	booleans?: string[];
	/** Extra list filters (exact match on a top-level field), besides limit/starting_after/ending_before/created/expand. */
	listFilters?: string[];
	searchable?: boolean;
	/** false: DELETE is not supported (404 like Stripe's unrecognized URL). Default true. */
	deletable?: boolean;
	/** true: retrieving a deleted object answers `{id, object, deleted: true}` (customers do this). */
	retrieveDeleted?: boolean;
	/** Sets fields computed on every write (e.g. `updated`). */
	onWrite?: (obj: StripeObject, now: number) => void;
}

export interface SingletonDef {
	/** Path under /v1, e.g. 'balance'. */
	path: string;
	get: () => StripeObject;
}

const EXPAND = ['expand'];

function randomUpper(n: number): string {
	const chars = 'ABCDEF0123456789';
	let s = '';
	for (let i = 0; i < n; i++) s += chars[Math.floor(Math.random() * chars.length)];
	return s;
}

export const resources: ResourceDef[] = [
	{
		path: 'customers',
		object: 'customer',
		idPrefix: 'cus',
		defaults: ({ id, created }) => ({
			id,
			object: 'customer',
			address: null,
			balance: 0,
			created,
			currency: null,
			default_source: null,
			delinquent: false,
			description: null,
			discount: null,
			email: null,
			invoice_prefix: randomUpper(8),
			invoice_settings: {
				custom_fields: null,
				default_payment_method: null,
				footer: null,
				rendering_options: null,
			},
			livemode: false,
			metadata: {},
			name: null,
			next_invoice_sequence: 1,
			phone: null,
			preferred_locales: [],
			shipping: null,
			tax_exempt: 'none',
			test_clock: null,
		}),
		createParams: [
			'address',
			'balance',
			'cash_balance',
			'coupon',
			'description',
			'email',
			'expand',
			'invoice_prefix',
			'invoice_settings',
			'metadata',
			'name',
			'next_invoice_sequence',
			'payment_method',
			'phone',
			'preferred_locales',
			'promotion_code',
			'shipping',
			'source',
			'tax',
			'tax_exempt',
			'tax_id_data',
			'test_clock',
			'validate',
		],
		updateParams: [
			'address',
			'balance',
			'cash_balance',
			'coupon',
			'default_source',
			'description',
			'email',
			'expand',
			'invoice_prefix',
			'invoice_settings',
			'metadata',
			'name',
			'next_invoice_sequence',
			'phone',
			'preferred_locales',
			'promotion_code',
			'shipping',
			'source',
			'tax',
			'tax_exempt',
			'validate',
		],
		writeOnly: [
			...EXPAND,
			'cash_balance',
			'coupon',
			'payment_method',
			'promotion_code',
			'source',
			'tax',
			'tax_id_data',
			'validate',
		],
		integers: ['balance', 'next_invoice_sequence'],
		listFilters: ['email', 'test_clock'],
		searchable: true,
		retrieveDeleted: true,
	},
	{
		path: 'products',
		object: 'product',
		idPrefix: 'prod',
		defaults: ({ id, created }) => ({
			id,
			object: 'product',
			active: true,
			attributes: [],
			created,
			default_price: null,
			description: null,
			images: [],
			livemode: false,
			marketing_features: [],
			metadata: {},
			name: null,
			package_dimensions: null,
			shippable: null,
			statement_descriptor: null,
			tax_code: null,
			type: 'service',
			unit_label: null,
			updated: created,
			url: null,
		}),
		required: ['name'],
		writeOnly: [...EXPAND, 'default_price_data'],
		booleans: ['active', 'shippable'],
		listFilters: ['active', 'type', 'shippable', 'url'],
		searchable: true,
		onWrite: (obj, now) => {
			obj.updated = now;
		},
	},
	{
		path: 'prices',
		object: 'price',
		idPrefix: 'price',
		defaults: ({ id, created }) => ({
			id,
			object: 'price',
			active: true,
			billing_scheme: 'per_unit',
			created,
			currency: null,
			custom_unit_amount: null,
			livemode: false,
			lookup_key: null,
			metadata: {},
			nickname: null,
			product: null,
			recurring: null,
			tax_behavior: 'unspecified',
			tiers_mode: null,
			transform_quantity: null,
			type: 'one_time',
			unit_amount: null,
			unit_amount_decimal: null,
		}),
		required: ['currency'],
		writeOnly: [...EXPAND, 'product_data', 'transfer_lookup_key'],
		integers: ['unit_amount'],
		booleans: ['active'],
		listFilters: ['active', 'currency', 'product', 'type'],
		searchable: true,
		deletable: false,
		onWrite: (obj) => {
			if (obj.unit_amount !== null && obj.unit_amount !== undefined && obj.unit_amount_decimal === null) {
				obj.unit_amount_decimal = String(obj.unit_amount);
			}
			if (obj.recurring) obj.type = 'recurring';
		},
	},
];

export const singletons: SingletonDef[] = [
	{
		path: 'balance',
		get: () => ({
			object: 'balance',
			available: [{ amount: 0, currency: 'usd', source_types: { card: 0 } }],
			connect_reserved: [{ amount: 0, currency: 'usd' }],
			livemode: false,
			pending: [{ amount: 0, currency: 'usd', source_types: { card: 0 } }],
		}),
	},
];

/** Converts declared integer/boolean fields from their form-string form. */
export function coerce(def: ResourceDef, params: FormObject): { [key: string]: unknown } {
	const out: { [key: string]: unknown } = { ...params };
	for (const k of def.integers ?? []) {
		const v = out[k];
		if (typeof v === 'string' && v !== '') {
			if (!/^-?\d+$/.test(v)) throw new ParamError(k, `Invalid integer: ${v}`, 'parameter_invalid_integer');
			out[k] = Number(v);
		}
	}
	for (const k of def.booleans ?? []) {
		const v = out[k];
		if (typeof v === 'string' && v !== '') {
			if (v !== 'true' && v !== 'false') throw new ParamError(k, `Invalid boolean: ${v}`, 'parameter_invalid_boolean');
			out[k] = v === 'true';
		}
	}
	return out;
}

export class ParamError extends Error {
	constructor(
		public param: string,
		message: string,
		public code = 'parameter_invalid',
	) {
		super(message);
	}
}

export type { FormValue };
