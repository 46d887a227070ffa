/**
 * Deterministic sample values for any parameter schema, and their shape as node field values, so one
 * generated case can be sent both through our node and through stripe-node.
 */
import type { OperationDescriptor, ParamSchema } from '../../nodes/shared/model/descriptor';
import { locatorKind, optionalParams, pathFieldName, requiredParams } from '../../nodes/shared/fields/properties';
import { isShown, shapeKind } from '../../nodes/shared/fields/shapes';
import { planOperation } from '../../nodes/shared/fields/json-rule';
import { write } from './write';

type Schema = Omit<ParamSchema, 'name'> & { name?: string };

/** Text that exercises the encoder: spaces, reserved and non-ASCII characters. */
export const TRICKY_TEXT = "Café & co: 100% (x) [y] {z} a+b=c/d?e#f 'g' *h* ~i~ !j 😀";
/**
 * For v2 JSON bodies: stripe-node 17.4.0 sets Content-Length to the body's UTF-16 length, not its byte
 * length, so a non-ASCII JSON body arrives truncated — an SDK bug we do not reproduce (our node sends the
 * right length), hence ASCII-only samples for v2.
 */
export const TRICKY_TEXT_ASCII = "Cafe & co: 100% (x) [y] {z} a+b=c/d?e#f 'g' *h* ~i~ !j";

let trickyText = TRICKY_TEXT;

/** A small stable number for a name, so different parameters get different (but repeatable) values. */
function pickFor(name: string, n: number): number {
	let h = 7;
	for (const c of name) h = (h * 31 + c.charCodeAt(0)) >>> 0;
	return n > 0 ? h % n : 0;
}

/** Stripe's ID prefixes for the objects parameters name (docs.stripe.com/api: each object's example ID). */
const ID_PREFIXES: Record<string, string> = {
	account: 'acct',
	on_behalf_of: 'acct',
	destination: 'acct',
	customer: 'cus',
	price: 'price',
	product: 'prod',
	plan: 'price',
	payment_method: 'pm',
	default_payment_method: 'pm',
	payment_intent: 'pi',
	setup_intent: 'seti',
	charge: 'ch',
	invoice: 'in',
	invoice_item: 'ii',
	subscription: 'sub',
	subscription_item: 'si',
	subscription_schedule: 'sub_sched',
	promotion_code: 'promo',
	tax_rates: 'txr',
	default_tax_rates: 'txr',
	shipping_rate: 'shr',
	source: 'src',
	default_source: 'src',
	test_clock: 'clock',
	meter: 'mtr',
	mandate: 'mandate',
	financial_account: 'fa',
	financial_connections_account: 'fca',
	cardholder: 'ich',
	card: 'card',
	confirmation_token: 'ctoken',
	payment_method_configuration: 'pmc',
	session: 'cs',
	tax_code: 'txcd',
	transfer: 'tr',
	refund: 're',
	quote: 'qt',
	credit_note: 'cn',
	file: 'file',
	files: 'file',
	front: 'file',
	back: 'file',
	additional_documentation: 'file',
};

/** Plain values a user would type, by parameter name (docs.stripe.com/api examples). */
const TYPED: Record<string, string> = {
	email: 'jenny.rosen@example.com',
	receipt_email: 'jenny.rosen@example.com',
	phone: '+14155550123',
	phone_number: '+14155550123',
	currency: 'usd',
	country: 'US',
	address_country: 'US',
	state: 'CA',
	address_state: 'CA',
	city: 'San Francisco',
	address_city: 'San Francisco',
	town: 'Mission District',
	postal_code: '94103',
	address_zip: '94103',
	line1: '510 Townsend St',
	address_line1: '510 Townsend St',
	line2: 'Suite 200',
	address_line2: 'Suite 200',
	first_name: 'Jenny',
	last_name: 'Rosen',
	ip: '203.0.113.7',
	ip_address: '203.0.113.7',
	user_agent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0)',
	coupon: 'SUMMER25',
	code: 'SUMMER25',
	statement_descriptor: 'JENNYS SHOP',
	statement_descriptor_suffix: 'ORDER 6735',
	transfer_group: 'ORDER_6735',
	reference: 'ORDER-6735',
	lookup_key: 'pro_monthly',
	event_name: 'api_requests',
	unit_label: 'seat',
	nickname: 'Pro monthly',
	account_number: '000123456789',
	routing_number: '110000000',
	iban: 'DE89370400440532013000',
	account_holder_name: 'Jenny Rosen',
	tracking_number: '1Z999AA10123456784',
	carrier: 'UPS',
	client_reference_id: 'order_6735',
	preferred_locale: 'en',
	tax_id: 'DE123456789',
	value: 'DE123456789',
	id_number: '000000000',
	ssn_last_4: '0000',
};

