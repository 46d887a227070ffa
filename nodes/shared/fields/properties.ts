/**
 * Descriptor → n8n node properties. Every Resource/Operation dropdown and every field a family node shows is
 * produced here from its family descriptor; nothing is written per operation.
 *
 * Layout of an operation:
 * - path IDs, required parameters and promoted ones (descriptors/overrides.json `promote`): fields of their own;
 * - optional parameters: the operation's "Additional Fields" collection ("Filters" on list and search
 *   operations, as n8n's own nodes call it; the stored name stays `additionalFields`);
 * - list/search operations: Return All + Limit;
 * - "Using Fields Below" (the above) or "Using JSON" (one object of all parameters), per resource.
 * Each parameter's field comes from its shape (shapes/): text, numbers, options, pickers, key/value pairs,
 * nested collections of an object's members, lists of them, a choice of a union's alternatives, or JSON.
 */
import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import type { FamilyDescriptor, OperationDescriptor, ParamSchema, ResourceDescriptor } from '../model/descriptor';
import { applyN8nStyle, firstSentences, labelOf, plural } from './naming';
import { planOperation } from './json-rule';
import type { LocatorWhere } from '../pickers/kinds';
import { locatorField, locatorKind } from '../pickers/kinds';
import { splitsByCreated } from '../client/pager';
import { property, shapeKind, versionedObject } from './shapes';
import { customCallFields, customCallOption } from './custom-call';
import { searchFields, searchFieldsOf } from './search';
import { shareRepeatedProperties } from './sharing';

export { locatorField, locatorKind } from '../pickers/kinds';
export { labelOf } from './naming';

/** Parameters the node handles itself instead of showing them as fields. */
const PAGINATION_PARAMS = new Set(['limit']);

/** List, search and v2 list operations page; they get Return All + Limit. */
export function isPaged(op: OperationDescriptor): boolean {
	return op.kind === 'list' || op.kind === 'search' || op.kind === 'v2list';
}

/** Name of the node field for a path parameter. */
export function pathFieldName(op: OperationDescriptor, placeholder: string): string {
	// A body parameter of the same name would clash with the path field.
	return op.params.some((p) => p.name === placeholder) ? `${placeholder}Id` : placeholder;
}

/**
 * A path ID's label: what it is the ID of. Words of Stripe's internals in placeholders are left out
 * (`subscription_exposed_id` is "Subscription ID"); a bare `{id}` among others is named by the collection before
 * it (`/customers/{customer}/tax_ids/{id}` → "Tax ID", `/transfers/{transfer}/reversals/{id}` → "Reversal ID").
 */
function pathFieldLabel(resource: ResourceDescriptor, op: OperationDescriptor, placeholder: string): string {
	const name = resource.name.replace(/ \(v2\)$/, '');
	// `{id}` is the resource's own object ("Tax ID", not "ID ID"); so is a placeholder that ends its name
	// (`{intent}` of a Payment Intent, `{link}` of a File Link): "Payment Intent ID".
	// `subscription_exposed_id` is Stripe's internal name of a subscription's ID: "Subscription ID".
	const own = labelOf(placeholder.replace(/_id$/, '').replace(/_exposed$/, ''));
	const label = placeholder === 'id' || name.toLowerCase().endsWith(` ${own.toLowerCase()}`) ? name : own;
	return `${label} ID`.replace(/ ID ID$/, ' ID');
}

/**
 * Where an operation's parameters are shown: its own fields (required, promoted and file parameters, in the
 * typings' order), or "Additional Fields". The executor reads them back from the same places.
 */
export function requiredParams(op: OperationDescriptor): ParamSchema[] {
	return op.params.filter((p) => p.required || p.promote || shapeKind(p) === 'binary');
}

export function optionalParams(op: OperationDescriptor): ParamSchema[] {
	return op.params.filter((p) => !p.required && !p.promote && shapeKind(p) !== 'binary' && !(isPaged(op) && PAGINATION_PARAMS.has(p.name)));
}

/** The parameters "Using JSON" takes: all but file uploads and the page size (Return All / Limit). */
export function jsonParams(op: OperationDescriptor): ParamSchema[] {
	return op.params.filter((p) => shapeKind(p) !== 'binary' && !(isPaged(op) && PAGINATION_PARAMS.has(p.name)));
}

export const ADDITIONAL_FIELDS = 'additionalFields';
export const REQUEST_OPTIONS = 'requestOptions';
/** Request Options › Read in Parallel (Return All in ranges of creation time; on unless set off). */
export const READ_IN_PARALLEL = 'readInParallel';
/** "Using Fields Below" / "Using JSON", and the JSON of the second (one pair per resource). */
export const INPUT_MODE = 'specifyParameters';
export const JSON_PARAMETERS = 'parametersJson';

/** The choice between fields and JSON, for the operations of a resource that have parameters. */
function inputModeFields(resource: ResourceDescriptor): INodeProperties[] {
	const operations = resource.operations.filter((op) => jsonParams(op).length).map((op) => op.value);
	if (!operations.length) return [];
	const show = { resource: [resource.value], operation: operations };
	return [
		{
			displayName: 'Specify Parameters',
			name: INPUT_MODE,
			type: 'options',
			noDataExpression: true,
			options: [
				{ name: 'Using Fields Below', value: 'fields' },
				{ name: 'Using JSON', value: 'json' },
			],
			default: 'fields',
			displayOptions: { show },
		},
		{
			displayName: 'Parameters (JSON)',
			name: JSON_PARAMETERS,
			type: 'json',
			default: '{}',
			description: 'All parameters as one JSON object',
			displayOptions: { show: { ...show, [INPUT_MODE]: ['json'] } },
		},
	];
}

