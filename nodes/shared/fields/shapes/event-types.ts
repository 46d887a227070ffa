/** `eventTypes`: a webhook endpoint's `enabled_events`, chosen from Stripe's event types (pickers/lookups.ts). */
import { labelOf } from '../naming';
import type { ShapeUnit } from './unit';
import { readChecked } from './unit';

export const eventTypes: ShapeUnit = {
	property(base, { schema }) {
		// n8n's convention for dynamic multi-options: "… Names or IDs", and the standard description last.
		const prefix = base.description ? `${base.description.replace(/\.$/, '')}. ` : '';
		return {
			...base,
			displayName: `${labelOf(schema.name).replace(/s$/, '')} Names or IDs`,
			type: 'multiOptions',
			typeOptions: { loadOptionsMethod: 'getEventTypes' },
			default: [],
			description: `${prefix}Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>`,
		};
	},
	read: readChecked,
};
