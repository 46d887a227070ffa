/** `number`: a number field. */
import type { ShapeUnit } from './unit';
import { readChecked } from './unit';

export const number: ShapeUnit = {
	property: (base) => ({ ...base, type: 'number', default: 0 }),
	read: readChecked,
};
