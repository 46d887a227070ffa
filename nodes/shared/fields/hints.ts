/**
 * What a field's description adds to Stripe's text so that a user who does not know Stripe's API types the
 * right thing (issue 20): the unit of amounts. Recognised from the parameter's name, type and Stripe's own
 * words in the typings; shapes/describe.ts appends the hint to the description.
 */
import type { Schema } from '../model/descriptor';

/** Integer amounts in the smallest currency unit (cents), as Stripe counts them. */
export const MINOR_UNITS_HINT = 'Amount in the smallest currency unit: 1000 = 10.00 USD; zero-decimal currencies such as JPY have none (1000 = 1,000 JPY).';
/** Decimal strings in the smallest currency unit (`unit_amount_decimal`). */
export const DECIMAL_MINOR_UNITS_HINT = 'A decimal number as text, in the smallest currency unit: "1050.5" = 10.505 USD; at most 12 decimal places.';
/** Decimal strings in whole currency units (a crypto onramp session's fiat or crypto amount). */
export const DECIMAL_WHOLE_UNITS_HINT = 'A decimal number as text, in whole units of the currency (not the smallest unit): "10.50" = 10.50 USD.';

const SAYS_MINOR_UNITS = /\bin cents\b|smallest currency unit|minor units?\b|integer representing the amount|integer amount/i;

function takesNumber(schema: Schema): boolean {
	return schema.type === 'number' || (schema.type === 'union' && (schema.anyOf ?? []).some((a) => a.type === 'number'));
}

/** The unit hint of an amount parameter or member, or undefined when it is no amount. */
export function amountHint(schema: Schema): string | undefined {
	const name = schema.name ?? '';
	const text = schema.description ?? '';
	if (takesNumber(schema)) {
		if (/percent/.test(name)) return undefined;
		if (/(^|_)amount(s|_off|_gte)?($|_)/.test(name) || SAYS_MINOR_UNITS.test(text)) return MINOR_UNITS_HINT;
		return undefined;
	}
	if (schema.type === 'string') {
		if (/^(source|destination)_amount$/.test(name) && /decimal|amount of crypto/i.test(text)) return DECIMAL_WHOLE_UNITS_HINT;
		if (/(amount|cost)_decimal$/.test(name)) return DECIMAL_MINOR_UNITS_HINT;
	}
	return undefined;
}

/**
 * Stripe's own default of an optional choice, where its doc comment states one ("Defaults to `create_prorations`",
 * "default is `now`", "Defaults to online") and it is one of the choices; not a default that depends on
 * something else ("defaults to `a4` for customers with Japanese locale").
 */
export function stripeDefault(schema: Schema): string | undefined {
	const m = /\bdefault(?:s| value)? (?:to|is) `?([\w/.-]+?)`?(?=[\s.,;)]|$)(?! for\b)/i.exec(schema.description ?? '');
	return m && schema.enum?.includes(m[1]) ? m[1] : undefined;
}

/**
 * The choice of an optional dropdown that sends nothing; Stripe then does what it does without the parameter.
 * (No description: n8n's lint rules take options with descriptions in a field named `operation` for actions.)
 */
export const NOT_SET = { name: '(Not Set)', value: '' };

/** Choices whose Stripe word alone means nothing to someone new to Stripe's billing (issue 20: "Metered"). */
export const PLAIN_CHOICES: Record<string, string> = {
	metered: 'Metered (Usage-Based)',
	licensed: 'Licensed (Per-Unit Quantity)',
};
