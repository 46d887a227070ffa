// Release gate, run by .github/workflows/release.yml before anything is published:
//   node scripts/check-release.mjs <tag>
// Fails unless the pushed tag is exactly `v` + package.json's version and CHANGELOG.md has a section for
// that version (a `## [x.y.z]` heading), so a tag can only publish the version the repository says it is,
// with its changes written down.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export function checkRelease(tag, pkg, changelog) {
	const problems = [];
	if (tag !== `v${pkg.version}`) problems.push(`the tag "${tag}" is not "v${pkg.version}" (package.json version)`);
	const heading = new RegExp(`^## \\[${pkg.version.replace(/[.+]/g, '\\$&')}\\]`, 'm');
	if (!heading.test(changelog)) problems.push(`CHANGELOG.md has no "## [${pkg.version}]" section`);
	return problems;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
	const tag = process.argv[2] ?? '';
	const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
	const changelog = fs.readFileSync(path.join(root, 'CHANGELOG.md'), 'utf8');
	const problems = checkRelease(tag, pkg, changelog);
	for (const p of problems) console.error(`release refused: ${p}`);
	if (problems.length) process.exit(1);
	console.log(`release ${tag}: package.json and CHANGELOG.md agree`);
}
