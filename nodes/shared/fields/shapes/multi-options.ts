/** `multiOptions`: a list of enum values, as a multi-select. */
import { enumOptions } from './options';
import type { ShapeUnit } from './unit';
import { readChecked } from './unit';

export const multiOptions: ShapeUnit = {
	property: (base, { schema }) => ({ ...base, type: 'multiOptions', options: enumOptions(schema.items?.enum ?? []), default: [] }),
	read: readChecked,
};
