/**
 * Teleport's per-feature inline policies on the integration role, under Teleport's names and
 * with Teleport's documents (shared/reference/features.md; the newer ones from Teleport's source,
 * named beside each), every ARN in the caller's partition. Reading them back: recognise-policy.ts.
 */
import {
  SQS_QUEUE_URL,
  type AccessGraphEventSources,
  type DeployServiceParams,
  type ExternalAuditStorageParams,
  type FeatureDeclaration,
  type FeatureKey,
  type S3Uri,
} from '../../config/features.js';
import { partitionOfRegion } from '../../config/regions.js';
import type { FeaturePolicy, PolicyDocument, Statement } from '../../model/aws.js';

/** Where a policy's ARNs point: the caller's partition and account, the job's region. */
export interface PolicyScope {
  partition: string;
  account: string;
  region: string;
}

const EC2_SSM = ['ec2:DescribeInstances', 'ssm:DescribeInstanceInformation', 'ssm:GetCommandInvocation', 'ssm:ListCommandInvocations', 'ssm:SendCommand'];

const EC2_INSTANCE_CONNECT_ENDPOINT = [
  'ec2:DescribeInstances',
  'ec2:DescribeInstanceConnectEndpoints',
  'ec2:DescribeSecurityGroups',
  'ec2:CreateInstanceConnectEndpoint',
  'ec2:CreateTags',
  'ec2:CreateNetworkInterface',
  'iam:CreateServiceLinkedRole',
  'ec2-instance-connect:SendSSHPublicKey',
  'ec2-instance-connect:OpenTunnel',
];

const EKS = [
  'eks:ListClusters',
  'eks:DescribeCluster',
  'eks:ListAccessEntries',
  'eks:CreateAccessEntry',
  'eks:DeleteAccessEntry',
  'eks:AssociateAccessPolicy',
  'eks:TagResource',
];

const RDS = ['rds:DescribeDBInstances', 'rds:DescribeDBClusters', 'ec2:DescribeSecurityGroups', 'ec2:DescribeSubnets', 'ec2:DescribeVpcs'];

const ACCESS_GRAPH = [
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
];

const IDENTITY_CENTER = [
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
];

const AUDIT_STORAGE_S3 = [
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
];
// Access Graph's event sources (StatementAccessGraphAWSSyncSQS, ...S3BucketDownload, StatementKMSDecrypt).
export const ACCESS_GRAPH_SQS = ['sqs:ReceiveMessage', 'sqs:DeleteMessage'];
export const ACCESS_GRAPH_S3_DOWNLOAD = ['s3:GetObject', 's3:GetObjectVersion', 's3:ListBucket', 's3:ListBucketVersions', 's3:GetBucketLocation'];
export const KMS_DECRYPT = ['kms:Decrypt', 'kms:DescribeKey', 'kms:GenerateDataKey', 'kms:GenerateDataKeyWithoutPlaintext'];

// deploy-service's policy on the integration role (StatementForIAMPassRole, StatementForECSManageService).
const ECS_MANAGE_SERVICE = [
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
];

export const BEDROCK_INVOKE = ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'];
export const SESSION_SUMMARIES_POLICY = 'TeleportBedrockSessionSummariesAccess';

const AUDIT_STORAGE_ATHENA = ['athena:StartQueryExecution', 'athena:GetQueryResults', 'athena:GetQueryExecution'];
const AUDIT_STORAGE_GLUE = ['glue:GetTable', 'glue:GetTableVersion', 'glue:GetTableVersions', 'glue:UpdateTable'];

/** Teleport's fixed policy names, and older names Teleport used, by feature (for undeclared ones found on a role). */
export const TELEPORT_POLICY_NAMES: Record<string, FeatureKey> = {
  EC2DiscoverWithSSM: 'ec2-ssm',
  EC2InstanceConnectEndpoint: 'ec2-instance-connect-endpoint',
  EKSAccess: 'eks',
  ListDatabases: 'rds',
  AWSAppAccess: 'aws-app-access',
  AccessGraphSyncAccess: 'access-graph',
  TeleportAWSIdentityCenterIntegration: 'identity-center',
  TeleportAWSIdentityCenter: 'identity-center',
  ExternalAuditStorage: 'external-audit-storage',
  [SESSION_SUMMARIES_POLICY]: 'session-summaries',
  DeployService: 'deploy-service',
};

const allow = (actions: string[], resource: string | string[] = '*', extra: Statement = {}): Statement => ({
  ...extra,
  Effect: 'Allow',
  Action: actions,
  Resource: resource,
});

const policy = (...statements: Statement[]): PolicyDocument => ({ Version: '2012-10-17', Statement: statements });

function s3Resources(partition: string, uris: S3Uri[]): string[] {
  const arns = uris.flatMap(({ bucket, prefix }) => [`arn:${partition}:s3:::${bucket}`, `arn:${partition}:s3:::${bucket}/${prefix ? `${prefix}/` : ''}*`]);
  return [...new Set(arns)];
}

