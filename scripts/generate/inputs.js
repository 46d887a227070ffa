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

module.exports = { ROOT, STRIPE_DIR, STRIPE_VERSION, FAMILY_MAP, OVERRIDES, HAND_DIR, RESPONSE_OBJECTS };
