/**
 * Prints RELIABILITY.md: runs the fault-injection scenarios, the 1,000-item run under random faults and the
 * rate-limited runs (the same code test/engine/reliability*.test.ts asserts on) and writes the results as
 * markdown to stdout.
 *
 *   npm run build && npm run build:test && node dist-test/test/support/reliability-table.js > RELIABILITY.md
 *
 * Takes about 30 s (the rate-limited runs use real time).
 */
import '../harness/engine';

import nock from 'nock';

import { DEFAULT_TIMEOUT_MS, RATE_LIMIT, RETRY } from '../../nodes/shared/client/transport';
import type { Standin } from '../standin/server';
import { startTestStandin } from './standin';
import { deadlineRows, dotIdSweep, malformedRows, redirectRows, retryOnFailRow, rowsTable } from './hostile-scenarios';
import type { ChaosStats, RateStats } from './reliability-scenarios';
import {
	CHAOS,
	RATE_RUNS,
	resultsTable,
	runChaos,
	runRateLimitedCreates,
	runRateLimitedReturnAll,
	runScenario,
	SCENARIOS,
	TEST_TIMEOUT_MS,
} from './reliability-scenarios';

nock.restore();

function rateRow(what: string, r: RateStats): string {
	return `| ${what} | ${r.limit}/s | ${r.nodeError ? `failed: ${r.nodeError}` : 'finished'} | ${r.outputItems} | ${r.accepted} | ${r.limited} | ${r.maxPerSecond} | ${r.steadyRate.toFixed(1)}/s | ${r.overallRate.toFixed(1)}/s | ${(r.ms / 1000).toFixed(1)} s |`;
}

function chaosLine(c: ChaosStats): string {
	const kinds = Object.entries(c.faultKinds)
		.sort((a, b) => b[1] - a[1])
		.map(([k, n]) => `${k} ×${n}`)
		.join(', ');
	return [
		`| Items | Attempts | Faults injected | Objects stored | Duplicates | Output items (in input order) | Keys per item | Result | Time |`,
		`| --- | --- | --- | --- | --- | --- | --- | --- | --- |`,
		`| ${c.items} | ${c.attempts} | ${c.faults} (${kinds}) | ${c.objects} | ${c.objects - c.distinctRows} | ${c.outputItems} (${c.outputInInputOrder ? 'yes' : 'NO'}) | ${c.maxKeysPerItem} (${c.distinctKeys} distinct) | ${c.nodeError ? `failed: ${c.nodeError}` : 'succeeded'} | ${(c.ms / 1000).toFixed(1)} s |`,
	].join('\n');
}

/** Everything RELIABILITY.md reports, measured. */
async function measure(s: Standin) {
	const results = [];
	for (const scenario of SCENARIOS) results.push(await runScenario(s, scenario));
	const chaos = await runChaos(s, 1000);
	const creates = await runRateLimitedCreates(s, RATE_RUNS.creates.limit, RATE_RUNS.creates.items);
	const returnAll = await runRateLimitedReturnAll(s, RATE_RUNS.returnAll.limit, RATE_RUNS.returnAll.total);
	const redirects = await redirectRows();
	const dots = await dotIdSweep();
	const malformed = await malformedRows();
	const deadlines = await deadlineRows();
	const retryOnFail = await retryOnFailRow();
	const mismatches = results.filter((r) => r.outcome !== r.scenario.expect.outcome || r.attempts !== r.scenario.expect.attempts);

	return { results, chaos, creates, returnAll, redirects, dots, malformed, deadlines, retryOnFail, mismatches };
}

type Measured = Awaited<ReturnType<typeof measure>>;

