/**
 * The member role: the same name in every account in scope, trusting the integration role only
 * from inside the organization, with the EC2 discovery actions (organizations.md, "Permissions").
 * Its documents feed the StackSet's template and the management account's own copy, which this
 * module observes, plans, writes and deletes directly (a service-managed StackSet never deploys
 * to the management account).
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
import { isAwsError, type Aws } from '../../../clients/aws.js';
import { ALL_REGIONS, type DiscoveryDeclaration, type OrganizationScope } from '../../../config/discovery.js';
import type { Tags } from '../../../config/tags.js';
import { RefusalError } from '../../../errors.js';
import type { FeaturePolicy, Json, Statement } from '../../../model/aws.js';
import type { Change } from '../../../model/changes.js';
import type { DesiredMemberRole, MemberRoleState } from '../../../model/organization.js';
import { DISCOVERY_ACTIONS } from '../discovery-policy.js';
import { parsePolicyDocument, samePolicy } from '../policy-document.js';
import { observeRole } from '../role.js';
import { INTEGRATION_TAG, missingTags, tagList, tagsToList } from '../tags.js';
import { mergeTrustStatement, trustPolicyDocument } from '../trust-policy.js';

/** The integration role's inline policy for walking the organization and validating joins. */
export const ORGANIZATION_POLICY_NAME = 'TeleportOrganizationDiscovery';
/** The member role's inline policy. */
export const MEMBER_POLICY_NAME = 'TeleportEC2Discovery';

/**
 * The integration role's account enumeration (the tree, and the member role in accounts of this
 * organization only) and join validation (a joining instance's account): the Terraform module's
 * two policies, as one.
 */
export function organizationPolicy(scope: OrganizationScope, partition: string, organizationId: string): FeaturePolicy {
  return {
    feature: 'discovery',
    name: ORGANIZATION_POLICY_NAME,
    note: `the Discovery Service walks organization ${organizationId} and assumes ${scope.memberRole} in its accounts; Auth checks a joining instance's account`,
    document: {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'AccountEnumeration',
          Effect: 'Allow',
          Action: ['organizations:ListAccountsForParent', 'organizations:ListChildren', 'organizations:ListRoots'],
          Resource: '*',
        },
        {
          Sid: 'AssumeMemberRole',
          Effect: 'Allow',
          Action: 'sts:AssumeRole',
          Resource: `arn:${partition}:iam::*:role/${scope.memberRole}`,
          Condition: { StringEquals: { 'aws:ResourceOrgID': organizationId } },
        },
        { Sid: 'JoinValidation', Effect: 'Allow', Action: 'organizations:DescribeAccount', Resource: '*' },
      ],
    },
  };
}

/** The member role's trust statement: the integration role, from inside the organization only. */
export function memberTrustStatement(integrationRoleArn: string, organizationId: string): Statement {
  return {
    Effect: 'Allow',
    Principal: { AWS: integrationRoleArn },
    Action: 'sts:AssumeRole',
    Condition: { StringEquals: { 'aws:PrincipalOrgID': organizationId } },
  };
}

export function desiredMemberRole(
  discovery: DiscoveryDeclaration,
  scope: OrganizationScope,
  integration: string,
  integrationRoleArn: string,
  organizationId: string,
  tags: Tags,
): DesiredMemberRole {
  const everyRegion = discovery.matchers.some((m) => m.organization && m.regions.includes(ALL_REGIONS));
  const actions = [...DISCOVERY_ACTIONS.ec2, ...(everyRegion ? ['account:ListRegions'] : [])].sort();
  return {
    name: scope.memberRole,
    description: `Teleport discovers EC2 here through integration ${integration}, managed in Git`,
    trustPolicy: trustPolicyDocument([memberTrustStatement(integrationRoleArn, organizationId)]),
    policyName: MEMBER_POLICY_NAME,
    policy: { Version: '2012-10-17', Statement: [{ Sid: 'EC2Discovery', Effect: 'Allow', Action: actions, Resource: '*' }] },
    tags,
  };
}

