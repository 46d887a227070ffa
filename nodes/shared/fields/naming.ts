/**
 * n8n's house style for node descriptions, applied to the properties the generator builds.
 *
 * n8n's linter (eslint-plugin-n8n-nodes-base, run by `n8n-node lint` and by n8n's community-package scanner)
 * checks descriptions written as literals. Ours are built at run time from Stripe's API definitions, which the
 * linter cannot see, so its rules are applied here instead, once, to the finished property tree; and
 * test/engine/description-rules.test.ts lints every built node description with those same rules.
 *
 * What it does, and only to text shown to the user (names and values sent to Stripe are never touched):
 * - "id", "url", "json" in prose are written ID, URL, JSON; words inside `code spans` keep Stripe's spelling
 *   (they are parameter names and values, whose case matters);
 * - descriptions start with a capital; one sentence has no final period, two sentences have one;
 * - a description that only repeats the display name is dropped;
 * - a boolean's description starts with "Whether";
 * - "(v2)" is written "(V2)" in names and actions, and hyphenated words in names are title-cased ("Top-Up");
 * - secrets are password fields; email fields show an email placeholder;
 * - the choices of options and multi-options fields are sorted by name (the default stays what it was).
 */
import type { INodeProperties, INodePropertyCollection, INodePropertyOptions } from 'n8n-workflow';

type Entry = INodeProperties | INodePropertyOptions | INodePropertyCollection;

const SENSITIVE = /secret|password|token|apiKey/;
const NOT_SENSITIVE = new Set(['maxTokens', 'password_needs_reset']);
const EMAIL_PLACEHOLDER = 'name@email.com';

