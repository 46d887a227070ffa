/**
 * Files for the stand-in, like Stripe's File API: `POST /v1/files` (multipart/form-data with `file` and
 * `purpose`, as sent to files.stripe.com), `GET /v1/files/:id` and `GET /v1/files/:id/contents` (the bytes,
 * with the uploaded Content-Type). Contents are kept as text (the stand-in reads bodies as UTF-8), so tests
 * use text files such as CSV.
 */
import { randomBytes } from 'node:crypto';
import type * as http from 'node:http';

export interface StoredFile {
	object: Record<string, unknown>;
	content: string;
	type: string;
}

export interface FileReply {
	status: number;
	body: unknown;
	headers?: Record<string, string>;
	/** Sent as it is instead of JSON. */
	raw?: string;
}

const PURPOSES = [
	'account_requirement',
	'additional_verification',
	'business_icon',
	'business_logo',
	'customer_signature',
	'dispute_evidence',
	'identity_document',
	'issuing_regulatory_reporting',
	'pci_document',
	'tax_document_user_upload',
	'terminal_reader_splashscreen',
];

function error(status: number, message: string, param?: string): FileReply {
	return { status, body: { error: { type: 'invalid_request_error', message, ...(param ? { param } : {}) } } };
}

/** Parts of a multipart/form-data body: name, optional filename and content type, and the value. */
export function parseMultipart(
	body: string,
	contentType: string | undefined,
): Array<{ name: string; filename?: string; type?: string; value: string }> | undefined {
	const m = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType ?? '');
	if (!m || !/^multipart\/form-data/i.test(contentType ?? '')) return undefined;
	const boundary = `--${m[1] ?? m[2]}`;
	const parts = body.split(boundary).slice(1);
	const out: Array<{ name: string; filename?: string; type?: string; value: string }> = [];
	for (const part of parts) {
		if (part.startsWith('--')) break;
		const sep = part.indexOf('\r\n\r\n');
		if (sep < 0) return undefined;
		const head = part.slice(0, sep);
		const value = part.slice(sep + 4).replace(/\r\n$/, '');
		const name = /name="([^"]*)"/i.exec(head)?.[1];
		if (name === undefined) return undefined;
		const filename = /filename="([^"]*)"/i.exec(head)?.[1];
		const type = /content-type:\s*([^\r\n]+)/i.exec(head)?.[1]?.trim();
		out.push({ name, filename, type, value });
	}
	return out;
}

/** Handles the File API paths; undefined for any other path. */
export function handleFiles(
	store: Map<string, StoredFile>,
	method: string,
	path: string,
	rawBody: string,
	headers: http.IncomingHttpHeaders,
): FileReply | undefined {
	if (path === '/v1/files' && method === 'POST') {
		const parts = parseMultipart(rawBody, headers['content-type']);
		if (!parts) return error(400, 'File uploads must be multipart/form-data requests (sent to files.stripe.com).');
		const file = parts.find((p) => p.name === 'file');
		const purpose = parts.find((p) => p.name === 'purpose')?.value;
		if (!file || file.filename === undefined) return error(400, 'Missing required param: file.', 'file');
		if (!purpose) return error(400, 'Missing required param: purpose.', 'purpose');
		if (!PURPOSES.includes(purpose)) return error(400, `Invalid purpose: must be one of ${PURPOSES.join(', ')}`, 'purpose');
		const id = `file_${randomBytes(12).toString('hex').slice(0, 24)}`;
		const ext = (file.filename.split('.').pop() ?? '').toLowerCase();
		const object = {
			id,
			object: 'file',
			created: Math.floor(Date.now() / 1000),
			expires_at: null,
			filename: file.filename,
			links: { object: 'list', data: [], has_more: false, url: `/v1/file_links?file=${id}` },
			purpose,
			size: Buffer.byteLength(file.value),
			title: null,
			type: ext || null,
			url: `https://files.stripe.com/v1/files/${id}/contents`,
		};
		store.set(id, { object, content: file.value, type: file.type ?? 'application/octet-stream' });
		return { status: 200, body: object };
	}
	const m = /^\/v1\/files\/([^/]+)(\/contents)?$/.exec(path);
	if (m && method === 'GET') {
		const stored = store.get(decodeURIComponent(m[1]));
		if (!stored)
			return {
				status: 404,
				body: { error: { type: 'invalid_request_error', code: 'resource_missing', message: `No such file upload: '${m[1]}'`, param: 'file' } },
			};
		if (!m[2]) return { status: 200, body: stored.object };
		return { status: 200, body: null, raw: stored.content, headers: { 'Content-Type': stored.type } };
	}
	return undefined;
}
