/** The IAM role Teleport assumes, its trust policy, description and tags. */
import {
  CreateRoleCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  GetRoleCommand,
  ListAttachedRolePoliciesCommand,
  ListInstanceProfilesForRoleCommand,
  RemoveRoleFromInstanceProfileCommand,
  TagRoleCommand,
  UpdateAssumeRolePolicyCommand,
  UpdateRoleCommand,
  type GetRoleResponse,
  type ListAttachedRolePoliciesResponse,
  type ListInstanceProfilesForRoleResponse,
} from '@aws-sdk/client-iam';
import { allIamPages, isAwsError, type Aws } from '../../clients/aws.js';
import type { Change, Superseded } from '../../model/changes.js';
import type { DesiredState } from '../../model/desired.js';
import { RefusalError } from '../../errors.js';
import { listPolicyNames } from './role-policies.js';
import { CLUSTER_TAG, INTEGRATION_TAG, missingTags, notOwnedBecause, tagList, tagsFromList, tagsToList } from './tags.js';
import { parsePolicyDocument } from './policy-document.js';
import { checkTrustPolicyFits, mergeTrustStatement, trustPolicyDocument } from './trust-policy.js';
import type { RoleState, RoleAttachments } from '../../model/aws.js';

export interface RolePolicy {
  adoptExisting: boolean;
  /** The account's "Role trust policy length" quota: a merge longer than it is refused. */
  trustPolicyQuota: number;
}

export async function observeRole(aws: Aws, name: string): Promise<RoleState | undefined> {
  try {
    return await readRole(aws, name);
  } catch (error) {
    if (isAwsError(error, 'NoSuchEntity')) return undefined;
    throw error;
  }
}

async function readRole(aws: Aws, name: string): Promise<RoleState> {
  const { Role: role } = await aws.send<GetRoleResponse>(aws.iam, new GetRoleCommand({ RoleName: name }));
  if (!role) throw new Error(`iam:GetRole returned no role for ${name}`);
  return {
    arn: role.Arn ?? '',
    name: role.RoleName ?? name,
    description: role.Description ?? '',
    trustPolicy: parsePolicyDocument(role.AssumeRolePolicyDocument ?? '{"Statement":[]}'),
    tags: tagsFromList(role.Tags),
  };
}

/**
 * A role tagged for another cluster or integration is never touched. A role without this
 * integration's teleport.dev/integration tag is touched only when adopting it was asked for.
 */
export function checkRoleOwnership(role: RoleState, desired: DesiredState, policy: RolePolicy): void {
  for (const key of [CLUSTER_TAG, INTEGRATION_TAG]) {
    const value = role.tags[key];
    if (value !== undefined && value !== desired.ownershipTags[key]) {
      throw new RefusalError(
        'iam-role',
        `IAM role "${role.name}" is tagged ${key}=${value}: it belongs to another Teleport ${key === CLUSTER_TAG ? 'cluster' : 'integration'}. ` +
          'Choose another role-name; this action never modifies a role another integration owns.',
      );
    }
  }
  // The integration tag is what marks the role as ours: origin is the same for every
  // integration, and a removed cluster or origin tag is drift to repair, not a stranger's role.
  const missing = missingTags(role.tags, desired.ownershipTags);
  if (role.tags[INTEGRATION_TAG] === undefined && !policy.adoptExisting) {
    throw new RefusalError(
      'iam-role',
      `IAM role "${role.name}" already exists but is not managed by this integration. ` +
        `Add the following tags to allow it to be managed: ${tagList(missing)}; or set adopt-existing-role: true ` +
        '(its trust policy is then merged, never replaced, and the tags are added).',
    );
  }
}

