// Builds the package with `n8n-node build` (@n8n/node-cli 0.48.3) in a copy of its sources and compares the
// result with what `npm run build` wrote to dist/ (run `npm run build` first; `.ci/run` runs this after the
// scan, which builds).
//
// What `n8n-node build` does (node_modules/@n8n/node-cli/dist/commands/build.js): it deletes dist/, runs
// `tsc` with tsconfig.json, and copies every `**/*.{png,svg}` and `**/__schema__/**/*.json` of the folder
// (except dist/ and node_modules/) into dist/ at the same relative path. On this package:
//   - tsc compiles nodes/, credentials/ and generated/ exactly as `npm run build` does (same tsconfig.json):
//     this script checks that every compiled .js file is byte for byte the one in dist/;
//   - the icons (icons/*.svg) are copied to the same place as gulpfile.js copies them;
//   - it does not fit a generated package in four places, which `npm run build` does instead:
//       1. the output schemas are generated from stripe@17.4.0 (`npm run generate`) before tsc;
//       2. each node's codex file (nodes/<Node>/<Node>.node.json) is not copied (the CLI's template has
//          tsc emit it through `include`; gulpfile.js copies it);
//       3. the output schemas are generated into generated/schemas/ and must land in
//          dist/nodes/<Node>/__schema__/v1.0.0/ (gulpfile.js), not at their source path;
//       4. n8n's lazy-loading metadata (dist/known/, dist/types/, dist/methods/) is written by n8n-core's
//          `n8n-generate-metadata`, which the CLI does not run.
//     And its copy takes every PNG and SVG below the repository, so the end-to-end screenshots in
//     test-artifacts/ would be published inside dist/. So `npm run build` stays the build; this script
//     proves that n8n's build accepts the package and compiles it to the same code.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SOURCES = ['package.json', 'tsconfig.json', 'nodes', 'credentials', 'icons', 'generated'];

function walk(dir, base = dir) {
	if (!fs.existsSync(dir)) return [];
	return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
		const p = path.join(dir, e.name);
		return e.isDirectory() ? walk(p, base) : [path.relative(base, p)];
	});
}

for (const entry of [...SOURCES, 'dist']) {
	if (!fs.existsSync(path.join(root, entry))) {
		console.error(`n8n-node build check: ${entry} is missing (run npm run build first)`);
		process.exit(1);
	}
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-stripe-n8n-node-build-'));
let failed = 0;
try {
	const pkgDir = path.join(work, 'n8n-nodes-stripe');
	fs.mkdirSync(pkgDir);
	for (const entry of SOURCES) fs.cpSync(path.join(root, entry), path.join(pkgDir, entry), { recursive: true });
	fs.symlinkSync(path.join(root, 'node_modules'), path.join(pkgDir, 'node_modules'), 'dir');
	const result = spawnSync(path.join(root, 'node_modules', '.bin', 'n8n-node'), ['build'], { cwd: pkgDir, encoding: 'utf8', env: { ...process.env, CI: '1' } });
	if (result.status !== 0) {
		console.error(`FAIL  n8n-node build exited with ${result.status}\n${result.stdout}\n${result.stderr}`);
		process.exit(1);
	}
	console.log('PASS  n8n-node build succeeds on the package (after npm run generate)');

	const theirs = walk(path.join(pkgDir, 'dist')).sort();
	const ours = new Set(walk(path.join(root, 'dist')));
	const differing = theirs.filter((f) => !ours.has(f) || !fs.readFileSync(path.join(pkgDir, 'dist', f)).equals(fs.readFileSync(path.join(root, 'dist', f))));
	if (differing.length) {
		failed++;
		console.log(
			`FAIL  ${differing.length} of the ${theirs.length} files n8n-node build wrote differ from dist/ or are missing there: ${differing.slice(0, 5).join(', ')}`,
		);
	} else console.log(`PASS  the ${theirs.length} files n8n-node build wrote (compiled .js, icons) are byte for byte those in dist/`);

	const theirSet = new Set(theirs);
	const added = [...ours].filter((f) => !theirSet.has(f));
	const kinds = {
		'codex files (nodes/<Node>/<Node>.node.json, gulpfile.js)': (f) => /^nodes\/[^/]+\/[^/]+\.node\.json$/.test(f),
		'output schemas (__schema__/v1.0.0/, gulpfile.js)': (f) => f.includes('/__schema__/'),
		'lazy-loading metadata (known/, types/, methods/, n8n-generate-metadata)': (f) => /^(known|types|methods)\//.test(f),
	};
	for (const [kind, test] of Object.entries(kinds)) console.log(`      npm run build adds ${added.filter(test).length} ${kind}`);
	const other = added.filter((f) => !Object.values(kinds).some((t) => t(f)));
	if (other.length) {
		failed++;
		console.log(`FAIL  npm run build writes files n8n-node build does not, and this script does not account for: ${other.slice(0, 5).join(', ')}`);
	}
} finally {
	fs.rmSync(work, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
