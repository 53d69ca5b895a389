/**
 * mode import, one integration: what its live role, provider, policies, documents and
 * discovery_configs declare, as a config-file entry, and what they cannot (notes beside the
 * entry). Reads only.
 */
import type { Aws, CallerIdentity } from '../clients/aws.js';
import type { IntegrationResource } from '../clients/tctl.js';
import type { WrittenEntry } from '../config/config-writer.js';
import {
  AWS_RUN_SHELL_SCRIPT,
  DEFAULT_AUDIT_STORAGE_POLICY,
  DEFAULT_DEPLOY_SERVICE_POLICY,
  DEFAULT_SSM_DOCUMENT,
  type FeatureDeclaration,
  type S3Uri,
} from '../config/features.js';
import type { ImportSettings } from '../config/import-inputs.js';
import { DEFAULT_ROLE_DESCRIPTION } from '../config/inputs.js';
import { partitionOfRegion, REGION } from '../config/regions.js';
import { recognisePolicy } from '../resources/aws/recognise-policy.js';
import { statementsOf } from '../resources/aws/policy-document.js';
import { listPolicyNames, readRolePolicy } from '../resources/aws/role-policies.js';
import { listManagedPolicyArns, observeRole } from '../resources/aws/role.js';
import { observeDocument, type DocumentState } from '../resources/aws/ssm-document.js';
import { CLUSTER_TAG, INTEGRATION_TAG } from '../resources/aws/tags.js';
import { statementCovers, teleportTrustStatement } from '../resources/aws/trust-policy.js';
import { discoveryDeclarationOf, referencesIntegration } from '../resources/teleport/discovery-config.js';
import { ownershipOf } from '../resources/teleport/ownership.js';
import type { ProviderState, RoleState } from '../model/aws.js';
import type { DiscoveryConfigResource } from '../model/teleport.js';
import type { Tags } from '../config/tags.js';
import type { ImportedEntry, NotImported } from '../model/import-result.js';

/** An integration whose role is in this account, before its role is read. */
export interface Candidate {
  integration: IntegrationResource;
  roleArn: string;
  roleName: string;
}

function s3Text(uri: S3Uri): string {
  return `s3://${uri.bucket}${uri.prefix ? `/${uri.prefix}` : ''}`;
}

/** A feature declaration as the config file's `features` mapping writes it. */
function featureValue(declaration: FeatureDeclaration): unknown {
  switch (declaration.key) {
    case 'ec2-ssm': {
      const { regions, document } = declaration.params;
      const params = { ...(regions ? { regions } : {}), ...(document !== DEFAULT_SSM_DOCUMENT ? { document } : {}) };
      return Object.keys(params).length > 0 ? params : null;
    }
    case 'external-audit-storage': {
      const p = declaration.params;
      return {
        'audit-events-uri': s3Text(p.auditEventsUri),
        'session-recordings-uri': s3Text(p.sessionRecordingsUri),
        'athena-results-uri': s3Text(p.athenaResultsUri),
        'athena-workgroup': p.athenaWorkgroup,
        'glue-database': p.glueDatabase,
        'glue-table': p.glueTable,
        ...(p.policyName !== DEFAULT_AUDIT_STORAGE_POLICY ? { 'policy-name': p.policyName } : {}),
      };
    }
    case 'access-graph': {
      const sources = declaration.params.eventSources;
      if (!sources) return null;
      return {
        'sqs-queue-url': sources.sqsQueueUrl,
        'cloudtrail-bucket-arn': sources.cloudTrailBucketArn,
        ...(sources.kmsKeyArns.length > 0 ? { 'kms-key-arns': sources.kmsKeyArns } : {}),
      };
    }
    case 'session-summaries':
      return { model: declaration.params.model };
    case 'deploy-service': {
      const { taskRole, policyName } = declaration.params;
      return { 'task-role': taskRole, ...(policyName !== DEFAULT_DEPLOY_SERVICE_POLICY ? { 'policy-name': policyName } : {}) };
    }
    default:
      return null;
  }
}

/** Tags a person added besides Teleport's, that the entry can declare: IAM's own and Teleport's are not theirs to declare. */
function extraTags(tags: Tags): Tags {
  return Object.fromEntries(Object.entries(tags).filter(([key]) => !key.startsWith('teleport.dev/') && !key.toLowerCase().startsWith('aws:')));
}

/** Keeps the tags present with the same value on every one of `others` as well. */
function commonTags(tags: Tags, others: Tags[]): Tags {
  return Object.fromEntries(Object.entries(tags).filter(([key, value]) => others.every((other) => other[key] === value)));
}

/** What every entry reads from the same place: read once per import. */
export interface EntryReads {
  aws: Aws;
  identity: CallerIdentity;
  clusterName: string;
  settings: ImportSettings;
  provider: ProviderState | undefined;
  providerArn: string;
  regions: string[];
  discoveryConfigs: DiscoveryConfigResource[] | undefined;
}

