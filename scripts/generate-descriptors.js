#!/usr/bin/env node
/*
 * Descriptor generator.
 *
 * Reads the pinned devDependency stripe@17.4.0 — its method tables (cjs/resources/**, captured by loading the
 * SDK with a recording stand-in for StripeResource.method) and its typings (types/**, read with the TypeScript
 * compiler API) — plus the committed family map (descriptors/family-map.json) and hand-authored operations
 * (descriptors/hand-authored/*.json), and writes one descriptor per family to generated/families/<family>.json
 * (pretty-printed) with its typed wrapper <family>.ts, and the event types to generated/event-types.ts.
 *
 * Those are committed, so a change to the inputs shows as a diff; the output schemas (generated/schemas/) are
 * build output (git-ignored). `npm run build` runs this first.
 *
 *   node scripts/generate-descriptors.js [--out DIR]   (into generated/, it also writes the scaffolded node files,
 *                                                      codex files and package.json n8n.nodes that differ from
 *                                                      the family table: scripts/scaffold-family-nodes.js)
 *   node scripts/generate-descriptors.js --check
 *
 * The steps are modules in scripts/generate/: inputs.js (every input, in one place), method-table.js (1),
 * typings.js (2), operations.js (3: one operation per SDK method) with overrides.js (4), families.js and
 * hand-authored.js (5: assembled into families), field-hints.js (6: how parameters are shown), write.js (7),
 * check.js (--check), output-schemas.js (the response typings as output schemas).
 *
 * --check writes nothing into the tree. It generates into a temporary folder, type-checks every generated
 * descriptor (hand-authored operations included) against nodes/shared/model/descriptor.ts with tsc, as typed
 * object literals (excess properties and wrong types are errors), and checks that the scaffolded files (node
 * files, codex files, package.json n8n.nodes) agree with the family table (scripts/scaffold-family-nodes.js).
 * It also compares what it generated with the committed generated/ (families, event types). It exits 1 on
 * any difference. `npm test` runs it first.
 */
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { ROOT, STRIPE_VERSION, FAMILY_MAP } = require('./generate/inputs');
const { loadMethodTable } = require('./generate/method-table');
const { createChecker, loadSignatures } = require('./generate/typings');
const { emptyFamilies, placeSdkOperations, placeHandAuthored } = require('./generate/families');
const { markFields } = require('./generate/field-hints');
const { writeFamilies, writeEventTypes, writeSchemas } = require('./generate/write');
const { check } = require('./generate/check');
const { renderScaffold, scaffoldDrift, writeScaffold } = require('./scaffold-family-nodes');

const args = process.argv.slice(2);
const CHECK = args.includes('--check');
const OUT_DIR = CHECK
	? fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-stripe-generate-check-'))
	: args.includes('--out')
		? path.resolve(args[args.indexOf('--out') + 1])
		: path.join(ROOT, 'generated');

/** Steps 1 and 2: stripe-node's method tables and typings, every method with its typings. */
function readSdk() {
	const table = loadMethodTable();
	const { program, checker } = createChecker();
	const sigs = loadSignatures(program, checker);
	const missingTypes = [...table.keys()].filter((k) => !sigs.has(k));
	if (missingTypes.length) throw new Error(`no typings found for SDK methods: ${missingTypes.join(', ')}`);
	return { table, program, checker, sigs };
}

function main() {
	const t0 = Date.now();
	const sdk = readSdk();
	const families = emptyFamilies();
	const schemas = [];
	const unmapped = placeSdkOperations(families, sdk, schemas);
	placeHandAuthored(families, sdk, schemas);
	markFields(families);
	const summary = writeFamilies(OUT_DIR, families);
	writeEventTypes(OUT_DIR);
	writeSchemas(OUT_DIR, families, schemas);
	// Every SDK operation must have a home (or a stated reason in `excluded`).
	if (unmapped.length) throw new Error(`SDK methods missing from descriptors/family-map.json: ${unmapped.join(', ')}`);
	const excluded = Object.keys(FAMILY_MAP.excluded || {});
	console.log(
		`[generate] stripe@${STRIPE_VERSION}: ${sdk.table.size} SDK methods, ${sdk.table.size - excluded.length} mapped, excluded: ${excluded.join(', ') || 'none'} (${Date.now() - t0} ms)`,
	);
	for (const s of summary) console.log(`[generate]   ${s}`);
	return families;
}

const families = main();
if (CHECK) check(OUT_DIR, families);
else if (OUT_DIR === path.join(ROOT, 'generated')) {
	// The scaffolded files follow the family table: a new family is one table entry plus `npm run generate`.
	const files = renderScaffold(FAMILY_MAP, (key) => families[key].resources.length > 0);
	const drift = scaffoldDrift(files);
	if (drift.length) {
		writeScaffold(Object.fromEntries(drift.map((rel) => [rel, files[rel]])));
		console.log(`[generate] scaffolded from the family table: ${drift.join(', ')}`);
	}
}
