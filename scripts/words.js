/*
 * The scripts' one singular and plural of English names (the generator, the family scaffold, the seed-map
 * importer). The nodes' labels have their own in nodes/shared/fields/naming.ts: that is TypeScript compiled after
 * these scripts run, and it also applies n8n's label style (acronyms, sentence case), which these names do not want.
 */
'use strict';

/** The last word of `words` in the singular: "tax rates" → "tax rate", "entries" → "entry", "taxes" → "tax", "status" stays. */
function singular(words) {
	return words.replace(/(\w+)$/, (last) => {
		if (/ies$/.test(last)) return last.slice(0, -3) + 'y';
		if (/(ss|us|is)$/.test(last)) return last;
		if (/(ches|shes|xes|sses)$/.test(last)) return last.slice(0, -2);
		return last.replace(/s$/, '');
	});
}

/** `words` with its last word in the plural: "tax rate" → "tax rates", "entry" → "entries", "tax" → "taxes". */
function plural(words) {
	if (/[^aeiou]y$/.test(words)) return words.slice(0, -1) + 'ies';
	if (/(s|x|z|ch|sh)$/.test(words)) return words + 'es';
	return words + 's';
}

module.exports = { singular, plural };
