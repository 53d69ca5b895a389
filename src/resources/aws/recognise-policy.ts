/**
 * mode import: which feature declaration, if any, a live inline policy on the role is. Teleport's
 * name with Teleport's document; a feature whose parameters live in its document read back from
 * its statements (and kept only when it writes the same document, or Teleport's own form of it,
 * said as a note); anything else said as what it is.
 */
import { DEFAULT_SSM_DOCUMENT, type AccessGraphEventSources, type FeatureDeclaration, type FeatureKey, type S3Uri } from '../../config/features.js';
import type { PolicyDocument, Statement } from '../../model/aws.js';
import {
  ACCESS_GRAPH_S3_DOWNLOAD,
  ACCESS_GRAPH_SQS,
  accessGraph,
  BEDROCK_INVOKE,
  bedrockResource,
  featurePolicy,
  KMS_DECRYPT,
  SESSION_SUMMARIES_POLICY,
  TELEPORT_POLICY_NAMES,
  type PolicyScope,
} from './feature-policies.js';
import { samePolicy } from './policy-document.js';

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

const statementsIn = (document: PolicyDocument): Statement[] => (Array.isArray(document.Statement) ? document.Statement : [document.Statement]);

const statementBySid = (document: PolicyDocument, sid: string): Statement | undefined => statementsIn(document).find((s) => s.Sid === sid);

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
  (key): FeatureDeclaration =>
    key === 'ec2-ssm'
      ? { key, params: { regions: undefined, document: DEFAULT_SSM_DOCUMENT } }
      : key === 'aws-app-access'
        ? { key, params: { roles: [] } }
        : { key, params: {} },
);

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
  const objects = `${sources.cloudTrailBucketArn}/*`;
  const statements = statementsIn(ours).map((s) =>
    Array.isArray(s.Resource) && s.Resource.includes(objects) ? { ...s, Resource: [sources.cloudTrailBucketArn] } : s,
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
