#!/usr/bin/env node
/*
 * The package's weight in n8n's editor: its share of the node types file n8n 2.41.1 writes at start and the
 * editor downloads (`/types/nodes.json`, `<N8N_USER_FOLDER>/.cache/n8n/public/types/nodes.json`), AI tool
 * twins included, raw and gzip, against the issue-24 budgets; the largest node; and the largest operation's
 * parameter panel. Run after `npm run build`:
 *
 *   node scripts/measure-descriptions.js [--json] [--nodes-json FILE] [--check]
 *
 * How the entries are made: with the installed n8n (scripts/ensure-n8n.sh), by n8n's own code. n8n-core's
 * LazyPackageDirectoryLoader loads the package folder as n8n loads an installed community package (it has no
 * prebuilt dist/types, so it loads every node file), and the CLI's LoadNodesAndCredentials.postProcessLoaders
 * runs on it: the package-qualified names, the tool twins of `usableAsTool` nodes (tool-generation
 * createAiTools/convertNodeToAiTool), the human-in-the-loop twins, the Custom API Call options. Each entry is
 * then one line of the file as FrontendService.writeStaticJSON writes it (`JSON.stringify(entry)` + ",\n").
 * gzip: those lines together, gzip level 6 (zlib's default, the level of the compression n8n serves with).
 * --nodes-json FILE measures the package's entries of a nodes.json n8n wrote instead (the same figures; see
 * BENCHMARKS.md). Without the n8n install, the node descriptions alone are measured (no tool twins).
 * --check: exit 1 when the share is over a budget, or when it could not be measured with n8n's tool twins.
 */
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const zlib = require('zlib');

const ROOT = path.join(__dirname, '..');
const pkg = require('../package.json');

/**
 * Issue 24's budgets for the package's share of /types/nodes.json (MB and KB: 10^6 and 10^3 bytes): its new
 * fields paid for by sharing what is repeated (nodes/shared/fields/sharing.ts), no help text cut. Issue 20's
 * 4.5 MB / 450 KB (whole help texts, units and dates) stays the upper limit.
 */
const BUDGET = { rawBytes: 3.3e6, gzipBytes: 350e3 };

function argValue(name) {
	const i = process.argv.indexOf(name);
	return i === -1 ? undefined : process.argv[i + 1];
}

function n8nModules() {
	const cache = process.env.N8N_STRIPE_CACHE || path.join(os.homedir(), '.cache', 'n8n-nodes-stripe');
	const dir = path.join(cache, `n8n-${process.env.N8N_VERSION || '2.41.1'}`, 'node_modules');
	return fs.existsSync(path.join(dir, 'n8n', 'dist', 'load-nodes-and-credentials.js')) ? dir : undefined;
}

/** The package's entries of n8n's node types list, made by n8n's own loader and post-processing. */
async function entriesByN8n(modules) {
	const core = require(path.join(modules, 'n8n-core'));
	const { LoadNodesAndCredentials } = require(path.join(modules, 'n8n', 'dist', 'load-nodes-and-credentials.js'));
	const loader = new core.LazyPackageDirectoryLoader(ROOT, [], []);
	await loader.loadAll();
	// postProcessLoaders reads only these fields of the service (its DI-built rest is not needed here).
	const quiet = { debug() {}, info() {}, warn: (m) => console.error(`[n8n] ${m}`), error: (m) => console.error(`[n8n] ${m}`) };
	const service = Object.assign(Object.create(LoadNodesAndCredentials.prototype), {
		loaders: { [loader.packageName]: loader },
		postProcessors: [],
		logger: quiet,
	});
	await service.postProcessLoaders();
	const version = require(path.join(modules, 'n8n', 'package.json')).version;
	return { entries: service.types.nodes, source: `made by n8n ${version}'s loader and postProcessLoaders (tool twins included)` };
}

function entriesFromFile(file) {
	const all = JSON.parse(fs.readFileSync(file, 'utf8'));
	return { entries: all.filter((e) => e.name.startsWith(`${pkg.name}.`)), source: `the package's entries of ${file}` };
}

function entriesOwn() {
	const entries = pkg.n8n.nodes.map((file) => {
		const NodeClass = Object.values(require(path.join(ROOT, file))).find((v) => typeof v === 'function');
		return new NodeClass().description;
	});
	return { entries, source: 'the node descriptions alone: no n8n install (bash scripts/ensure-n8n.sh), so no tool twins' };
}

const shows = (p, key, value) => {
	const show = p.displayOptions && p.displayOptions.show && p.displayOptions.show[key];
	const hide = p.displayOptions && p.displayOptions.hide && p.displayOptions.hide[key];
	return (!show || show.includes(value)) && !(hide && hide.includes(value));
};

/**
 * The properties n8n may show for one resource/operation (other display conditions counted as shown); of a
 * collection, the members shown for it (a shared "Additional Fields" holds those of several operations).
 */
function panelOf(entry, resource, operation) {
	const props = entry.properties
		.filter((p) => shows(p, 'resource', resource) && shows(p, 'operation', operation))
		.map((p) =>
			p.type === 'collection' ? { ...p, options: p.options.filter((m) => shows(m, '/resource', resource) && shows(m, '/operation', operation)) } : p,
		);
	return { fields: props.length, bytes: Buffer.byteLength(JSON.stringify(props)) };
}

/**
 * The operation whose parameter panel has the most properties (in bytes) over the given node descriptions:
 * { node, name, resource, operation, action, fields, bytes }. The editor e2e opens this panel and times it.
 */
