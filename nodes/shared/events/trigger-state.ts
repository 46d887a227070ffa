/**
 * What the webhook trigger keeps in its static data (n8n stores it with the workflow), and which of its two
 * destinations a hook or a delivery is about: the production webhook's, or the test webhook's ("Listen for
 * test event"), so listening for a test event never touches an active workflow's destination.
 */
import type { IHookFunctions, IWebhookFunctions } from 'n8n-workflow';

export type TriggerStaticData = Record<string, unknown> & {
	destinationId?: string;
	signingSecret?: string;
	webhookUrl?: string;
	testDestinationId?: string;
	testSigningSecret?: string;
	testWebhookUrl?: string;
	/** Event IDs already started, with the time they were accepted (unix seconds): replays are dropped. */
	seenEvents?: Record<string, number>;
	/** Unix seconds: the newest `created` of the events started (or the first activation); catch-up reads from here. */
	caughtUpTo?: number;
	/** Unix seconds: the first activation; nothing older is caught up. */
	catchUpStart?: number;
};

export interface Slot {
	test: boolean;
	id: 'testDestinationId' | 'destinationId';
	secret: 'testSigningSecret' | 'signingSecret';
	url: 'testWebhookUrl' | 'webhookUrl';
}

export const PRODUCTION: Slot = { test: false, id: 'destinationId', secret: 'signingSecret', url: 'webhookUrl' };
export const TEST: Slot = { test: true, id: 'testDestinationId', secret: 'testSigningSecret', url: 'testWebhookUrl' };

/**
 * n8n's webhook endpoint in a webhook URL: `<base>/<endpoint>/<webhookId>/<path>`, i.e. "webhook" or
 * "webhook-test" by default (N8N_ENDPOINT_WEBHOOK / N8N_ENDPOINT_WEBHOOK_TEST).
 */
function endpointOf(url: string | undefined): string | undefined {
	if (!url) return undefined;
	try {
		const parts = new URL(url).pathname.split('/').filter(Boolean);
		return parts.length >= 3 ? parts[parts.length - 3] : undefined;
	} catch {
		return undefined;
	}
}

/**
 * Decided by the webhook URL n8n serves for this call, which n8n derives from the webhook being a test one
 * in every mode. (The execution mode is not enough: n8n 2.41 creates test webhooks in mode `manual` but
 * removes them, like production ones, in mode `internal`.) The URL is compared with the URLs stored when the
 * destinations were created, by n8n endpoint (so a changed WEBHOOK_URL still finds the right one); a URL that is not the stored
 * production one is never taken for it. Only when nothing is stored does the activation mode decide
 * (`manual`: test).
 */
function slotFor(url: string | undefined, data: TriggerStaticData, fallbackTest: boolean): Slot {
	if (url && url === data.testWebhookUrl) return TEST;
	if (url && url === data.webhookUrl) return PRODUCTION;
	const endpoint = endpointOf(url);
	if (endpoint && endpoint === endpointOf(data.testWebhookUrl)) return TEST;
	if (endpoint && endpoint === endpointOf(data.webhookUrl)) return PRODUCTION;
	// Not the endpoint of the stored one: the other one (never the production destination by default).
	if (data.webhookUrl) return TEST;
	if (data.testWebhookUrl) return PRODUCTION;
	return fallbackTest ? TEST : PRODUCTION;
}

export function hookSlot(ctx: IHookFunctions, data: TriggerStaticData): Slot {
	return slotFor(ctx.getNodeWebhookUrl('default'), data, ctx.getActivationMode() === 'manual');
}

export function deliverySlot(ctx: IWebhookFunctions, data: TriggerStaticData): Slot {
	// getWebhookResourceUrl: the endpoint actually served (n8n >= 2.x); getNodeWebhookUrl is always production.
	const served = typeof ctx.getWebhookResourceUrl === 'function' ? ctx.getWebhookResourceUrl('default') : undefined;
	return served ? slotFor(served, data, ctx.getMode() === 'manual') : ctx.getMode() === 'manual' ? TEST : PRODUCTION;
}
