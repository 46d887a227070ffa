/**
 * Summarises a V8 CPU profile (from `npm run bench -- --cpu-prof`, in bench-profiles/):
 *
 *   node dist-test/bench/profile-summary.js bench-profiles/<file>.cpuprofile [--top 25] [--match REGEX]
 *
 * Prints self time by function and by package, and inclusive ("total") time of the functions whose
 * name or URL matches --match (default: nothing), which answers "how much of the run is under X".
 */
import * as fs from 'node:fs';

interface ProfileNode {
	id: number;
	callFrame: { functionName: string; url: string; lineNumber: number };
	children?: number[];
	hitCount?: number;
}
interface Profile {
	nodes: ProfileNode[];
	samples: number[];
	timeDeltas: number[];
	startTime: number;
	endTime: number;
}

const file = process.argv[2];
const top = Number(process.argv[process.argv.indexOf('--top') + 1] || 25) || 25;
const matchArg = process.argv.indexOf('--match') > 0 ? process.argv[process.argv.indexOf('--match') + 1] : undefined;
const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile;

const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const selfUs = new Map<number, number>();
profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const totalUs = profile.endTime - profile.startTime;

function pkgOf(url: string): string {
	if (!url) return '(native/V8)';
	const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
	if (m) return m[1];
	if (url.startsWith('node:')) return 'node core';
	const d = /\/(dist(?:-test)?\/[^/]+(?:\/[^/]+)?)/.exec(url);
	return d ? d[1] : url;
}
const label = (n: ProfileNode) =>
	`${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/(dist)/, '$1')}:${n.callFrame.lineNumber + 1}`;

const bySelf = new Map<string, number>();
const byPkg = new Map<string, number>();
for (const [id, us] of selfUs) {
	const n = byId.get(id)!;
	bySelf.set(label(n), (bySelf.get(label(n)) ?? 0) + us);
	const p =
		n.callFrame.functionName === '(garbage collector)' ? '(garbage collector)' : n.callFrame.functionName === '(idle)' ? '(idle)' : pkgOf(n.callFrame.url);
	byPkg.set(p, (byPkg.get(p) ?? 0) + us);
}
const pct = (us: number) => `${((100 * us) / totalUs).toFixed(1).padStart(5)} %  ${(us / 1000).toFixed(0).padStart(6)} ms`;
console.log(`${file}: ${(totalUs / 1000).toFixed(0)} ms profiled`);
console.log('\nself time by package:');
for (const [p, us] of [...byPkg].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${pct(us)}  ${p}`);
console.log('\nself time by function:');
for (const [f, us] of [...bySelf].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${pct(us)}  ${f}`);

if (matchArg) {
	// Inclusive time of matching frames, counting each sample once even under recursion.
	const re = new RegExp(matchArg);
	const incl = new Map<string, number>();
	profile.samples.forEach((id, i) => {
		const seen = new Set<string>();
		for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
			const n = byId.get(cur)!;
			const l = label(n);
			if (!seen.has(l) && re.test(l)) {
				seen.add(l);
				incl.set(l, (incl.get(l) ?? 0) + (profile.timeDeltas[i] ?? 0));
			}
		}
	});
	console.log(`\ninclusive time of frames matching /${matchArg}/:`);
	for (const [f, us] of [...incl].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`  ${pct(us)}  ${f}`);
}