/** ec2-ssm's document: where it is kept (and whether one must be adopted), among the regions looked at. */
async function findDocuments(reads: EntryReads, names: string[], regions: string[], integration: string, notes: string[]) {
  const { aws, identity } = reads;
  for (const name of names) {
    const found = await Promise.all(
      regions.map((region) => observeDocument(aws, region, name, `arn:${identity.partition}:ssm:${region}:${identity.account}:document/${name}`)),
    );
    const present = found.filter((d): d is DocumentState => d !== undefined);
    const mine = present.filter((d) => d.tags[INTEGRATION_TAG] === undefined || d.tags[INTEGRATION_TAG] === integration);
    for (const other of present.filter((d) => !mine.includes(d))) {
      notes.push(`SSM document ${name} in ${other.region} is tagged ${INTEGRATION_TAG}=${other.tags[INTEGRATION_TAG]}: that integration's, not declared here.`);
    }
    if (mine.length > 0) return { name, documents: mine };
  }
  return undefined;
}

/** The order a person reads an entry in: who, what it may take over, what it grants, then discovery. */
const KEY_ORDER = [
  'integration',
  'role-name',
  'roles-anywhere',
  'account-id',
  'role-description',
  'adopt-existing-role',
  'adopt-existing-provider',
  'adopt-existing-document',
  'features',
  'tags',
  'discovery',
  'adopt-existing-discovery',
];

function inKeyOrder(entry: Record<string, unknown>): Record<string, unknown> {
  const rank = (key: string) => (KEY_ORDER.includes(key) ? KEY_ORDER.indexOf(key) : KEY_ORDER.length);
  return Object.fromEntries(Object.entries(entry).sort(([a], [b]) => rank(a) - rank(b)));
}

