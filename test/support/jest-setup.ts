/**
 * Runs in every test file's sandbox before its tests (jest.config.js `setupFiles`).
 *
 * jest runs each test file in a `vm` context of its own, with its own built-ins (Object, Array, Date…), while
 * a few host functions are handed in from outside: `structuredClone`, and `fetch` with its `Response`. What
 * those return is built with the host's built-ins, so `value instanceof Date` is false for a cloned date, and
 * node:assert's deepStrictEqual (which compares prototypes) tells a cloned array from an equal literal one.
 * Under `node --test`, and in n8n, there is one set of built-ins. So here both hand back values rebuilt with
 * the sandbox's own built-ins: the same data, of the same kinds, as in a plain Node process.
 */

type Any = unknown;

/** `value` (an output of the host's structured clone or JSON.parse) rebuilt with this context's built-ins. */
function ownRealm(value: Any, seen = new Map<object, Any>()): Any {
	if (typeof value !== 'object' || value === null) return value;
	if (seen.has(value)) return seen.get(value);
	const tag = Object.prototype.toString.call(value);
	const keep = (copy: Any) => (seen.set(value, copy), copy);
	switch (tag) {
		case '[object Array]': {
			const copy = keep([]) as Any[];
			for (const v of value as Any[]) copy.push(ownRealm(v, seen));
			return copy;
		}
		case '[object Date]':
			return keep(new Date((value as Date).getTime()));
		case '[object RegExp]':
			return keep(new RegExp((value as RegExp).source, (value as RegExp).flags));
		case '[object Map]': {
			const copy = keep(new Map()) as Map<Any, Any>;
			for (const [k, v] of value as Map<Any, Any>) copy.set(ownRealm(k, seen), ownRealm(v, seen));
			return copy;
		}
		case '[object Set]': {
			const copy = keep(new Set()) as Set<Any>;
			for (const v of value as Set<Any>) copy.add(ownRealm(v, seen));
			return copy;
		}
		case '[object Error]': {
			const e = value as Error;
			const Ctor = (globalThis as unknown as Record<string, ErrorConstructor>)[e.name] ?? Error;
			const copy = keep(new Ctor(e.message)) as Error;
			copy.stack = e.stack;
			return copy;
		}
		case '[object Object]': {
			if (Object.getPrototypeOf(value) === null) {
				const copy = keep(Object.create(null)) as Record<string, Any>;
				for (const [k, v] of Object.entries(value)) copy[k] = ownRealm(v, seen);
				return copy;
			}
			const copy = keep({}) as Record<string, Any>;
			for (const [k, v] of Object.entries(value)) copy[k] = ownRealm(v, seen);
			return copy;
		}
		default:
			// Typed arrays, ArrayBuffers and boxed primitives: kept as the host built them.
			return value;
	}
}

const hostClone = globalThis.structuredClone;
globalThis.structuredClone = ((value: Any, options?: Parameters<typeof structuredClone>[1]) => ownRealm(hostClone(value, options))) as typeof structuredClone;

const hostFetch = globalThis.fetch;
globalThis.fetch = (async (...args: Parameters<typeof fetch>) => {
	const response = await hostFetch(...args);
	Object.defineProperty(response, 'json', { value: async () => JSON.parse(await response.text()) as Any });
	return response;
}) as typeof fetch;

/**
 * node:assert is Node's own module, shared by all contexts, and its deep-equality checks compare prototypes:
 * an array that Node's own modules built (`fs.readdirSync`, and `.filter`/`.map` on it) is not deep-equal to
 * the same array written in the test. So the deep-equality assertions first rebuild plain objects and arrays
 * from another context with this context's built-ins; everything else (class instances, dates, errors, plain
 * objects of this context) is compared as it is, so a prototype that really differs still fails.
 */
function isPlainOf(value: object): boolean {
	const proto = Object.getPrototypeOf(value) as { constructor?: { name?: string } } | null;
	return proto === null || (Object.getPrototypeOf(proto) === null && proto.constructor?.name === 'Object');
}

function sameRealm(value: Any, seen = new Map<object, Any>()): Any {
	if (typeof value !== 'object' || value === null) return value;
	if (seen.has(value)) return seen.get(value);
	if (Array.isArray(value)) {
		const proto = Object.getPrototypeOf(value) as { constructor?: { name?: string } };
		if (proto !== Array.prototype && proto.constructor?.name !== 'Array') return value; // a subclass of Array
		const copy: Any[] = [];
		seen.set(value, copy);
		for (const v of value) copy.push(sameRealm(v, seen));
		return copy;
	}
	if (!isPlainOf(value)) return value;
	const copy = Object.getPrototypeOf(value) === null ? (Object.create(null) as Record<PropertyKey, Any>) : ({} as Record<PropertyKey, Any>);
	seen.set(value, copy);
	for (const key of Reflect.ownKeys(value))
		if (Object.prototype.propertyIsEnumerable.call(value, key)) copy[key] = sameRealm((value as Record<PropertyKey, Any>)[key], seen);
	return copy;
}

type DeepCheck = ((actual: Any, expected: Any, message?: string | Error) => void) & { original?: DeepCheck };
const nodeAssert = require('node:assert') as Record<string, DeepCheck> & { strict: Record<string, DeepCheck> };
for (const target of [nodeAssert, nodeAssert.strict])
	for (const name of ['deepEqual', 'deepStrictEqual', 'notDeepEqual', 'notDeepStrictEqual']) {
		// Node's own function (a worker that ran another test file before may have wrapped it for that file).
		const check = target[name].original ?? target[name];
		const wrapped: DeepCheck = (actual, expected, message) => check(sameRealm(actual), sameRealm(expected), message);
		wrapped.original = check;
		target[name] = wrapped;
	}

// jest sets NODE_ENV=test when it is unset; node --test and n8n leave it unset, and some code reads it (e.g.
// eslint-plugin-n8n-nodes-base treats every file as a node file under NODE_ENV=test).
if (process.env.NODE_ENV === 'test') delete process.env.NODE_ENV;