function largestOperationPanel(entries) {
	let largest;
	for (const entry of entries) {
		for (const op of entry.properties.filter((p) => p.name === 'operation')) {
			for (const resource of (op.displayOptions && op.displayOptions.show && op.displayOptions.show.resource) || []) {
				for (const o of op.options) {
					const panel = panelOf(entry, resource, o.value);
					if (!largest || panel.bytes > largest.bytes)
						largest = { node: entry.displayName, name: entry.name, resource, operation: o.value, action: o.action || o.name, ...panel };
				}
			}
		}
	}
	return largest;
}

function measure({ entries, source }) {
	const lines = entries.map((e) => Buffer.from(`${JSON.stringify(e)},\n`));
	const rawBytes = lines.reduce((n, l) => n + l.length, 0);
	const gzipBytes = zlib.gzipSync(Buffer.concat(lines), { level: 6 }).length;
	const byName = new Map(entries.map((e, i) => [e.name, { entry: e, bytes: lines[i].length - 2 }]));
	const nodes = [];
	const largestOperation = largestOperationPanel(entries.filter((e) => !(e.name.endsWith('Tool') && byName.has(e.name.slice(0, -4)))));
	for (const [name, { entry, bytes }] of byName) {
		if (name.endsWith('Tool') && byName.has(name.slice(0, -4))) continue;
		const twin = byName.get(`${name}Tool`);
		const operationProps = entry.properties.filter((p) => p.name === 'operation');
		nodes.push({
			node: entry.displayName,
			// Custom API Call (the package's own, last in each dropdown, or n8n's) is not an operation of its own.
			operations: operationProps.reduce((n, p) => n + p.options.filter((o) => !['customApiCall', '__CUSTOM_API_CALL__'].includes(o.value)).length, 0),
			properties: entry.properties.length,
			bytes,
			toolTwinBytes: twin ? twin.bytes : 0,
		});
	}
	nodes.sort((a, b) => b.bytes - a.bytes);
	const largest = entries.reduce(
		(best, e, i) => (!best || lines[i].length - 2 > best.bytes ? { node: e.displayName, name: e.name, bytes: lines[i].length - 2 } : best),
		undefined,
	);
	return {
		source,
		n8nVersionOfFile: '2.41.1',
		entries: entries.length,
		toolTwins: nodes.filter((n) => n.toolTwinBytes).length,
		rawBytes,
		gzipBytes,
		budget: BUDGET,
		withinBudget: { raw: rawBytes <= BUDGET.rawBytes, gzip: gzipBytes <= BUDGET.gzipBytes },
		largestNode: largest,
		largestOperation,
		nodes,
		// The node descriptions alone (before n8n's twins), as earlier versions of this script reported.
		totalBytes: nodes.reduce((n, r) => n + r.bytes, 0),
	};
}

const kib = (b) => `${(b / 1024).toFixed(1)} KiB`;
const mb = (b) => `${(b / 1e6).toFixed(2)} MB`;
const kb = (b) => `${(b / 1e3).toFixed(0)} KB`;

async function main() {
	const file = argValue('--nodes-json');
	const modules = n8nModules();
	const r = measure(file ? entriesFromFile(file) : modules ? await entriesByN8n(modules) : entriesOwn());
	if (process.argv.includes('--json')) {
		console.log(JSON.stringify(r, null, 2));
		return;
	}
	console.log(`${'node'.padEnd(30)} ${'operations'.padStart(10)} ${'properties'.padStart(10)} ${'description'.padStart(12)} ${'tool twin'.padStart(12)}`);
	for (const n of r.nodes)
		console.log(
			`${n.node.padEnd(30)} ${String(n.operations).padStart(10)} ${String(n.properties).padStart(10)} ${kib(n.bytes).padStart(12)} ${(n.toolTwinBytes ? kib(n.toolTwinBytes) : '-').padStart(12)}`,
		);
	console.log(`\nentries: ${r.source}`);
	console.log(`share of n8n's /types/nodes.json: ${r.entries} entries (${r.nodes.length} nodes, ${r.toolTwins} tool twins)`);
	console.log(`  raw  ${mb(r.rawBytes).padStart(9)} (${r.rawBytes} bytes)  budget ≤ ${mb(BUDGET.rawBytes)}  ${r.withinBudget.raw ? 'within' : 'OVER'}`);
	console.log(`  gzip ${kb(r.gzipBytes).padStart(9)} (${r.gzipBytes} bytes)  budget ≤ ${kb(BUDGET.gzipBytes)}  ${r.withinBudget.gzip ? 'within' : 'OVER'}`);
	console.log(`largest node: ${r.largestNode.node} (${r.largestNode.name}), ${kib(r.largestNode.bytes)}`);
	const o = r.largestOperation;
	if (o) console.log(`largest operation panel: ${o.node} › ${o.resource} › ${o.operation} ("${o.action}"), ${o.fields} fields, ${kib(o.bytes)} of properties`);
	if (process.argv.includes('--check')) {
		if (!r.toolTwins) {
			console.error('--check: measured without the tool twins (no n8n install: bash scripts/ensure-n8n.sh)');
			process.exitCode = 1;
		} else if (!r.withinBudget.raw || !r.withinBudget.gzip) process.exitCode = 1;
	}
}

module.exports = { largestOperationPanel };

if (require.main === module)
	main().catch((e) => {
		console.error(e);
		process.exit(1);
	});
