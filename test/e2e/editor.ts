/**
 * Editor smoke test: what a user sees in n8n's editor with this package installed, driven in headless Chromium
 * (playwright-core + the system's Chromium; no browser download).
 *
 *   1. creates the owner account (POST /rest/owner/setup) and signs in through the sign-in page;
 *   2. opens a new workflow, opens the node creator, searches "Stripe" and expects every node the package
 *      declares (package.json `n8n.nodes`, display names read from the built node classes);
 *   3. adds Stripe Billing, picks Resource "Credit Grant" and Operation "Create" in the dropdowns and expects the
 *      fields the node's description shows for that operation (computed from `new StripeBilling().description`);
 *   4. opens the "Stripe Key API" credential dialog from the node and expects the credential's fields; with a
 *      stand-in URL, fills in a key + API Base URL and saves it, which makes n8n test the credential;
 *   4b. before any run, the node after it shows Credit Grant › Create's output fields (schema preview); then, each
 *      node connected to the manual trigger only and executed in the editor against the stand-in: a checkout
 *      session through fields (mode, success URL, two line items with prices picked from the list, quantities;
 *      schema preview of the node after it before it runs) and a credit grant through fields only (customer from
 *      the list, amount, category, scope); each request compared with stripe-node 17.4.0's for the same
 *      parameters (sent by this process to the stand-in);
 *   4c. opens the largest operation panel (`npm run sizes`) through its action and reports its render time;
 *   5. adds every node of the package once and times how long its parameter panel takes to open (Resource and
 *      Operation rendered, or the node's default fields for nodes without resources), checks the Resource
 *      dropdown lists the node's resources, and that no error toast, "unknown node" message or browser error
 *      appears; prints a table of the timings (no timed assertions).
 *
 * Screenshots (PNG) go to the artifacts folder (default <repo>/test-artifacts/e2e).
 * Outbound requests of the browser (n8n's editor fetches registry.npmjs.org/<package> for community nodes) are
 * blocked and listed.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import type { INodeProperties } from 'n8n-workflow';
import type { Browser, Locator, Page } from 'playwright-core';

import { operationPanel } from '../support/panel';

import type { RecordedTask, Recording, SdkCall } from './recorder';
import { nodeOfTask, RECORD_DIR, recordingOf, writeRecordings, zonedUnixSeconds } from './recorder';

export type Check = (name: string, ok: boolean, detail?: unknown) => boolean;

export interface EditorSmokeOptions {
	/** n8n's base URL, e.g. http://127.0.0.1:5678 */
	baseUrl: string;
	repoRoot: string;
	artifactsDir: string;
	check: Check;
	/** The Stripe stand-in's URL; when set, the credential dialog saves a credential pointing at it. */
	standinUrl?: string;
	secretKey?: string;
	chromiumPath?: string;
	/** Only the no-code tasks and the recorded parameter sets (E2E_ONLY=editor): no largest panel, no per-node panels. */
	tasksOnly?: boolean;
}

/** The connected account the editor's credential names: the objects the editor creates stay apart from the other flows' ones. */
export const EDITOR_ACCOUNT = 'acct_1E2eEditorFields';

export interface PanelTiming {
	displayName: string;
	type: string;
	/** open the node creator, type the node's name -> the node is listed */
	searchMs?: number;
	/** click on the node in the search results -> its actions list (or node details) is shown */
	actionsMs?: number;
	/** click on the action / "Add to workflow" -> parameter panel open with its fields rendered */
	panelMs?: number;
	/** click on the Resource dropdown -> its options are listed */
	dropdownMs?: number;
	resources?: number;
	ok: boolean;
	note?: string;
}

export interface EditorSmokeResult {
	timings: PanelTiming[];
	screenshots: string[];
	blockedRequests: string[];
	/** output schemas (/schemas/<node>/<version>/<resource>/<operation>.json) n8n served for this package's nodes */
	schemasServed: string[];
	/** schema requests answered 404 (operations without a schema, or other packages' nodes) */
	schemaRequests: number;
	/** The largest operation panel (scripts/measure-descriptions.js): how long it took to render in the editor. */
	largestPanel?: { label: string; fields: number; ms?: number };
	totalMs: number;
}

const OWNER = { email: 'e2e-owner@example.com', firstName: 'E2E', lastName: 'Owner', password: 'E2e-Owner-Passw0rd' };
const CHROMIUM_ARGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-quic',
	'--no-first-run',
	'--disable-sync',
];
/** Texts n8n shows when a node's type or parameters cannot be loaded. */
const NODE_LOAD_PROBLEMS = [
	/is not currently installed/i,
	/Install this node to use it/i,
	/is an unknown node type/i,
	/as its type \(.*\) is unknown/i,
	/problem loading the parameters of the node/i,
	/Could not load node types/i,
];
/** Browser errors that are about loading nodes (as opposed to n8n's own unrelated console noise). */
const NODE_LOAD_ERROR = /n8n-nodes-stripe|unknown node|node type|could(?: not|n.t) load|not (?:currently )?installed|problem loading/i;
const VIEWPORT = { width: 1440, height: 900 };

// --------------------------------------------------------------------------------- what the package declares

interface NodeProperty {
	displayName: string;
	name: string;
	type: string;
	default?: unknown;
	required?: boolean;
	options?: Array<{ name: string; value?: unknown }>;
	displayOptions?: { show?: Record<string, unknown[]>; hide?: Record<string, unknown[]> };
}
export interface DeclaredNode {
	file: string;
	type: string;
	displayName: string;
	isTrigger: boolean;
	properties: NodeProperty[];
}

function loadClass(file: string): new () => { description: Record<string, unknown> } {
	const mod = require(file) as Record<string, unknown>;
	const base = path.basename(file).replace(/\.(node|credentials)\.js$/, '');
	const cls = (mod[base] ?? Object.values(mod).find((v) => typeof v === 'function')) as new () => Record<string, unknown>;
	return cls as unknown as new () => { description: Record<string, unknown> };
}

/** The nodes package.json declares (n8n.nodes), read from the built classes in dist/. */
export function declaredNodes(repoRoot: string): DeclaredNode[] {
	const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { name: string; n8n: { nodes: string[] } };
	return pkg.n8n.nodes.map((rel) => {
		const file = path.join(repoRoot, rel);
		const d = new (loadClass(file))().description as { displayName: string; name: string; group?: string[]; properties: NodeProperty[] };
		return { file, type: `${pkg.name}.${d.name}`, displayName: d.displayName, isTrigger: (d.group ?? []).includes('trigger'), properties: d.properties };
	});
}

export function declaredCredential(repoRoot: string): { displayName: string; fields: string[] } {
	const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { n8n: { credentials: string[] } };
	const file = path.join(repoRoot, pkg.n8n.credentials[0]);
	const cred = new (loadClass(file))() as unknown as { displayName: string; properties: NodeProperty[] };
	return { displayName: cred.displayName, fields: visibleLabels(cred.properties, {}) };
}

/**
 * Top-level properties n8n shows for the given parameter values (defaults for the others), following the
 * `show`/`hide` display options on other top-level parameters; the labels as n8n renders them.
 */
export function visibleLabels(props: NodeProperty[], values: Record<string, unknown>): string[] {
	const current: Record<string, unknown> = {};
	for (const p of props) if (!(p.name in current)) current[p.name] = p.default;
	Object.assign(current, values);
	const matches = (cond: unknown[], v: unknown) => cond.some((c) => JSON.stringify(c) === JSON.stringify(v));
	return props
		.filter((p) => {
			const d = p.displayOptions;
			if (!d) return true;
			for (const [k, cond] of Object.entries(d.show ?? {})) if (!k.startsWith('@') && !matches(cond, current[k])) return false;
			for (const [k, cond] of Object.entries(d.hide ?? {})) if (!k.startsWith('@') && matches(cond, current[k])) return false;
			return true;
		})
		.filter((p) => !['notice', 'hidden', 'callout', 'button'].includes(p.type))
		.map((p) => p.displayName)
		.filter((l, i, all) => all.indexOf(l) === i);
}

/** A request the stand-in recorded, as GET /__standin/requests answers it. */
interface StandinRequest {
	seq: number;
	method: string;
	path: string;
	rawQuery: string;
	rawBody: string;
	headers: Record<string, string | undefined>;
	status?: number;
}
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- stripe-node's client, used for two calls only
type StripeClient = any;

// --------------------------------------------------------------------------------- browser helpers

/**
 * The top-level field names of the schema view in the open node panel's input (in the browser): n8n renders
 * the schema in a virtual scroller with nested fields expanded, so the script scrolls it from top to bottom and
 * keeps the names at the outermost indentation.
 */
const TOP_LEVEL_SCHEMA_FIELDS = `(async () => {
	const panel = document.querySelector('[data-test-id=ndv] [data-test-id=ndv-input-panel]');
	if (!panel) return [];
	const seen = new Map();
	const read = () => {
		for (const item of panel.querySelectorAll('[data-test-id=run-data-schema-item]')) {
			const walker = document.createTreeWalker(item, NodeFilter.SHOW_TEXT, { acceptNode: (n) => (n.textContent.trim() ? 1 : 3) });
			const text = walker.nextNode();
			if (!text) continue;
			const range = document.createRange();
			range.selectNodeContents(text);
			const x = Math.round(range.getBoundingClientRect().left);
			seen.set(text.textContent.trim() + '@' + x, [text.textContent.trim(), x]);
		}
	};
	const scroller = [...panel.querySelectorAll('*')].find((e) => e.scrollHeight > e.clientHeight + 20 && getComputedStyle(e).overflowY !== 'visible');
	read();
	if (scroller) {
		scroller.scrollTop = 0;
		await new Promise((r) => setTimeout(r, 150));
		read();
		for (let i = 0; i < 300 && scroller.scrollTop + scroller.clientHeight < scroller.scrollHeight - 2; i++) {
			scroller.scrollTop += Math.max(50, scroller.clientHeight * 0.7);
			await new Promise((r) => setTimeout(r, 100));
			read();
		}
		scroller.scrollTop = 0;
	}
	const all = [...seen.values()];
	const left = Math.min(...all.map((a) => a[1]));
	return all.filter((a) => a[1] === left).map((a) => a[0]);
})()`;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Labels rendered inside a container (first line of each <label>, without the required marker). */
async function labelsIn(container: Locator): Promise<string[]> {
	const texts = await container.locator('label').allInnerTexts();
	return [
		...new Set(
			texts
				.map((t) =>
					t
						.split('\n')[0]
						.replace(/\s*\*\s*$/, '')
						.trim(),
				)
				.filter(Boolean),
		),
	];
}

async function problemTexts(page: Page): Promise<string[]> {
	const body = await page.locator('body').innerText();
	return NODE_LOAD_PROBLEMS.filter((re) => re.test(body)).map((re) => body.split('\n').find((l) => re.test(l)) ?? re.source);
}

interface Toast {
	text: string;
	error: boolean;
}
async function toasts(page: Page): Promise<Toast[]> {
	const list = page.locator('.el-notification:visible');
	const out: Toast[] = [];
	for (let i = 0; i < (await list.count()); i++) {
		const t = list.nth(i);
		const html = await t.innerHTML().catch(() => '');
		out.push({
			text: (await t.innerText().catch(() => '')).replace(/\s+/g, ' ').trim(),
			error: /--error|is-error|type-error/.test(html) || /\berror\b/i.test((await t.getAttribute('class')) ?? ''),
		});
	}
	return out;
}
async function dismissToasts(page: Page): Promise<void> {
	const closers = page.locator('.el-notification:visible .el-notification__closeBtn');
	for (let i = (await closers.count()) - 1; i >= 0; i--)
		await closers
			.nth(i)
			.click({ timeout: 2000 })
			.catch(() => undefined);
}

/** Picks an option (by its shown name) in the options dropdown of a node parameter. */
async function pickOption(page: Page, scope: Locator, param: string, label: string): Promise<void> {
	await scope.getByTestId(`parameter-input-${param}`).click();
	const option = page
		.locator('.el-select__popper:visible [data-test-id=parameter-input-item]')
		.filter({ has: page.locator('.option-headline').getByText(label, { exact: true }) });
	await option.first().click();
	await page
		.locator('.el-select__popper:visible')
		.first()
		.waitFor({ state: 'hidden', timeout: 5000 })
		.catch(() => undefined);
}

async function inputValue(scope: Locator, param: string): Promise<string> {
	return await scope
		.getByTestId(`parameter-input-${param}`)
		.locator('input')
		.first()
		.inputValue()
		.catch(() => '');
}

// --------------------------------------------------------------------------------- the test

