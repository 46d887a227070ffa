/*
 * Step 6. Passes over every assembled operation (hand-authored ones included) that mark how its parameters
 * are shown: entries shown directly (promote) and timestamps (format: 'unix-time'). nodes/shared/fields/ reads the marks.
 */
'use strict';

/**
 * Entries of a list whose members are at most three optional texts (a discount: coupon, discount or promotion
 * code) show them directly (`promote`, see nodes/shared/fields/shapes.ts), not under "Fields": one click less, and
 * their IDs get pickers. A text left empty is not sent. So do addresses (Stripe's address shape: line1, line2,
 * city, state, postal code, country): adding one shows all its lines in one step, as n8n's own Stripe node
 * offers an address.
 */
const ADDRESS_LINES = ['line1', 'city', 'postal_code', 'country'];
function showSmallEntries(p) {
	const item = p.type === 'array' ? p.items : undefined;
	const members = item && item.type === 'object' ? item.members : p.members;
	if (!members) return;
	if (item && members.length <= 3 && members.every((m) => m.type === 'string' && !m.required)) for (const m of members) m.promote = true;
	const address = !item && ADDRESS_LINES.every((n) => members.some((m) => m.name === n)) && members.every((m) => m.type === 'string');
	if (address) for (const m of members) m.promote = true;
	for (const m of members) showSmallEntries(m);
}

/**
 * Timestamps (Stripe's `Timestamp`, Unix seconds): numbers named as points in time (`created`, `trial_end`,
 * `expires_at`, `due_date`, `start_time`, `redeem_by`, …), alone or as the number of a union (`trial_end`:
 * `now` or a timestamp; `created`: a timestamp or a range of `gt`/`gte`/`lt`/`lte`, which are timestamps too).
 * They get `format: 'unix-time'`: nodes/shared/fields/shapes.ts shows them as n8n date-time fields.
 */
const TIMESTAMP_NAME = /(^|_)(at|date|time|timestamp|created|end|start|from)$|(^|_)(billing_cycle_anchor|redeem_by)$/;
const RANGE_MEMBERS = ['gt', 'gte', 'lt', 'lte'];

function markTimestamps(p) {
	if (p.name && TIMESTAMP_NAME.test(p.name)) {
		if (p.type === 'number') p.format = 'unix-time';
		if (p.type === 'union')
			for (const alt of p.anyOf || []) {
				if (alt.type === 'number') alt.format = 'unix-time';
				if (alt.type === 'object' && alt.members && alt.members.length && alt.members.every((m) => RANGE_MEMBERS.includes(m.name) && m.type === 'number'))
					for (const m of alt.members) m.format = 'unix-time';
			}
	}
	for (const m of p.members || []) markTimestamps(m);
	if (p.items) markTimestamps(p.items);
	for (const alt of p.anyOf || []) for (const m of alt.members || []) markTimestamps(m);
}

/** Both passes over every operation of every family. */
function markFields(families) {
	for (const fam of Object.values(families))
		for (const r of fam.resources)
			for (const op of r.operations) {
				for (const p of op.params) {
					showSmallEntries(p);
					markTimestamps(p);
				}
			}
}

module.exports = { markFields };
