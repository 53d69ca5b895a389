/** The IAM role Teleport assumes: itself, its trust policy and its tags (with the provider's). */
import type { Deletion } from '../../model/changes.js';
import {
  applyRoleChange,
  applyRoleDeletion,
  isRoleChange,
  observeRole,
  observeRoleAttachments,
  planRole,
  planRoleDeletion,
  type RoleDeletion,
} from '../../resources/aws/role.js';
import { kindOf } from './kind.js';

const ROLE_DELETIONS = new Set(['delete-role-policy', 'detach-role-policy', 'remove-role-from-instance-profile', 'delete-role']);

export const ROLE = kindOf({
  kind: 'IAM role',
  resources: ['iam-role', 'trust-policy', 'tags'],
  observe: async ({ settings, deps }) => {
    const read = observeRole(deps.aws, settings.roleName);
    // A check over many entries reads the tags of every role that trusts the provider: this
    // entry's own come with its role, registered before any entry's scan can ask for them.
    const shared = deps.shared;
    if (shared) {
      const key = `iam:role-tags:${settings.roleName}`;
      // A failed read is this entry's failure; the next asker reads again.
      shared.read(key, () => read.then((role) => role?.tags ?? {})).catch(() => shared.forget(key));
    }
    return { observed: { role: await read } };
  },
  plan: ({ observed, desired, settings }) =>
    planRole(observed.role, desired, { adoptExisting: settings.adoptExistingRole, trustPolicyQuota: settings.trustPolicyQuota }),
  owns: isRoleChange,
  apply: (change, { aws, desired, settings }) =>
    applyRoleChange(aws, change, desired, { adoptExisting: settings.adoptExistingRole, trustPolicyQuota: settings.trustPolicyQuota }),
  rows: ({ desired }) => ({
    'iam-role': { target: desired.roleArn, unchanged: 'exists and is tagged for this integration' },
    'trust-policy': { target: desired.roleArn, unchanged: `lets ${desired.providerArn} in with audience ${desired.clientId}` },
    tags: { target: `${desired.providerArn}, ${desired.roleArn}`, unchanged: 'every tag is present on the provider and the role' },
  }),
  destruction: {
    observe: async ({ settings, deps: { aws } }) => {
      const [role, attachments] = await Promise.all([observeRole(aws, settings.roleName), observeRoleAttachments(aws, settings.roleName)]);
      return { role, attachments };
    },
    // Its inline policies, managed policy attachments and instance profiles first, as IAM requires.
    plan: ({ observed, settings, clusterName, desired }) =>
      planRoleDeletion(
        observed.role,
        observed.attachments,
        settings.integration,
        clusterName,
        desired.rolePolicies.map((p) => p.name),
      ) as Deletion[],
    deletes: (change): change is RoleDeletion => ROLE_DELETIONS.has(change.action),
    delete: (change: RoleDeletion, { aws }) => applyRoleDeletion(aws, change),
  },
});