export function planRole(role: RoleState | undefined, desired: DesiredState, policy: RolePolicy): Change[] {
  if (!role) {
    return [
      {
        action: 'create-role',
        resource: 'iam-role',
        target: desired.roleArn,
        reason: `role ${desired.roleName} does not exist`,
        after: { trustPolicy: trustPolicyDocument([desired.trustStatement]), description: desired.roleDescription, tags: desired.tags },
      },
    ];
  }
  checkRoleOwnership(role, desired, policy);
  const changes: Change[] = [];
  const { merged } = mergeTrustStatement(role.trustPolicy, desired.trustStatement);
  if (merged) checkTrustPolicyFits(merged, policy.trustPolicyQuota, role.name, role.arn);
  if (merged) {
    changes.push({
      action: 'update-trust-policy',
      resource: 'trust-policy',
      target: role.arn,
      reason: `no statement lets ${desired.providerArn} assume the role with audience ${desired.clientId}; it is added and every other statement kept`,
      before: role.trustPolicy,
      after: merged,
    });
  }
  if (role.description !== desired.roleDescription) {
    changes.push({
      action: 'update-role-description',
      resource: 'iam-role',
      target: role.arn,
      reason: 'the description differs from role-description',
      before: role.description,
      after: desired.roleDescription,
    });
  }
  const missing = missingTags(role.tags, desired.tags);
  if (Object.keys(missing).length > 0) {
    changes.push({
      action: 'tag-role',
      resource: 'tags',
      target: role.arn,
      reason: `tags missing or different on the role: ${Object.keys(missing).join(', ')}`,
      before: role.tags,
      after: missing,
    });
  }
  return changes;
}

export type RoleChange = Extract<Change, { action: 'create-role' | 'update-role-description' | 'update-trust-policy' | 'tag-role' }>;

export function isRoleChange(change: Change): change is RoleChange {
  return ['create-role', 'update-role-description', 'update-trust-policy', 'tag-role'].includes(change.action);
}

// Right after the provider is created IAM may not know it yet as a principal.
export const isPrincipalNotVisibleYet = (error: unknown): boolean =>
  isAwsError(error, 'MalformedPolicyDocument') && /principal/i.test((error as Error).message);

/**
 * Applies one role change. A create that finds the role already there re-observes it and
 * returns what it still needs (after the ownership check).
 */
export async function applyRoleChange(aws: Aws, change: RoleChange, desired: DesiredState, policy: RolePolicy): Promise<Superseded | undefined> {
  const name = desired.roleName;
  switch (change.action) {
    case 'create-role':
      try {
        await aws.afterCreate(
          'creating the role',
          () =>
            aws.send(
              aws.iam,
              new CreateRoleCommand({
                RoleName: name,
                AssumeRolePolicyDocument: JSON.stringify(change.after.trustPolicy),
                Description: change.after.description,
                Tags: tagsToList(change.after.tags),
              }),
            ),
          isPrincipalNotVisibleYet,
        );
      } catch (error) {
        if (!isAwsError(error, 'EntityAlreadyExists')) throw error;
        const existing = await aws.afterCreate('reading the role another run created', () => readRole(aws, name));
        return { superseded: planRole(existing, desired, policy) };
      }
      // Wait until IAM shows it before Teleport is pointed at it.
      await aws.afterCreate('reading the role just created', () => readRole(aws, name));
      return undefined;
    case 'update-role-description':
      await aws.send(aws.iam, new UpdateRoleCommand({ RoleName: name, Description: change.after }));
      return undefined;
    case 'update-trust-policy': {
      // Merge again into the document as it is now, so a statement added since planning survives.
      const current = await readRole(aws, name);
      const { merged } = mergeTrustStatement(current.trustPolicy, desired.trustStatement);
      // Someone may have lengthened it since planning: still never a write IAM would reject.
      if (merged) checkTrustPolicyFits(merged, policy.trustPolicyQuota, name, current.arn);
      if (merged) {
        await aws.send(aws.iam, new UpdateAssumeRolePolicyCommand({ RoleName: name, PolicyDocument: JSON.stringify(merged) }));
      }
      return undefined;
    }
    case 'tag-role':
      await aws.send(aws.iam, new TagRoleCommand({ RoleName: name, Tags: tagsToList(change.after) }));
      return undefined;
  }
}

/** The managed policies attached to the role (never written by this action: listed by destroy and import). */
export function listManagedPolicyArns(aws: Aws, roleName: string): Promise<string[]> {
  return allIamPages(
    (Marker) =>
      aws.send<ListAttachedRolePoliciesResponse>(aws.iam, new ListAttachedRolePoliciesCommand({ RoleName: roleName, MaxItems: aws.iamPageSize, Marker })),
    (page) => (page.AttachedPolicies ?? []).map((p) => p.PolicyArn ?? '').filter(Boolean),
  );
}