export async function runEditorSmoke(opts: EditorSmokeOptions): Promise<EditorSmokeResult> {
	const { baseUrl, check } = opts;
	const started = Date.now();
	let lastMark = started;
	const mark = (label: string) => {
		if (process.env.E2E_EDITOR_TRACE) console.log(`  trace ${label}: ${Date.now() - lastMark} ms`);
		lastMark = Date.now();
	};
	const result: EditorSmokeResult = { timings: [], screenshots: [], blockedRequests: [], schemaRequests: 0, schemasServed: [], totalMs: 0 };
	/** The nodes whose stored parameters are recorded (recorder.ts), with the stripe-node call for each. */
	const tasks: RecordedTask[] = [];
	let lastCall: SdkCall | undefined;
	/** `action`: the action the node was added with, which names it on the canvas. */
	const recorded = (file: string, task: string, node: DeclaredNode, action: string, more: Partial<RecordedTask> = {}) =>
		tasks.push({ file, task, type: node.type, nodeName: action, stripeNode: lastCall!, executedInEditor: true, ...more });
	const chromiumPath = opts.chromiumPath ?? process.env.E2E_CHROMIUM ?? '/usr/bin/chromium';
	fs.rmSync(opts.artifactsDir, { recursive: true, force: true });
	fs.mkdirSync(path.join(opts.artifactsDir, 'panels'), { recursive: true });

	if (!check(`editor: Chromium at ${chromiumPath}`, fs.existsSync(chromiumPath), 'install it with: apt-get install -y chromium (or set E2E_CHROMIUM)'))
		return result;
	const nodes = declaredNodes(opts.repoRoot);
	const credential = declaredCredential(opts.repoRoot);

	// ---------------------------------------------------------------- owner account
	const setup = await fetch(`${baseUrl}/rest/owner/setup`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify(OWNER),
	});
	const setupBody = await setup.text();
	check('editor: owner account created (POST /rest/owner/setup)', setup.status === 200, `HTTP ${setup.status} ${setupBody.slice(0, 300)}`);

	mark('owner setup');

	const { chromium, selectors } = require('playwright-core') as typeof import('playwright-core');
	selectors.setTestIdAttribute('data-test-id');
	let browser: Browser | undefined;
	let phase = 'sign-in';
	const browserErrors: Array<{ phase: string; text: string }> = [];
	const httpErrors: Array<{ phase: string; text: string }> = [];
	const shot = async (page: Page, name: string, fullHeight?: number) => {
		const file = path.join(opts.artifactsDir, `${name}.png`);
		if (fullHeight) await page.setViewportSize({ width: VIEWPORT.width, height: fullHeight });
		await page.screenshot({ path: file });
		if (fullHeight) await page.setViewportSize(VIEWPORT);
		result.screenshots.push(file);
	};

	try {
		browser = await chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS, timeout: 60_000 });
		const context = await browser.newContext({ viewport: VIEWPORT, locale: 'en-US', timezoneId: 'UTC' });
		context.setDefaultTimeout(20_000);
		// Nothing leaves the machine: everything that is not n8n itself is blocked (and listed).
		await context.route(
			(url) => !url.href.startsWith(baseUrl) && !url.protocol.startsWith('data') && !url.protocol.startsWith('blob'),
			async (route) => {
				result.blockedRequests.push(route.request().url());
				await route.abort('blockedbyclient');
			},
		);
		const page = await context.newPage();
		mark('browser launch');
		page.on('pageerror', (e) => browserErrors.push({ phase, text: `page error: ${e.message}` }));
		page.on('console', (m) => {
			if (m.type() !== 'error') return;
			const from = m.location().url ?? '';
			// Blocked outbound requests and the editor's "am I logged in?" probe before signing in are expected.
			if (/ERR_BLOCKED_BY_CLIENT|ERR_FAILED/.test(m.text()) && from && !from.startsWith(baseUrl)) return;
			if (/net::ERR_BLOCKED_BY_CLIENT/.test(m.text())) return;
			if (phase === 'sign-in' && /status of 401/.test(m.text())) return;
			// Output schemas are optional: an operation without one is a 404 the editor expects.
			if (/status of 404/.test(m.text()) && from.startsWith(`${baseUrl}/schemas/`)) return;
			browserErrors.push({ phase, text: `console: ${m.text().slice(0, 500)}${from ? ` (${from})` : ''}` });
		});
		page.on('response', (r) => {
			if (r.status() === 200 && r.url().startsWith(`${baseUrl}/schemas/n8n-nodes-stripe.`)) result.schemasServed.push(r.url().slice(baseUrl.length));
			if (r.status() === 404 && r.url().startsWith(`${baseUrl}/schemas/`)) {
				result.schemaRequests++;
				return;
			}
			if (r.status() >= 400 && r.url().startsWith(baseUrl) && !(phase === 'sign-in' && r.status() === 401)) {
				httpErrors.push({ phase, text: `${r.request().method()} ${r.url().slice(baseUrl.length)} -> ${r.status()}` });
			}
		});

		// ---------------------------------------------------------------- sign in, new workflow
		// The first load compiles nothing but fetches the whole editor bundle: slow on a loaded 2-core machine.
		await page.goto(`${baseUrl}/signin`, { timeout: 120_000 });
		await page.locator('#emailOrLdapLoginId').fill(OWNER.email);
		await page.locator('#password').fill(OWNER.password);
		await page.getByRole('button', { name: 'Sign in' }).click();
		const signedIn = await page
			.waitForURL((u) => !u.pathname.startsWith('/signin'), { timeout: 20_000 })
			.then(() => true)
			.catch(() => false);
		check('editor: signs in through the sign-in page', signedIn, page.url());
		if (!signedIn) {
			await shot(page, '00-signin-failed');
			return result;
		}
		phase = 'new workflow';
		mark('sign-in');
		// A fresh instance greets the owner with "Build a workflow"; otherwise open /workflow/new directly.
		const buildCard = page.getByTestId('new-workflow-card');
		if (
			await buildCard.waitFor({ timeout: 10_000 }).then(
				() => true,
				() => false,
			)
		)
			await buildCard.click();
		else await page.goto(`${baseUrl}/workflow/new`);
		const canvasReady = await page
			.getByTestId('canvas-add-button')
			.waitFor({ timeout: 30_000 })
			.then(() => true)
			.catch(() => false);
		check('editor: a new workflow opens in the editor', canvasReady, page.url());
		await shot(page, '01-new-workflow');
		if (!canvasReady) return result;

		// ---------------------------------------------------------------- node creator: search "Stripe"
		mark('new workflow');
		phase = 'node creator';
		await page.getByTestId('node-creator-plus-button').click();
		const search = page.getByTestId('node-creator-search-bar');
		await search.fill('Stripe');
		const expectedNames = nodes.map((n) => n.displayName);
		let listed: string[] = [];
		const deadline = Date.now() + 10_000;
		do {
			listed = (await page.getByTestId('node-creator-item-name').allInnerTexts()).map((t) => t.trim());
			if (expectedNames.every((n) => listed.includes(n))) break;
			await sleep(200);
		} while (Date.now() < deadline);
		const missing = expectedNames.filter((n) => !listed.includes(n));
		check(`editor: node creator search "Stripe" lists all ${expectedNames.length} nodes of the package`, missing.length === 0, { missing, listed });
		await shot(page, '02-node-creator-search-stripe', 2100);

		// ---------------------------------------------------------------- Stripe Billing > Credit Grant > Create
		mark('node creator search');
		phase = 'Stripe Billing';
		const billing = nodes.find((n) => n.type.endsWith('.stripeBilling'));
		const ndv = page.getByTestId('ndv');
		if (check('editor: package declares Stripe Billing', Boolean(billing))) {
			const opened = await addNode(page, billing!);
			if (check('editor: Stripe Billing parameter panel opens', opened.ok, opened.note)) {
				await pickOption(page, ndv, 'resource', 'Credit Grant');
				await pickOption(page, ndv, 'operation', 'Create');
				const expected = visibleLabels(billing!.properties, { resource: 'creditGrant', operation: 'create' }).filter(
					(l) => l !== 'Resource' && l !== 'Operation',
				);
				let shown: string[] = [];
				const until = Date.now() + 5000;
				do {
					shown = await labelsIn(ndv.getByTestId('node-parameters'));
					if (expected.every((l) => shown.includes(l))) break;
					await sleep(100);
				} while (Date.now() < until);
				const res = await inputValue(ndv, 'resource');
				const op = await inputValue(ndv, 'operation');
				check('editor: Stripe Billing: Resource "Credit Grant", Operation "Create" picked', res === 'Credit Grant' && op === 'Create', {
					resource: res,
					operation: op,
				});
				const absent = expected.filter((l) => !shown.includes(l));
				check(`editor: Stripe Billing › Credit Grant › Create shows ${expected.join(', ')}`, absent.length === 0, { missing: absent, shown });
				await shot(page, '03-stripe-billing-credit-grant-create');

				// ---------------------------------------------------------------- credential dialog
				mark('billing credit grant');
				phase = 'credential dialog';
				await ndv.getByTestId('node-credentials-empty-state').click();
				const dialog = page.getByTestId('editCredential-modal');
				const dialogOpen = await dialog
					.getByTestId('credential-edit-dialog')
					.waitFor({ timeout: 15_000 })
					.then(() => true)
					.catch(() => false);
				if (
					check(
						`editor: credential dialog "${credential.displayName}" opens from the node`,
						dialogOpen && (await dialog.innerText()).includes(credential.displayName),
					)
				) {
					let fields: string[] = [];
					const until2 = Date.now() + 5000;
					do {
						fields = await labelsIn(dialog);
						if (credential.fields.every((f) => fields.includes(f))) break;
						await sleep(100);
					} while (Date.now() < until2);
					const absentFields = credential.fields.filter((f) => !fields.includes(f));
					check(`editor: credential dialog shows ${credential.fields.join(', ')}`, absentFields.length === 0, { missing: absentFields, shown: fields });
					await shot(page, '04-credential-stripe-key-api');
					if (opts.standinUrl && opts.secretKey) {
						await dialog.getByTestId('parameter-input-secretKey').locator('input').fill(opts.secretKey);
						await dialog.getByTestId('parameter-input-baseUrl').locator('input').fill(opts.standinUrl);
						await dialog.getByTestId('parameter-input-stripeAccount').locator('input').fill(EDITOR_ACCOUNT);
						await shot(page, '05-credential-filled-in-for-the-stand-in');
						await dialog.getByTestId('credential-save-button').click();
						// Saving tests the credential (GET /v1/balance on the stand-in). On success n8n closes the
						// dialog (opened from a node) and selects the new credential in the node; on failure the
						// dialog stays open with "Couldn't connect with these settings".
						const success = dialog.getByText('Connection tested successfully');
						const failure = dialog.getByText(/couldn.t connect/i);
						const outcome = await Promise.race([
							dialog.waitFor({ state: 'hidden', timeout: 20_000 }).then(() => 'closed'),
							success.waitFor({ timeout: 20_000 }).then(() => 'success'),
							failure.waitFor({ timeout: 20_000 }).then(() => 'failure'),
						]).catch(() => 'timeout');
						mark(`credential save -> ${outcome}`);
						if (outcome === 'success') await dialog.waitFor({ state: 'hidden', timeout: 10_000 }).catch(() => undefined);
						const selected = await ndv
							.getByTestId('node-credentials-select')
							.locator('input')
							.first()
							.inputValue()
							.catch(() => '');
						const saved = (outcome === 'closed' || outcome === 'success') && /Stripe Key/.test(selected);
						const dialogText = saved ? '' : (await dialog.innerText({ timeout: 2000 }).catch(() => '')).slice(0, 600);
						check('editor: credential saved (tested against the stand-in) and selected in the node', saved, { outcome, selected, dialog: dialogText });
						await shot(page, '06-credential-saved-and-selected-in-node');
					}
				}
				mark('credential checks');
				await closeCredentialDialog(page);
			}
			phase = 'Stripe Billing';
			await closeNdv(page);

			// ---------------------------------------------------------------- output schema, before any run
			// A node added after Stripe Billing (Credit Grant › Create), which has never run: its input panel
			// shows the schema preview n8n builds from the package's output schema
			// (dist/nodes/StripeBilling/__schema__/v1.0.0/creditGrant/create.json).
			mark('billing closed');
			phase = 'schema preview';
			const preview = await schemaPreview(page, ['amount', 'applicability_config', 'expires_at', 'voided_at']);
			check(
				"editor: before any run, the node after Stripe Billing › Credit Grant › Create shows its output fields (schema preview from the package's __schema__)",
				preview.ok,
				preview,
			);
			check(
				'editor: n8n served the output schema of Stripe Billing › Credit Grant › Create',
				result.schemasServed.some((u) => /^\/schemas\/n8n-nodes-stripe\.stripeBilling\/1\.1\.0\/creditGrant\/create\.json/.test(u)),
				result.schemasServed,
			);
			await shot(page, '03b-schema-preview-credit-grant-create');
			await closeNdv(page);

			if (opts.standinUrl && opts.secretKey) await throughFields(page, billing!);
		}

		if (opts.tasksOnly) return result;
		// ---------------------------------------------------------------- the largest operation panel, timed
		mark('credential');
		phase = 'largest panel';
		await largestPanel(page);

		// ---------------------------------------------------------------- every node's panel, timed
		mark('largest panel');
		for (const [i, node] of nodes.entries()) {
			phase = node.displayName;
			const tStep = Date.now();
			const t = await addNode(page, node);
			const tAdded = Date.now();
			const problems = await problemTexts(page);
			const errToasts = (await toasts(page)).filter((x) => x.error);
			const errs = browserErrors.filter((e) => e.phase === phase);
			const ok = t.ok && problems.length === 0 && errToasts.length === 0 && errs.length === 0;
			t.ok = ok;
			if (!ok) t.note = [t.note, ...problems, ...errToasts.map((x) => `toast: ${x.text}`), ...errs.map((e) => e.text)].filter(Boolean).join('; ');
			const declaredResources = node.properties.find((p) => p.name === 'resource')?.options?.length;
			const what =
				declaredResources === undefined ? 'its fields' : `Resource (${declaredResources} resource${declaredResources === 1 ? '' : 's'}) and Operation`;
			check(`editor: ${node.displayName} parameter panel opens with ${what}, no errors`, ok, t.note);
			await shot(page, `panels/${String(i + 1).padStart(2, '0')}-${node.type.split('.').pop()}`);
			result.timings.push(t);
			const tShot = Date.now();
			await dismissToasts(page);
			await closeNdv(page);
			if (process.env.E2E_EDITOR_TRACE)
				console.log(`  trace ${node.displayName}: add ${tAdded - tStep} ms, checks+shot ${tShot - tAdded} ms, close ${Date.now() - tShot} ms`);
		}

		phase = 'canvas';
		mark('panels');
		await page
			.getByTestId('tidy-up-button')
			.click()
			.catch(() => undefined);
		await sleep(300);
		await page
			.getByTestId('zoom-to-fit')
			.click()
			.catch(() => undefined);
		await sleep(500);
		const onCanvas = await page.getByTestId('canvas-node').count();
		check(`editor: canvas shows the ${nodes.length + 1} added nodes`, onCanvas >= nodes.length + 1, `${onCanvas} nodes on the canvas`);
		await shot(page, '07-canvas-all-nodes');

		// Outside the node panels, n8n's own console noise is listed but only errors about loading nodes count.
		const outside = browserErrors.filter((e) => !nodes.some((n) => n.displayName === e.phase));
		const loadRelated = outside.filter((e) => NODE_LOAD_ERROR.test(e.text));
		check(
			'editor: no node-loading errors in the browser (page errors, console errors)',
			loadRelated.length === 0,
			loadRelated.map((e) => `[${e.phase}] ${e.text}`).join('\n'),
		);
		const other = outside.filter((e) => !loadRelated.includes(e));
		if (other.length)
			console.log(
				`  browser errors outside the node panels, not about this package (not counted):\n${other.map((e) => `    [${e.phase}] ${e.text.split('\n')[0].slice(0, 300)}`).join('\n')}`,
			);
		if (httpErrors.length) console.log(`  n8n answered with errors to the editor:\n${httpErrors.map((e) => `    [${e.phase}] ${e.text}`).join('\n')}`);
	} catch (e) {
		check('editor: smoke test completed without an unexpected error', false, (e as Error).stack ?? String(e));
		const page = browser?.contexts()[0]?.pages()[0];
		if (page) await shot(page, '99-failure').catch(() => undefined);
	} finally {
		await browser?.close().catch(() => undefined);
		result.totalMs = Date.now() - started;
	}
	return result;

	// ---------------------------------------------------------------- no-code tasks through the fields, executed
	/**
	 * Two tasks a user does by clicking, each executed in the editor against the stand-in and its request
	 * compared with what stripe-node 17.4.0 sends for the same parameters:
	 *   - Stripe Checkout › Checkout Session › Create: mode, success URL, two line items, each price picked from
	 *     the list (the resource locator's list search, served by the stand-in's prices) and a quantity; before it
	 *     runs, the schema view of the node after it shows the session's output fields;
	 *   - Stripe Billing › Credit Grant › Create: customer picked from the list, an amount of 10 USD (type,
	 *     currency, value 1000, whose field n8n serves saying "1000 = 10.00 USD"), category and applicability
	 *     scope, all through fields.
	 * Each node is connected to the manual trigger only, so executing it runs nothing else.
	 */
	async function throughFields(page: Page, billing: DeclaredNode): Promise<void> {
		const checkoutNode = nodes.find((n) => n.type.endsWith('.stripeCheckout'));
		if (!check('editor: package declares Stripe Checkout', Boolean(checkoutNode))) return;
		const ndv = page.getByTestId('ndv');
		phase = 'seed the stand-in';
		const product = await standinApi('POST', '/v1/products', { name: 'E2E plan' });
		const basic = await standinApi('POST', '/v1/prices', { currency: 'usd', unit_amount: '1500', product: String(product.id), nickname: 'Basic monthly' });
		const addon = await standinApi('POST', '/v1/prices', { currency: 'usd', unit_amount: '500', product: String(product.id), nickname: 'Add-on' });
		const ada = await standinApi('POST', '/v1/customers', { name: 'Ada Lovelace', email: 'ada@example.com' });

		// ---------------------------------------------------------------- checkout session
		phase = 'checkout session through fields';
		await selectTrigger(page);
		const added = await addNode(page, checkoutNode!, 'Create a checkout session');
		if (!check('editor: Stripe Checkout › Create a checkout session: parameter panel opens', added.ok, added.note)) return;
		const res = await inputValue(ndv, 'resource');
		const op = await inputValue(ndv, 'operation');
		check('editor: the action sets Resource "Checkout Session", Operation "Create"', res === 'Checkout Session' && op === 'Create', { res, op });
		await pickOption(page, ndv, 'mode', 'Payment');
		const lineItems = ndv.getByTestId('fixed-collection-line_items');
		const picks = [
			{ price: basic, label: 'E2E plan · Basic monthly — 15.00 USD', quantity: 2 },
			{ price: addon, label: 'E2E plan · Add-on — 5.00 USD', quantity: 1 },
		];
		for (const [i, p] of picks.entries()) {
			await lineItems.getByRole('button', { name: 'Add Line Item' }).click();
			await lineItems.getByTestId('rlc-input').nth(i).waitFor();
			// Found by its product's name, typed into the list's search (issue 20: "prices picked by product name").
			await pickFromList(page, lineItems.getByTestId('rlc-input').nth(i), p.label, 'E2E plan');
			await lineItems.getByTestId('parameter-input-quantity').nth(i).locator('input').first().fill(String(p.quantity));
		}
		const successUrl = 'https://example.com/thanks?session={CHECKOUT_SESSION_ID}';
		await ndv.getByTestId('parameter-input-success_url').locator('input').first().fill(successUrl);
		await page.keyboard.press('Tab');
		const shownPrices = await lineItems.getByTestId('rlc-input').evaluateAll((es) => es.map((e) => (e as unknown as { value: string }).value));
		check(
			'editor: checkout session: two line items, each price found by its product\'s name and picked from the list ("product · nickname — amount")',
			JSON.stringify(shownPrices) === JSON.stringify(picks.map((p) => p.label)),
			shownPrices,
		);
		await ndv.getByTestId('node-parameters').evaluate((e) => e.scrollTo(0, 0));
		await shot(page, '08-checkout-session-create-fields', 1500);

		// Before any run: the node after it shows the session's output fields (the package's output schema).
		await closeNdv(page);
		phase = 'checkout schema preview';
		const preview = await schemaPreview(page, ['id', 'url', 'status', 'mode', 'line_items']);
		check(
			"editor: before any run, the node after a new Stripe Checkout › Create a checkout session shows its output fields (id, url, status, mode, line_items) from the package's output schema",
			preview.ok,
			preview,
		);
		check(
			'editor: n8n served the output schema of Stripe Checkout › Checkout Session › Create',
			result.schemasServed.some((u) => /^\/schemas\/n8n-nodes-stripe\.stripeCheckout\/1\.1\.0\/session\/create\.json/.test(u)),
			result.schemasServed,
		);
		await shot(page, '09-schema-preview-checkout-session-create');
		await closeNdv(page);

		phase = 'checkout session executed';
		await openCanvasNode(page, 'Create a checkout session');
		const { out, reqs: ours } = await executeCapturing(page, '/v1/checkout/sessions');
		const created = (await standinApi('GET', '/v1/checkout/sessions?limit=1')).data as Array<Record<string, unknown>>;
		const shownSession = out.ok ? await outputShowing(page, String(created[0]?.url)) : out.text;
		check(
			'editor: checkout session executed in the editor: one POST /v1/checkout/sessions, the new session (cs_test_…, open, its URL) in the output',
			ours.length === 1 &&
				ours[0].method === 'POST' &&
				ours[0].status === 200 &&
				out.ok &&
				/^cs_test_/.test(String(created[0]?.id)) &&
				created[0]?.status === 'open' &&
				shownSession.includes(String(created[0]?.id)) &&
				shownSession.includes(String(created[0]?.url)),
			{ requests: ours.map((r) => `${r.method} ${r.path} -> ${r.status}`), created: created[0], output: shownSession.slice(0, 600) },
		);
		await showOutputAsJson(page);
		await shot(page, '10-checkout-session-create-output', 1500);
		await sameAsStripeNode('checkout session (mode, success URL, two line items from the list)', ours[0], {
			method: 'checkout.sessions.create',
			args: [
				{
					line_items: [
						{ price: String(basic.id), quantity: 2 },
						{ price: String(addon.id), quantity: 1 },
					],
					mode: 'payment',
					success_url: successUrl,
					ui_mode: 'hosted',
				},
			],
		});
		recorded(
			'checkout-session-create',
			'Create a checkout session: mode, success URL, two line items with prices picked from the list',
			checkoutNode!,
			'Create a checkout session',
		);
		await closeNdv(page);

		// ---------------------------------------------------------------- credit grant
		phase = 'credit grant through fields';
		await selectTrigger(page);
		const grant = await addNode(page, billing, 'Create a credit grant');
		if (!check('editor: Stripe Billing › Create a credit grant: parameter panel opens', grant.ok, grant.note)) return;
		// Node version 1.1: Amount and Applicability Config (required objects) are open when the operation is
		// chosen, their required members there with the hint "Required", nothing to add first.
		const amount = ndv
			.getByTestId('parameter-item')
			.filter({ has: page.getByTestId('fixed-collection-monetary') })
			.first();
		const scope = ndv
			.getByTestId('parameter-item')
			.filter({ has: page.getByTestId('fixed-collection-scope') })
			.first();
		const openUpFront = {
			currency: await amount.getByTestId('parameter-input-currency').isVisible(),
			value: await amount.getByTestId('parameter-input-value').isVisible(),
			type: await inputValue(amount, 'type'),
			priceType: await inputValue(scope, 'price_type'),
			requiredHints: await ndv.getByTestId('node-parameters').getByText('Required', { exact: true }).count(),
			addButtons: await ndv.getByRole('button', { name: /^Add (Amount|Monetary|Applicability Config|Scope)$/ }).count(),
		};
		check(
			'editor: a new Stripe Billing node (version 1.1), Create a credit grant: Amount (Monetary › Currency, Value; Type) and Applicability Config (Scope › Price Type) are open up front, their required fields hinted "Required", no "Add …" click needed',
			openUpFront.currency &&
				openUpFront.value &&
				openUpFront.type === 'Monetary' &&
				openUpFront.priceType !== '' &&
				openUpFront.requiredHints >= 4 &&
				openUpFront.addButtons === 0,
			openUpFront,
		);
		await shot(page, '11a-credit-grant-create-open-up-front', 1500);
		await amount.getByTestId('parameter-input-currency').locator('input').first().fill('usd');
		// A credit grant of 10 USD: the Value field says to type 1000 (the smallest currency unit).
		await amount.getByTestId('parameter-input-value').locator('input').first().fill('1000');
		await page.keyboard.press('Tab');
		await pickOption(page, scope, 'price_type', 'Metered (Usage-Based)');
		await pickOption(page, ndv, 'category', 'Paid');
		await pickFromList(page, ndv.getByTestId('resource-locator-customer').getByTestId('rlc-input'), 'Ada Lovelace <ada@example.com>');
		const customerShown = await ndv.getByTestId('resource-locator-customer').getByTestId('rlc-input').inputValue();
		const jsonFields = await ndv.getByTestId('node-parameters').locator('.cm-editor').count();
		check(
			'editor: credit grant: customer picked from the list, amount, category and scope filled in through fields (no JSON editor in the panel)',
			customerShown === 'Ada Lovelace <ada@example.com>' && jsonFields === 0,
			{ customerShown, jsonFields },
		);
		const valueHelp = await servedDescription(page, 'stripeBilling', 'creditGrant', 'create', ['amount', 'monetary', 'value']);
		check(
			'editor: credit grant: the Value field n8n serves to the editor says what to type ("Amount in the smallest currency unit: 1000 = 10.00 USD")',
			/Amount in the smallest currency unit: 1000 = 10\.00 USD/.test(valueHelp ?? ''),
			{ description: valueHelp },
		);
		await shot(page, '11-credit-grant-create-fields', 1500);
		const { out: out2, reqs: grantReqs } = await executeCapturing(page, '/v1/billing/credit_grants');
		const grants = (await standinApi('GET', '/v1/billing/credit_grants?limit=1')).data as Array<Record<string, unknown>>;
		const shownGrant = out2.ok ? await outputShowing(page, String(grants[0]?.id)) : out2.text;
		check(
			'editor: credit grant executed in the editor: one POST /v1/billing/credit_grants, the new grant in the output',
			grantReqs.length === 1 && grantReqs[0].method === 'POST' && grantReqs[0].status === 200 && out2.ok && shownGrant.includes(String(grants[0]?.id)),
			{ requests: grantReqs.map((r) => `${r.method} ${r.path} -> ${r.status}`), output: shownGrant.slice(0, 600) },
		);
		await showOutputAsJson(page);
		await shot(page, '12-credit-grant-create-output', 1500);
		await sameAsStripeNode('credit grant (customer from the list, amount, category, scope)', grantReqs[0], {
			method: 'billing.creditGrants.create',
			args: [
				{
					amount: { monetary: { currency: 'usd', value: 1000 }, type: 'monetary' },
					applicability_config: { scope: { price_type: 'metered' } },
					category: 'paid',
					customer: String(ada.id),
				},
			],
		});
		recorded('credit-grant-create', 'Create a credit grant of 10 USD: customer from the list, amount, category, scope', billing, 'Create a credit grant');
		await closeNdv(page);

		// ---------------------------------------------------------------- a subscription's item quantity changed
		phase = 'subscription item quantity through fields';
		const monthly = await standinApi('POST', '/v1/prices', {
			currency: 'usd',
			unit_amount: '2500',
			product: String(product.id),
			nickname: 'Pro monthly',
			'recurring[interval]': 'month',
		});
		const sub = await standinApi('POST', '/v1/subscriptions', { customer: String(ada.id), 'items[0][price]': String(monthly.id), 'items[0][quantity]': '1' });
		const item = String(((sub.items as { data: Array<{ id: string }> }).data[0] ?? {}).id);
		await selectTrigger(page);
		const upd = await addNode(page, billing, 'Update a subscription');
		if (!check('editor: Stripe Billing › Update a subscription: parameter panel opens', upd.ok, upd.note)) return;
		await pickFromList(
			page,
			ndv.getByTestId('resource-locator-subscription_exposed_id').getByTestId('rlc-input'),
			'Ada Lovelace <ada@example.com> · active · Pro monthly — 25.00 USD / month',
		);
		const items = ndv.getByTestId('fixed-collection-items');
		await items.getByRole('button', { name: 'Add Item' }).click();
		const itemLabel = 'E2E plan · Pro monthly — 25.00 USD / month · quantity 1';
		await pickFromList(page, items.getByTestId('resource-locator-id').getByTestId('rlc-input'), itemLabel);
		await items.getByTestId('parameter-input-quantity').locator('input').first().fill('3');
		await page.keyboard.press('Tab');
		const itemShown = await items.getByTestId('resource-locator-id').getByTestId('rlc-input').inputValue();
		const itemsJson = await items.locator('.cm-editor').count();
		check(
			"editor: subscription update: the subscription and its item picked from lists (customer, plan; the item's product, price, quantity), Quantity typed — no JSON",
			itemShown === itemLabel && itemsJson === 0,
			{ itemShown, itemsJson },
		);
		await shot(page, '14-subscription-item-quantity-fields', 1500);
		const { out: out3, reqs: subReqs } = await executeCapturing(page, `/v1/subscriptions/${String(sub.id)}`);
		const after = await standinApi('GET', `/v1/subscriptions/${String(sub.id)}`);
		const quantity = (after.items as { data: Array<{ quantity: number }> }).data[0]?.quantity;
		check(
			'editor: subscription update executed in the editor: one POST /v1/subscriptions/…, the item now has quantity 3',
			subReqs.length === 1 && subReqs[0].method === 'POST' && subReqs[0].status === 200 && out3.ok && quantity === 3,
			{ requests: subReqs.map((r) => `${r.method} ${r.path} -> ${r.status}`), quantity, output: out3.text.slice(0, 400) },
		);
		await showOutputAsJson(page);
		await shot(page, '15-subscription-item-quantity-output', 1500);
		await sameAsStripeNode("subscription update (an item's quantity, item picked from the list)", subReqs[0], {
			method: 'subscriptions.update',
			args: [String(sub.id), { items: [{ id: item, quantity: 3 }] }],
		});
		recorded(
			'subscription-update-item-quantity',
			"Change a subscription's item quantity: subscription and item picked from lists, quantity 3",
			billing,
			'Update a subscription',
		);
		await closeNdv(page);

		// ---------------------------------------------------------------- a partial refund
		phase = 'partial refund through fields';
		const coreNode = nodes.find((n) => n.type.endsWith('.stripeCore'));
		if (!check('editor: package declares Stripe Core', Boolean(coreNode))) return;
		const pi = await standinApi('POST', '/v1/payment_intents', { amount: '2000', currency: 'usd', description: 'E2E order 42' });
		await selectTrigger(page);
		const refund = await addNode(page, coreNode!, 'Create a refund');
		if (!check('editor: Stripe Core › Create a refund: parameter panel opens', refund.ok, refund.note)) return;
		await pickFromList(page, ndv.getByTestId('resource-locator-payment_intent').getByTestId('rlc-input'), '20.00 USD · requires_payment_method · E2E order 42');
		await ndv.getByTestId('parameter-input-amount').locator('input').first().fill('500');
		await page.keyboard.press('Tab');
		await shot(page, '16-partial-refund-fields', 1500);
		const { out: out4, reqs: refundReqs } = await executeCapturing(page, '/v1/refunds');
		const refunds = (await standinApi('GET', '/v1/refunds?limit=1')).data as Array<Record<string, unknown>>;
		check(
			'editor: partial refund executed in the editor: one POST /v1/refunds of 500 (5.00 USD) of the payment intent picked from the list',
			refundReqs.length === 1 && refundReqs[0].status === 200 && out4.ok && refunds[0]?.amount === 500 && refunds[0]?.payment_intent === pi.id,
			{ requests: refundReqs.map((r) => `${r.method} ${r.path} -> ${r.status}`), refund: refunds[0], output: out4.text.slice(0, 400) },
		);
		await shot(page, '17-partial-refund-output', 1500);
		await sameAsStripeNode('partial refund (payment intent from the list, amount)', refundReqs[0], {
			method: 'refunds.create',
			args: [{ amount: 500, payment_intent: String(pi.id) }],
		});
		recorded('refund-create-partial', 'A partial refund: payment intent picked from the list, amount 500', coreNode!, 'Create a refund');
		await closeNdv(page);

		// Each of these records what it managed to fill even if another stops on an unexpected error.
		await subscriptionWithTrial(page, billing, String(ada.id), String(monthly.id)).catch(async (e: Error) => {
			check('editor: subscription with a trial end picked as a date, through fields', false, e.message.split('\n')[0]);
			await shot(page, '98-failed-subscription-trial').catch(() => undefined);
			await closeNdv(page).catch(() => undefined);
		});
		await recordedOnly(page, coreNode!, String(basic.id));
		await saveAndRecord(page);
		// Issue 24, point 6: search by fields, Find or Create and a Custom API Call; each recorded as failed on its own.
		for (const [what, task] of [
			['search customers by email through the Conditions fields', () => searchByConditions(page, coreNode!)],
			['Find or Create a customer by email, run twice', () => findOrCreateTwice(page, coreNode!)],
			['a version 1 credit grant, saved as the editor stored it, opens with its values', () => version1CreditGrant(page, String(ada.id))],
			['Custom API Call to an endpoint without an operation, through fields', () => customApiCall(page, coreNode!)],
			// After the recording: the nodes it adds are not recorded tasks.
			["Add Field lists the open operation's fields only (shared collections)", () => addFieldLists(page)],
		] as const) {
			await task().catch(async (e: Error) => {
				check(`editor: ${what}`, false, e.message.split('\n')[0]);
				await shot(page, `97-failed-${what.split(' ').slice(0, 3).join('-').toLowerCase()}`).catch(() => undefined);
				await closeNdv(page).catch(() => undefined);
			});
		}
	}

	// ---------------------------------------------------------------- issue 20: a node of version 1
	/**
	 * A Stripe Billing node of version 1 (before required objects started open), with the parameters the editor
	 * stored for it then (test/fixtures/editor-recorded/credit-grant-create-v1.json: Amount and Applicability
	 * Config as fixed collections, `{values: {...}}`), put into a workflow through n8n's REST API and opened in
	 * the editor: Amount shows its Currency and Value; executed there, its request equals stripe-node's.
	 */
	async function version1CreditGrant(page: Page, customer: string): Promise<void> {
		phase = 'a version 1 credit grant opens with its values';
		const ndv = page.getByTestId('ndv');
		const fixture = JSON.parse(fs.readFileSync(path.join(opts.repoRoot, RECORD_DIR, 'credit-grant-create-v1.json'), 'utf8')) as Recording;
		const credentials = ((await restSend(page, 'GET', '/rest/credentials')) as { data: Array<{ id: string; name: string; type: string }> }).data;
		const credential = credentials.find((c) => c.type === 'stripeKeyApi');
		const name = 'Credit grant saved with version 1';
		const parameters = { ...fixture.node.parameters, customer: { ...(fixture.node.parameters.customer as object), value: customer } };
		const created = (await restSend(page, 'POST', '/rest/workflows', {
			name: 'Issue 20: a credit grant saved with node version 1',
			nodes: [
				{ id: 'v1-trigger', name: 'Manual', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
				{
					id: 'v1-grant',
					name,
					type: fixture.node.type,
					typeVersion: fixture.node.typeVersion,
					position: [240, 0],
					parameters,
					credentials: { stripeKeyApi: { id: credential?.id, name: credential?.name } },
				},
			],
			connections: { Manual: { main: [[{ node: name, type: 'main', index: 0 }]] } },
			settings: {},
		})) as { data?: { id: string } };
		await page.goto(`${opts.baseUrl}/workflow/${created.data?.id}`);
		await openCanvasNode(page, name);
		const amount = ndv.getByTestId('fixed-collection-amount');
		const shown = {
			typeVersion: fixture.node.typeVersion,
			currency: await inputValue(amount, 'currency'),
			value: await inputValue(amount, 'value'),
			addAmount: await amount.getByRole('button', { name: 'Add Amount' }).count(),
		};
		check(
			'editor: a Stripe Billing node of version 1 saved as the editor stored it (credit-grant-create-v1.json) opens with its values: Amount › Monetary › Currency "usd", Value 1000',
			shown.typeVersion === 1 && shown.currency === 'usd' && shown.value === '1000' && shown.addAmount === 0,
			shown,
		);
		await shot(page, '18a-credit-grant-version-1-opened', 1500);
		const { out, reqs } = await executeCapturing(page, '/v1/billing/credit_grants');
		check(
			'editor: the version 1 credit grant executed in the editor: one POST /v1/billing/credit_grants',
			reqs.length === 1 && reqs[0].status === 200 && out.ok,
			{
				requests: reqs.map((r) => `${r.method} ${r.path} -> ${r.status}`),
				output: out.text.slice(0, 400),
			},
		);
		const [args] = fixture.stripeNode.args as Array<Record<string, unknown>>;
		await sameAsStripeNode('credit grant of node version 1 (saved parameters)', reqs[0], { method: fixture.stripeNode.method, args: [{ ...args, customer }] });
		await closeNdv(page);
	}

	/** A request to n8n's REST API from inside the signed-in page, as the editor sends it (see restGet). */
	async function restSend(page: Page, method: string, p: string, body?: unknown): Promise<unknown> {
		return await page.evaluate(
			async ([m, url, data]) => {
				const storage = (globalThis as unknown as { localStorage: { getItem(key: string): string | null } }).localStorage;
				const headers: Record<string, string> = { 'browser-id': storage.getItem('n8n-browserId') ?? '' };
				if (data !== undefined) headers['content-type'] = 'application/json';
				const res = await fetch(url as string, {
					method: m as string,
					headers,
					credentials: 'include',
					body: data === undefined ? undefined : JSON.stringify(data),
				});
				return (await res.json()) as unknown;
			},
			[method, p, body] as const,
		);
	}

	// ---------------------------------------------------------------- issue 24: Custom API Call
	/**
	 * Stripe Core › Customer › Custom API Call chosen in the Operation dropdown (listed once: n8n adds no second
	 * one), then Method GET, Path /v1/invoice_payments (Stripe's "List all payments for an invoice", newer than the
	 * pinned API version: no operation of the package has it) and the query parameter `invoice` through the
	 * Parameters fields; executed in the editor: one GET /v1/invoice_payments?invoice=…, the stand-in's payment in
	 * the output, and the request equals stripe-node 17.4.0's `rawRequest` for the same call.
	 */
	async function customApiCall(page: Page, core: DeclaredNode): Promise<void> {
		phase = 'custom API call';
		const ndv = page.getByTestId('ndv');
		const customer = await standinApi('POST', '/v1/customers', { name: 'Mary Jackson', email: 'mary.jackson@example.com' });
		const invoice = await standinApi('POST', '/v1/invoices', { customer: String(customer.id) });
		await settle(page);
		await selectTrigger(page);
		const added = await addNode(page, core, 'Create a customer');
		if (!check('editor: Stripe Core › Create a customer: parameter panel opens (to choose Custom API Call in it)', added.ok, added.note)) return;
		const operations = await listedOptions(page, ndv, 'operation');
		check(
			"editor: Customer's Operation dropdown lists Custom API Call once, last (the package's own: n8n adds none)",
			operations.filter((o) => o === 'Custom API Call').length === 1 && operations[operations.length - 1] === 'Custom API Call',
			operations,
		);
		await fillCustomCall(page, ndv, String(invoice.id));
		const labels = await labelsIn(ndv.getByTestId('node-parameters'));
		const notice = await ndv.getByText('HTTP Request node', { exact: false }).count();
		check(
			'editor: Custom API Call shows its fields in the panel (Method, Path, Send Parameters, Parameters) and no "use the HTTP Request node" notice',
			['Method', 'Path', 'Send Parameters', 'Parameters'].every((l) => labels.includes(l)) && notice === 0,
			{ labels, notice },
		);
		await shot(page, '30-custom-api-call-fields', 1500);
		const { out, reqs } = await executeCapturing(page, '/v1/invoice_payments');
		const payment = `inpay_${String(invoice.id).replace(/^in_/, '')}`;
		const output = out.ok ? await outputShowing(page, payment) : out.text;
		check(
			"editor: Custom API Call executed in the editor: one GET /v1/invoice_payments with the query parameter invoice, the invoice's payment in the output",
			reqs.length === 1 &&
				reqs[0].method === 'GET' &&
				reqs[0].status === 200 &&
				new URLSearchParams(reqs[0].rawQuery).get('invoice') === String(invoice.id) &&
				out.ok &&
				output.includes(payment),
			{ requests: reqs.map((r) => `${r.method} ${r.path}?${r.rawQuery} -> ${r.status}`), output: output.slice(0, 400) },
		);
		await showOutputAsJson(page);
		await shot(page, '31-custom-api-call-output', 1500);
		await sameAsStripeNode('Custom API Call (GET /v1/invoice_payments, invoice as a field)', reqs[0], {
			method: 'rawRequest',
			args: ['GET', `/v1/invoice_payments?invoice=${String(invoice.id)}`, null, { stripeAccount: EDITOR_ACCOUNT }],
		});
		await closeNdv(page);
	}

	/** The names an options field's dropdown lists (opened, read, closed). */
	async function listedOptions(page: Page, scope: Locator, param: string): Promise<string[]> {
		await scope.getByTestId(`parameter-input-${param}`).click();
		const listed = page.locator('.el-select__popper:visible [data-test-id=parameter-input-item] .option-headline');
		await listed.first().waitFor({ timeout: 10_000 });
		const names = (await listed.allInnerTexts()).map((t) => t.trim());
		await page.keyboard.press('Escape');
		await page
			.locator('.el-select__popper:visible')
			.first()
			.waitFor({ state: 'hidden', timeout: 5000 })
			.catch(() => undefined);
		return names;
	}

	/** Operation Custom API Call, Method GET, Path /v1/invoice_payments, the parameter `invoice` as a field. */
	async function fillCustomCall(page: Page, ndv: Locator, invoiceId: string): Promise<void> {
		await pickOption(page, ndv, 'operation', 'Custom API Call');
		await pickOption(page, ndv, 'customMethod', 'GET');
		await ndv.getByTestId('parameter-input-customPath').locator('input').first().fill('/v1/invoice_payments');
		await pickOption(page, ndv, 'customSend', 'Using Fields Below');
		const params = ndv.getByTestId('fixed-collection-customParameters');
		await params.getByRole('button', { name: /^Add / }).first().click();
		await params.getByTestId('parameter-input-key').first().locator('input').first().fill('invoice');
		await params.getByTestId('parameter-input-value').first().locator('input').first().fill(invoiceId);
		await page.keyboard.press('Tab');
	}

	// ---------------------------------------------------------------- issue 24: search and Find or Create
	/**
	 * Stripe Core › Search customers through the Conditions fields (Field Email, Operator Is, the address typed as
	 * Value), not Stripe's query language; executed in the editor: the stand-in's customer with that email in the
	 * output, and the request's `query` is `email:"…"`, as stripe-node's customers.search({ query }) sends it (the
	 * Limit field's 50 left as shown).
	 */
	async function searchByConditions(page: Page, core: DeclaredNode): Promise<void> {
		phase = 'search customers through conditions';
		const ndv = page.getByTestId('ndv');
		const email = 'grace.hopper@example.com';
		const grace = await standinApi('POST', '/v1/customers', { name: 'Grace Hopper', email });
		await settle(page);
		await selectTrigger(page);
		const added = await addNode(page, core, 'Search customers');
		if (!check('editor: Stripe Core › Search customers: parameter panel opens', added.ok, added.note)) return;
		const conditions = ndv.getByTestId('fixed-collection-searchConditions');
		await conditions.getByRole('button', { name: 'Add Condition' }).click();
		await pickOption(page, conditions, 'field', 'Email');
		await pickOption(page, conditions, 'textOperator', 'Is');
		await conditions.getByTestId('parameter-input-value').locator('input').first().fill(email);
		await page.keyboard.press('Tab');
		const shown = {
			field: await inputValue(conditions, 'field'),
			operator: await inputValue(conditions, 'textOperator'),
			match: await inputValue(ndv, 'searchMatch'),
		};
		const queryTyped = await inputValue(ndv, 'query');
		check(
			'editor: search customers: one condition Email · Is · the address, Match "All Conditions (AND)", the Query field left empty',
			shown.field === 'Email' && shown.operator === 'Is' && shown.match === 'All Conditions (AND)' && queryTyped === '',
			{ ...shown, queryTyped },
		);
		await shot(page, '25-search-customers-conditions-fields', 1500);
		const { out, reqs } = await executeCapturing(page, '/v1/customers/search');
		const sent = new URLSearchParams(reqs[0]?.rawQuery ?? '').get('query');
		const output = out.ok ? await outputShowing(page, String(grace.id)) : out.text;
		check(
			`editor: search customers executed in the editor: one GET /v1/customers/search with query email:"${email}", the stand-in's customer in the output`,
			reqs.length === 1 && reqs[0].method === 'GET' && reqs[0].status === 200 && sent === `email:"${email}"` && out.ok && output.includes(String(grace.id)),
			{ requests: reqs.map((r) => `${r.method} ${r.path}?${r.rawQuery} -> ${r.status}`), query: sent, output: output.slice(0, 400) },
		);
		await showOutputAsJson(page);
		await shot(page, '26-search-customers-output', 1500);
		await sameAsStripeNode('search customers (one condition: Email is the address)', reqs[0], {
			method: 'customers.search',
			args: [{ query: `email:"${email}"`, limit: 50 }],
		});
		await closeNdv(page);
	}

	/**
	 * Stripe Core › Find or Create a customer by email (Find By Email, the address, a Name), executed twice in a
	 * row in the editor: the first run creates it (`_created: true`; its POST compared with stripe-node's
	 * customers.create), the second finds that customer (`_created: false`, no POST); one customer with that
	 * email in the stand-in afterwards.
	 */
	async function findOrCreateTwice(page: Page, core: DeclaredNode): Promise<void> {
		phase = 'find or create a customer';
		const ndv = page.getByTestId('ndv');
		const email = 'katherine.johnson@example.com';
		const name = 'Katherine Johnson';
		await settle(page);
		await selectTrigger(page);
		const added = await addNode(page, core, 'Find or create a customer');
		if (!check('editor: Stripe Core › Find or create a customer: parameter panel opens', added.ok, added.note)) return;
		await pickOption(page, ndv, 'find_by', 'Email');
		await ndv.getByTestId('parameter-input-email').locator('input').first().fill(email);
		await ndv.getByTestId('parameter-input-name').locator('input').first().fill(name);
		await page.keyboard.press('Tab');
		await shot(page, '27-find-or-create-customer-fields', 1500);
		const byEmail = async () =>
			((await standinApi('GET', `/v1/customers?email=${encodeURIComponent(email)}&limit=10`)).data ?? []) as Array<Record<string, unknown>>;
		const createdFlag = async (want: boolean) => {
			// The output panel keeps the previous run's item until the new one is drawn: wait for this run's flag.
			await showOutputAsJson(page);
			return await outputShowingMatch(page, new RegExp(`_created"?\\s*:\\s*${want}`));
		};

		const { out: out1, reqs: reqs1 } = await executeCapturing(page);
		const posts1 = reqs1.filter((r) => r.method === 'POST' && r.path === '/v1/customers');
		const after1 = await byEmail();
		const shown1 = out1.ok ? await createdFlag(true) : out1.text;
		check(
			'editor: Find or Create, first run: looked up by email, not found, one POST /v1/customers; the new customer with _created: true in the output',
			out1.ok &&
				reqs1.some((r) => r.method === 'GET' && r.path === '/v1/customers' && new URLSearchParams(r.rawQuery).get('email') === email) &&
				posts1.length === 1 &&
				posts1[0].status === 200 &&
				after1.length === 1 &&
				/_created"?\s*:\s*true/.test(shown1) &&
				shown1.includes(String(after1[0]?.id)),
			{ requests: reqs1.map((r) => `${r.method} ${r.path}?${r.rawQuery} -> ${r.status}`), customers: after1.map((c) => c.id), output: shown1.slice(0, 500) },
		);
		await shot(page, '28-find-or-create-first-run-created', 1500);

		phase = 'find or create a customer, second run';
		const seq2 = await lastSeq();
		await ndv.getByTestId('node-execute-button').first().click();
		const until = Date.now() + 30_000;
		let reqs2: StandinRequest[] = [];
		do {
			reqs2 = await requestsSince(seq2);
			if (reqs2.some((r) => r.method === 'GET' && r.path === '/v1/customers')) break;
			await sleep(300);
		} while (Date.now() < until);
		const shown2 = await createdFlag(false);
		const after2 = await byEmail();
		check(
			"editor: Find or Create, second run: finds the first run's customer (_created: false), sends no POST; one customer with that email in the stand-in",
			reqs2.some((r) => r.method === 'GET' && r.path === '/v1/customers' && r.status === 200) &&
				!reqs2.some((r) => r.method === 'POST') &&
				after2.length === 1 &&
				after2[0]?.id === after1[0]?.id &&
				/_created"?\s*:\s*false/.test(shown2) &&
				shown2.includes(String(after1[0]?.id)),
			{ requests: reqs2.map((r) => `${r.method} ${r.path}?${r.rawQuery} -> ${r.status}`), customers: after2.map((c) => c.id), output: shown2.slice(0, 500) },
		);
		await shot(page, '29-find-or-create-second-run-found', 1500);
		// After both runs: stripe-node's create makes a second customer in the stand-in.
		await sameAsStripeNode('Find or Create, first run: the create (email, name)', posts1[0], {
			method: 'customers.create',
			args: [{ email, name }],
		});
		await closeNdv(page);
	}

	/** Waits (up to 30 s) until the open panel's output matches `re`; the output's text. */
	async function outputShowingMatch(page: Page, re: RegExp): Promise<string> {
		return await outputWhen(page, (shown) => re.test(shown), 30_000, 300);
	}

	// ---------------------------------------------------------------- recorded parameter sets (recorder.ts)
	/**
	 * Issue 20, point 12: a subscription with a 14-day trial whose end is picked in the date picker of n8n's
	 * dateTime field (Additional Fields › Trial End › Date: the day 14 days ahead clicked in the calendar, the time
	 * typed in the picker's time box), Off Session switched on; executed in the editor and compared with
	 * stripe-node's request, trial_end being the Unix seconds of the picked wall-clock time in the workflow's time
	 * zone (computed here with Intl, not with the package's Luxon).
	 */
	async function subscriptionWithTrial(page: Page, billing: DeclaredNode, customer: string, price: string): Promise<void> {
		phase = 'subscription with a trial end picked as a date';
		const ndv = page.getByTestId('ndv');
		const zone = await instanceTimezone(page);
		await settle(page);
		await selectTrigger(page);
		const added = await addNode(page, billing, 'Create a subscription');
		if (!check('editor: Stripe Billing › Create a subscription: parameter panel opens', added.ok, added.note)) return;
		await pickFromList(page, ndv.getByTestId('resource-locator-customer').getByTestId('rlc-input'), 'Ada Lovelace <ada@example.com>');
		const items = ndv.getByTestId('fixed-collection-items');
		await items.getByRole('button', { name: 'Add Item' }).click();
		await pickFromList(page, items.getByTestId('rlc-input').first(), 'E2E plan · Pro monthly — 25.00 USD / month', 'E2E plan');
		await items.getByTestId('parameter-input-quantity').locator('input').first().fill('2');
		await addField(page, ndv, 'Off Session');
		await ndv.getByTestId('parameter-input-off_session').locator('.el-switch').first().click();
		await addField(page, ndv, 'Trial End');
		const trialEnd = ndv.getByTestId('fixed-collection-trial_end');
		await chooseFixedOption(page, trialEnd, 'Date');
		const wall = await pickDate(page, trialEnd.getByTestId('parameter-input-value'), 14, '09:00:00');
		const seconds = zonedUnixSeconds(wall, zone);
		const days = (seconds - Date.now() / 1000) / 86_400;
		check(
			`editor: subscription: the trial end picked in the date picker is ${wall} (${zone}), 14 days ahead`,
			/^\d{4}-\d\d-\d\dT09:00:00$/.test(wall) && days > 13 && days < 15,
			{ wall, zone, days },
		);
		await shot(page, '18-subscription-trial-end-picked-fields', 1500);
		const { out, reqs } = await executeCapturing(page, '/v1/subscriptions');
		check(
			'editor: subscription with a trial end picked as a date executed in the editor: one POST /v1/subscriptions',
			reqs.length === 1 && reqs[0].status === 200 && out.ok,
			{ requests: reqs.map((r) => `${r.method} ${r.path} -> ${r.status} ${r.rawBody}`), output: out.text.slice(0, 400) },
		);
		await showOutputAsJson(page);
		await shot(page, '19-subscription-trial-end-output', 1500);
		await sameAsStripeNode(`subscription with a 14-day trial ending ${wall} ${zone} (picked as a date)`, reqs[0], {
			method: 'subscriptions.create',
			args: [{ customer, items: [{ price, quantity: 2 }], off_session: true, trial_end: seconds }],
		});
		recorded(
			'subscription-create-trial-end-date',
			'A subscription with a 14-day trial: Trial End picked as a date in the date picker',
			billing,
			'Create a subscription',
		);
		await closeNdv(page);
	}

	/** Nodes filled through their fields and saved, not executed: their parameters are recorded (recorder.ts). */
	async function recordedOnly(page: Page, core: DeclaredNode, price: string): Promise<void> {
		const zone = await instanceTimezone(page);
		for (const [name, fill] of [
			['customer create', () => customerCreate(page, core)],
			['payment link create', () => paymentLinkCreate(page, price)],
			['customer list', () => customerList(page, core, zone)],
			['product create using JSON', () => productUsingJson(page)],
			['file upload', () => fileCreate(page, core)],
		] as Array<[string, () => Promise<void>]>) {
			phase = `recorded: ${name}`;
			try {
				await selectTrigger(page);
				await fill();
			} catch (e) {
				check(`editor: ${name} filled through its fields`, false, (e as Error).message.split('\n')[0]);
				await shot(page, `98-failed-${name.replace(/\W+/g, '-')}`).catch(() => undefined);
			}
			await closeNdv(page).catch(() => undefined);
		}
	}

	/**
	 * Shared collections (nodes/shared/fields/sharing.ts): a node's one "Additional Fields" (or "Filters") holds the
	 * members of many operations, and "Add Field" must list the open operation's only, in order. Expected: that
	 * operation's own collection in the node's properties without sharing (unsharedProperties), at node version
	 * 1.1 (the editor's default).
	 */
	async function addFieldLists(page: Page): Promise<void> {
		phase = 'Add Field lists';
		const dist = path.join(opts.repoRoot, 'dist');
		const { unsharedProperties } = require(path.join(dist, 'nodes', 'shared', 'fields', 'properties.js')) as {
			unsharedProperties: (family: unknown) => INodeProperties[];
		};
		const ndv = page.getByTestId('ndv');
		for (const [suffix, familyFile, action, resource, operation] of [
			['stripeBilling', 'billing', 'Update a subscription', 'subscription', 'update'],
			['stripeCore', 'core', 'Get many customers', 'customer', 'list'],
		]) {
			const node = nodes.find((n) => n.type.endsWith(`.${suffix}`))!;
			const { family } = require(path.join(dist, 'generated', 'families', `${familyFile}.js`)) as { family: unknown };
			const own = operationPanel(unsharedProperties(family), resource, operation).find((p) => p.name === 'additionalFields');
			const expected = ((own?.options ?? []) as INodeProperties[]).map((o) => o.displayName);
			await selectTrigger(page);
			await addNode(page, node, action);
			// The operation's own Additional Fields / Filters: the last such select but Request Options' "Add Option".
			const adder = ndv
				.locator('xpath=.//*[@data-test-id="collection-parameter-add"][not(ancestor::*[starts-with(@data-test-id,"fixed-collection-")])]')
				.filter({ hasNot: page.locator('input[placeholder="Add Option"]') })
				.filter({ hasNotText: 'Add Option' })
				.last();
			await adder.click();
			const listed = page.locator('.el-select__popper:visible [data-test-id=collection-parameter-option]');
			await listed.first().waitFor({ timeout: 10_000 });
			const shown = (await listed.allInnerTexts()).map((t) => t.trim());
			await shot(page, `23-add-field-list-${resource}-${operation}`, 500);
			await page.keyboard.press('Escape');
			check(
				`editor: ${action}: "${own?.placeholder}" lists the operation's ${expected.length} fields, in order, and no other operation's`,
				expected.length > 3 && JSON.stringify(shown) === JSON.stringify(expected),
				{ expected, shown },
			);
			await closeNdv(page);
		}
	}

	/** Name, email, metadata (two entries), an address, a nested collection's field and a choice. */
	async function customerCreate(page: Page, core: DeclaredNode): Promise<void> {
		const ndv = page.getByTestId('ndv');
		await addNode(page, core, 'Create a customer');
		await ndv.getByTestId('parameter-input-name').locator('input').first().fill('Jenny Rosen');
		await ndv.getByTestId('parameter-input-email').locator('input').first().fill('jenny.rosen@example.com');
		await addField(page, ndv, 'Metadata');
		const metadata = ndv.getByTestId('fixed-collection-metadata');
		for (const [i, [key, value]] of [
			['order_id', '6735'],
			['channel', 'webshop'],
		].entries()) {
			await metadata.getByRole('button', { name: 'Add Entry' }).click();
			await metadata.getByTestId('parameter-input-key').nth(i).locator('input').first().fill(key);
			await metadata.getByTestId('parameter-input-value').nth(i).locator('input').first().fill(value);
		}
		await addField(page, ndv, 'Address');
		const address = ndv.getByTestId('fixed-collection-address');
		await address.getByRole('button', { name: 'Add Address' }).click();
		for (const [field, text] of [
			['line1', 'Unter den Linden 1'],
			['city', 'Berlin'],
			['postal_code', '10117'],
			['country', 'DE'],
		])
			await address.getByTestId(`parameter-input-${field}`).locator('input').first().fill(text);
		await addField(page, ndv, 'Invoice Settings');
		await addField(page, ndv, 'Footer', true);
		await ndv.getByTestId('parameter-input-footer').locator('input, textarea').first().fill('Thank you for your order');
		await addField(page, ndv, 'Tax Exempt');
		await pickOption(page, ndv, 'tax_exempt', 'Exempt');
		await page.keyboard.press('Tab');
		await shot(page, '20-recorded-customer-create-fields', 1800);
		lastCall = {
			method: 'customers.create',
			args: [
				{
					address: { city: 'Berlin', country: 'DE', line1: 'Unter den Linden 1', postal_code: '10117' },
					email: 'jenny.rosen@example.com',
					invoice_settings: { footer: 'Thank you for your order' },
					metadata: { order_id: '6735', channel: 'webshop' },
					name: 'Jenny Rosen',
					tax_exempt: 'exempt',
				},
			],
		};
		recorded('customer-create', 'Create a customer: name, email, two metadata entries, an address, an invoice footer, tax exempt', core, 'Create a customer', {
			executedInEditor: false,
		});
	}

	/** A line item whose price is picked from the list, a multi-options field and a switch. */
	async function paymentLinkCreate(page: Page, price: string): Promise<void> {
		const links = nodes.find((n) => n.type.endsWith('.stripePaymentLinks'))!;
		const ndv = page.getByTestId('ndv');
		await addNode(page, links, 'Create a payment link');
		const lineItems = ndv.getByTestId('fixed-collection-line_items');
		await pickFromList(page, lineItems.getByTestId('rlc-input').first(), 'E2E plan · Basic monthly — 15.00 USD', 'E2E plan');
		await lineItems.getByTestId('parameter-input-quantity').locator('input').first().fill('3');
		await addField(page, ndv, 'Payment Method Types');
		await ndv.getByTestId('parameter-input-payment_method_types').click();
		for (const label of ['Card', 'Link'])
			await page
				.locator('.el-select__popper:visible .el-select-dropdown__item')
				.filter({ hasText: new RegExp(`^\\s*${label}\\s*$`) })
				.first()
				.click();
		await page.keyboard.press('Escape');
		await addField(page, ndv, 'Allow Promotion Codes');
		await ndv.getByTestId('parameter-input-allow_promotion_codes').locator('.el-switch').first().click();
		await shot(page, '21-recorded-payment-link-create-fields', 1500);
		lastCall = {
			method: 'paymentLinks.create',
			args: [{ line_items: [{ price, quantity: 3 }], allow_promotion_codes: true, payment_method_types: ['card', 'link'] }],
		};
		recorded(
			'payment-link-create',
			'Create a payment link: price picked from the list, quantity 3, card and link, promotion codes allowed',
			links,
			'Create a payment link',
			{
				executedInEditor: false,
			},
		);
	}

	/** Filters: an email, and a created range whose start is typed into a date field. */
	async function customerList(page: Page, core: DeclaredNode, zone: string): Promise<void> {
		const ndv = page.getByTestId('ndv');
		await addNode(page, core, 'Get many customers');
		await ndv.getByTestId('parameter-input-limit').locator('input').first().fill('10');
		await addField(page, ndv, 'Email');
		await ndv.getByTestId('parameter-input-email').locator('input').first().fill('jenny.rosen@example.com');
		await addField(page, ndv, 'Created');
		const created = ndv.getByTestId('fixed-collection-created');
		await chooseFixedOption(page, created, 'Range');
		await addField(page, created, 'On or After', false, true);
		const input = created.getByTestId('parameter-input-gte').locator('input').first();
		await input.click();
		await input.fill('2025-01-01 00:00:00');
		await input.press('Enter');
		await page.keyboard.press('Tab');
		await shot(page, '22-recorded-customer-list-fields', 1500);
		lastCall = {
			method: 'customers.list',
			args: [{ created: { gte: zonedUnixSeconds('2025-01-01T00:00:00', zone) }, email: 'jenny.rosen@example.com', limit: 10 }],
		};
		recorded(
			'customer-list-filters',
			'Get many customers: limit 10, email filter, created on or after a date typed into the date field',
			core,
			'Get many customers',
			{
				executedInEditor: false,
			},
		);
	}

	/** "Specify Parameters: Using JSON", the JSON typed into n8n's JSON editor. */
	async function productUsingJson(page: Page): Promise<void> {
		const products = nodes.find((n) => n.type.endsWith('.stripeProducts'))!;
		const ndv = page.getByTestId('ndv');
		await addNode(page, products, 'Create a product');
		await pickOption(page, ndv, 'specifyParameters', 'Using JSON');
		const editor = ndv.getByTestId('parameter-input-parametersJson').locator('.cm-content').first();
		await editor.click();
		await page.keyboard.press('Control+a');
		await page.keyboard.insertText('{"name": "Hoodie", "metadata": {"sku": "H-1"}}');
		await page.keyboard.press('Tab');
		await shot(page, '23-recorded-product-create-json', 1500);
		lastCall = { method: 'products.create', args: [{ name: 'Hoodie', metadata: { sku: 'H-1' } }] };
		recorded('product-create-json', 'Create a product with Specify Parameters: Using JSON', products, 'Create a product', { executedInEditor: false });
	}

	/** A file upload: the purpose chosen, the binary field left at "data". */
	async function fileCreate(page: Page, core: DeclaredNode): Promise<void> {
		const ndv = page.getByTestId('ndv');
		await addNode(page, core, 'Create a file');
		await pickOption(page, ndv, 'purpose', 'Dispute Evidence');
		if ((await inputValue(ndv, 'purpose')) !== 'Dispute Evidence') await pickOption(page, ndv, 'purpose', 'Dispute Evidence');
		// The panel can show a choice the workflow has not taken yet (two recording runs saved no purpose): the
		// panel is closed and opened again, so what it shows now is what the workflow holds, before it is saved.
		await closeNdv(page);
		await openCanvasNode(page, 'Create a file');
		if ((await inputValue(ndv, 'purpose')) !== 'Dispute Evidence') await pickOption(page, ndv, 'purpose', 'Dispute Evidence');
		check(
			'editor: file upload: Purpose "Dispute Evidence" chosen, and still there when the panel is opened again',
			(await inputValue(ndv, 'purpose')) === 'Dispute Evidence',
			await inputValue(ndv, 'purpose'),
		);
		await shot(page, '24-recorded-file-create-fields', 1200);
		const binary = { property: 'data', fileName: 'evidence.txt', mimeType: 'text/plain', text: 'Delivery confirmation for order 6735\n' };
		lastCall = {
			method: 'files.create',
			args: [{ file: { data: `<binary ${binary.property}>`, name: binary.fileName, type: binary.mimeType }, purpose: 'dispute_evidence' }],
		};
		recorded('file-create', 'Upload a file: purpose Dispute Evidence, the input binary field "data"', core, 'Create a file', {
			executedInEditor: false,
			binary,
		});
	}

	/** Saves the workflow (Ctrl+S), reads it back through n8n's REST API and writes one recording per task. */
	async function saveAndRecord(page: Page): Promise<void> {
		phase = 'recording the stored parameters';
		await closeNdv(page);
		await page.keyboard.press('Control+s');
		await page.waitForURL(/\/workflow\/(?!new\b)[^/?#]+/, { timeout: 15_000 }).catch(() => undefined);
		const id = /\/workflow\/([^/?#]+)/.exec(page.url())?.[1];
		type Saved = { nodes: Array<{ name: string; type: string; typeVersion: number; parameters: Record<string, unknown> }>; settings?: { timezone?: string } };
		let wf: Saved | undefined;
		const until = Date.now() + 15_000;
		do {
			wf = ((await restGet(page, `/rest/workflows/${id}`).catch(() => ({}))) as { data?: Saved }).data;
			if (wf && tasks.every((t) => nodeOfTask(wf!.nodes, t))) break;
			await sleep(500);
		} while (Date.now() < until);
		const settings = ((await restGet(page, '/rest/settings')) as { data: { timezone: string; versionCli: string } }).data;
		const own = wf?.settings?.timezone;
		const zone = own && own !== 'DEFAULT' ? own : settings.timezone;
		const out = tasks.flatMap((t) => {
			const node = wf && nodeOfTask(wf.nodes, t);
			check(
				`editor: the saved workflow (GET /rest/workflows/${id}) has the node of "${t.task}"`,
				Boolean(node),
				wf?.nodes.map((n) => n.type),
			);
			return node ? [{ file: t.file, recording: recordingOf(t, node, zone, settings.versionCli) }] : [];
		});
		writeRecordings(opts.repoRoot, opts.artifactsDir, out, process.env.E2E_RECORD === '1', check);
	}

	/**
	 * Waits until the editor has saved the new workflow after an execution (its URL changes from /workflow/new to
	 * /workflow/<id> and the canvas is drawn again), so the next node is not added while the page re-renders.
	 */
	async function settle(page: Page): Promise<void> {
		await page.waitForURL(/\/workflow\/(?!new\b)[^/?#]+/, { timeout: 15_000 }).catch(() => undefined);
		await page.locator('[data-test-id=canvas-node][data-node-type="n8n-nodes-base.manualTrigger"]').first().waitFor({ timeout: 30_000 });
		await sleep(1000);
	}

	/** The instance's time zone (n8n's GENERIC_TIMEZONE), what a workflow without its own setting runs in. */
	async function instanceTimezone(page: Page): Promise<string> {
		return ((await restGet(page, '/rest/settings')) as { data: { timezone: string } }).data.timezone;
	}

	/**
	 * A GET of n8n's REST API from inside the signed-in page, as the editor sends it (with its `browser-id` header:
	 * n8n 2.41 answers a request without it 401 and clears the session cookie).
	 */
	async function restGet(page: Page, p: string): Promise<unknown> {
		return await page.evaluate(async (url) => {
			const storage = (globalThis as unknown as { localStorage: { getItem(key: string): string | null } }).localStorage;
			const res = await fetch(url, { headers: { 'browser-id': storage.getItem('n8n-browserId') ?? '' }, credentials: 'include' });
			return (await res.json()) as unknown;
		}, p);
	}

	/**
	 * Adds an optional field of a collection by its label, through the collection's "Add Field" / "Add Filter"
	 * select (n8n 2.41: a filterable select, `collection-parameter-add`). Outside fixed collections, the node's own
	 * Additional Fields / Filters is the last such select (Request Options' "Add Option" aside); `nested`: the one
	 * of a collection inside it (added just before); inside a fixed collection (`scope`), its only one.
	 */
	async function addField(page: Page, scope: Locator, label: string, nested = false, inFixed = false): Promise<void> {
		const outside = inFixed ? '' : '[not(ancestor::*[starts-with(@data-test-id,"fixed-collection-")])]';
		const adders = scope
			.locator(`xpath=.//*[@data-test-id="collection-parameter-add"]${outside}`)
			.filter({ hasNot: page.locator('input[placeholder="Add Option"]') })
			.filter({ hasNotText: 'Add Option' });
		const adder = inFixed ? adders.first() : adders.nth(nested ? -2 : -1);
		await adder.click();
		await page.keyboard.type(label);
		await page
			.locator('.el-select__popper:visible [data-test-id=collection-parameter-option]')
			.filter({ hasText: new RegExp(`^\\s*${label}\\s*$`) })
			.first()
			.click();
		await sleep(300);
	}

	/** Picks one of a fixed collection's alternatives ("Add Trial End" → "Date"). */
	async function chooseFixedOption(page: Page, collection: Locator, label: string): Promise<void> {
		// An empty fixed collection with several alternatives shows one select, "Add <name>", listing them.
		await collection.locator('.el-select').first().click();
		await page
			.locator('.el-select__popper:visible .el-select-dropdown__item')
			.filter({ hasText: new RegExp(`^\\s*${label}\\s*$`) })
			.first()
			.click();
		await sleep(200);
	}

	/**
	 * Picks a date in the calendar of an n8n dateTime field (element-plus's date-time picker): `daysAhead` days
	 * from today (the browser runs in UTC), the time typed into the picker's time box, then "OK". Returns what the
	 * field shows, as n8n stores it (YYYY-MM-DDTHH:mm:ss).
	 */
	async function pickDate(page: Page, field: Locator, daysAhead: number, time: string): Promise<string> {
		const today = new Date();
		const target = new Date(today.getTime() + daysAhead * 86_400_000);
		await field.locator('input').first().click();
		const panel = page.locator('.el-picker-panel').filter({ visible: true }).last();
		await panel.waitFor({ timeout: 10_000 });
		const months = (target.getUTCFullYear() - today.getUTCFullYear()) * 12 + target.getUTCMonth() - today.getUTCMonth();
		for (let i = 0; i < months; i++) await panel.locator('button.arrow-right').first().click();
		await panel
			.locator('.el-date-table td.available:not(.prev-month):not(.next-month)')
			.filter({ hasText: new RegExp(`^\\s*${target.getUTCDate()}\\s*$`) })
			.first()
			.click();
		const timeBox = panel.locator('.el-date-picker__time-header .el-date-picker__editor-wrap').nth(1).locator('input');
		await timeBox.fill(time);
		await timeBox.press('Enter');
		await panel.locator('.el-picker-panel__footer').getByRole('button', { name: 'OK' }).click();
		await sleep(300);
		return (await field.locator('input').first().inputValue()).replace(' ', 'T');
	}

	/**
	 * A nested field's description as n8n serves it to the editor (`/types/nodes.json`, the file the editor loads
	 * the node types from), found by the operation's display conditions and the path of field names.
	 */
	async function servedDescription(page: Page, node: string, resource: string, operation: string, names: string[]): Promise<string | undefined> {
		type P = { name?: string; description?: string; options?: P[]; values?: P[]; displayOptions?: { show?: Record<string, unknown[]> } };
		const types = (await (await page.request.get(`${baseUrl}/types/nodes.json`)).json()) as Array<{ name: string; properties: P[] }>;
		const props = types.find((t) => t.name === `n8n-nodes-stripe.${node}`)?.properties ?? [];
		// The operation's fields, a shared "Additional Fields" with this operation's members only (test/support/panel.ts).
		let field = operationPanel(props as INodeProperties[], resource, operation).find((p) => p.name === names[0]) as P | undefined;
		const inside = (p: P): P[] =>
			(p.options ?? []).flatMap((o) => (o.values ? o.values : [o])).flatMap((o) => (o.name === 'additionalFields' ? inside(o) : [o]));
		for (const name of names.slice(1)) field = field && inside(field).find((p) => p.name === name);
		return field?.description;
	}

	/** The largest operation panel (the rule of `npm run sizes`), opened through its action and timed until its fields are rendered. */
	async function largestPanel(page: Page): Promise<void> {
		const { largestOperationPanel } = require(path.join(opts.repoRoot, 'scripts', 'measure-descriptions.js')) as {
			largestOperationPanel: (entries: unknown[]) => { node: string; name: string; resource: string; operation: string; action: string; fields: number };
		};
		const entries = nodes.map((n) => new (loadClass(n.file))().description);
		const largest = largestOperationPanel(entries);
		const node = nodes.find((n) => n.displayName === largest.node);
		const label = `${largest.node} › ${largest.resource} › ${largest.operation} ("${largest.action}")`;
		result.largestPanel = { label, fields: largest.fields };
		if (!check(`editor: the largest operation panel is a node of the package (${label})`, Boolean(node))) return;
		const ndv = page.getByTestId('ndv');
		const expected = visibleLabels(node!.properties, { resource: largest.resource, operation: largest.operation });
		const searchBar = page.getByTestId('node-creator-search-bar');
		await page.getByTestId('node-creator-plus-button').click();
		await searchBar.fill(node!.displayName);
		await page.getByTestId('node-creator-item-name').getByText(node!.displayName, { exact: true }).first().click();
		const action = page
			.locator(`[data-test-id=item-iterator-item][data-keyboard-nav-type=action][data-keyboard-nav-id^="${node!.type}-"]`)
			.filter({ hasText: new RegExp(`^\\s*${largest.action}\\s*$`) })
			.first();
		await action.waitFor({ timeout: 15_000 });
		const t0 = Date.now();
		await action.click();
		let shown: string[] = [];
		const until = Date.now() + 20_000;
		await ndv.getByTestId('node-parameters').waitFor({ timeout: 20_000 });
		do {
			shown = await labelsIn(ndv.getByTestId('node-parameters'));
			if (expected.every((l) => shown.includes(l))) break;
			await sleep(20);
		} while (Date.now() < until);
		const ms = Date.now() - t0;
		const absent = expected.filter((l) => !shown.includes(l));
		if (!absent.length) result.largestPanel.ms = ms;
		check(`editor: the largest operation panel, ${label}, opens with its ${expected.length} fields`, absent.length === 0, { missing: absent, shown });
		await shot(page, '13-largest-operation-panel');
		await closeNdv(page);
	}

	async function standinApi(method: string, p: string, form?: Record<string, string>): Promise<Record<string, unknown>> {
		const res = await fetch(opts.standinUrl + p, {
			method,
			headers: {
				Authorization: `Bearer ${opts.secretKey}`,
				'Stripe-Account': EDITOR_ACCOUNT,
				...(form ? { 'Content-Type': 'application/x-www-form-urlencoded' } : {}),
			},
			body: form ? new URLSearchParams(form).toString() : undefined,
		});
		const body = (await res.json()) as Record<string, unknown>;
		if (res.status !== 200) throw new Error(`stand-in ${method} ${p}: HTTP ${res.status} ${JSON.stringify(body)}`);
		return body;
	}
	async function requestsSince(seq: number): Promise<StandinRequest[]> {
		return (await (await fetch(`${opts.standinUrl}/__standin/requests?since=${seq}`)).json()) as StandinRequest[];
	}
	async function lastSeq(): Promise<number> {
		const all = await requestsSince(0);
		return all.length ? all[all.length - 1].seq : 0;
	}

	/**
	 * Sends `call` with stripe-node 17.4.0 (the reference SDK) to the stand-in, with the credential's key and
	 * account, and compares its request with the node's: method, path, query, body (byte for byte), content type,
	 * Stripe-Version, Stripe-Account, and an Idempotency-Key on both.
	 */
	async function sameAsStripeNode(what: string, ours: StandinRequest | undefined, call: SdkCall): Promise<void> {
		const Stripe = require('stripe') as new (key: string, config: Record<string, unknown>) => StripeClient;
		const u = new URL(opts.standinUrl!);
		const sdk = new Stripe(opts.secretKey!, {
			host: u.hostname,
			port: Number(u.port),
			protocol: 'http',
			stripeAccount: EDITOR_ACCOUNT,
			// stripe-node's default retries (it sends an Idempotency-Key on POSTs when it may retry, as the node does)
			telemetry: false,
		});
		const seq = await lastSeq();
		lastCall = call;
		await sdkMethod(sdk, call.method)(...call.args);
		const theirs = (await requestsSince(seq))[0];
		const view = (r: StandinRequest | undefined) =>
			r && {
				method: r.method,
				path: r.path,
				query: r.rawQuery,
				body: r.rawBody,
				contentType: r.headers['content-type'],
				stripeVersion: r.headers['stripe-version'],
				stripeAccount: r.headers['stripe-account'],
				idempotencyKey: r.headers['idempotency-key'] ? 'present' : 'absent',
			};
		check(
			`editor: ${what}: the request sent from the editor equals stripe-node 17.4.0's for the same parameters (method, path, query, body, headers)`,
			Boolean(ours && theirs) && JSON.stringify(view(ours)) === JSON.stringify(view(theirs)),
			{ editor: view(ours), stripeNode: view(theirs) },
		);
	}

	async function selectTrigger(page: Page): Promise<void> {
		await page
			.getByTestId('zoom-to-fit')
			.click()
			.catch(() => undefined);
		await sleep(300);
		await page.locator('[data-test-id=canvas-node][data-node-type="n8n-nodes-base.manualTrigger"]').first().click();
	}

	async function openCanvasNode(page: Page, name: string): Promise<void> {
		await page
			.getByTestId('zoom-to-fit')
			.click()
			.catch(() => undefined);
		await sleep(300);
		await page.locator(`[data-test-id=canvas-node][data-node-name="${name}"]`).dblclick();
		await page.getByTestId('ndv').getByTestId('node-parameters').waitFor({ timeout: 15_000 });
	}

	/** Picks an entry of a resource locator's list (opened by clicking its input). */
	async function pickFromList(page: Page, input: Locator, text: string, typed?: string): Promise<void> {
		await input.click();
		if (typed !== undefined) {
			// The list's own search box, as a user types into it (n8n then asks the node's list search with the text).
			const search = page.getByTestId('rlc-search').filter({ visible: true }).first();
			const box = (await search.evaluate((e) => e.tagName)) === 'INPUT' ? search : search.locator('input').first();
			await box.fill(typed);
			await sleep(800);
		}
		await page.getByTestId('rlc-item').filter({ visible: true }).filter({ hasText: text }).first().click();
		await sleep(200);
	}

	/** "Execute step" in the open node panel; the output panel's text once it shows a result (or an error). */
	async function executeInNdv(page: Page): Promise<{ ok: boolean; text: string }> {
		const ndv = page.getByTestId('ndv');
		await ndv.getByTestId('node-execute-button').first().click();
		const output = ndv.getByTestId('output-panel');
		const done = await output
			.getByText(/^\s*1 item\s*$/)
			.or(output.getByTestId('node-error-message'))
			.first()
			.waitFor({ timeout: 30_000 })
			.then(() => true)
			.catch(() => false);
		const text = await output.innerText().catch(() => '');
		const failed = await output
			.getByTestId('node-error-message')
			.isVisible()
			.catch(() => false);
		return { ok: done && !failed, text };
	}

	/** Executes the open node in the editor: its output, and the requests it sent (only those to `onlyPath`, if given). */
	async function executeCapturing(page: Page, onlyPath?: string): Promise<{ out: { ok: boolean; text: string }; reqs: StandinRequest[] }> {
		const seq = await lastSeq();
		const out = await executeInNdv(page);
		const reqs = await requestsSince(seq);
		return { out, reqs: onlyPath === undefined ? reqs : reqs.filter((r) => r.path === onlyPath) };
	}

	/** Switches the open panel's output to the JSON view (for the screenshot: every field of the new object). */
	async function showOutputAsJson(page: Page): Promise<void> {
		await page
			.getByTestId('ndv')
			.getByTestId('output-panel')
			.getByTestId('radio-button-json')
			.click({ timeout: 5000 })
			.catch(() => undefined);
		await sleep(500);
	}

	/** Waits (up to 10 s) until the open panel's output shows `text` (the table renders after "1 item"); the output's text. */
	async function outputShowing(page: Page, text: string): Promise<string> {
		return await outputWhen(page, (shown) => shown.includes(text), 10_000, 200);
	}

	/** The open panel's output text once `done` holds for it, or when `timeoutMs` has passed (read every `everyMs`). */
	async function outputWhen(page: Page, done: (shown: string) => boolean, timeoutMs: number, everyMs: number): Promise<string> {
		const output = page.getByTestId('ndv').getByTestId('output-panel');
		let shown = '';
		const until = Date.now() + timeoutMs;
		do {
			shown = await output.innerText().catch(() => '');
			if (done(shown)) break;
			await sleep(everyMs);
		} while (Date.now() < until);
		return shown;
	}

	// ---------------------------------------------------------------- schema preview of the selected node's output
	async function schemaPreview(page: Page, fields: string[]): Promise<{ ok: boolean; shown: string[]; warning: boolean; note?: string }> {
		const ndvPanel = page.getByTestId('ndv');
		const searchBar = page.getByTestId('node-creator-search-bar');
		await page.getByTestId('node-creator-plus-button').click();
		await searchBar.fill('No Operation');
		const item = page.getByTestId('node-creator-item-name').getByText('No Operation, do nothing', { exact: true });
		try {
			await item.first().waitFor({ timeout: 10_000 });
			await item.first().click();
			const addToWorkflow = page.getByRole('button', { name: 'Add to workflow' });
			await addToWorkflow.or(ndvPanel).first().waitFor({ timeout: 10_000 });
			if (await addToWorkflow.isVisible()) await addToWorkflow.click();
			await ndvPanel.waitFor({ timeout: 15_000 });
			const input = ndvPanel.getByTestId('ndv-input-panel');
			await input.waitFor({ timeout: 10_000 });
			// Schema is the input panel's default view for a parent without data; pick it if another one is shown.
			const schemaItems = input.getByTestId('run-data-schema-item');
			if (
				!(await schemaItems
					.first()
					.waitFor({ timeout: 5000 })
					.then(
						() => true,
						() => false,
					))
			) {
				await input
					.getByText('Schema', { exact: true })
					.first()
					.click({ timeout: 5000 })
					.catch(() => undefined);
			}
			let shown: string[] = [];
			const until = Date.now() + 15_000;
			do {
				shown = ((await page.evaluate(TOP_LEVEL_SCHEMA_FIELDS).catch(() => [])) as string[]) ?? [];
				if (fields.every((f) => shown.includes(f))) break;
				await sleep(200);
			} while (Date.now() < until);
			const warning = await input
				.getByTestId('schema-preview-warning')
				.isVisible()
				.catch(() => false);
			return { ok: fields.every((f) => shown.includes(f)), shown: shown.slice(0, 80), warning };
		} catch (e) {
			return { ok: false, shown: [], warning: false, note: (e as Error).message.split('\n')[0] };
		}
	}

	// ---------------------------------------------------------------- add a node through the node creator
	async function addNode(page: Page, node: DeclaredNode, actionName?: string): Promise<PanelTiming> {
		const t: PanelTiming = { displayName: node.displayName, type: node.type, ok: false };
		const ndvPanel = page.getByTestId('ndv');
		const searchBar = page.getByTestId('node-creator-search-bar');
		const tSearch = Date.now();
		if (!(await searchBar.isVisible())) await page.getByTestId('node-creator-plus-button').click();
		await searchBar.fill(node.displayName);
		const item = page.getByTestId('node-creator-item-name').getByText(node.displayName, { exact: true });
		try {
			await item.first().waitFor({ timeout: 10_000 });
			t.searchMs = Date.now() - tSearch;
		} catch {
			t.note = `"${node.displayName}" not found in the node creator`;
			await page.keyboard.press('Escape');
			return t;
		}
		const actions = page.locator(`[data-test-id=item-iterator-item][data-keyboard-nav-type=action][data-keyboard-nav-id^="${node.type}-"]`);
		const action = (actionName ? actions.filter({ hasText: new RegExp(`^\\s*${actionName}\\s*$`) }) : actions).first();
		const addToWorkflow = page.getByRole('button', { name: 'Add to workflow' });
		const t0 = Date.now();
		await item.first().click();
		// A node with actions shows its actions list; one without shows its details with "Add to workflow".
		await action.or(addToWorkflow).or(ndvPanel).first().waitFor({ timeout: 15_000 });
		t.actionsMs = Date.now() - t0;
		const t1 = Date.now();
		if (await action.isVisible()) await action.click();
		else if (await addToWorkflow.isVisible()) await addToWorkflow.click();
		const params = ndvPanel.getByTestId('node-parameters');
		try {
			await params.waitFor({ timeout: 20_000 });
			if (!node.properties.some((p) => p.name === 'resource')) {
				// No Resource/Operation (e.g. the trigger): the fields the node shows by default.
				const expected = visibleLabels(node.properties, {});
				await params
					.locator('label')
					.getByText(expected[0] ?? 'Credential', { exact: false })
					.first()
					.waitFor({ timeout: 20_000 });
				t.panelMs = Date.now() - t1;
				const shown = await labelsIn(params);
				const absent = expected.filter((l) => !shown.includes(l));
				if (absent.length) t.note = `fields missing: ${absent.join(', ')} (shown: ${shown.join(', ')})`;
				t.ok = absent.length === 0;
				return t;
			}
			await ndvPanel.getByTestId('parameter-input-resource').waitFor({ timeout: 20_000 });
			await ndvPanel.getByTestId('parameter-input-operation').waitFor({ timeout: 20_000 });
			t.panelMs = Date.now() - t1;
			const expectedResources = (node.properties.find((p) => p.name === 'resource')?.options ?? []).map((o) => o.name);
			const t2 = Date.now();
			await ndvPanel.getByTestId('parameter-input-resource').click();
			const options = page.locator('.el-select__popper:visible [data-test-id=parameter-input-item] .option-headline');
			await options.first().waitFor({ timeout: 10_000 });
			t.dropdownMs = Date.now() - t2;
			const listedResources = (await options.allInnerTexts()).map((s) => s.trim());
			t.resources = listedResources.filter((r) => r !== 'Custom API Call').length;
			const customChoices = listedResources.filter((r) => r === 'Custom API Call').length;
			await page.keyboard.press('Escape');
			await page
				.locator('.el-select__popper:visible')
				.first()
				.waitFor({ state: 'hidden', timeout: 5000 })
				.catch(() => undefined);
			const absent = expectedResources.filter((r) => !listedResources.includes(r));
			// "Custom API Call" once: the package's own (last), with none added by n8n (fields/custom-call.ts).
			const extra = listedResources.filter((r) => !expectedResources.includes(r));
			if (absent.length || extra.length || customChoices !== 1)
				t.note = `Resource dropdown differs: missing ${JSON.stringify(absent)}, unexpected ${JSON.stringify(extra)}, Custom API Call ${customChoices} times`;
			t.ok = !absent.length && !extra.length && customChoices === 1;
		} catch (e) {
			t.note = `panel did not render: ${(e as Error).message.split('\n')[0]}`;
		}
		return t;
	}
}

/** stripe-node's method for `subscriptions.create`, bound to its resource. */
function sdkMethod(sdk: StripeClient, method: string): (...args: unknown[]) => Promise<unknown> {
	const parts = method.split('.');
	const target = parts.slice(0, -1).reduce((o, k) => o[k], sdk);
	return target[parts[parts.length - 1]].bind(target);
}

async function closeCredentialDialog(page: Page): Promise<void> {
	const dialog = page.getByTestId('editCredential-modal');
	if (!(await dialog.isVisible())) return;
	await page.keyboard.press('Escape');
	await dialog.waitFor({ state: 'hidden', timeout: 3000 }).catch(() => undefined);
	if (await dialog.isVisible())
		await dialog
			.locator('.el-dialog__headerbtn')
			.first()
			.click({ timeout: 3000 })
			.catch(() => undefined);
	await dialog.waitFor({ state: 'hidden', timeout: 5000 }).catch(() => undefined);
}

async function closeNdv(page: Page): Promise<void> {
	await closeCredentialDialog(page);
	const ndv = page.getByTestId('ndv');
	if (!(await ndv.isVisible())) return;
	await page.getByTestId('ndv-close-button').click();
	await ndv.waitFor({ state: 'hidden', timeout: 10_000 });
}

/** The timings table printed by run.ts. */
export function timingsTable(rows: PanelTiming[]): string {
	const ms = (v?: number) => (v === undefined ? '-' : `${v}`);
	const head = ['node', 'resources', 'search ms', 'actions list ms', 'panel open ms', 'resource dropdown ms', 'ok'];
	const body = rows.map((r) => [
		r.displayName,
		r.resources === undefined ? '-' : String(r.resources),
		ms(r.searchMs),
		ms(r.actionsMs),
		ms(r.panelMs),
		ms(r.dropdownMs),
		r.ok ? 'yes' : 'NO',
	]);
	const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
	const line = (cells: string[]) => `  | ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
	const sep = `  |${widths.map((w, i) => (i === 0 ? `:${'-'.repeat(w + 1)}` : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
	const panel = rows
		.map((r) => r.panelMs)
		.filter((v): v is number => v !== undefined)
		.sort((a, b) => a - b);
	const stats = panel.length
		? `  panel open: median ${panel[Math.floor(panel.length / 2)]} ms, max ${panel[panel.length - 1]} ms over ${panel.length} nodes`
		: '';
	return [line(head), sep, ...body.map(line), stats].join('\n');
}
