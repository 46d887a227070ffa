// Runs n8n's own community-package scanner (@n8n/scan-community-package, the gate n8n applies before it
// verifies a package) on this repository, offline: its exported `analyzePackage`, as its cli.mjs does after
// downloading a package, on
//   1. the source, with the scanner's SOURCE_FILE_PATTERNS (package.json, nodes/ and credentials/ sources):
//      the leg that runs the eslint-plugin-n8n-nodes-base rule sets of `n8n-node lint`;
//   2. the packed tarball (`npm pack` of the built package, unpacked), with every file pattern the scanner
//      knows (`**/*.js`, `**/*.ts`, `**/*.json`): stricter than its tarball leg (`**/*.js` + package.json),
//      so a stray .ts or .d.ts in the package is caught too.
// The provenance leg needs a package published to the registry and is out of scope here.
// Prints what each leg found and exits non-zero unless both pass. Usage: `npm run scan` (builds first).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { analyzePackage, SOURCE_FILE_PATTERNS } from '@n8n/scan-community-package/scanner/scanner.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-stripe-scan-'));
let failed = 0;

function report(leg, result, detail) {
	if (result.passed) console.log(`PASS  scanner: ${leg}${detail ? ` (${detail})` : ''}`);
	else {
		failed++;
		console.log(`FAIL  scanner: ${leg}: ${result.message}`);
		if (result.details) console.log(result.details);
	}
}

try {
	report('source (SOURCE_FILE_PATTERNS)', await analyzePackage(root, SOURCE_FILE_PATTERNS));

	const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], { cwd: root, encoding: 'utf8' }))[0];
	const unpacked = path.join(work, 'package');
	execFileSync('tar', ['-xzf', path.join(work, packed.filename), '-C', work]);
	const typings = packed.files.filter((f) => /\.ts$/.test(f.path)).map((f) => f.path);
	report(
		'packed tarball (**/*.js, **/*.ts, **/*.json)',
		await analyzePackage(unpacked),
		`${packed.entryCount} files, ${(packed.size / 1024).toFixed(0)} KiB packed, ${(packed.unpackedSize / 1024).toFixed(0)} KiB unpacked`,
	);
	if (typings.length) {
		failed++;
		console.log(`FAIL  the package ships TypeScript files n8n never loads: ${typings.slice(0, 5).join(', ')}${typings.length > 5 ? ', …' : ''}`);
	} else console.log('PASS  the package ships no .ts / .d.ts files');
} finally {
	fs.rmSync(work, { recursive: true, force: true });
}
console.log(`${failed ? 'scan failed' : 'scan passed'}`);
process.exit(failed ? 1 : 0);
