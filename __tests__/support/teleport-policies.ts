/**
 * Teleport's per-feature inline policies, written out by hand from
 * shared/reference/features.md (not built by src/), so the integration tests compare what
 * lands in IAM against the reference as data. Partition, account and region are filled in.
 */
const star = '*';

export function referencePolicies(p: string, account: string, region: string): Record<string, { name: string; document: unknown }> {
  return {
    'ec2-ssm': {
      name: 'EC2DiscoverWithSSM',
      document: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: ['ec2:DescribeInstances', 'ssm:DescribeInstanceInformation', 'ssm:GetCommandInvocation', 'ssm:ListCommandInvocations', 'ssm:SendCommand'],
            Resource: star,
          },
        ],
      },
    },
    'ec2-instance-connect-endpoint': {
      name: 'EC2InstanceConnectEndpoint',
      document: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: [
              'ec2:DescribeInstances',
              'ec2:DescribeInstanceConnectEndpoints',
              'ec2:DescribeSecurityGroups',
              'ec2:CreateInstanceConnectEndpoint',
              'ec2:CreateTags',
              'ec2:CreateNetworkInterface',
              'iam:CreateServiceLinkedRole',
              'ec2-instance-connect:SendSSHPublicKey',
              'ec2-instance-connect:OpenTunnel',
            ],
            Resource: star,
          },
        ],
      },
    },
    eks: {
      name: 'EKSAccess',
      document: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: [
              'eks:ListClusters',
              'eks:DescribeCluster',
              'eks:ListAccessEntries',
              'eks:CreateAccessEntry',
              'eks:DeleteAccessEntry',
              'eks:AssociateAccessPolicy',
              'eks:TagResource',
            ],
            Resource: star,
          },
        ],
      },
    },
    rds: {
      name: 'ListDatabases',
      document: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: ['rds:DescribeDBInstances', 'rds:DescribeDBClusters', 'ec2:DescribeSecurityGroups', 'ec2:DescribeSubnets', 'ec2:DescribeVpcs'],
            Resource: star,
          },
        ],
      },
    },
    'aws-app-access': {
      name: 'AWSAppAccess',
      document: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: 'sts:AssumeRole',
            Resource: star,
            Condition: { StringEquals: { 'iam:ResourceTag/teleport.dev/integration': 'true' } },
          },
        ],
      },
    },
    'access-graph': {
      name: 'AccessGraphSyncAccess',
      document: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: [
              'ec2:DescribeInstances',
              'ec2:DescribeImages',
              'ec2:DescribeTags',
              'ec2:DescribeSnapshots',
              'ec2:DescribeKeyPairs',
              'eks:ListClusters',
              'eks:DescribeCluster',
              'eks:ListAccessEntries',
              'eks:ListAccessPolicies',
              'eks:ListAssociatedAccessPolicies',
              'eks:DescribeAccessEntry',
              'rds:DescribeDBInstances',
              'rds:DescribeDBClusters',
              'rds:ListTagsForResource',
              'rds:DescribeDBProxies',
              'dynamodb:ListTables',
              'dynamodb:DescribeTable',
              'redshift:DescribeClusters',
              'redshift:Describe*',
              's3:ListAllMyBuckets',
              's3:GetBucketPolicy',
              's3:ListBucket',
              's3:GetBucketLocation',
              's3:GetBucketTagging',
              's3:GetBucketPolicyStatus',
              's3:GetBucketAcl',
              'iam:ListUsers',
              'iam:GetUser',
              'iam:ListRoles',
              'iam:ListGroups',
              'iam:ListPolicies',
              'iam:ListGroupsForUser',
              'iam:ListInstanceProfiles',
              'iam:ListUserPolicies',
              'iam:GetUserPolicy',
              'iam:ListAttachedUserPolicies',
              'iam:ListGroupPolicies',
              'iam:GetGroupPolicy',
              'iam:ListAttachedGroupPolicies',
              'iam:GetPolicy',
              'iam:GetPolicyVersion',
              'iam:ListRolePolicies',
              'iam:ListAttachedRolePolicies',
              'iam:GetRolePolicy',
              'iam:ListSAMLProviders',
              'iam:GetSAMLProvider',
              'iam:ListOpenIDConnectProviders',
              'iam:GetOpenIDConnectProvider',
            ],
            Resource: star,
          },
        ],
      },
    },
    'identity-center': {
      name: 'TeleportAWSIdentityCenterIntegration',
      document: {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'TeleportIdentityCenterClient',
            Effect: 'Allow',
            Action: [
              'organizations:ListAccounts',
              'organizations:ListAccountsForParent',
              'identitystore:ListUsers',
              'identitystore:ListGroups',
              'identitystore:ListGroupMemberships',
              'sso:DescribeInstance',
              'sso:DescribePermissionSet',
              'sso:ListPermissionSets',
              'sso:ListAccountAssignmentsForPrincipal',
              'sso:ListPermissionSetsProvisionedToAccount',
              'sso:CreateAccountAssignment',
              'sso:DescribeAccountAssignmentCreationStatus',
              'sso:DeleteAccountAssignment',
              'sso:DescribeAccountAssignmentDeletionStatus',
              'iam:AttachRolePolicy',
              'iam:CreateRole',
              'iam:GetRole',
              'iam:ListAttachedRolePolicies',
              'iam:ListRolePolicies',
              'iam:GetSAMLProvider',
              'iam:ListRoles',
            ],
            Resource: star,
          },
        ],
      },
    },
    // With audit events at s3://audit-bucket/events, recordings at s3://audit-bucket/sessions,
    // Athena results at s3://results-bucket, workgroup teleport_wg, database teleport_db, table teleport_events.
    'external-audit-storage': {
      name: 'ExternalAuditStorage',
      document: {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'ReadWriteSessionsAndEvents',
            Effect: 'Allow',
            Action: [
              's3:PutObject',
              's3:GetObject',
              's3:GetObjectVersion',
              's3:ListMultipartUploadParts',
              's3:AbortMultipartUpload',
              's3:ListBucket',
              's3:ListBucketVersions',
              's3:ListBucketMultipartUploads',
              's3:GetBucketOwnershipControls',
              's3:GetBucketPublicAccessBlock',
              's3:GetBucketObjectLockConfiguration',
              's3:GetBucketVersioning',
              's3:GetBucketLocation',
            ],
            Resource: [
              `arn:${p}:s3:::audit-bucket`,
              `arn:${p}:s3:::audit-bucket/sessions/*`,
              `arn:${p}:s3:::audit-bucket/events/*`,
              `arn:${p}:s3:::results-bucket`,
              `arn:${p}:s3:::results-bucket/*`,
            ],
          },
          {
            Sid: 'AllowAthenaQuery',
            Effect: 'Allow',
            Action: ['athena:StartQueryExecution', 'athena:GetQueryResults', 'athena:GetQueryExecution'],
            Resource: `arn:${p}:athena:${region}:${account}:workgroup/teleport_wg`,
          },
          {
            Sid: 'FullAccessOnGlueTable',
            Effect: 'Allow',
            Action: ['glue:GetTable', 'glue:GetTableVersion', 'glue:GetTableVersions', 'glue:UpdateTable'],
            Resource: [
              `arn:${p}:glue:${region}:${account}:catalog`,
              `arn:${p}:glue:${region}:${account}:database/teleport_db`,
              `arn:${p}:glue:${region}:${account}:table/teleport_db/teleport_events`,
            ],
          },
        ],
      },
    },
  };
}