function externalAuditStorage(params: ExternalAuditStorageParams, { partition, account, region }: PolicyScope): PolicyDocument {
  const glue = `arn:${partition}:glue:${region}:${account}`;
  return policy(
    allow(AUDIT_STORAGE_S3, s3Resources(partition, [params.sessionRecordingsUri, params.auditEventsUri, params.athenaResultsUri]), {
      Sid: 'ReadWriteSessionsAndEvents',
    }),
    allow(AUDIT_STORAGE_ATHENA, `arn:${partition}:athena:${region}:${account}:workgroup/${params.athenaWorkgroup}`, { Sid: 'AllowAthenaQuery' }),
    allow(AUDIT_STORAGE_GLUE, [`${glue}:catalog`, `${glue}:database/${params.glueDatabase}`, `${glue}:table/${params.glueDatabase}/${params.glueTable}`], {
      Sid: 'FullAccessOnGlueTable',
    }),
  );
}

/** The queue's ARN, from its URL: the URL's region, partition and account (Teleport takes the integration's account instead, the same queue unless it is another account's). */
export function sqsQueueArn(url: string): string {
  const [, region, account, queue] = SQS_QUEUE_URL.exec(url)!;
  return `arn:${partitionOfRegion(region)}:sqs:${region}:${account}:${queue}`;
}

/**
 * Access Graph's statements (lib/integrations/awsoidc/accessgraph_sync.go): the sync, then
 * the queue, the CloudTrail bucket and the KMS keys. Teleport's bucket statement names only the
 * bucket ARN, where s3:GetObject never matches: the objects' ARN is added beside it.
 */
export function accessGraph(sources: AccessGraphEventSources | undefined): PolicyDocument {
  if (!sources) return policy(allow(ACCESS_GRAPH));
  const { sqsQueueUrl, cloudTrailBucketArn, kmsKeyArns } = sources;
  return policy(
    allow(ACCESS_GRAPH),
    allow(ACCESS_GRAPH_SQS, [sqsQueueArn(sqsQueueUrl)]),
    allow(ACCESS_GRAPH_S3_DOWNLOAD, [cloudTrailBucketArn, `${cloudTrailBucketArn}/*`]),
    ...(kmsKeyArns.length > 0 ? [allow(KMS_DECRYPT, kmsKeyArns)] : []),
  );
}

/**
 * The Bedrock resource for a model (StatementForBedrockSessionSummaries): an ARN or * as given; a
 * model ID as a foundation model of any region. Teleport puts the account in that ARN, where
 * AWS's foundation-model ARNs have none (arn:aws:bedrock:us-east-1::foundation-model/...), so
 * its statement never matches a foundation model: this one leaves the account out.
 */
export function bedrockResource(model: string, partition: string): string {
  if (model === '*' || model.startsWith('arn:')) return model;
  return `arn:${partition}:bedrock:*::foundation-model/${model}`;
}

/**
 * deploy-service's policy on the integration role (lib/integrations/awsoidc/deployservice_iam_config.go,
 * addPolicyToIntegrationRoleAction): pass the task role, and only it, to ECS; manage the service.
 */
function deployService({ taskRole }: DeployServiceParams, { partition, account }: PolicyScope): PolicyDocument {
  return policy(allow(['iam:PassRole'], [`arn:${partition}:iam::${account}:role/${taskRole}`]), allow(ECS_MANAGE_SERVICE));
}

/** The inline policy a declared feature puts on the role. */
export function featurePolicy(declaration: FeatureDeclaration, scope: PolicyScope): FeaturePolicy {
  const { key } = declaration;
  switch (declaration.key) {
    case 'ec2-ssm':
      return { feature: key, name: 'EC2DiscoverWithSSM', document: policy(allow(EC2_SSM)) };
    case 'ec2-instance-connect-endpoint':
      return { feature: key, name: 'EC2InstanceConnectEndpoint', document: policy(allow(EC2_INSTANCE_CONNECT_ENDPOINT)) };
    case 'eks':
      return { feature: key, name: 'EKSAccess', document: policy(allow(EKS)) };
    case 'rds':
      return { feature: key, name: 'ListDatabases', document: policy(allow(RDS)) };
    case 'aws-app-access':
      return {
        feature: key,
        name: 'AWSAppAccess',
        document: policy(allow(['sts:AssumeRole'], '*', { Condition: { StringEquals: { 'iam:ResourceTag/teleport.dev/integration': 'true' } } })),
      };
    case 'access-graph':
      return { feature: key, name: 'AccessGraphSyncAccess', document: accessGraph(declaration.params.eventSources) };
    case 'identity-center':
      return {
        feature: key,
        name: 'TeleportAWSIdentityCenterIntegration',
        document: policy(allow(IDENTITY_CENTER, '*', { Sid: 'TeleportIdentityCenterClient' })),
      };
    case 'external-audit-storage':
      return { feature: key, name: declaration.params.policyName, document: externalAuditStorage(declaration.params, scope) };
    case 'deploy-service':
      return { feature: key, name: declaration.params.policyName, document: deployService(declaration.params, scope) };
    case 'session-summaries':
      return {
        feature: key,
        name: SESSION_SUMMARIES_POLICY,
        document: policy(allow(BEDROCK_INVOKE, [bedrockResource(declaration.params.model, scope.partition)])),
      };
  }
}
