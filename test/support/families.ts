/** Every family node of the package with its descriptor, for tests that run over all operations. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { INodeType } from 'n8n-workflow';

import type { FamilyDescriptor } from '../../nodes/shared/model/descriptor';

const ROOT = path.join(__dirname, '../..');

interface FamilyNode {
	key: string;
	className: string;
	family: FamilyDescriptor;
	nodeType: INodeType;
}

function load(): FamilyNode[] {
	const map = JSON.parse(fs.readFileSync(path.join(ROOT, '../descriptors/family-map.json'), 'utf8')) as {
		families: Record<string, { className: string }>;
	};
	const out: FamilyNode[] = [];
	for (const [key, { className }] of Object.entries(map.families)) {
		const nodeFile = path.join(ROOT, 'nodes', className, `${className}.node.js`);
		if (!fs.existsSync(nodeFile)) continue;

		const { family } = require(path.join(ROOT, 'generated/families', `${key}.js`)) as { family: FamilyDescriptor };

		const NodeClass = require(nodeFile)[className] as new () => INodeType;
		out.push({ key, className, family, nodeType: new NodeClass() });
	}
	return out;
}

export const FAMILY_NODES: FamilyNode[] = load();
