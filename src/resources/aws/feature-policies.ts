/**
 * Teleport's per-feature inline policies on the integration role, under Teleport's names and
 * with Teleport's documents (shared/reference/features.md), every ARN in the caller's partition.
 */
import { DEFAULT_SSM_DOCUMENT, type ExternalAuditStorageParams, type FeatureDeclaration, type FeatureKey, type S3Uri } from '../../config/features.js';
import { samePolicy } from './policy-document.js';
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
      return { feature: key, name: 'AccessGraphSyncAccess', document: policy(allow(ACCESS_GRAPH)) };
    case 'identity-center':
      return {
        feature: key,
        name: 'TeleportAWSIdentityCenterIntegration',
        document: policy(allow(IDENTITY_CENTER, '*', { Sid: 'TeleportIdentityCenterClient' })),
      };
    case 'external-audit-storage':
      return { feature: key, name: declaration.params.policyName, document: externalAuditStorage(declaration.params, scope) };
  }
}

// ---- Import: which declaration, if any, a live inline policy is -------------------------

/** What a live inline policy is, read back for mode import. */
export type RecognisedPolicy =
  | { kind: 'feature'; declaration: FeatureDeclaration; note?: string }
  /** Teleport's name for the feature, another content: declaring it would make apply rewrite it. */
  | { kind: 'differs'; feature: FeatureKey }
  /** An older name of Teleport's policy: declaring the feature writes the current one beside it. */
  | { kind: 'older-name'; feature: FeatureKey }
  /** External Audit Storage written for another region than the job's (its Athena and Glue ARNs): declarable from there. */
  | { kind: 'other-region'; feature: FeatureKey; region: string }
  | { kind: 'other' };

const AUDIT_STORAGE_SIDS = ['ReadWriteSessionsAndEvents', 'AllowAthenaQuery', 'FullAccessOnGlueTable'];

function statementBySid(document: PolicyDocument, sid: string): Statement | undefined {
  return (Array.isArray(document.Statement) ? document.Statement : [document.Statement]).find((s) => s.Sid === sid);
}

const resourcesOf = (statement: Statement | undefined): string[] =>
  statement === undefined ? [] : (Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource]).filter((r) => typeof r === 'string');

function s3Uri(objectArn: string): S3Uri | undefined {
  const match = /^arn:[\w-]+:s3:::([^/]+)\/(?:(.*)\/)?\*$/.exec(objectArn);
  return match ? { bucket: match[1], prefix: match[2] ?? '' } : undefined;
}

/**
 * External Audit Storage's parameters read back from its policy (its name is the user's
 * choice, so it is known by its statements). The three S3 locations are listed in Teleport's
 * order (recordings, events, results) and deduplicated, so fewer than three means some are
 * shared; the result is kept only when it writes the very same document.
 */
function auditStorageDeclaration(name: string, document: PolicyDocument, scope: PolicyScope): { declaration: FeatureDeclaration; region: string } | undefined {
  if (!AUDIT_STORAGE_SIDS.every((sid) => statementBySid(document, sid))) return undefined;
  const objects = resourcesOf(statementBySid(document, 'ReadWriteSessionsAndEvents'))
    .map(s3Uri)
    .filter((uri): uri is S3Uri => uri !== undefined);
  const athena = /^arn:[\w-]+:athena:([\w-]+):\d*:workgroup\/(.+)$/.exec(resourcesOf(statementBySid(document, 'AllowAthenaQuery'))[0] ?? '');
  const [region, workgroup] = [athena?.[1] ?? scope.region, athena?.[2]];
  const table = resourcesOf(statementBySid(document, 'FullAccessOnGlueTable'))
    .map((arn) => /:table\/([^/]+)\/(.+)$/.exec(arn))
    .find(Boolean);
  if (objects.length === 0 || !workgroup || !table) return undefined;
  const [sessions, events = sessions, results = events] = objects;
  const declaration: FeatureDeclaration = {
    key: 'external-audit-storage',
    params: {
      sessionRecordingsUri: sessions,
      auditEventsUri: events,
      athenaResultsUri: results,
      athenaWorkgroup: workgroup,
      glueDatabase: table[1],
      glueTable: table[2],
      policyName: name,
    },
  };
  return samePolicy(featurePolicy(declaration, { ...scope, region }).document, document) ? { declaration, region } : undefined;
}

/** Teleport's fixed-name features, and the declaration that writes each. */
const FIXED_NAME_FEATURES = (['ec2-ssm', 'ec2-instance-connect-endpoint', 'eks', 'rds', 'aws-app-access', 'access-graph', 'identity-center'] as const).map(
  (key): FeatureDeclaration => (key === 'ec2-ssm' ? { key, params: { regions: undefined, document: DEFAULT_SSM_DOCUMENT } } : { key, params: {} }),
);

/**
 * Which feature a live inline policy is: Teleport's name with Teleport's content (compared as
 * apply compares it), or External Audit Storage by its statements. ec2-ssm's document and
 * regions are not in its policy: the caller finds them.
 */
export function recognisePolicy(name: string, document: PolicyDocument, scope: PolicyScope): RecognisedPolicy {
  for (const declaration of FIXED_NAME_FEATURES) {
    const wanted = featurePolicy(declaration, scope);
    if (wanted.name !== name) continue;
    return samePolicy(wanted.document, document) ? { kind: 'feature', declaration } : { kind: 'differs', feature: declaration.key };
  }
  const auditStorage = auditStorageDeclaration(name, document, scope);
  if (auditStorage && auditStorage.region !== scope.region) return { kind: 'other-region', feature: 'external-audit-storage', region: auditStorage.region };
  if (auditStorage) {
    return {
      kind: 'feature',
      declaration: auditStorage.declaration,
      note: 'its three S3 locations are read back from the policy, where shared ones appear once: check which is which',
    };
  }
  const feature = Object.hasOwn(TELEPORT_POLICY_NAMES, name) ? TELEPORT_POLICY_NAMES[name] : undefined;
  if (feature === 'external-audit-storage') return { kind: 'differs', feature };
  if (feature) return { kind: 'older-name', feature };
  return { kind: 'other' };
}
