/**
 * The descriptor format: everything a family node knows about a Stripe operation is data of these shapes.
 * scripts/generate-descriptors.js writes them (generated/families/*.ts) from stripe@17.4.0; hand-authored
 * operations (descriptors/hand-authored/*.json) use the same format.
 */

export type ParamType = 'string' | 'number' | 'boolean' | 'enum' | 'object' | 'array' | 'metadata' | 'map' | 'union' | 'file' | 'any';

export interface ParamSchema {
	name: string;
	type: ParamType;
	required?: boolean;
	description?: string;
	/** Allowed values of an enum (Stripe's string literal unions). */
	enum?: string[];
	/** `''` may be sent to unset the value (Stripe.Emptyable). */
	emptyable?: boolean;
	nullable?: boolean;
	/** Item type of an array, value type of a map. */
	items?: ParamSchema | Omit<ParamSchema, 'name'>;
	/** Members of an object (absent below the generator's depth limit: then any object is accepted). */
	members?: ParamSchema[];
	/** Alternatives of a union. */
	anyOf?: Array<Omit<ParamSchema, 'name'>>;
	/** UI hints: display names of enum values, a default, a date-time field, when to show. */
	enumNames?: Record<string, string>;
	default?: string | number | boolean;
	/**
	 * `date-time`: a hand-authored text field shown as a date picker; `unix-time`: a Stripe timestamp (Unix
	 * seconds), shown as a date-time field and sent as seconds (nodes/shared/fields/shapes/date.ts).
	 */
	format?: 'date-time' | 'unix-time';
	show?: Record<string, string[]>;
	/**
	 * Shown as a field of its own though optional: the operation does not work without it (a checkout
	 * session's `mode`). Set in descriptors/overrides.json; see fields/shapes/kind.ts.
	 */
	promote?: boolean;
	/** Kept as one JSON field though it could be shown as fields (the JSON rule, nodes/shared/fields/json-rule.ts). */
	json?: boolean;
	/**
	 * Fields this nested value may show before its largest members become JSON (the JSON rule's limit, raised
	 * for a value people edit by hand: a subscription update's items). Set in descriptors/overrides.json.
	 */
	maxFields?: number;
	/** The picker of an ID whose name does not say what it is (a subscription item's `id`): a kind of pickers/objects.ts. */
	picker?: string;
}

/** A parameter, or a value inside one (an array's items, a union's alternative), which may have no name. */
export type Schema = Omit<ParamSchema, 'name'> & { name?: string };

export type OperationKind = 'plain' | 'list' | 'search' | 'v2list' | 'report' | 'find' | 'findOrCreate';
export type HostKind = 'api' | 'files' | 'meterEvents';
export type Badge = 'testHelper' | 'deprecated' | 'preview';

export interface OperationDescriptor {
	/** Value of the Operation dropdown (unique inside its resource). */
	value: string;
	name: string;
	description: string;
	/** The stripe-node method that sends the same request (absent for hand-authored operations). */
	sdk?: string;
	method: 'GET' | 'POST' | 'DELETE';
	/** Path with `{placeholder}` path parameters, e.g. `/v1/customers/{customer}`. */
	path: string;
	apiMode: 'v1' | 'v2';
	host: HostKind;
	kind: OperationKind;
	pathParams: ParamSchema[];
	params: ParamSchema[];
	bodyEncoding?: 'form' | 'multipart' | 'json';
	/** `any`: the answer's Content-Type decides, JSON or a file (Custom API Call). */
	response?: 'json' | 'binary' | 'any';
	badges?: Badge[];
	/** Every nested parameter is one JSON field (descriptors/overrides.json; the JSON rule, fields/json-rule.ts). */
	nestedAsJson?: boolean;
	/**
	 * How the request is authorised: the credential's key (default), or a meter event session token
	 * (created with the key via POST /v2/billing/meter_event_session, renewed when it expires).
	 */
	auth?: 'key' | 'meterEventSession';
	/** Parameters sent as request headers (e.g. an ephemeral key's Stripe-Version). */
	headerParams?: Array<ParamSchema & { header: string }>;
	docUrl?: string;
	/** A beta flag Stripe wants after the API version in Stripe-Version, e.g. `terminal_hardware_orders_beta=v5`. */
	betaVersion?: string;
	handAuthored?: boolean;
	/** For kind `report`: which report runs it (nodes/shared/execution/special-operations.ts `SPECIAL_OPERATIONS`). */
	report?: 'creditGrants';
	/** For kinds `find` and `findOrCreate`: the object looked up (nodes/shared/execution/find.ts). */
	find?: FindSpec;
}

/**
 * A Find or Find or Create operation (hand-authored): the object's collection; how it is found is the item's
 * `find_by` (email: the list filter; lookup_key: the prices list filter; id: a retrieve; metadata: a search;
 * without `find_by`, a customer's subscriptions by status). Parameters other than the finding ones are the
 * create parameters.
 */
export interface FindSpec {
	/** The collection path, e.g. `/v1/customers` (search at `…/search`, retrieve and update at `…/{id}`). */
	collection: string;
	/** What it is called in messages: "customer". */
	noun: string;
	/** Create parameters an existing object can be updated with (Update If Found): the update operation's. */
	updatable?: string[];
}

export interface ResourceDescriptor {
	value: string;
	name: string;
	docUrl?: string;
	operations: OperationDescriptor[];
}

export interface FamilyDescriptor {
	family: string;
	displayName: string;
	className: string;
	stripeVersion: string;
	apiVersion: string;
	resources: ResourceDescriptor[];
}
