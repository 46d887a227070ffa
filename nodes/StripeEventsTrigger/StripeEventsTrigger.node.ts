import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	ITriggerFunctions,
	ITriggerResponse,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { receiveDelivery } from '../shared/events/delivery';
import { destinationHooks } from '../shared/events/destinations';
import { EVENT_SELECTION_PROPERTIES, eventSelectionMethods, EVENTS_SUBTITLE, FETCH_RELATED_OBJECT_OPTION } from '../shared/events/selection';
import { DEFAULT_TOLERANCE_SECONDS } from '../shared/events/signature';
import { CHECK_DESTINATION_OPTION, startedItems, watchDestination } from '../shared/events/watch';

/**
 * Stripe Events Trigger: its description and wiring. Its jobs live in nodes/shared/events/: the destination at
 * Stripe (destinations.ts), deliveries and catch-up (delivery.ts), the replay memory (replay-memory.ts), the
 * event selection shared with the polling trigger (selection.ts), what it does while active (watch.ts).
 */
export class StripeEventsTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Stripe Events Trigger',
		name: 'stripeEventsTrigger',
		icon: { light: 'file:../../icons/stripe.svg', dark: 'file:../../icons/stripe.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: EVENTS_SUBTITLE,
		description: 'Starts the workflow on Stripe events, through a v2 event destination it creates and removes itself',
		defaults: { name: 'Stripe Events Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'stripeKeyApi', required: true }],
		// responseData '': n8n answers with the webhookResponse the node returns ({"received":true}) instead of
		// its default ("firstEntryJson", sent literally for nodes that are not n8n's own Webhook node).
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', responseData: '', path: 'webhook' }],
		properties: [
			{
				displayName:
					'Publishing the workflow creates a Stripe event destination (where Stripe sends the events) for it; unpublishing deletes it. Every delivery’s Stripe-Signature is verified.',
				name: 'notice',
				type: 'notice',
				default: '',
			},
			...EVENT_SELECTION_PROPERTIES,
			{
				displayName: 'Catch Up Missed Events',
				name: 'catchUp',
				type: 'boolean',
				default: true,
				description:
					'Whether the selected events Stripe did not deliver since the last event this trigger started (e.g. while the workflow was inactive, n8n was down or the destination missing) are started too, oldest first, from Stripe’s Events API (last 30 days): at each activation and start of n8n, and with each delivery before its own event',
				displayOptions: { show: { eventPayload: ['snapshot'] } },
			},
			{
				displayName: 'API Version of Event Objects',
				name: 'snapshotApiVersion',
				type: 'string',
				default: '',
				placeholder: '2024-11-20.acacia',
				description:
					'The Stripe API version whose fields the objects in the events have (objects change shape between versions). Empty: the credential’s API version.',
				displayOptions: { show: { eventPayload: ['snapshot'] } },
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					CHECK_DESTINATION_OPTION,
					{
						displayName: 'Fetch Full Event',
						name: 'fetchEvent',
						type: 'boolean',
						default: false,
						description: 'Whether to fetch the whole event from Stripe (GET /v2/core/events/{ID}) before starting the workflow (thin events)',
						displayOptions: { show: { '/eventPayload': ['thin'] } },
					},
					FETCH_RELATED_OBJECT_OPTION,
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

	methods = eventSelectionMethods;

	webhookMethods = { default: destinationHooks };

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await receiveDelivery(this);
	}

	async trigger(this: ITriggerFunctions): Promise<ITriggerResponse> {
		return await watchDestination(this);
	}

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await startedItems(this);
	}
}
