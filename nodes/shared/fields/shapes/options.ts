/**
 * `options`: an enum as a dropdown. A required one shows its first choice; an optional one Stripe's own
 * default where Stripe states one (hints.ts `stripeDefault`), else "(Not Set)", which sends nothing
 * (presence.ts `isUnset`).
 */
import type { INodePropertyOptions } from 'n8n-workflow';

import { NOT_SET, PLAIN_CHOICES, stripeDefault } from '../hints';
import { labelOf } from '../naming';
import type { ShapeUnit } from './unit';
import { readChecked } from './unit';

/** An enum's values as choices, named in words. */
export function enumOptions(values: string[], names?: Record<string, string>): INodePropertyOptions[] {
	return values.filter((v) => v !== '').map((v) => ({ name: names?.[v] ?? PLAIN_CHOICES[v] ?? (labelOf(v) || v), value: v }));
}

export const options: ShapeUnit = {
	property(base, { schema, required }) {
		const choices = enumOptions(schema.enum ?? [], schema.enumNames);
		if (required || schema.required) return { ...base, type: 'options', options: choices, default: choices[0]?.value ?? '' };
		const stripes = stripeDefault(schema);
		if (stripes !== undefined) return { ...base, type: 'options', options: choices, default: stripes };
		return { ...base, type: 'options', options: [{ ...NOT_SET }, ...choices], default: '' };
	},
	read: readChecked,
};