/** The StackSet's template: the member role as CloudFormation declares it (checked by cfn-lint in npm run lint). */
export function memberRoleTemplate(role: DesiredMemberRole, integration: string): { [key: string]: Json } {
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: `Teleport discovery member role for integration ${integration} (managed in Git; do not edit by hand)`,
    Resources: {
      MemberRole: {
        Type: 'AWS::IAM::Role',
        Properties: {
          RoleName: role.name,
          Description: role.description,
          AssumeRolePolicyDocument: role.trustPolicy,
          Policies: [{ PolicyName: role.policyName, PolicyDocument: role.policy }],
          Tags: tagsToList(role.tags),
        },
      },
    },
  } as { [key: string]: Json };
}

// ---- The management account's own member role -----------------------------------------------

export async function observeMemberRole(aws: Aws, name: string, policyName: string): Promise<MemberRoleState | undefined> {
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

const roleTarget = (roleArn: string) => `${roleArn} (member role of the management account)`;

/** Ours when it carries this integration's tag; anything else of that name is refused, never adopted. */
export function planMemberRole(live: MemberRoleState | undefined, wanted: DesiredMemberRole, roleArn: string, integration: string): Change[] {
  const target = roleTarget(roleArn);
  if (!live) {
    return [
      {
        action: 'create-member-role',
        resource: 'member-role',
        target,
        reason: 'the management account is in scope and a service-managed StackSet never deploys there: its member role is written directly',
        after: wanted,
      },
    ];
  }
  if (live.role.tags[INTEGRATION_TAG] !== integration) {
    throw new RefusalError(
      'member-role',
      `Role ${wanted.name} exists in the management account without tag ${INTEGRATION_TAG}=${integration} (${tagList(live.role.tags)}): it is someone else's, and is never changed. ` +
        'Choose another member-role name in discovery, or tag that role for this integration once you have checked it may be replaced.',
      target,
    );
  }
  const trust = mergeTrustStatement(live.role.trustPolicy, (wanted.trustPolicy.Statement as Statement[])[0]);
  const tags = missingTags(live.role.tags, wanted.tags);
  const policyDiffers = !live.policy || !samePolicy(live.policy, wanted.policy);
  const parts = [
    ...(trust.merged ? ['its trust policy lacks the integration role'] : []),
    ...(policyDiffers ? [`inline policy ${wanted.policyName} ${live.policy ? 'differs' : 'is missing'}`] : []),
    ...(Object.keys(tags).length > 0 ? [`tags missing: ${tagList(tags)}`] : []),
  ];
  if (parts.length === 0) return [];
  return [
    {
      action: 'update-member-role',
      resource: 'member-role',
      target,
      reason: parts.join('; '),
      roleName: wanted.name,
      trustPolicy: trust.merged,
      policy: policyDiffers ? { name: wanted.policyName, document: wanted.policy } : undefined,
      tags: Object.keys(tags).length > 0 ? tags : undefined,
    },
  ];
}

export type MemberRoleChange = Extract<Change, { action: 'create-member-role' | 'update-member-role' }>;

export const isMemberRoleChange = (change: Change): change is MemberRoleChange =>
  change.action === 'create-member-role' || change.action === 'update-member-role';

export async function applyMemberRoleChange(aws: Aws, change: MemberRoleChange): Promise<void> {
  if (change.action === 'create-member-role') {
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

/** Destroy: only a member role tagged for this integration; its inline policy first, as IAM requires. */
export function planMemberRoleDeletion(live: MemberRoleState | undefined, integration: string): Change[] {
  if (!live || live.role.tags[INTEGRATION_TAG] !== integration) return [];
  return [
    {
      action: 'delete-member-role',
      resource: 'member-role',
      target: roleTarget(live.role.arn),
      roleName: live.role.name,
      policyName: live.policy ? MEMBER_POLICY_NAME : undefined,
      reason: `tagged for ${integration}`,
    },
  ];
}

export async function deleteMemberRole(aws: Aws, change: Extract<Change, { action: 'delete-member-role' }>): Promise<void> {
  if (change.policyName) await aws.send(aws.iam, new DeleteRolePolicyCommand({ RoleName: change.roleName, PolicyName: change.policyName }));
  await aws.send(aws.iam, new DeleteRoleCommand({ RoleName: change.roleName }));
}
