// The unit, engine and stand-in suites on jest (`npm test`). Like `node --test` before, jest runs the tsc
// output in dist-test/ (`npm run build:test`), not the TypeScript itself: no ts-jest or Babel transform, so the
// tests load the same compiled JavaScript the package ships, and no second compiler sits between them.
/** @type {import('jest').Config} */
module.exports = {
	rootDir: __dirname,
	roots: ['<rootDir>/dist-test/test'],
	testMatch: ['<rootDir>/dist-test/test/{unit,engine,standin}/*.test.js'],
	testEnvironment: 'node',
	transform: {},
	// Two workers: the machine this must stay fast on has two cores. Every test file is its own module registry,
	// as every file was its own process under node --test; servers listen on port 0 (random), so files can share
	// a worker or run side by side.
	maxWorkers: 2,
	// A fresh worker process for every test file, as node --test gave each file its own process: what a file
	// leaves in Node's own modules (nock's hold on http, n8n-workflow's patched sleep) cannot reach the next.
	workerIdleMemoryLimit: '1KB',
	// Host functions whose results must be built with the test file's own built-ins (see the file).
	setupFiles: ['<rootDir>/dist-test/test/support/jest-setup.js'],
	// Stack traces as V8 writes them, without jest's source-map lookups (see the file).
	setupFilesAfterEnv: ['<rootDir>/dist-test/test/support/jest-stack-traces.js'],
	// Every test file imports what it uses from @jest/globals.
	injectGlobals: false,
	// node:test had no per-test time limit; some tests drive the whole node through every operation.
	testTimeout: 300_000,
	// Plain lines: jest's own summary, then `N passed, N failed` for .ci/run to add up.
	reporters: ['default', '<rootDir>/dist-test/test/support/summary-reporter.js'],
};
