/**
 * Descriptor → n8n node properties. Every Resource/Operation dropdown and every field a family node shows is
 * produced here from its family descriptor; nothing is written per operation.
 *
 * Field shapes:
 * - path IDs and required parameters: top-level fields;
 * - optional parameters: the operation's "Additional Fields" collection;
 * - enums: options (arrays of enums: multi-options); booleans, numbers, string lists as such;
 * - metadata (and other string maps): key/value pairs;
 * - nested objects, arrays of objects and unions with objects: JSON fields (validated at run time);
 * - list/search operations: Return All + Limit.
 */
import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import type { FamilyDescriptor, OperationDescriptor, ParamSchema, ResourceDescriptor } from './descriptor-types';
import { applyN8nStyle } from './n8n-style';
import type { LocatorWhere } from './locators';
import { locatorField, locatorKind } from './locators';

export { KINDS, locatorField, locatorKind } from './locators';

/** Parameters the node handles itself instead of showing them as fields. */
const PAGINATION_PARAMS = new Set(['limit']);

export type FieldShape = 'string' | 'number' | 'boolean' | 'options' | 'multiOptions' | 'stringList' | 'keyValue' | 'json' | 'binary';

/** How a parameter of this schema is shown (and, mirrored in params.ts, read back). */
export function fieldShape(schema: Omit<ParamSchema, 'name'>): FieldShape {
	switch (schema.type) {
		case 'string':
			return 'string';
		case 'number':
			return 'number';
		case 'boolean':
			return 'boolean';
		case 'enum':
			return 'options';
		case 'metadata':
			return 'keyValue';
		case 'map':
			// Maps of objects (a price's currency_options) are JSON; maps of text are key/value pairs.
			return schema.items && !['string', 'number', 'boolean', 'enum'].includes(schema.items.type) ? 'json' : 'keyValue';
		case 'file':
			return 'binary';
		case 'array': {
			const item = schema.items;
			if (item?.type === 'enum') return 'multiOptions';
			if (item && (item.type === 'string' || item.type === 'number')) return 'stringList';
			return 'json';
		}
		case 'union': {
			const alts = schema.anyOf ?? [];
			if (alts.every((a) => ['string', 'number', 'enum', 'boolean'].includes(a.type))) return 'string';
			return 'json';
		}
		default:
			return 'json';
	}
}

const ACRONYMS: Record<string, string> = {
	id: 'ID',
	ids: 'IDs',
	url: 'URL',
	urls: 'URLs',
	ip: 'IP',
	api: 'API',
	cvc: 'CVC',
	iban: 'IBAN',
	bic: 'BIC',
	pdf: 'PDF',
	sku: 'SKU',
	tos: 'ToS',
	mcc: 'MCC',
	ach: 'ACH',
	sepa: 'SEPA',
	bacs: 'Bacs',
	us: 'US',
	eu: 'EU',
	uk: 'UK',
	gb: 'GB',
	au: 'AU',
	jp: 'JP',
	vat: 'VAT',
	upi: 'UPI',
};

/** `payment_method_types` → `Payment Method Types`. */
export function labelOf(name: string): string {
	return name
		.split(/[_.]+/)
		.filter(Boolean)
		.map((w) => ACRONYMS[w.toLowerCase()] ?? w[0].toUpperCase() + w.slice(1))
		.join(' ');
}

function enumOptions(values: string[], names?: Record<string, string>): INodePropertyOptions[] {
	return values.filter((v) => v !== '').map((v) => ({ name: names?.[v] ?? (labelOf(v) || v), value: v }));
}

/** List, search and v2 list operations page; they get Return All + Limit. */
export function isPaged(op: OperationDescriptor): boolean {
	return op.kind === 'list' || op.kind === 'search' || op.kind === 'v2list';
}

