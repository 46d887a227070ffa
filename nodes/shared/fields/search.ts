/**
 * Search by fields: the seven search operations take conditions (field, operator, value) and assemble
 * Stripe's search query from them, instead of asking for the query language.
 *
 * The language (docs.stripe.com/search, "Search query language"): a clause is a field, an operator and a value
 * (`email:"amy@rocketrides.io"`); clauses are joined by AND or OR, never both, at most 10; `-` negates a
 * clause; `field:null` tests presence; `metadata["key"]:"value"` reads metadata. String values must be in
 * quotation marks, and quotation marks inside are escaped with a backslash; numbers may go unquoted. Field
 * types decide the operators: token (exact match), string (exact match and `~` substring, at least 3
 * characters) and numeric (exact match, `>`, `<`, `>=`, `<=`).
 *
 * A value can never change the query's meaning: it is always written inside double quotes with its quotation
 * marks escaped, and what the documentation gives no way to write inside quotes (a backslash, whose own
 * escaping is undocumented, and control characters such as line breaks) is refused, naming the field.
 * Numbers are written only when they are plain digits.
 */
import type { INodeProperties } from 'n8n-workflow';

import type { OperationDescriptor } from '../model/descriptor';
import { isEmpty, read } from './shapes';
import { ParamError, toUnixSeconds } from './values';

type FieldType = 'token' | 'string' | 'numeric';

/** One searchable field: the query's name for it, the label shown, its type; `date`: a timestamp. */
interface SearchField {
	name: string;
	label: string;
	type: FieldType;
	date?: boolean;
}

const CREATED: SearchField = { name: 'created', label: 'Created', type: 'numeric', date: true };
const METADATA: SearchField = { name: 'metadata', label: 'Metadata', type: 'token' };
const CURRENCY: SearchField = { name: 'currency', label: 'Currency', type: 'token' };
const CUSTOMER: SearchField = { name: 'customer', label: 'Customer ID', type: 'token' };

/**
 * Charges' card fields, `payment_method_details.{{SOURCE}}.…` in Stripe's table, where SOURCE is card (online),
 * card_present (Terminal) or interac_present (Terminal, Interac): listed once for `card`, the entry's Payment
 * Method field picks the source.
 */
const CARD_FIELDS: SearchField[] = (
	[
		['last4', 'Card Last 4'],
		['exp_month', 'Card Expiry Month'],
		['exp_year', 'Card Expiry Year'],
		['brand', 'Card Brand'],
		['fingerprint', 'Card Fingerprint'],
	] as const
).map(([field, label]) => ({ name: `payment_method_details.card.${field}`, label, type: 'token' as const }));
const CARD_SOURCES = ['card', 'card_present', 'interac_present'];

/**
 * The query fields of each searchable object and their types: the tables "Query fields for charges",
 * "… customers", "… invoices", "… payment intents", "… prices", "… products", "… subscriptions" of
 * docs.stripe.com/search ("Supported query fields for each resource"), by search path.
 */
export const SEARCH_FIELDS: Record<string, SearchField[]> = {
	'/v1/charges/search': [
		{ name: 'amount', label: 'Amount', type: 'numeric' },
		{ name: 'billing_details.address.postal_code', label: 'Billing Postal Code', type: 'token' },
		CREATED,
		CURRENCY,
		CUSTOMER,
		{ name: 'disputed', label: 'Disputed', type: 'token' },
		METADATA,
		...CARD_FIELDS,
		{ name: 'refunded', label: 'Refunded', type: 'token' },
		{ name: 'status', label: 'Status', type: 'token' },
	],
	'/v1/customers/search': [
		CREATED,
		{ name: 'email', label: 'Email', type: 'string' },
		METADATA,
		{ name: 'name', label: 'Name', type: 'string' },
		{ name: 'phone', label: 'Phone', type: 'string' },
	],
	'/v1/invoices/search': [
		CREATED,
		CURRENCY,
		CUSTOMER,
		METADATA,
		{ name: 'number', label: 'Number', type: 'string' },
		{ name: 'receipt_number', label: 'Receipt Number', type: 'string' },
		{ name: 'status', label: 'Status', type: 'string' },
		{ name: 'subscription', label: 'Subscription ID', type: 'string' },
		{ name: 'total', label: 'Total', type: 'numeric' },
	],
	'/v1/payment_intents/search': [
		{ name: 'amount', label: 'Amount', type: 'numeric' },
		CREATED,
		CURRENCY,
		CUSTOMER,
		METADATA,
		{ name: 'status', label: 'Status', type: 'token' },
	],
	'/v1/prices/search': [
		{ name: 'active', label: 'Active', type: 'token' },
		CURRENCY,
		{ name: 'lookup_key', label: 'Lookup Key', type: 'string' },
		METADATA,
		{ name: 'product', label: 'Product ID', type: 'string' },
		{ name: 'type', label: 'Type', type: 'token' },
	],
	'/v1/products/search': [
		{ name: 'active', label: 'Active', type: 'token' },
		{ name: 'description', label: 'Description', type: 'string' },
		METADATA,
		{ name: 'name', label: 'Name', type: 'string' },
		{ name: 'shippable', label: 'Shippable', type: 'token' },
		{ name: 'url', label: 'URL', type: 'string' },
	],
	'/v1/subscriptions/search': [CREATED, METADATA, { name: 'status', label: 'Status', type: 'token' }],
};

