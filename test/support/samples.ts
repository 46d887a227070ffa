/**
 * Deterministic sample values for any parameter schema, and their shape as node field values, so one
 * generated case can be sent both through our node and through stripe-node.
 */
import type { OperationDescriptor, ParamSchema } from '../../nodes/shared/model/descriptor';
import { locatorKind, optionalParams, pathFieldName, requiredParams } from '../../nodes/shared/fields/properties';
import { isShown, shapeKind } from '../../nodes/shared/fields/shapes';
import { planOperation } from '../../nodes/shared/fields/json-rule';
import { write } from './write';

type Schema = Omit<ParamSchema, 'name'> & { name?: string };

/** Text that exercises the encoder: spaces, reserved and non-ASCII characters. */
export const TRICKY_TEXT = "Café & co: 100% (x) [y] {z} a+b=c/d?e#f 'g' *h* ~i~ !j 😀";
/**
 * For v2 JSON bodies: stripe-node 17.4.0 sets Content-Length to the body's UTF-16 length, not its byte
 * length, so a non-ASCII JSON body arrives truncated — an SDK bug we do not reproduce (our node sends the
 * right length), hence ASCII-only samples for v2.
 */
export const TRICKY_TEXT_ASCII = "Cafe & co: 100% (x) [y] {z} a+b=c/d?e#f 'g' *h* ~i~ !j";

let trickyText = TRICKY_TEXT;

export function sampleValue(schema: Schema, name: string, depth = 0): unknown {
	switch (schema.type) {
		case 'string':
			return depth === 0 ? `${name} ${trickyText}` : `${name}-value`;
		case 'number':
			return schema.format === 'unix-time' ? 1735689600 : 1234; // a timestamp: 2025-01-01T00:00:00Z
		case 'boolean':
			return true;
		case 'enum':
			return (schema.enum ?? []).find((v) => v !== '') ?? '';
		case 'metadata':
			return { order_id: '6735', 'note key': 'a&b=c' };
		case 'map': {
			const item = schema.items as Schema | undefined;
			if (item && !['string', 'number', 'boolean', 'enum'].includes(item.type)) return { eur: sampleValue(item, 'eur', depth + 1) };
			return { alpha: 'one', beta: 'two' };
		}
		case 'array': {
			const item = (schema.items ?? { type: 'string' }) as Schema;
			if (item.type === 'enum') return (item.enum ?? []).filter((v) => v !== '').slice(0, 2);
			if (item.type === 'string') return [`${name} one`, `${name} [two]`];
			if (item.type === 'number') return [1, 2];
			return [sampleValue(item, name, depth + 1)];
		}
		case 'object': {
			if (!schema.members) return { note: `${name} free-form` };
			const out: Record<string, unknown> = {};
			const members = schema.members.filter((m) => m.required || depth < 2);
			for (const m of members.slice(0, 4)) out[m.name] = sampleValue(m, m.name, depth + 1);
			for (const m of schema.members.filter((m) => m.required)) out[m.name] = sampleValue(m, m.name, depth + 1);
			// A shown member with a default (a line item's quantity 1) has that value in the editor unless changed.
			for (const m of schema.members.filter((m) => m.promote && m.default !== undefined && m.default !== '' && !(m.name in out))) out[m.name] = m.default;
			return out;
		}
		case 'union': {
			const alts = (schema.anyOf ?? []) as Schema[];
			const pick = alts.find((a) => a.type === 'object') ?? alts[0];
			return pick ? sampleValue(pick, name, depth) : 'x';
		}
		case 'file':
			return { data: Buffer.from(`file contents of ${name}\n`), name: 'evidence.txt', type: 'text/plain' };
		default:
			return `${name}-any`;
	}
}

/** The value a user would put into the node field for this sample (the field shape's inverse, test/support/write.ts). */
export function fieldValue(schema: ParamSchema, sample: unknown, where?: { path: string }): unknown {
	return write(sample, schema, 0, where);
}

export interface OperationCase {
	label: string;
	/** Positional path arguments for the SDK, in path order. */
	pathArgs: string[];
	/** Request parameters as passed to the SDK. */
	sdkParams: Record<string, unknown>;
	/** Request options for the SDK (header parameters such as an ephemeral key's apiVersion). */
	sdkOptions: Record<string, unknown>;
	/** Node parameters (resource/operation added by the caller). */
	nodeParams: Record<string, unknown>;
	/** Binary input for file uploads. */
	file?: { data: Buffer; name: string; type: string };
}

/** Two cases per operation: required parameters only, and every parameter. */
export function casesFor(descriptor: OperationDescriptor): OperationCase[] {
	// The operation as its fields show it (the JSON rule decided for every nested value), as the node reads it.
	const op = planOperation(descriptor);
	const cases: OperationCase[] = [];
	trickyText = op.apiMode === 'v2' ? TRICKY_TEXT_ASCII : TRICKY_TEXT;
	for (const full of [false, true]) {
		const pathArgs = op.pathParams.map((p, i) => `${p.name === 'id' ? 'obj' : p.name}_Test${i}`);
		const nodeParams: Record<string, unknown> = {};
		op.pathParams.forEach((p, i) => {
			const value = pathArgs[i];
			nodeParams[pathFieldName(op, p.name)] = locatorKind(p.name, { path: op.path, inPath: true }) ? { __rl: true, mode: 'id', value } : value;
		});
		const sdkParams: Record<string, unknown> = {};
		const sdkOptions: Record<string, unknown> = {};
		for (const h of op.headerParams ?? []) {
			nodeParams[h.name] = '2020-08-27';
			sdkOptions[h.name] = '2020-08-27';
		}
		let file: OperationCase['file'];
		const chosen: Record<string, unknown> = {};
		// A promoted field with an empty default ('' for a number: nothing is sent until the user types one) gets a sample.
		for (const p of requiredParams(op)) chosen[p.name] = p.default === undefined || p.default === '' ? sampleValue(p, p.name) : p.default;
		// A field shown only for some values of another (a checkout session's success URL, for ui_mode
		// hosted) is left out when the other has a value that hides it, as the editor does.
		const shown = (p: ParamSchema) => isShown(p, (name) => chosen[name]);
		for (const p of requiredParams(op)) {
			if (!shown(p)) continue;
			const v = chosen[p.name];
			if (shapeKind(p) === 'binary') file = v as OperationCase['file'];
			sdkParams[p.name] = v;
			nodeParams[p.name] = fieldValue(p, v, { path: op.path });
		}
		if (full) {
			const additional: Record<string, unknown> = {};
			for (const p of optionalParams(op)) {
				const v = sampleValue(p, p.name);
				sdkParams[p.name] = v;
				additional[p.name] = fieldValue(p, v, { path: op.path });
			}
			if (!Object.keys(additional).length) continue;
			nodeParams.additionalFields = additional;
		}
		cases.push({ label: full ? 'all parameters' : 'required parameters', pathArgs, sdkParams, sdkOptions, nodeParams, file });
	}
	return cases;
}
