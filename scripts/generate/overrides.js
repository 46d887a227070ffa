/*
 * Step 4. descriptors/overrides.json applied to a generated operation: its keys replace the operation's, and
 * `params` overrides parameters (and their members) by name. Unknown names fail the generator.
 */
'use strict';
const { OVERRIDES } = require('./inputs');

/**
 * A parameter's override: its keys replace the parameter's (`promote`, `default`, `show`, …); `members`
 * overrides members by name (of an object, or of an array's objects), recursively. Unknown names fail the
 * generator, so a typo cannot silently do nothing.
 */
function overrideParam(p, o, where) {
	const { members, ...own } = o;
	const merged = { ...p, ...own };
	if (members) {
		const holder = merged.type === 'array' ? { ...merged.items } : merged;
		if (!holder.members) throw new Error(`override ${where}: ${p.name} has no members`);
		holder.members = overrideParams(holder.members, members, `${where}.${p.name}`);
		if (merged.type === 'array') merged.items = holder;
	}
	return merged;
}

function overrideParams(params, overrides, where) {
	for (const name of Object.keys(overrides)) if (!params.some((p) => p.name === name)) throw new Error(`override ${where}: no parameter ${name}`);
	return params.map((p) => (overrides[p.name] ? overrideParam(p, overrides[p.name], where) : p));
}

function applyOverrides(op) {
	const o = OVERRIDES[op.sdk];
	if (!o) return op;
	const merged = { ...op, ...o };
	if (o.params) merged.params = overrideParams(op.params, o.params, op.sdk);
	return merged;
}

module.exports = { applyOverrides };
