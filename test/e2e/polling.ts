/**
 * The Stripe Events Polling Trigger in a real n8n (single process, SQLite), against the stand-in's Events API:
 * - activation from now emits nothing and stores the cursor in the workflow's static data;
 * - 253 events between two polls (3 customers created through the API, 250 invoice.paid recorded at once, and
 *   unselected ones) become one execution of 253 items, each once, oldest first;
 * - n8n stopped while 40 events happen, then started: the start-up poll emits exactly those 40, in order;
 * - a restart right after, and the scheduled poll after it, emit nothing twice;
 * - deactivation stops the polls.
 * The only waits are for n8n's own poll schedule (every minute, its shortest).
 */
import * as path from 'node:path';

import type { Standin } from '../standin/server';
import type { Check } from './flows';
import { restClient, waitFor } from './flows';
import { requireEnv, startN8n, stopN8n, type N8nInstance } from './n8n';

interface Execution {
	id: string;
	status: string;
	items: Array<Record<string, unknown>>;
}

type Db = {
	prepare: (sql: string) => { get: (...a: unknown[]) => Record<string, unknown> | undefined; all: (...a: unknown[]) => Array<Record<string, unknown>> };
	close: () => void;
};

function openDb(userFolder: string): Db {
	const { DatabaseSync } = require('node:sqlite') as { DatabaseSync: new (file: string, opts?: { readOnly?: boolean }) => Db };
	return new DatabaseSync(path.join(userFolder, '.n8n', 'database.sqlite'), { readOnly: true });
}

/** Every finished execution of a workflow, oldest first, with the trigger's output items. */
export function executions(userFolder: string, workflowId: string, nodeName: string): Execution[] {
	const flatted = require(path.join(requireEnv('N8N_INSTALL_DIR'), 'node_modules', 'flatted')) as { parse: (s: string) => unknown };
	const db = openDb(userFolder);
	try {
		const rows = db.prepare('SELECT id, status FROM execution_entity WHERE workflowId = ? ORDER BY CAST(id AS INTEGER)').all(workflowId);
		return rows
			.filter((r) => !['new', 'running'].includes(String(r.status)))
			.map((r) => {
				const data = flatted.parse(String(db.prepare('SELECT data FROM execution_data WHERE executionId = ?').get(r.id)?.data ?? '[{}]')) as {
					resultData?: { runData?: Record<string, Array<{ data?: { main?: Array<Array<{ json: Record<string, unknown> }>> } }>> };
				};
				const runs = data.resultData?.runData?.[nodeName] ?? [];
				return { id: String(r.id), status: String(r.status), items: (runs[runs.length - 1]?.data?.main?.[0] ?? []).map((i) => i.json) };
			});
	} finally {
		db.close();
	}
}

/** An execution's stored data as text (e.g. to find the error a trigger recorded). */
export function executionText(userFolder: string, executionId: string): string {
	const db = openDb(userFolder);
	try {
		return String(db.prepare('SELECT data FROM execution_data WHERE executionId = ?').get(executionId)?.data ?? '');
	} finally {
		db.close();
	}
}

function staticData(userFolder: string, workflowId: string): Record<string, unknown> {
	const db = openDb(userFolder);
	try {
		const row = db.prepare('SELECT staticData FROM workflow_entity WHERE id = ?').get(workflowId);
		return row?.staticData ? (JSON.parse(String(row.staticData)) as Record<string, unknown>) : {};
	} finally {
		db.close();
	}
}

async function sleep(ms: number) {
	await new Promise((r) => setTimeout(r, ms));
}