/** The heading, how it was measured, the faults one at a time and 1,000 items under random faults. */
function faultsSection({ results, mismatches, chaos }: Measured): string {
	return `# Reliability

What the Stripe nodes do when Stripe or the network misbehaves, measured through n8n's own engine
(\`WorkflowExecute\`, test/harness) against the loopback Stripe stand-in (test/standin), which honours
\`Idempotency-Key\` like Stripe (same key and body → the stored answer is replayed, \`Idempotent-Replayed: true\`).

**Generated** by \`node dist-test/test/support/reliability-table.js > RELIABILITY.md\` (after \`npm run build &&
npm run build:test\`; about 30 s). The same scenarios are asserted by \`test/engine/reliability.test.ts\`,
\`reliability-ratelimit.test.ts\`, \`reliability-input.test.ts\`, \`reliability-secrets.test.ts\` and \`reliability-hostile.test.ts\` (part of \`npm test\`).

Settings: Max Retries ${RETRY.defaultMaxRetries} (the default) unless stated; backoff as stripe-node
(${RETRY.initialDelaySec} s doubling to ${RETRY.maxDelaySec} s, jitter, \`Retry-After\` honoured) — made instant here by
\`instantSleep()\`, the delays asked for are listed; per-attempt deadline (Request Options → Timeout) ${TEST_TIMEOUT_MS} ms instead of the
default ${DEFAULT_TIMEOUT_MS / 1000} s (\`DEFAULT_TIMEOUT_MS\` in nodes/shared/client/transport.ts), passing when the
stand-in leaves the attempt unanswered (the tests' deadline clock, test/harness/deadlines.ts), not on a slow machine. "Attempts" are the requests the
stand-in received; "Objects stored" is what it holds afterwards. Every scenario is one input item.
${mismatches.length ? `\n**${mismatches.length} scenario(s) did not behave as the tests expect: ${mismatches.map((m) => m.scenario.name).join(', ')}**\n` : ''}
## Faults, one at a time

Faults: \`reset\` = the socket is destroyed before the request is processed; \`reset-after\` = the stand-in stores
the object, then destroys the socket (the answer is lost); \`hang\` / \`hang-after\` = no answer ever, before / after
processing (the attempt times out); a number = that HTTP status.

${resultsTable(results)}

## 1,000 items, 10 % random transient faults

Customer create for 1,000 items; ${Math.round(CHAOS.rate * 100)} % of attempts (seeded, reproducible) get one of:
${[...new Set(CHAOS.faults.map((f) => f.action ?? `${f.status}${f.rawBody ? ' (non-JSON body)' : ''}${f.headers?.['Stripe-Should-Retry'] ? ` (Stripe-Should-Retry: ${f.headers['Stripe-Should-Retry']})` : ''}`))].join(', ')}.
Max Retries 5 (with the default 2, three faults in a row — probability 0.1 % per item — would fail an item).

${chaosLine(chaos)}

`;
}

/** The rate-limited runs. */
function rateSection({ creates, returnAll }: Measured): string {
	return `## Rate limiting

The stand-in answers 429 \`rate_limit\` when more than N requests arrived in the last second (like Stripe: 25/s in
test mode, 100/s live). Default Max Retries, real time. After the first 429, the node paces its requests to
${Math.round(RATE_LIMIT.targetShare * 100)} % of the rate Stripe accepted (\`RATE_LIMIT\` in transport.ts).

| Run | N | Result | Output items | Accepted requests | 429s | Max accepted in any 1 s | Rate after the first 429 | Overall rate | Time |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
${rateRow(`${creates.outputItems} creates`, creates)}
${rateRow(`Return All, ${returnAll.outputItems} customers (${returnAll.accepted} pages)`, returnAll)}

`;
}

/** Hostile servers: redirects, path IDs, malformed answers, deadlines, header values, Retry On Fail. */
function hostileSection({ redirects, dots, malformed, deadlines, retryOnFail }: Measured): string {
	return `## Hostile network, misbehaving API, careless input

Loopback servers that misbehave on purpose (test/support/hostile.ts), through n8n's engine; asserted case by
case in \`reliability-hostile.test.ts\`. Before these fixes (measured the same way on the previous code): a
redirect to another port was followed there (n8n 2.41.1's redirect hook, \`getBeforeRedirectFn\`, re-adds
\`Authorization\` cross-origin by default); a redirect loop was followed until axios gave up, 22 requests per
attempt, 66 in all; \`.\`/\`..\` IDs were sent
and resolved into other endpoints; a \`null\` body crashed the execution past Continue On Fail
(\`Cannot read properties of null (reading '$error')\`); malformed lists gave 0 items and success, a cursor that
never advanced was followed forever; a trickling answer finished after 3 s despite the timeout, and a stall
after the headers took the full 80 s and said "Could not reach Stripe (ERR_BAD_RESPONSE)"; Retry On Fail sent a
new key and created the object twice.

**Redirects** (never followed; n8n 2.41.1 re-sends credentials on cross-origin redirects unless told not to,
so requests go out with \`disableFollowRedirect\` and \`sendCredentialsOnCrossOriginRedirect: false\`):

${rowsTable(redirects)}

**Path IDs**: every path parameter of every operation (${dots.params}), each with \`.\` and \`..\`: ${dots.refused} of
${dots.params * 2} refused before sending (\`Invalid parameter in item <n>: "<Label>" (<field>) "." is not a valid Stripe
ID (a path of dots would address another endpoint)\`), ${dots.sent} requests sent. Anything with \`%\` was already refused, so
nothing percent-decodes to a dot segment either.

**Malformed answers** (two input items, Continue On Fail):

${rowsTable(malformed)}

**Deadlines** (Request Options → Timeout; default ${DEFAULT_TIMEOUT_MS / 1000} s, an overall deadline per attempt):

${rowsTable(deadlines)}

**Header values**: Idempotency Keys from non-Latin data (\`Иван-signup\`, \`王芳-signup\`, \`Zoë-signup\`), keys with
CRLF, a tab or a trailing space, an API version with CRLF or a non-ASCII letter, a header field with \`é\`: each
refused with the character and its code point named, 0 requests sent; a \`hash('sha256')\` digest of the same
data is sent unchanged.

**n8n's Retry On Fail**:

${rowsTable([retryOnFail])}

Different items, nodes, loop passes (run index) and executions get different keys (tested).

`;
}

