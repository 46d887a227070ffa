/*
 * Step 5 (assembly). The family descriptors: the families and resources of the family table, each stripe-node
 * method placed in its resource (family map), then the hand-authored operations; the output schema of each
 * operation collected on the way.
 */
'use strict';
const { STRIPE_VERSION, FAMILY_MAP, OVERRIDES } = require('./inputs');
const { buildOperation, humanize, n8nOperationName } = require('./operations');
const { singular } = require('../words');
const { loadHandAuthored, handAuthoredSchema } = require('./hand-authored');
const { outputSchema } = require('./output-schemas');

/** Every family of the family table with its resources, no operations yet. */
function emptyFamilies() {
	const families = {};
	for (const [key, fam] of Object.entries(FAMILY_MAP.families)) {
		families[key] = {
			family: key,
			displayName: fam.displayName,
			className: fam.className,
			stripeVersion: STRIPE_VERSION,
			apiVersion: FAMILY_MAP.apiVersion,
			resources: [],
		};
		for (const [resKey, res] of Object.entries(fam.resources)) {
			families[key].resources.push({ value: resKey, name: res.name, docUrl: `https://docs.stripe.com${res.docSlug}`, operations: [] });
		}
	}
	// Resource names are unique across the package: n8n's node creator lists every node's actions together.
	const seenNames = new Map();
	for (const [key, fam] of Object.entries(FAMILY_MAP.families)) {
		for (const res of Object.values(fam.resources)) {
			if (seenNames.has(res.name))
				throw new Error(`resource name "${res.name}" is used by both ${seenNames.get(res.name)} and ${key}: qualify one in descriptors/family-map.json`);
			seenNames.set(res.name, key);
		}
	}
	return families;
}

function resourceOf(families, famKey, resKey) {
	const fam = families[famKey];
	if (!fam) throw new Error(`unknown family ${famKey}`);
	const r = fam.resources.find((x) => x.value === resKey);
	if (!r) throw new Error(`unknown resource ${famKey}/${resKey}`);
	return r;
}

/**
 * Two SDK resources can put a method of the same name into one of our resources (customers.deleteDiscount
 * and subscriptions.deleteDiscount both belong to Products → Discount): those are qualified by their owner.
 * How many methods of each name each resource gets.
 */
function methodCounts(table) {
	const methodCount = new Map();
	for (const sdkPath of table.keys()) {
		const m = FAMILY_MAP.operations[sdkPath];
		if (!m) continue;
		const k = `${m.family}/${m.resource}/${sdkPath.split('.').pop()}`;
		methodCount.set(k, (methodCount.get(k) || 0) + 1);
	}
	return methodCount;
}

/** Each mapped stripe-node method as an operation of its resource; returns the SDK methods the map lacks. */
function placeSdkOperations(families, { table, sigs, checker }, schemas) {
	const methodCount = methodCounts(table);
	for (const key of Object.keys(OVERRIDES)) if (!table.has(key)) throw new Error(`descriptors/overrides.json: no stripe-node method ${key}`);
	const unmapped = [];
	for (const [sdkPath, entry] of table) {
		const mapEntry = FAMILY_MAP.operations[sdkPath];
		if (!mapEntry) {
			if (!(FAMILY_MAP.excluded || {})[sdkPath]) unmapped.push(sdkPath);
			continue;
		}
		const op = buildOperation(sdkPath, entry, sigs.get(sdkPath), mapEntry, checker);
		if (methodCount.get(`${mapEntry.family}/${mapEntry.resource}/${sdkPath.split('.').pop()}`) > 1 && !(OVERRIDES[sdkPath] || {}).value) {
			const owner = singular(sdkPath.split('.').slice(-2)[0]);
			op.value = owner + op.value[0].toUpperCase() + op.value.slice(1);
			op.name = `${op.name} (${humanize(owner)})`;
		}
		op.name = n8nOperationName(op.name);
		const res = resourceOf(families, mapEntry.family, mapEntry.resource);
		if (res.operations.some((o) => o.value === op.value)) throw new Error(`duplicate operation ${op.value} in ${mapEntry.family}/${mapEntry.resource}`);
		res.operations.push(op);
		const schema = outputSchema(op, sigs.get(sdkPath).returnType, checker);
		if (schema) schemas.push({ family: mapEntry.family, resource: res.value, operation: op.value, schema });
	}
	return unmapped;
}

/** The hand-authored operations, after the SDK's in their resources. */
function placeHandAuthored(families, { program, checker }, schemas) {
	for (const op of loadHandAuthored()) {
		const res = resourceOf(families, op.family, op.resource);
		// `output` names the response object (descriptors/response-objects.json): build data, not runtime data.
		const { family, resource, output, ...rest } = op;
		rest.name = n8nOperationName(rest.name);
		if (res.operations.some((o) => o.value === rest.value)) throw new Error(`duplicate operation ${rest.value} in ${family}/${resource} (hand-authored)`);
		res.operations.push(rest);
		schemas.push({ family, resource, operation: rest.value, schema: handAuthoredSchema(rest, output, program, checker) });
	}
}

module.exports = { emptyFamilies, placeSdkOperations, placeHandAuthored };
