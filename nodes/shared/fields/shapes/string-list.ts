/** `stringList`: a list of texts or numbers (or of enum values too many for a multi-select), one field per value. */
import type { ShapeUnit } from './unit';
import { readChecked } from './unit';

export const stringList: ShapeUnit = {
	property: (base) => ({ ...base, type: 'string', typeOptions: { multipleValues: true }, default: [] }),
	read: readChecked,
};