/**
 * Teleport's newer policies, as Teleport writes them (read from Teleport's source, where each
 * statement is named below), for the parameters in PARAMETERIZED_FEATURES.
 */
export function referenceParameterizedPolicies(
  p: string,
  account: string,
): Record<'access-graph-events' | 'session-summaries', { name: string; document: unknown }> {
  const sync = (referencePolicies(p, account, 'us-east-1')['access-graph'].document as { Statement: unknown[] }).Statement[0];
  return {
    // lib/integrations/awsoidc/accessgraph_sync.go (ConfigureAccessGraphSyncIAM with SQSQueueURL, CloudTrailBucketARN
    // and KMSKeyARNs; the queue's ARN from the URL's region and name, the integration's account) and
    // lib/cloud/aws/policy_statements.go (StatementAccessGraphAWSSync, StatementAccessGraphAWSSyncSQS,
    // StatementAccessGraphAWSSyncS3BucketDownload, StatementKMSDecrypt).
    'access-graph-events': {
      name: 'AccessGraphSyncAccess',
      document: {
        Version: '2012-10-17',
        Statement: [
          sync,
          { Effect: 'Allow', Action: ['sqs:ReceiveMessage', 'sqs:DeleteMessage'], Resource: [`arn:${p}:sqs:us-west-2:${account}:cloudtrail-events`] },
          {
            Effect: 'Allow',
            Action: ['s3:GetObject', 's3:GetObjectVersion', 's3:ListBucket', 's3:ListBucketVersions', 's3:GetBucketLocation'],
            Resource: [`arn:${p}:s3:::acme-cloudtrail`],
          },
          {
            Effect: 'Allow',
            Action: ['kms:Decrypt', 'kms:DescribeKey', 'kms:GenerateDataKey', 'kms:GenerateDataKeyWithoutPlaintext'],
            Resource: [`arn:${p}:kms:us-west-2:${account}:key/1234abcd-12ab-34cd-56ef-1234567890ab`],
          },
        ],
      },
    },
    // lib/integrations/awsoidc/bedrock_session_summaries_iam_config.go (policy TeleportBedrockSessionSummariesAccess) and
    // lib/cloud/aws/policy_statements_test.go (TestStatementForBedrockSessionSummaries: a model ID becomes
    // arn:aws:bedrock:*:<account>:foundation-model/<id>).
    'session-summaries': {
      name: 'TeleportBedrockSessionSummariesAccess',
      document: {
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Action: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'],
            Resource: [`arn:${p}:bedrock:*:${account}:foundation-model/anthropic.claude-v2`],
          },
        ],
      },
    },
  };
}