export async function runPollingFlow(opts: { userFolder: string; logs: string; standin: Standin; secretKey: string; check: Check }): Promise<void> {
	const { standin, check, userFolder } = opts;
	const NODE = 'Stripe Events Polling Trigger';
	const selected = ['customer.created', 'invoice.paid'];
	const api = async (p: string, body: Record<string, string>) =>
		(await (
			await fetch(standin.url + p, {
				method: 'POST',
				headers: { Authorization: `Bearer ${opts.secretKey}`, 'Content-Type': 'application/x-www-form-urlencoded' },
				body: new URLSearchParams(body).toString(),
			})
		).json()) as Record<string, unknown>;
	const selectedIds = (fromSeq: number) =>
		standin
			.events()
			.slice(fromSeq)
			.filter((e) => selected.includes(String(e.type)))
			.map((e) => String(e.id));
	let server: N8nInstance | undefined = await startN8n(userFolder, path.join(opts.logs, 'n8n-polling-1.log'));
	try {
		const port = server.port;
		const rest = await restClient(`http://127.0.0.1:${port}`);
		const credential = await rest('POST', '/credentials', {
			name: 'Stripe stand-in (polling)',
			type: 'stripeKeyApi',
			data: { secretKey: opts.secretKey, stripeAccount: '', apiVersion: '2024-11-20.acacia', baseUrl: standin.url },
		});
		const workflow = await rest('POST', '/workflows', {
			name: 'E2E Stripe events (polling)',
			nodes: [
				{
					id: 'c0ffee00-0000-4000-8000-0000000000a1',
					name: NODE,
					type: 'n8n-nodes-stripe.stripeEventsPollingTrigger',
					typeVersion: 1,
					position: [0, 0],
					parameters: { pollTimes: { item: [{ mode: 'everyMinute' }] }, eventPayload: 'snapshot', snapshotEvents: selected, eventsFrom: ['self'] },
					credentials: { stripeKeyApi: { id: credential.id, name: credential.name } },
				},
			],
			connections: {},
			settings: { executionOrder: 'v1' },
		});
		const workflowId = String(workflow.id);
		const before = standin.events().length;
		await rest('POST', `/workflows/${workflowId}/activate`, { versionId: workflow.versionId });
		const cursor = await waitFor(() => {
			const d = staticData(userFolder, workflowId)[`node:${NODE}`] as { since?: number } | undefined;
			return d?.since ? d : undefined;
		}, 20_000);
		check(
			'polling: activation stored the cursor (now) in the static data and started nothing',
			!!cursor && Math.abs(Number(cursor.since) - standin.now()) < 60 && executions(userFolder, workflowId, NODE).length === 0,
			cursor,
		);

		// 253 selected events (and unselected ones) between two polls: made right after a scheduled poll.
		const polls = () => standin.requests.filter((r) => r.path === '/v1/events').length;
		const scheduled = await waitFor(() => (polls() > 0 ? true : undefined), 90_000);
		check('polling: n8n polls on its schedule', scheduled === true);
		const pagesBefore = polls();
		for (let i = 0; i < 3; i++) await api('/v1/customers', { email: `poll-${i}@example.com` });
		await api('/v1/products', { name: 'not selected' });
		standin.addEvents({ type: 'invoice.paid', count: 250 });
		standin.addEvents({ type: 'charge.succeeded', count: 5 });
		const expected250 = selectedIds(before);
		const first = await waitFor(() => executions(userFolder, workflowId, NODE)[0], 90_000);
		const got = (first?.items ?? []).map((i) => String(i.id));
		check(
			'polling: 253 events between two polls became one execution of 253 items, each once, oldest first',
			first?.status === 'success' && got.length === 253 && JSON.stringify(got) === JSON.stringify(expected250),
			{ status: first?.status, count: got.length, firstIds: got.slice(0, 3), expectedFirst: expected250.slice(0, 3) },
		);
		check(
			'polling: the items are the events with `account` (the webhook trigger’s shape)',
			first?.items[0]?.object === 'event' && first?.items[0]?.account === null && first?.items[0]?.type === 'customer.created',
			first?.items[0],
		);
		check('polling: it paged through all of them (3 pages of 100)', polls() - pagesBefore >= 3, polls() - pagesBefore);

		// n8n stopped while 40 events happen, then started again.
		await stopN8n(server);
		server = undefined;
		const mark = standin.events().length;
		standin.addEvents({ type: 'invoice.paid', count: 40 });
		const expected40 = selectedIds(mark);
		server = await startN8n(userFolder, path.join(opts.logs, 'n8n-polling-2.log'), { port });
		const second = await waitFor(() => executions(userFolder, workflowId, NODE)[1], 90_000);
		const got40 = (second?.items ?? []).map((i) => String(i.id));
		check(
			'polling: the 40 events that happened while n8n was stopped were emitted once, in order, after the start',
			second?.status === 'success' && JSON.stringify(got40) === JSON.stringify(expected40),
			{ count: got40.length },
		);

		// A restart right after, then the next scheduled poll: nothing twice.
		await stopN8n(server);
		server = undefined;
		server = await startN8n(userFolder, path.join(opts.logs, 'n8n-polling-3.log'), { port });
		await sleep(70_000); // n8n's poll schedule: one scheduled poll at least
		const all = executions(userFolder, workflowId, NODE);
		const ids = all.flatMap((e) => e.items.map((i) => String(i.id)));
		check('polling: a restart and the next scheduled poll emitted nothing twice', all.length === 2 && new Set(ids).size === ids.length && ids.length === 293, {
			executions: all.map((e) => e.items.length),
		});

		const rest2 = await restClient(`http://127.0.0.1:${port}`);
		await rest2('POST', `/workflows/${workflowId}/deactivate`, {});
		check('polling: deactivated', true);
	} finally {
		if (server) await stopN8n(server);
	}
}
