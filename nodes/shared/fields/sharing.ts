/**
 * Sharing what is repeated: one property for several operations where the built properties repeat it.
 *
 * An operation's fields are built per operation (properties.ts), so many top-level properties are the same
 * object but for `displayOptions.show.resource` / `.operation`: the same "Customer ID" locator, the same
 * "Return All", the same "Filters" collection for the list operations of many resources. n8n shows a property
 * when every key of its `show` matches (an AND of ORs), so one property shown for the resources R and the
 * operations O stands exactly for the identical properties of every pair in R × O. This pass merges such
 * properties where
 * - the pairs they were shown for are exactly a product R × O (one resource and several operations, or
 *   several resources with the same operations);
 * - no (resource, operation) changes the order of what it shows: n8n shows properties in array order, so
 *   merged properties must fit one order that keeps every pair's order. Each pair's properties, in array
 *   order, are edges of a graph over the properties; a merge is made only if it leaves that graph without a
 *   cycle, and the result is its topological order, closest to the original.
 * Names, values, defaults and every other display condition are unchanged, so saved workflows and the wire are
 * too. test/engine/sharing.test.ts checks every pair with n8n-workflow's own display logic.
 */
import type { INodeProperties } from 'n8n-workflow';

import { N8N_CUSTOM_API_CALL as CUSTOM } from './custom-call';

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

/** What makes properties the same: everything but the resource and operation they show for (or undefined: not shared). */
function sharingKey(p: INodeProperties): string | undefined {
	const show = showOf(p);
	const hide = p.displayOptions?.hide as Show | undefined;
	if (strings(show?.resource)?.length !== 1 || !strings(show?.operation) || hide?.resource || hide?.operation) return undefined;
	const rest = Object.fromEntries(Object.entries(show!).filter(([k]) => k !== 'resource' && k !== 'operation'));
	return JSON.stringify({ ...p, displayOptions: { ...p.displayOptions, show: rest } });
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
 * Identical properties with disjoint pairs (of one resource each), cut into products R × O: resources with the
 * same operations. (Cutting the other way, or greedily from the largest product, found no fewer products in
 * any node.)
 */
function products(props: INodeProperties[], indexes: number[]): number[][] {
	const rows = new Map<string, { operations: Set<string>; indexes: number[] }>();
	for (const i of indexes) {
		const row = rows.get(resourceOf(props[i])) ?? { operations: new Set<string>(), indexes: [] };
		for (const o of operationsOf(props[i])) row.operations.add(o);
		row.indexes.push(i);
		rows.set(resourceOf(props[i]), row);
	}
	const groups = new Map<string, number[]>();
	for (const row of rows.values()) {
		const key = JSON.stringify([...row.operations].sort());
		groups.set(key, [...(groups.get(key) ?? []), ...row.indexes]);
	}
	return [...groups.values()];
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
	return { ...first, displayOptions: { ...first.displayOptions, show } } as INodeProperties;
}

/** The properties with what is repeated shared (see the top of this file); the input is not changed. */
export function shareRepeatedProperties(props: INodeProperties[]): INodeProperties[] {
	const graph = new OrderGraph(props);
	const groups = new Map<string, number[]>();
	props.forEach((p, i) => {
		const key = sharingKey(p);
		if (key !== undefined) groups.set(key, [...(groups.get(key) ?? []), i]);
	});
	// The largest savings first: they win where two merges would cross.
	const worth = (g: [string, number[]]) => g[0].length * (g[1].length - 1);
	for (const [, indexes] of [...groups].filter((g) => g[1].length > 1).sort((a, b) => worth(b) - worth(a)))
		for (const layer of disjointLayers(props, indexes)) for (const product of products(props, layer)) mergeProduct(graph, props, product);
	return graph.order().map((unit) => mergedProperty(props, unit));
}