/** Field description: the parameter's own text, and what kind of JSON a JSON field takes. */
function describe(schema: Omit<ParamSchema, 'name'>, shape: FieldShape): string | undefined {
	let d = schema.description ?? '';
	if (shape === 'json') {
		const members = schema.members?.map((m) => m.name) ?? schema.anyOf?.flatMap((a) => a.members?.map((m) => m.name) ?? []);
		const kind = schema.type === 'array' ? 'A JSON array' : schema.type === 'union' ? 'JSON' : 'A JSON object';
		const hint = members?.length
			? ` with keys such as ${members
					.slice(0, 6)
					.map((m) => `\`${m}\``)
					.join(', ')}`
			: '';
		d = `${d}${d ? ' ' : ''}(${kind}${hint})`;
	}
	if (schema.emptyable && shape !== 'keyValue') d = `${d}${d ? ' ' : ''}An empty value unsets it.`;
	return d || undefined;
}

/** Event-type fields get Stripe's event types as choices (loadOptions `getEventTypes`). */
function isEventTypeList(schema: ParamSchema): boolean {
	return schema.name === 'enabled_events' && schema.type === 'array' && (schema.items?.type === 'string' || schema.items?.type === 'enum');
}

/** One parameter as an n8n field (its name is the Stripe parameter name), with its UI hints applied. `where`: its operation (for pickers). */
export function paramField(schema: ParamSchema, required: boolean, where?: LocatorWhere): INodeProperties {
	const field = baseField(schema, required, where);
	if (schema.default !== undefined) field.default = schema.default;
	if (schema.format === 'date-time' && field.type === 'string') field.type = 'dateTime';
	if (schema.show) field.displayOptions = { show: { ...field.displayOptions?.show, ...schema.show } };
	return field;
}

function baseField(schema: ParamSchema, required: boolean, where?: LocatorWhere): INodeProperties {
	const shape = fieldShape(schema);
	const kind = shape === 'string' && schema.type === 'string' ? locatorKind(schema.name, where) : undefined;
	if (kind) {
		return locatorField(
			{ displayName: labelOf(schema.name), name: schema.name, description: describe(schema, shape), ...(required ? { required: true } : {}) },
			kind,
		);
	}
	if (isEventTypeList(schema)) {
		// n8n's convention for dynamic multi-options: "… Names or IDs", and the standard description last.
		const about = describe(schema, shape);
		const prefix = about ? `${about.replace(/\.$/, '')}. ` : '';
		return {
			displayName: `${labelOf(schema.name).replace(/s$/, '')} Names or IDs`,
			name: schema.name,
			type: 'multiOptions',
			typeOptions: { loadOptionsMethod: 'getEventTypes' },
			default: [],
			description: `${prefix}Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>`,
			...(required ? { required: true } : {}),
		};
	}
	const base = {
		displayName: labelOf(schema.name),
		name: schema.name,
		description: describe(schema, shape),
		...(required ? { required: true } : {}),
	};
	switch (shape) {
		case 'number':
			return { ...base, type: 'number', default: 0 };
		case 'boolean':
			return { ...base, type: 'boolean', default: false };
		case 'options': {
			const options = enumOptions(schema.enum ?? [], schema.enumNames);
			return { ...base, type: 'options', options, default: options[0]?.value ?? '' };
		}
		case 'multiOptions':
			return { ...base, type: 'multiOptions', options: enumOptions(schema.items?.enum ?? []), default: [] };
		case 'stringList':
			return { ...base, type: 'string', typeOptions: { multipleValues: true }, default: [] };
		case 'keyValue':
			return {
				...base,
				type: 'fixedCollection',
				typeOptions: { multipleValues: true },
				placeholder: 'Add Entry',
				default: {},
				options: [
					{
						displayName: 'Entry',
						name: 'entries',
						values: [
							{ displayName: 'Key', name: 'key', type: 'string', default: '' },
							{ displayName: 'Value', name: 'value', type: 'string', default: '' },
						],
					},
				],
			};
		case 'json':
			return { ...base, type: 'json', default: schema.type === 'array' ? '[]' : '{}' };
		case 'binary':
			return {
				...base,
				displayName: 'Input Binary Field',
				description: `Name of the input item's binary property holding the ${labelOf(schema.name).toLowerCase()} to upload`,
				type: 'string',
				default: 'data',
				required: true,
			};
		default:
			return { ...base, type: 'string', default: '' };
	}
}

