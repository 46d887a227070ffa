/**
 * One operation's fields as n8n's editor shows them from a built node description. Sharing
 * (nodes/shared/fields/sharing.ts) merges the "Additional Fields" and "Filters" collections of several
 * operations into one whose members carry `/resource` and `/operation` conditions; the editor lists under
 * "Add Field" only the members whose conditions hold (CollectionParameter filters them with displayParameter,
 * from the node's root values), and keeps only those (getNodeParameters). Tests that read an operation's
 * fields from a description read them through here.
 */
import type { INodeParameters, INodeProperties } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

const PAIR_KEYS = ['/resource', '/operation'];

/** Whether a top-level property is shown for a resource and operation (its other conditions not evaluated). */
export function showsFor(p: INodeProperties, resource: string, operation: string): boolean {
	const show = p.displayOptions?.show;
	return !!show?.resource?.includes(resource) && !!show?.operation?.includes(operation);
}

/** A member without the resource and operation conditions sharing gave it (what it was before sharing). */
function withoutPairConditions(m: INodeProperties): INodeProperties {
	const show = m.displayOptions?.show;
	if (!show || !PAIR_KEYS.some((k) => k in show)) return m;
	const rest = Object.fromEntries(Object.entries(show).filter(([k]) => !PAIR_KEYS.includes(k)));
	const { displayOptions, ...member } = m;
	const others = Object.fromEntries(Object.entries(displayOptions!).filter(([k]) => k !== 'show'));
	const kept = Object.keys(rest).length ? { ...others, show: rest } : others;
	return Object.keys(kept).length ? { ...member, displayOptions: kept } : member;
}

/** The members of a collection the editor offers for these node values (`resource`, `operation`, …). */
export function membersShown(collection: INodeProperties, root: INodeParameters): INodeProperties[] {
	return ((collection.options ?? []) as INodeProperties[]).filter((m) => NodeHelpers.displayParameter({}, m, null, null, root)).map(withoutPairConditions);
}

/** A property as shown for these node values: a collection with only the members the editor offers. */
export function asShown(p: INodeProperties, root: INodeParameters): INodeProperties {
	return p.type === 'collection' ? { ...p, options: membersShown(p, root) } : p;
}

/** The top-level properties shown for a resource and operation, their collections with the members shown for it. */
export function operationPanel(props: INodeProperties[], resource: string, operation: string): INodeProperties[] {
	return props.filter((p) => showsFor(p, resource, operation)).map((p) => asShown(p, { resource, operation }));
}
