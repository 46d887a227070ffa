/**
 * Request encodings, byte for byte as stripe-node 17.4.0 produces them:
 * - v1 bodies and all query strings: `application/x-www-form-urlencoded` with bracket keys (`a[b]=1`,
 *   `a[0]=x`, v1 arrays indexed, v2 query arrays repeated), RFC 3986 percent-encoding, and the square
 *   brackets of keys left literal.
 * - v2 bodies: JSON.
 * - file uploads: multipart/form-data.
 */

/** Percent-encode like qs (RFC 3986): only `A-Z a-z 0-9 - . _ ~` stay literal. */
export function percentEncode(value: string): string {
	const wellFormed = (value as string & { toWellFormed?: () => string }).toWellFormed?.() ?? value;
	return encodeURIComponent(wellFormed).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

export type ArrayFormat = 'indices' | 'repeat';

function scalarToString(value: unknown): string {
	if (value instanceof Date) return Math.floor(value.getTime() / 1000).toString();
	return String(value);
}

/** Flatten nested data into [key, value] pairs with bracket keys, in insertion order. */
export function flattenParams(data: Record<string, unknown>, arrayFormat: ArrayFormat = 'indices'): Array<[string, string]> {
	const out: Array<[string, string]> = [];
	const visit = (prefix: string, value: unknown): void => {
		if (value === undefined) return;
		if (value === null) {
			out.push([prefix, '']);
			return;
		}
		if (Array.isArray(value)) {
			value.forEach((item, i) => {
				visit(arrayFormat === 'indices' ? `${prefix}[${i}]` : prefix, item);
			});
			return;
		}
		if (typeof value === 'object' && !(value instanceof Date)) {
			for (const [k, v] of Object.entries(value as Record<string, unknown>)) visit(`${prefix}[${k}]`, v);
			return;
		}
		out.push([prefix, scalarToString(value)]);
	};
	for (const [k, v] of Object.entries(data)) visit(k, v);
	return out;
}

/** The form/query encoding of stripe-node (qs.stringify, then `%5B`/`%5D` back to brackets). */
export function encodeForm(data: Record<string, unknown>, arrayFormat: ArrayFormat = 'indices'): string {
	return flattenParams(data, arrayFormat)
		.map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`)
		.join('&')
		.replace(/%5B/g, '[')
		.replace(/%5D/g, ']');
}

/** Fill `{placeholder}`s of a path, each value percent-encoded (encodeURIComponent, as stripe-node does). */
export function interpolatePath(path: string, values: Record<string, string>): string {
	return path.replace(/\{(\w+)\}/g, (_m, name: string) => {
		const segment = encodeURIComponent(values[name] ?? '');
		// A last guard behind checkId: an empty or dot segment would be resolved into another endpoint's path.
		if (segment === '' || /^\.+$/.test(segment)) throw new Error(`The path parameter "${name}" must not be ${segment === '' ? 'empty' : `"${segment}"`}`);
		return segment;
	});
}

export interface MultipartFile {
	data: Buffer;
	name?: string;
	type?: string;
}

function isMultipartFile(value: unknown): value is MultipartFile {
	return typeof value === 'object' && value !== null && Buffer.isBuffer((value as MultipartFile).data);
}

function quoteHeaderValue(s: string): string {
	return `"${s.replace(/"/g, '%22').replace(/\r\n|\r|\n/g, ' ')}"`;
}

/**
 * multipart/form-data body as stripe-node builds it for file uploads: nested keys flattened with brackets,
 * file parts carrying filename and content type.
 */
export function encodeMultipart(data: Record<string, unknown>, boundary: string): { body: Buffer; contentType: string } {
	const chunks: Buffer[] = [];
	const line = (s: string | Buffer) => {
		chunks.push(typeof s === 'string' ? Buffer.from(s, 'utf8') : s, Buffer.from('\r\n'));
	};
	const fields: Array<[string, unknown]> = [];
	const visit = (prefix: string, value: unknown) => {
		if (value === undefined) return;
		if (isMultipartFile(value)) {
			fields.push([prefix, value]);
		} else if (Array.isArray(value)) {
			value.forEach((v, i) => visit(`${prefix}[${i}]`, v));
		} else if (value !== null && typeof value === 'object') {
			for (const [k, v] of Object.entries(value as Record<string, unknown>)) visit(`${prefix}[${k}]`, v);
		} else {
			fields.push([prefix, String(value)]);
		}
	};
	for (const [k, v] of Object.entries(data)) visit(k, v);
	for (const [key, value] of fields) {
		line(`--${boundary}`);
		if (isMultipartFile(value)) {
			line(`Content-Disposition: form-data; name=${quoteHeaderValue(key)}; filename=${quoteHeaderValue(value.name || 'blob')}`);
			line(`Content-Type: ${value.type || 'application/octet-stream'}`);
			line('');
			line(value.data);
		} else {
			line(`Content-Disposition: form-data; name=${quoteHeaderValue(key)}`);
			line('');
			line(value as string);
		}
	}
	line(`--${boundary}--`);
	return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}
