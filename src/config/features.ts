/**
 * The `features` input: which of Teleport's per-feature permissions the role carries, with
 * their parameters. YAML (`eks:` alone means no parameters) or plain keys separated by commas
 * or newlines (`eks, access-graph`). Every problem is an InputError naming the line.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node, type Pair } from 'yaml';
import { InputError } from '../errors.js';
import { REGION } from './regions.js';
import { accountOfRefs, parseRoleRefs, ROLE_NAME, type RoleRef } from './role-refs.js';

export const FEATURE_KEYS = [
  'ec2-ssm',
  'ec2-instance-connect-endpoint',
  'eks',
  'rds',
  'aws-app-access',
  'access-graph',
  'identity-center',
  'external-audit-storage',
  'session-summaries',
  'deploy-service',
] as const;
export type FeatureKey = (typeof FEATURE_KEYS)[number];

/** The AWS-managed document newer Teleport can use instead of its own: nothing to create. */
export const AWS_RUN_SHELL_SCRIPT = 'AWS-RunShellScript';
export const DEFAULT_SSM_DOCUMENT = 'TeleportDiscoveryInstaller';
export const DEFAULT_AUDIT_STORAGE_POLICY = 'ExternalAuditStorage';
/** Teleport's default name for deploy-service's policy on the integration role (IntegrationRoleDeployServicePolicy). */
export const DEFAULT_DEPLOY_SERVICE_POLICY = 'DeployService';

export interface S3Uri {
  bucket: string;
  /** Without leading or trailing slashes; '' for the whole bucket. */
  prefix: string;
}

export interface Ec2SsmParams {
  /** Undefined: the job's region. */
  regions: string[] | undefined;
  document: string;
}

export interface ExternalAuditStorageParams {
  auditEventsUri: S3Uri;
  sessionRecordingsUri: S3Uri;
  athenaResultsUri: S3Uri;
  athenaWorkgroup: string;
  glueDatabase: string;
  glueTable: string;
  policyName: string;
}

/** Where Access Graph reads CloudTrail events from (Identity Security Activity Center); all or nothing, as Teleport requires. */
export interface AccessGraphEventSources {
  /** https://sqs.<region>.amazonaws.com/<account>/<queue>, in Teleport's form. */
  sqsQueueUrl: string;
  /** arn:<partition>:s3:::<bucket> */
  cloudTrailBucketArn: string;
  kmsKeyArns: string[];
}

export interface AccessGraphParams {
  eventSources: AccessGraphEventSources | undefined;
}

export interface SessionSummariesParams {
  /** A Bedrock model ID, a Bedrock ARN, or `*` (Teleport's `--resource`). */
  model: string;
}

/** A role users assume through aws-app-access (AWS console and CLI), by name or ARN of the integration's account. */
export type ConsoleRoleRef = RoleRef;

export interface AppAccessParams {
  /** Roles made assumable the way Teleport needs (tagged and trusting the integration role); [] when none are declared. */
  roles: ConsoleRoleRef[];
}

/** deploy-service: the Database Service's ECS task role, and the integration role's policy that deploys it. */
export interface DeployServiceParams {
  taskRole: string;
  policyName: string;
}

export type FeatureDeclaration =
  | { key: 'ec2-ssm'; params: Ec2SsmParams }
  | { key: 'external-audit-storage'; params: ExternalAuditStorageParams }
  | { key: 'access-graph'; params: AccessGraphParams }
  | { key: 'session-summaries'; params: SessionSummariesParams }
  | { key: 'deploy-service'; params: DeployServiceParams }
  | { key: 'aws-app-access'; params: AppAccessParams }
  | {
      key: Exclude<FeatureKey, 'ec2-ssm' | 'external-audit-storage' | 'access-graph' | 'session-summaries' | 'deploy-service' | 'aws-app-access'>;
      params: Record<string, never>;
    };

const INPUT = 'features';
const EXAMPLE = 'eks, access-graph';
const EXAMPLES: Partial<Record<FeatureKey, string>> = {
  'ec2-ssm': '{ ec2-ssm: { regions: [us-east-1, eu-west-1], document: TeleportDiscoveryInstaller } }',
  'external-audit-storage':
    '{ external-audit-storage: { audit-events-uri: "s3://audit/events", session-recordings-uri: "s3://audit/sessions", ' +
    'athena-results-uri: "s3://audit/results", athena-workgroup: teleport, glue-database: teleport, glue-table: events } }',
  'access-graph':
    '{ access-graph: { sqs-queue-url: "https://sqs.us-east-1.amazonaws.com/123456789012/cloudtrail-events", ' +
    'cloudtrail-bucket-arn: "arn:aws:s3:::acme-cloudtrail", kms-key-arns: ["arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"] } }',
  'session-summaries': '{ session-summaries: { model: anthropic.claude-3-5-sonnet-20240620-v1:0 } }',
  'deploy-service': '{ deploy-service: { task-role: TeleportDatabaseServiceTask } }',
  'aws-app-access': '{ aws-app-access: { roles: [ConsoleReadOnly, "arn:aws:iam::123456789012:role/Admin"] } }',
};

