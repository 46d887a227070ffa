/**
 * Sharing what is repeated: one property for several operations where the built properties repeat it.
 *
 * An operation's fields are built per operation (properties.ts), so many top-level properties are the same
 * object but for `displayOptions.show.resource` / `.operation`: the same "Customer ID" locator, the same
 * "Return All", the same "Specify Parameters" for every resource. n8n shows a property when every key of its
 * `show` matches (an AND of ORs), so one property shown for the resources R and the operations O stands for the
 * identical properties of every pair in R × O that the node offers (a resource's Operation dropdown lists its
 * own operations only). This pass merges such properties where
 * - the pairs they were shown for are exactly the offered pairs of a product R × O (products);
 * - no (resource, operation) changes the order of what it shows: n8n shows properties in array order, so
 *   merged properties must fit one order that keeps every pair's order. Each pair's properties, in array
 *   order, are edges of a graph over the properties; a merge is made only if it leaves that graph without a
 *   cycle, and the result is its topological order, closest to the original.
 * The "Additional Fields" and "Filters" collections of operations are merged the same way whatever their
 * members: the merged collection keeps each member once, shown with `/resource` and `/operation` conditions
 * for the pairs that had it (sharedMembers). n8n's editor offers under "Add Field" only the members whose
 * conditions hold, and keeps only those.
 * Names, values, defaults and every other display condition are unchanged, so saved workflows and the wire are
 * too. test/engine/sharing.test.ts checks every pair with n8n-workflow's own display and storage logic.
 */
import type { INodeProperties } from 'n8n-workflow';

import { N8N_CUSTOM_API_CALL as CUSTOM } from './custom-call';
import { MORE } from './shapes/group';

type Show = Record<string, unknown>;
const showOf = (p: INodeProperties): Show | undefined => p.displayOptions?.show as Show | undefined;
const strings = (v: unknown): string[] | undefined => (Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : undefined);

/** The resource and operation of every pair a family node shows, from its Resource and Operation dropdowns. */
function pairsOf(props: INodeProperties[]): Array<[string, string]> {
	// n8n's own "Custom API Call" value (its fields also show for it, custom-call.ts) is counted as a resource of
	// its own and an operation of every resource, so the order of its fields is kept too.
	const ops = new Map<string, Set<string>>([[CUSTOM, new Set([CUSTOM])]]);
	for (const p of props.filter((x) => x.name === 'resource' && !showOf(x)))
		for (const o of p.options ?? []) ops.set(String((o as { value: unknown }).value), new Set([CUSTOM]));
	for (const p of props.filter((x) => x.name === 'operation'))
		for (const r of strings(showOf(p)?.resource) ?? []) for (const o of p.options ?? []) ops.get(r)?.add(String((o as { value: unknown }).value));
	return [...ops].flatMap(([r, os]) => [...os].map((o): [string, string] => [r, o]));
}

/** Whether a property may show for a pair: its resource and operation conditions only (the others may hold). */
function mayShow(p: INodeProperties, [r, o]: [string, string]): boolean {
	const show = showOf(p);
	const resources = strings(show?.resource);
	const operations = strings(show?.operation);
	return (!resources || resources.includes(r)) && (!operations || operations.includes(o));
}

/**
 * Collections whose members are shared: an operation's "Additional Fields" (or "Filters"). They are merged
 * like identical properties, whatever their members; each member is kept once and shown for the resources and
 * operations that had it (sharedMembers).
 */
const membersShared = (p: INodeProperties): boolean => p.name === MORE && p.type === 'collection';

/**
 * What makes properties the same: everything but the resource and operation they show for (or undefined: not
 * shared); for a collection whose members are shared, everything but its members.
 */
function sharingKey(p: INodeProperties): string | undefined {
	const show = showOf(p);
	const hide = p.displayOptions?.hide as Show | undefined;
	if (strings(show?.resource)?.length !== 1 || !strings(show?.operation) || hide?.resource || hide?.operation) return undefined;
	const rest = Object.fromEntries(Object.entries(show!).filter(([k]) => k !== 'resource' && k !== 'operation'));
	const same = { ...p, displayOptions: { ...p.displayOptions, show: rest } };
	if (!membersShared(p)) return JSON.stringify(same);
	return JSON.stringify({ ...same, options: 'shared' });
}

/** Properties merged so far (union-find over indexes) and the order edges between them. */
class OrderGraph {
	private readonly parent: number[];
	readonly members: Map<number, number[]>;
	readonly next: Array<Set<number>>;

	constructor(props: INodeProperties[]) {
		this.parent = props.map((_, i) => i);
		this.members = new Map(props.map((_, i) => [i, [i]]));
		this.next = props.map(() => new Set<number>());
		for (const pair of pairsOf(props)) {
			const shown = props.flatMap((p, i) => (mayShow(p, pair) ? [i] : []));
			for (let k = 1; k < shown.length; k++) this.next[shown[k - 1]].add(shown[k]);
		}
	}