/** Name of the node field for a path parameter. */
export function pathFieldName(op: OperationDescriptor, placeholder: string): string {
	// A body parameter of the same name would clash with the path field.
	return op.params.some((p) => p.name === placeholder) ? `${placeholder}Id` : placeholder;
}

function pathFieldLabel(resource: ResourceDescriptor, op: OperationDescriptor, placeholder: string): string {
	if (placeholder === 'id' && op.pathParams.length === 1) return `${resource.name.replace(/ \(v2\)$/, '')} ID`;
	return `${labelOf(placeholder.replace(/_id$/, ''))} ID`;
}

export function requiredParams(op: OperationDescriptor): ParamSchema[] {
	return op.params.filter((p) => p.required || fieldShape(p) === 'binary');
}

export function optionalParams(op: OperationDescriptor): ParamSchema[] {
	return op.params.filter((p) => !p.required && fieldShape(p) !== 'binary' && !(isPaged(op) && PAGINATION_PARAMS.has(p.name)));
}

export const ADDITIONAL_FIELDS = 'additionalFields';
export const REQUEST_OPTIONS = 'requestOptions';

function operationFields(resource: ResourceDescriptor, op: OperationDescriptor): INodeProperties[] {
	const show = { displayOptions: { show: { resource: [resource.value], operation: [op.value] } } };
	const fields: INodeProperties[] = [];
	for (const p of op.pathParams) {
		const base = { displayName: pathFieldLabel(resource, op, p.name), name: pathFieldName(op, p.name), required: true, description: p.description, ...show };
		const kind = locatorKind(p.name, { path: op.path, inPath: true });
		fields.push(kind ? locatorField(base, kind) : { ...base, type: 'string', default: '' });
	}
	for (const p of op.headerParams ?? []) fields.push({ ...paramField(p, !!p.required), ...show });
	for (const p of requiredParams(op)) {
		const f = paramField(p, true, { path: op.path });
		fields.push({ ...f, displayOptions: { show: { ...show.displayOptions.show, ...f.displayOptions?.show } } });
	}
	if (isPaged(op)) {
		fields.push({
			displayName: 'Return All',
			name: 'returnAll',
			type: 'boolean',
			default: false,
			description: 'Whether to return all results or only up to a given limit',
			...show,
		});
		fields.push({
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 50,
			description: 'Max number of results to return',
			displayOptions: { show: { ...show.displayOptions.show, returnAll: [false] } },
		});
	}
	const optional = optionalParams(op);
	if (optional.length) {
		fields.push({
			displayName: 'Additional Fields',
			name: ADDITIONAL_FIELDS,
			type: 'collection',
			placeholder: 'Add Field',
			default: {},
			options: optional.map((p) => paramField(p, false, { path: op.path })).sort((a, b) => a.displayName.localeCompare(b.displayName)),
			...show,
		});
	}
	return fields;
}

/** Sentence case, as n8n writes actions: "Apply customer balance"; acronyms stay upper case. */
function sentenceWords(text: string, capitalFirst: boolean): string {
	return text
		.split(' ')
		.map((w, i) => (w === w.toUpperCase() ? w : i === 0 && capitalFirst ? w[0].toUpperCase() + w.slice(1).toLowerCase() : w.toLowerCase()))
		.join(' ')
		.replace(/([a-z])-([a-z])/g, '$1 $2'); // n8n's sentence case has no hyphens: "top up"
}

