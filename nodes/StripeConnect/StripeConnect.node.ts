import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { family } from '../../generated/families/connect';
import { executeFamily } from '../shared/execution/executor';
import { buildProperties } from '../shared/fields/properties';
import { familyMethods } from '../shared/pickers/lookups';

/** Stripe Connect: every operation comes from the generated Connect descriptor. */
export class StripeConnect implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Stripe Connect',
		name: 'stripeConnect',
		icon: { light: 'file:../../icons/stripe.svg', dark: 'file:../../icons/stripe.dark.svg' },
		group: ['transform'],
		// 1.1: required objects start open (nodes/shared/fields/shapes versionedObject).
		version: [1, 1.1],
		defaultVersion: 1.1,
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: 'Connected accounts, account links and sessions, persons, capabilities, external accounts, transfers, top-ups, application fees and secrets',
		defaults: { name: 'Stripe Connect' },
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
