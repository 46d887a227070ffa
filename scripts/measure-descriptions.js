#!/usr/bin/env node
// Prints the size of every node's description JSON (what n8n sends to the editor) and the package's total.
// Run after `npm run build`:  node scripts/measure-descriptions.js [--json]
'use strict';
const path = require('path');

const pkg = require('../package.json');
const rows = [];
for (const file of pkg.n8n.nodes) {
	const abs = path.join(__dirname, '..', file);
	const mod = require(abs);
	const NodeClass = Object.values(mod).find((v) => typeof v === 'function');
	const description = new NodeClass().description;
	const json = JSON.stringify(description);
	const ops = description.properties.filter((p) => p.name === 'operation').reduce((n, p) => n + p.options.length, 0);
	rows.push({ node: description.displayName, properties: description.properties.length, operations: ops, bytes: Buffer.byteLength(json) });
}
rows.sort((a, b) => b.bytes - a.bytes);
const total = rows.reduce((n, r) => n + r.bytes, 0);
if (process.argv.includes('--json')) {
	console.log(JSON.stringify({ nodes: rows, totalBytes: total }, null, 2));
} else {
	console.log(`${'node'.padEnd(30)} ${'operations'.padStart(10)} ${'properties'.padStart(10)} ${'description'.padStart(12)}`);
	for (const r of rows)
		console.log(
			`${r.node.padEnd(30)} ${String(r.operations).padStart(10)} ${String(r.properties).padStart(10)} ${(r.bytes / 1024).toFixed(1).padStart(8)} KiB`,
		);
	console.log(
		`${'all nodes'.padEnd(30)} ${String(rows.reduce((n, r) => n + r.operations, 0)).padStart(10)} ${''.padStart(10)} ${(total / 1024).toFixed(1).padStart(8)} KiB`,
	);
}
