/**
 * A jest reporter that ends the run with one plain line, `N passed, N failed`, the same line the e2e runners
 * print, so that `.ci/run` can add up every suite it ran. A test file that fails before any of its tests runs
 * (it throws while loading, or a hook fails) counts as one failure: it is not lost in a count of zero tests.
 */
interface RunResults {
	numPassedTests: number;
	numFailedTests: number;
	testResults: Array<{ testExecError?: unknown; numFailingTests: number; failureMessage?: string | null }>;
}

class SummaryReporter {
	onRunComplete(_contexts: unknown, results: RunResults): void {
		const brokenFiles = results.testResults.filter((r) => r.numFailingTests === 0 && (r.testExecError || r.failureMessage)).length;
		process.stderr.write(`\n${results.numPassedTests} passed, ${results.numFailedTests + brokenFiles} failed\n`);
	}
}

module.exports = SummaryReporter;
