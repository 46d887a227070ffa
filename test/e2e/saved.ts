/**
 * The workflows saved with 0.1.0 (test/fixtures/saved-workflows/) in a real n8n: imported with n8n's CLI as
 * they are, run like the editor's "Execute workflow" button from their Manual Trigger, against a loopback
 * server that records every request; each request must equal what stripe-node 17.4.0 sends for the values
 * the user set (test/support/saved-workflows.ts, the same expectations as test/engine/saved-workflows.test.ts).
 * The fixtures name the credential "Xq3Vb7Kc9LmN2pR4": one with that ID is imported, pointing at the server.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { CaptureServer } from '../support/capture';
import { startCaptureServer } from '../support/capture';
import { answer, API_VERSION, FIXTURES_RUN, SAVED_WORKFLOWS_DIR, sdkFor, SECRET_KEY, wire } from '../support/saved-workflows';
import type { Check } from './flows';
import { restClient, waitFor } from './flows';
import { n8nCli, nodeOutput, readLatestExecution, startN8n, stopN8n } from './n8n';

export async function runSavedWorkflows(opts: { userFolder: string; logs: string; check: Check }): Promise<void> {
	const { check, userFolder } = opts;
	const log = path.join(opts.logs, 'n8n-saved-cli.log');
	const tmp = fs.mkdtempSync(path.join(opts.logs, 'saved-'));
	const capture: CaptureServer = await startCaptureServer(answer);
	try {
		const credFile = path.join(tmp, 'credential.json');
		fs.writeFileSync(
			credFile,
			JSON.stringify([
				{
					id: 'Xq3Vb7Kc9LmN2pR4',
					name: 'Stripe account',
					type: 'stripeKeyApi',
					data: { secretKey: SECRET_KEY, apiVersion: API_VERSION, baseUrl: capture.url },
				},
			]),
		);
		const imp = await n8nCli(userFolder, ['import:credentials', `--input=${credFile}`], log);
		check('saved workflows: credential imported', imp.code === 0, imp.output.slice(-800));
		const saved = FIXTURES_RUN.map((f) => ({ ...f, workflow: JSON.parse(fs.readFileSync(path.join(SAVED_WORKFLOWS_DIR, f.file), 'utf8')) }));
		for (const f of saved) {
			const i = await n8nCli(userFolder, ['import:workflow', `--input=${path.join(SAVED_WORKFLOWS_DIR, f.file)}`], log);
			check(`saved workflows: ${f.file} imports as it is`, i.code === 0, i.output.slice(-800));
		}

		const server = await startN8n(userFolder, path.join(opts.logs, 'n8n-saved.log'));
		try {
			const rest = await restClient(`http://127.0.0.1:${server.port}`);
			for (const f of saved) {
				const wf = f.workflow as { id: string; nodes: Array<{ name: string; type: string }> };
				const trigger = wf.nodes.find((n) => n.type === 'n8n-nodes-base.manualTrigger')!;
				capture.requests.length = 0;
				await rest('POST', `/workflows/${wf.id}/run`, { triggerToStartFrom: { name: trigger.name } });
				const exec = await waitFor(() => {
					const e = readLatestExecution(userFolder, wf.id);
					return e && !['new', 'running', 'waiting'].includes(e.status) ? e : undefined;
				}, 60_000);
				check(`saved workflows: ${f.file} runs successfully in n8n`, exec?.status === 'success', { status: exec?.status, error: exec?.data.resultData.error });
				for (const [node, count] of Object.entries(f.items ?? {}))
					check(
						`saved workflows: ${f.file}: "${node}" outputs ${count} items`,
						exec !== undefined && nodeOutput(exec, node)?.length === count,
						exec && nodeOutput(exec, node)?.length,
					);
				const ours = capture.requests.map(wire);
				capture.requests.length = 0;
				await f.expected(sdkFor(capture.url));
				const sdk = capture.requests.map(wire);
				check(`saved workflows: ${f.file} sends what stripe-node 17.4.0 sends for what the user set`, JSON.stringify(ours) === JSON.stringify(sdk), {
					n8n: ours,
					stripeNode: sdk,
				});
			}
		} finally {
			await stopN8n(server);
		}
	} finally {
		await capture.close();
	}
}
