/**
 * Credit Grant Report (Stripe Billing → Credit Grant → Credit Grant Report): per customer and currency,
 * what was granted, what is left (balance summary), what moved in a period (balance transactions), what
 * expires soon, what was voided or expired, and which invoices credits were applied to. Built only from
 * the plain Billing endpoints; pages through everything.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { callStripe } from '../../client/client';
import { readAll } from '../../client/pager';
import type { StripeRequest } from '../../client/request';
import { subRequest } from '../../client/request';
import { decimalsOf } from '../../model/currencies';
import type { StripeSettings } from '../../client/transport';
import { toNodeError } from '../errors';

/** Minor units → exact decimal string (no floating point): 1050 usd → "10.50", 1050 jpy → "1050". */
export function toDecimal(minor: number, currency: string): string {
	const d = decimalsOf(currency);
	const negative = minor < 0;
	const abs = Math.abs(Math.trunc(minor));
	if (d === 0) return `${negative ? '-' : ''}${abs}`;
	const scale = 10 ** d;
	return `${negative ? '-' : ''}${Math.floor(abs / scale)}.${String(abs % scale).padStart(d, '0')}`;
}

interface Money {
	currency: string;
	value: number;
}

function money(amount: unknown): Money | undefined {
	const m = (amount as { monetary?: { currency?: string; value?: number } } | undefined)?.monetary;
	return m && typeof m.value === 'number' && m.currency ? { currency: m.currency.toLowerCase(), value: m.value } : undefined;
}

export interface ReportOptions {
	customers?: string[];
	category?: 'paid' | 'promotional';
	currency?: string;
	from: number;
	to: number;
	expiringWithinDays: number;
	perGrant: boolean;
	now: number;
}

/** The report's reads: one object, and every object of a list (100 a page; pager.ts follows the cursors). */
interface Reads {
	get: (path: string, query?: Record<string, unknown>) => Promise<IDataObject>;
	listAll: (path: string, query?: Record<string, unknown>) => Promise<IDataObject[]>;
}

/** The reads of one item's report, each a GET derived from the item's request: its Request Options apply to every one. */
function readsFor(ctx: IExecuteFunctions, settings: StripeSettings, item: StripeRequest): Reads {
	const read = (path: string, params?: Record<string, unknown>) => subRequest(item, { method: 'GET', path, params, apiMode: 'v1' });
	return {
		get: async (path, query) => (await callStripe(ctx, settings, read(path, query), 'throw')).body as IDataObject,
		listAll: (path, query = {}) =>
			readAll(ctx, settings, read(path, { ...query, limit: 100 }), { kind: 'list', where: (pageNo) => `GET ${path}, page ${pageNo}` }),
	};
}

function customerId(grant: IDataObject): string {
	const c = grant.customer;
	return typeof c === 'string' ? c : String((c as IDataObject | undefined)?.id ?? '');
}

function grantStatus(g: IDataObject, now: number): 'voided' | 'expired' | 'pending' | 'active' {
	if (g.voided_at) return 'voided';
	if (typeof g.expires_at === 'number' && g.expires_at <= now) return 'expired';
	if (typeof g.effective_at === 'number' && g.effective_at > now) return 'pending';
	return 'active';
}

function amountFields(prefix: string, minor: number, currency: string): IDataObject {
	return { [prefix]: minor, [`${prefix}_decimal`]: toDecimal(minor, currency) };
}

/** What one customer's rows are made from. */
interface CustomerData {
	grants: IDataObject[];
	balances: IDataObject[];
	transactions: IDataObject[];
	/** The fields every row of the customer starts with. */
	base: IDataObject;
	/** Grants expiring before this moment (unix seconds) are expiring soon. */
	horizon: number;
}

/** One row per grant (Output: One Item per Grant). */
function grantRows(d: CustomerData, o: ReportOptions): IDataObject[] {
	return d.grants.map((g) => {
		const m = money(g.amount) ?? { currency: '', value: 0 };
		const applied = d.transactions.filter((t) => t.credit_grant === g.id && t.type === 'debit' && inPeriod(t, o));
		const debited = applied.reduce((n, t) => n + (money((t.debit as IDataObject | undefined)?.amount)?.value ?? 0), 0);
		const status = grantStatus(g, o.now);
		return {
			...d.base,
			grant: g.id,
			grant_name: g.name ?? null,
			category: g.category,
			currency: m.currency,
			...amountFields('amount', m.value, m.currency),
			...amountFields('debits_in_period', debited, m.currency),
			status,
			effective_at: g.effective_at ?? null,
			expires_at: g.expires_at ?? null,
			voided_at: g.voided_at ?? null,
			expiring_soon: status === 'active' && typeof g.expires_at === 'number' && g.expires_at <= d.horizon,
			invoices: [...new Set(applied.map((t) => appliedInvoice(t)).filter(Boolean))],
		};
	});
}