	find(i: number): number {
		while (this.parent[i] !== i) i = this.parent[i] = this.parent[this.parent[i]];
		return i;
	}

	private successors(unit: number): number[] {
		return this.members.get(unit)!.flatMap((i) => [...this.next[i]].map((j) => this.find(j)));
	}

	/** Merges the properties into one if that keeps the graph acyclic (no path from one to another through others). */
	tryMerge(indexes: number[]): boolean {
		const units = new Set(indexes.map((i) => this.find(i)));
		if (units.size < 2) return true;
		const seen = new Set<number>();
		const stack = [...units].flatMap((u) => this.successors(u)).filter((u) => !units.has(u));
		while (stack.length) {
			const u = stack.pop()!;
			if (seen.has(u)) continue;
			seen.add(u);
			for (const v of this.successors(u)) {
				if (units.has(v)) return false;
				if (!seen.has(v)) stack.push(v);
			}
		}
		const [root, ...rest] = [...units].sort((a, b) => a - b);
		for (const u of rest) {
			this.parent[u] = root;
			this.members.get(root)!.push(...this.members.get(u)!);
			this.members.delete(u);
		}
		return true;
	}

	/** The merged properties in an order every pair keeps: Kahn's algorithm, earliest original index first. */
	order(): number[][] {
		const inDegree = new Map<number, number>([...this.members.keys()].map((u) => [u, 0]));
		const edges = new Map<number, Set<number>>();
		for (const u of this.members.keys()) {
			const out = new Set(this.successors(u).filter((v) => v !== u));
			edges.set(u, out);
			for (const v of out) inDegree.set(v, inDegree.get(v)! + 1);
		}
		const ready = [...inDegree].filter(([, d]) => d === 0).map(([u]) => u);
		const result: number[][] = [];
		while (ready.length) {
			ready.sort((a, b) => b - a); // roots are each unit's smallest index: pop the earliest
			const u = ready.pop()!;
			result.push(this.members.get(u)!.sort((a, b) => a - b));
			for (const v of edges.get(u)!) {
				inDegree.set(v, inDegree.get(v)! - 1);
				if (inDegree.get(v) === 0) ready.push(v);
			}
		}
		return result;
	}
}

const resourceOf = (p: INodeProperties): string => strings(showOf(p)?.resource)![0];
const operationsOf = (p: INodeProperties): string[] => strings(showOf(p)?.operation)!;

/** Identical properties whose pairs overlap cannot be one property: they are split into layers of disjoint pairs. */
function disjointLayers(props: INodeProperties[], indexes: number[]): number[][] {
	const layers: Array<{ pairs: Set<string>; indexes: number[] }> = [];
	for (const i of indexes) {
		const pairs = operationsOf(props[i]).map((o) => JSON.stringify([resourceOf(props[i]), o]));
		let layer = layers.find((l) => pairs.every((p) => !l.pairs.has(p)));
		if (!layer) layers.push((layer = { pairs: new Set(), indexes: [] }));
		for (const p of pairs) layer.pairs.add(p);
		layer.indexes.push(i);
	}
	return layers.map((l) => l.indexes);
}

/**
 * Identical properties with disjoint pairs (of one resource each), cut into products R × O that show them for
 * exactly their pairs among the pairs the node offers. A resource's Operation dropdown offers only its own
 * operations, and n8n's editor clears an operation the newly chosen resource does not offer (its
 * removeMismatchedOptionValues, on every change of a parameter the dropdown's display depends on), so
 * `{customer, price} × {list, search}` stands for customer's list and search and price's list when prices
 * have no search. Each resource joins the first product it fits: one where no resource would show the
 * property for an operation it offers but did not have the property for.
 */
function products(props: INodeProperties[], indexes: number[], offered: Offered): number[][] {
	const rows = new Map<string, { operations: Set<string>; indexes: number[] }>();
	for (const i of indexes) {
		const row = rows.get(resourceOf(props[i])) ?? { operations: new Set<string>(), indexes: [] };
		for (const o of operationsOf(props[i])) row.operations.add(o);
		row.indexes.push(i);
		rows.set(resourceOf(props[i]), row);
	}
	return productsOf(rows, offered).map((g) => g.members.flatMap((r) => rows.get(r)!.indexes));
}

/** The operations each resource offers (pairs the node has, per resource). */
type Offered = Map<string, Set<string>>;

/**
 * Rows (a resource and the operations it has something for) grouped into products: a row joins the first group
 * in which every resource, for every operation of the group it offers, has that operation in its row.
 */
function productsOf<T extends { operations: Set<string> }>(rows: Map<string, T>, offered: Offered): Array<{ members: string[]; operations: Set<string> }> {
	const groups: Array<{ members: string[]; operations: Set<string> }> = [];
	const exact = (members: string[], operations: Set<string>) =>
		members.every((r) => [...operations].every((o) => !offered.get(r)?.has(o) || rows.get(r)!.operations.has(o)));
	for (const [resource, row] of rows) {
		const group = groups.find((g) => exact([...g.members, resource], new Set([...g.operations, ...row.operations])));
		if (group) {
			group.members.push(resource);
			for (const o of row.operations) group.operations.add(o);
		} else groups.push({ members: [resource], operations: new Set(row.operations) });
	}
	return groups;
}

