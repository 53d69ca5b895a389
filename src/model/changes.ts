import type { IntegrationResource } from '../clients/tctl.js';
import type { DesiredOwnedRole, OwnedRoleKind, PolicyDocument, PolicyOwner } from './aws.js';
import type { DiscoveryConfigResource, JoinTokenResource } from './teleport.js';
import type { Tags } from '../config/tags.js';
import type { DesiredStackSet } from './organization.js';
import type { AwsRaIntegrationResource, DesiredProfile, DesiredTrustAnchor, ProfileKind } from './roles-anywhere.js';

/** The resources the action reconciles, in the order they are applied. */
export const RESOURCES = [
  'oidc-provider',
  'iam-role',
  'trust-policy',
  'tags',
  'role-policy',
  'task-role',
  // Console roles trust the integration role: after it exists.
  'console-role',
  // The member role trusts the integration role: IAM refuses a trust policy naming a role not made yet.
  'stack-set',
  'stack-instances',
  'member-role',
  'ssm-document',
  'teleport-integration',
  // The token before the discovery_config that names it: instances found must be able to join.
  'teleport-join-token',
  'teleport-discovery-config',
  // Roles Anywhere (an aws-ra integration): the trust anchor before the sync role that trusts it,
  // the role before the profile that names it, the integration last.
  'trust-anchor',
  'sync-role',
  'sync-profile',
  // A profile's roles trust Roles Anywhere before the profile is made.
  'profile-role',
  'access-profile',
  'teleport-ra-integration',
] as const;
export type Resource = (typeof RESOURCES)[number];

export const RESOURCE_TITLES: Record<Resource, string> = {
  'oidc-provider': 'OIDC provider',
  'iam-role': 'IAM role',
  'trust-policy': 'Trust policy',
  tags: 'Tags',
  'role-policy': 'Feature policy',
  'task-role': 'Task role (deploy-service)',
  'console-role': 'Console roles (aws-app-access)',
  'stack-set': 'StackSet',
  'stack-instances': 'Stack instances',
  'member-role': 'Member role (management account)',
  'ssm-document': 'SSM document',
  'teleport-integration': 'Teleport integration',
  'teleport-join-token': 'Teleport join token',
  'teleport-discovery-config': 'Teleport discovery_config',
  'trust-anchor': 'Roles Anywhere trust anchor',
  'sync-role': 'Profile sync role',
  'sync-profile': 'Profile sync profile',
  'profile-role': "Access profiles' roles",
  'access-profile': 'Access profiles',
  'teleport-ra-integration': 'Teleport integration (aws-ra)',
};

/** One field of a Teleport resource that differs, as text a reviewer reads. */
export interface FieldDiff {
  field: string;
  live: string;
  declared: string;
}

interface ChangeBase {
  resource: Resource;
  /** ARN or name of what changes. */
  target: string;
  /** Why, in words a reviewer understands. */
  reason: string;
}

/** An SSM document is named per region. */
interface DocumentRef {
  region: string;
  name: string;
}

/** A stack set's instances are written by targeting units; `accounts` are the ones that change. */
interface InstancesRef {
  stackSet: string;
  region: string;
  callAs: DesiredStackSet['callAs'];
  units: string[];
  accounts: string[];
}

