/*
 * The generator's inputs, in one place: the pinned stripe@17.4.0 (its method tables and typings are read by
 * method-table.js and typings.js from STRIPE_DIR) and the committed data in descriptors/.
 */
'use strict';
const fs = require('fs');
const path = require('path');

const ROOT = path.join(__dirname, '../..');
const STRIPE_DIR = path.join(ROOT, 'node_modules/stripe');
const STRIPE_VERSION = JSON.parse(fs.readFileSync(path.join(STRIPE_DIR, 'package.json'), 'utf8')).version;
/** Which node (family) and resource every stripe-node method belongs to, and the family table. */
const FAMILY_MAP = JSON.parse(fs.readFileSync(path.join(ROOT, 'descriptors/family-map.json'), 'utf8'));
const OVERRIDES_FILE = path.join(ROOT, 'descriptors/overrides.json');
/** Per stripe-node method: keys that replace the generated operation's, and parameter overrides. */
const OVERRIDES = fs.existsSync(OVERRIDES_FILE) ? JSON.parse(fs.readFileSync(OVERRIDES_FILE, 'utf8')) : {};
/** Operations stripe@17.4.0 lacks, one file per family. */
const HAND_DIR = path.join(ROOT, 'descriptors/hand-authored');
/** The documented response objects of the hand-authored operations (and the report), for their output schemas. */
const RESPONSE_OBJECTS = JSON.parse(fs.readFileSync(path.join(ROOT, 'descriptors/response-objects.json'), 'utf8')).objects;

/**
 * How deep the typings are read, the one depth limit of the package's fields. Levels counted from the params
 * interface (0): a parameter is level 1, and objects down to level 3 are described with their members (a
 * subscription's `payment_settings.payment_method_options.card`); an object at level 4 is an open object, which
 * the JSON rule (nodes/shared/fields/json-rule.ts) shows as one JSON field. The rule has no depth of its own.
 */
const PARAM_MEMBER_DEPTH = 4;
/**
 * How deep output schemas (the editor's schema preview, build output: generated/schemas/) describe an item:
 * the item is level 0; objects down to level 2 are described, deeper ones are `{ "type": "object" }`. Not the
 * parameters' depth because it serves another purpose: a preview before the first run, for mapping; one level
 * more makes the shipped schema files 44 % larger (2.59 → 3.73 MB, measured), and after a run the editor shows
 * the real output at every depth.
 */
const OUTPUT_SCHEMA_DEPTH = 3;

module.exports = { ROOT, STRIPE_DIR, STRIPE_VERSION, FAMILY_MAP, OVERRIDES, HAND_DIR, RESPONSE_OBJECTS, PARAM_MEMBER_DEPTH, OUTPUT_SCHEMA_DEPTH };