// SSM document names: 3 to 128 of letters, digits, _ - . (AWS reserves aws-, amazon and amzn prefixes for its own).
const DOCUMENT_NAME = /^[A-Za-z0-9_.-]{3,128}$/;
const POLICY_NAME = /^[\w+=,.@-]{1,128}$/;
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const ATHENA_WORKGROUP = /^[A-Za-z0-9._-]{1,128}$/;
const GLUE_NAME = /^[A-Za-z0-9_.-]{1,255}$/;
// Teleport's own rule for the queue URL (lib/integrations/awsoidc/accessgraph_sync.go, sqsQueueRegex).
export const SQS_QUEUE_URL = /^https:\/\/sqs\.([a-z0-9-]+)\.amazonaws\.com\/([0-9]{12})\/([a-zA-Z0-9_-]+)$/;
const S3_BUCKET_ARN = /^arn:(aws[a-z-]*):s3:::([^/:]+)$/;
const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z]{2}(-[a-z]+)+-\d{1,2}:\d{12}:key\/[A-Za-z0-9-]+$/;
// Bedrock: a model ID (provider.model[:version]), any Bedrock ARN, or * (Teleport's three forms).
const BEDROCK_MODEL_ID = /^[a-z0-9-]{1,63}(\.[a-z0-9-]{1,63}){1,3}(:[a-z0-9-]{1,63}){0,2}$/;
const BEDROCK_ARN = /^arn:aws[a-z-]*:bedrock:([a-z0-9-]+|\*):(\d{12})?:[a-z-]+\/\S+$/;

class Reader {
  readonly lines = new LineCounter();

  where(node: Node | null | undefined): string {
    if (!node?.range) return '';
    return `line ${this.lines.linePos(node.range[0]).line}: `;
  }

  fail(node: Node | null | undefined, problem: string, key?: FeatureKey): never {
    throw new InputError(INPUT, `${this.where(node)}${problem}`, (key && EXAMPLES[key]) ?? EXAMPLE);
  }
}

function knownKey(reader: Reader, node: Node | null | undefined, key: string): FeatureKey {
  if ((FEATURE_KEYS as readonly string[]).includes(key)) return key as FeatureKey;
  return reader.fail(node, `"${key}" is not a feature (known: ${FEATURE_KEYS.join(', ')})`);
}

function scalarText(reader: Reader, node: Node | null | undefined, what: string, key: FeatureKey): string {
  const value: unknown = isScalar(node) ? node.value : undefined;
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') reader.fail(node, `${what} must be a single value`, key);
  return String(value).trim();
}

function parseS3Uri(reader: Reader, node: Node | null | undefined, what: string): S3Uri {
  const text = scalarText(reader, node, what, 'external-audit-storage');
  const match = /^([a-z][a-z0-9+.-]*):\/\/([^/]*)(\/.*)?$/i.exec(text);
  if (!match || match[1] !== 's3') reader.fail(node, `${what} "${text}" is not an s3:// URI (s3://bucket or s3://bucket/prefix)`, 'external-audit-storage');
  const bucket = match[2];
  if (!BUCKET.test(bucket) || bucket.includes('..')) {
    reader.fail(node, `${what} "${text}" names an invalid bucket "${bucket}" (3 to 63 lowercase letters, digits, dots and hyphens)`, 'external-audit-storage');
  }
  const prefix = (match[3] ?? '').replace(/^\/+|\/+$/g, '');
  if (/[*?]/.test(prefix)) reader.fail(node, `${what} "${text}" has a wildcard in its prefix`, 'external-audit-storage');
  return { bucket, prefix };
}

