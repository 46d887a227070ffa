import type {
	IBinaryData,
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	INodeTypes,
	IPairedItemData,
	IVersionedNodeType,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeHelpers, UnexpectedError } from 'n8n-workflow';

/** Node type name of the harness's input node. */
export const HARNESS_INPUT_NODE_TYPE = 'n8n-nodes-stripe-harness.input';

/** Binary content to be stored through `helpers.prepareBinaryData` by the input node. */
export interface BinaryInput {
	content: Buffer | string;
	fileName?: string;
	mimeType?: string;
}

/**
 * An input item for the node under test. Binary properties may be given either as ready-made
 * IBinaryData (passed through unchanged) or as BinaryInput, which the input node stores with
 * `this.helpers.prepareBinaryData` so it looks exactly like binary data produced by a real node.
 */
export interface HarnessInputItem {
	json: IDataObject;
	binary?: Record<string, IBinaryData | BinaryInput>;
	pairedItem?: IPairedItemData | IPairedItemData[] | number;
}

function isBinaryInput(value: IBinaryData | BinaryInput): value is BinaryInput {
	return 'content' in value;
}

/**
 * A tiny start node: no inputs, emits the given items on its only output. Plays the role of the
 * manual trigger + "set some data" nodes a user would put in front of the node under test.
 */
export function createInputNodeType(items: HarnessInputItem[]): INodeType {
	const description: INodeTypeDescription = {
		displayName: 'Harness Input',
		name: HARNESS_INPUT_NODE_TYPE,
		group: ['input'],
		version: 1,
		description: 'Emits the test input items',
		defaults: { name: 'Harness Input' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	};
	return {
		description,
		async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
			const output: INodeExecutionData[] = [];
			for (const [index, item] of items.entries()) {
				const out: INodeExecutionData = {
					json: structuredClone(item.json),
					pairedItem: item.pairedItem ?? { item: 0 },
				};
				if (item.binary !== undefined) {
					out.binary = {};
					for (const [key, value] of Object.entries(item.binary)) {
						out.binary[key] = isBinaryInput(value)
							? await this.helpers.prepareBinaryData(
									Buffer.isBuffer(value.content) ? value.content : Buffer.from(value.content),
									value.fileName,
									value.mimeType,
								)
							: structuredClone(value);
					}
				}
				output[index] = out;
			}
			return [output];
		},
	};
}

/** INodeTypes over a fixed map of node type name → node type (plain or versioned). */
export class HarnessNodeTypes implements INodeTypes {
	constructor(private readonly types: Record<string, INodeType | IVersionedNodeType>) {}

	getByName(nodeType: string): INodeType | IVersionedNodeType {
		const type = this.types[nodeType];
		if (type === undefined) {
			throw new UnexpectedError(`Unknown node type "${nodeType}" (not registered with the test harness)`);
		}
		return type;
	}

	getByNameAndVersion(nodeType: string, version?: number): INodeType {
		return NodeHelpers.getVersionedNodeType(this.getByName(nodeType), version);
	}

	getKnownTypes(): IDataObject {
		return {};
	}
}

/** The version a freshly added node of this type would get in the editor. */
export function defaultTypeVersion(type: INodeType | IVersionedNodeType): number {
	if ('nodeVersions' in type) return type.currentVersion;
	const { version } = type.description;
	return Array.isArray(version) ? Math.max(...version) : version;
}

/** The name the editor gives a new node of this type (its `defaults.name`). */
export function defaultNodeName(type: INodeType | IVersionedNodeType, version?: number): string {
	const { description } = NodeHelpers.getVersionedNodeType(type, version);
	return description.defaults.name ?? description.displayName;
}
