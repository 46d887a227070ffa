/**
 * The GitHub workflows do what README › Releasing says: CI runs .ci/run on pushes and pull requests; the
 * release workflow runs on version tags only, runs .ci/run first, and only then publishes, with
 * `npm publish --provenance` and the permissions provenance needs (id-token: write, contents: read), after
 * checking the tag against package.json and CHANGELOG.md. `npm run lint` validates both files against
 * GitHub's workflow schema (scripts/validate-workflows.mjs); this test checks what they say.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from '@jest/globals';
import { parse } from 'yaml';

const REPO = path.join(__dirname, '../../..');

interface Step {
	name?: string;
	run?: string;
	uses?: string;
	with?: Record<string, unknown>;
	env?: Record<string, string>;
}
interface Job {
	needs?: string | string[];
	permissions?: Record<string, string>;
	container?: { image: string };
	steps: Step[];
}
interface Workflow {
	on: Record<string, unknown>;
	permissions?: Record<string, string>;
	jobs: Record<string, Job>;
}

const load = (file: string) => parse(fs.readFileSync(path.join(REPO, '.github/workflows', file), 'utf8')) as Workflow;
const runs = (job: Job) => job.steps.map((s) => s.run ?? '').join('\n');

describe('GitHub workflows', () => {
	it('CI runs .ci/run on every push and pull request, read-only', () => {
		const ci = load('ci.yml');
		assert.ok('push' in ci.on && 'pull_request' in ci.on);
		assert.deepEqual(ci.permissions, { contents: 'read' });
		const jobs = Object.values(ci.jobs);
		assert.ok(
			jobs.some((j) => /(^|\n)bash \.ci\/run\b/.test(runs(j))),
			'a job runs .ci/run',
		);
		// .ci/run needs Debian's apt and root (README, CI): a Debian Node image gives both.
		assert.ok(jobs.every((j) => /^node:\d+-(bookworm|bullseye|trixie)/.test(j.container?.image ?? '')));
	});

	it('release publishes with provenance from version tags only, after .ci/run, lint and scan pass', () => {
		const release = load('release.yml');
		assert.deepEqual(Object.keys(release.on), ['push'], 'only pushes trigger a release');
		const push = release.on.push as { tags?: string[]; branches?: string[] };
		assert.equal(push.branches, undefined);
		assert.ok(push.tags?.length && push.tags.every((t) => t.startsWith('v')), 'version tags (v1.2.3) only');
		assert.deepEqual(release.permissions, { contents: 'read' }, 'read-only unless a job asks for more');

		const publishing = Object.entries(release.jobs).filter(([, j]) => /npm publish/.test(runs(j)));
		assert.equal(publishing.length, 1, 'one job publishes');
		const [name, publish] = publishing[0];
		assert.deepEqual(publish.permissions, { 'id-token': 'write', contents: 'read' }, `${name}: the permissions provenance needs, nothing more`);
		const command = publish.steps.find((s) => /npm publish/.test(s.run ?? ''))!;
		assert.match(command.run!, /^npm publish --provenance --access public$/m);
		const order = publish.steps.map((s) => s.run ?? s.uses ?? '');
		const at = (re: RegExp) => order.findIndex((r) => re.test(r));
		assert.ok(at(/check-release\.mjs/) >= 0 && at(/check-release\.mjs/) < at(/npm publish/), 'the tag is checked before publishing');
		assert.ok(at(/^npm run lint$/) >= 0 && at(/^npm run lint$/) < at(/npm publish/), 'lint passes before publishing');
		assert.ok(at(/^npm run scan$/) >= 0 && at(/^npm run scan$/) < at(/npm publish/), 'the scan passes before publishing');
		const setupNode = publish.steps.find((s) => s.uses?.startsWith('actions/setup-node@'));
		assert.equal(setupNode?.with?.['registry-url'], 'https://registry.npmjs.org');

		const needs = ([] as string[]).concat(publish.needs ?? []);
		assert.ok(needs.length > 0, 'publishing waits for the checks');
		for (const n of needs) assert.ok(/(^|\n)bash \.ci\/run\b/.test(runs(release.jobs[n])), `${n} runs .ci/run (tests, lint, scan, end-to-end)`);
		for (const [n, j] of Object.entries(release.jobs)) if (n !== name) assert.equal(j.permissions, undefined, `${n} gets no extra permission`);
	});

	it('npm publish refuses to run outside CI: provenance is required by package.json', () => {
		// Our package.json alone in a folder, published to a registry address where nothing listens, from an
		// environment that is no CI: npm must stop before sending anything, because publishConfig.provenance
		// asks for a provenance statement only a CI's OIDC token can sign (libnpmpublish, EUSAGE).
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-stripe-publish-'));
		try {
			fs.copyFileSync(path.join(REPO, 'package.json'), path.join(dir, 'package.json'));
			const npm = spawnSync(
				'npm',
				['publish', '--registry', 'http://127.0.0.1:9/', '--//127.0.0.1:9/:_authToken=not-a-token', '--fetch-retries=0', '--ignore-scripts'],
				{ cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', HOME: dir }, timeout: 120_000 },
			);
			assert.notEqual(npm.status, 0);
			assert.match(npm.stderr, /EUSAGE[\s\S]*Automatic provenance generation not supported for provider: null/, npm.stderr);
		} finally {
			fs.rmSync(dir, { recursive: true, force: true });
		}
	});

	it('the release gate refuses a tag that is not the version, or a version without a CHANGELOG entry', async () => {
		// scripts/check-release.mjs is an ES module: jest's module loader does not load those, a plain Node does.
		const checkRelease = (tag: string, pkg: { version: string }, changelog: string): string[] => {
			const run = 'import(process.argv[1]).then((m) => process.stdout.write(JSON.stringify(m.checkRelease(...JSON.parse(process.argv[2])))))';
			const url = pathToFileURL(path.join(REPO, 'scripts/check-release.mjs')).href;
			return JSON.parse(execFileSync(process.execPath, ['-e', run, url, JSON.stringify([tag, pkg, changelog])], { encoding: 'utf8' })) as string[];
		};
		const changelog = '# Changelog\n\n## [1.2.0] - 2026-12-01\n\n### Added\n- x\n\n## [1.1.0] - 2026-11-01\n';
		assert.deepEqual(checkRelease('v1.2.0', { version: '1.2.0' }, changelog), []);
		assert.equal(checkRelease('1.2.0', { version: '1.2.0' }, changelog).length, 1);
		assert.equal(checkRelease('v1.2.1', { version: '1.2.0' }, changelog).length, 1);
		assert.equal(checkRelease('v1.3.0', { version: '1.3.0' }, changelog).length, 1);
		assert.equal(checkRelease('v1.2.0', { version: '1.2.0' }, '## [1.2.0.1]').length, 1);
		const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { version: string };
		assert.deepEqual(
			checkRelease(`v${pkg.version}`, pkg, fs.readFileSync(path.join(REPO, 'CHANGELOG.md'), 'utf8')),
			[],
			'CHANGELOG.md has a section for the current version',
		);
	});
});
