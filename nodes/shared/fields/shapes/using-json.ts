/**
 * "Using JSON": all parameters (properties.ts `jsonParams`) as one object, JSON text or an object from an
 * expression, each checked against its schema like the fields are; unknown and missing required ones are refused.
 */
import type { ParamSchema } from '../../model/descriptor';
import { isPlainObject } from '../../client/answers';
import { coerce, ParamError, parseJson } from '../values';

export function readJsonParameters(params: ParamSchema[], operation: string, paged: boolean, value: unknown): Record<string, unknown> {
	const label = '"Parameters (JSON)" (parametersJson)';
	let given = value;
	if (typeof given === 'string') given = given.trim() === '' ? {} : parseJson(given, 'parametersJson', label);
	if (!isPlainObject(given)) throw new ParamError(label, `expected a JSON object of parameters, got ${Array.isArray(given) ? 'a list' : typeof given}`);
	const out: Record<string, unknown> = {};
	for (const [name, v] of Object.entries(given)) {
		const schema = params.find((p) => p.name === name);
		if (!schema) {
			const why = paged && name === 'limit' ? 'set the page size with Return All and Limit' : `it is not a parameter of ${operation}`;
			throw new ParamError(label, `"${name}" is not accepted: ${why}`);
		}
		if (v === undefined) continue;
		out[name] = coerce(v, schema, name, false);
	}
	for (const p of params) if (p.required && out[p.name] === undefined) throw new ParamError(label, `"${p.name}" is required`);
	return out;
}
