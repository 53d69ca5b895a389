/**
 * The member role: the same name in every account in scope, trusting the integration role only
 * from inside the organization, with the EC2 discovery actions (organizations.md, "Permissions").
 * Its documents feed the StackSet's template and the management account's own copy, which this
 * module observes, plans, writes and deletes directly (a service-managed StackSet never deploys
 * to the management account).
 */
import type { Aws } from '../../../clients/aws.js';
import { ALL_REGIONS, type DiscoveryDeclaration, type OrganizationScope } from '../../../config/discovery.js';
import type { Tags } from '../../../config/tags.js';
import type { FeaturePolicy, Json, Statement } from '../../../model/aws.js';
import type { Change } from '../../../model/changes.js';
import type { DesiredMemberRole, MemberRoleState } from '../../../model/organization.js';
import { DISCOVERY_ACTIONS } from '../discovery-policy.js';
import { isOwnedRoleChange, observeOwnedRole, planOwnedRole, planOwnedRoleDeletion } from '../owned-role.js';
import { tagsToList } from '../tags.js';
import { trustPolicyDocument } from '../trust-policy.js';

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

// ---- The management account's own member role (resources/aws/owned-role.ts) ---------------

export const observeMemberRole = (aws: Aws, name: string): Promise<MemberRoleState | undefined> => observeOwnedRole(aws, name, MEMBER_POLICY_NAME);

const roleTarget = (roleArn: string) => `${roleArn} (member role of the management account)`;

/** Ours when it carries this integration's tag; anything else of that name is refused, never adopted. */
export function planMemberRole(live: MemberRoleState | undefined, wanted: DesiredMemberRole, roleArn: string, integration: string): Change[] {
  return planOwnedRole('member-role', live, wanted, roleTarget(roleArn), integration, {
    where: 'in the management account',
    createReason: 'the management account is in scope and a service-managed StackSet never deploys there: its member role is written directly',
    otherName: 'Choose another member-role name in discovery',
  });
}

export const isMemberRoleChange = isOwnedRoleChange('member-role');

export function planMemberRoleDeletion(live: MemberRoleState | undefined, integration: string): Change[] {
  return live ? planOwnedRoleDeletion('member-role', live, MEMBER_POLICY_NAME, roleTarget(live.role.arn), integration) : [];
}
