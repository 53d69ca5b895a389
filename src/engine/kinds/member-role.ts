/** The management account's own member role (a service-managed StackSet never deploys there). */
import type { Deletion } from '../../model/changes.js';
import { isMemberRoleChange, planMemberRoleDeletion } from '../../resources/aws/organization/member-role.js';
import { applyOwnedRoleChange, deleteOwnedRole, isOwnedRoleDeletion, type OwnedRoleDeletion } from '../../resources/aws/owned-role.js';
import { planManagementRole } from '../organization.js';
import { kindOf } from './kind.js';

const roleArn = (partition: string, account: string, name: string) => `arn:${partition}:iam::${account}:role/${name}`;

export const MEMBER_ROLE = kindOf({
  kind: 'member role',
  resources: ['member-role'],
  plan: ({ observed, desired, identity }) => {
    const organization = desired.organization;
    if (!organization || !observed.organization) return [];
    return planManagementRole(organization, observed.organization, roleArn(identity.partition, identity.account, organization.memberRole.name));
  },
  owns: isMemberRoleChange,
  apply: async (change, { aws }) => void (await applyOwnedRoleChange(aws, change)),
  rows: ({ desired, identity, observed }) => {
    const organization = desired.organization;
    if (!organization?.writesManagementRole) return {};
    const inScope = observed.organization?.scoped.managementInScope ?? false;
    return {
      'member-role': {
        target: roleArn(identity.partition, identity.account, organization.memberRole.name),
        unchanged: inScope
          ? 'exists in the management account, trusting the integration role from inside the organization'
          : 'not needed: the management account is outside the scope',
      },
    };
  },
  destruction: {
    plan: ({ observed, settings }) =>
      observed.organization ? (planMemberRoleDeletion(observed.organization.managementRole, settings.integration) as Deletion[]) : [],
    deletes: (change): change is OwnedRoleDeletion & Deletion => isOwnedRoleDeletion('member-role')(change),
    delete: (change: OwnedRoleDeletion, { aws }) => deleteOwnedRole(aws, change),
  },
});
