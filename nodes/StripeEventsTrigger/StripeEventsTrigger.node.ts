import type {
	IDataObject,
	IHookFunctions,
	ILoadOptionsFunctions,
	INodePropertyOptions,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeApiError, NodeConnectionTypes } from 'n8n-workflow';

import { SNAPSHOT_EVENT_TYPES, THIN_EVENT_TYPES } from '../../generated/event-types';
import { encodeForm } from '../shared/encoding';
import { DEFAULT_TOLERANCE_SECONDS, verifySignature } from '../shared/signature';
import type { StripeContext, StripeSettings } from '../shared/transport';
import { getStripeSettings, sendStripeRequest, stripeError, stripeRequest } from '../shared/transport';

const DESTINATIONS = '/v2/core/event_destinations';

/** What the node's settings ask Stripe for; compared with the live destination by checkExists. */
interface DesiredDestination {
	url: string;
	eventPayload: 'snapshot' | 'thin';
	enabledEvents: string[];
	eventsFrom: string[];
	snapshotApiVersion?: string;
}

type TriggerStaticData = Record<string, string | undefined>;

/**
 * Static-data keys of the destination: the production webhook's, or the test webhook's ("Listen for test
 * event" runs in manual mode), so listening for a test event never replaces an active workflow's destination.
 */
function slot(ctx: IHookFunctions | IWebhookFunctions) {
	const test = ctx.getMode() === 'manual';
	return {
		id: test ? 'testDestinationId' : 'destinationId',
		secret: test ? 'testSigningSecret' : 'signingSecret',
		url: test ? 'testWebhookUrl' : 'webhookUrl',
	};
}

function desiredDestination(ctx: IHookFunctions, settings: StripeSettings): DesiredDestination {
	const eventPayload = ctx.getNodeParameter('eventPayload', 'snapshot') as 'snapshot' | 'thin';
	const events = ctx.getNodeParameter(eventPayload === 'thin' ? 'thinEvents' : 'snapshotEvents', []) as string[];
	const eventsFrom = (ctx.getNodeParameter('eventsFrom', ['self']) as string[]).slice().sort();
	const version = String(ctx.getNodeParameter('snapshotApiVersion', '') || '').trim() || settings.apiVersion;
	return {
		url: ctx.getNodeWebhookUrl('default') as string,
		eventPayload,
		enabledEvents: [...new Set(events)].sort(),
		eventsFrom: eventsFrom.length ? eventsFrom : ['self'],
		...(eventPayload === 'snapshot' ? { snapshotApiVersion: version } : {}),
	};
}

function matches(live: IDataObject, want: DesiredDestination): boolean {
	const sorted = (v: unknown) => (Array.isArray(v) ? v.map(String).sort() : []);
	const endpoint = (live.webhook_endpoint ?? {}) as IDataObject;
	return (
		live.status === 'enabled' &&
		live.type === 'webhook_endpoint' &&
		endpoint.url === want.url &&
		live.event_payload === want.eventPayload &&
		JSON.stringify(sorted(live.enabled_events)) === JSON.stringify(want.enabledEvents) &&
		JSON.stringify(sorted(live.events_from ?? ['self'])) === JSON.stringify(want.eventsFrom) &&
		(want.eventPayload !== 'snapshot' || live.snapshot_api_version === want.snapshotApiVersion)
	);
}

/** Delete a destination; one that is already gone counts as deleted. */
async function deleteDestination(ctx: StripeContext, settings: StripeSettings, id: string): Promise<void> {
	const res = await sendStripeRequest(ctx, settings, { method: 'DELETE', path: `${DESTINATIONS}/${encodeURIComponent(id)}`, apiMode: 'v2' });
	if (res.statusCode >= 400 && res.statusCode !== 404) throw stripeError(ctx, res);
}

/** Destinations pointing at this node's URL that we no longer track (lost static data): removed, no orphans. */
async function deleteOrphans(ctx: IHookFunctions, settings: StripeSettings, url: string): Promise<void> {
	let path = `${DESTINATIONS}?${encodeForm({ include: ['webhook_endpoint.url'], limit: 100 }, 'repeat')}`;
	for (let page = 0; page < 20 && path; page++) {
		const body = (await stripeRequest(ctx, settings, { method: 'GET', path, apiMode: 'v2' })).body as { data?: IDataObject[]; next_page_url?: string | null };
		for (const d of body.data ?? []) {
			if (((d.webhook_endpoint ?? {}) as IDataObject).url === url) await deleteDestination(ctx, settings, String(d.id));
		}
		path = body.next_page_url ?? '';
	}
}

function eventOptions(types: string[], withAll: boolean): INodePropertyOptions[] {
	return [...(withAll ? [{ name: 'All Events (*)', value: '*' }] : []), ...types.map((t) => ({ name: t, value: t }))];
}