/** The currencies a customer's rows are in: its grants', and its balances' unless a category is chosen. */
function currenciesOf(d: CustomerData, o: ReportOptions): string[] {
	const currencies = new Set<string>();
	for (const g of d.grants) {
		const m = money(g.amount);
		if (m) currencies.add(m.currency);
	}
	for (const b of d.balances) {
		const m = money(b.available_balance) ?? money(b.ledger_balance);
		if (m && (!o.currency || m.currency === o.currency) && !o.category) currencies.add(m.currency);
	}
	return [...currencies].sort();
}

/** The row of one customer and currency (Output: One Item per Customer and Currency). */
function currencyRow(d: CustomerData, o: ReportOptions, currency: string): IDataObject {
	const inCurrency = d.grants.filter((g) => money(g.amount)?.currency === currency);
	const balance = d.balances.find((b) => (money(b.available_balance) ?? money(b.ledger_balance))?.currency === currency);
	// With a category chosen, only that category's grants' transactions count.
	const grantIds = new Set(d.grants.map((g) => String(g.id)));
	const relevant = d.transactions.filter(
		(t) => inPeriod(t, o) && (!o.category || grantIds.has(String(t.credit_grant))) && transactionMoney(t)?.currency === currency,
	);
	const credits = relevant.filter((t) => t.type === 'credit');
	const debits = relevant.filter((t) => t.type === 'debit');
	const sum = (list: IDataObject[]) => list.reduce((n, t) => n + (transactionMoney(t)?.value ?? 0), 0);
	const expiring = inCurrency.filter((g) => grantStatus(g, o.now) === 'active' && typeof g.expires_at === 'number' && g.expires_at <= d.horizon);
	const granted = inCurrency.filter((g) => !g.voided_at).reduce((n, g) => n + (money(g.amount)?.value ?? 0), 0);
	return {
		...d.base,
		currency,
		grants: inCurrency.length,
		...amountFields('granted_total', granted, currency),
		...amountFields('available_balance', money(balance?.available_balance)?.value ?? 0, currency),
		...amountFields('ledger_balance', money(balance?.ledger_balance)?.value ?? 0, currency),
		...amountFields('credits_in_period', sum(credits), currency),
		...amountFields('debits_in_period', sum(debits), currency),
		expiring_grants: expiring.map((g) => ({
			id: g.id,
			name: g.name ?? null,
			expires_at: g.expires_at,
			...amountFields('amount', money(g.amount)?.value ?? 0, currency),
		})),
		...amountFields(
			'expiring_total',
			expiring.reduce((n, g) => n + (money(g.amount)?.value ?? 0), 0),
			currency,
		),
		voided_grants: inCurrency.filter((g) => g.voided_at).map((g) => g.id),
		expired_grants: inCurrency.filter((g) => grantStatus(g, o.now) === 'expired').map((g) => g.id),
		invoices: [...new Set(debits.map((t) => appliedInvoice(t)).filter(Boolean))],
	};
}

/** The report rows of one customer (one per currency, or one per grant). */
export async function customerReport({ get, listAll }: Reads, customer: string, grants: IDataObject[], o: ReportOptions): Promise<IDataObject[]> {
	const profile = await get(`/v1/customers/${encodeURIComponent(customer)}`);
	const summary = await get('/v1/billing/credit_balance_summary', {
		customer,
		filter: { type: 'applicability_scope', applicability_scope: { price_type: 'metered' } },
	});
	const transactions = await listAll('/v1/billing/credit_balance_transactions', { customer });
	const d: CustomerData = {
		grants,
		balances: (summary.balances as IDataObject[] | undefined) ?? [],
		transactions,
		base: {
			customer,
			customer_name: profile.name ?? null,
			customer_email: profile.email ?? null,
			period_start: new Date(o.from * 1000).toISOString(),
			period_end: new Date(o.to * 1000).toISOString(),
		},
		horizon: o.now + o.expiringWithinDays * 86400,
	};
	return o.perGrant ? grantRows(d, o) : currenciesOf(d, o).map((currency) => currencyRow(d, o, currency));
}

