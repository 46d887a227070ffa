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

/** `payment_method_types` → `Payment Method Types`. */
export function labelOf(name: string): string {
	return name
		.split(/[_.]+/)
		.filter(Boolean)
		.map((w) => ACRONYMS[w.toLowerCase()] ?? w[0].toUpperCase() + w.slice(1))
		.join(' ');
}

/** `text` cut to its first sentences that fit in `max` characters (the first one cut with … if it is longer). */
export function shorten(text: string, max: number): string {
	const parts = text.match(/[^.!?]+(?:[.!?]+(?=\s|$)|$)\s*/g) ?? [text];
	let out = parts[0].trim();
	for (const p of parts.slice(1)) {
		if ((out + ' ' + p.trim()).length > max) break;
		out = `${out} ${p.trim()}`;
	}
	return out.length > max ? `${out.slice(0, max - 1).replace(/\s+\S*$/, '')}…` : out;
}
