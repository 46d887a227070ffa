/**
 * What the package ships (the files `npm pack` puts in the tarball, after `npm run build`) keeps to n8n's
 * verification guidelines, checked with n8n's own rules from @n8n/eslint-plugin-community-nodes 0.32.0,
 * the plugin `n8n-node lint` and n8n's scanner apply:
 *
 * - `no-restricted-globals` (n8n Cloud's restricted globals: process — so no environment variables —,
 *   global, globalThis, timers, __dirname, __filename) on every shipped .js file;
 * - `no-restricted-imports` (no module but n8n-workflow, node:crypto and the few n8n allows — so no file
 *   system, no child processes, no network of our own) on every shipped .js file. The rule lets through
 *   devDependencies, which n8n never installs with the package and which this package does not bundle,
 *   so the shipped package.json is linted here without them: an import of a devDependency fails too;
 * - `no-forbidden-lifecycle-scripts` on the shipped package.json;
 * - the package.json fields and the credential's documentation URL the guidelines ask for.
 *
 * The same linter must flag a planted file using each of those, so the check cannot pass by checking nothing.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, it } from '@jest/globals';

const REPO = path.join(__dirname, '../../..');

interface PackedFile {
	path: string;
}

function packedFiles(): string[] {
	const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: REPO, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
	return (JSON.parse(out) as Array<{ files: PackedFile[] }>)[0].files.map((f) => f.path);
}

/** `file:line rule message` for every problem (test/support/shipped-lint.ts, in a plain Node process). */
async function problems(cwd: string, files: string[]): Promise<string[]> {
	const out = execFileSync(process.execPath, [path.join(__dirname, '../support/shipped-lint.js'), cwd, ...files], {
		encoding: 'utf8',
		maxBuffer: 64 * 1024 * 1024,
	});
	return JSON.parse(out) as string[];
}

/** A copy of the shipped files, with package.json as n8n installs it: without devDependencies. */
function stage(dir: string, files: string[]): void {
	for (const f of files) {
		fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
		fs.copyFileSync(path.join(REPO, f), path.join(dir, f));
	}
	const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
	delete pkg.devDependencies;
	fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(pkg, null, 2));
}

