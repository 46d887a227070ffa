import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { family } from '../../generated/families/sigma';
import { executeFamily } from '../shared/execution/executor';
import { buildProperties } from '../shared/fields/properties';
import { familyMethods } from '../shared/pickers/lookups';

/** Stripe Sigma: every operation comes from the generated Sigma descriptor. */
export class StripeSigma implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Stripe Sigma',
		name: 'stripeSigma',
		icon: { light: 'file:../../icons/stripe.svg', dark: 'file:../../icons/stripe.dark.svg' },
		group: ['transform'],
		// 1.1: required objects start open (nodes/shared/fields/shapes versionedObject).
		version: [1, 1.1],
		defaultVersion: 1.1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Sigma scheduled query runs',
		defaults: { name: 'Stripe Sigma' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'stripeKeyApi', required: true }],
		properties: buildProperties(family),
	};

	methods = familyMethods;

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return executeFamily(this, family);
	}
}
