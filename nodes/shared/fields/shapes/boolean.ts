/** `boolean`: a switch. */
import type { ShapeUnit } from './unit';
import { readChecked } from './unit';

export const boolean: ShapeUnit = {
	property: (base) => ({ ...base, type: 'boolean', default: false }),
	read: readChecked,
};
