/**
 * Polling triggers through n8n-core's own PollContext, driven the way n8n 2.41.1 drives them in its default
 * set-up (verified in its source: cli's active-workflow-manager.js `add`, n8n-core's active-workflow-triggers.js
 * `activatePollTrigger` and poll-trigger-executor.js, cli's trigger-execution-context.factory.js
 * `getExecutePollFunctions`, workflow-static-data.service.js):
 *
 * - activation builds a Workflow from the static data stored in the database and one PollContext, polls once
 *   right away (also emitting what it returns), then saves the static data if it changed;
 * - every scheduled poll goes through that same PollContext; a poll that returns items emits them, and the emit
 *   saves the static data if it changed before the execution starts; a poll that returns null or fails saves
 *   nothing (the change stays in memory until a later save);
 * - a restart throws the in-memory Workflow away: the next activation starts from the database.
 *
 * `database` plays n8n's workflow row: a JSON copy, written only by those saves.
 */
import { createAdditionalData, createHooks, ensureEngineEnvironment, HarnessCredentialsHelper } from './engine';

import { PollContext } from 'n8n-core';
import type { ICredentialDataDecryptedObject, IDataObject, INode, INodeExecutionData, INodeParameters, INodeType, WorkflowActivateMode } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { StripeKeyApi } from '../../credentials/StripeKeyApi.credentials';
import { harnessCredentialRef } from './credentials-helper';
import { defaultTypeVersion, HarnessNodeTypes } from './node-types';

export interface PollSetup {
	nodeType: INodeType;
	parameters: INodeParameters;
	credentials: Record<string, ICredentialDataDecryptedObject>;
}

export interface PollOutcome {
	/** Items of the execution the poll started (undefined: none). */
	items?: IDataObject[];
	/** The error the poll failed with (n8n records a failed execution and runs the error workflow). */
	error?: Error & { description?: string };
}

export class PolledWorkflow {
	/** The workflow row's static data, as n8n stores it. */
	database: IDataObject = {};
	/** Every execution started, in order, with its items. */
	executions: IDataObject[][] = [];
	private live?: { workflow: Workflow; ctx: PollContext };

	constructor(private readonly setup: PollSetup) {}

	private build(mode: 'trigger' | 'manual', activation: WorkflowActivateMode) {
		const typeName = `n8n-nodes-stripe.${this.setup.nodeType.description.name}`;
		const node: INode = {
			id: 'poll-node',
			name: String(this.setup.nodeType.description.defaults.name),
			type: typeName,
			typeVersion: defaultTypeVersion(this.setup.nodeType),
			position: [0, 0],
			parameters: this.setup.parameters,
			credentials: { stripeKeyApi: harnessCredentialRef('stripeKeyApi') },
		};
		const workflow = new Workflow({
			id: 'wf-poll-1',
			name: 'Stripe polling',
			nodes: [node],
			connections: {},
			active: true,
			nodeTypes: new HarnessNodeTypes({ [typeName]: this.setup.nodeType }),
			staticData: JSON.parse(JSON.stringify(this.database)) as IDataObject,
			settings: { executionOrder: 'v1', timezone: 'UTC' },
		});
		const hooks = createHooks('trigger', 'poll-exec', { id: 'wf-poll-1', name: 'Stripe polling', active: true, nodes: [node], connections: {} });
		const additionalData = createAdditionalData(new HarnessCredentialsHelper([new StripeKeyApi()], this.setup.credentials), hooks, 'poll-exec', 'wf-poll-1');
		const emit = (data: INodeExecutionData[][]) => {
			this.save(workflow);
			this.executions.push(data[0].map((i) => i.json));
		};
		const ctx = new PollContext(workflow, workflow.getNode(node.name)!, additionalData, mode, activation, emit, () => undefined);
		return { workflow, ctx };
	}

	/** WorkflowStaticDataService.saveStaticData: only when the static data is marked changed. */
	private save(workflow: Workflow) {
		const data = workflow.staticData as IDataObject;
		if (data.__dataChanged !== true) return;
		const copy = JSON.parse(JSON.stringify(data)) as IDataObject;
		delete copy.__dataChanged;
		this.database = copy;
		data.__dataChanged = false;
	}

	private async run(ctx: PollContext, workflow: Workflow): Promise<PollOutcome> {
		try {
			const out = await this.setup.nodeType.poll!.call(ctx);
			if (out === null) return {};
			ctx.__emit(out);
			void workflow;
			return { items: out[0].map((i) => i.json) };
		} catch (e) {
			return { error: e as Error };
		}
	}

	/** Activation (or n8n starting with the workflow active): the first poll; a failure fails the activation. */
	async activate(activation: WorkflowActivateMode = 'activate'): Promise<PollOutcome> {
		await ensureEngineEnvironment();
		this.live = this.build('trigger', activation);
		const outcome = await this.run(this.live.ctx, this.live.workflow);
		if (outcome.error) {
			this.live = undefined;
			return outcome;
		}
		this.save(this.live.workflow);
		return outcome;
	}

	/** A scheduled poll. */
	async tick(): Promise<PollOutcome> {
		if (!this.live) throw new Error('not active');
		return await this.run(this.live.ctx, this.live.workflow);
	}

	/** n8n stops (or the workflow is deactivated): what was not saved is gone. */
	stop(): void {
		this.live = undefined;
	}

	/** Fetch Test Event in the editor: a poll in manual mode. */
	async fetchTestEvent(): Promise<PollOutcome> {
		await ensureEngineEnvironment();
		const { ctx, workflow } = this.build('manual', 'manual');
		try {
			const out = await this.setup.nodeType.poll!.call(ctx);
			void workflow;
			return { items: out ? out[0].map((i) => i.json) : undefined };
		} catch (e) {
			return { error: e as Error };
		}
	}
}
