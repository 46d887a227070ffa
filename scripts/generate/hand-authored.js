/*
 * Step 5. The hand-authored operations (descriptors/hand-authored/*.json: endpoints stripe@17.4.0 lacks) and
 * their output schemas (the response objects they name in descriptors/response-objects.json).
 */
'use strict';
const fs = require('fs');
const path = require('path');
const { STRIPE_DIR, STRIPE_VERSION, HAND_DIR, RESPONSE_OBJECTS } = require('./inputs');
const { typeSchema, findInterface, shapeSchema, DOWNLOAD_SCHEMA } = require('./output-schemas');

function loadHandAuthored() {
	const ops = [];
	if (!fs.existsSync(HAND_DIR)) return ops;
	for (const f of fs
		.readdirSync(HAND_DIR)
		.filter((f) => f.endsWith('.json'))
		.sort()) {
		const data = JSON.parse(fs.readFileSync(path.join(HAND_DIR, f), 'utf8'));
		for (const op of data.operations) ops.push({ ...op, handAuthored: true, family: data.family, resource: op.resource });
	}
	return ops;
}

/** The output schema of a hand-authored operation: its download item, or the response object it names. */
function handAuthoredSchema(op, output, program, checker) {
	if (op.response === 'binary') return DOWNLOAD_SCHEMA;
	const where = `hand-authored operation ${op.value} (${op.path})`;
	if (!output) throw new Error(`${where} names no "output" object (descriptors/response-objects.json)`);
	const object = RESPONSE_OBJECTS[output];
	if (!object) throw new Error(`${where}: unknown output object "${output}" (descriptors/response-objects.json)`);
	if (object.typings) {
		const type = findInterface(program, checker, STRIPE_DIR, object.typings);
		if (!type) throw new Error(`${where}: ${object.typings} is not in the stripe@${STRIPE_VERSION} typings`);
		return typeSchema(type, checker);
	}
	return shapeSchema(object.shape);
}

module.exports = { loadHandAuthored, handAuthoredSchema };
