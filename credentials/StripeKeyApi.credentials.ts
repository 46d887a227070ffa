import type { Icon, ICredentialDataDecryptedObject, ICredentialTestRequest, ICredentialType, IHttpRequestOptions, INodeProperties } from 'n8n-workflow';

/** The Stripe API version this package's operations were generated for (stripe@17.4.0). */
export const STRIPE_DEFAULT_API_VERSION = '2024-11-20.acacia';

/** Where requests go unless the credential says otherwise. */
export const STRIPE_DEFAULT_BASE_URL = 'https://api.stripe.com';

/**
 * One credential for every n8n-nodes-stripe node. Named `stripeKeyApi` so it never clashes with
 * n8n's built-in `stripeApi`.
 */
export class StripeKeyApi implements ICredentialType {
	name = 'stripeKeyApi';

	displayName = 'Stripe Key API';

	icon: Icon = { light: 'file:../icons/stripe.svg', dark: 'file:../icons/stripe.dark.svg' };

	documentationUrl = 'https://docs.stripe.com/keys';

	properties: INodeProperties[] = [
		{
			displayName: 'Secret or Restricted Key',
			name: 'secretKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			placeholder: 'sk_test_… or rk_test_…',
			description: 'A secret key (sk_test_…, sk_live_…) or restricted key (rk_test_…, rk_live_…) from Developers → API keys in the Stripe Dashboard',
		},
		{
			displayName: 'Connected Account (Stripe-Account)',
			name: 'stripeAccount',
			type: 'string',
			default: '',
			placeholder: 'acct_…',
			description:
				'Optional. Make every request on behalf of this connected account (sent as the Stripe-Account header; Stripe-Context on v2 endpoints). Nodes can override it per node.',
		},
		{
			displayName: 'API Version',
			name: 'apiVersion',
			type: 'string',
			default: STRIPE_DEFAULT_API_VERSION,
			description: 'Sent as the Stripe-Version header. The operations of this package were generated for 2024-11-20.acacia.',
		},
		{
			displayName: 'API Base URL',
			name: 'baseUrl',
			type: 'string',
			default: STRIPE_DEFAULT_BASE_URL,
			description:
				'Advanced: where API requests go. Change it only to use a proxy or a local Stripe emulator. File uploads use files.stripe.com and meter event streams meter-events.stripe.com when this is left at its default.',
		},
	];

	/**
	 * The same header as a generic `=Bearer {{$credentials.secretKey}}`, set without resolving an expression on
	 * every request (n8n's CredentialsHelper calls a function `authenticate` directly).
	 */
	async authenticate(credentials: ICredentialDataDecryptedObject, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> {
		requestOptions.headers = { ...requestOptions.headers, Authorization: `Bearer ${String(credentials.secretKey ?? '')}` };
		return requestOptions;
	}

	test: ICredentialTestRequest = {
		request: {
			// Same normalisation the nodes must apply: blank -> default host, no trailing slashes.
			baseURL: '={{ ($credentials.baseUrl || "https://api.stripe.com").trim().replace(/\\/+$/, "") }}',
			url: '/v1/balance',
			method: 'GET',
			headers: {
				'Stripe-Version': '={{$credentials.apiVersion}}',
			},
			// A restricted key (rk_) without "Balance: Read" gets 403 from Stripe although it is a
			// valid key, so 403 must count as success. Every other 4xx/5xx still fails the test (and
			// is matched by the rules below); network errors fail as well.
			ignoreHttpStatusErrors: {
				ignore: true,
				except: Array.from({ length: 200 }, (_, i) => 400 + i).filter((status) => status !== 403),
			},
		},
		// Error-path rules (responseCode) are checked when the request fails with that status; body
		// rules (responseSuccessBody) are checked on a response that did not fail (2xx or 403).
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message:
						'Stripe rejected the key (401 Unauthorized). Check that the whole secret key (sk_…) or restricted key (rk_…) was pasted, that it has not been rolled, revoked or expired, and that it is not a publishable key (pk_…).',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 400,
					message: 'Stripe refused the request (400 Bad Request). The key may be fine: check the API Version field (for example 2024-11-20.acacia).',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 404,
					message:
						'The API Base URL answered 404 Not Found for /v1/balance, so it is not the Stripe API. Use https://api.stripe.com (without /v1) unless you route through a proxy or a Stripe emulator.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 429,
					message: 'Stripe is rate-limiting requests for this account (429 Too Many Requests). Try the test again in a moment.',
				},
			},
			...[500, 502, 503, 504].map((status) => ({
				type: 'responseCode' as const,
				properties: {
					value: status,
					message: `The API Base URL answered with a server error (${status}). If it points to a proxy or emulator, check that it is running; otherwise see https://status.stripe.com.`,
				},
			})),
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'error.code',
					value: 'secret_key_required',
					message: 'This is a publishable key (pk_…). Use a secret key (sk_…) or a restricted key (rk_…).',
				},
			},
		] as ICredentialTestRequest['rules'],
	};
}
