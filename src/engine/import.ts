/**
 * mode import: the config file that declares what is live. Reads every aws-oidc integration
 * whose role is in the caller's account (each one's entry: import-entry.ts); writes nothing
 * anywhere. The file is then planned exactly as the next plan will plan it, so "a plan shows
 * no changes" is checked, not hoped: what would still change is said beside the entry.
 */
import { PARTITION_HOME_REGION, type Aws } from '../clients/aws.js';
import { TctlError, type IntegrationResource, type Tctl } from '../clients/tctl.js';
import { readClusterInfo } from '../clients/teleport-web.js';
import { parseConfigFile, type ConfigEntry } from '../config/config-file.js';
import { renderConfigFile } from '../config/config-writer.js';
import type { ImportSettings } from '../config/import-inputs.js';
import { errorMessage, InputErrors, RefusalError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { Change } from '../model/changes.js';
import { observeProvider } from '../resources/aws/oidc-provider.js';
import { clusterInfoKey, DISCOVERY_CONFIGS_KEY, INTEGRATIONS_KEY, observeAndPlan, providerKey, SharedReads } from './engine.js';
import { readEntry, type Candidate, type EntryReads } from './import-entry.js';
import { ENTRY_CONCURRENCY, pool } from './run-config.js';
import type { DiscoveryConfigResource } from '../model/teleport.js';
import type { AwsRaIntegrationResource } from '../model/roles-anywhere.js';
import { readRaEntry, readRaNames } from './import-ra.js';
import type { ImportedEntry, ImportResult, NotImported } from '../model/import-result.js';

export interface ImportDeps {
  aws: Aws;
  tctl: Tctl;
  logger: Logger;
}

/** The policy import's self-check plans each entry with: read-only, like plan mode. */
const PLAN_STEP = (tctlPath: string) => (name: string) => (name === 'mode' ? 'plan' : name === 'tctl-path' ? tctlPath : '');

const ROLE_ARN = /^arn:([\w-]+):iam::(\d{12}):role\/(?:[\w+=,.@/-]*\/)?([\w+=,.@-]{1,64})$/;

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

/**
 * Member roles made another way (Teleport's Terraform module leaves them to the user): the file
 * declares rollout none, so the first plan creates no StackSet; saying how to switch.
 */
function declareRolloutNone(entry: ImportedEntry): boolean {
  const matchers = (entry.entry.discovery as { matchers?: { organization?: Record<string, unknown> }[] } | undefined)?.matchers ?? [];
  const scoped = matchers.filter((m) => m.organization && m.organization.rollout === undefined);
  if (scoped.length === 0) return false;
  for (const matcher of scoped) matcher.organization!.rollout = 'none';
  entry.notes.push(
    "No StackSet of this action's rolls the member role out: the file declares rollout: none (member roles made another way; coverage not verified). " +
      'Remove it to have apply roll the member role out by StackSet and check coverage (docs/organizations.md).',
  );
  return true;
}

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
    if (plan.changes.some((c) => c.action === 'create-stack-set') && declareRolloutNone(entry)) continue;
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
  // Read through the reads the self-check's plans share, so those plans read none of them again.
  const shared = new SharedReads();
  const [clusterName, integrations, discoveryConfigs] = await Promise.all([
    settings.clusterName ?? shared.read(clusterInfoKey(settings.issuer.url), () => readClusterInfo(settings.issuer.url)).then((info) => info.clusterName),
    shared.read(INTEGRATIONS_KEY, () => tctl.list()),
    shared
      .read(DISCOVERY_CONFIGS_KEY, () => tctl.listAll<DiscoveryConfigResource>('discovery_config'))
      .catch((error: unknown) => {
        if (error instanceof TctlError) return error;
        throw error;
      }),
  ]);
  const warnings =
    discoveryConfigs instanceof TctlError ? [`discovery_configs were not read (${discoveryConfigs.message.split('.')[0]}): no entry declares discovery.`] : [];
  const awsOidc = integrations.filter((i) => i?.sub_kind === 'aws-oidc').sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
  const awsRa = (integrations as unknown as AwsRaIntegrationResource[])
    .filter((i) => i?.sub_kind === 'aws-ra' && (settings.integration === undefined || i.metadata.name === settings.integration))
    .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
  const importable = [...awsOidc.map((i) => i.metadata.name), ...awsRa.map((i) => i.metadata.name)];
  if (settings.integration !== undefined && !importable.includes(settings.integration)) {
    throw new Error(
      `Teleport has no aws-oidc or aws-ra integration "${settings.integration}" (it has ${importable.join(', ') || 'none'}). Nothing was imported.`,
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
    provider: candidates.length > 0 ? await shared.read(providerKey(providerArn), () => observeProvider(aws, providerArn)) : undefined,
    providerArn,
    regions,
    discoveryConfigs: discoveryConfigs instanceof TctlError ? undefined : discoveryConfigs,
  };
  // Reads only, like a check: as many at once, IAM's own bound (and its slowing on throttling) in the client.
  const read: (ImportedEntry | NotImported)[] = [];
  await pool(
    candidates.map((candidate, index) => ({ candidate, index })),
    ENTRY_CONCURRENCY,
    async ({ candidate, index }) => void (read[index] = await readEntry(candidate, reads)),
  );
  // aws-ra integrations: their trust anchor and profile named from the region's two lists.
  if (awsRa.length > 0) {
    const names = await readRaNames(aws);
    read.push(...awsRa.map((integration) => readRaEntry(integration, names, identity, aws.region)));
  }
  const checking: Checking = { settings, deps, shared };
  const checked: (ImportedEntry | NotImported)[] = [];
  const readEntries = read.filter(isImported);
  await pool(
    readEntries.map((entry, index) => ({ entry, index })),
    ENTRY_CONCURRENCY,
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