function plural(noun: string): string {
	// An acronym takes no plural in n8n's sentence case ("IDs" reads as a miscased word): "tax ID objects".
	if (/\b[A-Z]{2,}$/.test(noun)) return `${noun} objects`;
	if (/[^aeiou]y$/.test(noun)) return noun.slice(0, -1) + 'ies';
	if (/(s|x|z|ch|sh)$/.test(noun)) return noun + 'es';
	return noun + 's';
}

function withArticle(noun: string): string {
	return `${/^[aeiou]/i.test(noun) ? 'an' : 'a'} ${noun}`;
}

/** The SDK object of an operation (test helpers count as their object): `customers.listPaymentMethods` → `customers`. */
function sdkObject(op: OperationDescriptor): string | undefined {
	return (
		op.sdk
			?.replace(/^testHelpers\./, '')
			.split('.')
			.slice(0, -1)
			.join('.') || undefined
	);
}

function objectWords(namespace: string): string {
	const last = namespace.split('.').pop() ?? namespace;
	return sentenceWords(
		last
			.replace(/([a-z])([A-Z])/g, '$1 $2')
			.replace(/ies$/, 'y')
			.replace(/s$/, ''),
		false,
	);
}

/** The SDK object an operation belongs to when it is not the resource's own (most of its operations'). */
function ownerOf(resource: ResourceDescriptor, op: OperationDescriptor, noun: string): string | undefined {
	const mine = sdkObject(op);
	if (!mine) return undefined;
	const counts = new Map<string, number>();
	for (const o of resource.operations) {
		const ns = sdkObject(o);
		if (ns) counts.set(ns, (counts.get(ns) ?? 0) + 1);
	}
	// The resource's own SDK object: the one named like the resource, else the one with most operations.
	const named = [...counts.keys()].find((ns) => noun.toLowerCase().endsWith(objectWords(ns).toLowerCase()));
	const main = named ?? [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
	const owner = objectWords(mine);
	if (mine === main || noun.toLowerCase().endsWith(owner.toLowerCase())) return undefined;
	return owner;
}

/**
 * The action shown in n8n's node creator, in n8n's style and naming the whole resource: "Create a checkout
 * session", "Get many credit balance transactions", "Capture a payment intent", "Get many line items for a
 * checkout session", "Delete discount for a customer". Resource names are unique across the package (the
 * generator checks), so every action text is too.
 */
export function actionOf(resource: ResourceDescriptor, op: OperationDescriptor): string {
	const [, base, version = ''] = /^(.*?)( \(v\d+\))?$/.exec(resource.name) ?? [];
	const noun = sentenceWords(base, false);
	const suffix = version.toUpperCase();
	let name = op.name.replace(/ \((Test Mode Only|Preview|Deprecated)\)/g, '');
	// "Delete Discount (Customer)": the generator names the owner of one of two same-named methods in parentheses.
	const qualified = /^(.+) \(([^)]+)\)$/.exec(name);
	const sdkOwner = sdkObject(op);
	if (qualified && sdkOwner && objectWords(sdkOwner) === sentenceWords(qualified[2], false)) {
		return `${sentenceWords(qualified[1], true)} for ${withArticle(sentenceWords(qualified[2], false))}${suffix}`.replace(/\bid\b/g, 'ID');
	}
	if (qualified) name = qualified[1]; // another remark in parentheses ("Send Events (High Throughput)")
	if (name === 'Get Many') return `Get many ${plural(noun)}${suffix}`;
	if (name === 'Search') return `Search ${plural(noun)}${suffix}`;
	const [first, ...rest] = name.split(' ');
	const many = first === 'Get' && rest[0] === 'Many';
	const verb = many ? 'Get many' : sentenceWords(first, true);
	const object = sentenceWords((many ? rest.slice(1) : rest).join(' '), false);
	// "Ship Card" of an Issuing Card, "List Balance Transactions" of a Customer Balance Transaction: the words
	// after the verb name the resource itself.
	const [n, o] = [noun.toLowerCase(), object.toLowerCase()];
	const namesResource = !o || n.endsWith(o) || plural(n).endsWith(o);
	// An operation of another SDK object in this resource (customers.listPaymentMethods under Payment Method):
	// its owner says whose ("Get many payment methods for a customer").
	const owner = ownerOf(resource, op, noun);
	const text = namesResource
		? `${many ? `Get many ${plural(noun)}` : `${verb} ${withArticle(noun)}`}${owner ? ` for ${withArticle(owner)}` : ''}`
		: `${verb} ${object} for ${withArticle(noun)}`;
	return `${text}${suffix}`
		.replace(/\bids\b/g, 'IDs')
		.replace(/\bid\b/g, 'ID')
		.replace(/\burl\b/g, 'URL');
}

