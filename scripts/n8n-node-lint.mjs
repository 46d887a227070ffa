// Runs `n8n-node lint` (@n8n/node-cli, the CLI n8n's verification guidelines name) unmodified on the
// package's sources, as it runs in a project made with `n8n-node new`: its own binary, in a folder holding
// the package and nothing else.
//
// What the CLI does (node_modules/@n8n/node-cli/dist/commands/lint.js, 0.48.3): it refuses to run outside a
// package whose package.json has an `n8n` field; with `"strict": true` under `n8n` (ours) it fails unless
// eslint.config.mjs is, whitespace aside, its template (`import { config } from '@n8n/node-cli/eslint';
// export default config;`), which is what makes a package eligible for n8n Cloud; then it runs `eslint .`
// with that config (dist/configs/eslint.js): ESLint's and typescript-eslint's recommended rules,
// @n8n/eslint-plugin-community-nodes `recommended` (the Cloud variant: no-restricted-globals and
// no-restricted-imports included), eslint-plugin-import-x's recommended rules, `no-console`, and the
// `community`, `credentials` and `nodes` sets of eslint-plugin-n8n-nodes-base, on every .ts file and
// package.json below the folder (only dist/ is ignored). Warnings do not fail it; errors do.
//
// Why a folder of its own: run in the repository root, `eslint .` would also lint the repository's tests,
// benchmarks and scripts (test/, bench/) with the rules for node code, and they use Node's APIs (files,
// processes, sockets, timers) on purpose; they are not part of the package. So the package's sources are
// copied to a temporary folder as they are (package.json, eslint.config.mjs, tsconfig.json, nodes/,
// credentials/, icons/, and generated/, which the node files import: `npm run generate` writes it) with a
// link to node_modules/, and the CLI runs there. eslint.repo.config.mjs lints the rest of the repository.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PACKAGE_SOURCES = ['package.json', 'eslint.config.mjs', 'tsconfig.json', 'nodes', 'credentials', 'icons', 'generated'];

for (const entry of PACKAGE_SOURCES) {
	if (!fs.existsSync(path.join(root, entry))) {
		console.error(`n8n-node lint: ${entry} is missing${entry === 'generated' ? ' (run npm run generate)' : ''}`);
		process.exit(1);
	}
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-stripe-n8n-node-lint-'));
let status = 1;
try {
	const pkgDir = path.join(work, 'n8n-nodes-stripe');
	fs.mkdirSync(pkgDir);
	for (const entry of PACKAGE_SOURCES) fs.cpSync(path.join(root, entry), path.join(pkgDir, entry), { recursive: true });
	fs.symlinkSync(path.join(root, 'node_modules'), path.join(pkgDir, 'node_modules'), 'dir');
	const result = spawnSync(path.join(root, 'node_modules', '.bin', 'n8n-node'), ['lint'], {
		cwd: pkgDir,
		stdio: 'inherit',
	});
	status = result.status ?? 1;
	if (result.error) console.error(result.error.message);
} finally {
	fs.rmSync(work, { recursive: true, force: true });
}
process.exit(status);
