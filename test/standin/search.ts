/**
 * A small implementation of Stripe's search query language
 * (https://docs.stripe.com/search#search-query-language):
 *   email:'a@b.c'   name~'ali'   -name:'x'   metadata['k']:'v'   created>1700000000   field:null
 *   clauses joined by AND or OR (not both, like Stripe). `:` is a case-insensitive exact match, `~` a
 *   substring match.
 */

import type { StripeObject } from './resources';

export class SearchSyntaxError extends Error {}

interface Clause {
	negate: boolean;
	field: string[]; // ['email'] or ['metadata', 'key']
	op: ':' | '~' | '>' | '<' | '>=' | '<=';
	value: string | number | null;
}

export function parseSearchQuery(query: string): { clauses: Clause[]; join: 'AND' | 'OR' } {
	let i = 0;
	const s = query;
	const clauses: Clause[] = [];
	let join: 'AND' | 'OR' | undefined;
	const ws = () => {
		while (i < s.length && /\s/.test(s[i])) i++;
	};
	const fail = (msg: string): never => {
		throw new SearchSyntaxError(`${msg} (at position ${i} of query: ${query})`);
	};
	const readQuoted = (): string => {
		const q = s[i];
		i++;
		let out = '';
		while (i < s.length && s[i] !== q) {
			if (s[i] === '\\' && i + 1 < s.length) i++;
			out += s[i++];
		}
		if (s[i] !== q) fail('Unterminated string');
		i++;
		return out;
	};
	ws();
	if (i >= s.length) fail('Empty query');
	while (i < s.length) {
		ws();
		let negate = false;
		if (s[i] === '-') {
			negate = true;
			i++;
		}
		const m = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(s.slice(i));
		if (!m) fail('Expected a field name');
		const field = [m![0]];
		i += m![0].length;
		if (s[i] === '[') {
			i++;
			if (s[i] !== "'" && s[i] !== '"') fail('Expected a quoted key');
			field.push(readQuoted());
			if (s[i] !== ']') fail("Expected ']'");
			i++;
		}
		let op: Clause['op'];
		if (s.startsWith('>=', i) || s.startsWith('<=', i)) {
			op = s.slice(i, i + 2) as Clause['op'];
			i += 2;
		} else if (':~<>'.includes(s[i]) && i < s.length) {
			op = s[i] as Clause['op'];
			i++;
		} else {
			return fail("Expected one of ':', '~', '>', '<', '>=', '<='");
		}
		let value: Clause['value'];
		if (s[i] === "'" || s[i] === '"') value = readQuoted();
		else {
			const v = /^[^\s]+/.exec(s.slice(i));
			if (!v) return fail('Expected a value');
			i += v[0].length;
			if (v[0] === 'null') value = null;
			else if (/^-?\d+(\.\d+)?$/.test(v[0])) value = Number(v[0]);
			else return fail(`Values must be quoted: ${v[0]}`);
		}
		if (op === '~' && (typeof value !== 'string' || value.length < 3)) {
			fail('The ~ operator needs a quoted value of at least 3 characters');
		}
		clauses.push({ negate, field, op, value });
		ws();
		if (i >= s.length) break;
		const j = /^(AND|OR)\s+/i.exec(s.slice(i));
		if (!j) fail('Expected AND or OR');
		const word = j![1].toUpperCase() as 'AND' | 'OR';
		if (join && join !== word) fail('A query cannot combine AND and OR');
		join = word;
		i += j![0].length;
	}
	return { clauses, join: join ?? 'AND' };
}

function fieldValue(obj: StripeObject, field: string[]): unknown {
	let cur: unknown = obj;
	for (const part of field.length === 1 ? field[0].split('.') : field) {
		if (cur === null || typeof cur !== 'object') return undefined;
		cur = (cur as StripeObject)[part];
	}
	return cur;
}

function matchClause(obj: StripeObject, c: Clause): boolean {
	const actual = fieldValue(obj, c.field);
	let ok: boolean;
	if (c.value === null) ok = actual === null || actual === undefined;
	else if (c.op === ':') ok = actual !== null && actual !== undefined && String(actual).toLowerCase() === String(c.value).toLowerCase();
	else if (c.op === '~') ok = typeof actual === 'string' && actual.toLowerCase().includes(String(c.value).toLowerCase());
	else {
		const a = Number(actual);
		const b = Number(c.value);
		if (actual === null || actual === undefined || Number.isNaN(a) || Number.isNaN(b)) ok = false;
		else if (c.op === '>') ok = a > b;
		else if (c.op === '<') ok = a < b;
		else if (c.op === '>=') ok = a >= b;
		else ok = a <= b;
	}
	return c.negate ? !ok : ok;
}

export function matchesQuery(obj: StripeObject, q: ReturnType<typeof parseSearchQuery>): boolean {
	return q.join === 'AND' ? q.clauses.every((c) => matchClause(obj, c)) : q.clauses.some((c) => matchClause(obj, c));
}
