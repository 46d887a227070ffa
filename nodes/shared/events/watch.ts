/**
 * The webhook trigger's `trigger()`: what it does while its workflow is active, on the main process (the
 * leader in queue mode), besides receiving deliveries.
 *
 * Having a `trigger()` makes n8n 2.41 treat the node as an in-memory trigger, which it (re-)registers at
 * every activation, every start of n8n and every leader takeover; registering a node also runs its webhook
 * activation check (checkExists, then create), so a destination deleted or disabled while n8n was down is
 * replaced at the next start. Then:
 * - the events Stripe did not deliver meanwhile are started at once, from the Events API (catch-up.ts);
 * - every few minutes the destination is checked: a disabled one is enabled again (same ID and secret), a
 *   deleted one is reported as a failed execution of the workflow (and its error workflow), see README.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties, ITriggerFunctions, ITriggerResponse } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { callStripe } from '../client/client';
import { getStripeSettings } from '../client/transport';
import { catchUp } from './catch-up';
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
		'How often n8n checks that the event destination still exists and is enabled at Stripe: a disabled one is enabled again; a deleted one is reported as a failed execution and replaced at n8n’s next start. 0: never.',
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
	return [ctx.getInputData()];
}

/** At activation: the selected events created since the last one started, not started yet, in one execution. */
export async function startMissedEvents(ctx: ITriggerFunctions): Promise<void> {
	if (ctx.getNodeParameter('eventPayload', 'snapshot') !== 'snapshot') return;
	const data = ctx.getWorkflowStaticData('node') as TriggerStaticData;
	const options = ctx.getNodeParameter('options', {}) as IDataObject;
	const tolerance = Number(options.tolerance ?? DEFAULT_TOLERANCE_SECONDS);
	const now = Math.floor(Date.now() / 1000);
	const selected = ctx.getNodeParameter('snapshotEvents', []) as string[];
	const missed = await catchUp(ctx, data, { selected, until: now, now, tolerance });
	if (!missed.length) return;
	rememberEvents(
		data,
		missed.map((e) => String(e.id)),
		now,
		tolerance,
	);
	const newest = Math.max(...missed.map((e) => Number(e.created) || 0));
	if (typeof data.caughtUpTo === 'number' && newest > data.caughtUpTo) data.caughtUpTo = newest;
	// n8n 2.41 saves the static data (the replay memory) when a trigger emits, before it starts the execution.
	ctx.emit([ctx.helpers.returnJsonArray(missed)]);
}

/** Destinations already reported as deleted, by this process (reported once each). */
const reported = new Set<string>();

/** One check: enabled again if disabled; reported if deleted; a failed request is tried again at the next check. */
export async function checkDestination(ctx: ITriggerFunctions): Promise<void> {
	const data = ctx.getWorkflowStaticData('node') as TriggerStaticData;
	const id = data.destinationId;
	if (!id) return;
	try {
		const settings = await getStripeSettings(ctx);
		const path = `/v2/core/event_destinations/${encodeURIComponent(id)}`;
		const res = await callStripe(ctx, settings, { method: 'GET', path, apiMode: 'v2' }, 'return');
		if (res.statusCode === 404) return reportDeleted(ctx, id);
		if (res.statusCode < 400 && (res.body as IDataObject).status === 'disabled') {
			await callStripe(ctx, settings, { method: 'POST', path: `${path}/enable`, apiMode: 'v2' }, 'throw');
		}
	} catch {
		// Stripe unreachable: the next check tries again.
	}
}

function reportDeleted(ctx: ITriggerFunctions, id: string): void {
	if (reported.has(id)) return;
	reported.add(id);
	ctx.saveFailedExecution(
		new NodeOperationError(ctx.getNode(), `The Stripe event destination ${id} of this trigger was deleted at Stripe`, {
			description:
				'Stripe sends this workflow no events until the destination exists again. n8n creates a new one at its next start, or now if you unpublish and publish the workflow; the events Stripe could not send meanwhile are then started (Catch Up Missed Events).',
		}),
	);
}
