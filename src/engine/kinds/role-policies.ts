/** The role's inline policies: one per declared feature, and discovery's (the role's own deletion removes them on destroy). */
import { applyRolePolicyChange, isRolePolicyChange, observeRolePolicies, planRolePolicies } from '../../resources/aws/role-policies.js';
import { rolePoliciesFor } from '../desired.js';
import { kindOf } from './kind.js';

export const ROLE_POLICIES = kindOf({
  kind: 'inline policy',
  resources: ['role-policy'],
  // The declared ones by name (their documents name the organization, read elsewhere; their names do not); check lists every name.
  observe: async ({ settings, deps, identity }) => {
    const names = rolePoliciesFor(settings, { partition: identity.partition, account: identity.account, region: deps.aws.region }).map((p) => p.name);
    return { observed: { rolePolicies: await observeRolePolicies(deps.aws, settings.roleName, names, settings.mode === 'check') } };
  },
  // A role that is not ours gets no policy either.
  plan: ({ observed, desired, refused }) =>
    refused('iam-role') ? [] : planRolePolicies(observed.role ? observed.rolePolicies : undefined, desired.rolePolicies, desired.roleArn),
  owns: isRolePolicyChange,
  apply: async (change, { aws, desired }) => void (await applyRolePolicyChange(aws, change, desired.roleName)),
  // Reported per feature (report/features.ts).
  rows: () => ({}),
});
