// Validates every GitHub Actions workflow in .github/workflows/ against GitHub's workflow schema with
// @action-validator/core (the validator of the `action-validator` CLI, compiled to WebAssembly: it runs
// offline from node_modules). Part of `npm run lint`, so a workflow that GitHub would reject fails here.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { validateWorkflow } from '@action-validator/core';

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '.github', 'workflows');
const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)) : [];
let failed = 0;

// The validator nests the reasons of a failed `oneOf` in `states`; the leaves say what is wrong.
function leaves(error) {
	const nested = (error.states ?? []).flatMap((s) => s.errors ?? []);
	return nested.length ? nested.flatMap(leaves) : [error];
}

if (!files.length) {
	failed++;
	console.error('no workflow in .github/workflows/');
}
for (const file of files.sort()) {
	const result = validateWorkflow(fs.readFileSync(path.join(dir, file), 'utf8'));
	if (result.errors.length) {
		failed++;
		console.error(`FAIL  .github/workflows/${file}`);
		const seen = new Set();
		for (const e of result.errors.flatMap(leaves)) {
			const line = `  ${e.path ?? ''}: ${e.detail ?? e.title ?? e.code}`;
			if (!seen.has(line)) console.error(line);
			seen.add(line);
		}
	} else console.log(`ok    .github/workflows/${file}`);
}
process.exit(failed ? 1 : 0);