/** A value a user would type into a text field of this name. */
function realisticText(name: string, depth: number): string {
	if (/_url$|^url$/.test(name)) return `https://example.com/${name.replace(/_url$/, '').replace(/_/g, '-') || 'page'}?order=6735`;
	if (/_decimal$/.test(name)) return '12.5';
	const prefix = ID_PREFIXES[name] ?? (/(^|_)(account|customer)$/.test(name) ? ID_PREFIXES[name.replace(/^.*_(?=account$|customer$)/, '')] : undefined);
	if (prefix) return `${prefix}_1Pq${name.length}xYz${pickFor(name, 1000).toString().padStart(3, '0')}Ab`;
	if (TYPED[name]) return TYPED[name];
	// Free text (names, descriptions, messages): at the top level it carries the characters that test the encoder.
	return depth === 0 ? `${name === 'name' ? 'Jenny Rosen' : 'Order 6735'}, ${trickyText}` : `Order 6735 ${name.replace(/_/g, ' ')}`;
}

/** A Stripe amount or count of this name: amounts in the smallest currency unit (2500 = 25.00 USD). */
function realisticNumber(schema: Schema, name: string): number {
	if (schema.format === 'unix-time') return 1767258000 + pickFor(name, 90) * 86_400; // 2026-01-01T09:00:00Z and after
	if (/amount/.test(name)) return 2500;
	if (/percent/.test(name)) return 12.5;
	if (/days/.test(name)) return 14;
	if (/quantity|count|iterations|interval_count/.test(name)) return 3;
	return 1234;
}

export function sampleValue(schema: Schema, name: string, depth = 0): unknown {
	switch (schema.type) {
		case 'string':
			return realisticText(name, depth);
		case 'number':
			return realisticNumber(schema, name);
		case 'boolean':
			return pickFor(name, 4) !== 0; // mostly true, sometimes false: a switch the user turned off is sent too
		case 'enum': {
			// Not always the first value: one chosen by the parameter's name among Stripe's values.
			const values = (schema.enum ?? []).filter((v) => v !== '');
			return values.length ? values[pickFor(name, values.length)] : '';
		}
		case 'metadata':
			return { order_id: '6735', 'note key': 'a&b=c' };
		case 'map': {
			const item = schema.items as Schema | undefined;
			if (item && !['string', 'number', 'boolean', 'enum'].includes(item.type)) return { eur: sampleValue(item, 'eur', depth + 1) };
			return { alpha: 'one', beta: 'two' };
		}
		case 'array': {
			const item = (schema.items ?? { type: 'string' }) as Schema;
			if (item.type === 'enum') return (item.enum ?? []).filter((v) => v !== '').slice(0, 2);
			if (item.type === 'string') return name === 'expand' ? ['data.customer', 'latest_invoice'] : [realisticText(name, 1), `${realisticText(name, 1)} [2]`];
			if (item.type === 'number') return [1, 2];
			return [sampleValue(item, name, depth + 1)];
		}
		case 'object': {
			if (!schema.members) return { note: `${name} free-form` };
			const out: Record<string, unknown> = {};
			const members = schema.members.filter((m) => m.required || depth < 2);
			for (const m of members.slice(0, 4)) out[m.name] = sampleValue(m, m.name, depth + 1);
			for (const m of schema.members.filter((m) => m.required)) out[m.name] = sampleValue(m, m.name, depth + 1);
			// A shown member with a default (a line item's quantity 1) has that value in the editor unless changed.
			for (const m of schema.members.filter((m) => m.promote && m.default !== undefined && m.default !== '' && !(m.name in out))) out[m.name] = m.default;
			return out;
		}
		case 'union': {
			// The first object alternative when there is one (the most fields; the field inverse, `write`, maps an
			// object to the first one), else a date, else a scalar chosen by name. The other object alternatives are
			// exercised by the recorded editor sets (test/engine/editor-recorded.test.ts).
			const alts = ((schema.anyOf ?? []) as Schema[]).filter((a) => !(a.type === 'enum' && (a.enum ?? []).every((v) => v === '')));
			const dates = alts.filter((a) => a.type === 'number' && a.format === 'unix-time');
			const pick = alts.find((a) => a.type === 'object') ?? dates[0] ?? alts[pickFor(name, alts.length)];
			return pick ? sampleValue(pick, name, depth) : 'x';
		}
		case 'file':
			return { data: Buffer.from(`Delivery confirmation for order 6735 (${name})\n`), name: 'evidence.txt', type: 'text/plain' };
		default:
			return `${name}-any`;
	}
}

