/**
 * nock conventions for engine tests: no real network, and every mock must be used.
 *
 *   beforeAll(() => blockRealNetwork());
 *   afterEach(() => { try { assertAllMocksUsed(); } finally { nock.cleanAll(); } });
 */
import assert from 'node:assert/strict';
import nock from 'nock';

/** Makes any request that no nock scope intercepts fail with NetConnectNotAllowedError. */
export function blockRealNetwork(): void {
	if (!nock.isActive()) nock.activate();
	nock.disableNetConnect();
}

/** Fails (listing them) if some nock interceptors were never called. */
export function assertAllMocksUsed(): void {
	assert.deepEqual(nock.pendingMocks(), [], 'nock interceptors that were never called');
}

/** One request as nock saw it. */
export interface RecordedRequest {
	method: string;
	path: string;
	headers: Record<string, string>;
	body: nock.Body;
}

/**
 * Records intercepted requests, for assertions on headers and bodies:
 *
 *   const recorder = new RequestRecorder();
 *   nock('https://api.stripe.com').post('/v1/customers').reply(function (uri, body) {
 *     recorder.record(this, uri, body);
 *     return [200, { id: 'cus_1' }];
 *   });
 */
export class RequestRecorder {
	readonly requests: RecordedRequest[] = [];

	record(context: nock.ReplyFnContext, path: string, body: nock.Body): void {
		this.requests.push({
			method: context.req.method,
			path,
			headers: { ...context.req.headers },
			body,
		});
	}
}

/**
 * The usual nock lifecycle of an engine test file: no real network from the start, and after each test
 * every mock must have been used (then all are cleared).
 */
export function interceptStripe(hooks: { before: (fn: () => void) => void; afterEach: (fn: () => void) => void }): void {
	hooks.before(() => blockRealNetwork());
	hooks.afterEach(() => {
		try {
			assertAllMocksUsed();
		} finally {
			nock.cleanAll();
		}
	});
}
