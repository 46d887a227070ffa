/**
 * Field texts (issue 20): what the editor shows a user, over every built node description and every field of
 * all operations, at any depth.
 *
 * Whole help texts: no description is cut ("…"), starts mid-sentence, repeats a word ("ID ID", "Add Add") or
 * leaks a word of Stripe's internals ("Exposed ID"); and every parameter's and member's description keeps at
 * least Stripe's complete first sentence, unaltered but for n8n's casing and final period. The expected text
 * is Stripe's own doc comment as the descriptor carries it (the typings of stripe@17.4.0).
 */
import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import type { INodeProperties } from 'n8n-workflow';

import type { ParamSchema } from '../../nodes/shared/model/descriptor';
import { FAMILY_NODES } from '../support/families';
import { operationPanel } from '../support/panel';

type Prop = INodeProperties & { values?: Prop[]; options?: Prop[] };

interface Shown {
	node: string;
	where: string;
	text: string;
}

/** Every display name, placeholder, option name and description of every node, with where it is. */
function allTexts(): { descriptions: Shown[]; names: Shown[] } {
	const descriptions: Shown[] = [];
	const names: Shown[] = [];
	const walk = (props: unknown[] | undefined, node: string, trail: string) => {
		for (const p of (props ?? []) as Array<Record<string, unknown>>) {
			if (!p || typeof p !== 'object') continue;
			const label = String(p.displayName ?? p.name ?? '');
			const where = `${trail} › ${label}`;
			if (typeof p.description === 'string') descriptions.push({ node, where, text: p.description });
			for (const k of ['displayName', 'placeholder', 'action'] as const) if (typeof p[k] === 'string') names.push({ node, where, text: p[k] as string });
			if (typeof p.name === 'string' && 'value' in p) names.push({ node, where, text: p.name });
			walk(p.options as unknown[], node, where);
			walk(p.values as unknown[], node, where);
		}
	};
	for (const { nodeType } of FAMILY_NODES) walk(nodeType.description.properties, nodeType.description.displayName, '');
	return { descriptions, names };
}

const { descriptions, names } = allTexts();
const list = (xs: Shown[]) => xs.slice(0, 8).map((x) => `${x.node}${x.where}: ${x.text}`);

/** Text as compared: one space between words, lower case (n8n's style capitalises and writes "ID", "URL"). */
const norm = (s: string) => s.replace(/\s+/g, ' ').trim().toLowerCase();

/**
 * Stripe's first sentence, read here independently of the code under test: up to the first ". " (or "! ",
 * "? ") that is followed by a capital letter, outside parentheses and `code`, and not the period of "e.g.",
 * "i.e." or "U.S.".
 */