/** Stripe allows at most 10 clauses in one query (docs.stripe.com/search). */
export const MAX_CLAUSES = 10;
/** `~` needs a substring of at least 3 characters (docs.stripe.com/search, Search Syntax). */
const MIN_SUBSTRING = 3;

export const SEARCH_CONDITIONS = 'searchConditions';
export const SEARCH_MATCH = 'searchMatch';

type Operator = 'is' | 'isNot' | 'contains' | 'notContains' | 'gt' | 'gte' | 'lt' | 'lte' | 'null' | 'notNull';

/** The operator field of each field type: its stored name and the operators Stripe allows for the type. */
const OPERATOR_FIELDS: Record<FieldType, { name: string; operators: Operator[] }> = {
	token: { name: 'operator', operators: ['is', 'isNot', 'null', 'notNull'] },
	string: { name: 'textOperator', operators: ['is', 'isNot', 'contains', 'notContains', 'null', 'notNull'] },
	numeric: { name: 'numberOperator', operators: ['is', 'isNot', 'gt', 'gte', 'lt', 'lte', 'null', 'notNull'] },
};

const OPERATORS: Record<Operator, { name: string; syntax: string; negate?: boolean }> = {
	is: { name: 'Is', syntax: ':' },
	isNot: { name: 'Is Not', syntax: ':', negate: true },
	contains: { name: 'Contains', syntax: '~' },
	notContains: { name: 'Does Not Contain', syntax: '~', negate: true },
	gt: { name: 'Greater Than', syntax: '>' },
	gte: { name: 'Greater Than or Equal', syntax: '>=' },
	lt: { name: 'Less Than', syntax: '<' },
	lte: { name: 'Less Than or Equal', syntax: '<=' },
	null: { name: 'Is Empty', syntax: ':' },
	notNull: { name: 'Is Not Empty', syntax: ':', negate: true },
};

/** The searchable fields of a search operation, or undefined when it is none of the seven. */
export function searchFieldsOf(op: OperationDescriptor): SearchField[] | undefined {
	return op.kind === 'search' ? SEARCH_FIELDS[op.path] : undefined;
}

/**
 * A value inside double quotes, its quotation marks escaped with a backslash (docs.stripe.com/search, Quotes).
 * A backslash or a control character is refused: the documentation says how to escape a quotation mark only.
 */
export function quoteValue(value: string, field: string): string {
	if (value.includes('\\')) throw new ParamError(field, 'contains a backslash (\\), which Stripe’s search language documents no way to write inside a value');
	if ([...value].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f))
		throw new ParamError(field, 'contains a line break or another control character, which a search value cannot hold');
	return `"${value.replace(/"/g, '\\"')}"`;
}

/** `metadata["key"]:"value"`, both quoted (docs.stripe.com/search, Metadata); the labels name the fields in errors. */
export function metadataClause(key: string, value: string, keyField: string, valueField: string): string {
	return `metadata[${quoteValue(key, keyField)}]:${quoteValue(value, valueField)}`;
}

/** One condition, as the editor stores it. */
interface Condition {
	field?: string;
	metadataKey?: string;
	cardSource?: string;
	operator?: string;
	textOperator?: string;
	numberOperator?: string;
	value?: unknown;
	date?: unknown;
}

