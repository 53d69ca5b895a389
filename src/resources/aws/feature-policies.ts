/**
 * Teleport's per-feature inline policies on the integration role, under Teleport's names and
 * with Teleport's documents (shared/reference/features.md), every ARN in the caller's partition.
 */
import {
  DEFAULT_SSM_DOCUMENT,
  SQS_QUEUE_URL,
  type AccessGraphEventSources,
  type DeployServiceParams,
  type ExternalAuditStorageParams,
  type FeatureDeclaration,
  type FeatureKey,
  type S3Uri,
} from '../../config/features.js';
import { partitionOfRegion } from '../../config/regions.js';
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
// Access Graph's event sources (StatementAccessGraphAWSSyncSQS, ...S3BucketDownload, StatementKMSDecrypt).
const ACCESS_GRAPH_SQS = ['sqs:ReceiveMessage', 'sqs:DeleteMessage'];
const ACCESS_GRAPH_S3_DOWNLOAD = ['s3:GetObject', 's3:GetObjectVersion', 's3:ListBucket', 's3:ListBucketVersions', 's3:GetBucketLocation'];
const KMS_DECRYPT = ['kms:Decrypt', 'kms:DescribeKey', 'kms:GenerateDataKey', 'kms:GenerateDataKeyWithoutPlaintext'];

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

const BEDROCK_INVOKE = ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'];
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
function accessGraph(sources: AccessGraphEventSources | undefined): PolicyDocument {
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

/** deploy-service's policy, under any name (Teleport's --policy), known by its two statements: the task role is the one it passes. */
function deployServiceDeclaration(name: string, document: PolicyDocument, scope: PolicyScope): FeatureDeclaration | undefined {
  const passed = resourcesAllowing(document, ['iam:PassRole']);
  const taskRole = passed?.length === 1 ? /^arn:[\w-]+:iam::\d{12}:role\/([\w+=,.@-]+)$/.exec(passed[0])?.[1] : undefined;
  if (taskRole === undefined) return undefined;
  const declaration: FeatureDeclaration = { key: 'deploy-service', params: { taskRole, policyName: name } };
  return samePolicy(featurePolicy(declaration, scope).document, document) ? declaration : undefined;
}

/** Teleport's fixed-name features without parameters in their documents, and the declaration that writes each. */
const FIXED_NAME_FEATURES = (['ec2-ssm', 'ec2-instance-connect-endpoint', 'eks', 'rds', 'aws-app-access', 'identity-center'] as const).map(
  (key): FeatureDeclaration => (key === 'ec2-ssm' ? { key, params: { regions: undefined, document: DEFAULT_SSM_DOCUMENT } } : { key, params: {} }),
);

const statementsIn = (document: PolicyDocument): Statement[] => (Array.isArray(document.Statement) ? document.Statement : [document.Statement]);

const actionsOf = (statement: Statement): string[] =>
  (Array.isArray(statement.Action) ? statement.Action : [statement.Action]).filter((a): a is string => typeof a === 'string');

/** The resources of the statement allowing exactly these actions (in any order), if there is one. */
function resourcesAllowing(document: PolicyDocument, actions: string[]): string[] | undefined {
  const wanted = [...actions].sort().join();
  const statement = statementsIn(document).find((s) => s.Effect === 'Allow' && [...new Set(actionsOf(s))].sort().join() === wanted);
  return statement && resourcesOf(statement);
}

/** What Teleport's `access-graph aws-iam` wrote, read back: the bucket statement on the bucket's ARN alone. */
function teleportAccessGraph(sources: AccessGraphEventSources): PolicyDocument {
  const ours = accessGraph(sources);
  const statements = statementsIn(ours).map((s) =>
    s.Resource === undefined || !Array.isArray(s.Resource) || !s.Resource.includes(`${sources.cloudTrailBucketArn}/*`)
      ? s
      : { ...s, Resource: [sources.cloudTrailBucketArn] },
  );
  return { ...ours, Statement: statements };
}

/** Access Graph's event sources read back from its policy (Teleport's or this action's form). */
function accessGraphFrom(document: PolicyDocument): { declaration: FeatureDeclaration; note?: string } | undefined {
  const queue = resourcesAllowing(document, ACCESS_GRAPH_SQS)?.[0];
  const bucket = resourcesAllowing(document, ACCESS_GRAPH_S3_DOWNLOAD)?.find((arn) => /^arn:[\w-]+:s3:::[^/]+$/.test(arn));
  const match = queue === undefined ? null : /^arn:[\w-]+:sqs:([\w-]+):(\d{12}):(.+)$/.exec(queue);
  if (!match || bucket === undefined) return undefined;
  const sources = {
    sqsQueueUrl: `https://sqs.${match[1]}.amazonaws.com/${match[2]}/${match[3]}`,
    cloudTrailBucketArn: bucket,
    kmsKeyArns: resourcesAllowing(document, KMS_DECRYPT) ?? [],
  };
  const declaration: FeatureDeclaration = { key: 'access-graph', params: { eventSources: sources } };
  if (samePolicy(accessGraph(sources), document)) return { declaration };
  if (samePolicy(teleportAccessGraph(sources), document)) {
    return { declaration, note: `it is Teleport's form, whose bucket statement cannot read objects: apply adds ${bucket}/* to it` };
  }
  return undefined;
}

/** Session summaries' model read back from its policy; Teleport's account-bearing foundation-model ARN is read as the model ID it came from. */
function sessionSummariesFrom(document: PolicyDocument, scope: PolicyScope): { declaration: FeatureDeclaration; note?: string } | undefined {
  const resources = resourcesAllowing(document, BEDROCK_INVOKE);
  if (resources?.length !== 1) return undefined;
  const [resource] = resources;
  const foundation = /^arn:[\w-]+:bedrock:\*:(\d{12})?:foundation-model\/(.+)$/.exec(resource);
  const declaration: FeatureDeclaration = { key: 'session-summaries', params: { model: foundation ? foundation[2] : resource } };
  const wanted = featurePolicy(declaration, scope).document;
  if (samePolicy(wanted, document)) return { declaration };
  if (foundation?.[1] && samePolicy({ ...wanted, Statement: [{ ...statementsIn(wanted)[0], Resource: [resource] }] }, document)) {
    return {
      declaration,
      note: `its resource is Teleport's form, ${resource}, which no foundation model's ARN matches: apply writes ${bedrockResource(foundation[2], scope.partition)}`,
    };
  }
  return undefined;
}

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
  const withParameters =
    name === 'AccessGraphSyncAccess'
      ? {
          feature: 'access-graph' as const,
          found: samePolicy(accessGraph(undefined), document)
            ? { declaration: { key: 'access-graph' as const, params: { eventSources: undefined } } }
            : accessGraphFrom(document),
        }
      : name === SESSION_SUMMARIES_POLICY
        ? { feature: 'session-summaries' as const, found: sessionSummariesFrom(document, scope) }
        : undefined;
  if (withParameters) {
    const { feature, found } = withParameters;
    return found ? { kind: 'feature', ...found } : { kind: 'differs', feature };
  }
  const deploy = deployServiceDeclaration(name, document, scope);
  if (deploy) return { kind: 'feature', declaration: deploy };
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
  // Teleport's default names of the features whose policy name is the user's: another content, not an older name.
  if (feature === 'external-audit-storage' || feature === 'deploy-service') return { kind: 'differs', feature };
  if (feature) return { kind: 'older-name', feature };
  return { kind: 'other' };
}
