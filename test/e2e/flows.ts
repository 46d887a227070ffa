/**
 * End-to-end flows in a real n8n:
 * - the Stripe Events Trigger: activation through n8n's REST API creates exactly one event destination on the
 *   stand-in; a correctly signed delivery to the production webhook URL starts an execution with the event;
 *   forged, unsigned and stale deliveries are rejected and start nothing; Listen for test event outputs the test
 *   event; a restart does not create a second destination; a destination deleted while the workflow is active is
 *   replaced by a repair execution that starts the gap's events, one deleted while n8n is down at the next start;
 *   replays are duplicates; deactivation deletes it;
 * - the example credit-grant workflows of examples/, imported and executed headlessly against seeded data.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { Standin } from '../standin/server';
import { n8nCli, nodeOutput, readLatestExecution, startN8n, stopN8n, type N8nInstance } from './n8n';
import { executions as allExecutions } from './polling';

export type Check = (name: string, ok: boolean, detail?: unknown) => boolean;

const OWNER = { email: 'trigger-e2e@example.com', firstName: 'Trigger', lastName: 'E2E', password: 'Trigger-e2e-Passw0rd' };
const WEBHOOK_ID = '0b5c7d1e-2f3a-4b4c-8d5e-6f7a8b9c0d1e';

async function sleep(ms: number) {
	await new Promise((r) => setTimeout(r, ms));
}

/** A signed-in REST client for one n8n instance. */
export async function restClient(baseUrl: string) {
	let res = await fetch(`${baseUrl}/rest/owner/setup`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(OWNER) });
	if (res.status !== 200) {
		res = await fetch(`${baseUrl}/rest/login`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ emailOrLdapLoginId: OWNER.email, password: OWNER.password }),
		});
	}
	const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0];
	if (res.status !== 200 || !cookie) throw new Error(`could not sign in to n8n: HTTP ${res.status} ${(await res.text()).slice(0, 300)}`);
	return async (method: string, p: string, body?: unknown) => {
		const r = await fetch(`${baseUrl}/rest${p}`, {
			method,
			headers: { Cookie: cookie, 'Content-Type': 'application/json', 'browser-id': 'e2e' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await r.text();
		let json: unknown;
		try {
			json = JSON.parse(text);
		} catch {
			json = text;
		}
		if (r.status >= 400) throw new Error(`${method} /rest${p}: HTTP ${r.status} ${text.slice(0, 500)}`);
		return ((json as { data?: unknown })?.data ?? json) as Record<string, unknown>;
	};
}

function executionsOf(userFolder: string, workflowId: string) {
	return readLatestExecution(userFolder, workflowId);
}

export async function waitFor<T>(fn: () => T | undefined, ms = 20_000): Promise<T | undefined> {
	const until = Date.now() + ms;
	for (;;) {
		const v = fn();
		if (v !== undefined) return v;
		if (Date.now() > until) return undefined;
		await sleep(200);
	}
}

export async function runTriggerFlow(opts: { userFolder: string; logs: string; standin: Standin; secretKey: string; check: Check }): Promise<void> {
	const { standin, check, userFolder } = opts;
	let server: N8nInstance | undefined = await startN8n(userFolder, path.join(opts.logs, 'n8n-trigger-1.log'));
	try {
		const baseUrl = `http://127.0.0.1:${server.port}`;
		const rest = await restClient(baseUrl);
		const credential = await rest('POST', '/credentials', {
			name: 'Stripe stand-in (trigger)',
			type: 'stripeKeyApi',
			data: { secretKey: opts.secretKey, stripeAccount: '', apiVersion: '2024-11-20.acacia', baseUrl: standin.url },
		});
		const workflow = await rest('POST', '/workflows', {
			name: 'E2E Stripe events',
			nodes: [
				{
					id: 'c0ffee00-0000-4000-8000-000000000001',
					name: 'Stripe Events Trigger',
					type: 'n8n-nodes-stripe.stripeEventsTrigger',
					typeVersion: 1,
					position: [0, 0],
					webhookId: WEBHOOK_ID,
					parameters: {
						eventPayload: 'snapshot',
						snapshotEvents: ['customer.created', 'invoice.paid'],
						eventsFrom: ['self'],
						options: { checkEveryMinutes: 1 },
					},
					credentials: { stripeKeyApi: { id: credential.id, name: credential.name } },
				},
			],
			connections: {},
			settings: { executionOrder: 'v1' },
		});
		const workflowId = String(workflow.id);
		const destinations = () => standin.requests.filter((r) => r.path.startsWith('/v2/core/event_destinations'));
		const createdBefore = destinations().filter((r) => r.method === 'POST').length;
		await rest('POST', `/workflows/${workflowId}/activate`, { versionId: workflow.versionId });
		const live = async () =>
			(await (await fetch(`${standin.url}/__standin/destinations`)).json()) as Array<{ id: string; webhook_endpoint?: { url?: string } }>;
		// n8n registers the trigger's webhook (and so calls create()) right after answering the activation.
		const until = async (ok: (d: Awaited<ReturnType<typeof live>>) => boolean) => {
			for (let i = 0; i < 100; i++) {
				const d = await live();
				if (ok(d)) return d;
				await sleep(200);
			}
			return await live();
		};
		const afterActivation = await until((d) => d.length > 0);
		await sleep(500);
		const creates = destinations().filter((r) => r.method === 'POST' && r.path === '/v2/core/event_destinations').length - createdBefore;
		const expectedUrl = `http://localhost:${server.port}/webhook/${WEBHOOK_ID}/webhook`;
		check('trigger: activation created exactly one event destination', creates === 1 && afterActivation.length === 1, afterActivation);
		check(
			'trigger: the destination points at the production webhook URL',
			afterActivation[0]?.webhook_endpoint?.url === expectedUrl,
			afterActivation[0]?.webhook_endpoint,
		);

		const good = await standin.deliver({ event: { id: 'evt_e2e_good', type: 'customer.created', data: { object: { id: 'cus_e2e', object: 'customer' } } } });
		check('trigger: a correctly signed delivery is answered 200', good.status === 200, good);
		const exec = await waitFor(() => {
			const e = executionsOf(userFolder, workflowId);
			return e && e.finished !== undefined && !['new', 'running'].includes(e.status) ? e : undefined;
		});
		const items = exec ? nodeOutput(exec, 'Stripe Events Trigger') : undefined;
		check(
			'trigger: the delivery started an execution with the event',
			exec?.status === 'success' && items?.[0]?.id === 'evt_e2e_good' && items?.[0]?.type === 'customer.created',
			{ status: exec?.status, items },
		);
		const executionId = exec?.id;

		// Listen for test event on the active workflow: a test destination; the manual run outputs the test event.
		const listen = await rest('POST', `/workflows/${workflowId}/run`, { triggerToStartFrom: { name: 'Stripe Events Trigger' } });
		const withTest = await until((d) => d.length === 2);
		const testDest = withTest.find((d) => d.webhook_endpoint?.url?.includes('/webhook-test/'));
		const testDelivery = await standin.deliver({ destination: testDest?.id, event: { id: 'evt_e2e_listen', type: 'customer.created' } });
		const manualRun = await waitFor(() => allExecutions(userFolder, workflowId, 'Stripe Events Trigger').find((e) => e.items[0]?.id === 'evt_e2e_listen'));
		const afterListen = await until((d) => d.length === 1);
		check(
			'trigger: Listen for test event shows the test event (a manual run with its items); the test destination is removed after',
			listen.waitingForWebhook === true &&
				testDelivery.status === 200 &&
				manualRun?.status === 'success' &&
				manualRun.items.length === 1 &&
				afterListen.length === 1 &&
				afterListen[0].id === afterActivation[0]?.id,
			{ listen, testDelivery, manualRun, afterListen },
		);

		const latestId = executionsOf(userFolder, workflowId)?.id ?? executionId;
		const forged = await standin.deliver({ event: { id: 'evt_e2e_forged', type: 'customer.created' }, forge: true });
		const unsigned = await standin.deliver({ event: { id: 'evt_e2e_unsigned', type: 'customer.created' }, signature: '' });
		const stale = await standin.deliver({ event: { id: 'evt_e2e_stale', type: 'customer.created' }, timestamp: Math.floor(Date.now() / 1000) - 3600 });
		const ignored = await standin.deliver({ event: { id: 'evt_e2e_other', type: 'charge.refunded' } });
		check('trigger: a forged signature is rejected (401)', forged.status === 401, forged);
		check('trigger: a missing signature is rejected (400)', unsigned.status === 400, unsigned);
		check('trigger: a stale signature is rejected (401)', stale.status === 401, stale);
		check('trigger: an unselected event type is acknowledged (200)', ignored.status === 200, ignored);
		await sleep(1500);
		check('trigger: none of those started an execution', executionsOf(userFolder, workflowId)?.id === latestId, executionsOf(userFolder, workflowId)?.id);

		// Two copies of one event at the same moment (and a third later, as Stripe's retry): one execution.
		const countBefore = allExecutions(userFolder, workflowId, 'Stripe Events Trigger').length;
		const twins = await Promise.all([0, 1].map(() => standin.deliver({ event: { id: 'evt_e2e_twin', type: 'customer.created' } })));
		const third = await standin.deliver({ event: { id: 'evt_e2e_twin', type: 'customer.created' } });
		await waitFor(() => (allExecutions(userFolder, workflowId, 'Stripe Events Trigger').length > countBefore ? true : undefined));
		await sleep(2000);
		const twinRuns = allExecutions(userFolder, workflowId, 'Stripe Events Trigger')
			.slice(countBefore)
			.filter((e) => e.items[0]?.id === 'evt_e2e_twin');
		check(
			'trigger: two identical deliveries at the same moment and a retry start one execution (all answered 200)',
			twinRuns.length === 1 && [...twins, third].every((d) => d.status === 200),
			{ executions: twinRuns.length, answers: [...twins, third].map((d) => `${d.status} ${d.body}`) },
		);

		// Restart n8n (same URL): the destination is checked, not duplicated.
		const port = server.port;
		await stopN8n(server);
		const seenBefore = standin.requests.length;
		server = await startN8n(userFolder, path.join(opts.logs, 'n8n-trigger-2.log'), { port });
		// (n8n keeps an active workflow's webhooks registered across restarts; it does not re-run create().)
		await sleep(1500);
		const startupCalls = standin.requests.slice(seenBefore).filter((r) => r.path.startsWith('/v2/core/event_destinations') && r.method !== 'GET');
		check(
			'trigger: the restart created or deleted no destination',
			startupCalls.length === 0,
			startupCalls.map((r) => `${r.method} ${r.path}`),
		);
		const afterRestart = await live();
		check(
			'trigger: after a restart there is still exactly one destination, the same one',
			afterRestart.length === 1 && afterRestart[0].id === afterActivation[0]?.id,
			afterRestart,
		);
		const again = await standin.deliver({ event: { id: 'evt_e2e_after_restart', type: 'invoice.paid' } });
		check('trigger: deliveries still verify after the restart', again.status === 200, again);

		// The destination is deleted at Stripe while the workflow stays active; two customers are created meanwhile
		// (their events reach no one). The trigger's check (every minute here) notices and asks for a repair
		// execution, which creates a new destination and starts the events of the gap, in order. Nobody
		// deactivates, activates or restarts anything.
		const stripeApi = (method: string, p: string) =>
			fetch(standin.url + p, { method, headers: { Authorization: `Bearer ${opts.secretKey}`, 'Content-Type': 'application/x-www-form-urlencoded' } });
		await waitFor(() => allExecutions(userFolder, workflowId, 'Stripe Events Trigger').find((e) => e.items[0]?.id === 'evt_e2e_after_restart'));
		await stripeApi('DELETE', `/v2/core/event_destinations/${afterActivation[0]?.id}`);
		const mark = standin.events().length;
		await stripeApi('POST', '/v1/customers');
		await stripeApi('POST', '/v1/customers');
		const gap = standin
			.events()
			.slice(mark)
			.filter((e) => e.type === 'customer.created');
		const gapIds = gap.map((e) => String(e.id));
		let repaired = await live();
		for (let i = 0; i < 400 && !(repaired.length === 1 && repaired[0].id !== afterActivation[0]?.id); i++) {
			await sleep(200);
			repaired = await live();
		}
		const gapRun = await waitFor(() =>
			allExecutions(userFolder, workflowId, 'Stripe Events Trigger').find((e) => e.items.some((i) => gapIds.includes(String(i.id)))),
		);
		check(
			'trigger: a destination deleted while the workflow is active is replaced within its check interval (no deactivate / activate / restart)',
			repaired.length === 1 && repaired[0].id !== afterActivation[0]?.id && repaired[0].webhook_endpoint?.url === expectedUrl,
			repaired,
		);
		check(
			'trigger: the events of the gap are started by the repair, in order, in one execution',
			gapRun?.status === 'success' && JSON.stringify(gapRun?.items.map((i) => i.id)) === JSON.stringify(gapIds),
			{ status: gapRun?.status, items: gapRun?.items.map((i) => i.id), gap: gapIds },
		);
		const late = await standin.deliver({ event: gap[0] });
		await stripeApi('POST', '/v1/customers');
		const newest = standin.events().at(-1)!;
		const fresh = await standin.deliver({ event: newest });
		const freshRun = await waitFor(() => allExecutions(userFolder, workflowId, 'Stripe Events Trigger').find((e) => e.items[0]?.id === newest.id));
		await sleep(1500);
		const gapStarts = allExecutions(userFolder, workflowId, 'Stripe Events Trigger').filter((e) => e.items.some((i) => i.id === gap[0].id)).length;
		check(
			'trigger: the new destination verifies (its secret saved by the repair); a late delivery of a gap event starts nothing, the next event only itself',
			late.status === 200 && /"duplicate":true/.test(late.body) && fresh.status === 200 && freshRun?.items.length === 1 && gapStarts === 1,
			{ late: `${late.status} ${late.body}`, fresh: `${fresh.status} ${fresh.body}`, freshItems: freshRun?.items.length, gapStarts },
		);

		// Deleted while n8n is down: at its next start n8n registers the trigger again, whose activation check
		// replaces the destination, and the trigger starts the event of the gap at once.
		await stopN8n(server);
		const current = (await live())[0];
		await stripeApi('DELETE', `/v2/core/event_destinations/${current?.id}`);
		const downMark = standin.events().length;
		await stripeApi('POST', '/v1/customers');
		const downGap = standin.events().slice(downMark);
		const countBeforeStart = allExecutions(userFolder, workflowId, 'Stripe Events Trigger').length;
		server = await startN8n(userFolder, path.join(opts.logs, 'n8n-trigger-3.log'), { port });
		const atStart = await until((d) => d.length === 1);
		const downRun = await waitFor(() =>
			allExecutions(userFolder, workflowId, 'Stripe Events Trigger')
				.slice(countBeforeStart)
				.find((e) => e.items.length > 0),
		);
		// Replays after the restart, from what n8n stored: a gap event started by the repair before it, and the
		// event the start caught up.
		const replays = await Promise.all([gap[0], ...downGap.filter((e) => e.type === 'customer.created')].map(async (e) => await standin.deliver({ event: e })));
		check(
			'trigger: after the restart, replays of events started before it and at the start are duplicates',
			replays.length === 2 && replays.every((r) => r.status === 200 && /"duplicate":true/.test(r.body)),
			replays,
		);
		check(
			'trigger: deleted while n8n was down: replaced at the next start, the event of the gap started then',
			atStart.length === 1 &&
				atStart[0].id !== current?.id &&
				JSON.stringify(downRun?.items.map((i) => i.id)) === JSON.stringify(downGap.filter((e) => e.type === 'customer.created').map((e) => e.id)),
			{ atStart, items: downRun?.items.map((i) => i.id) },
		);

		const rest2 = await restClient(`http://127.0.0.1:${server.port}`);
		await rest2('POST', `/workflows/${workflowId}/deactivate`, {});
		const afterDeactivation = await until((d) => d.length === 0);
		check('trigger: deactivation deleted the destination', afterDeactivation.length === 0, afterDeactivation);
	} finally {
		if (server) await stopN8n(server);
	}
}

const DAY = 86400;

/** Seeds the stand-in with customers, credit grants and balance transactions for the example workflows. */
export function seedCredits(standin: Standin) {
	const now = Math.floor(Date.now() / 1000);
	const [a, b] = standin.seed('customers', [
		{ name: 'Ada Credits', email: 'ada@example.com' },
		{ name: 'Bo Credits', email: 'bo@example.com' },
	]);
	const money = (currency: string, value: number) => ({ type: 'monetary', monetary: { currency, value } });
	const scope = { scope: { price_type: 'metered' } };
	const [g1, g2, g3] = standin.seed('billing/credit_grants', [
		{ customer: a.id, amount: money('usd', 5000), category: 'paid', applicability_config: scope, name: 'Starter credits', expires_at: now + 3 * DAY },
		{ customer: a.id, amount: money('usd', 2000), category: 'promotional', applicability_config: scope, name: 'Promo', expires_at: now + 60 * DAY },
		{ customer: b.id, amount: money('jpy', 1000), category: 'paid', applicability_config: scope, name: 'Yen credits' },
	]);
	standin.seed('billing/credit_balance_transactions', [
		{ customer: a.id, credit_grant: g1.id, type: 'credit', effective_at: now - DAY, credit: { amount: money('usd', 5000), type: 'credits_granted' } },
		{
			customer: a.id,
			credit_grant: g1.id,
			type: 'debit',
			effective_at: now - 3600,
			debit: { amount: money('usd', 1500), type: 'credits_applied', credits_applied: { invoice: 'in_e2e_1', invoice_line_item: 'il_e2e_1' } },
		},
		{ customer: b.id, credit_grant: g3.id, type: 'credit', effective_at: now - 2 * DAY, credit: { amount: money('jpy', 1000), type: 'credits_granted' } },
	]);
	return { a: String(a.id), b: String(b.id), g1: String(g1.id), g2: String(g2.id) };
}

export async function runExampleWorkflows(opts: {
	userFolder: string;
	logs: string;
	repoRoot: string;
	standin: Standin;
	secretKey: string;
	check: Check;
}): Promise<void> {
	const { check, userFolder, standin } = opts;
	const ids = seedCredits(standin);
	const log = path.join(opts.logs, 'n8n-examples-cli.log');
	const tmp = fs.mkdtempSync(path.join(opts.logs, 'examples-'));
	// The examples reference the credential "stripeExampleCred": import one with that ID, pointing at the stand-in.
	const credFile = path.join(tmp, 'credential.json');
	fs.writeFileSync(
		credFile,
		JSON.stringify([
			{
				id: 'stripeExampleCred',
				name: 'Stripe account',
				type: 'stripeKeyApi',
				data: { secretKey: opts.secretKey, stripeAccount: '', apiVersion: '2024-11-20.acacia', baseUrl: standin.url },
			},
		]),
	);
	const imp = await n8nCli(userFolder, ['import:credentials', `--input=${credFile}`], log);
	check('examples: credential imported', imp.code === 0, imp.output.slice(-800));
	const examples = [
		{ file: 'weekly-credit-grant-report.json', id: 'exWeeklyCreditRpt' },
		{ file: 'credit-grants-expiring-alert.json', id: 'exExpiringAlert01' },
	];
	const triggers: Record<string, string> = {};
	for (const ex of examples) {
		// The files as they are in examples/, with an ID so they can be found again.
		const wf = JSON.parse(fs.readFileSync(path.join(opts.repoRoot, 'examples', ex.file), 'utf8'));
		triggers[ex.id] = wf.nodes.find((n: { type: string }) => /scheduleTrigger$/.test(n.type)).name;
		const copy = path.join(tmp, ex.file);
		fs.writeFileSync(copy, JSON.stringify({ ...wf, id: ex.id }));
		const i = await n8nCli(userFolder, ['import:workflow', `--input=${copy}`], log);
		check(`examples: ${ex.file} imports`, i.code === 0, i.output.slice(-800));
	}

	// Run each like the editor's "Execute workflow" button: a manual run from its Schedule Trigger.
	const server = await startN8n(userFolder, path.join(opts.logs, 'n8n-examples.log'));
	try {
		const rest = await restClient(`http://127.0.0.1:${server.port}`);
		const run = async (id: string) => {
			await rest('POST', `/workflows/${id}/run`, { triggerToStartFrom: { name: triggers[id] } });
			const exec = await waitFor(() => {
				const e = readLatestExecution(userFolder, id);
				return e && !['new', 'running', 'waiting'].includes(e.status) ? e : undefined;
			}, 60_000);
			check(`examples: ${id} runs successfully in n8n`, exec?.status === 'success', { status: exec?.status, error: exec?.data.resultData.error });
			return exec;
		};

		const weekly = await run('exWeeklyCreditRpt');
		if (weekly) {
			const rows = nodeOutput(weekly, 'Credit Grant Report') ?? [];
			const ada = rows.find((r) => r.customer === ids.a && r.currency === 'usd');
			const bo = rows.find((r) => r.customer === ids.b && r.currency === 'jpy');
			check(
				'examples: weekly report has one row per customer and currency',
				rows.length === 2,
				rows.map((r) => [r.customer, r.currency]),
			);
			check(
				'examples: weekly report figures (USD customer)',
				ada?.granted_total_decimal === '70.00' &&
					ada?.available_balance_decimal === '35.00' &&
					ada?.credits_in_period === 5000 &&
					ada?.debits_in_period_decimal === '15.00' &&
					JSON.stringify(ada?.invoices) === '["in_e2e_1"]' &&
					(ada?.expiring_grants as unknown[])?.length === 1,
				ada,
			);
			check(
				'examples: weekly report figures (zero-decimal JPY customer)',
				bo?.granted_total_decimal === '1000' && bo?.available_balance === 1000 && bo?.credits_in_period_decimal === '1000',
				bo,
			);
			const csvRuns = weekly.data.resultData.runData['Convert to CSV'];
			const binary = (csvRuns?.[0]?.data?.main?.[0]?.[0] as unknown as { binary?: { data?: { fileName?: string; mimeType?: string } } })?.binary?.data;
			check('examples: weekly report is converted to a CSV file', !!binary && /^credit-grants-\d{4}-\d{2}-\d{2}\.csv$/.test(String(binary.fileName)), binary);
		}

		const alert = await run('exExpiringAlert01');
		if (alert) {
			const all = nodeOutput(alert, 'Credit Grant Report (per grant)') ?? [];
			const passed = nodeOutput(alert, 'Expiring Within 7 Days') ?? [];
			check(
				'examples: alert reports every grant',
				all.length === 3,
				all.map((r) => r.grant),
			);
			check(
				'examples: alert passes only the grant expiring within 7 days',
				passed.length === 1 && passed[0].grant === ids.g1 && passed[0].expiring_soon === true,
				passed,
			);
		}
	} finally {
		await stopN8n(server);
	}
}

/**
 * Pickers through n8n's own REST endpoint for resource locator lists (POST
 * /rest/dynamic-node-parameters/resource-locator-results, what the editor calls when a list opens): n8n hands
 * the node's current parameters to the list search, so an invoice's subscription list shows the customer's
 * subscriptions only; a payment method list without a customer says what is missing and sends nothing.
 */
export async function runPickerFlow(opts: { userFolder: string; logs: string; standin: Standin; secretKey: string; check: Check }): Promise<void> {
	const { standin, check } = opts;
	const server = await startN8n(opts.userFolder, path.join(opts.logs, 'n8n-pickers.log'));
	try {
		const rest = await restClient(`http://127.0.0.1:${server.port}`);
		const credential = await rest('POST', '/credentials', {
			name: 'Stripe stand-in (pickers)',
			type: 'stripeKeyApi',
			data: { secretKey: opts.secretKey, stripeAccount: '', apiVersion: '2024-11-20.acacia', baseUrl: standin.url },
		});
		const [ada, bob] = standin.seed('customers', [{ name: 'Picker Ada' }, { name: 'Picker Bob' }]);
		const [adaSub] = standin.seed('subscriptions', [
			{ customer: ada.id, status: 'active' },
			{ customer: bob.id, status: 'past_due' },
		]);
		standin.seed('coupons', [{ name: 'Summer', percent_off: 20 }, { name: 'Winter' }]);
		const list = (methodName: string, parameters: Record<string, unknown>, paramPath: string, filter?: string) =>
			rest('POST', '/dynamic-node-parameters/resource-locator-results', {
				nodeTypeAndVersion: { name: 'n8n-nodes-stripe.stripeBilling', version: 1 },
				path: paramPath,
				methodName,
				currentNodeParameters: parameters,
				credentials: { stripeKeyApi: { id: credential.id, name: credential.name } },
				...(filter ? { filter } : {}),
			});
		const from = standin.requests.length;
		const subs = (await list(
			'searchSubscriptions',
			{ resource: 'invoice', operation: 'create', customer: { __rl: true, mode: 'list', value: ada.id }, additionalFields: {} },
			'parameters.additionalFields.subscription',
		)) as { results?: Array<{ name: string; value: string }> };
		const sent = standin.requests.slice(from).map((r) => `${r.method} ${r.path}?${r.rawQuery}`);
		check(
			"pickers: an invoice's subscription list shows the node's customer's subscriptions (n8n passes the current parameters)",
			JSON.stringify(subs.results?.map((r) => [r.name, r.value])) === JSON.stringify([['Picker Ada · active', adaSub.id]]) &&
				JSON.stringify(sent) === JSON.stringify([`GET /v1/subscriptions?limit=100&customer=${String(ada.id)}&expand[0]=data.customer`]),
			{ subs, sent },
		);
		const coupons = (await list('searchCoupons', { resource: 'invoice', operation: 'create' }, 'parameters.additionalFields.coupon', 'sum')) as {
			results?: Array<{ name: string }>;
		};
		check('pickers: a coupon list filtered by its text', JSON.stringify(coupons.results?.map((r) => r.name)) === JSON.stringify(['Summer · 20% off']), coupons);
		const before = standin.requests.length;
		let message = '';
		try {
			await list(
				'searchPaymentMethods',
				{ resource: 'invoice', operation: 'pay', invoice: { __rl: true, mode: 'id', value: 'in_1' } },
				'parameters.additionalFields.payment_method',
			);
		} catch (e) {
			message = (e as Error).message;
		}
		check(
			'pickers: a payment method list without a customer says a customer is needed, and sends nothing',
			/fill in the Customer field first/.test(message) && standin.requests.length === before,
			message,
		);
	} finally {
		await stopN8n(server);
	}
}