/** One integration's entry from what is live, or why it cannot have one. */
export async function readEntry(candidate: Candidate, reads: EntryReads): Promise<ImportedEntry | NotImported> {
  const { aws, identity, clusterName, provider } = reads;
  const name = candidate.integration.metadata.name;
  const role: RoleState | undefined = await observeRole(aws, candidate.roleName);
  // The account is pinned: applied with another account's credentials, the entry is skipped, not created there.
  const entry: Record<string, unknown> = { integration: name, 'role-name': candidate.roleName, 'account-id': identity.account };
  const notes: string[] = [];
  let commentedDiscovery: WrittenEntry['commentedDiscovery'];
  const imported = (): ImportedEntry => ({ integration: name, roleArn: candidate.roleArn, entry: inKeyOrder(entry), notes, commentedDiscovery, pending: [] });
  if (!role) {
    notes.push(`Role ${candidate.roleName} does not exist: Teleport cannot use this integration, and apply creates the role.`);
    return imported();
  }
  const owner = role.tags[INTEGRATION_TAG];
  if (owner !== undefined && owner !== name) {
    return { integration: name, reason: `its role ${role.name} is tagged ${INTEGRATION_TAG}=${owner}: that integration's; one role per entry` };
  }
  const cluster = role.tags[CLUSTER_TAG];
  if (cluster !== undefined && cluster !== clusterName) {
    return { integration: name, reason: `its role ${role.name} is tagged ${CLUSTER_TAG}=${cluster}, not ${clusterName}: it is another cluster's` };
  }
  if (owner === undefined) entry['adopt-existing-role'] = true;
  if (provider && provider.tags[CLUSTER_TAG] === undefined) entry['adopt-existing-provider'] = true;
  if (role.description !== DEFAULT_ROLE_DESCRIPTION && role.description !== '') entry['role-description'] = role.description;

  const scope = { partition: identity.partition, account: identity.account, region: aws.region };
  const [policyNames, managed] = await Promise.all([listPolicyNames(aws, role.name), listManagedPolicyArns(aws, role.name)]);
  const documents = await Promise.all(policyNames.map(async (policy) => [policy, await readRolePolicy(aws, role.name, policy)] as const));
  const features: FeatureDeclaration[] = [];
  for (const [policy, document] of documents) {
    if (!document) continue;
    const found = recognisePolicy(policy, document, scope);
    if (found.kind === 'feature') {
      features.push(found.declaration);
      if (found.note) notes.push(`Feature ${found.declaration.key} (inline policy ${policy}): ${found.note}.`);
    } else if (found.kind === 'differs') {
      notes.push(
        `Inline policy ${policy} is Teleport's for feature ${found.feature} but differs from Teleport's document (changed by hand?): ` +
          `not declared, because apply would rewrite it. Declare ${found.feature} once Teleport's document will do.`,
      );
    } else if (found.kind === 'other-region') {
      notes.push(
        `Inline policy ${policy} is External Audit Storage's for region ${found.region} (its Athena and Glue ARNs), and this action writes it ` +
          `for the job's region (${aws.region}): not declared. Import, plan and apply with AWS_REGION ${found.region} to declare it.`,
      );
    } else if (found.kind === 'older-name') {
      notes.push(
        `Inline policy ${policy} is an older name of Teleport's policy for ${found.feature}: not declared (apply writes the current name). Kept as it is.`,
      );
    } else if (policy !== 'TeleportDiscovery') {
      notes.push(`Inline policy ${policy} is not one of Teleport's feature policies: not declared, kept as it is (this action never touches it).`);
    }
  }
  for (const arn of managed)
    notes.push(`Managed policy ${arn} is attached to the role: not declared, kept as it is (this action never attaches or detaches one).`);
  const wanted = teleportTrustStatement(reads.providerArn, reads.settings.issuer.host);
  const extraStatements = statementsOf(role.trustPolicy).filter((statement) => !statementCovers(statement, wanted));
  if (extraStatements.length > 0) {
    notes.push(
      `The trust policy has ${extraStatements.length} statement(s) besides Teleport's: not declared, and kept by every apply (the trust policy is merged, never replaced).`,
    );
  }

  // Teleport's side of discovery, when it can be declared; otherwise shown beside the entry.
  // This action's own first: it is the one to declare, the others are commented out or noted.
  const ours = (config: DiscoveryConfigResource) => ownershipOf(config.metadata.labels, name) === 'ours';
  const references = (reads.discoveryConfigs ?? []).filter((config) => referencesIntegration(config, name)).sort((a, b) => Number(ours(b)) - Number(ours(a)));
  const ec2SsmDocuments = new Set([DEFAULT_SSM_DOCUMENT]);
  // Where the integration's EC2 matchers enroll, its document is looked for too.
  const documentRegions = new Set(reads.regions);
  for (const matcher of references.flatMap((config) => config.spec?.aws ?? [])) {
    if (matcher?.integration !== name || !(Array.isArray(matcher.types) ? matcher.types : [matcher.types]).includes('ec2')) continue;
    for (const region of Array.isArray(matcher.regions) ? matcher.regions : [matcher.regions]) {
      if (typeof region === 'string' && REGION.test(region) && partitionOfRegion(region) === identity.partition) documentRegions.add(region);
    }
  }
  for (const config of references) {
    const found = discoveryDeclarationOf(config, name);
    const where = `discovery_config ${config.metadata.name}`;
    if ('reason' in found) {
      notes.push(`${where} uses this integration but cannot be declared: ${found.reason}. Left as it is.`);
      continue;
    }
    const document = found.declaration['ssm-document'];
    if (typeof document === 'string' && document !== AWS_RUN_SHELL_SCRIPT) ec2SsmDocuments.add(document);
    if (ours(config) && entry.discovery === undefined) entry.discovery = found.declaration;
    else if (!ours(config) && entry.discovery === undefined && commentedDiscovery === undefined) {
      commentedDiscovery = {
        reason:
          `${where} was made in the web UI or by hand (it has no labels of this action): declaring it takes it over, ` +
          'and the first apply writes its labels and the join token. To do that, uncomment these lines:',
        declaration: { discovery: found.declaration, 'adopt-existing-discovery': true },
      };
    } else notes.push(`${where} also uses this integration: an entry declares one discovery_config, so it is left as it is.`);
  }

  const ec2Ssm = features.find((f) => f.key === 'ec2-ssm');
  const taggedAlike: Tags[] = [];
  if (ec2Ssm) {
    const kept = await findDocuments(reads, [...ec2SsmDocuments], [...documentRegions], name, notes);
    ec2Ssm.params = kept ? { regions: kept.documents.map((d) => d.region), document: kept.name } : { regions: undefined, document: AWS_RUN_SHELL_SCRIPT };
    if (kept?.documents.some((d) => d.tags[INTEGRATION_TAG] === undefined)) entry['adopt-existing-document'] = true;
    taggedAlike.push(...(kept?.documents.map((d) => d.tags) ?? []));
    if (!kept)
      notes.push(`No SSM document ${[...ec2SsmDocuments].join(' or ')} in ${[...documentRegions].join(', ')}: ec2-ssm is declared with AWS-RunShellScript.`);
  }
  if (features.length > 0) entry.features = Object.fromEntries(features.map((f) => [f.key, featureValue(f)]));
  // The EC2 matchers' document is said only where it is not the one discovery would take anyway.
  for (const discovery of [entry.discovery, commentedDiscovery?.declaration.discovery] as (Record<string, unknown> | undefined)[]) {
    if (discovery?.['ssm-document'] === (ec2Ssm ? ec2Ssm.params.document : AWS_RUN_SHELL_SCRIPT)) delete discovery['ssm-document'];
  }
  // Extra tags go on the role, the provider (when this entry tags it) and the documents: declare those all of them carry.
  if (provider && (provider.tags[INTEGRATION_TAG] ?? name) === name) taggedAlike.push(provider.tags);
  const tags = commonTags(extraTags(role.tags), taggedAlike);
  if (Object.keys(tags).length > 0) entry.tags = tags;
  return imported();
}
