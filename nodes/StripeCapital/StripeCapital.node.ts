import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { family } from '../../generated/families/capital';
import { executeFamily } from '../shared/execution/executor';
import { buildProperties } from '../shared/fields/properties';
import { familyMethods } from '../shared/pickers/lookups';

/** Stripe Capital: every operation comes from the generated Capital descriptor. */
export class StripeCapital implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Stripe Capital',
		name: 'stripeCapital',
		icon: { light: 'file:../../icons/stripe.svg', dark: 'file:../../icons/stripe.dark.svg' },
		group: ['transform'],
		// 1.1: required objects start open (nodes/shared/fields/shapes versionedObject).
		version: [1, 1.1],
		defaultVersion: 1.1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Capital financing offers and financing summary',
		defaults: { name: 'Stripe Capital' },
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
