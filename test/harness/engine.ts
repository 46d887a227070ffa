/**
 * Runs n8n nodes inside n8n-core's real WorkflowExecute, for tests.
 *
 * `runNode` builds a two-node workflow — a harness input node feeding `inputItems` into the node
 * under test — and executes it like n8n does for a manual run: parameters get their defaults and
 * expressions resolve per item, credentials go through an ICredentialsHelper (defaults, expressions,
 * the type's `authenticate`), HTTP goes through n8n's own request stack (so nock intercepts it), and
 * binary data is stored by n8n-core's BinaryDataService in a temp folder.
 *
 * `runWorkflow` is the general form for arbitrary nodes and connections.
 *
 * IMPORTANT: import this module before anything that resolves n8n-core services from the DI
 * container (see ./env).
 */
import './env';

import { resetAccountPacing } from '../../nodes/shared/client/pacing';

import { Container } from '@n8n/di';
import {
	BinaryDataConfig,
	BinaryDataService,
	ExecutionLifecycleHooks,
	ExternalSecretsProxy,
	InstanceSettings,
	LoadOptionsContext,
	WorkflowExecute,
} from 'n8n-core';
import type {
	ExecutionError,
	IBinaryData,
	IConnections,
	ICredentialDataDecryptedObject,
	ICredentialType,
	IDataObject,
	INode,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	IRun,
	IRunData,
	ITaskData,
	IVersionedNodeType,
	IWorkflowBase,
	IWorkflowExecuteAdditionalData,
	IWorkflowSettings,
	OnError,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { NodeConnectionTypes, UnexpectedError, Workflow } from 'n8n-workflow';
import path from 'node:path';

import { StripeKeyApi } from '../../credentials/StripeKeyApi.credentials';
import { HarnessCredentialsHelper, harnessCredentialRef } from './credentials-helper';
import { type BinaryDataMode, harnessTempDir } from './env';
import { createInputNodeType, defaultNodeName, defaultTypeVersion, HARNESS_INPUT_NODE_TYPE, type HarnessInputItem, HarnessNodeTypes } from './node-types';

export { HarnessCredentialsHelper, harnessCredentialRef } from './credentials-helper';
export type { CredentialsHelperCall } from './credentials-helper';
export { harnessBinaryDataDir, harnessTempDir } from './env';
export type { BinaryDataMode } from './env';
export { assertAllMocksUsed, blockRealNetwork, interceptStripe, RequestRecorder } from './http';
export type { RecordedRequest } from './http';
export { HARNESS_INPUT_NODE_TYPE } from './node-types';
export type { BinaryInput, HarnessInputItem } from './node-types';
export { instantSleep } from './sleep';
export type { SleepControl } from './sleep';
export { activeDeadlines, controlledDeadlines } from './deadlines';
export type { DeadlineControl } from './deadlines';

// ---------------------------------------------------------------------------------------------
// Process-wide engine setup
// ---------------------------------------------------------------------------------------------

let binaryModeInUse: BinaryDataMode | undefined;

/**
 * Prepares the n8n-core services the engine resolves from the DI container. Idempotent; called
 * by runWorkflow. `binaryDataMode` switches how BinaryDataService stores binary data:
 * 'filesystem' (n8n's default; files in the harness temp folder, IBinaryData carries an `id`) or
 * 'default' (in memory; IBinaryData carries base64 `data`).
 */
export async function ensureEngineEnvironment(binaryDataMode: BinaryDataMode = 'filesystem'): Promise<void> {
	const { n8nFolder } = Container.get(InstanceSettings);
	if (path.relative(harnessTempDir(), n8nFolder).startsWith('..')) {
		throw new UnexpectedError(
			`n8n-core's InstanceSettings point at "${n8nFolder}" instead of the harness temp folder: ` +
				'something resolved n8n-core services before test/harness/engine was imported',
		);
	}
	if (binaryModeInUse === binaryDataMode) return;
	Container.get(BinaryDataConfig).mode = binaryDataMode;
	await Container.get(BinaryDataService).init();
	binaryModeInUse = binaryDataMode;
}

/** The bytes of a binary property, however it is stored (filesystem id or inline base64). */
export async function readBinary(binary: IBinaryData): Promise<Buffer> {
	return await Container.get(BinaryDataService).getAsBuffer(binary);
}

// ---------------------------------------------------------------------------------------------
// runWorkflow
// ---------------------------------------------------------------------------------------------

/** A workflow node; id, position and typeVersion are filled in when missing. */
export type HarnessNode = Omit<INode, 'id' | 'position' | 'typeVersion'> & Partial<Pick<INode, 'id' | 'position' | 'typeVersion'>>;

export interface RunWorkflowOptions {
	nodes: HarnessNode[];
	connections: IConnections;
	/** Node types by type name (the `type` of the nodes). */
	nodeTypes: Record<string, INodeType | IVersionedNodeType>;
	/** Name of the node to start from; n8n picks one (trigger first) when omitted. */
	startNodeName?: string;
	/**
	 * Decrypted credential data by credential type name. Every node whose description declares a
	 * credential of a given type gets that credential wired in (unless it already has one).
	 */
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	/** Credential type instances, in addition to the package's StripeKeyApi. */
	credentialTypes?: ICredentialType[];
	/** Execution mode; 'manual' (like clicking "Execute workflow") unless given. */
	mode?: WorkflowExecuteMode;
	/** Workflow settings; `executionOrder: 'v1'` and `timezone: 'UTC'` unless given. */
	settings?: IWorkflowSettings;
	/** Workflow static data at the start of the run (for trigger/poll nodes). */
	staticData?: IDataObject;
	/** How binary data is stored during this run (see ensureEngineEnvironment). */
	binaryDataMode?: BinaryDataMode;
}

export interface RunWorkflowResult {
	/** The IRun n8n-core returned. */
	run: IRun;
	/** run.data.resultData.runData: every node's task data by node name. */
	runData: IRunData;
	/** The workflow-level error n8n recorded (run.data.resultData.error), if the run failed. */
	error?: ExecutionError;
	/** Names of the nodes in the order they finished (from the nodeExecuteAfter hook). */
	executedNodes: string[];
	/** The workflow's static data after the run (plain object). */
	staticData: IDataObject;
	/** Whether a node changed the static data during the run. */
	staticDataChanged: boolean;
	workflow: Workflow;
	credentialsHelper: HarnessCredentialsHelper;
	executionId: string;
}

let runCounter = 0;

const INSTANCE_URL = 'http://localhost:5678/';

function notAvailable(what: string): never {
	throw new UnexpectedError(`${what} is not available in the test harness`);
}

/** n8n-core's lifecycle hooks for a workflow of these nodes (what an execution reports to). */
export function createHooks(
	mode: WorkflowExecuteMode,
	executionId: string,
	workflow: Pick<IWorkflowBase, 'id' | 'name' | 'nodes' | 'connections' | 'settings' | 'staticData'> & { active?: boolean },
): ExecutionLifecycleHooks {
	const now = new Date();
	return new ExecutionLifecycleHooks(mode, executionId, {
		active: false,
		isArchived: false,
		activeVersionId: null,
		createdAt: now,
		updatedAt: now,
		...workflow,
	});
}

export function createAdditionalData(
	credentialsHelper: HarnessCredentialsHelper,
	hooks: ExecutionLifecycleHooks,
	executionId: string,
	workflowId: string,
): IWorkflowExecuteAdditionalData {
	return {
		credentialsHelper,
		hooks,
		executionId,
		workflowId,
		currentNodeExecutionIndex: 0,
		restApiUrl: `${INSTANCE_URL}rest`,
		instanceBaseUrl: INSTANCE_URL,
		formBaseUrl: `${INSTANCE_URL}form`,
		formWaitingBaseUrl: `${INSTANCE_URL}form-waiting`,
		formTestBaseUrl: `${INSTANCE_URL}form-test`,
		webhookBaseUrl: `${INSTANCE_URL}webhook`,
		webhookWaitingBaseUrl: `${INSTANCE_URL}webhook-waiting`,
		webhookTestBaseUrl: `${INSTANCE_URL}webhook-test`,
		mcpBaseUrl: `${INSTANCE_URL}mcp`,
		mcpTestBaseUrl: `${INSTANCE_URL}mcp-test`,
		variables: {},
		externalSecretsProxy: new ExternalSecretsProxy(),
		executeWorkflow: async () => notAvailable('Executing sub-workflows'),
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		logAiEvent: () => {},
		startRunnerTask: async () => notAvailable('The task runner'),
	};
}

function declaredCredentialTypes(type: INodeType | IVersionedNodeType, version: number): string[] {
	const description = 'nodeVersions' in type ? type.getNodeType(version).description : type.description;
	return (description.credentials ?? []).map((credential) => credential.name);
}

/** The workflow's nodes as n8n stores them: ids, positions and type versions filled in, credentials referenced. */
function harnessNodes(options: RunWorkflowOptions, credentials: NonNullable<RunWorkflowOptions['credentials']>): INode[] {
	return options.nodes.map((node, index) => {
		const type = options.nodeTypes[node.type];
		if (type === undefined) {
			throw new UnexpectedError(`Node "${node.name}" has type "${node.type}", which is not in nodeTypes`);
		}
		const typeVersion = node.typeVersion ?? defaultTypeVersion(type);
		const full: INode = {
			...structuredClone(node),
			id: node.id ?? `harness-node-${index + 1}`,
			position: node.position ?? [index * 220, 0],
			typeVersion,
		};
		for (const credentialType of declaredCredentialTypes(type, typeVersion)) {
			if (credentials[credentialType] === undefined) continue;
			full.credentials ??= {};
			full.credentials[credentialType] ??= harnessCredentialRef(credentialType);
		}
		return full;
	});
}

/** The named start node, if one is named. */
function startNodeOf(workflow: Workflow, name: string | undefined): INode | undefined {
	if (name === undefined) return undefined;
	const node = workflow.getNode(name) ?? undefined;
	if (node === undefined) throw new UnexpectedError(`Start node "${name}" is not in the workflow`);
	return node;
}

export async function runWorkflow(options: RunWorkflowOptions): Promise<RunWorkflowResult> {
	await ensureEngineEnvironment(options.binaryDataMode);

	runCounter += 1;
	const executionId = `harness-execution-${runCounter}`;
	const workflowId = `harness-workflow-${runCounter}`;
	const mode = options.mode ?? 'manual';
	const credentials = options.credentials ?? {};

	const nodes = harnessNodes(options, credentials);

	const settings: IWorkflowSettings = {
		executionOrder: 'v1',
		timezone: 'UTC',
		...options.settings,
	};
	const workflow = new Workflow({
		id: workflowId,
		name: 'Harness workflow',
		nodes,
		connections: options.connections,
		active: false,
		nodeTypes: new HarnessNodeTypes(options.nodeTypes),
		staticData: structuredClone(options.staticData ?? {}),
		settings,
	});

	const credentialsHelper = new HarnessCredentialsHelper([new StripeKeyApi(), ...(options.credentialTypes ?? [])], credentials);

	const hooks = createHooks(mode, executionId, {
		id: workflowId,
		name: 'Harness workflow',
		nodes,
		connections: options.connections,
		settings,
		staticData: options.staticData,
	});
	const executedNodes: string[] = [];
	hooks.addHandler('nodeExecuteAfter', (nodeName) => {
		executedNodes.push(nodeName);
	});

	const additionalData = createAdditionalData(credentialsHelper, hooks, executionId, workflowId);

	const run = await new WorkflowExecute(additionalData, mode).run({ workflow, startNode: startNodeOf(workflow, options.startNodeName) });

	const staticData = JSON.parse(JSON.stringify(workflow.staticData)) as IDataObject;
	delete staticData.__dataChanged;
	return {
		run,
		runData: run.data.resultData.runData,
		error: run.data.resultData.error,
		executedNodes,
		staticData,
		staticDataChanged: workflow.staticData.__dataChanged === true,
		workflow,
		credentialsHelper,
		executionId,
	};
}

// ---------------------------------------------------------------------------------------------
// runNode
// ---------------------------------------------------------------------------------------------

export interface RunNodeOptions {
	/** The node type under test (an instance of the node class). */
	nodeType: INodeType | IVersionedNodeType;
	/** Type name to register it under; `n8n-nodes-stripe.<description.name>` unless given. */
	nodeTypeName?: string;
	/** Name of the node in the workflow; the type's default name unless given. */
	nodeName?: string;
	/** The node's parameters as the editor would save them; expressions (`={{ … }}`) allowed. */
	parameters: INodeParameters;
	/** Decrypted credential data by credential type name (e.g. `{ stripeKeyApi: { secretKey } }`). */
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	/** Credential type instances, in addition to the package's StripeKeyApi. */
	credentialTypes?: ICredentialType[];
	/** Items fed into the node; one empty item (`{ json: {} }`) unless given. */
	inputItems?: HarnessInputItem[];
	/** Node setting "Continue On Fail" (legacy flag). */
	continueOnFail?: boolean;
	/** Node setting "On Error". */
	onError?: OnError;
	typeVersion?: number;
	/** Any other node settings (retryOnFail, alwaysOutputData, executeOnce, …). */
	nodeSettings?: Partial<Omit<INode, 'parameters' | 'type' | 'name'>>;
	mode?: WorkflowExecuteMode;
	settings?: IWorkflowSettings;
	staticData?: IDataObject;
	binaryDataMode?: BinaryDataMode;
	/**
	 * Keep the rate-limit pacing that earlier executions in this process left for the account
	 * (nodes/shared/client/pacing.ts). By default every run starts unpaced, so one test's 429s (with a fake sleep,
	 * whose reservations pile up) do not slow down the next test; tests of concurrent executions set this.
	 */
	keepPacing?: boolean;
}

export interface RunNodeResult extends RunWorkflowResult {
	/** The node's output items per output (main outputs); [] for an output with no data. */
	items: INodeExecutionData[][];
	/** The node's error as n8n recorded it in its task data (also set under continueOnFail). */
	nodeError?: ExecutionError;
	/** The task data of the node under test's (last) run, if it ran. */
	taskData?: ITaskData;
	/** Name of the node under test. */
	nodeName: string;
}

export async function runNode(options: RunNodeOptions): Promise<RunNodeResult> {
	const { nodeType } = options;
	if (!options.keepPacing) resetAccountPacing();
	const typeName =
		options.nodeTypeName ?? (nodeType.description.name.includes('.') ? nodeType.description.name : `n8n-nodes-stripe.${nodeType.description.name}`);
	const typeVersion = options.typeVersion ?? options.nodeSettings?.typeVersion ?? defaultTypeVersion(nodeType);
	const nodeName = options.nodeName ?? defaultNodeName(nodeType, typeVersion);
	const inputName = 'Harness Input';
	if (nodeName === inputName) throw new UnexpectedError(`"${inputName}" is reserved for the harness`);

	const node: HarnessNode = {
		...options.nodeSettings,
		name: nodeName,
		type: typeName,
		typeVersion,
		parameters: options.parameters,
	};
	if (options.continueOnFail !== undefined) node.continueOnFail = options.continueOnFail;
	if (options.onError !== undefined) node.onError = options.onError;

	const result = await runWorkflow({
		nodes: [{ name: inputName, type: HARNESS_INPUT_NODE_TYPE, parameters: {} }, node],
		connections: {
			[inputName]: {
				[NodeConnectionTypes.Main]: [[{ node: nodeName, type: NodeConnectionTypes.Main, index: 0 }]],
			},
		},
		nodeTypes: {
			[HARNESS_INPUT_NODE_TYPE]: createInputNodeType(options.inputItems ?? [{ json: {} }]),
			[typeName]: nodeType,
		},
		startNodeName: inputName,
		credentials: options.credentials,
		credentialTypes: options.credentialTypes,
		mode: options.mode,
		settings: options.settings,
		staticData: options.staticData,
		binaryDataMode: options.binaryDataMode,
	});

	const runs = result.runData[nodeName];
	const taskData = runs?.[runs.length - 1];
	const items = (taskData?.data?.[NodeConnectionTypes.Main] ?? []).map((output) => output ?? []);
	return { ...result, items, nodeError: taskData?.error, taskData, nodeName };
}

// ---------------------------------------------------------------------------------------------
// Editor-side methods (listSearch / loadOptions) through n8n-core's LoadOptionsContext
// ---------------------------------------------------------------------------------------------

export interface CallMethodOptions {
	nodeType: INodeType;
	parameters: INodeParameters;
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	/** `listSearch` (resource locator lists) or `loadOptions` (dropdown options). */
	kind: 'listSearch' | 'loadOptions';
	method: string;
	filter?: string;
	paginationToken?: string;
	/** The parameter the list is for, as the editor names it (`parameters.additionalFields.payment_method`). */
	path?: string;
}

/**
 * Calls a node's listSearch/loadOptions method the way the editor's backend does (n8n's
 * DynamicNodeParametersService: the node's current parameters in additionalData, the parameter's path).
 */
export async function callNodeMethod(options: CallMethodOptions): Promise<unknown> {
	await ensureEngineEnvironment();
	const { nodeType } = options;
	const typeName = `n8n-nodes-stripe.${nodeType.description.name}`;
	const credentials = options.credentials ?? {};
	const node: INode = {
		id: 'harness-method-node',
		name: String(nodeType.description.defaults.name ?? nodeType.description.displayName),
		type: typeName,
		typeVersion: defaultTypeVersion(nodeType),
		position: [0, 0],
		parameters: options.parameters,
	};
	for (const credentialType of declaredCredentialTypes(nodeType, node.typeVersion)) {
		if (credentials[credentialType] === undefined) continue;
		node.credentials ??= {};
		node.credentials[credentialType] = harnessCredentialRef(credentialType);
	}
	const workflow = new Workflow({
		id: 'harness-method-workflow',
		name: 'Harness workflow',
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: new HarnessNodeTypes({ [typeName]: nodeType }),
		settings: { executionOrder: 'v1', timezone: 'UTC' },
	});
	const hooks = createHooks('manual', 'harness-method', { id: 'harness-method-workflow', name: 'Harness workflow', nodes: [node], connections: {} });
	const credentialsHelper = new HarnessCredentialsHelper([new StripeKeyApi()], credentials);
	const additionalData = createAdditionalData(credentialsHelper, hooks, 'harness-method', 'harness-method-workflow');
	additionalData.currentNodeParameters = options.parameters;
	const context = new LoadOptionsContext(workflow, workflow.getNode(node.name)!, additionalData, options.path ?? '');
	const methods = (nodeType.methods ?? {}) as Record<string, Record<string, (...args: unknown[]) => Promise<unknown>>>;
	const fn = methods[options.kind]?.[options.method];
	if (!fn) throw new UnexpectedError(`${nodeType.description.name} has no ${options.kind} method ${options.method}`);
	return options.kind === 'listSearch' ? fn.call(context, options.filter, options.paginationToken) : fn.call(context);
}
