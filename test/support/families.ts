/** Every family node of the package with its descriptor, for tests that run over all operations. */
import type { INodeType } from 'n8n-workflow';

import { family as core } from '../../generated/families/core';
import type { FamilyDescriptor } from '../../nodes/shared/descriptor-types';
import { StripeCore } from '../../nodes/StripeCore/StripeCore.node';

export const FAMILY_NODES: Array<{ family: FamilyDescriptor; nodeType: INodeType }> = [{ family: core, nodeType: new StripeCore() }];
