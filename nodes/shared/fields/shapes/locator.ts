/** `locator`: the ID of an object picked from a searchable list or typed (pickers/kinds.ts). */
import { locatorField } from '../../pickers/kinds';
import { pickerOf } from './kind';
import type { ShapeUnit } from './unit';
import { readChecked } from './unit';

export const locator: ShapeUnit = {
	property: (base, { schema, where }) => locatorField(base, pickerOf(schema, where)!),
	read: readChecked,
};
