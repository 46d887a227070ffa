/**
 * Issue 14 in a real n8n: a workflow whose Stripe credential points at a misbehaving server, run headlessly
 * with the CLI. The server redirects the customer create (307) to another origin, answers `null` to the
 * balance, and must never see a request with a non-ASCII Idempotency Key. Checked: what each server received,
 * the error items n8n stored (every node set to continue on error), and that the execution record holds no key.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { json, startHostile } from '../support/hostile';
import { n8nCli, nodeOutput, readLatestExecution } from './n8n';

type Check = (name: string, ok: boolean, detail?: unknown) => boolean;

const SECRET = 'sk_test_e2eHostile51Key0123456789abcdef';
const CREDENTIAL = { id: 'stripeE2eHostile01', name: 'Stripe hostile (e2e)', type: 'stripeKeyApi' };
const WORKFLOW_ID = 'stripeE2eHostile01';

function stripeNode(n: number, name: string, parameters: Record<string, unknown>) {
	return {
		id: `9a0c3c1e-0000-4000-8000-00000000000${n}`,
		name,
		type: 'n8n-nodes-stripe.stripeCore',
		typeVersion: 1,
		position: [220 * n, 0],
		onError: 'continueRegularOutput',
		parameters,
		credentials: { stripeKeyApi: { id: CREDENTIAL.id, name: CREDENTIAL.name } },
	};
}

export async function runHostileFlow(opts: { userFolder: string; work: string; logs: string; check: Check }): Promise<void> {
	const { check } = opts;
	const base = await startHostile();
	const elsewhere = await startHostile();
	try {
		base.handle((req, res) => {
			if (req.method === 'POST' && req.url === '/v1/customers') {
				res.writeHead(307, { Location: `${elsewhere.url}/v1/customers` });
				res.end();
			} else json(res, 200, 'null');
		});
		const credFile = path.join(opts.work, 'hostile-credentials.json');
		fs.writeFileSync(
			credFile,
			JSON.stringify([{ ...CREDENTIAL, data: { secretKey: SECRET, stripeAccount: '', apiVersion: '2024-11-20.acacia', baseUrl: base.url } }]),
		);
		const wfFile = path.join(opts.work, 'hostile-workflow.json');
		const names = ['Redirected Create', 'Null Balance', 'Non-ASCII Key'];
		const nodes = [
			{
				id: '9a0c3c1e-0000-4000-8000-000000000000',
				name: 'Manual Trigger',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			stripeNode(1, names[0], { resource: 'customer', operation: 'create', email: 'e2e@example.com' }),
			stripeNode(2, names[1], { resource: 'balance', operation: 'retrieve' }),
			stripeNode(3, names[2], { resource: 'customer', operation: 'create', requestOptions: { idempotencyKey: 'Иван-signup' } }),
		];
		const connections: Record<string, unknown> = {};
		const order = ['Manual Trigger', ...names];
		for (let i = 0; i < order.length - 1; i++) connections[order[i]] = { main: [[{ node: order[i + 1], type: 'main', index: 0 }]] };
		fs.writeFileSync(
			wfFile,
			JSON.stringify({ id: WORKFLOW_ID, name: 'E2E: hostile Stripe server', active: false, settings: { executionOrder: 'v1' }, nodes, connections }),
		);

		const cliLog = path.join(opts.logs, 'n8n-cli-hostile.log');
		check('hostile: import credential', (await n8nCli(opts.userFolder, ['import:credentials', `--input=${credFile}`], cliLog)).code === 0);
		check('hostile: import workflow', (await n8nCli(opts.userFolder, ['import:workflow', `--input=${wfFile}`], cliLog)).code === 0);
		const exec = await n8nCli(opts.userFolder, ['execute', `--id=${WORKFLOW_ID}`], cliLog, { N8N_LOG_LEVEL: 'debug' });
		check('hostile: n8n execute exits 0 (every node continues on error)', exec.code === 0, exec.output.slice(-2000));

		check(
			'hostile: the redirect target received nothing (no key, no body)',
			elsewhere.requests.length === 0,
			elsewhere.requests.map((r) => `${r.method} ${r.url} ${r.headers.authorization ?? ''}`),
		);
		const seen = base.requests.map((r) => `${r.method} ${r.url}`);
		check(
			'hostile: the base URL received exactly POST /v1/customers and GET /v1/balance (no retry, nothing for the non-ASCII key)',
			seen.join(', ') === 'POST /v1/customers, GET /v1/balance',
			seen,
		);

		const rec = readLatestExecution(opts.userFolder, WORKFLOW_ID);
		if (!check('hostile: execution record exists', rec !== undefined)) return;
		const error = (name: string) => String(nodeOutput(rec!, name)?.[0]?.error ?? '');
		check(
			'hostile: redirect error item',
			/^Stripe answered HTTP 307, a redirect to http:\/\/127\.0\.0\.1:\d+, which is not followed$/.test(error(names[0])),
			error(names[0]),
		);
		check(
			'hostile: null body error item (no crash)',
			error(names[1]) === "Stripe's answer to GET /v1/balance for item 0 is null, not an object",
			error(names[1]),
		);
		check(
			'hostile: non-ASCII idempotency key refused',
			/^Invalid parameter in item 0: "Idempotency Key" \(idempotencyKey\) contains "И" \(U\+0418\)/.test(error(names[2])),
			error(names[2]),
		);
		const stored = JSON.stringify(rec);
		check(
			'hostile: the execution record and CLI output hold no key',
			!stored.includes(SECRET) && !stored.includes(SECRET.slice(-16)) && !exec.output.includes(SECRET.slice(-16)),
		);
	} finally {
		await base.close();
		await elsewhere.close();
	}
}