function parseRegions(reader: Reader, node: Node | null | undefined): string[] {
  const items = isSeq(node) ? node.items : isScalar(node) && typeof node.value === 'string' ? [node] : undefined;
  if (!items) return reader.fail(node, 'ec2-ssm: regions must be a list of region names', 'ec2-ssm');
  const regions: string[] = [];
  for (const item of items as Node[]) {
    for (const region of scalarText(reader, item, 'ec2-ssm: a region', 'ec2-ssm')
      .split(/[\s,]+/)
      .filter(Boolean)) {
      if (!REGION.test(region)) reader.fail(item, `ec2-ssm: "${region}" is not an AWS region name`, 'ec2-ssm');
      if (!regions.includes(region)) regions.push(region);
    }
  }
  if (regions.length === 0) reader.fail(node, "ec2-ssm: regions is empty; leave it out for the job's region", 'ec2-ssm');
  return regions;
}

/** The parameters of one feature as a map of kebab-case names; `eks:` alone and `eks: {}` mean none. */
function paramPairs(reader: Reader, key: FeatureKey, value: Node | null | undefined): Map<string, Pair<Node, Node>> {
  const pairs = new Map<string, Pair<Node, Node>>();
  if (value === null || value === undefined || (isScalar(value) && (value.value === null || value.value === ''))) return pairs;
  if (!isMap(value)) reader.fail(value, `${key}: the parameters must be a mapping (name: value)`, key);
  for (const pair of value.items as Pair<Node, Node>[]) {
    const name = scalarText(reader, pair.key, `${key}: a parameter name`, key);
    pairs.set(name, pair);
  }
  return pairs;
}

function declare(reader: Reader, key: FeatureKey, keyNode: Node | null | undefined, value: Node | null | undefined): FeatureDeclaration {
  const pairs = paramPairs(reader, key, value);
  const allowed: Record<FeatureKey, string[]> = {
    'ec2-ssm': ['regions', 'document'],
    'external-audit-storage': [
      'audit-events-uri',
      'session-recordings-uri',
      'athena-results-uri',
      'athena-workgroup',
      'glue-database',
      'glue-table',
      'policy-name',
    ],
    'ec2-instance-connect-endpoint': [],
    eks: [],
    rds: [],
    'aws-app-access': ['roles'],
    'access-graph': ['sqs-queue-url', 'cloudtrail-bucket-arn', 'kms-key-arns'],
    'identity-center': [],
    'session-summaries': ['model'],
    'deploy-service': ['task-role', 'policy-name'],
  };
  for (const [name, pair] of pairs) {
    if (!allowed[key].includes(name)) {
      const known = allowed[key].length > 0 ? `known: ${allowed[key].join(', ')}` : `${key} takes no parameters`;
      reader.fail(pair.key, `${key}: unknown parameter "${name}" (${known})`, key);
    }
  }
  const value_ = (name: string) => pairs.get(name)?.value;
  if (key === 'ec2-ssm') {
    const regions = pairs.has('regions') ? parseRegions(reader, value_('regions')) : undefined;
    const document = pairs.has('document') ? scalarText(reader, value_('document'), 'ec2-ssm: document', key) : DEFAULT_SSM_DOCUMENT;
    if (!DOCUMENT_NAME.test(document)) {
      reader.fail(value_('document'), `ec2-ssm: document "${document}" is not a valid SSM document name (3 to 128 letters, digits, _ - .)`, key);
    }
    if (document !== AWS_RUN_SHELL_SCRIPT && /^(aws|amazon|amzn)/i.test(document)) {
      reader.fail(value_('document'), `ec2-ssm: document "${document}" starts with a prefix AWS reserves (aws, amazon, amzn)`, key);
    }
    return { key, params: { regions, document } };
  }
  if (key === 'external-audit-storage') {
    const required = allowed[key].filter((name) => name !== 'policy-name');
    const missing = required.filter((name) => !pairs.has(name));
    if (missing.length > 0) reader.fail(keyNode, `external-audit-storage: missing ${missing.join(', ')}`, key);
    const named = (name: string, pattern: RegExp, rule: string) => {
      const text = scalarText(reader, value_(name), `external-audit-storage: ${name}`, key);
      if (!pattern.test(text)) reader.fail(value_(name), `external-audit-storage: ${name} "${text}" is not valid (${rule})`, key);
      return text;
    };
    return {
      key,
      params: {
        auditEventsUri: parseS3Uri(reader, value_('audit-events-uri'), 'external-audit-storage: audit-events-uri'),
        sessionRecordingsUri: parseS3Uri(reader, value_('session-recordings-uri'), 'external-audit-storage: session-recordings-uri'),
        athenaResultsUri: parseS3Uri(reader, value_('athena-results-uri'), 'external-audit-storage: athena-results-uri'),
        athenaWorkgroup: named('athena-workgroup', ATHENA_WORKGROUP, 'letters, digits, . _ -'),
        glueDatabase: named('glue-database', GLUE_NAME, 'letters, digits, . _ -'),
        glueTable: named('glue-table', GLUE_NAME, 'letters, digits, . _ -'),
        policyName: pairs.has('policy-name')
          ? named('policy-name', POLICY_NAME, 'an IAM policy name: 1 to 128 of letters, digits and + = , . @ _ -')
          : DEFAULT_AUDIT_STORAGE_POLICY,
      },
    };
  }
  if (key === 'deploy-service') {
    if (!pairs.has('task-role')) reader.fail(keyNode, 'deploy-service: missing task-role (the IAM role the Database Service runs as in ECS)', key);
    const taskRole = scalarText(reader, value_('task-role'), 'deploy-service: task-role', key);
    if (!ROLE_NAME.test(taskRole)) {
      reader.fail(value_('task-role'), `deploy-service: task-role "${taskRole}" is not an IAM role name (1 to 64 of letters, digits and + = , . @ _ -)`, key);
    }
    const policyName = pairs.has('policy-name') ? scalarText(reader, value_('policy-name'), 'deploy-service: policy-name', key) : DEFAULT_DEPLOY_SERVICE_POLICY;
    if (!POLICY_NAME.test(policyName)) {
      reader.fail(
        value_('policy-name'),
        `deploy-service: policy-name "${policyName}" is not an IAM policy name (1 to 128 of letters, digits and + = , . @ _ -)`,
        key,
      );
    }
    return { key, params: { taskRole, policyName } };
  }
  if (key === 'aws-app-access') return { key, params: { roles: pairs.has('roles') ? consoleRoles(reader, value_('roles')) : [] } };
  if (key === 'access-graph') return { key, params: { eventSources: accessGraphEventSources(reader, keyNode, pairs) } };
  if (key === 'session-summaries') {
    if (!pairs.has('model')) reader.fail(keyNode, 'session-summaries: missing model (a Bedrock model ID, a Bedrock ARN, or * for every model)', key);
    const model = scalarText(reader, value_('model'), 'session-summaries: model', key);
    if (model !== '*' && !BEDROCK_MODEL_ID.test(model) && !BEDROCK_ARN.test(model)) {
      reader.fail(
        value_('model'),
        `session-summaries: model "${model}" is not a Bedrock model ID (anthropic.claude-3-5-sonnet-20240620-v1:0), a Bedrock ARN (arn:aws:bedrock:...) or *`,
        key,
      );
    }
    return { key, params: { model } };
  }
  return { key, params: {} };
}

