/**
 * Helpers to run a throwaway n8n (installed by scripts/ensure-n8n.sh) for the end-to-end test: start/stop
 * the server, run CLI commands, read executions from its SQLite database.
 *
 * Expects the environment of scripts/n8n-env.sh (N8N_BIN, N8N_INSTALL_DIR, Node 24 first on PATH, the
 * "no outbound calls" settings).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';

export function requireEnv(name: string): string {
	const v = process.env[name];
	if (!v) throw new Error(`${name} is not set (run this through scripts/e2e.sh)`);
	return v;
}

export async function freePort(): Promise<number> {
	return await new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.unref();
		srv.on('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const port = (srv.address() as net.AddressInfo).port;
			srv.close(() => resolve(port));
		});
	});
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface N8nInstance {
	userFolder: string;
	port: number;
	brokerPort: number;
	logFile: string;
	child: ChildProcess;
	startedAt: number;
	/** ms from spawn until GET /healthz answered 200. */
	healthzMs?: number;
	/** ms from spawn until GET /healthz/readiness answered 200 (DB migrated, server fully up). */
	readyMs?: number;
	exited: Promise<number | null>;
}

/** Environment for one n8n process in a given user folder. */
export function n8nEnv(userFolder: string, port: number, brokerPort: number, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
	return {
		...process.env,
		N8N_USER_FOLDER: userFolder,
		N8N_PORT: String(port),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_RUNNERS_BROKER_PORT: String(brokerPort),
		N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
		// The engine's own log is what we inspect for load errors; keep it plain.
		N8N_LOG_OUTPUT: 'console',
		NO_COLOR: '1',
		...extra,
	};
}

async function httpStatus(url: string): Promise<number | undefined> {
	try {
		const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
		await res.arrayBuffer();
		return res.status;
	} catch {
		return undefined;
	}
}

export async function startN8n(
	userFolder: string,
	logFile: string,
	opts: { timeoutMs?: number; env?: NodeJS.ProcessEnv; port?: number } = {},
): Promise<N8nInstance> {
	// A given port: a restart keeps the instance's URLs (webhook URLs included), as a real restart does.
	const port = opts.port ?? (await freePort());
	let brokerPort = await freePort();
	while (brokerPort === port) brokerPort = await freePort();
	const out = fs.openSync(logFile, 'w');
	const startedAt = Date.now();
	const child = spawn(requireEnv('N8N_BIN'), ['start'], {
		cwd: userFolder, // no stray .env file is picked up from the caller's directory
		env: n8nEnv(userFolder, port, brokerPort, opts.env),
		stdio: ['ignore', out, out],
		detached: true, // own process group, so the task runner can be cleaned up with it
	});
	fs.closeSync(out);
	const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
	let done = false;
	void exited.then(() => (done = true));
	const inst: N8nInstance = { userFolder, port, brokerPort, logFile, child, startedAt, exited };
	const base = `http://127.0.0.1:${port}`;
	const deadline = startedAt + (opts.timeoutMs ?? 120_000);
	while (Date.now() < deadline && !done) {
		if (inst.healthzMs === undefined && (await httpStatus(`${base}/healthz`)) === 200) inst.healthzMs = Date.now() - startedAt;
		if (inst.healthzMs !== undefined && (await httpStatus(`${base}/healthz/readiness`)) === 200) {
			inst.readyMs = Date.now() - startedAt;
			// Let start-up finish its last background step (it logs the editor URL after it), so that a quick
			// stop doesn't log shutdown noise such as "request for lock canceled".
			const settle = Date.now() + 5000;
			while (Date.now() < settle && !/Editor is now accessible/.test(fs.readFileSync(logFile, 'utf8'))) await sleep(100);
			return inst;
		}
		await sleep(100);
	}
	await stopN8n(inst);
	throw new Error(done ? `n8n exited during start-up; see ${logFile}` : `n8n did not become ready in time; see ${logFile}`);
}

export async function stopN8n(inst: N8nInstance): Promise<void> {
	if (inst.child.exitCode !== null || inst.child.signalCode !== null) return;
	const pid = inst.child.pid!;
	try {
		process.kill(pid, 'SIGTERM');
	} catch {
		return;
	}
	let timer: NodeJS.Timeout | undefined;
	const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), 30_000)));
	const first = await Promise.race([inst.exited, timeout]);
	clearTimeout(timer);
	if (first === 'timeout') {
		try {
			process.kill(-pid, 'SIGKILL'); // the process group we created
		} catch {
			/* already gone */
		}
		await inst.exited;
	}
	// The JS task runner is a child of n8n in the same group; make sure nothing of ours is left.
	try {
		process.kill(-pid, 'SIGTERM');
	} catch {
		/* group already empty */
	}
}

