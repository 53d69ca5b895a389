/** The StackSet that rolls the member role out to the organization's accounts in scope, and its instances. */
import type { Deletion } from '../../model/changes.js';
import { applyStackSetChange, isStackSetChange, planStackSetDeletion } from '../../resources/aws/organization/stack-set.js';
import { observeOrganization, planStackSetSide, stackSetReads, stackSetWait } from '../organization.js';
import { organizationOf } from '../../config/discovery.js';
import { kindOf } from './kind.js';

type StackSetDeletion = Extract<Deletion, { action: 'delete-stack-instances' | 'delete-stack-set' }>;

export const STACK_SET = kindOf({
  kind: 'StackSet',
  resources: ['stack-set', 'stack-instances'],
  // The organization, its tree, the set and its instances, the management account's member role: one read for both kinds.
  observe: async ({ settings, deps, identity }) => {
    const scope = organizationOf(settings.discovery);
    return {
      observed: {
        organization: scope
          ? await observeOrganization(deps.aws, scope, identity, settings.integration, false, stackSetReads(settings, deps.aws, deps.logger))
          : undefined,
      },
    };
  },
  plan: ({ observed, desired }) => (desired.organization && observed.organization ? planStackSetSide(desired.organization, observed.organization) : []),
  owns: isStackSetChange,
  apply: async (change, { aws, logger, settings }) => void (await applyStackSetChange(aws, change, stackSetWait(settings, aws, logger))),
  rows: ({ desired }) => {
    const stackSet = desired.organization?.stackSet;
    if (!stackSet) return {};
    const target = `stackset/${stackSet.name} (${stackSet.region})`;
    return {
      'stack-set': { target, unchanged: 'service-managed, automatic deployment, the member role as declared' },
      'stack-instances': { target, unchanged: 'one in every account in scope, none outside it' },
    };
  },
  destruction: {
    // The management account's member role is read wherever the scope now stands.
    observe: async ({ settings, deps, identity }) => {
      const scope = organizationOf(settings.discovery);
      return {
        organization: scope
          ? await observeOrganization(deps.aws, scope, identity, settings.integration, true, stackSetReads(settings, deps.aws, deps.logger))
          : undefined,
      };
    },
    // The instances (waited for), then the set: before anything else, the member roles trust the integration role.
    plan: ({ observed, desired, settings }) => {
      const organization = observed.organization;
      const stackSet = desired.organization?.stackSet;
      return organization && stackSet
        ? (planStackSetDeletion(organization.stackSet, organization.instances, stackSet, organization.tree.roots, settings.integration) as Deletion[])
        : [];
    },
    deletes: (change): change is StackSetDeletion => change.action === 'delete-stack-instances' || change.action === 'delete-stack-set',
    delete: async (change: StackSetDeletion, { aws, logger, settings }) => void (await applyStackSetChange(aws, change, stackSetWait(settings, aws, logger))),
  },
});
