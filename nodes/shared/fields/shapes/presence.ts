/** Whether a field is shown, left unset or empty: what is not read, and what is not sent. */
import type { Schema } from '../../model/descriptor';
import { isPlainObject } from '../../client/answers';
import { unwrapLocator } from '../../pickers/kinds';
import { shapeKind } from './kind';

/**
 * Whether a top-level field with a display condition (`show`, e.g. a checkout session's success URL for UI
 * mode hosted) is shown for the other fields' values, as n8n's displayOptions decide (`property` sets them):
 * a hidden field is not read, whatever value it kept.
 */
export function isShown(schema: Schema, valueOf: (name: string) => unknown): boolean {
	return !schema.show || Object.entries(schema.show).every(([k, values]) => values.includes(String(valueOf(k.replace(/^\//, '')))));
}

/** Whether an optional dropdown is left at "(Not Set)", a date-time or number field empty or a choice unchosen: nothing is sent. */
export function isUnset(value: unknown, schema: Schema, depth = 0): boolean {
	if (schema.required) return false;
	const kind = shapeKind(schema, depth);
	// A choice added but with none of its options picked (Trial End without Now or Date) sends nothing either.
	if (kind === 'choice') return isPlainObject(value) && Object.keys(value).length === 0;
	return value === '' && (kind === 'options' || kind === 'date' || kind === 'number');
}

/** Whether a field's value means "nothing given" (an empty text, list, collection or locator). */
export function isEmpty(value: unknown): boolean {
	const v = unwrapLocator(value);
	if (v === undefined || v === null || v === '') return true;
	if (Array.isArray(v)) return v.length === 0;
	return isPlainObject(v) && Object.keys(v).length === 0;
}