function stringList(reader: Reader, node: Node | null | undefined, what: string, key: FeatureKey): string[] {
  const items = isSeq(node) ? (node.items as Node[]) : [node];
  return items.flatMap((item) =>
    scalarText(reader, item, what, key)
      .split(/[\s,]+/)
      .filter(Boolean),
  );
}

/** aws-app-access's roles: names or role ARNs, all of one account (the integration's), each once. */
function consoleRoles(reader: Reader, node: Node | null | undefined): ConsoleRoleRef[] {
  const key = 'aws-app-access';
  const parsed = parseRoleRefs(stringList(reader, node, 'aws-app-access: a role', key));
  if ('problem' in parsed) return reader.fail(node, `aws-app-access: roles: ${parsed.problem}`, key);
  if (parsed.length === 0) reader.fail(node, 'aws-app-access: roles is empty; leave it out when no role is to be made assumable', key);
  return parsed;
}

/** The account the declared console roles' ARNs name, if any names one. */
export function consoleRolesAccount(features: FeatureDeclaration[]): string | undefined {
  return accountOfRefs(features.find((f) => f.key === 'aws-app-access')?.params.roles ?? []);
}

/** access-graph's event sources: the queue and the CloudTrail bucket together (Teleport's rule), KMS keys only beside them. */
function accessGraphEventSources(reader: Reader, keyNode: Node | null | undefined, pairs: Map<string, Pair<Node, Node>>): AccessGraphEventSources | undefined {
  const key = 'access-graph';
  if (pairs.size === 0) return undefined;
  const value = (name: string) => pairs.get(name)?.value;
  if (!pairs.has('sqs-queue-url') || !pairs.has('cloudtrail-bucket-arn')) {
    reader.fail(keyNode, 'access-graph: sqs-queue-url and cloudtrail-bucket-arn go together (kms-key-arns only beside them), as Teleport requires', key);
  }
  const sqsQueueUrl = scalarText(reader, value('sqs-queue-url'), 'access-graph: sqs-queue-url', key);
  if (!SQS_QUEUE_URL.test(sqsQueueUrl)) {
    reader.fail(
      value('sqs-queue-url'),
      `access-graph: sqs-queue-url "${sqsQueueUrl}" is not https://sqs.<region>.amazonaws.com/<account-id>/<queue-name>`,
      key,
    );
  }
  const region = SQS_QUEUE_URL.exec(sqsQueueUrl)![1];
  if (!REGION.test(region)) reader.fail(value('sqs-queue-url'), `access-graph: sqs-queue-url "${sqsQueueUrl}" names "${region}", not an AWS region`, key);
  const cloudTrailBucketArn = scalarText(reader, value('cloudtrail-bucket-arn'), 'access-graph: cloudtrail-bucket-arn', key);
  const bucket = S3_BUCKET_ARN.exec(cloudTrailBucketArn)?.[2];
  if (bucket === undefined || !BUCKET.test(bucket) || bucket.includes('..')) {
    reader.fail(
      value('cloudtrail-bucket-arn'),
      `access-graph: cloudtrail-bucket-arn "${cloudTrailBucketArn}" is not an S3 bucket ARN (arn:aws:s3:::bucket-name)`,
      key,
    );
  }
  const kmsKeyArns = pairs.has('kms-key-arns') ? stringList(reader, value('kms-key-arns'), 'access-graph: a KMS key ARN', key) : [];
  for (const arn of kmsKeyArns) {
    // An alias ARN in a policy's Resource controls the alias, never the key behind it: Decrypt would still be denied.
    const alias = /:alias\//.test(arn) ? ': an alias ARN in a policy grants nothing on the key behind it, name the key' : '';
    if (!KMS_KEY_ARN.test(arn)) {
      reader.fail(value('kms-key-arns'), `access-graph: "${arn}" is not a KMS key ARN (arn:aws:kms:<region>:<account-id>:key/<id>)${alias}`, key);
    }
  }
  return { sqsQueueUrl, cloudTrailBucketArn, kmsKeyArns: [...new Set(kmsKeyArns)] };
}

