/**
 * Stripe-Signature verification for event deliveries: `t=<unix time>,v1=<hex HMAC-SHA256>[,v1=…][,v0=…]`,
 * where each v1 is HMAC-SHA256(signing secret, `${t}.${raw body}`). Any one v1 may match; comparison is
 * timing-safe; the timestamp must lie within the tolerance, in the past or in the future.
 */
import { createHmac, timingSafeEqual } from 'crypto';

export const DEFAULT_TOLERANCE_SECONDS = 300;

export type SignatureCheck = { ok: true; timestamp: number } | { ok: false; status: 400 | 401; reason: string };

export function signPayload(secret: string, timestamp: number, rawBody: Buffer | string): string {
	return createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex');
}

/** A header as Stripe sends it, for tests and tools. */
export function signatureHeader(secret: string, timestamp: number, rawBody: Buffer | string): string {
	return `t=${timestamp},v1=${signPayload(secret, timestamp, rawBody)}`;
}

export function verifySignature(
	header: string | string[] | undefined,
	rawBody: Buffer | undefined,
	secret: string,
	toleranceSeconds = DEFAULT_TOLERANCE_SECONDS,
	nowSeconds = Math.floor(Date.now() / 1000),
): SignatureCheck {
	if (header === undefined || header === '') return { ok: false, status: 400, reason: 'missing Stripe-Signature header' };
	if (Array.isArray(header)) return { ok: false, status: 400, reason: 'Stripe-Signature header given more than once' };
	if (!rawBody) return { ok: false, status: 400, reason: 'no request body' };
	if (!secret) return { ok: false, status: 401, reason: 'no signing secret for this trigger: deactivate and activate the workflow' };
	const timestamps: string[] = [];
	const v1: string[] = [];
	for (const part of header.split(',')) {
		const eq = part.indexOf('=');
		if (eq <= 0) return { ok: false, status: 400, reason: 'malformed Stripe-Signature header' };
		const key = part.slice(0, eq).trim();
		const value = part.slice(eq + 1).trim();
		if (key === 't') timestamps.push(value);
		else if (key === 'v1') v1.push(value);
	}
	if (timestamps.length !== 1 || !/^\d{1,12}$/.test(timestamps[0])) {
		return { ok: false, status: 400, reason: 'Stripe-Signature header needs exactly one numeric timestamp (t=)' };
	}
	if (v1.length === 0) return { ok: false, status: 400, reason: 'Stripe-Signature header has no v1 signature' };
	const timestamp = Number(timestamps[0]);
	const expected = Buffer.from(signPayload(secret, timestamp, rawBody), 'hex');
	const matches = v1.some((sig) => {
		if (!/^[0-9a-f]{64}$/i.test(sig)) return false;
		return timingSafeEqual(Buffer.from(sig, 'hex'), expected);
	});
	if (!matches) return { ok: false, status: 401, reason: 'no v1 signature matches the payload' };
	if (Math.abs(nowSeconds - timestamp) > toleranceSeconds) {
		return { ok: false, status: 401, reason: `timestamp is outside the ${toleranceSeconds} s tolerance` };
	}
	return { ok: true, timestamp };
}