function stripeFirstSentence(text: string): string {
	const t = text.replace(/\s+/g, ' ').trim();
	let depth = 0;
	let code = false;
	for (let i = 0; i < t.length - 2; i++) {
		const c = t[i];
		if (c === '`') code = !code;
		if (code) continue;
		if (c === '(') depth++;
		if (c === ')') depth = Math.max(0, depth - 1);
		if ('.!?'.includes(c) && depth === 0 && t[i + 1] === ' ' && /[A-Z0-9`"“'(]/.test(t[i + 2]) && !/(\be\.g|\bi\.e|\bU\.S)$/i.test(t.slice(0, i)))
			return t.slice(0, i + 1);
	}
	return t;
}

/** The fields directly inside a field: its options and fixed-collection values, through "Additional Fields". */
function childFields(p: Prop): Prop[] {
	const out: Prop[] = [];
	for (const o of (p.options ?? []) as Prop[]) {
		if (!o || typeof o !== 'object') continue;
		if (Array.isArray(o.values)) out.push(...childFields({ options: o.values } as Prop));
		else if (typeof o.type === 'string' && o.name === 'additionalFields') out.push(...childFields(o));
		else if (typeof o.type === 'string') out.push(o);
	}
	return out;
}

function membersOf(schema: Omit<ParamSchema, 'name'>): ParamSchema[] {
	if (schema.type === 'object') return schema.members ?? [];
	if (schema.type === 'array' && schema.items?.type === 'object') return schema.items.members ?? [];
	if (schema.type === 'union') return (schema.anyOf ?? []).flatMap((a) => (a.type === 'object' ? (a.members ?? []) : []));
	return [];
}

/** Each field of every operation at any depth, paired with the Stripe parameter or member it shows. */
function fieldsWithSchemas(): Array<{ where: string; schema: ParamSchema; field: Prop }> {
	const out: Array<{ where: string; schema: ParamSchema; field: Prop }> = [];
	const pair = (schema: ParamSchema, field: Prop, where: string) => {
		out.push({ where, schema, field });
		if (field.type === 'json') return;
		const children = childFields(field);
		for (const m of membersOf(schema)) {
			const child = children.find((c) => c.name === m.name);
			if (child) pair(m, child, `${where}.${m.name}`);
		}
	};
	for (const { nodeType, family } of FAMILY_NODES) {
		const props = nodeType.description.properties as Prop[];
		for (const r of family.resources)
			for (const op of r.operations) {
				const own = operationPanel(props, r.value, op.value) as Prop[];
				const fields = [...own.filter((p) => p.name !== 'additionalFields'), ...own.filter((p) => p.name === 'additionalFields').flatMap(childFields)];
				for (const p of op.params) {
					const field = fields.find((f) => f.name === p.name);
					if (field) pair(p, field, `${family.family}/${r.value}/${op.value} ${p.name}`);
				}
			}
	}
	return out;
}

describe('field texts: whole help texts', () => {
	it('covers every node (sanity)', () => {
		// Each field once: members shared by several operations' Additional Fields are one field (sharing.ts).
		assert.ok(descriptions.length > 3500, `${descriptions.length} descriptions`);
	});

	it('no description is cut off with "…"', () => {
		const cut = descriptions.filter((d) => /…/.test(d.text.replace(/`[^`]*`/g, '').replace(/[a-z]{2,5}_…/g, '')));
		assert.deepEqual(list(cut), [], `${cut.length} descriptions are cut`);
	});

	it('no description starts mid-sentence (with punctuation or a small letter)', () => {
		const mid = descriptions.filter((d) => /^[,.;:)\]\-–]|^[a-z]/.test(d.text));
		assert.deepEqual(list(mid), [], `${mid.length} descriptions start mid-sentence`);
	});

	it('no text repeats a word ("ID ID", "Add Add")', () => {
		const repeated = [...descriptions, ...names].filter((d) => /\b(\w+) \1\b/i.test(d.text.replace(/`[^`]*`/g, '``')));
		assert.deepEqual(list(repeated), [], `${repeated.length} texts repeat a word`);
	});

	it('no text leaks an internal name ("Exposed ID", `subscription_exposed_id`)', () => {
		const leaked = [...descriptions, ...names].filter((d) => /exposed[ _]id/i.test(d.text));
		assert.deepEqual(list(leaked), [], `${leaked.length} texts name Stripe's internals`);
	});

	it('no text tells a user to "post" a value: metadata says an entry with an empty value removes its key', () => {
		const apiSpeak = descriptions.filter((d) => /by posting an empty value/i.test(d.text));
		assert.deepEqual(list(apiSpeak), [], `${apiSpeak.length} descriptions speak of posting`);
		const metadata = descriptions.filter((d) => / › Metadata$/.test(d.where));
		assert.ok(metadata.length > 40, `${metadata.length} metadata fields`);
		assert.ok(metadata.filter((d) => /An entry with an empty value removes its key\.$/.test(d.text)).length > 30);
	});

	it('no label runs words together that Stripe writes apart ("Line1", "Invoiceitem", "Topup", "ApiVersion")', () => {
		// Stripe's documentation writes "Address line 1", "Invoice item", "Top-up" and "API version".
		const runTogether = names.filter((d) => /\b(Line\d|Invoiceitems?|Topups?)\b|\b[A-Z][a-z]+[A-Z][a-z]+\b/.test(d.text));
		assert.deepEqual(list(runTogether), [], `${runTogether.length} labels run words together`);
	});

	it("every field keeps at least Stripe's whole first sentence, and cuts only between sentences", () => {
		const pairs = fieldsWithSchemas();
		assert.ok(pairs.length > 4000, `${pairs.length} fields paired with their parameters`);
		const bad: string[] = [];
		let checked = 0;
		for (const { where, schema, field } of pairs) {
			const raw = schema.description;
			if (!raw || field.type === 'boolean' || ['expand', 'starting_after', 'ending_before', 'page', 'limit'].includes(schema.name)) continue;
			if (field.displayName === 'Input Binary Field' || /Names or IDs$/.test(field.displayName)) continue;
			const shown = norm(field.description ?? '');
			const first = norm(stripeFirstSentence(raw)).replace(/\.$/, '');
			checked++;
			// A description equal to the field's name is dropped by n8n's style rules.
			if (!shown && norm(raw).replace(/^the /, '').replace(/\.$/, '') === norm(field.displayName)) continue;
			if (!shown.startsWith(first)) {
				bad.push(`${where}: "${field.description}" does not start with Stripe's first sentence "${first}"`);
				continue;
			}
			// Past the first sentence, Stripe's text goes on unaltered up to a sentence end.
			const full = norm(raw);
			let k = first.length;
			while (k < full.length && k < shown.length && shown[k] === full[k]) k++;
			const atEnd = k >= full.length || (k === full.length - 1 && full[k] === '.');
			// Stripe's next sentence and the text added after the last whole one may share their first letters.
			const nextWord = /[.!?] \w*$/.test(full.slice(0, k)) && /\w/.test(shown[k] ?? '');
			const atSentence = /[.!?] ?$/.test(full.slice(0, k)) || (full[k] === '.' && full[k + 1] === ' ') || nextWord;
			if (!atEnd && !atSentence) bad.push(`${where}: "${field.description}" stops inside a sentence of "${raw.slice(0, 200)}"`);
		}
		assert.ok(checked > 3000, `${checked} descriptions checked`);
		assert.deepEqual(bad.slice(0, 40), [], `${bad.length} fields lose part of Stripe's text`);
	});
});

