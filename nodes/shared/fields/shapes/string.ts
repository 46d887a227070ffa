/** `string`: a text field; also an enum of too many choices nested (checked against them on read). */
import type { ShapeUnit } from './unit';
import { readChecked } from './unit';

export const string: ShapeUnit = {
	property: (base) => ({ ...base, type: 'string', default: '' }),
	read: readChecked,
};
