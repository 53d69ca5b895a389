/**
 * A role this action owns beside the integration role (the organization's member role in the
 * management account, deploy-service's task role): its own only when tagged for the integration,
 * anything else of that name refused, never adopted. Its trust policy is merged (a statement
 * someone added stays), its one inline policy compared as data, its tags added; destroy deletes
 * it, inline policy first, only when it is ours.
 */
import {
  CreateRoleCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  GetRolePolicyCommand,
  PutRolePolicyCommand,
  TagRoleCommand,
  UpdateAssumeRolePolicyCommand,
  type GetRolePolicyResponse,
} from '@aws-sdk/client-iam';
import { isAwsError, type Aws } from '../../clients/aws.js';
import { RefusalError } from '../../errors.js';
import type { DesiredOwnedRole, OwnedRoleKind, OwnedRoleState, Statement } from '../../model/aws.js';
import type { Change } from '../../model/changes.js';
import { parsePolicyDocument, samePolicy } from './policy-document.js';
import { observeRole } from './role.js';
import { INTEGRATION_TAG, missingTags, tagList, tagsToList } from './tags.js';
import { mergeTrustStatement } from './trust-policy.js';

export async function observeOwnedRole(aws: Aws, name: string, policyName: string): Promise<OwnedRoleState | undefined> {
  const role = await observeRole(aws, name);
  if (!role) return undefined;
  try {
    const output = await aws.send<GetRolePolicyResponse>(aws.iam, new GetRolePolicyCommand({ RoleName: name, PolicyName: policyName }));
    return { role, policy: parsePolicyDocument(output.PolicyDocument ?? '') };
  } catch (error) {
    if (isAwsError(error, 'NoSuchEntity')) return { role, policy: undefined };
    throw error;
  }
}

/** How a kind of owned role speaks: why it is created, and what to do when its name is taken. */
export interface OwnedRoleWords {
  /** Where it lives, for the refusal ("in the management account"). */
  where: string;
  createReason: string;
  /** The way out of a refusal: another name, in the input that names it. */
  otherName: string;
}

export function planOwnedRole(
  kind: OwnedRoleKind,
  live: OwnedRoleState | undefined,
  wanted: DesiredOwnedRole,
  target: string,
  integration: string,
  words: OwnedRoleWords,
): Change[] {
  if (!live) return [{ action: `create-${kind}`, resource: kind, target, reason: words.createReason, after: wanted }];
  if (live.role.tags[INTEGRATION_TAG] !== integration) {
    throw new RefusalError(
      kind,
      `Role ${wanted.name} exists ${words.where} without tag ${INTEGRATION_TAG}=${integration} (${tagList(live.role.tags)}): it is someone else's, and is never changed. ` +
        `${words.otherName}, or tag that role for this integration once you have checked it may be replaced.`,
      target,
    );
  }
  const trust = mergeTrustStatement(live.role.trustPolicy, (wanted.trustPolicy.Statement as Statement[])[0]);
  const tags = missingTags(live.role.tags, wanted.tags);
  const policyDiffers = !live.policy || !samePolicy(live.policy, wanted.policy);
  const parts = [
    ...(trust.merged ? [`its trust policy lacks ${trustedBy(wanted)}`] : []),
    ...(policyDiffers ? [`inline policy ${wanted.policyName} ${live.policy ? 'differs' : 'is missing'}`] : []),
    ...(Object.keys(tags).length > 0 ? [`tags missing: ${tagList(tags)}`] : []),
  ];
  if (parts.length === 0) return [];
  return [
    {
      action: `update-${kind}`,
      resource: kind,
      target,
      reason: parts.join('; '),
      roleName: wanted.name,
      trustPolicy: trust.merged,
      policy: policyDiffers ? { name: wanted.policyName, document: wanted.policy } : undefined,
      tags: Object.keys(tags).length > 0 ? tags : undefined,
    },
  ];
}

/** Who the role's trust statement lets in, in words: a service (the task role), else the integration role (the member role). */
function trustedBy(role: DesiredOwnedRole): string {
  const principal = (role.trustPolicy.Statement as Statement[])[0]?.Principal as Record<string, string> | undefined;
  return principal?.Service ?? 'the integration role';
}

export type OwnedRoleChange = Extract<Change, { action: `create-${OwnedRoleKind}` | `update-${OwnedRoleKind}` }>;
export type OwnedRoleDeletion = Extract<Change, { action: `delete-${OwnedRoleKind}` }>;

export const isOwnedRoleChange =
  (kind: OwnedRoleKind) =>
  (change: Change): change is OwnedRoleChange =>
    change.action === `create-${kind}` || change.action === `update-${kind}`;

export const isOwnedRoleDeletion =
  (kind: OwnedRoleKind) =>
  (change: Change): change is OwnedRoleDeletion =>
    change.action === `delete-${kind}`;

export async function applyOwnedRoleChange(aws: Aws, change: OwnedRoleChange): Promise<void> {
  if ('after' in change) {
    const role = change.after;
    await aws.send(
      aws.iam,
      new CreateRoleCommand({
        RoleName: role.name,
        Description: role.description,
        AssumeRolePolicyDocument: JSON.stringify(role.trustPolicy),
        Tags: tagsToList(role.tags),
      }),
    );
    const put = new PutRolePolicyCommand({ RoleName: role.name, PolicyName: role.policyName, PolicyDocument: JSON.stringify(role.policy) });
    await aws.afterCreate(`writing ${role.policyName} on ${role.name}`, () => aws.send(aws.iam, put));
    return;
  }
  if (change.trustPolicy) {
    await aws.send(aws.iam, new UpdateAssumeRolePolicyCommand({ RoleName: change.roleName, PolicyDocument: JSON.stringify(change.trustPolicy) }));
  }
  if (change.policy) {
    await aws.send(
      aws.iam,
      new PutRolePolicyCommand({ RoleName: change.roleName, PolicyName: change.policy.name, PolicyDocument: JSON.stringify(change.policy.document) }),
    );
  }
  if (change.tags) await aws.send(aws.iam, new TagRoleCommand({ RoleName: change.roleName, Tags: tagsToList(change.tags) }));
}

/** Destroy: only a role tagged for this integration; its inline policy first, as IAM requires. */
export function planOwnedRoleDeletion(
  kind: OwnedRoleKind,
  live: OwnedRoleState | undefined,
  policyName: string,
  target: string,
  integration: string,
): Change[] {
  if (!live || live.role.tags[INTEGRATION_TAG] !== integration) return [];
  return [
    {
      action: `delete-${kind}`,
      resource: kind,
      target,
      roleName: live.role.name,
      policyName: live.policy ? policyName : undefined,
      reason: `tagged for ${integration}`,
    },
  ];
}

export async function deleteOwnedRole(aws: Aws, change: OwnedRoleDeletion): Promise<void> {
  if (change.policyName) await aws.send(aws.iam, new DeleteRolePolicyCommand({ RoleName: change.roleName, PolicyName: change.policyName }));
  await aws.send(aws.iam, new DeleteRoleCommand({ RoleName: change.roleName }));
}
