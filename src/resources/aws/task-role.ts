/**
 * deploy-service's task role: the IAM role the Teleport Database Service runs as when Teleport
 * deploys it to Amazon ECS, as `teleport integration configure deployservice-iam` makes it
 * (lib/integrations/awsoidc/deployservice_iam_config.go; statements from
 * lib/cloud/aws/policy_statements.go). A role of its own (resources/aws/owned-role.ts).
 */
import type { Aws } from '../../clients/aws.js';
import type { DeployServiceParams } from '../../config/features.js';
import type { Tags } from '../../config/tags.js';
import type { DesiredOwnedRole, OwnedRoleState } from '../../model/aws.js';
import type { Change } from '../../model/changes.js';
import { observeOwnedRole, planOwnedRole, planOwnedRoleDeletion } from './owned-role.js';
import { trustPolicyDocument } from './trust-policy.js';

/** Teleport's taskRoleDescription. */
export const TASK_ROLE_DESCRIPTION = 'Used by Teleport Database Service deployed in Amazon ECS.';

/** StatementForECSTaskRoleTrustRelationships, then StatementForRDSDBConnect, StatementForRDSMetadata, StatementForWritingLogs. */
export function desiredTaskRole({ taskRole }: DeployServiceParams, tags: Tags): DesiredOwnedRole {
  return {
    name: taskRole,
    description: TASK_ROLE_DESCRIPTION,
    trustPolicy: trustPolicyDocument([{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: 'ecs-tasks.amazonaws.com' } }]),
    // Teleport names the inline policy after the role.
    policyName: taskRole,
    policy: {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: 'rds-db:connect', Resource: '*' },
        { Effect: 'Allow', Action: ['rds:DescribeDBInstances', 'rds:DescribeDBClusters'], Resource: '*' },
        { Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:CreateLogGroup'], Resource: '*' },
      ],
    },
    tags,
  };
}

export const taskRoleArn = (partition: string, account: string, name: string) => `arn:${partition}:iam::${account}:role/${name}`;

const target = (arn: string) => `${arn} (deploy-service's task role)`;

export const observeTaskRole = (aws: Aws, name: string): Promise<OwnedRoleState | undefined> => observeOwnedRole(aws, name, name);

export function planTaskRole(live: OwnedRoleState | undefined, wanted: DesiredOwnedRole, arn: string, integration: string): Change[] {
  return planOwnedRole('task-role', live, wanted, target(arn), integration, {
    where: 'in this account',
    createReason: 'deploy-service is declared: the Database Service Teleport deploys to ECS runs as this role',
    otherName: 'Choose another task-role under deploy-service',
  });
}

export function planTaskRoleDeletion(live: OwnedRoleState | undefined, integration: string): Change[] {
  return live ? planOwnedRoleDeletion('task-role', live, live.role.name, target(live.role.arn), integration) : [];
}