/** One planned write. `after` carries exactly what will be written. */
export type Change =
  | (ChangeBase & { action: 'create-provider'; after: { url: string; clientIds: string[]; thumbprints: string[]; tags: Tags } })
  | (ChangeBase & { action: 'add-client-id'; before: string[]; after: string })
  | (ChangeBase & { action: 'update-thumbprints'; before: string[]; after: string[] })
  | (ChangeBase & { action: 'tag-provider'; before: Tags; after: Tags })
  | (ChangeBase & { action: 'create-role'; after: { trustPolicy: PolicyDocument; description: string; tags: Tags } })
  | (ChangeBase & { action: 'update-role-description'; before: string; after: string })
  | (ChangeBase & { action: 'update-trust-policy'; before: PolicyDocument; after: PolicyDocument })
  | (ChangeBase & { action: 'tag-role'; before: Tags; after: Tags })
  | (ChangeBase & { action: 'create-role-policy'; feature: PolicyOwner; policyName: string; after: PolicyDocument })
  | (ChangeBase & { action: 'update-role-policy'; feature: PolicyOwner; policyName: string; before: PolicyDocument; after: PolicyDocument })
  | (ChangeBase & DocumentRef & { action: 'create-document'; after: { content: string; tags: Tags } })
  | (ChangeBase & DocumentRef & { action: 'update-document'; before: string; after: string })
  | (ChangeBase & DocumentRef & { action: 'tag-document'; before: Tags; after: Tags })
  | (ChangeBase & { action: 'create-stack-set'; after: DesiredStackSet })
  | (ChangeBase & { action: 'update-stack-set'; fields: FieldDiff[]; after: DesiredStackSet })
  | (ChangeBase & InstancesRef & { action: 'create-stack-instances'; excludeAccounts: string[] })
  | (ChangeBase & InstancesRef & { action: 'update-stack-instances' })
  // A member role changed inside its account (drift detection said DRIFTED): its instance made again.
  | (ChangeBase & InstancesRef & { action: 'redeploy-stack-instances' })
  // Apply takes instances out of accounts the scope no longer covers; destroy deletes them all.
  | (ChangeBase & InstancesRef & { action: 'remove-stack-instances' })
  | (ChangeBase & InstancesRef & { action: 'delete-stack-instances' })
  // A role this action owns beside the integration role (model/aws.ts, OwnedRoleKind).
  | (ChangeBase & { action: `create-${OwnedRoleKind}`; after: DesiredOwnedRole })
  | (ChangeBase & {
      action: `update-${OwnedRoleKind}`;
      roleName: string;
      trustPolicy: PolicyDocument | undefined;
      policy: { name: string; document: PolicyDocument } | undefined;
      tags: Tags | undefined;
    })
  // A console role (aws-app-access): the statement and tags apply adds; undefined parts are left as they are.
  | (ChangeBase & { action: 'update-console-role'; roleName: string; trustPolicy: PolicyDocument | undefined; tags: Tags | undefined })
  | (ChangeBase & { action: 'create-trust-anchor'; after: DesiredTrustAnchor })
  | (ChangeBase & {
      action: 'update-trust-anchor';
      trustAnchorId: string;
      fields: FieldDiff[];
      /** The bundle to write; undefined when it already holds the current certificates. */
      certificates: string[] | undefined;
      enable: boolean;
      tags: Tags | undefined;
    })
  // A Roles Anywhere profile this action keeps (model/roles-anywhere.ts, ProfileKind).
  | (ChangeBase & { action: `create-${ProfileKind}`; after: DesiredProfile })
  | (ChangeBase & {
      action: `update-${ProfileKind}`;
      profileId: string;
      fields: FieldDiff[];
      roleArns: string[] | undefined;
      durationSeconds: number | undefined;
      enable: boolean;
      tags: Tags | undefined;
    })
  | (ChangeBase & { action: `delete-${ProfileKind}`; profileId: string })
  | (ChangeBase & { action: 'update-profile-role'; roleName: string; trustPolicy: PolicyDocument | undefined; tags: Tags | undefined })
  | (ChangeBase & { action: 'release-profile-role'; roleName: string; trustPolicy: PolicyDocument | undefined; untag: string[]; tags: Tags | undefined })
  | (ChangeBase & { action: 'create-ra-integration'; after: AwsRaIntegrationResource })
  | (ChangeBase & { action: 'update-ra-integration'; fields: FieldDiff[]; before: AwsRaIntegrationResource; after: AwsRaIntegrationResource })
  | (ChangeBase & { action: 'delete-ra-integration'; name: string })
  | (ChangeBase & { action: 'delete-trust-anchor'; trustAnchorId: string })
  | (ChangeBase & { action: 'create-integration'; after: IntegrationResource })
  | (ChangeBase & { action: 'update-integration'; before: IntegrationResource; after: IntegrationResource })
  | (ChangeBase & { action: 'create-join-token'; after: JoinTokenResource })
  | (ChangeBase & { action: 'update-join-token'; fields: FieldDiff[]; before: JoinTokenResource; after: JoinTokenResource })
  | (ChangeBase & { action: 'create-discovery-config'; after: DiscoveryConfigResource })
  | (ChangeBase & { action: 'update-discovery-config'; fields: FieldDiff[]; before: DiscoveryConfigResource; after: DiscoveryConfigResource })
  // Destroy, in this order: the stack set's instances and the set, the management account's member
  // role, the discovery_configs and the token (they use the integration), the
  // integration, the documents, the role's attachments and the role, the provider.
  | (ChangeBase & { action: 'delete-stack-set'; stackSet: string; region: string; callAs: DesiredStackSet['callAs'] })
  | (ChangeBase & { action: `delete-${OwnedRoleKind}`; roleName: string; policyName: string | undefined })
  // Destroy takes back from a console role what apply added; the role stays.
  | (ChangeBase & { action: 'release-console-role'; roleName: string; trustPolicy: PolicyDocument | undefined; untag: string[]; tags: Tags | undefined })
  | (ChangeBase & { action: 'delete-discovery-config'; name: string })
  | (ChangeBase & { action: 'delete-join-token'; name: string })
  | (ChangeBase & { action: 'delete-integration'; name: string })
  | (ChangeBase & DocumentRef & { action: 'delete-document' })
  | (ChangeBase & { action: 'delete-role-policy'; roleName: string; policyName: string; declared: boolean })
  | (ChangeBase & { action: 'detach-role-policy'; roleName: string; policyArn: string })
  | (ChangeBase & { action: 'remove-role-from-instance-profile'; roleName: string; instanceProfileName: string })
  | (ChangeBase & { action: 'delete-role'; roleName: string })
  | (ChangeBase & { action: 'delete-provider' });

export type ChangeAction = Change['action'];

/** Deletions, kept apart from the reconciling changes: each applies with its own call. */
export type Deletion = Extract<
  Change,
  {
    action:
      | 'delete-stack-instances'
      | 'delete-stack-set'
      | `delete-${OwnedRoleKind}`
      | 'release-console-role'
      | 'delete-ra-integration'
      | `delete-${ProfileKind}`
      | 'release-profile-role'
      | 'delete-trust-anchor'
      | 'delete-discovery-config'
      | 'delete-join-token'
      | 'delete-integration'
      | 'delete-document'
      | 'delete-role-policy'
      | 'detach-role-policy'
      | 'remove-role-from-instance-profile'
      | 'delete-role'
      | 'delete-provider';
  }
>;

export function sortChanges(changes: Change[]): Change[] {
  return [...changes].sort((a, b) => RESOURCES.indexOf(a.resource) - RESOURCES.indexOf(b.resource));
}

/** A create found the resource already made by someone else: these repairs replace it. */
export interface Superseded {
  superseded: Change[];
}
