/**
 * `node dist-test/test/support/shipped-lint.js <dir> <file>...` prints, as JSON, `file:line rule message` for
 * every problem n8n's rules (@n8n/eslint-plugin-community-nodes, as `n8n-node lint` and n8n's scanner apply
 * them) find in those files of <dir>. Used by test/unit/shipped-files.test.ts: the plugin is an ES module,
 * which Node's own require loads but jest's module loader does not, so the test runs it in a plain Node.
 */
import * as path from 'node:path';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';

const { n8nCommunityNodesPlugin } = require('@n8n/eslint-plugin-community-nodes') as { n8nCommunityNodesPlugin: ESLint.Plugin };

export const JS_RULES = ['no-restricted-globals', 'no-restricted-imports'];
export const PACKAGE_JSON_RULES = ['no-forbidden-lifecycle-scripts'];

function linter(cwd: string): ESLint {
	const rules = (names: string[]) => Object.fromEntries(names.map((n) => [`@n8n/community-nodes/${n}`, 'error' as const]));
	return new ESLint({
		cwd,
		allowInlineConfig: false, // as n8n's scanner: a disable comment in a shipped file does not count
		overrideConfigFile: true,
		overrideConfig: [
			{
				files: ['**/*.js'],
				languageOptions: { sourceType: 'commonjs', ecmaVersion: 2022 },
				plugins: { '@n8n/community-nodes': n8nCommunityNodesPlugin },
				rules: rules(JS_RULES),
			},
			{
				files: ['**/package.json'],
				languageOptions: { parser: tseslint.parser as never },
				plugins: { '@n8n/community-nodes': n8nCommunityNodesPlugin },
				rules: rules(PACKAGE_JSON_RULES),
			},
		],
	});
}

async function main(): Promise<void> {
	const [cwd, ...files] = process.argv.slice(2);
	const results = await linter(cwd).lintFiles(files.map((f) => path.join(cwd, f)));
	const found = results.flatMap((r) => r.messages.map((m) => `${path.relative(cwd, r.filePath)}:${m.line} ${m.ruleId ?? 'parse'} ${m.message}`));
	process.stdout.write(JSON.stringify(found));
}

void main();
