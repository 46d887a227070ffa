// Lint configuration for the repository (ESLint 9 flat config), besides n8n's own.
//
// eslint.config.mjs is `n8n-node lint`'s template, unmodified (its strict mode requires that):
// scripts/n8n-node-lint.mjs runs `n8n-node lint` with it on the package's sources. This file is the
// rest of `npm run lint` (`eslint -c eslint.repo.config.mjs …`), on the package and on the repository:
//
//   1. The full `recommended` preset of @n8n/eslint-plugin-community-nodes — the same preset
//      n8n's community-package scanner (verification / n8n Cloud) runs — on what the package ships:
//      our TypeScript sources, the codex *.node.json files and package.json (a dozen of its rules
//      only look at package.json), with --max-warnings 0 (n8n-node lint lets warnings pass).
//   2. `no-console`, which the n8n scanner adds on top of the preset.
//   3. The three rule sets of eslint-plugin-n8n-nodes-base that `n8n-node lint` and the scanner
//      (@n8n/scan-community-package `buildScanConfig`) apply: `community` on package.json,
//      `credentials` on credentials/**/*.ts and `nodes` on nodes/**/*.ts, with the same rules
//      switched off as they switch off. These rules read descriptions written as literals; the
//      properties our generator builds at run time are checked against the same rules by
//      test/engine/description-rules.test.ts. `.ci/run` also runs the scanner itself
//      (scripts/scan-package.mjs) on the source and on the packed tarball.
//   4. A guard the preset lacks: its no-restricted-imports rule lets through anything listed
//      in devDependencies, but this package is compiled with plain tsc (no bundler), so a
//      devDependency imported from nodes/ or credentials/ would be missing at runtime once
//      the package is installed into n8n. Type-only imports stay allowed.
//   5. ESLint's and typescript-eslint's recommended rules on the tests, the benchmark and the scripts.
//
// Parsing: typescript-eslint's parser for both the .ts sources and the .json files. It parses
// a .json file as a single object-literal expression statement, which is the AST shape the
// package.json rules walk. No type information is needed by any of these rules, so no
// `project` is configured (which also keeps half-written files from breaking the run).
import { defineConfig, globalIgnores } from 'eslint/config';
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// Packages that are devDependencies only: present while building and testing, absent once the
// published package is installed into n8n.
const PACKAGE_FILES = ['nodes/**/*.ts', 'nodes/**/*.json', 'credentials/**/*.ts', 'credentials/**/*.json', 'package.json'];

// Packages that are devDependencies only: present while building and testing, absent once the
const DEV_ONLY_PACKAGES = ['stripe', 'nock', 'n8n-core', 'typescript', 'gulp', 'eslint', '@n8n/node-cli', '@action-validator/core'];

export default defineConfig([
	globalIgnores(['dist/**', 'dist-test/**', 'node_modules/**', 'generated/**', 'test-artifacts/**', 'package-lock.json', 'tsconfig*.json']),

	// n8n's rules are for what the package ships: its sources and package.json.
	{ ...n8nCommunityNodesPlugin.configs.recommended, files: PACKAGE_FILES },
	{ files: PACKAGE_FILES, rules: { 'no-console': 'error' } },

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
		name: 'n8n-nodes-stripe/n8n-nodes-base',
		plugins: { 'n8n-nodes-base': n8nNodesBase },
	},
	{
		name: 'n8n-nodes-stripe/n8n-nodes-base/community',
		files: ['package.json'],
		rules: { ...n8nNodesBase.configs.community.rules },
	},
	{
		name: 'n8n-nodes-stripe/n8n-nodes-base/credentials',
		files: ['credentials/**/*.ts'],
		rules: {
			...n8nNodesBase.configs.credentials.rules,
			// Switched off by n8n-node lint and the scanner alike (not valid for community packages, or
			// covered more precisely by @n8n/eslint-plugin-community-nodes).
			'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
			'n8n-nodes-base/cred-class-field-type-options-password-missing': 'off',
		},
	},
	{
		name: 'n8n-nodes-stripe/n8n-nodes-base/nodes',
		files: ['nodes/**/*.ts'],
		rules: {
			...n8nNodesBase.configs.nodes.rules,
			// Switched off by n8n-node lint and the scanner alike.
			'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
			'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
			'n8n-nodes-base/node-param-type-options-max-value-present': 'off',
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

	// The repository's own code: tests, the benchmark and the build scripts get the usual recommended rules.
	// Tests and the benchmark load built files (dist-test/, dist/) by path at run time, hence require().
	...tseslint.configs.recommended.map((c) => ({ ...c, files: ['test/**/*.ts', 'bench/**/*.ts'] })),
	{
		name: 'n8n-nodes-stripe/tests',
		files: ['test/**/*.ts', 'bench/**/*.ts'],
		rules: { '@typescript-eslint/no-require-imports': 'off' },
	},
	{
		name: 'n8n-nodes-stripe/scripts',
		files: ['scripts/**/*.js', 'gulpfile.js', 'jest.config.js'],
		...js.configs.recommended,
		languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
	},
	{
		name: 'n8n-nodes-stripe/scripts-esm',
		files: ['scripts/**/*.mjs', 'eslint.config.mjs', 'eslint.repo.config.mjs'],
		...js.configs.recommended,
		languageOptions: { sourceType: 'module', globals: { ...globals.node } },
	},
]);