export interface CliResult {
	code: number | null;
	output: string;
	ms: number;
}

/** Runs `n8n <args>` against a user folder (server must not be running on the same folder). */
export async function n8nCli(userFolder: string, args: string[], logFile: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<CliResult> {
	const port = await freePort();
	const brokerPort = await freePort();
	const started = Date.now();
	return await new Promise((resolve, reject) => {
		const child = spawn(requireEnv('N8N_BIN'), args, {
			cwd: userFolder,
			env: n8nEnv(userFolder, port, brokerPort, extraEnv),
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let output = '';
		child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
		child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
		const timer = setTimeout(() => child.kill('SIGKILL'), 180_000);
		child.on('error', reject);
		child.on('close', (code) => {
			clearTimeout(timer);
			fs.appendFileSync(logFile, `\n$ n8n ${args.join(' ')}   (exit ${code})\n${output}`);
			resolve({ code, output, ms: Date.now() - started });
		});
	});
}

export interface ExecutionRecord {
	id: string;
	status: string;
	finished: boolean;
	mode: string;
	/** IRunExecutionData (flatted-decoded). */
	data: {
		resultData: {
			error?: { message?: string; description?: string };
			runData: Record<
				string,
				Array<{ error?: { message?: string; description?: string }; data?: { main?: Array<Array<{ json: Record<string, unknown> }> | null> } }>
			>;
			lastNodeExecuted?: string;
		};
	};
}

/**
 * The reliable way to read what a headless run did: its execution record in n8n's database
 * (`execution_entity` for status, `execution_data.data` for the run data, stored with `flatted`).
 */
export function readLatestExecution(userFolder: string, workflowId: string): ExecutionRecord | undefined {
	const dbFile = path.join(userFolder, '.n8n', 'database.sqlite');
	const installDir = requireEnv('N8N_INSTALL_DIR');
	const flatted = require(path.join(installDir, 'node_modules', 'flatted')) as { parse: (s: string) => unknown };
	// Node 24's built-in SQLite (the e2e runs on the Node that runs n8n).
	const { DatabaseSync } = require('node:sqlite') as {
		DatabaseSync: new (
			file: string,
			opts?: { readOnly?: boolean },
		) => {
			prepare: (sql: string) => { get: (...args: unknown[]) => Record<string, unknown> | undefined };
			close: () => void;
		};
	};
	const db = new DatabaseSync(dbFile, { readOnly: true });
	try {
		const row = db
			.prepare('SELECT id, status, finished, mode FROM execution_entity WHERE workflowId = ? ORDER BY CAST(id AS INTEGER) DESC LIMIT 1')
			.get(workflowId);
		if (!row) return undefined;
		const dataRow = db.prepare('SELECT data FROM execution_data WHERE executionId = ?').get(row.id);
		return {
			id: String(row.id),
			status: String(row.status),
			finished: Boolean(row.finished),
			mode: String(row.mode),
			data: flatted.parse(String(dataRow?.data ?? '[{}]')) as ExecutionRecord['data'],
		};
	} finally {
		db.close();
	}
}

/** Output items (first output) of a node in an execution. */
export function nodeOutput(exec: ExecutionRecord, nodeName: string): Array<Record<string, unknown>> | undefined {
	const runs = exec.data.resultData.runData[nodeName];
	if (!runs?.length) return undefined;
	return (runs[runs.length - 1].data?.main?.[0] ?? []).map((i) => i.json);
}

/** Problems n8n logs when a community package (or one of its nodes/credentials) fails to load. */
export const LOAD_ERROR_PATTERNS: RegExp[] = [
	/Failed to load package/i,
	/Skipping package/i,
	/Error loading (node|credential)/i,
	/Class could not be found/i,
	/Unrecognized (node|credential) type/i,
	/is already loaded/i,
	/Cannot find module/i,
	/\bn8n-nodes-stripe\b[^\n]*(error|failed|invalid)/i,
	/Icon path .* is not contained/i,
];

export function loadErrors(log: string): string[] {
	return log
		.split('\n')
		.filter((line) => !/^\s+at /.test(line)) // stack frames
		.map((line) => line.replace(/\S*\/\.cache\/n8n-nodes-stripe\/\S*/g, '<n8n install>')) // the install cache's path
		.filter((line) => LOAD_ERROR_PATTERNS.some((re) => re.test(line)))
		.slice(0, 20);
}
