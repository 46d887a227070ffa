/**
 * Parameter sets recorded from n8n's editor (issue 23, point 6): after the editor test has filled nodes through
 * their fields by clicking and typing, the workflow the editor saved is read back through n8n's REST API
 * (`GET /rest/workflows/:id`), and each node's stored parameters are written next to the stripe-node call a
 * Stripe engineer would write by hand for the same inputs (`stripeNode`, written in editor.ts, never derived
 * from the package's code). `test/engine/editor-recorded.test.ts` runs the stored parameters through n8n-core
 * and compares the wire with that stripe-node call.
 *
 * `E2E_RECORD=1` writes the recordings to test/fixtures/editor-recorded/ (re-recording); otherwise they go to
 * the artifacts folder only, and each is compared with the committed fixture with the stand-in's object IDs
 * and the picked dates masked (they differ from run to run).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** A stripe-node 17.4.0 call: `method` is the resource path on the client (`subscriptions.create`). */
export interface SdkCall {
	method: string;
	args: unknown[];
}

/** What a test of the editor fills in one node, and the stripe-node call that sends the same request. */
export interface RecordedTask {
	/** The fixture's file name (without .json). */
	file: string;
	/** What the user did, in words. */
	task: string;
	/** How the saved workflow's node is found: its type and its name (the action it was added with). */
	type: string;
	nodeName: string;
	stripeNode: SdkCall;
	/** The input item's binary data, for uploads. */
	binary?: { property: string; fileName: string; mimeType: string; text: string };
	/** Set once the node was executed in the editor (its request compared there with stripe-node's too). */
	executedInEditor?: boolean;
}

export interface Recording extends Omit<RecordedTask, 'type' | 'nodeName' | 'file'> {
	recordedWith: string;
	howToRecord: string;
	/** The time zone the workflow runs in (its own setting, or the instance's GENERIC_TIMEZONE). */
	timezone: string;
	node: { name: string; type: string; typeVersion: number; parameters: Record<string, unknown> };
}

export const RECORD_DIR = path.join('test', 'fixtures', 'editor-recorded');
const HOW_TO_RECORD =
	"E2E_RECORD=1 E2E_ONLY=editor E2E_SKIP_BASELINE=1 npm run test:e2e (test/e2e/editor.ts fills the nodes in n8n's editor in headless Chromium; test/e2e/recorder.ts reads the saved workflow through GET /rest/workflows/:id and writes one file per node)";

interface SavedNode {
	name: string;
	type: string;
	typeVersion: number;
	parameters: Record<string, unknown>;
}

/**
 * The saved node of a task, by its type and name: the last node named after the action it was added with ("Create
 * a credit grant", or "Create a credit grant1" when an earlier node took the name). Not by its resource and
 * operation: the editor leaves out parameters that have their default value, such as a node's default resource.
 */
export function nodeOfTask(nodes: SavedNode[], t: RecordedTask): SavedNode | undefined {
	return nodes
		.filter((n) => n.type === t.type && (n.name === t.nodeName || (n.name.startsWith(t.nodeName) && /^\d+$/.test(n.name.slice(t.nodeName.length)))))
		.pop();
}

export function recordingOf(t: RecordedTask, node: SavedNode, timezone: string, n8nVersion: string): Recording {
	return {
		task: t.task,
		recordedWith: `n8n ${n8nVersion} editor in headless Chromium (test/e2e/editor.ts)`,
		howToRecord: HOW_TO_RECORD,
		timezone,
		node: { name: node.name, type: node.type, typeVersion: node.typeVersion, parameters: node.parameters },
		stripeNode: t.stripeNode,
		...(t.binary ? { binary: t.binary } : {}),
		...(t.executedInEditor ? { executedInEditor: true } : {}),
	};
}

/** Stand-in object IDs (`cus_…`, `price_…`) and date-times replaced by placeholders, for comparing runs. */
export function masked(value: unknown): unknown {
	return JSON.parse(
		JSON.stringify(value)
			.replace(/\b(cus|price|prod|pi|sub|si|cs|acct)_[A-Za-z0-9]+/g, '$1_…')
			.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/g, 'YYYY-MM-DDTHH:mm:ss')
			.replace(/"trial_end":\d+/g, '"trial_end":0'),
	);
}

/** Writes the recordings (to the fixtures with `record`, else to the artifacts) and compares them with the fixtures. */
export function writeRecordings(
	repoRoot: string,
	artifactsDir: string,
	recordings: Array<{ file: string; recording: Recording }>,
	record: boolean,
	check: (name: string, ok: boolean, detail?: unknown) => boolean,
): void {
	const dir = record ? path.join(repoRoot, RECORD_DIR) : path.join(artifactsDir, 'editor-recorded');
	fs.mkdirSync(dir, { recursive: true });
	for (const { file, recording } of recordings) {
		fs.writeFileSync(path.join(dir, `${file}.json`), `${JSON.stringify(recording, null, '\t')}\n`);
		if (record) continue;
		const fixture = path.join(repoRoot, RECORD_DIR, `${file}.json`);
		const committed = fs.existsSync(fixture) ? (JSON.parse(fs.readFileSync(fixture, 'utf8')) as Recording) : undefined;
		const same = committed && JSON.stringify(masked(committed.node.parameters)) === JSON.stringify(masked(recording.node.parameters));
		check(
			`editor: the parameters the editor stores for "${recording.task}" are those of ${RECORD_DIR}/${file}.json (IDs and dates masked; re-record with E2E_RECORD=1)`,
			Boolean(same),
			{ now: masked(recording.node.parameters), committed: committed && masked(committed.node.parameters) },
		);
	}
}

/**
 * Unix seconds of a wall-clock date-time (`2026-12-17T09:00:00`, as n8n's date picker stores it) in an IANA time
 * zone, computed with the platform's Intl time-zone data (not with Luxon, which the package uses).
 */
export function zonedUnixSeconds(wall: string, zone: string): number {
	const offsetMs = (t: number) => {
		const name = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' })
			.formatToParts(new Date(t))
			.find((p) => p.type === 'timeZoneName')?.value;
		const m = /GMT([+-])(\d\d):(\d\d)/.exec(name ?? '');
		return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) * 60_000 : 0;
	};
	const asUtc = Date.parse(`${wall}Z`);
	const guess = asUtc - offsetMs(asUtc);
	return Math.floor((asUtc - offsetMs(guess)) / 1000);
}