describe('field texts: amounts say their unit', () => {
	const pairs = fieldsWithSchemas();
	/**
	 * Amounts, recognised here from Stripe's words rather than the code's rule: integers Stripe's typings call
	 * an amount by name (`amount`, `unit_amount`, `amount_off`, …) or describe "in cents" / "in the smallest
	 * currency unit"; and decimal strings named `…amount_decimal`.
	 */
	const integerAmounts = pairs.filter(
		({ schema }) =>
			(schema.type === 'number' || (schema.type === 'union' && schema.anyOf?.some((a) => a.type === 'number'))) &&
			!/percent/.test(schema.name) &&
			(/(^|_)amount($|_)/.test(schema.name) || /in cents|smallest currency unit/i.test(schema.description ?? '')),
	);
	const decimalAmounts = pairs.filter(({ schema }) => schema.type === 'string' && /amount_decimal$/.test(schema.name));

	it('every integer amount, top-level and nested, says it counts in the smallest currency unit, with an example', () => {
		assert.ok(integerAmounts.length > 100, `${integerAmounts.length} integer amount fields`);
		const silent = integerAmounts.filter(({ field }) => !/in the smallest currency unit: 1000 = 10\.00 USD/.test(field.description ?? ''));
		assert.deepEqual(
			silent.slice(0, 10).map(({ where, field }) => `${where}: ${field.description}`),
			[],
			`${silent.length} of ${integerAmounts.length} amounts do not say their unit`,
		);
	});

	it('every decimal amount says it is a decimal in the smallest currency unit', () => {
		assert.ok(decimalAmounts.length > 10, `${decimalAmounts.length} decimal amount fields`);
		const silent = decimalAmounts.filter(({ field }) => !/decimal number as text, in the smallest currency unit/.test(field.description ?? ''));
		assert.deepEqual(
			silent.slice(0, 10).map(({ where, field }) => `${where}: ${field.description}`),
			[],
			`${silent.length} decimal amounts do not say so`,
		);
	});

	it("the issue's examples: Refund › Amount, Credit Grant › Amount › Monetary › Value", () => {
		const find = (where: string) => pairs.find((p) => p.where === where)?.field.description ?? '';
		assert.match(find('core/refund/create amount'), /in the smallest currency unit: 1000 = 10\.00 USD/);
		assert.match(find('billing/creditGrant/create amount.monetary.value'), /in the smallest currency unit: 1000 = 10\.00 USD/);
	});
});
