/**
 * `date`: a Stripe timestamp as an n8n date-time field; sent as the Unix seconds stripe-node sends for the same
 * instant (values.ts `toUnixSeconds`: the picker's value, date text, a Luxon DateTime or Date, Unix seconds).
 */
import { toUnixSeconds } from '../values';
import type { ShapeUnit } from './unit';

export const date: ShapeUnit = {
	property: (base) => ({ ...base, type: 'dateTime', default: '' }),
	read: (value, { zone, path }) => toUnixSeconds(value, zone, path),
};