/** Parses the `features` input; the result is in FEATURE_KEYS order. */
export function parseFeatures(raw: string): FeatureDeclaration[] {
  if (raw.trim() === '') return [];
  const reader = new Reader();
  const document = parseDocument(raw, { lineCounter: reader.lines, uniqueKeys: true, prettyErrors: false });
  if (document.errors.length > 0) {
    const error = document.errors[0];
    const { line: row, col } = reader.lines.linePos(error.pos[0]);
    const line = row > 0 ? `line ${row}, column ${col}: ` : '';
    throw new InputError(INPUT, `${line}is not valid YAML (${error.message.split('\n')[0]})`, EXAMPLE);
  }
  const root = document.contents;
  const declared = new Map<FeatureKey, FeatureDeclaration>();
  const add = (name: string, keyNode: Node | null | undefined, value: Node | null | undefined) => {
    const key = knownKey(reader, keyNode, name);
    if (declared.has(key)) reader.fail(keyNode, `"${key}" is declared twice`, key);
    declared.set(key, declare(reader, key, keyNode, value));
  };
  if (isMap(root)) {
    for (const pair of root.items as Pair<Node, Node>[]) add(scalarText(reader, pair.key, 'a feature name', 'eks'), pair.key, pair.value);
  } else if (isSeq(root)) {
    for (const item of root.items as Node[]) add(scalarText(reader, item, 'a list item', 'eks'), item, null);
  } else if (isScalar(root) && typeof root.value === 'string') {
    // `eks, access-graph` or one key a line: YAML reads either as one plain string.
    for (const name of raw.split(/[\s,]+/).filter(Boolean)) add(name, root, null);
  } else {
    reader.fail(root, 'must name features: a mapping (eks: ...), a list, or keys separated by commas');
  }
  return FEATURE_KEYS.filter((key) => declared.has(key)).map((key) => declared.get(key)!);
}

/** The line a user adds to `features` to declare a feature (for check's hints). */
export function featureLine(key: FeatureKey): string {
  if (key === 'external-audit-storage' || key === 'session-summaries' || key === 'deploy-service') return `${key}: with its parameters, e.g. ${EXAMPLES[key]}`;
  // Declared bare, apply would rewrite a policy that names event sources without them.
  if (key === 'access-graph')
    return `${key}: (with sqs-queue-url, cloudtrail-bucket-arn and kms-key-arns if its policy names them; mode: import writes them out)`;
  return `${key}:`;
}
