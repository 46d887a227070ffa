/**
 * The webhook trigger's `trigger()`: what it does while its workflow is active, on the main process (the
 * leader in queue mode), besides receiving deliveries; and its `execute()`.
 *
 * Having a `trigger()` makes n8n 2.41 treat the node as an in-memory trigger, which it (re-)registers at
 * every activation, every start of n8n and every leader takeover; registering a node also runs its webhook
 * activation check (checkExists, then create), so a destination deleted or disabled while n8n was down is
 * replaced at the next start. Then:
 * - the events Stripe did not deliver meanwhile are started at once, from the Events API (catch-up.ts);
 * - every few minutes the destination is checked: a disabled one is enabled again (same ID and secret); a
 *   deleted one is replaced by a repair execution (see `checkDestination`).
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties, ITriggerFunctions, ITriggerResponse } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { callStripe } from '../client/client';
import { getStripeSettings } from '../client/transport';
import { catchUp } from './catch-up';
import { desiredDestination, createDestination, destinationsFor } from './destinations';
import { rememberEvents } from './replay-memory';
import { DEFAULT_TOLERANCE_SECONDS } from './signature';
import type { TriggerStaticData } from './trigger-state';

export const DEFAULT_CHECK_MINUTES = 10;

/** The option that sets how often the destination is checked. */
export const CHECK_DESTINATION_OPTION: INodeProperties = {
	displayName: 'Check Destination Every (Minutes)',
	name: 'checkEveryMinutes',
	type: 'number',
	typeOptions: { minValue: 0, maxValue: 59 },
	default: DEFAULT_CHECK_MINUTES,
	description:
		'How often n8n checks that the event destination still exists and is enabled at Stripe: a disabled one is enabled again; a deleted one is created again, and the events Stripe could not send meanwhile are started. 0: never.',
};

/**
 * The trigger's `trigger()`. Manual runs ("Listen for test event") do not come here: n8n 2.41 runs a node that
 * has `execute()` through it, with the test delivery's items (see `startedItems`); should a manual run reach
 * it, it outputs nothing.
 */
export async function watchDestination(ctx: ITriggerFunctions): Promise<ITriggerResponse> {
	if (ctx.getMode() === 'manual') {
		// n8n replaces ctx.emit for manual runs after trigger() returns: read it when called.
		return { manualTriggerFunction: async () => ctx.emit([[]]) };
	}
	await startMissedEvents(ctx);
	const options = ctx.getNodeParameter('options', {}) as IDataObject;
	const minutes = Math.floor(Number(options.checkEveryMinutes ?? DEFAULT_CHECK_MINUTES));
	if (minutes >= 1 && minutes <= 59) {
		ctx.helpers.registerCron({ expression: `0 */${minutes} * * * *` }, async () => await checkDestination(ctx));
	}
	return {};
}

/**
 * The node's `execute()`: the items an execution of this trigger starts with, passed on. n8n 2.41
 * (`WorkflowExecute.runNode`) runs a node's `execute()`, when it has one, with the items the execution was started
 * with: a delivery's (production, or the test delivery of "Listen for test event", in whichever process runs the
 * execution, a worker too) or what `trigger()` emitted. Without it, n8n would run a manual run through
 * `trigger()`, which cannot see the test delivery's items (n8n's ErrorTrigger does the same).
 */
export async function startedItems(ctx: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = ctx.getInputData();
	if (ctx.getMode() === 'trigger' && items.length === 1 && items[0].json[REPAIR_REQUEST] === true) {
		return [ctx.helpers.returnJsonArray(await repairDestination(ctx))];
	}
	return [items];
}

/** At activation: the selected events created since the last one started, not started yet, in one execution. */
export async function startMissedEvents(ctx: ITriggerFunctions): Promise<void> {
	const missed = await takeMissedEvents(ctx, ctx.getWorkflowStaticData('node') as TriggerStaticData);
	// n8n 2.41 saves the static data (the replay memory) when a trigger emits, before it starts the execution.
	if (missed.length) ctx.emit([ctx.helpers.returnJsonArray(missed)]);
}

/** The selected snapshot events not started yet (catch-up.ts), recorded as started in `data`, oldest first. */
async function takeMissedEvents(ctx: ITriggerFunctions | IExecuteFunctions, data: TriggerStaticData): Promise<IDataObject[]> {
	if (ctx.getNodeParameter('eventPayload', 'snapshot') !== 'snapshot') return [];
	const options = ctx.getNodeParameter('options', {}) as IDataObject;
	const tolerance = Number(options.tolerance ?? DEFAULT_TOLERANCE_SECONDS);
	const now = Math.floor(Date.now() / 1000);
	const selected = ctx.getNodeParameter('snapshotEvents', []) as string[];
	const missed = await catchUp(ctx, data, { selected, until: now, now, tolerance });
	if (!missed.length) return [];
	rememberEvents(
		data,
		missed.map((e) => String(e.id)),
		now,
		tolerance,
	);
	const newest = Math.max(...missed.map((e) => Number(e.created) || 0));
	if (typeof data.caughtUpTo === 'number' && newest > data.caughtUpTo) data.caughtUpTo = newest;
	return missed;
}