function clause(c: Condition, fields: SearchField[], n: number, zone: string | undefined): string {
	const where = `"Conditions" (condition ${n})`;
	const field = fields.find((f) => f.name === c.field);
	if (!field) throw new ParamError(where, `"${String(c.field)}" is not a search field of this object; choose one of the list`);
	const opField = OPERATOR_FIELDS[field.type];
	const operator = (c[opField.name as keyof Condition] ?? 'is') as Operator;
	if (!opField.operators.includes(operator))
		throw new ParamError(where, `${field.label} takes ${opField.operators.map((o) => OPERATORS[o].name).join(', ')}, not "${String(operator)}"`);
	const { syntax, negate } = OPERATORS[operator];
	let name = field.name;
	if (CARD_FIELDS.includes(field)) {
		const source = String(c.cardSource ?? 'card');
		if (!CARD_SOURCES.includes(source)) throw new ParamError(`"Payment Method" (condition ${n})`, `is one of ${CARD_SOURCES.join(', ')}, not "${source}"`);
		name = name.replace('.card.', `.${source}.`);
	}
	if (field === METADATA) {
		const key = String(c.metadataKey ?? '').trim();
		if (!key) throw new ParamError(`"Metadata Key" (condition ${n})`, 'is required');
		name = `metadata[${quoteValue(key, `"Metadata Key" (condition ${n})`)}]`;
	}
	let value: string;
	if (operator === 'null' || operator === 'notNull') value = 'null';
	else if (field.date) value = String(toUnixSeconds(c.date, zone, `date (condition ${n})`));
	else if (field.type === 'numeric') {
		const text = String(c.value ?? '').trim();
		if (!/^-?\d+$/.test(text)) throw new ParamError(`"Value" (condition ${n})`, `${field.label} takes a whole number, got "${text}"`);
		value = text;
	} else {
		const text = String(c.value ?? '');
		if (text === '') throw new ParamError(`"Value" (condition ${n})`, 'is required (to find objects without one, choose Is Empty)');
		if (syntax === '~' && [...text].length < MIN_SUBSTRING)
			throw new ParamError(`"Value" (condition ${n})`, `Contains needs at least ${MIN_SUBSTRING} characters (Stripe's rule), got "${text}"`);
		value = quoteValue(text, `"Value" (condition ${n})`);
	}
	return `${negate ? '-' : ''}${name}${syntax}${value}`;
}

/** The conditions of one item as a query: clauses joined by AND or OR (docs.stripe.com/search). */
export function buildSearchQuery(fields: SearchField[], conditions: Condition[], match: string, zone?: string): string {
	if (conditions.length > MAX_CLAUSES)
		throw new ParamError('"Conditions"', `has ${conditions.length} conditions; Stripe takes at most ${MAX_CLAUSES} in one search`);
	const join = match === 'any' ? ' OR ' : ' AND ';
	return conditions.map((c, i) => clause(c, fields, i + 1, zone)).join(join);
}

/**
 * The query of a search operation's item: the raw Query when given (as before, so saved workflows keep
 * working), else the one built from the conditions; one of the two is required.
 */
export function readSearchQuery(fields: SearchField[], valueOf: (name: string) => unknown, zone?: string): string {
	const given = valueOf('query');
	// The raw Query is read as every text field is (an object or a list is refused, not sent as "[object Object]").
	const raw = isEmpty(given) ? '' : String(read(given, { type: 'string' }, 'query')).trim();
	const stored = valueOf(SEARCH_CONDITIONS) as { condition?: Condition[] } | undefined;
	const conditions = (stored && typeof stored === 'object' && Array.isArray(stored.condition) ? stored.condition : []) as Condition[];
	if (raw && conditions.length) throw new ParamError('"Query" (query)', 'is set together with Conditions: use one of the two');
	if (raw) return raw;
	if (!conditions.length) throw new ParamError('"Conditions"', 'are required: add a condition (or write a Query in Stripe’s search language)');
	return buildSearchQuery(fields, conditions, String(valueOf(SEARCH_MATCH) || 'all'), zone);
}

const LAG = 'Stripe’s search shows new and changed objects after up to a minute: right after a create, use Find or Get Many instead';

/** Display options showing an entry field for some search fields: `show` them, or `hide` the others when fewer. */
function shownFor(fields: SearchField[], test: (f: SearchField) => boolean): INodeProperties['displayOptions'] {
	const yes = fields.filter(test).map((f) => f.name);
	const no = fields.filter((f) => !test(f)).map((f) => f.name);
	return yes.join().length <= no.join().length ? { show: { field: yes } } : { hide: { field: no } };
}

/** A charge's card condition: which payment method's details (Stripe's `{{SOURCE}}`). */
const CARD_SOURCE_FIELD: INodeProperties = {
	displayName: 'Payment Method',
	name: 'cardSource',
	type: 'options',
	options: [
		{ name: 'Card (Online)', value: 'card' },
		{ name: 'Card Present (Terminal)', value: 'card_present' },
		{ name: 'Interac Present (Terminal)', value: 'interac_present' },
	],
	default: 'card',
	displayOptions: { show: { field: CARD_FIELDS.map((f) => f.name) } },
};

