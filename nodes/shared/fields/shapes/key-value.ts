/** `keyValue`: metadata and other maps of text, as key/value pairs (values.ts checks Stripe's metadata limits). */
import type { ShapeUnit } from './unit';
import { readChecked } from './unit';

/** The option of the pairs' fixed collection. */
export const PAIRS_OPTION = 'entries';

export const keyValue: ShapeUnit = {
	property: (base) => ({
		...base,
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Entry',
		default: {},
		options: [
			{
				displayName: 'Entry',
				name: PAIRS_OPTION,
				values: [
					{ displayName: 'Key', name: 'key', type: 'string', default: '' },
					{ displayName: 'Value', name: 'value', type: 'string', default: '' },
				],
			},
		],
	}),
	read: readChecked,
};
