/**
 * Trigger nodes through n8n-core's own contexts: the activation hooks (checkExists / create / delete) in a
 * HookContext, and deliveries in a WebhookContext with an express-like request (headers, raw body) and a
 * response that records what the node answered. Static data persists across calls like n8n keeps it
 * between activations, so sequences (activate, restart, edit, deactivate) can be replayed.
 */
import { createAdditionalData, createHooks, ensureEngineEnvironment, HarnessCredentialsHelper } from './engine';

import { HookContext, TriggerContext, WebhookContext, WorkflowExecute } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	INode,
	INodeParameters,
	INodeExecutionData,
	INodeType,
	ITriggerResponse,
	IWebhookData,
	IWebhookResponseData,
	WorkflowActivateMode,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { createRunExecutionData, Workflow } from 'n8n-workflow';

import { StripeKeyApi } from '../../credentials/StripeKeyApi.credentials';
import { harnessCredentialRef } from './credentials-helper';
import { defaultTypeVersion, HarnessNodeTypes } from './node-types';

export const WEBHOOK_BASE = 'http://localhost:5678/webhook';
export const WEBHOOK_ID = '6f1e2d3c-aaaa-4bbb-8ccc-0123456789ab';

export interface TriggerSetup {
	nodeType: INodeType;
	parameters: INodeParameters;
	credentials: Record<string, ICredentialDataDecryptedObject>;
	/** Static data of the workflow, kept between calls (n8n stores it in the database). */
	staticData: IDataObject;
	workflowName?: string;
	isTest?: boolean;
}

function build(setup: TriggerSetup) {
	const typeName = `n8n-nodes-stripe.${setup.nodeType.description.name}`;
	const node: INode = {
		id: 'trigger-node',
		name: String(setup.nodeType.description.defaults.name),
		type: typeName,
		typeVersion: defaultTypeVersion(setup.nodeType),
		position: [0, 0],
		parameters: setup.parameters,
		webhookId: WEBHOOK_ID,
		credentials: { stripeKeyApi: harnessCredentialRef('stripeKeyApi') },
	};
	const workflow = new Workflow({
		id: 'wf-trigger-1',
		name: setup.workflowName ?? 'Stripe orders',
		nodes: [node],
		connections: {},
		active: true,
		nodeTypes: new HarnessNodeTypes({ [typeName]: setup.nodeType }),
		staticData: setup.staticData,
		settings: { executionOrder: 'v1', timezone: 'UTC' },
	});
	const hooks = createHooks('trigger', 'trigger-exec', { id: 'wf-trigger-1', name: workflow.name ?? '', active: true, nodes: [node], connections: {} });
	const additionalData = createAdditionalData(new HarnessCredentialsHelper([new StripeKeyApi()], setup.credentials), hooks, 'trigger-exec', 'wf-trigger-1');
	const webhookDescription = setup.nodeType.description.webhooks![0];
	const webhookData: IWebhookData = {
		httpMethod: 'POST',
		node: node.name,
		path: `${WEBHOOK_ID}/webhook`,
		webhookDescription,
		workflowId: 'wf-trigger-1',
		workflowExecuteAdditionalData: additionalData,
		webhookId: WEBHOOK_ID,
		isTest: setup.isTest,
	};
	return { workflow, node: workflow.getNode(node.name)!, additionalData, webhookData };
}

/** Copy what the node changed in the workflow's static data back into the setup. */
function keepStaticData(setup: TriggerSetup, workflow: Workflow) {
	const data = JSON.parse(JSON.stringify(workflow.staticData)) as IDataObject;
	delete data.__dataChanged;
	for (const k of Object.keys(setup.staticData)) delete setup.staticData[k];
	Object.assign(setup.staticData, data);
}

/**
 * The execution and activation modes n8n 2.41.1 passes to each hook (verified in its source): activation
 * calls checkExists/create in mode `trigger` (active-workflow-manager.js addWebhooks), "Listen for test event"
 * in mode `manual`, activation `manual` (webhooks/test-webhooks.js); every removal, test or production,
 * calls delete in mode `internal`, activation `update` (deregisterWebhooks, test-webhooks deactivateWebhooks).
 */
export function n8nHookModes(
	method: 'checkExists' | 'create' | 'delete',
	isTest: boolean,
	activation: WorkflowActivateMode,
): { mode: WorkflowExecuteMode; activation: WorkflowActivateMode } {
	if (method === 'delete') return { mode: 'internal', activation: 'update' };
	return isTest ? { mode: 'manual', activation: 'manual' } : { mode: 'trigger', activation };
}

