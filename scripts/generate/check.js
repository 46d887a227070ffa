/*
 * --check: the generated descriptors type-check as FamilyDescriptor literals, the committed generated/ is what
 * the inputs generate, and nothing scaffolded from the family table drifted. Works on a fresh output folder.
 */
'use strict';
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');
const { ROOT, STRIPE_VERSION, FAMILY_MAP } = require('./inputs');
const { committedDrift } = require('./write');
const { renderScaffold, scaffoldDrift } = require('../scaffold-family-nodes');

/** Type-checks every family with operations as a typed object literal (excess properties and wrong types are errors); true when it passes. */
function typeCheck(outDir, withOps) {
	const typesFile = path.join(ROOT, 'nodes/shared/model/descriptor.ts').replace(/\.ts$/, '');
	const dir = path.join(outDir, 'typecheck');
	fs.mkdirSync(dir, { recursive: true });
	for (const fam of withOps) {
		fs.writeFileSync(
			path.join(dir, `${fam.family}.ts`),
			`import type { FamilyDescriptor } from ${JSON.stringify(typesFile)};\nexport const family: FamilyDescriptor = ${JSON.stringify(fam, null, 1)};\n`,
		);
	}
	fs.writeFileSync(
		path.join(dir, 'tsconfig.json'),
		JSON.stringify({
			compilerOptions: { strict: true, noEmit: true, skipLibCheck: true, target: 'es2021', module: 'commonjs', moduleResolution: 'node' },
			include: ['*.ts'],
		}),
	);
	try {
		execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(dir, 'tsconfig.json')], { stdio: 'pipe', encoding: 'utf8' });
		console.log(`[generate --check] ${withOps.length} generated descriptors type-check against nodes/shared/model/descriptor.ts`);
		return true;
	} catch (e) {
		console.error(
			`[generate --check] generated descriptors do not match nodes/shared/model/descriptor.ts:\n${String(e.stdout || e.message)
				.split('\n')
				.slice(0, 20)
				.join('\n')}`,
		);
		return false;
	}
}

/** Runs the three checks on the output in outDir (then removes it); exits 1 if any fails. */
function check(outDir, families) {
	const withOps = Object.values(families).filter((f) => f.resources.length);
	let failed = !typeCheck(outDir, withOps);
	const stale = committedDrift(outDir);
	if (stale.length) {
		failed = true;
		console.error(
			`[generate --check] generated/ is out of date with its inputs (stripe@${STRIPE_VERSION}, descriptors/): ${stale.join(', ')}. ` +
				'Run npm run generate, review the diff (git diff generated/) and commit it.',
		);
	} else console.log('[generate --check] generated/ is what the inputs generate (families, event types)');
	const drift = scaffoldDrift(renderScaffold(FAMILY_MAP, (key) => withOps.some((f) => f.family === key)));
	if (drift.length) {
		failed = true;
		console.error(`[generate --check] out of date with the family table: ${drift.join(', ')} (run node scripts/scaffold-family-nodes.js)`);
	} else console.log('[generate --check] node files, codex files and package.json n8n.nodes agree with the family table');
	fs.rmSync(outDir, { recursive: true, force: true });
	if (failed) process.exit(1);
}

module.exports = { check };