/** The value a user would put into the node field for this sample (the field shape's inverse, test/support/write.ts). */
export function fieldValue(schema: ParamSchema, sample: unknown, where?: { path: string }, version?: number): unknown {
	return write(sample, schema, 0, where, version);
}

export interface OperationCase {
	label: string;
	/** Positional path arguments for the SDK, in path order. */
	pathArgs: string[];
	/** Request parameters as passed to the SDK. */
	sdkParams: Record<string, unknown>;
	/** Request options for the SDK (header parameters such as an ephemeral key's apiVersion). */
	sdkOptions: Record<string, unknown>;
	/** Node parameters (resource/operation added by the caller). */
	nodeParams: Record<string, unknown>;
	/** Binary input for file uploads. */
	file?: { data: Buffer; name: string; type: string };
}

/** Two cases per operation: required parameters only, and every parameter; as a node of `version` stores them. */
export function casesFor(descriptor: OperationDescriptor, version?: number): OperationCase[] {
	// The operation as its fields show it (the JSON rule decided for every nested value), as the node reads it.
	const op = planOperation(descriptor);
	const cases: OperationCase[] = [];
	trickyText = op.apiMode === 'v2' ? TRICKY_TEXT_ASCII : TRICKY_TEXT;
	for (const full of [false, true]) {
		const pathArgs = op.pathParams.map((p, i) => `${ID_PREFIXES[p.name] ?? (p.name === 'id' ? 'obj' : p.name)}_Test${i}`);
		const nodeParams: Record<string, unknown> = {};
		op.pathParams.forEach((p, i) => {
			const value = pathArgs[i];
			nodeParams[pathFieldName(op, p.name)] = locatorKind(p.name, { path: op.path, inPath: true }) ? { __rl: true, mode: 'id', value } : value;
		});
		const sdkParams: Record<string, unknown> = {};
		const sdkOptions: Record<string, unknown> = {};
		for (const h of op.headerParams ?? []) {
			nodeParams[h.name] = '2020-08-27';
			sdkOptions[h.name] = '2020-08-27';
		}
		let file: OperationCase['file'];
		const chosen: Record<string, unknown> = {};
		// A promoted field with an empty default ('' for a number: nothing is sent until the user types one) gets a sample.
		for (const p of requiredParams(op)) chosen[p.name] = p.default === undefined || p.default === '' ? sampleValue(p, p.name) : p.default;
		// A field shown only for some values of another (a checkout session's success URL, for ui_mode
		// hosted) is left out when the other has a value that hides it, as the editor does.
		const shown = (p: ParamSchema) => isShown(p, (name) => chosen[name]);
		for (const p of requiredParams(op)) {
			if (!shown(p)) continue;
			const v = chosen[p.name];
			if (shapeKind(p) === 'binary') file = v as OperationCase['file'];
			sdkParams[p.name] = v;
			nodeParams[p.name] = fieldValue(p, v, { path: op.path }, version);
		}
		if (full) {
			const additional: Record<string, unknown> = {};
			for (const p of optionalParams(op)) {
				const v = sampleValue(p, p.name);
				sdkParams[p.name] = v;
				additional[p.name] = fieldValue(p, v, { path: op.path });
			}
			if (!Object.keys(additional).length) continue;
			nodeParams.additionalFields = additional;
		}
		cases.push({ label: full ? 'all parameters' : 'required parameters', pathArgs, sdkParams, sdkOptions, nodeParams, file });
	}
	return cases;
}
