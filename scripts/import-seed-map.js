#!/usr/bin/env node
// One-off importer: turns the API-reference endpoint list (../shared/stripe/seed-endpoints.json, not part of
// this repository) into the `operations` and resources of descriptors/family-map.json, the committed map of
// which node (family) and resource every Stripe operation belongs to. Families themselves come from the family
// table (`families` in the same file: the reference's family title, class, display name, description, search
// aliases), the one place a family is defined; an endpoint of a family the table lacks is an error. Re-run it
// only when the reference list changes; hand edits to the map are kept because existing entries win.
// Endpoints without an SDK method are listed: they are hand-authored (descriptors/hand-authored/*.json).
// An entry holds only what the generator reads (family, resource, docSlug, badge): the HTTP method and path
// come from stripe@17.4.0's method tables.
'use strict';
const fs = require('fs');
const path = require('path');
const { singular: singularOf } = require('./words');

const seedFile = process.argv[2] || path.join(__dirname, '../../shared/stripe/seed-endpoints.json');
const mapFile = path.join(__dirname, '../descriptors/family-map.json');

// Section titles of the reference are mostly plural; resources read better singular in a dropdown.
const SINGULAR_EXCEPTIONS = {
	Balance: 'Balance',
	Capabilities: 'Capability',
	Entries: 'Entry',
	'Usage Record Summary': 'Usage Record Summary',
	Discounts: 'Discount',
	Person: 'Person',
	Address: 'Address',
	Settings: 'Settings',
	'Tax Settings': 'Tax Settings', // key taxSettings; the map names it "Tax Setting" (n8n's resource names are singular)
	Features: 'Feature',
};

function singular(section) {
	return SINGULAR_EXCEPTIONS[section] ?? singularOf(section);
}

function resourceValue(name) {
	const clean = name
		.replace(/[()]/g, '')
		.replace(/[^A-Za-z0-9]+/g, ' ')
		.trim()
		.split(' ');
	return clean.map((w, i) => (i === 0 ? w.toLowerCase() : w[0].toUpperCase() + w.slice(1).toLowerCase())).join('');
}

const seed = JSON.parse(fs.readFileSync(seedFile, 'utf8'));
const existing = fs.existsSync(mapFile) ? JSON.parse(fs.readFileSync(mapFile, 'utf8')) : {};
const map = {
	apiVersion: existing.apiVersion || '2024-11-20.acacia',
	families: existing.families || {},
	operations: existing.operations || {},
	excluded: existing.excluded || {},
};
const familyByTitle = Object.fromEntries(Object.entries(map.families).map(([key, f]) => [f.title, key]));
const withoutSdk = [];

for (const e of seed) {
	const key = familyByTitle[e.family];
	if (!key) throw new Error(`reference family "${e.family}" is not in the family table (descriptors/family-map.json families)`);
	const fam = map.families[key];
	// v1 and v2 share some section titles (Events); v2 resources get their own entry.
	const resName = singular(e.section) + (e.sectionBadge === 'v2' ? ' (v2)' : '');
	const resKey = resourceValue(resName);
	fam.resources[resKey] = fam.resources[resKey] || { name: resName, docSlug: e.docSlug.split('/').slice(0, -1).join('/') };
	const entry = {
		family: key,
		resource: resKey,
		docSlug: e.docSlug,
	};
	if (e.sectionBadge) entry.badge = e.sectionBadge;
	if (e.sdkPath) {
		if (!map.operations[e.sdkPath]) map.operations[e.sdkPath] = entry;
	} else {
		withoutSdk.push(`${e.method} ${e.path} (${key}/${resKey})`);
	}
}

fs.writeFileSync(mapFile, JSON.stringify(map, null, '\t') + '\n');
console.log(`family map: ${Object.keys(map.operations).length} SDK operations, ${Object.keys(map.families).length} families`);
console.log(`${withoutSdk.length} endpoints have no SDK method and are hand-authored:\n  ${withoutSdk.join('\n  ')}`);