/** Destroy: the role's inline policies, managed policies and instance profiles, read concurrently; none when the role is gone. */
export async function observeRoleAttachments(aws: Aws, roleName: string): Promise<RoleAttachments> {
  try {
    const [inlinePolicies, managedPolicyArns, instanceProfiles] = await Promise.all([
      listPolicyNames(aws, roleName),
      listManagedPolicyArns(aws, roleName),
      allIamPages(
        (Marker) =>
          aws.send<ListInstanceProfilesForRoleResponse>(
            aws.iam,
            new ListInstanceProfilesForRoleCommand({ RoleName: roleName, MaxItems: aws.iamPageSize, Marker }),
          ),
        (page) => (page.InstanceProfiles ?? []).map((p) => p.InstanceProfileName ?? '').filter(Boolean),
      ),
    ]);
    return { inlinePolicies, managedPolicyArns, instanceProfiles };
  } catch (error) {
    if (isAwsError(error, 'NoSuchEntity')) return { inlinePolicies: [], managedPolicyArns: [], instanceProfiles: [] };
    throw error;
  }
}

/**
 * Destroy: only a role tagged for this integration is deleted, after its inline policies
 * (declared or not: each is listed), managed policy attachments and instance profiles.
 */
export function planRoleDeletion(
  role: RoleState | undefined,
  attachments: RoleAttachments,
  integration: string,
  cluster: string | undefined,
  declaredPolicies: string[],
): Change[] {
  if (!role) return [];
  const notOurs = notOwnedBecause(role.tags, integration, cluster);
  if (notOurs) throw new RefusalError('iam-role', `IAM role "${role.name}" is not this integration's: ${notOurs}. Nothing was deleted.`);
  const roleName = role.name;
  return [
    ...[...attachments.inlinePolicies].sort().map((policyName) => {
      const declared = declaredPolicies.includes(policyName);
      return {
        action: 'delete-role-policy' as const,
        resource: 'role-policy' as const,
        target: `${role.arn} (inline policy ${policyName})`,
        roleName,
        policyName,
        declared,
        reason: declared ? 'a declared feature policy, deleted with the role' : 'not declared (added out of band), deleted with the role',
      };
    }),
    ...attachments.managedPolicyArns.map((policyArn) => ({
      action: 'detach-role-policy' as const,
      resource: 'iam-role' as const,
      target: `${role.arn} (managed policy ${policyArn})`,
      roleName,
      policyArn,
      reason: 'IAM deletes no role with managed policies attached; the policy itself is kept',
    })),
    ...attachments.instanceProfiles.map((instanceProfileName) => ({
      action: 'remove-role-from-instance-profile' as const,
      resource: 'iam-role' as const,
      target: `${role.arn} (instance profile ${instanceProfileName})`,
      roleName,
      instanceProfileName,
      reason: 'IAM deletes no role still in an instance profile; the profile itself is kept',
    })),
    { action: 'delete-role', resource: 'iam-role', target: role.arn, roleName, reason: `tagged for ${integration}` },
  ];
}

export type RoleDeletion = Extract<Change, { action: 'delete-role-policy' | 'detach-role-policy' | 'remove-role-from-instance-profile' | 'delete-role' }>;

/** Each deletion is done when what it removes is gone already (a re-run after a kill). */
export async function applyRoleDeletion(aws: Aws, change: RoleDeletion): Promise<void> {
  const command =
    change.action === 'delete-role-policy'
      ? new DeleteRolePolicyCommand({ RoleName: change.roleName, PolicyName: change.policyName })
      : change.action === 'detach-role-policy'
        ? new DetachRolePolicyCommand({ RoleName: change.roleName, PolicyArn: change.policyArn })
        : change.action === 'remove-role-from-instance-profile'
          ? new RemoveRoleFromInstanceProfileCommand({ RoleName: change.roleName, InstanceProfileName: change.instanceProfileName })
          : new DeleteRoleCommand({ RoleName: change.roleName });
  try {
    await aws.send(aws.iam, command);
  } catch (error) {
    if (!isAwsError(error, 'NoSuchEntity')) throw error;
  }
}
