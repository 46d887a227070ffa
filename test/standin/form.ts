/**
 * Stripe's request encoding: `application/x-www-form-urlencoded` with bracket syntax for nesting
 * (`metadata[k]=v`, `items[0][price]=p`, `expand[]=x`), as produced by stripe-node (`qs`, arrayFormat
 * `indices` for v1, `repeat` for v2 query strings). Values stay strings, like Stripe receives them.
 */

export type FormValue = string | FormValue[] | { [key: string]: FormValue };
export type FormObject = { [key: string]: FormValue };

export class FormParseError extends Error {}

/** Splits `a[b][0][]` into ['a', 'b', '0', '']. */
export function splitKey(key: string): string[] {
	const open = key.indexOf('[');
	if (open <= 0) return [key];
	const parts = [key.slice(0, open)];
	const re = /\[([^\]]*)\]/g;
	let m: RegExpExecArray | null;
	let end = open;
	re.lastIndex = open;
	while ((m = re.exec(key)) !== null) {
		if (m.index !== end) break;
		parts.push(m[1]);
		end = m.index + m[0].length;
	}
	if (end !== key.length) {
		// Malformed brackets (`a[b`, `a[b]c`): treat the remainder as part of the last segment, like qs does.
		parts[parts.length - 1] += key.slice(end);
	}
	return parts;
}

function isIndex(s: string): boolean {
	return /^(0|[1-9]\d{0,3})$/.test(s);
}

/** Parses a form body or query string into nested objects / arrays. */
export function parseForm(input: string): FormObject {
	const root: FormObject = {};
	if (!input) return root;
	for (const pair of input.split('&')) {
		if (!pair) continue;
		const eq = pair.indexOf('=');
		const rawKey = eq === -1 ? pair : pair.slice(0, eq);
		const rawValue = eq === -1 ? '' : pair.slice(eq + 1);
		const key = decode(rawKey);
		const value = decode(rawValue);
		assign(root, splitKey(key), value);
	}
	return finalize(root) as FormObject;
}

function decode(s: string): string {
	try {
		return decodeURIComponent(s.replace(/\+/g, ' '));
	} catch {
		throw new FormParseError(`Invalid URL encoding: ${s}`);
	}
}

/**
 * Internally every container is an object; numeric keys and `[]` pushes are turned into arrays by
 * finalize() when all keys of a container are indices.
 */
const PUSH = Symbol('push');
type Tmp = { [key: string]: unknown; [PUSH]?: number };

function assign(target: Tmp, path: string[], value: string): void {
	let cur: Tmp = target;
	for (let i = 0; i < path.length; i++) {
		let seg = path[i];
		const last = i === path.length - 1;
		if (seg === '') {
			// `a[]=x`: append
			const n = cur[PUSH] ?? countIndices(cur);
			cur[PUSH] = n + 1;
			seg = String(n);
		}
		if (last) {
			const existing = cur[seg];
			if (existing === undefined) cur[seg] = value;
			else if (Array.isArray(existing)) existing.push(value);
			else if (typeof existing === 'string')
				cur[seg] = [existing, value]; // repeated key (v2 `include=a&include=b`)
			else throw new FormParseError(`Conflicting values for ${path.join('.')}`);
		} else {
			let next = cur[seg];
			if (next === undefined || typeof next === 'string' || Array.isArray(next)) {
				if (typeof next === 'string' || Array.isArray(next)) {
					throw new FormParseError(`Conflicting values for ${path.slice(0, i + 1).join('.')}`);
				}
				next = {};
				cur[seg] = next;
			}
			cur = next as Tmp;
		}
	}
}

function countIndices(o: Tmp): number {
	return Object.keys(o).filter(isIndex).length;
}

function finalize(v: unknown): FormValue {
	if (typeof v === 'string') return v;
	if (Array.isArray(v)) return v.map(finalize);
	const o = v as Tmp;
	const keys = Object.keys(o);
	const fin: FormObject = {};
	for (const k of keys) fin[k] = finalize(o[k]);
	if (keys.length > 0 && keys.every(isIndex)) {
		return keys
			.map(Number)
			.sort((a, b) => a - b)
			.map((k) => fin[String(k)]);
	}
	return fin;
}
