/** `binary`: a file upload, named by the input item's binary property (the executor reads the file). */
import { labelOf } from '../naming';
import type { ShapeUnit } from './unit';
import { readChecked } from './unit';

export const binary: ShapeUnit = {
	property: (base, { schema }) => ({
		...base,
		displayName: 'Input Binary Field',
		description: `Name of the input item's binary property holding the ${labelOf(schema.name).toLowerCase()} to upload`,
		type: 'string',
		default: 'data',
		required: true,
	}),
	read: readChecked,
};
