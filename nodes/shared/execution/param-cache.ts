/**
 * Reading parameters once per execution instead of once per item. n8n resolves a parameter for every item
 * (`getNodeParameter(name, itemIndex)`), walking and copying its value even when it holds no expression. A
 * parameter whose stored value contains no expression (no string starting with `=`) resolves to the same
 * value for every item, so it is read once and handed out as a copy; parameters with expressions are read per
 * item as before. Calls with options (extractValue, rawExpressions, …) go straight to n8n.
 */
import type { IExecuteFunctions } from 'n8n-workflow';

function hasExpression(value: unknown): boolean {
	if (typeof value === 'string') return value.startsWith('=');
	if (Array.isArray(value)) return value.some(hasExpression);
	if (value !== null && typeof value === 'object') return Object.values(value).some(hasExpression);
	return false;
}

const copy = <T>(value: T): T => (value !== null && typeof value === 'object' ? structuredClone(value) : value);

/** `ctx` with a getNodeParameter that reads expression-free parameters once. Everything else is `ctx`'s own. */
export function withParameterCache(ctx: IExecuteFunctions): IExecuteFunctions {
	const cache = new Map<string, { expression: true } | { expression: false; value: unknown }>();
	const original = ctx.getNodeParameter.bind(ctx) as (name: string, itemIndex: number, fallback?: unknown, options?: unknown) => unknown;
	const getNodeParameter = (name: string, itemIndex: number, fallback?: unknown, options?: unknown): unknown => {
		if (options !== undefined) return original(name, itemIndex, fallback, options);
		const key = `${name}\u0000${fallback === undefined ? '' : JSON.stringify(fallback)}`;
		let entry = cache.get(key);
		if (!entry) {
			let raw: unknown;
			try {
				raw = original(name, itemIndex, fallback, { rawExpressions: true });
			} catch {
				return original(name, itemIndex, fallback); // n8n's own error
			}
			if (hasExpression(raw)) entry = { expression: true };
			else entry = { expression: false, value: original(name, itemIndex, fallback) };
			cache.set(key, entry);
		}
		return entry.expression ? original(name, itemIndex, fallback) : copy(entry.value);
	};
	return new Proxy(ctx, {
		get(target, property) {
			if (property === 'getNodeParameter') return getNodeParameter;
			const value = Reflect.get(target, property, target) as unknown;
			return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
		},
	});
}
