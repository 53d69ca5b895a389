/**
 * mode import: the config file that declares what is live. Reads every aws-oidc integration
 * whose role is in the caller's account, and each one's role, provider, inline and managed
 * policies, ec2-ssm documents and discovery_configs; writes nothing anywhere. The file is then
 * planned exactly as the next plan will plan it, so "a plan shows no changes" is checked, not
 * hoped: what would still change is said beside the entry.
 */
import type { Aws, CallerIdentity } from '../clients/aws.js';
import { PARTITION_HOME_REGION } from '../clients/aws.js';
import { TctlError, type IntegrationResource, type Tctl } from '../clients/tctl.js';
import { discoverClusterName } from '../clients/teleport-web.js';
import { parseConfigFile, type ConfigEntry } from '../config/config-file.js';
import { renderConfigFile, type WrittenEntry } from '../config/config-writer.js';
import { AWS_RUN_SHELL_SCRIPT, DEFAULT_AUDIT_STORAGE_POLICY, DEFAULT_SSM_DOCUMENT, type FeatureDeclaration, type S3Uri } from '../config/features.js';
import type { ImportSettings } from '../config/import-inputs.js';
import { DEFAULT_ROLE_DESCRIPTION } from '../config/inputs.js';
import { partitionOfRegion, REGION } from '../config/regions.js';
import { errorMessage, InputErrors, RefusalError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { Change } from '../model/changes.js';
import { recognisePolicy } from '../resources/aws/feature-policies.js';
import { observeProvider, type ProviderState } from '../resources/aws/oidc-provider.js';
import { statementsOf } from '../resources/aws/policy-document.js';
import { listPolicyNames, readRolePolicy } from '../resources/aws/role-policies.js';
import { listManagedPolicyArns, observeRole, type RoleState } from '../resources/aws/role.js';
import { observeDocument, type DocumentState } from '../resources/aws/ssm-document.js';
import { CLUSTER_TAG, INTEGRATION_TAG, type Tags } from '../resources/aws/tags.js';
import { statementCovers, teleportTrustStatement } from '../resources/aws/trust-policy.js';
import { discoveryDeclarationOf, referencesIntegration, type DiscoveryConfigResource } from '../resources/teleport/discovery-config.js';
import { ownershipOf } from '../resources/teleport/ownership.js';
import { observeAndPlan, SharedReads } from './engine.js';
import { CHECK_CONCURRENCY, pool } from './run-config.js';

export interface ImportDeps {
  aws: Aws;
  tctl: Tctl;
  logger: Logger;
}

export interface ImportedEntry extends WrittenEntry {
  integration: string;
  roleArn: string;
  /** What a plan right after the import would still do; empty: nothing. */
  pending: string[];
}

export interface NotImported {
  integration: string;
  reason: string;
}

export interface ImportResult {
  identity: CallerIdentity;
  clusterName: string;
  entries: ImportedEntry[];
  notImported: NotImported[];
  /** Where ec2-ssm's documents were looked for (and where each integration's EC2 matchers enroll). */
  regions: string[];
  /** What could not be read, so the file may declare less than exists. */
  warnings: string[];
  /** The config file's text. */
  text: string;
}

/** An integration whose role is in this account, before its role is read. */
interface Candidate {
  integration: IntegrationResource;
  roleArn: string;
  roleName: string;
}

/** The policy import's self-check plans each entry with: read-only, like plan mode. */
const PLAN_STEP = (tctlPath: string) => (name: string) => (name === 'mode' ? 'plan' : name === 'tctl-path' ? tctlPath : '');

const ROLE_ARN = /^arn:([\w-]+):iam::(\d{12}):role\/(?:[\w+=,.@/-]*\/)?([\w+=,.@-]{1,64})$/;

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

interface EntryReads {
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
async function readEntry(candidate: Candidate, reads: EntryReads): Promise<ImportedEntry | NotImported> {
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
  const references = (reads.discoveryConfigs ?? []).filter((config) => referencesIntegration(config, name));
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
    const ours = ownershipOf(config.metadata.labels, name) === 'ours';
    if (ours && entry.discovery === undefined) entry.discovery = found.declaration;
    else if (!ours && entry.discovery === undefined && commentedDiscovery === undefined) {
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
  const discovery = entry.discovery as Record<string, unknown> | undefined;
  if (discovery?.['ssm-document'] === (ec2Ssm ? ec2Ssm.params.document : AWS_RUN_SHELL_SCRIPT)) delete discovery['ssm-document'];
  // Extra tags go on the role, the provider (when this entry tags it) and the documents: declare those all of them carry.
  if (provider && (provider.tags[INTEGRATION_TAG] ?? name) === name) taggedAlike.push(provider.tags);
  const tags = commonTags(extraTags(role.tags), taggedAlike);
  if (Object.keys(tags).length > 0) entry.tags = tags;
  return imported();
}

function roleArnOf(integration: IntegrationResource): string {
  const arn = (integration.spec as { aws_oidc?: { role_arn?: unknown } } | undefined)?.aws_oidc?.role_arn;
  return typeof arn === 'string' ? arn : '';
}

const isImported = (read: ImportedEntry | NotImported): read is ImportedEntry => 'entry' in read;
const isNotImported = (read: ImportedEntry | NotImported): read is NotImported => !('entry' in read);

/** Changes the discovery declaration makes: a plan that shows any keeps it commented out instead. */
const isDiscoveryChange = (change: Change): boolean =>
  change.resource === 'teleport-discovery-config' ||
  change.resource === 'teleport-join-token' ||
  ((change.action === 'create-role-policy' || change.action === 'update-role-policy') && change.feature === 'discovery');

interface Checking {
  settings: ImportSettings;
  deps: ImportDeps;
  shared: SharedReads;
}

/** The entry as the written file will hold it, parsed by the config file's own rules. */
function parseEntry(entry: ImportedEntry, { settings }: Checking): ConfigEntry | InputErrors {
  const text = renderConfigFile({ header: [], clusterUrl: settings.issuer.host, clusterName: settings.clusterName, entries: [entry] });
  try {
    return parseConfigFile(settings.configPath, text, PLAN_STEP(settings.tctlPath)).entries[0];
  } catch (error) {
    if (error instanceof InputErrors) return error;
    throw error;
  }
}

/** The discovery declaration, kept as a comment beside the entry instead, with why. */
function keepDiscoveryAsComment(entry: ImportedEntry, why: string): void {
  const discovery = entry.entry.discovery as Record<string, unknown>;
  delete entry.entry.discovery;
  entry.commentedDiscovery = {
    reason: `This action's discovery_config for the integration is not declared: a plan would change it (${why}). To declare it, uncomment:`,
    declaration: { discovery },
  };
}

/**
 * Plans the entry as the next plan will: what it would change becomes `pending`; a declared
 * discovery that would change anything is kept as a comment; an entry the plan refuses, or
 * that does not validate, is not imported.
 */
async function selfCheck(entry: ImportedEntry, checking: Checking): Promise<ImportedEntry | NotImported> {
  const { deps, shared } = checking;
  for (;;) {
    const parsed = parseEntry(entry, checking);
    if (parsed instanceof InputErrors) {
      const problem = parsed.errors.map((e) => e.problem).join('; ');
      if (entry.entry.discovery !== undefined) {
        keepDiscoveryAsComment(entry, `it does not validate: ${problem}`);
        continue;
      }
      if (entry.entry.tags !== undefined) {
        entry.notes.push(`The role's extra tags are not declared: ${problem}.`);
        delete entry.entry.tags;
        continue;
      }
      return { integration: entry.integration, reason: `its entry would not validate: ${problem}` };
    }
    let plan;
    try {
      plan = await observeAndPlan(parsed.settings, { aws: deps.aws, tctl: deps.tctl, logger: deps.logger, shared });
    } catch (error) {
      if (entry.entry.discovery === undefined) throw error;
      keepDiscoveryAsComment(entry, errorMessage(error));
      continue;
    }
    if (plan.observed.teleportError) throw plan.observed.teleportError;
    const discoveryRefusals = plan.refusals.filter((r) => r.resource === 'teleport-discovery-config' || r.resource === 'teleport-join-token');
    const discoveryChanges = plan.changes.filter(isDiscoveryChange);
    if (entry.entry.discovery !== undefined && discoveryRefusals.length + discoveryChanges.length > 0) {
      keepDiscoveryAsComment(
        entry,
        [...discoveryRefusals.map((r) => r.message), ...discoveryChanges.map((c) => `${c.action} ${c.target}: ${c.reason}`)].join('; '),
      );
      continue;
    }
    if (plan.refusals.length > 0) return { integration: entry.integration, reason: plan.refusals.map((r: RefusalError) => r.message).join(' ') };
    entry.pending = plan.changes.map((c) => `${c.action} ${c.target}: ${c.reason}`);
    return entry;
  }
}

function header(result: Omit<ImportResult, 'text'>, settings: ImportSettings, region: string, now: Date): string[] {
  const { identity, clusterName, entries, notImported, warnings } = result;
  const planned = entries.every((e) => e.pending.length === 0)
    ? 'A plan with this file (run in the same region) shows no changes.'
    : 'A plan with this file (run in the same region) shows no changes, except where an entry says it would.';
  return [
    `Teleport AWS OIDC integrations, written by teleport-aws-oidc-integration-action's mode: import on ${now.toISOString()} ` +
      `from AWS account ${identity.account} (as ${identity.arn}, region ${region}) and Teleport cluster ${clusterName}.`,
    planned,
    'Review it in a pull request; the notes above an entry are what it does not declare. Schema: schema/config.schema.json.',
    ...warnings,
    ...notImported.map((n) => `Not imported: ${n.integration}: ${n.reason}.`),
    ...(settings.integration ? [`Only integration ${settings.integration} was looked at (the integration input).`] : []),
  ];
}

/** Reads what is live and builds the config file that declares it; writes nothing anywhere. */
export async function importIntegrations(settings: ImportSettings, deps: ImportDeps, now = new Date()): Promise<ImportResult> {
  const { aws, tctl, logger } = deps;
  const identity = await aws.identity();
  logger.info(`AWS account ${identity.account} (partition ${identity.partition}) as ${identity.arn}`);
  if (settings.accountId !== undefined && settings.accountId !== identity.account) {
    throw new Error(
      `The AWS credentials are for account ${identity.account} (${identity.arn}), but account-id is ${settings.accountId}. ` +
        'Nothing was imported. Assume a role in the right account, or correct account-id.',
    );
  }
  const [clusterName, integrations, discoveryConfigs] = await Promise.all([
    settings.clusterName ?? discoverClusterName(settings.issuer.url),
    tctl.list(),
    tctl.listAll<DiscoveryConfigResource>('discovery_config').catch((error: unknown) => {
      if (error instanceof TctlError) return error;
      throw error;
    }),
  ]);
  const warnings =
    discoveryConfigs instanceof TctlError ? [`discovery_configs were not read (${discoveryConfigs.message.split('.')[0]}): no entry declares discovery.`] : [];
  const awsOidc = integrations.filter((i) => i?.sub_kind === 'aws-oidc').sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
  if (settings.integration !== undefined && !awsOidc.some((i) => i.metadata.name === settings.integration)) {
    throw new Error(
      `Teleport has no aws-oidc integration "${settings.integration}" (it has ${awsOidc.map((i) => i.metadata.name).join(', ') || 'none'}). Nothing was imported.`,
    );
  }
  const notImported: NotImported[] = [];
  const candidates: Candidate[] = [];
  const roleOwners = new Map<string, string>();
  for (const integration of awsOidc.filter((i) => settings.integration === undefined || i.metadata.name === settings.integration)) {
    const name = integration.metadata.name;
    const roleArn = roleArnOf(integration);
    const match = ROLE_ARN.exec(roleArn);
    if (!match) {
      notImported.push({ integration: name, reason: `its role_arn "${roleArn}" is not an IAM role ARN` });
    } else if (match[1] !== identity.partition || match[2] !== identity.account) {
      notImported.push({
        integration: name,
        reason: `its role is in account ${match[2]}, the credentials are for ${identity.account}: import it with that account's`,
      });
    } else if (roleOwners.has(match[3].toLowerCase())) {
      notImported.push({
        integration: name,
        reason: `it uses role ${match[3]}, as integration ${roleOwners.get(match[3].toLowerCase())} does: one role per entry`,
      });
    } else {
      roleOwners.set(match[3].toLowerCase(), name);
      candidates.push({ integration, roleArn, roleName: match[3] });
    }
  }

  const providerArn = `arn:${identity.partition}:iam::${identity.account}:oidc-provider/${settings.issuer.host}`;
  const regions = settings.regions.length > 0 ? settings.regions : [...new Set([aws.region, PARTITION_HOME_REGION[identity.partition] ?? aws.region])];
  const reads: EntryReads = {
    aws,
    identity,
    clusterName,
    settings,
    provider: candidates.length > 0 ? await observeProvider(aws, providerArn) : undefined,
    providerArn,
    regions,
    discoveryConfigs: discoveryConfigs instanceof TctlError ? undefined : discoveryConfigs,
  };
  // Reads only, like a check: as many at once, IAM's own bound (and its slowing on throttling) in the client.
  const read: (ImportedEntry | NotImported)[] = [];
  await pool(
    candidates.map((candidate, index) => ({ candidate, index })),
    CHECK_CONCURRENCY,
    async ({ candidate, index }) => void (read[index] = await readEntry(candidate, reads)),
  );
  const checking: Checking = { settings, deps, shared: new SharedReads() };
  const checked: (ImportedEntry | NotImported)[] = [];
  const readEntries = read.filter(isImported);
  await pool(
    readEntries.map((entry, index) => ({ entry, index })),
    CHECK_CONCURRENCY,
    async ({ entry, index }) => void (checked[index] = await selfCheck(entry, checking)),
  );
  notImported.push(...read.filter(isNotImported), ...checked.filter(isNotImported));
  const entries = checked.filter(isImported);
  const result = { identity, clusterName, entries, notImported, regions, warnings };
  const text = renderConfigFile({
    header: header(result, settings, aws.region, now),
    clusterUrl: settings.issuer.host,
    clusterName: settings.clusterName,
    entries,
  });
  // Every entry validated on its own; the whole file must too (names and roles once).
  if (entries.length > 0) parseConfigFile(settings.configPath, text, PLAN_STEP(settings.tctlPath));
  return { ...result, text };
}