/** Bad input, secrets, and what to know: prose over what the tests assert. */
const CLOSING = `## Bad input and secrets

- **Bad input** (\`reliability-input.test.ts\`): for every field shape the descriptors produce (text, number, boolean,
  option, multi-option, string list, metadata, text map, object map, JSON object, JSON list, scalar union, binary),
  as a required field and as an additional field (the first operation over all family nodes that has one), plus
  IDs, Limit and request options: the run fails with \`Invalid parameter in item <n>: "<Label>" (<param path>)
  <reason>\` and "Nothing was sent to Stripe"; the capture server receives nothing. With Continue On Fail the valid
  item next to the bad one is sent and the bad one becomes an error item (paired with its input).
- **Secrets** (\`reliability-secrets.test.ts\`): succeeding runs (creates, Return All, v2 event destinations) and
  19 kinds of failure (errors and error pages echoing the key, the \`Authorization\` header, Basic credentials or a
  \`whsec_\` secret; the key in every Stripe error field — \`type\`, \`code\`, \`param\`, \`decline_code\`, \`doc_url\`, an
  object-valued field —, in the \`Request-Id\` header, URL-encoded (\`Bearer%20sk_…\`, \`sk%5Ftest%5F…\`), Base64-encoded
  on its own, in a redirect's \`Location\`; resets; timeouts; 5xx; malformed JSON; declines; bad input; a live key;
  Continue On Fail):
  run data, output items, errors (all own properties), console, stdout, stderr and every n8n logger call (all
  levels, with metadata) are scanned for the key, its random part (plain, URL-encoded, Base64), its Basic encoding, signing secrets and
  \`Authorization: Bearer|Basic …\`. Nothing is found.

## What to know

- Every POST attempt of an item carries the same \`Idempotency-Key\` (v1 POSTs with Max Retries 0 send none, as
  stripe-node). So a lost answer (reset or timeout after Stripe processed the request) is retried safely: the
  retry gets the stored answer and nothing is created twice.
- Generated keys are a digest of execution, node, run index, item and request: n8n's Retry On Fail reuses them
  (see above), other items, nodes, loop passes and executions never share one. If an item still fails after all
  retries although Stripe created the object ("reset after processing, every attempt" above), running the
  execution again (a new execution) creates it again — unless
  *Request Options → Idempotency Key* comes from the item (e.g. \`{{ "order-" + $json.orderId }}\`): then the
  re-run replays (tested: "a failed execution run again with item-based idempotency keys creates no duplicates").
- A 200 answer whose body is not JSON is not retried (the request may have been carried out); the error says so
  in plain words. Error bodies that are not JSON (a proxy's HTML page) are quoted, shortened to 200 characters,
  with anything that looks like a key, a signing secret or an Authorization value masked.
`;

async function main(): Promise<void> {
	const s = await startTestStandin();
	try {
		const m = await measure(s);
		process.stdout.write(faultsSection(m) + rateSection(m) + hostileSection(m) + CLOSING);
	} finally {
		await s.close();
	}
}

main().catch((e: unknown) => {
	process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
	process.exit(1);
});
