/**
 * End-to-end test: the built package inside a real n8n, talking to the Stripe stand-in.
 *
 *   1. starts the Stripe stand-in (test/standin) on a random loopback port;
 *   2. starts n8n without the package, then with it (fresh user folders, random ports), timing each start
 *      until /healthz and /healthz/readiness answer, and checks the log for package load errors and the
 *      node/credential types n8n generated for the editor;
 *   3. imports a `stripeKeyApi` credential (baseUrl = the stand-in) and the workflow in
 *      fixtures/stripe-core-customers.workflow.json with the n8n CLI, runs it headlessly with
 *      `n8n execute --id`, and reads the execution record from n8n's SQLite database;
 *   4. asserts the node outputs and the requests the stand-in received.
 *
 * Between 2 and 3, while the warm n8n runs, the editor smoke test (editor.ts) drives the editor in headless
 * Chromium: owner set-up + sign-in, node creator search, Stripe Billing fields, the credential dialog, every
 * node's parameter panel (timed); screenshots go to test-artifacts/e2e/ (E2E_ARTIFACTS_DIR).
 *
 * Run it with `npm run test:e2e` (scripts/e2e.sh builds everything and sets the environment).
 * Environment: E2E_WORK_DIR (temp folder with `with-package/` prepared by e2e.sh, `baseline/` created here),
 * N8N_BIN, N8N_INSTALL_DIR; E2E_SKIP_BASELINE=1 skips the start without the package; E2E_SKIP_EDITOR=1 skips
 * the editor smoke test; E2E_CHROMIUM (default /usr/bin/chromium); E2E_ARTIFACTS_DIR.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { startStandin, type RecordedRequest, type Standin } from '../standin/server';
import { runEditorSmoke, timingsTable } from './editor';
import { runExampleWorkflows, runPickerFlow, runTriggerFlow } from './flows';
import { runPollingFlow } from './polling';
import { runHostileFlow } from './hostile';
import { runSavedWorkflows } from './saved';
import { runParallelReturnAllFlow } from './returnall';
import { loadErrors, n8nCli, nodeOutput, readLatestExecution, requireEnv, startN8n, stopN8n, type N8nInstance } from './n8n';

const FIXTURES = path.resolve(__dirname, '../../../test/e2e/fixtures');
const REPO_ROOT_DIR = path.resolve(__dirname, '../../..');
const WORKFLOW_FILE = path.join(FIXTURES, 'stripe-core-customers.workflow.json');
const PACKAGE = 'n8n-nodes-stripe';
const NODE_TYPE = `${PACKAGE}.stripeCore`;
const CREDENTIAL = {
	id: 'stripeE2eKey0001',
	name: 'Stripe stand-in (e2e)',
	type: 'stripeKeyApi',
	secretKey: 'sk_test_e2e_4eC39HqLyjWDarjtT1zdp7dc',
	stripeAccount: 'acct_1E2eTestAccount',
	apiVersion: '2024-11-20.acacia',
};

// ------------------------------------------------------------------------------------------- reporting

let passed = 0;
let failed = 0;
const failures: string[] = [];

function check(name: string, ok: boolean, detail?: unknown): boolean {
	if (ok) {
		passed++;
		console.log(`PASS  ${name}`);
	} else {
		failed++;
		failures.push(name);
		const d = detail === undefined ? '' : typeof detail === 'string' ? detail : JSON.stringify(detail, null, 2);
		console.log(`FAIL  ${name}${d ? `\n      ${d.split('\n').join('\n      ')}` : ''}`);
	}
	return ok;
}

function section(title: string): void {
	console.log(`\n== ${title}`);
}

const secs = (ms: number | undefined) => (ms === undefined ? 'n/a' : `${(ms / 1000).toFixed(2)} s`);

// ------------------------------------------------------------------------------------------- helpers

async function api(standin: Standin, method: string, p: string, form?: Record<string, string>): Promise<Record<string, unknown>> {
	const res = await fetch(standin.url + p, {
		method,
		headers: {
			Authorization: `Bearer ${CREDENTIAL.secretKey}`,
			'Stripe-Account': CREDENTIAL.stripeAccount,
			...(form ? { 'Content-Type': 'application/x-www-form-urlencoded' } : {}),
		},
		body: form ? new URLSearchParams(form).toString() : undefined,
	});
	return (await res.json()) as Record<string, unknown>;
}

function header(r: RecordedRequest, name: string): string | undefined {
	const v = r.headers[name.toLowerCase()];
	return Array.isArray(v) ? v.join(', ') : v;
}

function typesFile(userFolder: string, name: 'nodes' | 'credentials'): Array<{ name: string }> {
	const file = path.join(userFolder, '.cache', 'n8n', 'public', 'types', `${name}.json`);
	return JSON.parse(fs.readFileSync(file, 'utf8')) as Array<{ name: string }>;
}

async function waitForTypesFile(userFolder: string, ms = 10_000): Promise<void> {
	const file = path.join(userFolder, '.cache', 'n8n', 'public', 'types', 'credentials.json');
	const deadline = Date.now() + ms;
	while (Date.now() < deadline && !fs.existsSync(file)) await new Promise((r) => setTimeout(r, 100));
}

// ------------------------------------------------------------------------------------------- main

async function main(): Promise<void> {
	const work = requireEnv('E2E_WORK_DIR');
	const withPackage = path.join(work, 'with-package');
	const baseline = path.join(work, 'baseline');
	const logs = path.join(work, 'logs');
	fs.mkdirSync(logs, { recursive: true });
	fs.mkdirSync(baseline, { recursive: true });
	const timings: Record<string, string> = {};
	const t0 = Date.now();

	section('Stripe stand-in');
	const standin = await startStandin({ port: 0, latencyMs: Number(process.env.E2E_STANDIN_LATENCY_MS ?? 5) });
	console.log(`stand-in at ${standin.url}`);
	let server: N8nInstance | undefined;
	try {
		// E2E_ONLY=polling,trigger,editor: only those flows (the polling one takes about 5 minutes, mostly n8n's poll schedule).
		const only = (process.env.E2E_ONLY ?? '').split(',').filter(Boolean);
		if (only.length) {
			const folder = (name: string) => {
				fs.cpSync(path.join(withPackage, '.n8n', 'nodes'), path.join(work, name, '.n8n', 'nodes'), { recursive: true });
				return path.join(work, name);
			};
			if (only.includes('trigger')) {
				section('Stripe Events Trigger: activation, deliveries, restart, deactivation');
				await runTriggerFlow({ userFolder: folder('trigger'), logs, standin, secretKey: CREDENTIAL.secretKey, check });
			}
			if (only.includes('editor')) {
				// The editor's no-code tasks and the recorded parameter sets only (no per-node panels): for re-recording
				// test/fixtures/editor-recorded/ (E2E_RECORD=1) without the rest of the suite.
				section('editor: no-code tasks and recorded parameter sets (headless Chromium)');
				server = await startN8n(folder('editor'), path.join(logs, 'n8n-editor.log'));
				await runEditorSmoke({
					baseUrl: `http://127.0.0.1:${server.port}`,
					repoRoot: REPO_ROOT_DIR,
					artifactsDir: process.env.E2E_ARTIFACTS_DIR || path.join(REPO_ROOT_DIR, 'test-artifacts', 'e2e'),
					check,
					standinUrl: standin.url,
					secretKey: CREDENTIAL.secretKey,
					tasksOnly: true,
				});
			}
			if (only.includes('polling')) {
				section('Stripe Events Polling Trigger: polls, 250 events, downtime, restarts');
				await runPollingFlow({ userFolder: folder('polling'), logs, standin, secretKey: CREDENTIAL.secretKey, check });
			}
			return;
		}
		check('package is installed in the user folder', fs.existsSync(path.join(withPackage, '.n8n', 'nodes', 'node_modules', PACKAGE, 'package.json')));

		// ---------------------------------------------------------------- start-up, without and with the package
		// A first start on a fresh folder includes the database migrations (several seconds); the second
		// ("warm") start shows the cost of loading the package itself.
		const timeStart = async (label: string, folder: string, log: string, keepRunning: boolean): Promise<N8nInstance | undefined> => {
			const inst = await startN8n(folder, log);
			timings[`start ${label}: /healthz`] = secs(inst.healthzMs);
			timings[`start ${label}: /healthz/readiness`] = secs(inst.readyMs);
			console.log(`${label}: /healthz after ${secs(inst.healthzMs)}, ready after ${secs(inst.readyMs)} (port ${inst.port})`);
			if (keepRunning) return inst;
			await stopN8n(inst);
			return undefined;
		};
		if (process.env.E2E_SKIP_BASELINE !== '1') {
			section('n8n start without the package');
			await timeStart('without package, fresh DB', baseline, path.join(logs, 'n8n-baseline-1.log'), false);
			await timeStart('without package, warm', baseline, path.join(logs, 'n8n-baseline-2.log'), false);
		}

		section('n8n start with the package');
		await timeStart('with package, fresh DB', withPackage, path.join(logs, 'n8n-with-package-1.log'), false);
		const serverLog = path.join(logs, 'n8n-with-package-2.log');
		server = await timeStart('with package, warm', withPackage, serverLog, true);
		if (!server) throw new Error('unreachable');
		await waitForTypesFile(withPackage);
		const nodeTypes = typesFile(withPackage, 'nodes').map((t) => t.name);
		const credTypes = typesFile(withPackage, 'credentials').map((t) => t.name);
		check(
			`n8n lists node type ${NODE_TYPE}`,
			nodeTypes.includes(NODE_TYPE),
			nodeTypes.filter((n) => n.startsWith(PACKAGE)),
		);
		// Every node the package declares (package.json n8n.nodes) is loaded by n8n.
		const declared = (JSON.parse(fs.readFileSync(path.join(REPO_ROOT_DIR, 'package.json'), 'utf8')).n8n.nodes as string[]).map((f) => {
			const cls = path.basename(f, '.node.js');
			return `${PACKAGE}.${cls[0].toLowerCase()}${cls.slice(1)}`;
		});
		const notLoaded = declared.filter((t) => !nodeTypes.includes(t));
		check(`n8n lists all ${declared.length} nodes of the package`, notLoaded.length === 0, notLoaded);
		check('n8n lists credential type stripeKeyApi', credTypes.includes('stripeKeyApi'));
		const editor = await fetch(`http://127.0.0.1:${server.port}/`)
			.then((r) => r.status)
			.catch(() => 0);
		check('editor UI answers on the server port', editor === 200, `HTTP ${editor}`);

		// ---------------------------------------------------------------- the editor, in headless Chromium
		if (process.env.E2E_SKIP_EDITOR === '1') {
			console.log('\n(editor smoke test skipped: E2E_SKIP_EDITOR=1)');
		} else {
			section('editor smoke test (headless Chromium)');
			const artifactsDir = process.env.E2E_ARTIFACTS_DIR || path.join(REPO_ROOT_DIR, 'test-artifacts', 'e2e');
			const balanceBefore = standin.requests.length;
			const ed = await runEditorSmoke({
				baseUrl: `http://127.0.0.1:${server.port}`,
				repoRoot: REPO_ROOT_DIR,
				artifactsDir,
				check,
				standinUrl: standin.url,
				secretKey: CREDENTIAL.secretKey,
			});
			const credTest = standin.requests.slice(balanceBefore).filter((r) => r.method === 'GET' && r.path === '/v1/balance');
			check(
				'editor: saving the credential tested it against the stand-in (GET /v1/balance -> 200, Bearer <key>)',
				credTest.length > 0 && credTest.every((r) => r.status === 200 && header(r, 'authorization') === `Bearer ${CREDENTIAL.secretKey}`),
				credTest.map((r) => `${r.method} ${r.path} -> ${r.status}`),
			);
			timings['editor smoke test (headless Chromium)'] = secs(ed.totalMs);
			if (ed.timings.length) {
				console.log('\nparameter panel of every node (add node in the node creator -> panel open with its fields):');
				console.log(timingsTable(ed.timings));
			}
			if (ed.largestPanel)
				console.log(
					`\nlargest operation panel (npm run sizes): ${ed.largestPanel.label}, ${ed.largestPanel.fields} properties: ${ed.largestPanel.ms === undefined ? 'did not render' : `${ed.largestPanel.ms} ms`} to render (budget 1 s)`,
				);
			const blocked = [...new Set(ed.blockedRequests)];
			if (blocked.length) console.log(`\nbrowser requests outside n8n, blocked: ${blocked.join(', ')}`);
			console.log(
				`output schemas n8n served to the editor for this package: ${ed.schemasServed.length}; schema requests answered 404 (operations without a schema): ${ed.schemaRequests}`,
			);
			console.log(`screenshots (${ed.screenshots.length} PNG): ${artifactsDir}`);
		}
		await stopN8n(server);
		server = undefined;
		const serverLogText = fs.readFileSync(path.join(logs, 'n8n-with-package-1.log'), 'utf8') + fs.readFileSync(serverLog, 'utf8');
		check('server log has no community package load errors', loadErrors(serverLogText).length === 0, loadErrors(serverLogText).join('\n'));
		check(
			'server log has no outbound-call errors (ENOTFOUND/ECONNREFUSED/EAI_AGAIN)',
			!/ENOTFOUND|EAI_AGAIN|ECONNREFUSED|getaddrinfo/.test(serverLogText),
			serverLogText
				.split('\n')
				.filter((l) => /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|getaddrinfo/.test(l))
				.slice(0, 5)
				.join('\n'),
		);

		// ---------------------------------------------------------------- seed the stand-in
		section('seed the stand-in');
		for (const i of [1, 2, 3]) await api(standin, 'POST', '/v1/customers', { email: `seed${i}@example.com`, name: `Seed ${i}` });
		const before = standin.requests.length;
		console.log(`3 customers created directly on account ${CREDENTIAL.stripeAccount}`);

		// ---------------------------------------------------------------- import + execute via the CLI
		section('import credential + workflow, execute headlessly');
		const cliLog = path.join(logs, 'n8n-cli.log');
		const credFile = path.join(work, 'credentials.json');
		fs.writeFileSync(
			credFile,
			JSON.stringify(
				[
					{
						id: CREDENTIAL.id,
						name: CREDENTIAL.name,
						type: CREDENTIAL.type,
						data: {
							secretKey: CREDENTIAL.secretKey,
							stripeAccount: CREDENTIAL.stripeAccount,
							apiVersion: CREDENTIAL.apiVersion,
							baseUrl: standin.url,
						},
					},
				],
				null,
				2,
			),
		);
		const workflow = JSON.parse(fs.readFileSync(WORKFLOW_FILE, 'utf8')) as { id: string; nodes: Array<{ name: string }> };
		const impCred = await n8nCli(withPackage, ['import:credentials', `--input=${credFile}`], cliLog);
		check('n8n import:credentials', impCred.code === 0, impCred.output.slice(-1500));
		const impWf = await n8nCli(withPackage, ['import:workflow', `--input=${WORKFLOW_FILE}`], cliLog);
		check('n8n import:workflow', impWf.code === 0, impWf.output.slice(-1500));
		const exec = await n8nCli(withPackage, ['execute', `--id=${workflow.id}`], cliLog, { N8N_LOG_LEVEL: 'debug' });
		timings['n8n execute (CLI, incl. its own boot)'] = secs(exec.ms);
		check('n8n execute exits 0', exec.code === 0, exec.output.slice(-3000));
		check('CLI log has no community package load errors', loadErrors(exec.output).length === 0, loadErrors(exec.output).join('\n'));
		check(
			'CLI log shows the package loaded',
			new RegExp(`(Loaded all credentials and nodes from|Lazy-loading nodes and credentials from) ${PACKAGE}`).test(exec.output),
		);

		// ---------------------------------------------------------------- the execution record
		section('execution record (SQLite)');
		const record = readLatestExecution(withPackage, workflow.id);
		if (!check('execution record exists', record !== undefined)) return;
		const rec = record!;
		check(`execution status is success (got ${rec.status}, mode ${rec.mode})`, rec.status === 'success' && rec.finished, rec.data.resultData.error);
		for (const n of workflow.nodes) {
			const runs = rec.data.resultData.runData[n.name];
			check(
				`node "${n.name}" ran without error`,
				Boolean(runs?.length) && !runs.some((r) => r.error),
				runs?.map((r) => r.error),
			);
		}
		const created = nodeOutput(rec, 'Create Customer') ?? [];
		const listed = nodeOutput(rec, 'List Customers') ?? [];
		const retrieved = nodeOutput(rec, 'Retrieve Customer') ?? [];
		const c = created[0] ?? {};
		const id = String(c.id ?? '');
		check('create: one customer item', created.length === 1, created);
		check('create: id cus_…, object customer, livemode false', /^cus_/.test(id) && c.object === 'customer' && c.livemode === false, c);
		check('create: email and name', c.email === 'e2e@example.com' && c.name === 'E2E Customer', c);
		check('create: metadata.source', (c.metadata as Record<string, unknown> | undefined)?.source === 'n8n-e2e', c.metadata);
		check(
			'list: 2 items (limit 2)',
			listed.length === 2,
			listed.map((x) => x.id),
		);
		check(
			'list: newest first (the created customer, then seed 3)',
			listed[0]?.id === id && listed[1]?.email === 'seed3@example.com',
			listed.map((x) => [x.id, x.email]),
		);
		check(
			'list: items are customer objects',
			listed.every((x) => x.object === 'customer'),
		);
		check(
			'retrieve: one item, the created customer',
			retrieved.length === 1 && retrieved[0]?.id === id && retrieved[0]?.email === 'e2e@example.com',
			retrieved,
		);

		// ---------------------------------------------------------------- what the stand-in saw
		section('requests received by the stand-in');
		const reqs = standin.requests.slice(before);
		for (const r of reqs) console.log(`  ${r.method} ${r.path}${r.rawQuery ? `?${r.rawQuery}` : ''} -> ${r.status}`);
		check(
			'exactly 3 API requests',
			reqs.length === 3,
			reqs.map((r) => `${r.method} ${r.path}`),
		);
		const [post, list, get] = reqs;
		check('1st: POST /v1/customers', post?.method === 'POST' && post.path === '/v1/customers');
		check('POST is form-encoded', /^application\/x-www-form-urlencoded/.test(header(post, 'content-type') ?? ''), header(post, 'content-type'));
		const body = (post?.body ?? {}) as Record<string, unknown>;
		check(
			'POST body: email, name, metadata[source] (bracket syntax)',
			body.email === 'e2e@example.com' &&
				body.name === 'E2E Customer' &&
				(body.metadata as Record<string, unknown>)?.source === 'n8n-e2e' &&
				/metadata\[source\]=n8n-e2e/.test(post.rawBody),
			post?.rawBody,
		);
		check('POST has an Idempotency-Key', Boolean(header(post, 'idempotency-key')), post?.headers);
		check(
			'2nd: GET /v1/customers?limit=2',
			list?.method === 'GET' && list.path === '/v1/customers' && list.query.limit === '2',
			list && `${list.method} ${list.path}?${list.rawQuery}`,
		);
		check(`3rd: GET /v1/customers/${id}`, get?.method === 'GET' && get.path === `/v1/customers/${id}`, get && `${get.method} ${get.path}`);
		check(
			'all requests answered 200',
			reqs.every((r) => r.status === 200),
			reqs.map((r) => r.status),
		);
		check(
			'all requests: Authorization: Bearer <secret key>',
			reqs.every((r) => header(r, 'authorization') === `Bearer ${CREDENTIAL.secretKey}`),
		);
		check(
			`all requests: Stripe-Version ${CREDENTIAL.apiVersion}`,
			reqs.every((r) => header(r, 'stripe-version') === CREDENTIAL.apiVersion),
			reqs.map((r) => header(r, 'stripe-version')),
		);
		check(
			`all requests: Stripe-Account ${CREDENTIAL.stripeAccount}`,
			reqs.every((r) => header(r, 'stripe-account') === CREDENTIAL.stripeAccount),
			reqs.map((r) => header(r, 'stripe-account')),
		);
		check(
			'GET requests carry no Idempotency-Key',
			[list, get].every((r) => r && !header(r, 'idempotency-key')),
		);

		// Fresh user folders with the same installed package (a copy of with-package's community-node folder).
		const freshFolder = (name: string) => {
			const folder = path.join(work, name);
			fs.cpSync(path.join(withPackage, '.n8n', 'nodes'), path.join(folder, '.n8n', 'nodes'), { recursive: true });
			return folder;
		};

		// ---------------------------------------------------------------- the trigger, in a running n8n
		section('Stripe Events Trigger: activation, deliveries, restart, deactivation');
		let t = Date.now();
		await runTriggerFlow({ userFolder: freshFolder('trigger'), logs, standin, secretKey: CREDENTIAL.secretKey, check });
		timings['trigger flow (2 n8n starts)'] = secs(Date.now() - t);

		// ---------------------------------------------------------------- the polling trigger, in a running n8n
		section('Stripe Events Polling Trigger: polls, 250 events, downtime, restarts');
		t = Date.now();
		await runPollingFlow({ userFolder: freshFolder('polling'), logs, standin, secretKey: CREDENTIAL.secretKey, check });
		timings['polling trigger flow (3 n8n starts, poll schedule)'] = secs(Date.now() - t);

		// ---------------------------------------------------------------- the example workflows
		section('example workflows: credit-grant reports');
		t = Date.now();
		await runExampleWorkflows({ userFolder: freshFolder('examples'), logs, repoRoot: REPO_ROOT_DIR, standin, secretKey: CREDENTIAL.secretKey, check });
		timings['example workflows'] = secs(Date.now() - t);

		// ---------------------------------------------------------------- pickers through n8n's REST API
		section('pickers: resource locator lists through n8n');
		t = Date.now();
		await runPickerFlow({ userFolder: freshFolder('pickers'), logs, standin, secretKey: CREDENTIAL.secretKey, check });
		timings['picker flow'] = secs(Date.now() - t);

		// ---------------------------------------------------------------- Return All in ranges (issue 25)
		section('Return All in parallel: the same output as one cursor');
		t = Date.now();
		await runParallelReturnAllFlow({ userFolder: freshFolder('returnall'), logs, standin, secretKey: CREDENTIAL.secretKey, check });
		timings['Return All flow'] = secs(Date.now() - t);

		// ---------------------------------------------------------------- a misbehaving server (issue 14)
		section('hostile server: redirect, null body, non-ASCII idempotency key');
		t = Date.now();
		await runHostileFlow({ userFolder: freshFolder('hostile'), work, logs, check });
		timings['hostile server flow'] = secs(Date.now() - t);

		// ---------------------------------------------------------------- workflows saved with 0.1.0 (Versioning)
		section('saved workflows: fixtures saved with 0.1.0, imported and run as they are');
		t = Date.now();
		await runSavedWorkflows({ userFolder: freshFolder('saved'), logs, check });
		timings['saved workflows'] = secs(Date.now() - t);
	} catch (e) {
		check('e2e run completed without an unexpected error', false, (e as Error).stack ?? String(e));
	} finally {
		if (server) await stopN8n(server);
		await standin.close();
		timings['e2e total (this script)'] = secs(Date.now() - t0);
		section('timings');
		for (const [k, v] of Object.entries(timings)) console.log(`  ${k.padEnd(56)} ${v}`);
		console.log(`\nlogs: ${logs} (removed after a passing run unless E2E_KEEP=1)`);
		if (failures.length) console.log(`failed: ${failures.join('; ')}`);
		console.log(`\n${passed} passed, ${failed} failed`);
		process.exitCode = failed === 0 && passed > 0 ? 0 : 1;
	}
}

void main();