function operationFields(resource: ResourceDescriptor, op: OperationDescriptor): INodeProperties[] {
	const show = { displayOptions: { show: { resource: [resource.value], operation: [op.value] } } };
	// The parameters' fields are shown "Using Fields Below"; path IDs, files and paging in both modes.
	const hasMode = jsonParams(op).length > 0;
	const inFields = { displayOptions: { show: { ...show.displayOptions.show, ...(hasMode ? { [INPUT_MODE]: ['fields'] } : {}) } } };
	const fields: INodeProperties[] = [];
	for (const p of op.pathParams) {
		const base = { displayName: pathFieldLabel(resource, op, p.name), name: pathFieldName(op, p.name), required: true, description: p.description, ...show };
		const kind = locatorKind(p.name, { path: op.path, inPath: true });
		fields.push(kind ? locatorField(base, kind) : { ...base, type: 'string', default: '' });
	}
	const where: LocatorWhere = { path: op.path };
	for (const p of op.headerParams ?? []) fields.push({ ...property(p, !!p.required), ...show });
	for (const p of requiredParams(op)) {
		const f = property(p, !!p.required, 0, where); // a file's field is always required (shapes/binary.ts)
		const shownIn = shapeKind(p) === 'binary' ? show : inFields;
		const field = { ...f, displayOptions: { show: { ...shownIn.displayOptions.show, ...f.displayOptions?.show } } };
		// A search operation's Query: conditions built from fields first, the query language as the alternative.
		const searchable = p.name === 'query' ? searchFieldsOf(op) : undefined;
		fields.push(...(searchable ? searchFields(searchable, field) : versionedObject(field)));
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
		const filters = isPaged(op);
		fields.push({
			displayName: filters ? 'Filters' : 'Additional Fields',
			name: ADDITIONAL_FIELDS,
			type: 'collection',
			placeholder: filters ? 'Add Filter' : 'Add Field',
			default: {},
			options: optional.map((p) => property(p, false, 0, where)).sort((a, b) => a.displayName.localeCompare(b.displayName)),
			...inFields,
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
	if (name === 'Find or Create') return `Find or create ${withArticle(noun)}${suffix}`;
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

/** The action of a resource's Custom API Call choice, unique as every action: "Make a custom API call for a customer". */
function customCallAction(resource: ResourceDescriptor): string {
	const [, base, version = ''] = /^(.*?)( \(v\d+\))?$/.exec(resource.name) ?? [];
	return `Make a custom API call for ${withArticle(sentenceWords(base, false))}${version.toUpperCase()}`.replace(/\bid\b/g, 'ID');
}

function operationOption(resource: ResourceDescriptor, op: OperationDescriptor): INodePropertyOptions {
	return {
		name: op.name,
		value: op.value,
		description: firstSentences(op.description, 0) || `${op.name} ${resource.name}`,
		action: actionOf(resource, op),
	};
}

/**
 * "Read in Parallel", for the list operations whose Return All can be read in ranges of creation time
 * (pager.ts splitsByCreated: decided from each operation's parameter schema), shown with Return All on.
 */
function readInParallelOption(family: FamilyDescriptor): INodeProperties[] {
	const resources = family.resources.filter((r) => r.operations.some(splitsByCreated));
	if (!resources.length) return [];
	const operations = [...new Set(resources.flatMap((r) => r.operations.filter(splitsByCreated).map((op) => op.value)))];
	return [
		{
			displayName: 'Read in Parallel',
			name: READ_IN_PARALLEL,
			type: 'boolean',
			default: true,
			description: 'Whether Return All reads ranges of creation time at once, within the rate limit (same result as one page after another)',
			displayOptions: { show: { '/resource': resources.map((r) => r.value), '/operation': operations, '/returnAll': [true] } },
		},
	];
}

/** Request options every operation has: idempotency key, connected account, retries. */
function requestOptionsField(family: FamilyDescriptor): INodeProperties {
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
			...readInParallelOption(family),
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

/** All properties of a family node, generated from its descriptor, with what is repeated shared (sharing.ts). */
export function buildProperties(family: FamilyDescriptor): INodeProperties[] {
	return shareRepeatedProperties(unsharedProperties(family));
}

/** All properties of a family node, one set per operation: what buildProperties shares. */
export function unsharedProperties(family: FamilyDescriptor): INodeProperties[] {
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
	for (const r of resources) {
		props.push(...inputModeFields(r));
		for (const op of r.operations) props.push(...operationFields(r, planOperation(op)));
	}
	props.push(...customCallFields(family.displayName), requestOptionsField(family));
	applyN8nStyle(props); // sorts every dropdown by name
	// Custom API Call last in the Resource and every Operation dropdown, where n8n would add its own: then n8n
	// adds none (custom-call.ts).
	(props[0].options as INodePropertyOptions[]).push(customCallOption());
	resources.forEach((r, i) => (props[1 + i].options as INodePropertyOptions[]).push(customCallOption(customCallAction(r))));
	return props;
}

export function findOperation(
	family: FamilyDescriptor,
	resource: string,
	operation: string,
): { resource: ResourceDescriptor; operation: OperationDescriptor } | undefined {
	const r = family.resources.find((x) => x.value === resource);
	const op = r?.operations.find((x) => x.value === operation);
	// The operation as its fields show it: the JSON rule decided for every nested value (json-rule.ts).
	return r && op ? { resource: r, operation: planOperation(op) } : undefined;
}