/** The item a check emits to start a repair execution; `execute()` replaces it with the events of the gap. */
export const REPAIR_REQUEST = 'stripeEventsTriggerRepair';
/** A repair asked for and not seen done is asked for again after this long (e.g. it failed: Stripe unreachable). */
export const REPAIR_RETRY_SECONDS = 15 * 60;
/** Repairs asked for by this process, by workflow, node and URL: when (unix seconds). */
const repairsAsked = new Map<string, number>();

/**
 * One check, by the destinations pointing at the trigger's production URL: a disabled one is enabled again; none
 * (deleted at Stripe) starts a repair execution. A failed request is tried again at the next check.
 *
 * The trigger's static data was loaded when the workflow was activated; deliveries save theirs since (replay
 * memory, catch-up position), and n8n 2.41 saves the trigger's copy whole when it emits, if it was changed.
 * So the check only reads it (the URL), and the repair runs in an execution, whose static data n8n loads from
 * its database when it starts the execution and saves when the execution ends (`WorkflowRunner.run`, the
 * `workflowExecuteAfter` hook; on a worker in queue mode).
 */
export async function checkDestination(ctx: ITriggerFunctions): Promise<void> {
	const url = (ctx.getWorkflowStaticData('node') as TriggerStaticData).webhookUrl;
	if (!url) return;
	const key = [ctx.getWorkflow().id ?? '', ctx.getNode().name, url].join('\u0000');
	try {
		const settings = await getStripeSettings(ctx);
		const mine = await destinationsFor(ctx, settings, url);
		if (mine.length) {
			repairsAsked.delete(key);
			for (const d of mine.filter((m) => m.status === 'disabled')) {
				const path = `/v2/core/event_destinations/${encodeURIComponent(String(d.id))}/enable`;
				await callStripe(ctx, settings, { method: 'POST', path, apiMode: 'v2' }, 'throw');
			}
			return;
		}
	} catch {
		return; // Stripe unreachable: the next check tries again.
	}
	const now = Math.floor(Date.now() / 1000);
	const asked = repairsAsked.get(key);
	if (asked !== undefined && now - asked < REPAIR_RETRY_SECONDS) return;
	repairsAsked.set(key, now);
	ctx.emit([[{ json: { [REPAIR_REQUEST]: true } }]]);
}

/**
 * In queue mode n8n 2.41.1 gives a new execution on a worker no static data: the execution's stored workflow
 * omits it (`toWorkflowSnapshot`) and the worker reloads it only for resumed executions (`loadStaticData`,
 * scaling/job-processor.js). Writing there would save a nearly empty copy over the trigger's; so it is reported.
 */
function noStaticData(ctx: IExecuteFunctions): NodeOperationError {
	return new NodeOperationError(ctx.getNode(), 'The Stripe event destination of this trigger was deleted at Stripe', {
		description: `This n8n runs executions on workers (queue mode), where n8n gives them no static data, so the trigger cannot replace it while n8n runs. Unpublish and publish the workflow (or restart the main process) to create it again; the events Stripe could not send meanwhile are started then (Catch Up Missed Events). Until then it is reported again at the first check ${REPAIR_RETRY_SECONDS / 60} minutes or more after this one.`,
	});
}

/**
 * The repair execution: with the static data n8n loaded for it, a new destination for the trigger's URL (unless
 * one exists again, e.g. n8n restarted meanwhile), its ID and secret stored, and the events of the gap returned,
 * oldest first, recorded as started. n8n saves the static data when this execution ends: until then, deliveries
 * to the new destination are refused (401) and Stripe sends them again later.
 */
async function repairDestination(ctx: IExecuteFunctions): Promise<IDataObject[]> {
	const data = ctx.getWorkflowStaticData('node') as TriggerStaticData;
	const url = data.webhookUrl;
	if (typeof data.caughtUpTo !== 'number') throw noStaticData(ctx);
	if (!url) return []; // deactivated meanwhile (the catch-up position is kept)
	const settings = await getStripeSettings(ctx);
	if ((await destinationsFor(ctx, settings, url)).length) return [];
	let created: { id: string; secret: string };
	try {
		created = await createDestination(ctx, settings, desiredDestination(ctx, settings, url));
	} catch (error) {
		throw new NodeOperationError(ctx.getNode(), `The Stripe event destination of this trigger was deleted at Stripe and could not be created again`, {
			description: `${(error as Error).message}. The trigger tries again at a later check; unpublishing and publishing the workflow creates it now. The events Stripe could not send meanwhile are started then (Catch Up Missed Events).`,
		});
	}
	data.destinationId = created.id;
	data.signingSecret = created.secret;
	return await takeMissedEvents(ctx, data);
}
