#!/usr/bin/env node
/*
 * Writes the thin family node files (nodes/<Class>/<Class>.node.ts + codex <Class>.node.json) for every
 * family of descriptors/family-map.json and lists them in package.json's n8n.nodes. The node files are
 * committed source (n8n's lint reads their literal descriptions); everything they show comes from the
 * generated descriptor. Run it after adding a family to the map; existing files are rewritten.
 */
'use strict';
const fs = require('fs');
const path = require('path');

const ROOT = path.join(__dirname, '..');
const map = JSON.parse(fs.readFileSync(path.join(ROOT, 'descriptors/family-map.json'), 'utf8'));

/** What each node's description says, and extra search words for the node creator. */
const ABOUT = {
	core: ['Balance, charges, customers, disputes, events, files, payment and setup intents, payouts, refunds and tokens', ['payments', 'customer', 'charge', 'payment intent', 'refund', 'payout']],
	paymentMethods: ['Payment methods and their configurations and domains, customer cards, bank accounts, sources and cash balances', ['card', 'bank account', 'apple pay', 'cash balance']],
	products: ['Products, prices, coupons, promotion codes, discounts, tax codes, tax rates and shipping rates', ['price', 'coupon', 'catalog']],
	checkout: ['Checkout Sessions and their line items', ['checkout session', 'hosted payment page']],
	paymentLinks: ['Payment Links and their line items', ['payment link']],
	billing: ['Invoices, subscriptions, credit grants and credit balances, meters and meter events, quotes, credit notes, customer portal and test clocks', ['invoice', 'subscription', 'credit grant', 'meter', 'usage', 'quote']],
	capital: ['Capital financing offers and financing summary', ['financing', 'loan']],
	connect: ['Connected accounts, account links and sessions, persons, capabilities, external accounts, transfers, top-ups, application fees and secrets', ['connected account', 'transfer', 'platform', 'marketplace']],
	fraud: ['Radar early fraud warnings, reviews, value lists and value list items', ['radar', 'fraud', 'review']],
	issuing: ['Issuing cards, cardholders, authorizations, transactions, disputes, tokens, personalization designs and funding', ['issuing', 'card issuing', 'cardholder']],
	terminal: ['Terminal readers, locations, configurations, connection tokens and hardware orders', ['terminal', 'reader', 'in-person']],
	treasury: ['Treasury financial accounts, transfers, payments, received credits and debits, reversals and transactions', ['treasury', 'financial account']],
	entitlements: ['Entitlement features, product features and active entitlements', ['entitlement', 'feature']],
	sigma: ['Sigma scheduled query runs', ['sigma', 'sql', 'scheduled query']],
	reporting: ['Report runs and report types', ['report', 'report run']],
	financialConnections: ['Financial Connections accounts, account owners, sessions and transactions', ['bank data', 'financial connections']],
	tax: ['Tax calculations, transactions, registrations and settings', ['tax', 'vat', 'sales tax']],
	identity: ['Identity verification sessions and reports', ['identity', 'kyc', 'verification']],
	crypto: ['Crypto onramp sessions and quotes', ['crypto', 'onramp']],
	climate: ['Climate orders, products and suppliers', ['climate', 'carbon removal']],
	forwarding: ['Forwarding requests that send card details to third-party endpoints', ['vault', 'forwarding']],
	webhooks: ['Webhook endpoints', ['webhook', 'endpoint']],
};

const nodes = [];
for (const [key, fam] of Object.entries(map.families)) {
	if (!fs.existsSync(path.join(ROOT, 'generated/families', `${key}.ts`))) {
		console.warn(`[scaffold] ${key}: no generated descriptor (run npm run generate; a family needs operations), skipped`);
		continue;
	}
	const about = ABOUT[key];
	if (!about) throw new Error(`no description for family ${key}`);
	const cls = fam.className;
	const name = cls[0].toLowerCase() + cls.slice(1);
	const dir = path.join(ROOT, 'nodes', cls);
	fs.mkdirSync(dir, { recursive: true });
	const ts = `import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { family } from '../../generated/families/${key}';
import { executeFamily } from '../shared/executor';
import { buildProperties } from '../shared/fields';
import { familyMethods } from '../shared/methods';

/** ${fam.displayName}: every operation comes from the generated ${fam.title} descriptor. */
export class ${cls} implements INodeType {
	description: INodeTypeDescription = {
		displayName: '${fam.displayName}',
		name: '${name}',
		icon: { light: 'file:../../icons/stripe.svg', dark: 'file:../../icons/stripe.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: '${about[0].replace(/'/g, "\\'")}',
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
	fs.writeFileSync(path.join(dir, `${cls}.node.ts`), ts);
	const firstResource = Object.values(fam.resources)[0];
	const codex = {
		node: `n8n-nodes-stripe.${name}`,
		nodeVersion: '1.0',
		codexVersion: '1.0',
		categories: ['Finance & Accounting', 'Sales'],
		alias: ['stripe', ...about[1]],
		resources: {
			primaryDocumentation: [{ url: `https://docs.stripe.com${firstResource.docSlug}` }],
			credentialDocumentation: [{ url: 'https://docs.stripe.com/keys' }],
		},
	};
	fs.writeFileSync(path.join(dir, `${cls}.node.json`), JSON.stringify(codex, null, '\t') + '\n');
	nodes.push(`dist/nodes/${cls}/${cls}.node.js`);
}

const pkgFile = path.join(ROOT, 'package.json');
const pkg = JSON.parse(fs.readFileSync(pkgFile, 'utf8'));
// Keep the package's other nodes (the trigger); family nodes come first, in family-map order.
const familyClasses = Object.values(map.families).map((f) => f.className);
const others = pkg.n8n.nodes.filter((n) => !familyClasses.some((c) => n === `dist/nodes/${c}/${c}.node.js`));
pkg.n8n.nodes = [...nodes, ...others];
fs.writeFileSync(pkgFile, JSON.stringify(pkg, null, 2) + '\n');
console.log(`[scaffold] ${nodes.length} family nodes written`);
