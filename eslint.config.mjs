// Lint configuration for n8n-nodes-stripe (ESLint 9 flat config).
//
// Run with `npx eslint nodes credentials package.json` (the `lint` script).
//
// What it applies:
//   1. The full `recommended` preset of @n8n/eslint-plugin-community-nodes — the same preset
//      n8n's community-package scanner (verification / n8n Cloud) runs. It is not scoped with
//      `files`, so it reaches every file ESLint lints here: our TypeScript sources, the codex
//      *.node.json files and package.json (a dozen of its rules only look at package.json).
//   2. `no-console`, which the n8n scanner adds on top of the preset.
//   3. A guard the preset lacks: its no-restricted-imports rule lets through anything listed
//      in devDependencies, but this package is compiled with plain tsc (no bundler), so a
//      devDependency imported from nodes/ or credentials/ would be missing at runtime once
//      the package is installed into n8n. Type-only imports stay allowed.
//
// Parsing: typescript-eslint's parser for both the .ts sources and the .json files. It parses
// a .json file as a single object-literal expression statement, which is the AST shape the
// package.json rules walk. No type information is needed by any of these rules, so no
// `project` is configured (which also keeps half-written files from breaking the run).
import { defineConfig, globalIgnores } from 'eslint/config';
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';
import tseslint from 'typescript-eslint';

// Packages that are devDependencies only: present while building and testing, absent once the
// published package is installed into n8n.
const DEV_ONLY_PACKAGES = ['stripe', 'nock', 'n8n-core', 'typescript', 'gulp', 'eslint'];

export default defineConfig([
	globalIgnores([
		'dist/**',
		'dist-test/**',
		'node_modules/**',
		'generated/**',
		'test/**',
		'scripts/**',
		'gulpfile.js',
		'package-lock.json',
		'tsconfig*.json',
	]),

	n8nCommunityNodesPlugin.configs.recommended,

	{
		name: 'n8n-nodes-stripe/typescript-sources',
		files: ['nodes/**/*.ts', 'credentials/**/*.ts'],
		languageOptions: {
			parser: tseslint.parser,
			sourceType: 'module',
		},
		plugins: {
			'@typescript-eslint': tseslint.plugin,
		},
		rules: {
			'no-console': 'error',
			'@typescript-eslint/no-restricted-imports': [
				'error',
				{
					paths: DEV_ONLY_PACKAGES.map((name) => ({
						name,
						message: `'${name}' is only a devDependency and is not installed with the published package. Use the helpers on the execute context (this.helpers.httpRequestWithAuthentication) instead.`,
						allowTypeImports: true,
					})),
					patterns: [
						{
							group: DEV_ONLY_PACKAGES.map((name) => `${name}/*`),
							message: 'devDependencies are not installed with the published package.',
							allowTypeImports: true,
						},
					],
				},
			],
		},
	},

	{
		name: 'n8n-nodes-stripe/json',
		files: ['package.json', 'nodes/**/*.json', 'credentials/**/*.json'],
		languageOptions: {
			parser: tseslint.parser,
			parserOptions: { extraFileExtensions: ['.json'] },
		},
	},
]);