export async function runHook(
	setup: TriggerSetup,
	method: 'checkExists' | 'create' | 'delete',
	activation: WorkflowActivateMode = 'activate',
	modes: { mode: WorkflowExecuteMode; activation: WorkflowActivateMode } = n8nHookModes(method, Boolean(setup.isTest), activation),
): Promise<boolean> {
	await ensureEngineEnvironment();
	const { workflow, node, additionalData, webhookData } = build(setup);
	const ctx = new HookContext(workflow, node, additionalData, modes.mode, modes.activation, webhookData);
	const fn = (setup.nodeType.webhookMethods as Record<string, Record<string, (this: HookContext) => Promise<boolean>>>).default[method];
	try {
		return await fn.call(ctx);
	} finally {
		keepStaticData(setup, workflow);
	}
}

export interface Delivery {
	headers: Record<string, string | string[]>;
	rawBody: Buffer;
}

export interface DeliveryResult {
	status: number;
	body: unknown;
	response: IWebhookResponseData;
	/** Items the workflow would start with (undefined: no execution). */
	items?: IDataObject[];
	/**
	 * The workflow's static data as n8n 2.41.1 stores it in its database after this delivery (undefined: not
	 * saved): see `savedByN8n`.
	 */
	saved?: IDataObject;
}

const snapshot = (data: IDataObject): IDataObject => JSON.parse(JSON.stringify(data)) as IDataObject;

/**
 * What n8n 2.41.1 saves of a delivery's static data, in its order (webhooks/webhook-helpers.js executeWebhook,
 * live-webhooks.js, workflow-runner.js): LiveWebhooks saves the static data when the answer is handed back to it,
 * if the static data is marked changed. A node that answered itself (`noWebhookResponse`) is handed back
 * before the execution starts. Starting the execution (WorkflowRunner.run → establishContextForPersistence)
 * wraps the same static-data object in a new Workflow, which clears the changed flag; an answer n8n sends
 * itself (`webhookResponse` with `responseMode: 'onReceived'`) is handed back after that.
 */
function savedByN8n(workflow: Workflow, staticData: IDataObject, response: IWebhookResponseData): IDataObject | undefined {
	const saveIfChanged = () => (workflow.staticData.__dataChanged === true ? snapshot(staticData) : undefined);
	let saved = response.noWebhookResponse === true ? saveIfChanged() : undefined;
	if (response.workflowData) {
		new Workflow({ id: workflow.id, nodes: Object.values(workflow.nodes), connections: {}, active: true, nodeTypes: workflow.nodeTypes, staticData });
	}
	if (response.noWebhookResponse !== true) saved = saveIfChanged();
	if (saved) delete saved.__dataChanged;
	return saved;
}

/**
 * `afterWebhook` runs right after the node's webhook() returned, with the Workflow it ran in and the static-data
 * object that Workflow was built from (what n8n passes on to WorkflowRunner.run), before the static data is
 * copied back into the setup.
 */
export async function deliver(
	setup: TriggerSetup,
	delivery: Delivery,
	afterWebhook?: (workflow: Workflow, staticData: IDataObject) => Promise<void> | void,
): Promise<DeliveryResult> {
	await ensureEngineEnvironment();
	const { workflow, node, additionalData, webhookData } = build(setup);
	let parsed: unknown;
	try {
		parsed = JSON.parse(delivery.rawBody.toString('utf8'));
	} catch {
		parsed = {};
	}
	const headers: Record<string, string | string[]> = {};
	for (const [k, v] of Object.entries(delivery.headers)) headers[k.toLowerCase()] = v;
	const answer: { status: number; body: unknown } = { status: 200, body: undefined };
	const res = {
		status(code: number) {
			answer.status = code;
			return res;
		},
		json(body: unknown) {
			answer.body = body;
			return res;
		},
		send(body: unknown) {
			answer.body = body;
			return res;
		},
		end() {
			return res;
		},
		setHeader() {
			return res;
		},
		headersSent: false,
	};
	additionalData.httpRequest = { headers, rawBody: delivery.rawBody, body: parsed, query: {}, params: {} } as never;
	additionalData.httpResponse = res as never;
	const ctx = new WebhookContext(workflow, node, additionalData, setup.isTest ? 'manual' : 'webhook', webhookData, [], null);
	const response = await setup.nodeType.webhook!.call(ctx);
	const saved = afterWebhook ? undefined : savedByN8n(workflow, setup.staticData, response);
	if (afterWebhook) await afterWebhook(workflow, setup.staticData);
	keepStaticData(setup, workflow);
	if (!response.noWebhookResponse && response.webhookResponse !== undefined) answer.body = response.webhookResponse;
	return {
		status: answer.status,
		body: answer.body,
		response,
		items: response.workflowData ? response.workflowData[0].map((i) => i.json) : undefined,
		saved,
	};
}