/** Merges one product if the order allows, else each resource's part of it, else what can be merged one by one. */
function mergeProduct(graph: OrderGraph, props: INodeProperties[], indexes: number[]): void {
	if (graph.tryMerge(indexes)) return;
	const byResource = new Map<string, number[]>();
	for (const i of indexes) byResource.set(resourceOf(props[i]), [...(byResource.get(resourceOf(props[i])) ?? []), i]);
	for (const part of byResource.values()) {
		if (graph.tryMerge(part)) continue;
		for (const i of part.slice(1)) graph.tryMerge([part[0], i]);
	}
}

/** One property standing for identical ones: shown for their resources and operations, its `show` keys in the same order. */
function mergedProperty(props: INodeProperties[], unit: number[]): INodeProperties {
	const first = props[unit[0]];
	if (unit.length === 1) return first;
	const resources = [...new Set(unit.map((i) => resourceOf(props[i])))];
	const operations = [...new Set(unit.flatMap((i) => operationsOf(props[i])))];
	const show = Object.fromEntries(Object.entries(showOf(first)!).map(([k, v]) => [k, k === 'resource' ? resources : k === 'operation' ? operations : v]));
	const merged = { ...first, displayOptions: { ...first.displayOptions, show } } as INodeProperties;
	return membersShared(first) ? { ...merged, options: sharedMembers(props, unit) } : merged;
}

/**
 * The members of merged collections, each once. A member every merged collection had is shown as it was;
 * another is shown for the operations that had it (`/operation`: from the node's root, as n8n reads the
 * conditions of a collection's members) and, if the collections were of several resources, for its resources
 * (`/resource`), in products as for properties (productsOf, with the merged collection's pairs as offered). A
 * member that needs two products is kept twice, once for each: n8n lists and stores only the one shown.
 * Members stay in the order of their labels, as each collection had them.
 */
function sharedMembers(props: INodeProperties[], unit: number[]): INodeProperties[] {
	const collectionPairs: Offered = new Map();
	const members = new Map<string, { member: INodeProperties; rows: Map<string, { operations: Set<string> }> }>();
	for (const i of unit) {
		const resource = resourceOf(props[i]);
		const operations = operationsOf(props[i]);
		collectionPairs.set(resource, new Set([...(collectionPairs.get(resource) ?? []), ...operations]));
		for (const member of (props[i].options ?? []) as INodeProperties[]) {
			const key = JSON.stringify(member);
			const entry = members.get(key) ?? { member, rows: new Map() };
			const row = entry.rows.get(resource) ?? { operations: new Set<string>() };
			for (const o of operations) row.operations.add(o);
			entry.rows.set(resource, row);
			members.set(key, entry);
		}
	}
	const out: INodeProperties[] = [];
	for (const { member, rows } of members.values()) {
		for (const { members: resources, operations } of productsOf(rows, collectionPairs)) {
			// The fewest conditions that show it for exactly these pairs among the merged collection's.
			const wanted = (r: string, o: string) => resources.includes(r) && operations.has(o);
			const conditions: Array<Record<string, string[]>> = [
				{},
				{ '/operation': [...operations] },
				{ '/resource': resources },
				{ '/resource': resources, '/operation': [...operations] },
			];
			const show = conditions.find((c) =>
				[...collectionPairs].every(([r, ops]) =>
					[...ops].every((o) => ((!c['/resource'] || c['/resource'].includes(r)) && (!c['/operation'] || c['/operation'].includes(o))) === wanted(r, o)),
				),
			)!;
			out.push(Object.keys(show).length ? { ...member, displayOptions: { show } } : member);
		}
	}
	return out.sort((a, b) => a.displayName.localeCompare(b.displayName));
}

/** The properties with what is repeated shared (see the top of this file); the input is not changed. */
export function shareRepeatedProperties(props: INodeProperties[]): INodeProperties[] {
	const graph = new OrderGraph(props);
	const offered: Offered = new Map();
	for (const [r, o] of pairsOf(props)) offered.set(r, (offered.get(r) ?? new Set()).add(o));
	const groups = new Map<string, number[]>();
	props.forEach((p, i) => {
		const key = sharingKey(p);
		if (key !== undefined) groups.set(key, [...(groups.get(key) ?? []), i]);
	});
	// The largest savings first: they win where two merges would cross.
	const worth = (g: [string, number[]]) => g[0].length * (g[1].length - 1);
	for (const [, indexes] of [...groups].filter((g) => g[1].length > 1).sort((a, b) => worth(b) - worth(a)))
		for (const layer of disjointLayers(props, indexes)) for (const product of products(props, layer, offered)) mergeProduct(graph, props, product);
	return graph.order().map((unit) => mergedProperty(props, unit));
}
