#!/usr/bin/env node
// One-off importer: turns the API-reference endpoint list (../shared/stripe/seed-endpoints.json, not part of
// this repository) into descriptors/family-map.json, the committed map of which node (family) and resource
// every Stripe operation belongs to. Re-run it only when the reference list changes; hand edits to the map
// (display names, extra SDK methods) are kept because existing entries win.
'use strict';
const fs = require('fs');
const path = require('path');

const seedFile = process.argv[2] || path.join(__dirname, '../../shared/stripe/seed-endpoints.json');
const mapFile = path.join(__dirname, '../descriptors/family-map.json');

const FAMILY_KEYS = {
	'Core Resources': ['core', 'StripeCore', 'Stripe Core'],
	'Payment Methods': ['paymentMethods', 'StripePaymentMethods', 'Stripe Payment Methods'],
	Products: ['products', 'StripeProducts', 'Stripe Products'],
	Checkout: ['checkout', 'StripeCheckout', 'Stripe Checkout'],
	'Payment Links': ['paymentLinks', 'StripePaymentLinks', 'Stripe Payment Links'],
	Billing: ['billing', 'StripeBilling', 'Stripe Billing'],
	Capital: ['capital', 'StripeCapital', 'Stripe Capital'],
	Connect: ['connect', 'StripeConnect', 'Stripe Connect'],
	Fraud: ['fraud', 'StripeFraud', 'Stripe Fraud (Radar)'],
	Issuing: ['issuing', 'StripeIssuing', 'Stripe Issuing'],
	Terminal: ['terminal', 'StripeTerminal', 'Stripe Terminal'],
	Treasury: ['treasury', 'StripeTreasury', 'Stripe Treasury'],
	Entitlements: ['entitlements', 'StripeEntitlements', 'Stripe Entitlements'],
	Sigma: ['sigma', 'StripeSigma', 'Stripe Sigma'],
	Reporting: ['reporting', 'StripeReporting', 'Stripe Reporting'],
	'Financial Connections': ['financialConnections', 'StripeFinancialConnections', 'Stripe Financial Connections'],
	Tax: ['tax', 'StripeTax', 'Stripe Tax'],
	Identity: ['identity', 'StripeIdentity', 'Stripe Identity'],
	Crypto: ['crypto', 'StripeCrypto', 'Stripe Crypto'],
	Climate: ['climate', 'StripeClimate', 'Stripe Climate'],
	Forwarding: ['forwarding', 'StripeForwarding', 'Stripe Forwarding'],
	Webhooks: ['webhooks', 'StripeWebhooks', 'Stripe Webhooks'],
};

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
	'Tax Settings': 'Tax Setting', // n8n's resource names are singular (node-param-resource-with-plural-option)
	Features: 'Feature',
};

function singular(section) {
	if (SINGULAR_EXCEPTIONS[section]) return SINGULAR_EXCEPTIONS[section];
	const words = section.split(' ');
	const last = words[words.length - 1];
	if (/ies$/.test(last)) words[words.length - 1] = last.replace(/ies$/, 'y');
	else if (/(ss|us|is)$/.test(last)) words[words.length - 1] = last;
	else if (/(ches|shes|xes|sses)$/.test(last)) words[words.length - 1] = last.replace(/es$/, '');
	else if (/s$/.test(last)) words[words.length - 1] = last.replace(/s$/, '');
	return words.join(' ');
}

function resourceValue(name) {
	const clean = name.replace(/[()]/g, '').replace(/[^A-Za-z0-9]+/g, ' ').trim().split(' ');
	return clean.map((w, i) => (i === 0 ? w.toLowerCase() : w[0].toUpperCase() + w.slice(1).toLowerCase())).join('');
}

const seed = JSON.parse(fs.readFileSync(seedFile, 'utf8'));
const existing = fs.existsSync(mapFile) ? JSON.parse(fs.readFileSync(mapFile, 'utf8')) : {};
const map = {
	apiVersion: '2024-11-20.acacia',
	families: existing.families || {},
	operations: existing.operations || {},
	handAuthored: existing.handAuthored || {},
};

for (const [title, [key, className, displayName]] of Object.entries(FAMILY_KEYS)) {
	map.families[key] = map.families[key] || { title, className, displayName, resources: {} };
}

for (const e of seed) {
	const [key] = FAMILY_KEYS[e.family];
	const fam = map.families[key];
	// v1 and v2 share some section titles (Events); v2 resources get their own entry.
	const resName = singular(e.section) + (e.sectionBadge === 'v2' ? ' (v2)' : '');
	const resKey = resourceValue(resName);
	fam.resources[resKey] = fam.resources[resKey] || { name: resName, section: e.section, docSlug: e.docSlug.split('/').slice(0, -1).join('/') };
	const entry = {
		family: key,
		resource: resKey,
		docSlug: e.docSlug,
		method: e.method,
		path: e.path,
	};
	if (e.sectionBadge) entry.badge = e.sectionBadge;
	if (e.sdkPath) {
		if (!map.operations[e.sdkPath]) map.operations[e.sdkPath] = entry;
	} else {
		const id = `${e.method} ${e.path}`;
		if (!map.handAuthored[id]) map.handAuthored[id] = entry;
	}
}

fs.writeFileSync(mapFile, JSON.stringify(map, null, '\t') + '\n');
console.log(`family map: ${Object.keys(map.operations).length} SDK operations, ${Object.keys(map.handAuthored).length} hand-authored endpoints, ${Object.keys(map.families).length} families`);
