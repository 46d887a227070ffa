/**
 * Process-wide environment for running n8n-core inside tests.
 *
 * n8n-core resolves its services (InstanceSettings, BinaryDataService, Logger, ...) lazily from
 * the @n8n/di container, and those services read their configuration from environment variables
 * at the moment they are first constructed. This module therefore sets the environment at import
 * time, before anything asks the container for a service, so that n8n-core:
 *
 * - keeps its settings file and binary data in a throw-away temp folder (never the user's ~/.n8n),
 * - uses a fixed encryption key,
 * - logs nothing (set N8N_HARNESS_LOG_LEVEL=debug to see n8n-core's logs while debugging),
 * - talks to the network directly (no proxy agents, no SSRF DNS checks), so nock can intercept
 *   every request made through axios / node:http.
 *
 * Import the harness (`test/harness/engine`) before anything that calls `Container.get(...)`.
 * `ensureEngineEnvironment()` verifies that this worked and fails loudly if it did not.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export type BinaryDataMode = 'filesystem' | 'default';

const TEMP_ROOT = mkdtempSync(path.join(tmpdir(), 'n8n-nodes-stripe-harness-'));
const BINARY_DATA_DIR = path.join(TEMP_ROOT, 'binary-data');
mkdirSync(BINARY_DATA_DIR, { recursive: true });

/** Fixed so that anything n8n-core encrypts in a test run is reproducible. */
export const HARNESS_ENCRYPTION_KEY = 'n8n-nodes-stripe-test-harness-key';

function applyEnvironment(): void {
	const env = process.env;
	env.N8N_USER_FOLDER = TEMP_ROOT;
	env.N8N_ENCRYPTION_KEY = HARNESS_ENCRYPTION_KEY;
	env.N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS = 'false';
	env.N8N_LOG_LEVEL = env.N8N_HARNESS_LOG_LEVEL ?? 'silent';
	env.N8N_DEFAULT_BINARY_DATA_MODE = 'filesystem';
	env.N8N_BINARY_DATA_STORAGE_PATH = BINARY_DATA_DIR;
	delete env.N8N_STORAGE_PATH;
	env.N8N_SSRF_PROTECTION_ENABLED = 'false';
	// n8n's HTTP stack honours the standard proxy variables; a proxy would make requests go to the
	// proxy host, which nock would (rightly) refuse. Tests never need a proxy.
	for (const name of ['HTTP_PROXY', 'HTTPS_PROXY', 'ALL_PROXY', 'http_proxy', 'https_proxy', 'all_proxy']) {
		delete env[name];
	}
}

applyEnvironment();

process.once('exit', () => {
	try {
		rmSync(TEMP_ROOT, { recursive: true, force: true });
	} catch {
		// best effort
	}
});

/** The temp folder that stands in for the n8n user folder during this test process. */
export function harnessTempDir(): string {
	return TEMP_ROOT;
}

/** Where binary data lives in `filesystem` mode during this test process. */
export function harnessBinaryDataDir(): string {
	return BINARY_DATA_DIR;
}