export class StripeEventsTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Stripe Events Trigger',
		name: 'stripeEventsTrigger',
		icon: { light: 'file:../../icons/stripe.svg', dark: 'file:../../icons/stripe.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{($parameter["eventPayload"] === "thin" ? $parameter["thinEvents"] : $parameter["snapshotEvents"]).join(", ")}}',
		description: 'Starts the workflow on Stripe events, through a v2 event destination it creates and removes itself',
		defaults: { name: 'Stripe Events Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'stripeKeyApi', required: true }],
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' }],
		properties: [
			{
				displayName:
					'Activating the workflow creates a Stripe event destination for this workflow; deactivating deletes it. Every delivery’s Stripe-Signature is verified.',
				name: 'notice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Event Payload',
				name: 'eventPayload',
				type: 'options',
				options: [
					{ name: 'Snapshot (V1 Events, Full Object)', value: 'snapshot', description: 'The event carries a snapshot of the object as it was when the event happened' },
					{ name: 'Thin (V2 Events)', value: 'thin', description: 'A small event that points at the object; the node can fetch the full event and the object' },
				],
				default: 'snapshot',
			},
			{
				displayName: 'Event Names or IDs',
				name: 'snapshotEvents',
				type: 'multiOptions',
				typeOptions: { loadOptionsMethod: 'getSnapshotEventTypes' },
				required: true,
				default: [],
				description: 'The event types to receive (* for all). Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
				displayOptions: { show: { eventPayload: ['snapshot'] } },
			},
			{
				displayName: 'Event Names or IDs',
				name: 'thinEvents',
				type: 'multiOptions',
				typeOptions: { loadOptionsMethod: 'getThinEventTypes' },
				required: true,
				default: [],
				description: 'The thin event types to receive. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
				displayOptions: { show: { eventPayload: ['thin'] } },
			},
			{
				displayName: 'Events From',
				name: 'eventsFrom',
				type: 'multiOptions',
				options: [
					{ name: 'This Account', value: 'self' },
					{ name: 'Connected Accounts', value: 'other_accounts', description: 'For Connect platforms: events of connected accounts' },
				],
				default: ['self'],
			},
			{
				displayName: 'Snapshot API Version',
				name: 'snapshotApiVersion',
				type: 'string',
				default: '',
				placeholder: '2024-11-20.acacia',
				description: 'API version of the objects in snapshot events. Empty: the credential’s API version.',
				displayOptions: { show: { eventPayload: ['snapshot'] } },
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Fetch Full Event',
						name: 'fetchEvent',
						type: 'boolean',
						default: false,
						description: 'Whether to fetch the whole event from Stripe (GET /v2/core/events/{ID}) before starting the workflow (thin events)',
						displayOptions: { show: { '/eventPayload': ['thin'] } },
					},
					{
						displayName: 'Fetch Related Object',
						name: 'fetchRelatedObject',
						type: 'boolean',
						default: false,
						description: 'Whether to fetch the object the event is about (from its related object URL) into related_object_data (thin events)',
						displayOptions: { show: { '/eventPayload': ['thin'] } },
					},
					{
						displayName: 'Signature Tolerance (Seconds)',
						name: 'tolerance',
						type: 'number',
						typeOptions: { minValue: 1 },
						default: DEFAULT_TOLERANCE_SECONDS,
						description: 'How far a delivery’s signed timestamp may be from now; older (or later) deliveries are rejected',
					},
				],
			},
		],
	};

	methods = {
		loadOptions: {
			async getSnapshotEventTypes(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
				return eventOptions(SNAPSHOT_EVENT_TYPES, true);
			},
			async getThinEventTypes(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
				return eventOptions(THIN_EVENT_TYPES, false);
			},
		},
	};

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				const data = this.getWorkflowStaticData('node') as TriggerStaticData;
				const key = slot(this);
				const id = data[key.id];
				if (!id) return false;
				const settings = await getStripeSettings(this);
				const want = desiredDestination(this, settings);
				const path = `${DESTINATIONS}/${encodeURIComponent(id)}?${encodeForm({ include: ['webhook_endpoint.url'] }, 'repeat')}`;
				const res = await sendStripeRequest(this, settings, { method: 'GET', path, apiMode: 'v2' });
				if (res.statusCode === 404) {
					delete data[key.id];
					delete data[key.secret];
					return false;
				}
				if (res.statusCode >= 400) throw stripeError(this, res);
				if (data[key.secret] && matches(res.body as IDataObject, want)) return true;
				// Disabled, or no longer what the node asks for: replace it (create() deletes the stale one).
				return false;
			},

			async create(this: IHookFunctions): Promise<boolean> {
				const data = this.getWorkflowStaticData('node') as TriggerStaticData;
				const key = slot(this);
				const settings = await getStripeSettings(this);
				const want = desiredDestination(this, settings);
				if (!want.enabledEvents.length) {
					throw new NodeApiError(this.getNode(), {}, { message: 'Choose at least one event type to receive' });
				}
				const stale = data[key.id];
				if (stale) await deleteDestination(this, settings, stale);
				delete data[key.id];
				delete data[key.secret];
				await deleteOrphans(this, settings, want.url);
				const workflow = this.getWorkflow();
				const body: IDataObject = {
					name: `n8n ${workflow.name ?? ''}`.trim().slice(0, 100),
					description: `Created by n8n for workflow "${workflow.name ?? ''}" (${workflow.id ?? 'unsaved'}), node "${this.getNode().name}". Deleted when the workflow is deactivated.`.slice(0, 500),
					type: 'webhook_endpoint',
					event_payload: want.eventPayload,
					enabled_events: want.enabledEvents,
					events_from: want.eventsFrom,
					...(want.snapshotApiVersion ? { snapshot_api_version: want.snapshotApiVersion } : {}),
					webhook_endpoint: { url: want.url },
					include: ['webhook_endpoint.signing_secret', 'webhook_endpoint.url'],
				};
				const res = await stripeRequest(this, settings, { method: 'POST', path: DESTINATIONS, apiMode: 'v2', body: JSON.stringify(body) });
				const created = res.body as IDataObject;
				const secret = ((created.webhook_endpoint ?? {}) as IDataObject).signing_secret;
				if (!created.id || typeof secret !== 'string') {
					if (created.id) await deleteDestination(this, settings, String(created.id));
					throw new NodeApiError(this.getNode(), {}, { message: 'Stripe created the event destination without returning its signing secret' });
				}
				data[key.id] = String(created.id);
				data[key.secret] = secret;
				data[key.url] = want.url;
				return true;
			},

			async delete(this: IHookFunctions): Promise<boolean> {
				const data = this.getWorkflowStaticData('node') as TriggerStaticData;
				const key = slot(this);
				const id = data[key.id];
				if (id) {
					const settings = await getStripeSettings(this);
					await deleteDestination(this, settings, id);
				}
				delete data[key.id];
				delete data[key.secret];
				delete data[key.url];
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const req = this.getRequestObject() as unknown as { headers: Record<string, string | string[] | undefined>; rawBody?: Buffer };
		const res = this.getResponseObject();
		const data = this.getWorkflowStaticData('node') as TriggerStaticData;
		const options = this.getNodeParameter('options', {}) as IDataObject;
		const tolerance = Number(options.tolerance ?? DEFAULT_TOLERANCE_SECONDS);
		const check = verifySignature(req.headers['stripe-signature'], req.rawBody, data[slot(this).secret] ?? '', tolerance);
		if (!check.ok) {
			res.status(check.status).json({ error: { message: `Invalid Stripe-Signature: ${check.reason}` } });
			return { noWebhookResponse: true };
		}
		const event = this.getBodyData() as IDataObject;
		const payload = this.getNodeParameter('eventPayload', 'snapshot') as string;
		const selected = this.getNodeParameter(payload === 'thin' ? 'thinEvents' : 'snapshotEvents', []) as string[];
		if (!selected.includes('*') && !selected.includes(String(event.type))) {
			return { webhookResponse: { received: true, ignored: `event type ${String(event.type)} is not selected` } };
		}
		let item: IDataObject = { ...event };
		if (payload === 'thin' && (options.fetchEvent || options.fetchRelatedObject)) {
			const settings = await getStripeSettings(this);
			const context = typeof event.context === 'string' && event.context ? event.context : undefined;
			if (options.fetchEvent && event.id) {
				const full = await stripeRequest(this, settings, { method: 'GET', path: `/v2/core/events/${encodeURIComponent(String(event.id))}`, apiMode: 'v2', stripeAccount: context });
				item = { ...(full.body as IDataObject) };
			}
			const related = (event.related_object ?? {}) as IDataObject;
			if (options.fetchRelatedObject && typeof related.url === 'string' && related.url.startsWith('/v1/')) {
				const obj = await stripeRequest(this, settings, { method: 'GET', path: related.url, apiMode: 'v1', stripeAccount: context });
				item.related_object_data = obj.body as IDataObject;
			}
		}
		// Connected-account events: which account the event belongs to, whatever the payload style.
		if (item.account === undefined) item.account = event.account ?? null;
		if (payload === 'thin' && item.context === undefined) item.context = event.context ?? null;
		return { workflowData: [this.helpers.returnJsonArray([item])] };
	}
}
