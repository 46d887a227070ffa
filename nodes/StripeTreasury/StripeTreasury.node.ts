import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { family } from '../../generated/families/treasury';
import { executeFamily } from '../shared/execution/executor';
import { buildProperties } from '../shared/fields/properties';
import { familyMethods } from '../shared/pickers/lookups';

/** Stripe Treasury: every operation comes from the generated Treasury descriptor. */
export class StripeTreasury implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Stripe Treasury',
		name: 'stripeTreasury',
		icon: { light: 'file:../../icons/stripe.svg', dark: 'file:../../icons/stripe.dark.svg' },
		group: ['transform'],
		// 1.1: required objects start open (nodes/shared/fields/shapes versionedObject).
		version: [1, 1.1],
		defaultVersion: 1.1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Treasury financial accounts, transfers, payments, received credits and debits, reversals and transactions',
		defaults: { name: 'Stripe Treasury' },
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
