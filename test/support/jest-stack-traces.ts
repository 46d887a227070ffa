/**
 * Runs in every test file's sandbox after jest has set it up (jest.config.js `setupFilesAfterEnv`).
 *
 * jest maps every stack trace through source maps (source-map-support), reading the maps that n8n's packages
 * ship from disk; n8n builds errors (and reads their stacks) all the time, and that mapping, synchronous, holds
 * up the event loop the tests' servers and timeouts share: under load long enough for a 0.5 s request timeout to
 * fire. The package's own compiled code has no source maps (tsconfig.json writes none), so nothing is lost:
 * stack traces are V8's own again, as under `node --test` and in n8n.
 */
delete (Error as { prepareStackTrace?: unknown }).prepareStackTrace;
