/**
 * Saved workflows keep working: workflows saved with the node descriptions of version 0.1.0
 * (test/fixtures/saved-workflows/*.json, whole workflows as n8n stores them) are loaded as they are and
 * run inside n8n-core's WorkflowExecute; every request they send must equal what stripe@17.4.0 sends for
 * what the user set when the workflow was saved.
 *
 * The fixtures are frozen. n8n's editor saves only the parameters that differ from a field's default
 * (NodeHelpers.getNodeParameters with returnDefaults = false), so these files hold exactly what a user's
 * saved workflow holds: Mode "Payment", Quantity 1, Type "Monetary", Operation "Create" are NOT in them.
 * A change to a field's name, shape, default or meaning that would make such a workflow send something
 * else fails here, with the fixture, the node and the difference named. Such a change needs a new node
 * version (README, Versioning); never edit a fixture to make this test pass.
 *
 * Expected requests are stripe-node's, for the values the user set (test/support/saved-workflows.ts), not
 * the node's. The end-to-end suite runs the same workflows in a real n8n (test/e2e/saved.ts).
 */
import '../harness/engine';

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import nock from 'nock';
import { afterAll, beforeAll, describe, it } from '@jest/globals';

import type { ICredentialDataDecryptedObject, INode, INodeType, IVersionedNodeType, IWorkflowBase } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';
import { runWorkflow } from '../harness/engine';
import { runHook } from '../harness/webhook';
import type { CaptureServer } from '../support/capture';
import { startCaptureServer } from '../support/capture';
import { answer, API_VERSION, changedMessage, FIXTURES_RUN, SAVED_WORKFLOWS_DIR as FIXTURES, sdkFor, SECRET_KEY, wire } from '../support/saved-workflows';

// Both sides talk to a real loopback server (nock's interception would stall stripe-node).
nock.restore();

const REPO = path.join(__dirname, '../../..');

function loadFixture(file: string): IWorkflowBase {
	return JSON.parse(fs.readFileSync(path.join(FIXTURES, file), 'utf8')) as IWorkflowBase;
}

/**
 * The node classes a saved workflow names, by type: ours from dist/, n8n's own from n8n-nodes-base. Each
 * must still have the node version the workflow was saved with (a versioned node keeps its old versions).
 */
function nodeTypesFor(nodes: INode[]): Record<string, INodeType | IVersionedNodeType> {
	const types: Record<string, INodeType | IVersionedNodeType> = {};
	for (const node of nodes) {
		const [pkg, name] = node.type.split('.');
		const className = name.charAt(0).toUpperCase() + name.slice(1);
		const file =
			pkg === 'n8n-nodes-stripe'
				? path.join(REPO, 'dist/nodes', className, `${className}.node.js`)
				: path.join(REPO, 'node_modules/n8n-nodes-base/dist/nodes', className, `${className}.node.js`);
		assert.ok(fs.existsSync(file), `the saved workflow uses node type "${node.type}", which no longer exists (${path.relative(REPO, file)})`);
		const NodeClass = (require(file) as Record<string, new () => INodeType | IVersionedNodeType>)[className];
		const type = new NodeClass();
		const versions = 'nodeVersions' in type ? Object.keys(type.nodeVersions).map(Number) : ([] as number[]).concat(type.description.version);
		assert.ok(
			versions.includes(node.typeVersion),
			`node "${node.name}" was saved as ${node.type} version ${node.typeVersion}; the node now has versions ${versions.join(', ')}`,
		);
		types[node.type] = type;
	}
	return types;
}