/** The fields of one condition: Field, its metadata key or card source, the type's Operator, the Value. */
function conditionEntry(fields: SearchField[]): INodeProperties[] {
	const byType = (type: FieldType) => fields.filter((f) => f.type === type && !f.date).map((f) => f.name);
	const dates = fields.filter((f) => f.date).map((f) => f.name);
	const nullOps = ['null', 'notNull'];
	const operatorProps = (Object.keys(OPERATOR_FIELDS) as FieldType[])
		.filter((type) => fields.some((f) => f.type === type))
		.map((type): INodeProperties => ({
			displayName: 'Operator',
			name: OPERATOR_FIELDS[type].name,
			type: 'options',
			options: OPERATOR_FIELDS[type].operators.map((o) => ({ name: OPERATORS[o].name, value: o })),
			default: 'is',
			displayOptions: shownFor(fields, (f) => f.type === type),
		}));
	const hideWhenEmptyTest = Object.fromEntries(operatorProps.map((p) => [p.name, nullOps]));
	const firstField = fields[0].name;
	const condition: INodeProperties[] = [
		{
			displayName: 'Field',
			name: 'field',
			type: 'options',
			options: fields.map((f) => ({ name: f.label, value: f.name })),
			default: firstField,
		},
		{
			displayName: 'Metadata Key',
			name: 'metadataKey',
			type: 'string',
			default: '',
			displayOptions: { show: { field: ['metadata'] } },
		},
		...operatorProps,
		...(fields.some((f) => CARD_FIELDS.includes(f)) ? [CARD_SOURCE_FIELD] : []),
		{
			displayName: 'Value',
			name: 'value',
			type: 'string',
			default: '',
			description: byType('numeric').length
				? 'Matched case-insensitively. Amounts in the smallest currency unit (1000 = 10.00 USD); yes/no fields take true or false.'
				: 'Matched case-insensitively; yes/no fields take true or false',
			displayOptions: { hide: { ...hideWhenEmptyTest, ...(dates.length ? { field: dates } : {}) } },
		},
	];
	if (dates.length)
		condition.push({
			displayName: 'Value', // the value of a date field: after Value in n8n's alphabetical order of entry fields
			name: 'date',
			type: 'dateTime',
			default: '',
			displayOptions: { show: { field: dates }, hide: hideWhenEmptyTest },
		});
	return condition;
}

/** The Conditions and Match fields of a search operation, and its Query field made the alternative. */
export function searchFields(fields: SearchField[], query: INodeProperties): INodeProperties[] {
	// The raw query stays, as the alternative: optional now (one of the two is required, see readSearchQuery).
	const rawQuery: INodeProperties = {
		...query,
		default: '',
		description: `The search query string, used instead of Conditions: Stripe’s search language, e.g. email:"jane@example.com" or metadata["order"]:"42". The query sent is shown in the output panel’s hints.`,
	};
	delete rawQuery.required;
	return [
		{
			displayName: 'Conditions',
			name: SEARCH_CONDITIONS,
			type: 'fixedCollection',
			typeOptions: { multipleValues: true },
			placeholder: 'Add Condition',
			default: {},
			description: `What to search for: up to ${MAX_CLAUSES} conditions on the fields Stripe makes searchable`,
			hint: LAG,
			options: [{ displayName: 'Condition', name: 'condition', values: conditionEntry(fields) }],
			displayOptions: query.displayOptions,
		},
		{
			displayName: 'Match',
			name: SEARCH_MATCH,
			type: 'options',
			options: [
				{ name: 'All Conditions (AND)', value: 'all' },
				{ name: 'Any Condition (OR)', value: 'any' },
			],
			default: 'all',
			description: 'Whether an object must meet every condition or one of them (Stripe does not mix the two)',
			displayOptions: query.displayOptions,
		},
		rawQuery,
	];
}

/** Queries already shown for a node run (at most 3 different ones, each once). */
const shown = new WeakMap<object, Set<string>>();

/** The query sent, as an execution hint in the output panel: what the conditions became. */
export function showSearchQuery(
	ctx: { addExecutionHints?: (...hints: Array<{ message: string; location?: 'outputPane' }>) => void },
	query: unknown,
	itemIndex: number,
): void {
	if (typeof query !== 'string' || typeof ctx.addExecutionHints !== 'function') return;
	const seen = shown.get(ctx) ?? new Set<string>();
	shown.set(ctx, seen);
	if (seen.has(query) || seen.size >= 3) return;
	seen.add(query);
	ctx.addExecutionHints({ message: `Search query sent to Stripe (item ${itemIndex}): ${query}`, location: 'outputPane' });
}