describe('shipped files keep to n8n verification (n8n rules on the npm pack file list)', () => {
	let files: string[];
	let work: string;
	beforeAll(() => {
		files = packedFiles();
		work = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-stripe-shipped-'));
	});
	afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

	it('the package ships dist/ (JavaScript, JSON, icons) and package.json, README, LICENSE only', () => {
		assert.ok(files.length > 100, `npm pack lists ${files.length} files: build first (npm run build)`);
		const outside = files.filter((f) => !f.startsWith('dist/') && !['package.json', 'README.md', 'LICENSE'].includes(f));
		assert.deepEqual(outside, [], 'files outside dist/ are shipped');
		const odd = files.filter((f) => f.startsWith('dist/') && !/\.(js|json|svg|png)$/.test(f));
		assert.deepEqual(odd, [], 'dist/ ships files other than .js, .json, .svg and .png');
		const known = ['dist/nodes/', 'dist/credentials/', 'dist/icons/', 'dist/generated/', 'dist/known/', 'dist/types/', 'dist/methods/'];
		assert.deepEqual(
			files.filter((f) => f.startsWith('dist/') && !known.some((k) => f.startsWith(k))),
			[],
			'dist/ ships folders other than the build writes (a stray folder, e.g. test artifacts?)',
		);
	});

	it('no shipped file uses environment variables, the file system, other modules, forbidden lifecycle scripts or Cloud-restricted globals', async () => {
		const dir = path.join(work, 'package');
		stage(dir, files);
		const lintable = files.filter((f) => f.endsWith('.js') || f === 'package.json');
		assert.ok(lintable.filter((f) => f.endsWith('.js')).length > 50, 'the shipped JavaScript files are linted');
		assert.deepEqual(await problems(dir, lintable), []);
	});

	it('the same check flags a shipped file that reads the environment or the disk, uses timers or globals, or a lifecycle script', async () => {
		const dir = path.join(work, 'planted');
		stage(dir, ['package.json']);
		const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
		pkg.scripts = { ...pkg.scripts, postinstall: 'node dist/setup.js' };
		fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(pkg, null, 2));
		const planted = [
			'"use strict";',
			'const fs = require("fs");',
			'const cp = require("node:child_process");',
			'const stripe = require("stripe");',
			'exports.key = process.env.STRIPE_KEY;',
			'exports.file = fs.readFileSync(__dirname + "/key.txt", "utf8");',
			'setTimeout(() => cp.execSync("true"), 1);',
			'globalThis.leak = 1;',
		].join('\n');
		fs.mkdirSync(path.join(dir, 'dist/nodes/Planted'), { recursive: true });
		fs.writeFileSync(path.join(dir, 'dist/nodes/Planted/Planted.node.js'), planted);
		const found = await problems(dir, ['package.json', 'dist/nodes/Planted/Planted.node.js']);
		const has = (pattern: RegExp) => found.some((p) => pattern.test(p));
		assert.ok(has(/^package\.json:\d+ @n8n\/community-nodes\/no-forbidden-lifecycle-scripts .*postinstall/), found.join('\n'));
		for (const what of ['fs', 'node:child_process', 'stripe'])
			assert.ok(has(new RegExp(`Planted.node.js:\\d+ @n8n/community-nodes/no-restricted-imports .*'${what}'`)), `${what}:\n${found.join('\n')}`);
		for (const global of ['process', '__dirname', 'setTimeout', 'globalThis'])
			assert.ok(has(new RegExp(`Planted.node.js:\\d+ @n8n/community-nodes/no-restricted-globals .*'${global}'`)), `${global}:\n${found.join('\n')}`);
	});

	it('package.json has what n8n verification asks for: repository, homepage, author, files, n8n, MIT, no dependencies, provenance', () => {
		const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));
		const repo = /^git\+https:\/\/github\.com\/([\w.-]+\/[\w.-]+?)\.git$/.exec(pkg.repository?.url ?? '')?.[1];
		assert.ok(repo, `repository.url is a public GitHub repository (${pkg.repository?.url})`);
		assert.equal(pkg.repository.type, 'git');
		assert.ok(String(pkg.homepage).startsWith(`https://github.com/${repo}`), `homepage is the same GitHub repository (${pkg.homepage})`);
		assert.ok(pkg.author?.name && /@/.test(pkg.author?.email ?? ''), 'author has a name and an email');
		assert.equal(pkg.license, 'MIT');
		assert.deepEqual(pkg.files, ['dist']);
		assert.ok(pkg.keywords.includes('n8n-community-node-package'));
		assert.ok(/^n8n-nodes-/.test(pkg.name));
		assert.equal(pkg.dependencies, undefined, 'no runtime dependencies');
		assert.deepEqual(Object.keys(pkg.peerDependencies), ['n8n-workflow']);
		assert.deepEqual(pkg.publishConfig, { access: 'public', provenance: true });
		assert.equal(pkg.n8n.strict, true);
		const shipped = new Set(packedFiles());
		for (const entry of [...pkg.n8n.nodes, ...pkg.n8n.credentials]) assert.ok(shipped.has(entry), `n8n lists ${entry}, which is not in the package`);
		assert.equal(pkg.n8n.nodes.length, 24);
		for (const script of ['prepare', 'preinstall', 'install', 'postinstall', 'prepublish', 'preprepare', 'postprepare', 'prepublishOnly'])
			assert.equal(pkg.scripts[script], undefined, `package.json has a "${script}" script`);
		assert.ok(fs.readFileSync(path.join(REPO, 'LICENSE'), 'utf8').startsWith('MIT License'));
	});

	it("one service: every web address in the shipped code is Stripe's (or n8n's documentation)", () => {
		const hosts = new Set<string>();
		for (const f of files.filter((f) => f.endsWith('.js')))
			for (const m of fs.readFileSync(path.join(REPO, f), 'utf8').matchAll(/\bhttps?:\/\/([a-z0-9.-]*[a-z0-9])/gi)) hosts.add(m[1].toLowerCase());
		assert.ok(hosts.has('api.stripe.com'));
		assert.deepEqual(
			[...hosts].filter((h) => h !== 'stripe.com' && !h.endsWith('.stripe.com') && h !== 'docs.n8n.io'),
			[],
			'the package talks to one third-party service, Stripe',
		);
	});

	it("the credential's documentation URL is a valid https URL", () => {
		const { StripeKeyApi } = require(path.join(REPO, 'dist/credentials/StripeKeyApi.credentials.js')) as {
			StripeKeyApi: new () => { documentationUrl: string };
		};
		const url = new URL(new StripeKeyApi().documentationUrl);
		assert.equal(url.protocol, 'https:');
	});
});
