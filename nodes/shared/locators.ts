/**
 * Pickers: which parameters name an object users pick from a searchable, paged list (n8n resource locators
 * with "From List" and "ID" modes), and the locator field itself. The list searches are in methods.ts.
 */
import type { INodeProperties } from 'n8n-workflow';

/** Objects users pick from a searchable list (resource locators); see methods.ts. */
export const LOCATOR_SEARCH: Record<string, { method: string; placeholder: string; label: string }> = {
	customer: { method: 'searchCustomers', placeholder: 'cus_…', label: 'Customer' },
	product: { method: 'searchProducts', placeholder: 'prod_…', label: 'Product' },
	price: { method: 'searchPrices', placeholder: 'price_…', label: 'Price' },
	meter: { method: 'searchMeters', placeholder: 'mtr_…', label: 'Meter' },
};

/** Which kind of object an ID parameter or path parameter refers to, if users can pick it from a list. */
export function locatorKind(name: string, resourceValue?: string): string | undefined {
	if (LOCATOR_SEARCH[name]) return name;
	if (name === 'id' && resourceValue && LOCATOR_SEARCH[resourceValue]) return resourceValue;
	return undefined;
}

export function locatorField(base: Omit<INodeProperties, 'type' | 'default'>, kind: string): INodeProperties {
	const l = LOCATOR_SEARCH[kind];
	return {
		...base,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		modes: [
			{
				displayName: `From List`,
				name: 'list',
				type: 'list',
				placeholder: `Select a ${l.label.toLowerCase()}…`,
				typeOptions: { searchListMethod: l.method, searchable: true },
			},
			{ displayName: 'ID', name: 'id', type: 'string', placeholder: l.placeholder },
		],
	};
}