function transactionMoney(t: IDataObject): Money | undefined {
	const side = (t.type === 'credit' ? t.credit : t.debit) as IDataObject | undefined;
	return money(side?.amount);
}

function appliedInvoice(t: IDataObject): string | undefined {
	const applied = ((t.debit as IDataObject | undefined)?.credits_applied ?? undefined) as IDataObject | undefined;
	return applied?.invoice ? String(applied.invoice) : undefined;
}

function inPeriod(t: IDataObject, o: ReportOptions): boolean {
	const at = typeof t.effective_at === 'number' ? t.effective_at : Number(t.created);
	return at >= o.from && at < o.to;
}

/** The report's fields of one item, checked. */
function reportOptions(ctx: IExecuteFunctions, data: Record<string, unknown>, itemIndex: number, now: number): ReportOptions {
	const toSeconds = (v: unknown, fallback: number) => {
		if (v === undefined || v === '') return fallback;
		const ms = typeof v === 'number' ? v * 1000 : Date.parse(String(v));
		if (!Number.isFinite(ms)) throw new NodeOperationError(ctx.getNode(), `Invalid date "${String(v)}" in the report period`, { itemIndex });
		return Math.floor(ms / 1000);
	};
	const o: ReportOptions = {
		customers: data.scope === 'customers' ? ((data.customers as string[] | undefined) ?? []) : undefined,
		category: data.category === 'paid' || data.category === 'promotional' ? data.category : undefined,
		currency: typeof data.currency === 'string' && data.currency ? data.currency.toLowerCase() : undefined,
		from: toSeconds(data.period_start, now - 7 * 86400),
		to: toSeconds(data.period_end, now),
		expiringWithinDays: typeof data.expiring_within_days === 'number' ? data.expiring_within_days : 30,
		perGrant: data.output === 'grant',
		now,
	};
	if (o.from >= o.to) throw new NodeOperationError(ctx.getNode(), 'The report period must start before it ends', { itemIndex });
	if (o.customers && !o.customers.length)
		throw new NodeOperationError(ctx.getNode(), `Item ${itemIndex}: "Customers" is empty; give customer IDs or choose All Customers With Grants`, {
			itemIndex,
		});
	return o;
}

/** Whether a grant is of the chosen category and currency. */
function kept(g: IDataObject, o: ReportOptions): boolean {
	return (!o.category || g.category === o.category) && (!o.currency || money(g.amount)?.currency === o.currency);
}

/** The customers to report on, with their grants: every grant listed once (scope "all"), or the given customers (their grants read later). */
async function customersToReport(reads: Reads, o: ReportOptions): Promise<Map<string, IDataObject[]>> {
	const byCustomer = new Map<string, IDataObject[]>();
	if (o.customers) {
		for (const c of [...new Set(o.customers.map((x) => x.trim()).filter(Boolean))]) byCustomer.set(c, []);
		return byCustomer;
	}
	for (const g of await reads.listAll('/v1/billing/credit_grants')) {
		if (!kept(g, o)) continue;
		const id = customerId(g);
		if (!byCustomer.has(id)) byCustomer.set(id, []);
		byCustomer.get(id)!.push(g);
	}
	return byCustomer;
}

/** Runs the report for one input item (its request: the report's parameters and Request Options); rows carry pairedItem of that item. */
export async function runCreditGrantReport(
	ctx: IExecuteFunctions,
	settings: StripeSettings,
	item: StripeRequest & { itemIndex: number },
): Promise<INodeExecutionData[]> {
	const { itemIndex, params: data = {} } = item;
	const o = reportOptions(ctx, data, itemIndex, Math.floor(Date.now() / 1000));
	const reads = readsFor(ctx, settings, item);
	const out: INodeExecutionData[] = [];
	for (const [customer, listed] of await customersToReport(reads, o)) {
		try {
			const grants = o.customers ? (await reads.listAll('/v1/billing/credit_grants', { customer })).filter((g) => kept(g, o)) : listed;
			for (const row of await customerReport(reads, customer, grants, o)) out.push({ json: row, pairedItem: { item: itemIndex } });
		} catch (e) {
			const error = toNodeError(ctx.getNode(), e, itemIndex);
			if (!ctx.continueOnFail()) {
				error.message = `Credit grant report, customer ${customer}: ${error.message}`;
				throw error;
			}
			out.push({ json: { customer, error: error.message, description: error.description ?? null }, pairedItem: { item: itemIndex } });
		}
	}
	return out;
}