/**
 * What `teleport integration configure deployservice-iam --task-role TeleportDatabaseServiceTask`
 * makes: lib/integrations/awsoidc/deployservice_iam_config.go (createTaskRoleAction,
 * addPolicyToTaskRoleAction, addPolicyToIntegrationRoleAction, taskRoleDescription) with the
 * statements of lib/cloud/aws/policy_statements.go (StatementForECSTaskRoleTrustRelationships,
 * StatementForRDSDBConnect, StatementForRDSMetadata, StatementForWritingLogs, StatementForIAMPassRole,
 * StatementForECSManageService).
 */
export function referenceDeployService(p: string, account: string) {
  return {
    integrationRolePolicy: {
      name: 'DeployService',
      document: {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: 'iam:PassRole', Resource: `arn:${p}:iam::${account}:role/TeleportDatabaseServiceTask` },
          {
            Effect: 'Allow',
            Action: [
              'ecs:DescribeClusters',
              'ecs:CreateCluster',
              'ecs:PutClusterCapacityProviders',
              'ecs:DescribeServices',
              'ecs:CreateService',
              'ecs:UpdateService',
              'ecs:ListServices',
              'ecs:RegisterTaskDefinition',
              'ecs:DescribeTaskDefinition',
              'ecs:DeregisterTaskDefinition',
              'ecs:TagResource',
              'ec2:DescribeSecurityGroups',
              'iam:CreateServiceLinkedRole',
            ],
            Resource: star,
          },
        ],
      },
    },
    taskRole: {
      name: 'TeleportDatabaseServiceTask',
      description: 'Used by Teleport Database Service deployed in Amazon ECS.',
      trustPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: 'ecs-tasks.amazonaws.com' } }] },
      // Named after the role.
      policyName: 'TeleportDatabaseServiceTask',
      policy: {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: 'rds-db:connect', Resource: star },
          { Effect: 'Allow', Action: ['rds:DescribeDBInstances', 'rds:DescribeDBClusters'], Resource: star },
          { Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:CreateLogGroup'], Resource: star },
        ],
      },
    },
  };
}

/** access-graph with its event sources and session-summaries with a model ID, for referenceParameterizedPolicies. */
export const PARAMETERIZED_FEATURES = (account: string) => `access-graph:
  sqs-queue-url: https://sqs.us-west-2.amazonaws.com/${account}/cloudtrail-events
  cloudtrail-bucket-arn: arn:aws:s3:::acme-cloudtrail
  kms-key-arns: [arn:aws:kms:us-west-2:${account}:key/1234abcd-12ab-34cd-56ef-1234567890ab]
session-summaries:
  model: anthropic.claude-v2
`;

/** All eight features, external-audit-storage with the parameters above. */
export const ALL_FEATURES = `ec2-ssm:
  regions: [us-east-1, eu-west-1]
ec2-instance-connect-endpoint:
eks:
rds:
aws-app-access:
access-graph:
identity-center:
external-audit-storage:
  audit-events-uri: s3://audit-bucket/events
  session-recordings-uri: s3://audit-bucket/sessions/
  athena-results-uri: s3://results-bucket
  athena-workgroup: teleport_wg
  glue-database: teleport_db
  glue-table: teleport_events
`;

type Value = unknown;

/**
 * IAM's semantic equality, written here independently of src/: statement order, key order,
 * the order of values in a list, and "x" vs ["x"] do not matter.
 */
export function normalisePolicy(value: Value): Value {
  if (Array.isArray(value)) {
    const items = value.map(normalisePolicy).map((v) => JSON.stringify(v));
    const unique = [...new Set(items)].sort();
    return unique.length === 1 ? JSON.parse(unique[0]) : unique.map((v) => JSON.parse(v));
  }
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, normalisePolicy((value as Record<string, Value>)[k])]),
    );
  }
  return value;
}