export interface TriggerRun {
	/** What the node emitted: one entry per emit, the items of its first output. */
	emitted: IDataObject[][];
	/** The static data as n8n 2.41.1 saves it when the node emits (before it starts the execution). */
	savedOnEmit: IDataObject[];
	/** Per emit: whether the trigger's copy was marked changed (n8n saves it, whole, only then). */
	changedOnEmit: boolean[];
	/** Errors the node recorded as failed executions (saveFailedExecution). */
	failed: Error[];
	/** The node's registered timers: call one to run it, as n8n's scheduler would. */
	ticks: Array<() => unknown>;
	cron: string[];
}

/**
 * The node's trigger() in n8n-core's TriggerContext, in mode `trigger` (activation `activate`, `init` at a start
 * of n8n): emits, failed executions and cron registrations are recorded instead of run; the tests call the
 * ticks themselves (no timers). Static data changes are copied back into the setup when `settle()` is called.
 */
export async function runTrigger(
	setup: TriggerSetup,
	activation: WorkflowActivateMode = 'activate',
	mode: WorkflowExecuteMode = 'trigger',
): Promise<TriggerRun & { settle: () => void; response: ITriggerResponse }> {
	await ensureEngineEnvironment();
	const { workflow, node, additionalData } = build(setup);
	const run: TriggerRun = { emitted: [], savedOnEmit: [], changedOnEmit: [], failed: [], ticks: [], cron: [] };
	const emit = (data: INodeExecutionData[][]) => {
		run.changedOnEmit.push(workflow.staticData.__dataChanged === true);
		// trigger-execution-context.factory.js: `void saveStaticData(workflow)` first, then the execution.
		const saved = JSON.parse(JSON.stringify(setup.staticData)) as IDataObject;
		delete saved.__dataChanged;
		run.savedOnEmit.push(saved);
		run.emitted.push(data[0].map((i) => i.json));
	};
	const scheduling = {
		registerCron: (cron: { expression: string }, onTick: () => unknown) => {
			run.cron.push(cron.expression);
			run.ticks.push(onTick);
		},
	};
	const ctx = new TriggerContext(
		workflow,
		node,
		additionalData,
		mode,
		activation,
		emit as never,
		() => undefined,
		(e: Error) => run.failed.push(e),
		scheduling as never,
	);
	const response = (await setup.nodeType.trigger!.call(ctx)) ?? {};
	return { ...run, response, settle: () => keepStaticData(setup, workflow) };
}

export interface StartedRun {
	/** The trigger node's output items (undefined: it output nothing). */
	items?: IDataObject[];
	status: string;
	error?: unknown;
	/** The static data as n8n 2.41.1 saves it at the end of a non-manual execution (undefined: unchanged). */
	savedAtEnd?: IDataObject;
}

/**
 * An execution that a delivery or an emit started, run as n8n 2.41.1 runs it wherever it runs (main, or a worker
 * in queue mode: scaling/job-processor.js): `WorkflowExecute.processRunExecutionData` on the stored execution
 * data, whose node execution stack holds the trigger node with the items it was started with. Only that
 * execution data reaches a worker, not the memory of the process that received the delivery.
 */
export async function runStarted(setup: TriggerSetup, items: IDataObject[], mode: WorkflowExecuteMode): Promise<StartedRun> {
	await ensureEngineEnvironment();
	const { workflow, node, additionalData } = build(setup);
	const data = createRunExecutionData({
		executionData: { nodeExecutionStack: [{ node, data: { main: [items.map((json) => ({ json }))] }, source: null }] },
	});
	const run = await new WorkflowExecute(additionalData, mode, data).processRunExecutionData(workflow);
	const changed = workflow.staticData.__dataChanged === true;
	keepStaticData(setup, workflow);
	const out = run.data.resultData.runData[node.name]?.[0]?.data?.main?.[0];
	return {
		items: out ? out.map((i) => i.json) : undefined,
		status: run.status,
		error: run.data.resultData.error,
		savedAtEnd: changed && mode !== 'manual' ? snapshot(setup.staticData) : undefined,
	};
}