function operationOption(resource: ResourceDescriptor, op: OperationDescriptor): INodePropertyOptions {
	return {
		name: op.name,
		value: op.value,
		description: op.description || `${op.name} ${resource.name}`,
		action: actionOf(resource, op),
	};
}

/** Request options every operation has: idempotency key, connected account, retries. */
function requestOptionsField(): INodeProperties {
	return {
		displayName: 'Request Options',
		name: REQUEST_OPTIONS,
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Connected Account',
				name: 'stripeAccount',
				type: 'string',
				default: '',
				placeholder: 'acct_…',
				description: 'Make this request on behalf of a connected account (overrides the credential’s Stripe-Account)',
			},
			{
				displayName: 'Idempotency Key',
				name: 'idempotencyKey',
				type: 'string',
				default: '',
				description: 'Key for safely retrying POST requests (used instead of the generated one). Use an expression to make it unique per item.',
			},
			{
				displayName: 'Max Retries',
				name: 'maxRetries',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 10 },
				default: 2,
				description: 'How often a request is retried on network errors, 409, 429 and 5xx answers',
			},
			{
				displayName: 'Parallel Requests',
				name: 'parallelRequests',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 10 },
				default: 1,
				description:
					'How many items are sent to Stripe at once (taken from the first item). Without this option the node decides: one at a time, overlapping up to 8 while Stripe answers slowly, below 80% of the account’s rate limit. Set 1 to send items strictly one after the other. Output keeps the input order.',
			},
			{
				displayName: 'Timeout',
				name: 'timeout',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 80000,
				description:
					'Longest time in milliseconds one attempt may take, from sending the request to the end of the answer. A slower attempt is cancelled and counts as a network error (retried).',
			},
		],
	};
}

/** All properties of a family node, generated from its descriptor. */
export function buildProperties(family: FamilyDescriptor): INodeProperties[] {
	const resources = family.resources;
	const firstResource = resources[0].value;
	const props: INodeProperties[] = [
		{
			displayName: 'Resource',
			name: 'resource',
			type: 'options',
			noDataExpression: true,
			options: resources.map((r) => ({ name: r.name, value: r.value })),
			default: firstResource,
		},
	];
	for (const r of resources) {
		const firstOperation = r.operations[0].value;
		props.push({
			displayName: 'Operation',
			name: 'operation',
			type: 'options',
			noDataExpression: true,
			displayOptions: { show: { resource: [r.value] } },
			options: r.operations.map((op) => operationOption(r, op)),
			default: firstOperation,
		});
	}
	for (const r of resources) for (const op of r.operations) props.push(...operationFields(r, op));
	props.push(requestOptionsField());
	return applyN8nStyle(props);
}

export function findOperation(
	family: FamilyDescriptor,
	resource: string,
	operation: string,
): { resource: ResourceDescriptor; operation: OperationDescriptor } | undefined {
	const r = family.resources.find((x) => x.value === resource);
	const op = r?.operations.find((x) => x.value === operation);
	return r && op ? { resource: r, operation: op } : undefined;
}
