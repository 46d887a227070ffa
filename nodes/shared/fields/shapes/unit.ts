/**
 * What a field shape is: one unit that knows its n8n property and how a value given in it becomes the value
 * sent to Stripe, checked. `index.ts` maps each kind (`kind.ts`) to its unit; adding a shape means adding a
 * file with its unit and a line there. Tests hold the inverse (test/support/write.ts).
 *
 * Nested shapes (group, list, choice) reach their members' shapes through `member`, handed in by the index, so
 * no unit imports the index.
 */
import type { INodeProperties } from 'n8n-workflow';

import type { ParamSchema, Schema } from '../../model/descriptor';
import type { LocatorWhere } from '../../pickers/kinds';
import { coerce } from '../values';

/** What every field takes from its parameter: label, name, description and required mark. */
export interface BaseProperty {
	displayName: string;
	name: string;
	description?: string;
	required?: true;
}

export interface PropertyArgs {
	schema: ParamSchema;
	/** Marked required for n8n (top-level parameters only; nested required members are checked on read). */
	required: boolean;
	depth: number;
	/** The operation, for pickers (pickers/kinds.ts). */
	where?: LocatorWhere;
	/** A member's property, at its depth. */
	member: (schema: ParamSchema, depth: number) => INodeProperties;
}

export interface ReadArgs {
	schema: Schema;
	/** The Stripe parameter path, for messages: `line_items[0].price`. */
	path: string;
	depth: number;
	/** The workflow's time zone, for dates that name none. */
	zone?: string;
	/** A member's value read by its own shape. */
	member: (value: unknown, schema: Schema, path: string, depth: number) => unknown;
}

export interface ShapeUnit {
	property(base: BaseProperty, args: PropertyArgs): INodeProperties;
	/** The field's value (a picker's already unwrapped) → the request value, checked at every depth. */
	read(value: unknown, args: ReadArgs): unknown;
}

/** A value checked against its schema as it is (text may stand for a list or an object). */
export function readChecked(value: unknown, { schema, path }: ReadArgs): unknown {
	return coerce(value, schema, path, true);
}
