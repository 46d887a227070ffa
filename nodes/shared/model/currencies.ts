/**
 * Stripe's currencies by the decimals of their amounts: Stripe counts amounts in the smallest currency unit,
 * none for zero-decimal currencies (1000 JPY is 1000), thousandths for three-decimal ones (docs.stripe.com/currencies).
 */
const ZERO_DECIMAL = new Set(['bif', 'clp', 'djf', 'gnf', 'jpy', 'kmf', 'krw', 'mga', 'pyg', 'rwf', 'ugx', 'vnd', 'vuv', 'xaf', 'xof', 'xpf']);
const THREE_DECIMAL = new Set(['bhd', 'jod', 'kwd', 'omr', 'tnd']);

/** How many decimals an amount of `currency` has in its smallest unit: 2 for USD, 0 for JPY, 3 for KWD. */
export function decimalsOf(currency: string): number {
	const c = currency.toLowerCase();
	return ZERO_DECIMAL.has(c) ? 0 : THREE_DECIMAL.has(c) ? 3 : 2;
}
