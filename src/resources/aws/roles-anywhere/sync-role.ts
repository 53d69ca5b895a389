/**
 * The role Teleport's profile sync runs as, exactly as `teleport integration configure
 * awsra-trust-anchor` makes it (lib/integrations/awsra/trustanchor_config.go and its test): trusted
 * by rolesanywhere.amazonaws.com for sts:AssumeRole, sts:SetSourceIdentity and sts:TagSession,
 * only from the integration's trust anchor (ArnEquals aws:SourceArn), with the inline policy
 * TeleportRolesAnywhereProfileSync. A role of its own (owned-role.ts).
 */
import type { Aws } from '../../../clients/aws.js';
import type { Tags } from '../../../config/tags.js';
import type { DesiredOwnedRole, OwnedRoleState } from '../../../model/aws.js';
import type { Change } from '../../../model/changes.js';
import { observeOwnedRole, planOwnedRole, planOwnedRoleDeletion } from '../owned-role.js';
import { trustPolicyDocument } from '../trust-policy.js';

export const SYNC_POLICY_NAME = 'TeleportRolesAnywhereProfileSync';
const DESCRIPTION = 'Used by Teleport to provide access to AWS resources.';

export function desiredSyncRole(name: string, trustAnchorArn: string, tags: Tags): DesiredOwnedRole {
  return {
    name,
    description: DESCRIPTION,
    trustPolicy: trustPolicyDocument([
      {
        Effect: 'Allow',
        Action: ['sts:AssumeRole', 'sts:SetSourceIdentity', 'sts:TagSession'],
        Principal: { Service: 'rolesanywhere.amazonaws.com' },
        Condition: { ArnEquals: { 'aws:SourceArn': trustAnchorArn } },
      },
    ]),
    policyName: SYNC_POLICY_NAME,
    policy: {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'RolesAnywhereProfileSync',
          Effect: 'Allow',
          Action: ['rolesanywhere:ListProfiles', 'rolesanywhere:ListTagsForResource', 'rolesanywhere:ImportCrl', 'iam:GetRole'],
          Resource: '*',
        },
      ],
    },
    tags,
  };
}

export const observeSyncRole = (aws: Aws, name: string): Promise<OwnedRoleState | undefined> => observeOwnedRole(aws, name, SYNC_POLICY_NAME);

export function planSyncRole(live: OwnedRoleState | undefined, wanted: DesiredOwnedRole, arn: string, integration: string): Change[] {
  return planOwnedRole('sync-role', live, wanted, arn, integration, {
    where: 'in this account',
    createReason: "Teleport's profile sync runs as it, from the integration's trust anchor only",
    otherName: 'Choose another sync-role under roles-anywhere',
  });
}

export function planSyncRoleDeletion(live: OwnedRoleState | undefined, integration: string): Change[] {
  return live ? planOwnedRoleDeletion('sync-role', live, SYNC_POLICY_NAME, live.role.arn, integration) : [];
}