describe('saved workflows (fixtures saved with 0.1.0) still send the same requests', () => {
	let server: CaptureServer;
	beforeAll(async () => {
		server = await startCaptureServer(answer);
	});
	afterAll(async () => server.close());

	const credentials = (): Record<string, ICredentialDataDecryptedObject> => ({ stripeKeyApi: { secretKey: SECRET_KEY, baseUrl: server.url } });

	it('every fixture is a whole workflow as n8n stores it, without the defaults the editor leaves out', () => {
		const files = fs.readdirSync(FIXTURES).filter((f) => f.endsWith('.json'));
		assert.deepEqual(files.sort(), [...FIXTURES_RUN.map((f) => f.file), 'trigger-snapshot-events.json'].sort(), 'each fixture has its expectation here');
		const checkout = loadFixture('checkout-session-create.json').nodes.find((n) => n.type === 'n8n-nodes-stripe.stripeCheckout')!;
		// The editor saved no Mode, UI Mode or Quantity 1: the node's defaults at the time stand for them.
		assert.equal(checkout.parameters.mode, undefined);
		assert.equal(checkout.parameters.ui_mode, undefined);
		assert.equal(checkout.parameters.resource, undefined);
		assert.equal(checkout.parameters.operation, undefined);
	});

	for (const fixture of FIXTURES_RUN) {
		it(fixture.file, async () => {
			const saved = loadFixture(fixture.file);
			const stripeNodes = saved.nodes.filter((n) => n.type.startsWith('n8n-nodes-stripe.'));

			server.requests.length = 0;
			const result = await runWorkflow({
				nodes: saved.nodes,
				connections: saved.connections,
				nodeTypes: nodeTypesFor(saved.nodes),
				credentials: credentials(),
				settings: saved.settings,
			});
			for (const node of stripeNodes) {
				const task = result.runData[node.name]?.[0];
				assert.ok(task, changedMessage(fixture.file, `did not run node "${node.name}"`));
				assert.equal(
					task.error,
					undefined,
					changedMessage(fixture.file, `now fails in node "${node.name}": ${task.error?.message} ${task.error?.description ?? ''}`),
				);
				const expectedItems = fixture.items?.[node.name];
				if (expectedItems !== undefined)
					assert.equal(task.data?.main[0]?.length, expectedItems, changedMessage(fixture.file, `outputs another number of items from "${node.name}"`));
			}
			const ours = server.requests.map(wire);

			server.requests.length = 0;
			await fixture.expected(sdkFor(server.url));
			const sdk = server.requests.map(wire);

			assert.deepEqual(
				ours,
				sdk,
				changedMessage(fixture.file, `now sends other requests than stripe-node sends for what the user set (node "${stripeNodes[0].name}")`),
			);
		});
	}

	it('trigger-snapshot-events.json: activation creates the same event destination', async () => {
		const saved = loadFixture('trigger-snapshot-events.json');
		const trigger = saved.nodes.find((n) => n.type === 'n8n-nodes-stripe.stripeEventsTrigger');
		assert.ok(trigger, changedMessage('trigger-snapshot-events.json', 'has no Stripe Events Trigger'));
		const nodeType = NodeHelpers.getVersionedNodeType(nodeTypesFor([trigger])[trigger.type], trigger.typeVersion) as INodeType;

		server.requests.length = 0;
		const created = await runHook({ nodeType, parameters: trigger.parameters, credentials: credentials(), staticData: {}, workflowName: saved.name }, 'create');
		assert.equal(created, true, changedMessage('trigger-snapshot-events.json', 'no longer activates'));
		const ours = server.requests.filter((r) => r.method === 'POST' && r.url.startsWith('/v2/core/event_destinations')).map(wire);

		server.requests.length = 0;
		// The destination's name and description are the node's own (named after the workflow); the rest is
		// what the user chose: snapshot payloads of three events, from this account, on the workflow's URL.
		await sdkFor(server.url).v2.core.eventDestinations.create({
			name: `n8n ${saved.name}`,
			description: `Created by n8n for workflow "${saved.name}" (wf-trigger-1), node "Stripe Events Trigger". Deleted when the workflow is deactivated.`,
			type: 'webhook_endpoint',
			event_payload: 'snapshot',
			enabled_events: ['checkout.session.completed', 'customer.subscription.deleted', 'invoice.paid'],
			events_from: ['self'],
			snapshot_api_version: API_VERSION,
			webhook_endpoint: { url: 'http://localhost:5678/webhook/6f1e2d3c-aaaa-4bbb-8ccc-0123456789ab/webhook' },
			include: ['webhook_endpoint.signing_secret', 'webhook_endpoint.url'],
		});
		const sdk = server.requests.map(wire);
		assert.deepEqual(ours, sdk, changedMessage('trigger-snapshot-events.json', 'now creates another event destination on activation'));
	});
});