/** Applies `fix` to the parts of `text` outside `code spans`. */
function outsideCode(text: string, fix: (prose: string) => string): string {
	return text
		.split(/(`[^`]*`)/)
		.map((part, i) => (i % 2 === 1 ? part : fix(part)))
		.join('');
}

function caseAcronyms(prose: string): string {
	return prose
		.replace(/\b[iI]ds\b/g, 'IDs')
		.replace(/\b[iI]d\b/g, 'ID')
		.replace(/\b[uU]rls\b/g, 'URLs')
		.replace(/\b[uU]rl\b/g, 'URL')
		.replace(/\b[jJ]son\b/g, 'JSON');
}

/** Sentence count as n8n's final-period rules count it ("e.g." aside, split on ". "). */
function sentences(text: string): number {
	return text.replace('e.g.', '').split('. ').length;
}

export function styleDescription(description: string, displayName?: string, isBoolean = false, name?: string): string | undefined {
	let d = outsideCode(description.trim(), caseAcronyms);
	if (!d) return undefined;
	if (
		displayName &&
		d
			.replace(/^The\s/, '')
			.replace(/\.$/, '')
			.toLowerCase() === displayName.toLowerCase()
	)
		return undefined;
	if (isBoolean && !d.startsWith('Whether')) {
		const rest = d.replace(/^(Set(?: this)? to `?true`? to|If `?true`?,?)\s+/i, '');
		d = rest !== d ? `Whether to ${rest}` : `Whether to send ${name ? `\`${name}\`` : 'it'} as true. ${d}`;
	}
	if (/^[a-z]/.test(d)) d = d[0].toUpperCase() + d.slice(1);
	if (/\s{2,}/.test(d)) return d;
	const n = sentences(d);
	if (n === 1 && d.endsWith('.')) d = d.slice(0, -1);
	else if (n === 2 && !d.endsWith('.') && !d.endsWith('</code>')) d = `${d}.`;
	return d;
}

export function styleName(name: string): string {
	return name
		.replace(/\(v(\d+)\)/g, '(V$1)')
		.replace(/\bId\b/g, 'ID')
		.replace(/\bIds\b/g, 'IDs')
		.replace(/\b([A-Z][a-z]*)-([a-z])/g, (_m, a: string, b: string) => `${a}-${b.toUpperCase()}`);
}

function byName(a: { name: string }, b: { name: string }): number {
	return a.name.localeCompare(b.name, 'en', { sensitivity: 'base' });
}

function styleEntry(entry: Entry): void {
	const e = entry as Partial<INodeProperties> & Partial<INodePropertyOptions> & { values?: Entry[] };
	const isParam = typeof e.type === 'string' && 'displayName' in e;
	if (typeof e.displayName === 'string') e.displayName = styleName(e.displayName);
	if (!isParam && typeof e.name === 'string' && 'value' in e) e.name = styleName(e.name);
	if (typeof e.action === 'string') e.action = styleName(e.action);
	if (typeof e.description === 'string') {
		const d = styleDescription(e.description, isParam ? e.displayName : e.name, e.type === 'boolean', isParam ? e.name : undefined);
		if (d === undefined) delete e.description;
		else e.description = d;
	}
	if (isParam) {
		const p = e as INodeProperties;
		if (p.type === 'string' && SENSITIVE.test(p.name) && !NOT_SENSITIVE.has(p.name)) {
			p.typeOptions = { ...p.typeOptions, password: true };
		}
		if (p.type === 'string' && p.name === 'email' && !p.placeholder) p.placeholder = EMAIL_PLACEHOLDER;
		if ((p.type === 'options' || p.type === 'multiOptions') && Array.isArray(p.options)) {
			const choices = p.options as INodePropertyOptions[];
			if (choices.every((c) => 'value' in c)) choices.sort(byName);
		}
	}
	for (const child of (e.options ?? []) as Entry[]) if (child && typeof child === 'object') styleEntry(child);
	for (const child of e.values ?? []) styleEntry(child);
}

/** Applies n8n's description style to a property tree in place, and returns it. */
export function applyN8nStyle(properties: INodeProperties[]): INodeProperties[] {
	for (const p of properties) styleEntry(p);
	return properties;
}

/** Words written in capitals in display names. */
const ACRONYMS: Record<string, string> = {
	id: 'ID',
	ids: 'IDs',
	url: 'URL',
	urls: 'URLs',
	ip: 'IP',
	api: 'API',
	cvc: 'CVC',
	iban: 'IBAN',
	bic: 'BIC',
	pdf: 'PDF',
	sku: 'SKU',
	tos: 'ToS',
	mcc: 'MCC',
	ach: 'ACH',
	sepa: 'SEPA',
	bacs: 'Bacs',
	us: 'US',
	eu: 'EU',
	uk: 'UK',
	gb: 'GB',
	au: 'AU',
	jp: 'JP',
	vat: 'VAT',
	upi: 'UPI',
	ui: 'UI',
};

/** Stripe's names that are several words run together, as Stripe's documentation writes them. */
const RUN_TOGETHER: Record<string, string> = {
	line1: 'Line 1',
	line2: 'Line 2',
	invoiceitem: 'Invoice Item',
	invoiceitems: 'Invoice Items',
	topup: 'Top-Up',
	topups: 'Top-Ups',
};

/** `payment_method_types` → `Payment Method Types`, `address_line1` → `Address Line 1`, `apiVersion` → `API Version`. */
export function labelOf(name: string): string {
	return name
		.replace(/([a-z])([A-Z])/g, '$1_$2')
		.split(/[_.]+/)
		.filter(Boolean)
		.map((w) => RUN_TOGETHER[w.toLowerCase()] ?? ACRONYMS[w.toLowerCase()] ?? w[0].toUpperCase() + w.slice(1))
		.join(' ');
}

/** Abbreviations whose period ends no sentence ("e.g. Visa", "U.S. banks"). */
const ABBREVIATIONS = /(?:^|[\s(])(?:e\.g|i\.e|vs|approx|incl|U\.S|Inc|Ltd|Corp|Jr|Sr|Dr|Mr|Mrs|Ms|St|a\.m|p\.m)\.$/i;

/**
 * `text` as its sentences, whole: a sentence ends at `.`, `!` or `?` followed by a space and a capital, a
 * digit, a backtick or a quote, outside parentheses, and not after an abbreviation ("e.g.").
 */
export function sentencesOf(text: string): string[] {
	const t = text.replace(/\s+/g, ' ').trim();
	const out: string[] = [];
	let start = 0;
	let depth = 0;
	for (let i = 0; i < t.length; i++) {
		const c = t[i];
		if (c === '(') depth++;
		else if (c === ')') depth = Math.max(0, depth - 1);
		else if (c === '`') {
			const end = t.indexOf('`', i + 1);
			if (end > i) i = end;
		} else if ((c === '.' || c === '!' || c === '?') && depth === 0 && t[i + 1] === ' ' && /[A-Z0-9`"“'(]/.test(t[i + 2] ?? '')) {
			const sentence = t.slice(start, i + 1);
			if (c === '.' && ABBREVIATIONS.test(sentence)) continue;
			out.push(sentence.trim());
			start = i + 2;
		}
	}
	if (start < t.length) out.push(t.slice(start).trim());
	return out.filter(Boolean);
}

/**
 * `text`'s first sentence, whole however long it is, and the sentences after it while they fit in `max`
 * characters. Nothing is cut inside a sentence.
 */
export function firstSentences(text: string, max: number): string {
	const [first, ...rest] = sentencesOf(text);
	let out = first ?? '';
	for (const s of rest) {
		if (out.length + 1 + s.length > max) break;
		out = `${out} ${s}`;
	}
	return out;
}

/** "line_items" → "Line Item": the name of one entry of a list. */
export function singular(name: string): string {
	const label = labelOf(name);
	if (/ies$/.test(label)) return label.slice(0, -3) + 'y';
	if (/(sses|xes|ches|shes)$/.test(label)) return label.slice(0, -2); // "Phases" → "Phase", "Addresses" → "Address"
	if (/[^s]s$/.test(label)) return label.slice(0, -1);
	return label;
}

/** "tax rate" → "tax rates", in n8n's sentence case; an acronym takes no plural ("IDs" reads as a miscased word): "tax ID objects". */
export function plural(noun: string): string {
	if (/\b[A-Z]{2,}$/.test(noun)) return `${noun} objects`;
	if (/[^aeiou]y$/.test(noun)) return noun.slice(0, -1) + 'ies';
	if (/(s|x|z|ch|sh)$/.test(noun)) return noun + 'es';
	return noun + 's';
}
