/**
 * `number`: a number field. It starts empty, not at 0: a number added under Additional Fields and left
 * empty sends nothing (presence.ts `isUnset`), one that is required says so; a default of Stripe's own is
 * shown where the descriptor has one.
 */
import type { ShapeUnit } from './unit';
import { readChecked } from './unit';

export const number: ShapeUnit = {
	property: (base) => ({ ...base, type: 'number', default: '' }),
	read: readChecked,
};
