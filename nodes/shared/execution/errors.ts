import type { INode } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

/** Any caught error as an n8n node error (NodeApiError/NodeOperationError pass through unchanged). */
export function toNodeError(node: INode, error: unknown, itemIndex?: number): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	const e = error instanceof Error ? error : new Error(String(error));
	return new NodeOperationError(node, e, { itemIndex });
}
