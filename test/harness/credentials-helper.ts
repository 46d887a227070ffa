/**
 * An in-memory ICredentialsHelper that behaves like the one in n8n's server for the parts a node
 * can observe: credential data gets the credential type's defaults and has its expressions
 * resolved, `authenticate` applies a type's IAuthenticateGeneric (or calls its function), and
 * `preAuthentication` refreshes an expirable token.
 */
import { getAdditionalKeys } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentialsEncrypted,
	ICredentialsExpressionResolveValues,
	ICredentialType,
	IDataObject,
	IExecuteData,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeParameters,
	INodeProperties,
	INodeType,
	INodeTypes,
	IRequestOptionsSimplified,
	IWorkflowDataProxyAdditionalKeys,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { ICredentials, ICredentialsHelper, NodeHelpers, UnexpectedError, Workflow } from 'n8n-workflow';

/** The id/name the harness gives the credential of a type when it wires it into a node. */
export function harnessCredentialRef(type: string): INodeCredentialsDetails {
	return { id: `harness-${type}`, name: `${type} (test)` };
}

/** Node used to resolve credential expressions when there is no real node at hand. */
const PLACEHOLDER_NODE: INode = {
	id: 'harness-credentials-placeholder',
	name: 'Credentials placeholder',
	type: 'harness.credentialsPlaceholder',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

const PLACEHOLDER_NODE_TYPES: INodeTypes = {
	getByName: () => undefined as unknown as INodeType,
	getByNameAndVersion: () => undefined as unknown as INodeType,
	getKnownTypes: () => ({}),
};

function placeholderWorkflow(): Workflow {
	return new Workflow({
		nodes: [PLACEHOLDER_NODE],
		connections: {},
		active: false,
		nodeTypes: PLACEHOLDER_NODE_TYPES,
	});
}

function clone<T>(value: T): T {
	return structuredClone(value);
}

/**
 * ICredentials whose `data` is plain JSON. (n8n-core's Credentials class encrypts through an
 * encryption-key provider that only n8n's server configures; nothing in n8n-core's node execution
 * path calls ICredentialsHelper.getCredentials anyway.)
 */
class PlainCredentials extends ICredentials {
	async getData(): Promise<ICredentialDataDecryptedObject> {
		if (this.data === undefined) throw new UnexpectedError('No data is set on these credentials');
		return JSON.parse(this.data) as ICredentialDataDecryptedObject;
	}

	getDataToSave(): ICredentialsEncrypted {
		return { id: this.id, name: this.name, type: this.type, data: this.data };
	}

	async setData(data: ICredentialDataDecryptedObject): Promise<void> {
		this.data = JSON.stringify(data);
	}

	async updateData(toUpdate: Partial<ICredentialDataDecryptedObject>, toDelete: Array<keyof ICredentialDataDecryptedObject> = []): Promise<void> {
		const updated = { ...(await this.getData()), ...toUpdate } as ICredentialDataDecryptedObject;
		for (const key of toDelete) delete updated[key];
		await this.setData(updated);
	}
}

export interface CredentialsHelperCall {
	method: 'getDecrypted' | 'authenticate' | 'preAuthentication' | 'updateCredentials';
	type: string;
}

export class HarnessCredentialsHelper extends ICredentialsHelper {
	private readonly types = new Map<string, ICredentialType>();

	/** Decrypted credential data by credential type name (one credential per type). */
	private readonly data = new Map<string, ICredentialDataDecryptedObject>();

	/** Every call n8n-core made into this helper, in order (for assertions). */
	readonly calls: CredentialsHelperCall[] = [];

	constructor(credentialTypes: ICredentialType[], credentials: Record<string, ICredentialDataDecryptedObject> = {}) {
		super();
		for (const type of credentialTypes) this.types.set(type.name, type);
		for (const [type, value] of Object.entries(credentials)) this.data.set(type, clone(value));
	}

	/** The stored (raw) data of a credential type, e.g. after a preAuthentication refresh. */
	getStoredData(type: string): ICredentialDataDecryptedObject | undefined {
		const stored = this.data.get(type);
		return stored === undefined ? undefined : clone(stored);
	}

	private getType(name: string): ICredentialType {
		const type = this.types.get(name);
		if (type === undefined) {
			throw new UnexpectedError(`Credential type "${name}" is not known to the test harness; pass it in credentialTypes`);
		}
		return type;
	}

	getParentTypes(name: string): string[] {
		const type = this.types.get(name);
		if (type?.extends === undefined) return [];
		const parents: string[] = [];
		for (const parent of type.extends) {
			parents.push(parent, ...this.getParentTypes(parent));
		}
		return parents;
	}

	isCredentialUsableByNode(credentialType: string, nodeType: string): boolean {
		const type = this.types.get(credentialType);
		if (type?.restrictToSupportedNodes !== true) return true;
		return (type.supportedNodes ?? []).includes(nodeType);
	}

	getCredentialsProperties(type: string): INodeProperties[] {
		const credentialType = this.getType(type);
		if (credentialType.extends === undefined) return credentialType.properties;
		const byName = new Map<string, INodeProperties>();
		for (const parent of credentialType.extends) {
			for (const property of this.getCredentialsProperties(parent)) byName.set(property.name, property);
		}
		for (const property of credentialType.properties) byName.set(property.name, property);
		return [...byName.values()];
	}

	async getCredentials(nodeCredentials: INodeCredentialsDetails, type: string): Promise<ICredentials> {
		const stored = this.requireData(nodeCredentials, type);
		return new PlainCredentials({ id: nodeCredentials.id ?? harnessCredentialRef(type).id, name: nodeCredentials.name }, type, JSON.stringify(stored));
	}

	private requireData(nodeCredentials: INodeCredentialsDetails, type: string): ICredentialDataDecryptedObject {
		const stored = this.data.get(type);
		if (stored === undefined) {
			throw new UnexpectedError(`Credential with ID "${nodeCredentials.id ?? ''}" does not exist for type "${type}" (no test credentials were given for it)`);
		}
		return clone(stored);
	}

	async getDecrypted(
		additionalData: IWorkflowExecuteAdditionalData,
		nodeCredentials: INodeCredentialsDetails,
		type: string,
		mode: WorkflowExecuteMode,
		_executeData?: IExecuteData,
		raw?: boolean,
		expressionResolveValues?: ICredentialsExpressionResolveValues,
	): Promise<ICredentialDataDecryptedObject> {
		this.calls.push({ method: 'getDecrypted', type });
		const stored = this.requireData(nodeCredentials, type);
		if (raw === true) return stored;
		return this.applyDefaultsAndResolve(additionalData, stored, type, mode, expressionResolveValues);
	}

	/** What n8n's server does to stored credential data before a node sees it. */
	private applyDefaultsAndResolve(
		additionalData: IWorkflowExecuteAdditionalData,
		stored: ICredentialDataDecryptedObject,
		type: string,
		mode: WorkflowExecuteMode,
		resolveValues?: ICredentialsExpressionResolveValues,
	): ICredentialDataDecryptedObject {
		const withDefaults = (NodeHelpers.getNodeParameters(this.getCredentialsProperties(type), stored as INodeParameters, true, false, null, null) ??
			{}) as ICredentialDataDecryptedObject;
		if (stored.oauthTokenData !== undefined) withDefaults.oauthTokenData = stored.oauthTokenData;

		const additionalKeys: IWorkflowDataProxyAdditionalKeys = getAdditionalKeys(additionalData, mode, resolveValues?.runExecutionData ?? null, {
			isCredential: true,
		});
		if (resolveValues !== undefined) {
			return resolveValues.workflow.expression.getParameterValue(
				withDefaults as INodeParameters,
				resolveValues.runExecutionData,
				resolveValues.runIndex,
				resolveValues.itemIndex,
				resolveValues.node.name,
				resolveValues.connectionInputData,
				mode,
				additionalKeys,
				undefined,
				false,
				withDefaults,
			) as ICredentialDataDecryptedObject;
		}
		return placeholderWorkflow().expression.getComplexParameterValue(
			PLACEHOLDER_NODE,
			withDefaults as INodeParameters,
			mode,
			additionalKeys,
			undefined,
			undefined,
			withDefaults,
		) as ICredentialDataDecryptedObject;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
		workflow?: Workflow,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		this.calls.push({ method: 'authenticate', type: typeName });
		const { authenticate } = this.getType(typeName);
		if (authenticate === undefined) return requestOptions as IHttpRequestOptions;
		if (typeof authenticate === 'function') {
			return await authenticate(credentials, requestOptions as IHttpRequestOptions);
		}
		if (authenticate.type !== 'generic') return requestOptions as IHttpRequestOptions;

		const target = requestOptions as unknown as Record<string, unknown>;
		if (target.headers === undefined) target.headers = {};
		const resolve = (value: unknown): unknown => this.resolveAuthValue(value, credentials, workflow, node);

		for (const [section, entries] of Object.entries(authenticate.properties)) {
			if (entries === undefined || entries === null) continue;
			if (typeof entries !== 'object') {
				// e.g. `url` or `skipSslCertificateValidation`: a single value.
				target[section] = resolve(entries);
				continue;
			}
			let bucket = target[section];
			if (bucket === undefined || bucket === null) {
				bucket = {};
				target[section] = bucket;
			}
			if (typeof bucket !== 'object') {
				throw new UnexpectedError(`Credential type "${typeName}" adds "${section}" entries, but the request's ${section} is a ${typeof bucket}`);
			}
			for (const [key, value] of Object.entries(entries as IDataObject)) {
				(bucket as Record<string, unknown>)[String(resolve(key))] = resolve(value);
			}
		}
		return requestOptions as IHttpRequestOptions;
	}

	/** `={{$credentials.x}}` style values resolve against the credential data; others pass through. */
	private resolveAuthValue(value: unknown, credentials: ICredentialDataDecryptedObject, workflow?: Workflow, node?: INode): unknown {
		if (typeof value !== 'string' || !value.startsWith('=')) return value;
		const resolved = (workflow ?? placeholderWorkflow()).expression.getSimpleParameterValue(
			node ?? PLACEHOLDER_NODE,
			value,
			'internal',
			{ $credentials: credentials },
			undefined,
			'',
		);
		if (resolved === undefined || resolved === null || resolved === '') return '';
		return String(resolved);
	}

	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		node: INode,
		credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		this.calls.push({ method: 'preAuthentication', type: typeName });
		const credentialType = this.getType(typeName);
		if (typeof credentialType.preAuthentication !== 'function') return undefined;
		const expirable = this.getCredentialsProperties(typeName).find((property) => property.type === 'hidden' && property.typeOptions?.expirable === true);
		if (expirable === undefined) return undefined;
		if (credentials[expirable.name] !== '' && !credentialsExpired) return undefined;

		const output = await credentialType.preAuthentication.call(helpers, credentials);
		if (output[expirable.name] === undefined) {
			throw new UnexpectedError(`preAuthentication of "${typeName}" did not return the expirable property "${expirable.name}"`);
		}
		const updated = Object.assign(credentials, output) as ICredentialDataDecryptedObject;
		const ref = node.credentials?.[typeName];
		if (ref !== undefined) await this.updateCredentials(ref, typeName, updated);
		return updated;
	}

	async runPreAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const credentialType = this.getType(typeName);
		if (typeof credentialType.preAuthentication !== 'function') return undefined;
		return (await credentialType.preAuthentication.call(helpers, credentials)) as ICredentialDataDecryptedObject;
	}

	async updateCredentials(_nodeCredentials: INodeCredentialsDetails, type: string, data: ICredentialDataDecryptedObject): Promise<void> {
		this.calls.push({ method: 'updateCredentials', type });
		this.data.set(type, clone(data));
	}

	async updateCredentialsOauthTokenData(nodeCredentials: INodeCredentialsDetails, type: string, data: ICredentialDataDecryptedObject): Promise<void> {
		await this.updateCredentials(nodeCredentials, type, data);
	}
}
