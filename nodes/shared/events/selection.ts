/**
 * Which events a trigger receives: the fields both Stripe event triggers show (payload style, event types,
 * accounts) and the choices behind their event-type lists. One definition, so the webhook trigger and the
 * polling trigger select events the same way and a workflow can switch between them.
 */
import type { ILoadOptionsFunctions, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { SNAPSHOT_EVENT_TYPES, THIN_EVENT_TYPES } from '../../../generated/event-types';
import { eventTypeOptions } from '../pickers/lookups';

/** The node subtitle: the selected event types. */
export const EVENTS_SUBTITLE = '={{($parameter["eventPayload"] === "thin" ? $parameter["thinEvents"] : $parameter["snapshotEvents"]).join(", ")}}';

const EXPRESSION_HINT = 'Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.';

function eventTypesField(name: 'snapshotEvents' | 'thinEvents', payload: 'snapshot' | 'thin', method: string, what: string): INodeProperties {
	return {
		displayName: 'Event Names or IDs',
		name,
		type: 'multiOptions',
		typeOptions: { loadOptionsMethod: method },
		required: true,
		default: [],
		description: `${what} ${EXPRESSION_HINT}`,
		displayOptions: { show: { eventPayload: [payload] } },
	};
}

/** Event Payload, Events (snapshot or thin) and Events From. */
export const EVENT_SELECTION_PROPERTIES: INodeProperties[] = [
	{
		displayName: 'Event Payload',
		name: 'eventPayload',
		type: 'options',
		options: [
			{
				name: 'Full Object (Snapshot Events)',
				value: 'snapshot',
				description: 'Each event carries the whole object as it was when the event happened, e.g. the paid invoice for invoice.paid (Stripe’s v1 events)',
			},
			{
				name: 'ID Only (Thin Events)',
				value: 'thin',
				description:
					'Each event carries only its type and the ID of the object it is about; the node can fetch the full event and the object (Stripe’s v2 events)',
			},
		],
		default: 'snapshot',
	},
	eventTypesField('snapshotEvents', 'snapshot', 'getSnapshotEventTypes', 'The event types to receive (* for all).'),
	eventTypesField('thinEvents', 'thin', 'getThinEventTypes', 'The thin event types to receive.'),
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
];

/** The option "Fetch Related Object" (thin events), as both triggers offer it. */
export const FETCH_RELATED_OBJECT_OPTION: INodeProperties = {
	displayName: 'Fetch Related Object',
	name: 'fetchRelatedObject',
	type: 'boolean',
	default: false,
	description: 'Whether to fetch the object the event is about (from its related object URL) into related_object_data (thin events)',
	displayOptions: { show: { '/eventPayload': ['thin'] } },
};

/** The load-options methods behind the event-type lists. */
export const eventSelectionMethods = {
	loadOptions: {
		async getSnapshotEventTypes(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
			return eventTypeOptions(SNAPSHOT_EVENT_TYPES, { all: true });
		},
		async getThinEventTypes(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
			return eventTypeOptions(THIN_EVENT_TYPES);
		},
	},
};
