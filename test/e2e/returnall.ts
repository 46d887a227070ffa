/**
 * Return All in ranges of creation time (issue 25) inside a real n8n: one workflow reads the same 2,500
 * customers (spread over weeks, with bursts of one second) twice, once in parallel (Parallel Requests 6, so
 * that ranges are read at once against the quick local stand-in) and once on one cursor (Request Options ›
 * Read in Parallel off). The two nodes' outputs must be identical and equal to the stand-in's list; the
 * stand-in must have seen whole-second created ranges from the first node only.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { Standin } from '../standin/server';
import type { Check } from './flows';
import { restClient, waitFor } from './flows';
import { n8nCli, nodeOutput, readLatestExecution, startN8n, stopN8n } from './n8n';

const T0 = 1709251200; // 2024-03-01

export async function runParallelReturnAllFlow(opts: { userFolder: string; logs: string; standin: Standin; secretKey: string; check: Check }): Promise<void> {
	const { check, standin, userFolder } = opts;
	const account = 'acct_e2eReturnAll01';
	const rows = Array.from({ length: 2500 }, (_, i) => ({
		email: `ra${i}@example.com`,
		created: i < 300 ? T0 + 5 * 86400 : T0 + Math.floor(i * 997) + (i % 3),
	})).sort((a, b) => a.created - b.created);
	standin.seed('customers', rows, account);
	const expected = standin
		.objects('customers', account)
		.slice()
		.reverse()
		.sort((a, b) => Number(b.created) - Number(a.created))
		.map((c) => String(c.id));
	const log = path.join(opts.logs, 'n8n-returnall-cli.log');
	const tmp = fs.mkdtempSync(path.join(opts.logs, 'returnall-'));
	const credFile = path.join(tmp, 'credential.json');
	fs.writeFileSync(
		credFile,
		JSON.stringify([
			{
				id: 'stripeReturnAll01',
				name: 'Stripe stand-in (Return All)',
				type: 'stripeKeyApi',
				data: { secretKey: opts.secretKey, stripeAccount: account, apiVersion: '2024-11-20.acacia', baseUrl: standin.url },
			},
		]),
	);
	const credentials = { stripeKeyApi: { id: 'stripeReturnAll01', name: 'Stripe stand-in (Return All)' } };
	const node = (name: string, x: number, requestOptions: Record<string, unknown>) => ({
		id: `ra-${x}`,
		name,
		type: 'n8n-nodes-stripe.stripeCore',
		typeVersion: 1,
		position: [x, 0],
		parameters: { resource: 'customer', operation: 'list', returnAll: true, requestOptions },
		credentials,
	});
	const workflow = {
		id: 'e2eParallelReturn',
		name: 'Return All in parallel (e2e)',
		active: false,
		settings: { executionOrder: 'v1' },
		connections: {
			Start: { main: [[{ node: 'In Parallel', type: 'main', index: 0 }]] },
			'In Parallel': { main: [[{ node: 'One Cursor', type: 'main', index: 0 }]] },
		},
		nodes: [
			{ id: 'ra-start', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			node('In Parallel', 200, { parallelRequests: 6 }),
			{ ...node('One Cursor', 400, { readInParallel: false }), executeOnce: true },
		],
	};
	const wfFile = path.join(tmp, 'workflow.json');
	fs.writeFileSync(wfFile, JSON.stringify(workflow));
	const impCred = await n8nCli(userFolder, ['import:credentials', `--input=${credFile}`], log);
	check('Return All: credential imported', impCred.code === 0, impCred.output.slice(-800));
	const impWf = await n8nCli(userFolder, ['import:workflow', `--input=${wfFile}`], log);
	check('Return All: workflow imported', impWf.code === 0, impWf.output.slice(-800));
	const server = await startN8n(userFolder, path.join(opts.logs, 'n8n-returnall.log'));
	try {
		const rest = await restClient(`http://127.0.0.1:${server.port}`);
		const from = standin.requests.length;
		await rest('POST', `/workflows/${workflow.id}/run`, { triggerToStartFrom: { name: 'Start' } });
		const exec = await waitFor(() => {
			const e = readLatestExecution(userFolder, workflow.id);
			return e && !['new', 'running', 'waiting'].includes(e.status) ? e : undefined;
		}, 120_000);
		check('Return All: the workflow runs successfully in n8n', exec?.status === 'success', { status: exec?.status, error: exec?.data.resultData.error });
		if (!exec) return;
		const parallel = nodeOutput(exec, 'In Parallel') ?? [];
		const single = nodeOutput(exec, 'One Cursor') ?? [];
		check(
			'Return All: in parallel, every customer once, in Stripe order (newest first)',
			JSON.stringify(parallel.map((c) => c.id)) === JSON.stringify(expected),
			{ got: parallel.length, expected: expected.length },
		);
		check('Return All: in parallel and on one cursor, identical output', JSON.stringify(parallel) === JSON.stringify(single), {
			parallel: parallel.length,
			single: single.length,
		});
		const lists = standin.requests.slice(from).filter((r) => r.path === '/v1/customers');
		const ranged = lists.filter((r) => /created%5Blt%5D|created\[lt\]/.test(r.rawQuery));
		const uppers = new Set(ranged.map((r) => (r.query.created as Record<string, string>).lt));
		check('Return All: the parallel node read whole-second created ranges', uppers.size >= 2 && [...uppers].every((v) => /^\d+$/.test(v)), [...uppers]);
		const start = lists.map((r) => r.rawQuery).lastIndexOf('limit=100');
		const cursorRequests = lists.slice(start);
		check(
			'Return All: the one-cursor node sent 25 pages, each after the last one (no created ranges)',
			cursorRequests.length === 25 && cursorRequests.slice(1).every((r) => /^limit=100&starting_after=cus_\w+$/.test(r.rawQuery)),
			cursorRequests.map((r) => r.rawQuery),
		);
	} finally {
		await stopN8n(server);
	}
}
