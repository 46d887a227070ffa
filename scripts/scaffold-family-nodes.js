#!/usr/bin/env node
/*
 * The thin family node files, from the family table (`families` of descriptors/family-map.json: key, class,
 * display name, description, search aliases, resources). For every family with operations it renders
 * nodes/<Class>/<Class>.node.ts and the codex nodes/<Class>/<Class>.node.json, and lists the nodes in
 * package.json's n8n.nodes. The node files are committed source (n8n's lint reads their literal descriptions);
 * everything they show comes from the generated descriptor.
 *
 *   node scripts/scaffold-family-nodes.js           writes the files (after adding a family to the table)
 *   node scripts/scaffold-family-nodes.js --check   writes nothing; exits 1 naming every file that differs
 *
 * `npm run generate -- --check` runs the check too (scripts/generate-descriptors.js).
 */
'use strict';
const fs = require('fs');
const path = require('path');
const { plural } = require('./words');

const ROOT = path.join(__dirname, '..');

/**
 * Every scaffolded file as { relative path: content }, package.json included.
 * `hasOperations(key)` tells whether the generator produced a descriptor for a family.
 */
function renderScaffold(map, hasOperations) {
	const files = {};
	const nodes = [];
	for (const [key, fam] of Object.entries(map.families)) {
		if (!hasOperations(key)) continue;
		if (!fam.description || !Array.isArray(fam.aliases)) throw new Error(`family ${key}: the family table needs a description and aliases`);
		files[`nodes/${fam.className}/${fam.className}.node.ts`] = nodeFile(key, fam);
		files[`nodes/${fam.className}/${fam.className}.node.json`] = codexFile(fam, searchAliases(key, fam, map.operations ?? {}));
		nodes.push(`dist/nodes/${fam.className}/${fam.className}.node.js`);
	}
	const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
	// Keep the package's other nodes (the trigger); family nodes come first, in table order.
	const familyClasses = Object.values(map.families).map((f) => f.className);
	const others = pkg.n8n.nodes.filter((n) => !familyClasses.some((c) => n === `dist/nodes/${c}/${c}.node.js`));
	pkg.n8n.nodes = [...nodes, ...others];
	files['package.json'] = JSON.stringify(pkg, null, 2) + '\n';
	return files;
}

function nodeFile(key, fam) {
	const cls = fam.className;
	const name = cls[0].toLowerCase() + cls.slice(1);
	return `import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { family } from '../../generated/families/${key}';
import { executeFamily } from '../shared/execution/executor';
import { buildProperties } from '../shared/fields/properties';
import { familyMethods } from '../shared/pickers/lookups';

/** ${fam.displayName}: every operation comes from the generated ${fam.title} descriptor. */
export class ${cls} implements INodeType {
	description: INodeTypeDescription = {
		displayName: '${fam.displayName}',
		name: '${name}',
		icon: { light: 'file:../../icons/stripe.svg', dark: 'file:../../icons/stripe.dark.svg' },
		group: ['transform'],
		// 1.1: required objects start open (nodes/shared/fields/shapes versionedObject).
		version: [1, 1.1],
		defaultVersion: 1.1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: '${fam.description.replace(/'/g, "\\'")}',
		defaults: { name: '${fam.displayName}' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'stripeKeyApi', required: true }],
		properties: buildProperties(family),
	};

	methods = familyMethods;

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return executeFamily(this, family);
	}
}
`;
}

/** What an SDK method's verb is called where people search: `retrieve` → get, `del` → delete, `finalizeInvoice` → finalize. */
const VERBS = { retrieve: 'get', del: 'delete', list: 'list', create: 'create', update: 'update', search: 'search' };

/**
 * The words n8n's node creator finds this node by, besides its display name. n8n 2.41's node creator matches
 * the typed text as an in-order subsequence (case-insensitive) of the display name and of each `codex.alias`
 * (@n8n/utils sublimeSearch, keys displayName and codex.alias), so a query of several words or a plural must
 * be within one alias: every resource's name in the plural ("refunds", which "refund" finds too), a verb with each
 * resource ("create subscription", "cancel subscription", "send invoice", "list customers"), from the
 * operations of the family map; then the family table's own aliases (synonyms: "discount", "chargeback").
 */
function searchAliases(key, fam, operations) {
	const out = [];
	const add = (text) => {
		const t = text.toLowerCase().replace(/\s+/g, ' ').trim();
		if (t && !out.includes(t)) out.push(t);
	};
	const noun = (resource) => (fam.resources[resource]?.name ?? '').replace(/ \(v\d+\)$/, '').toLowerCase();
	// The plural finds the singular too ("refund" is a subsequence of "refunds").
	for (const resource of Object.keys(fam.resources)) add(plural(noun(resource)));
	for (const [sdk, op] of Object.entries(operations)) {
		if (op.family !== key || !fam.resources[op.resource]) continue;
		const method = sdk.split('.').pop();
		const verb = VERBS[method] ?? (/^list/.test(method) ? 'list' : method.replace(/[A-Z].*$/, ''));
		if (verb === 'testHelpers') continue;
		add(`${verb} ${verb === 'list' || verb === 'search' ? plural(noun(op.resource)) : noun(op.resource)}`);
	}
	for (const alias of fam.aliases) add(alias);
	return out;
}

function codexFile(fam, aliases) {
	const name = fam.className[0].toLowerCase() + fam.className.slice(1);
	const firstResource = Object.values(fam.resources)[0];
	const codex = {
		node: `n8n-nodes-stripe.${name}`,
		nodeVersion: '1.0',
		codexVersion: '1.0',
		categories: ['Finance & Accounting', 'Sales'],
		alias: ['stripe', ...aliases],
		resources: {
			primaryDocumentation: [{ url: `https://docs.stripe.com${firstResource.docSlug}` }],
			credentialDocumentation: [{ url: 'https://docs.stripe.com/keys' }],
		},
	};
	return JSON.stringify(codex, null, '\t') + '\n';
}

/** Files that differ from what the table renders (missing ones included), as relative paths. */
function scaffoldDrift(files) {
	return Object.entries(files)
		.filter(([rel, content]) => {
			const file = path.join(ROOT, rel);
			return !fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== content;
		})
		.map(([rel]) => rel);
}

function writeScaffold(files) {
	for (const [rel, content] of Object.entries(files)) {
		fs.mkdirSync(path.dirname(path.join(ROOT, rel)), { recursive: true });
		fs.writeFileSync(path.join(ROOT, rel), content);
	}
}

module.exports = { renderScaffold, scaffoldDrift, writeScaffold };

if (require.main === module) {
	const map = JSON.parse(fs.readFileSync(path.join(ROOT, 'descriptors/family-map.json'), 'utf8'));
	const generated = path.join(ROOT, 'generated/families');
	const files = renderScaffold(map, (key) => {
		const ok = fs.existsSync(path.join(generated, `${key}.ts`));
		if (!ok) console.warn(`[scaffold] ${key}: no generated descriptor (run npm run generate; a family needs operations), skipped`);
		return ok;
	});
	if (process.argv.includes('--check')) {
		const drift = scaffoldDrift(files);
		if (drift.length) {
			console.error(`[scaffold] out of date with the family table: ${drift.join(', ')} (run node scripts/scaffold-family-nodes.js)`);
			process.exit(1);
		}
		console.log(`[scaffold] ${Object.keys(files).length} scaffolded files agree with the family table`);
	} else {
		writeScaffold(files);
		console.log(`[scaffold] ${(Object.keys(files).length - 1) / 2} family nodes written`);
	}
}
