/** Desired state → observe → plan → apply. Free of @actions/*: the action is an adapter around it. */
import type { Aws, CallerIdentity } from '../clients/aws.js';
import { sortChanges, type Change } from '../model/changes.js';
import { desiredState, discoveryDocument, documentRegions, joinTokenName, rolePoliciesFor, withRoleArn } from './desired.js';
import type { DesiredState } from '../model/desired.js';
import { collecting, RefusalError, errorMessage } from '../errors.js';
import type { Settings } from '../config/inputs.js';
import { TctlError, type IntegrationResource, type Tctl } from '../clients/tctl.js';
import { partitionOfRegion } from '../config/regions.js';
import { planIntegration } from '../resources/teleport/integration.js';
import { observeRolePolicies, planRolePolicies, type RolePoliciesState } from '../resources/aws/role-policies.js';
import { observeDocument, planDocument, type DocumentState } from '../resources/aws/ssm-document.js';
import type { Logger } from '../logger.js';
import { observeProvider, planProvider } from '../resources/aws/oidc-provider.js';
import { observeRole, planRole } from '../resources/aws/role.js';
import { readClusterInfo } from '../clients/teleport-web.js';
import { olderThan, ORGANIZATION_DISCOVERY, type VersionGate } from '../model/teleport-versions.js';
import { readServedChain, type ServedChain } from '../clients/tls.js';
import { ALL_REGIONS, organizationOf } from '../config/discovery.js';
import { observeOrganization, planOrganization } from './organization.js';
import type { ObservedOrganization } from '../model/organization.js';
import { AWS_RUN_SHELL_SCRIPT } from '../config/features.js';
import { planDiscoveryConfig } from '../resources/teleport/discovery-config.js';
import { planJoinToken } from '../resources/teleport/join-token.js';
import { applierOf, type ApplyContext } from './appliers.js';
import type { UserTaskResource } from '../resources/teleport/discovery-health.js';
import type { ProviderState, RoleState } from '../model/aws.js';
import type { DiscoveryConfigResource, JoinTokenResource } from '../model/teleport.js';

export interface EngineDeps {
  aws: Aws;
  /** Absent with skip-teleport. */
  tctl: Tctl | undefined;
  logger: Logger;
  /** Reads several integrations of one run share (the provider, the issuer's chain and cluster name). */
  shared?: SharedReads;
}

/** Memoised reads, keyed by what they read; forgotten when a run changes what they read. */
export class SharedReads {
  private readonly reads = new Map<string, Promise<unknown>>();

  read<T>(key: string, read: () => Promise<T>): Promise<T> {
    let pending = this.reads.get(key) as Promise<T> | undefined;
    if (!pending) {
      pending = read();
      this.reads.set(key, pending);
    }
    return pending;
  }

  forget(key: string): void {
    this.reads.delete(key);
  }
}

export const shareable = <T>(deps: EngineDeps, key: string, read: () => Promise<T>): Promise<T> => (deps.shared ? deps.shared.read(key, read) : read());

export const providerKey = (arn: string) => `provider:${arn}`;
export const chainKey = (host: string) => `chain:${host}`;
/** The proxy's /webapi/find: the cluster's name and version. */
export const clusterInfoKey = (issuerUrl: string) => `webapi-find:${issuerUrl}`;
export const INTEGRATIONS_KEY = 'tctl:integrations';
export const DISCOVERY_CONFIGS_KEY = 'tctl:discovery_configs';
/** A join token, read by its name (never listed: other tokens' names can be secrets). */
export const tokenKey = (name: string) => `tctl:token:${name}`;

export interface Observed {
  provider: ProviderState | undefined;
  role: RoleState | undefined;
  /** The declared features' inline policies (and, in check mode, every inline policy name). */
  rolePolicies: RolePoliciesState;
  /** ec2-ssm's document per listed region; undefined where missing. */
  documents: Map<string, DocumentState | undefined>;
  /** Undefined when missing or when Teleport is skipped (see `teleportSkipped`). */
  integration: IntegrationResource | undefined;
  teleportSkipped: boolean;
  /** tctl could not read the integration: the AWS side goes on, then the run fails with this. */
  teleportError: TctlError | undefined;
  /** Every discovery_config (read with discovery declared, and in check mode); undefined when not read. */
  discoveryConfigs: DiscoveryConfigResource[] | undefined;
  /** Ours, by its declared name; undefined when missing or not declared. */
  discoveryConfig: DiscoveryConfigResource | undefined;
  joinToken: JoinTokenResource | undefined;
  /** Check mode with discovery: every user task. */
  userTasks: UserTaskResource[] | undefined;
  /** Undefined only in check mode when the issuer could not be reached (see chainError). */
  chain: ServedChain | undefined;
  chainError: string | undefined;
  /** The cluster's Teleport version, read when a declared capability needs a minimum; undefined when unknown. */
  serverVersion: string | undefined;
  /** Read when discovery declares an organization. */
  organization: ObservedOrganization | undefined;
}

export interface Plan {
  identity: CallerIdentity;
  desired: DesiredState;
  observed: Observed;
  changes: Change[];
  /** What the action refuses to touch; any refusal fails apply and plan. */
  refusals: RefusalError[];
}

/** The credentials must be for the declared account, and every listed region in their partition. */
export function checkIdentity(settings: Settings, identity: CallerIdentity, jobRegion: string): void {
  if (settings.accountId !== undefined && settings.accountId !== identity.account) {
    throw new Error(
      `The AWS credentials are for account ${identity.account} (${identity.arn}), but account-id is ${settings.accountId}. ` +
        'Nothing was read or written. Assume a role in the right account, or correct account-id.',
    );
  }
  const foreign = documentRegions(settings.features, jobRegion).filter((region) => partitionOfRegion(region) !== identity.partition);
  if (foreign.length > 0) {
    throw new Error(
      `ec2-ssm lists ${foreign.join(', ')}, outside the credentials' partition ${identity.partition}: ` +
        'one run works in one partition. List only regions of that partition.',
    );
  }
  const matchers = settings.discovery?.matchers ?? [];
  const foreignMatcherRegions = matchers.flatMap((m) => m.regions).filter((r) => r !== ALL_REGIONS && partitionOfRegion(r) !== identity.partition);
  if (foreignMatcherRegions.length > 0) {
    throw new Error(
      `discovery lists ${[...new Set(foreignMatcherRegions)].join(', ')}, outside the credentials' partition ${identity.partition}: ` +
        'the integration role cannot reach them. List only regions of that partition.',
    );
  }
  // EC2 instances are enrolled with our own SSM document only where ec2-ssm keeps it.
  const document = discoveryDocument(settings);
  const kept = documentRegions(settings.features, jobRegion);
  if (document !== AWS_RUN_SHELL_SCRIPT && settings.features.some((f) => f.key === 'ec2-ssm' && f.params.document === document)) {
    const missing = matchers
      .filter((m) => m.types.includes('ec2'))
      .flatMap((m) => m.regions)
      .filter((r) => r !== ALL_REGIONS && !kept.includes(r));
    if (missing.length > 0) {
      throw new Error(
        `discovery enrolls EC2 instances in ${[...new Set(missing)].join(', ')} with SSM document ${document}, but ec2-ssm keeps it only in ${kept.join(', ')}. ` +
          'Add those regions to ec2-ssm regions, or set discovery ssm-document: AWS-RunShellScript.',
      );
    }
  }
}

/** Awaits every read at once, keeping each result under its name. */
async function allNamed<T extends Record<string, unknown>>(reads: T): Promise<{ [K in keyof T]: Awaited<T[K]> }> {
  const entries = await Promise.all(Object.entries(reads).map(async ([name, read]) => [name, await read] as const));
  return Object.fromEntries(entries) as { [K in keyof T]: Awaited<T[K]> };
}

/** A Teleport read that fails is kept as the error, so the AWS side goes on and the run fails after. */
function teleportRead<T>(read: Promise<T>): Promise<T | TctlError> {
  return read.catch((error: unknown) => {
    if (error instanceof TctlError) return error;
    throw error;
  });
}

export async function observeAndPlan(settings: Settings, deps: EngineDeps): Promise<Plan> {
  const { aws, tctl, logger } = deps;
  const identity = await aws.identity();
  logger.info(`AWS account ${identity.account} (partition ${identity.partition}) as ${identity.arn}`);
  checkIdentity(settings, identity, aws.region);
  const providerArn = `arn:${identity.partition}:iam::${identity.account}:oidc-provider/${settings.issuer.host}`;
  const scope = { partition: identity.partition, account: identity.account, region: aws.region };
  const policyNames = rolePoliciesFor(settings, scope).map((policy) => policy.name);
  const discovery = tctl ? settings.discovery : undefined;
  const tokenName = discovery && joinTokenName(settings);
  const documentName = settings.features.find((f) => f.key === 'ec2-ssm')?.params.document;
  const documentRegionList = documentRegions(settings.features, aws.region);
  const organizationScope = organizationOf(settings.discovery);
  const gates = versionGates(settings, tctl !== undefined);
  const clusterInfo = () => shareable(deps, clusterInfoKey(settings.issuer.url), () => readClusterInfo(settings.issuer.url));

  const roleRead = observeRole(aws, settings.roleName);
  // A check over many entries reads the tags of every role that trusts the provider: this
  // entry's own come with its role, registered before any entry's scan can ask for them.
  const shared = deps.shared;
  if (shared) {
    const key = `iam:role-tags:${settings.roleName}`;
    // A failed read is this entry's failure; the next asker reads again.
    shared.read(key, () => roleRead.then((role) => role?.tags ?? {})).catch(() => shared.forget(key));
  }

  // One round of concurrent reads: everything the plan compares, each by its name.
  const {
    clusterName,
    serverVersion,
    chain,
    provider,
    role,
    rolePolicies,
    documents,
    integrationOrError,
    discoveryConfigsOrError,
    tokenOrError,
    tasksOrError,
    organization,
  } = await allNamed({
    clusterName: settings.clusterName ?? clusterInfo().then((info) => info.clusterName),
    // Only when something declared needs a minimum; a proxy that does not say leaves it unchecked (warned).
    serverVersion:
      gates.length > 0
        ? clusterInfo().then(
            (info) => info.serverVersion,
            () => undefined,
          )
        : undefined,
    chain: shareable(deps, chainKey(settings.issuer.host), () => readServedChain(settings.issuer.host)).catch((error: unknown) => {
      const message =
        `could not read the TLS certificate chain of ${settings.issuer.host}:443 (${errorMessage(error)}). ` +
        'The proxy must serve its public address over HTTPS on 443, reachable from here and from AWS.';
      // A drift check reports an unreachable issuer; apply and plan cannot go on without its thumbprint.
      if (settings.mode === 'check') return message;
      throw new Error(message);
    }),
    provider: shareable(deps, providerKey(providerArn), () => observeProvider(aws, providerArn)),
    role: roleRead,
    rolePolicies: observeRolePolicies(aws, settings.roleName, policyNames, settings.mode === 'check'),
    documents: Promise.all(
      documentRegionList.map(async (region) => {
        const arn = `arn:${identity.partition}:ssm:${region}:${identity.account}:document/${documentName}`;
        return [region, await observeDocument(aws, region, documentName!, arn)] as const;
      }),
    ),
    // A Teleport failure must not stop the AWS side: it is reported once AWS is reconciled.
    integrationOrError: tctl
      ? teleportRead(
          deps.shared
            ? // Several integrations in one run: one listing for all of them.
              deps.shared.read(INTEGRATIONS_KEY, () => tctl.list()).then((all) => all.find((i) => i.metadata?.name === settings.integration))
            : tctl.get(settings.integration),
        )
      : undefined,
    // One listing gives ours and, in check mode, the ones made elsewhere that use this integration.
    discoveryConfigsOrError:
      tctl && (discovery || settings.mode === 'check')
        ? teleportRead(shareable(deps, DISCOVERY_CONFIGS_KEY, () => tctl.listAll<DiscoveryConfigResource>('discovery_config')))
        : undefined,
    // By name only: listing tokens would read every other token of the cluster.
    tokenOrError: tctl && tokenName ? teleportRead(shareable(deps, tokenKey(tokenName), () => tctl.getOne<JoinTokenResource>('token', tokenName))) : undefined,
    tasksOrError:
      tctl && discovery && settings.mode === 'check'
        ? teleportRead(shareable(deps, 'tctl:user_tasks', () => tctl.listAll<UserTaskResource>('user_tasks')))
        : undefined,
    organization: organizationScope ? observeOrganization(aws, organizationScope, identity, settings.integration) : undefined,
  });
  // Without discovery declared, the listing is only a courtesy of check mode: a role that may not list them loses nothing.
  const optionalListing = !discovery && discoveryConfigsOrError instanceof TctlError;
  if (optionalListing) logger.info(`discovery_configs not read (${discoveryConfigsOrError.message.split('.')[0]}); discovery is not declared`);
  const teleportError = [integrationOrError, optionalListing ? undefined : discoveryConfigsOrError, tokenOrError, tasksOrError].find(
    (read): read is TctlError => read instanceof TctlError,
  );
  const integration = teleportError ? undefined : (integrationOrError as IntegrationResource | undefined);
  const discoveryConfigs = discoveryConfigsOrError instanceof TctlError ? undefined : discoveryConfigsOrError;
  const served = typeof chain === 'string' ? undefined : chain;
  if (served) logger.debug(`thumbprint ${served.thumbprint} (last of ${served.certificates.length} certificates sent)`);

  const initial = desiredState(settings, identity, clusterName, aws.region, organization?.identity);
  const discoveryName = initial.discovery?.config.metadata.name;
  const desired = role ? withRoleArn(initial, role.arn) : initial;
  const observed: Observed = {
    provider,
    role,
    rolePolicies,
    documents: new Map(documents),
    integration,
    teleportSkipped: !tctl,
    teleportError,
    discoveryConfigs,
    discoveryConfig: discoveryName ? discoveryConfigs?.find((c) => c.metadata?.name === discoveryName) : undefined,
    joinToken: tokenOrError instanceof TctlError ? undefined : tokenOrError,
    userTasks: tasksOrError instanceof TctlError ? undefined : tasksOrError,
    chain: served,
    chainError: typeof chain === 'string' ? chain : undefined,
    serverVersion,
    organization,
  };
  if (gates.length > 0 && serverVersion === undefined) {
    logger.warning(
      `The cluster's Teleport version could not be read from ${settings.issuer.url}/webapi/find: ${gates.map((g) => `${g.capability} needs ${g.minimum}`).join('; ')}, not checked.`,
    );
  }

  const refusals: RefusalError[] = [...tooOld(gates, serverVersion)];
  const refuse = collecting(RefusalError, refusals);
  const planned = (plan: () => Change[]): Change[] => refuse(plan, []);
  const roleChanges = planned(() => planRole(role, desired, { adoptExisting: settings.adoptExistingRole, trustPolicyQuota: settings.trustPolicyQuota }));
  const roleRefused = refusals.some((r) => r.resource === 'iam-role');
  const documentPolicy = { adoptExisting: settings.adoptExistingDocument, ownershipTags: desired.ownershipTags };
  const changes = sortChanges([
    ...planned(() => planProvider(provider, desired, served?.thumbprint, { adoptExisting: settings.adoptExistingProvider })),
    ...roleChanges,
    // A role that is not ours gets no policy either.
    ...(roleRefused ? [] : planRolePolicies(role ? rolePolicies : undefined, desired.rolePolicies, desired.roleArn)),
    ...(desired.organization && organization ? planOrganization(desired.organization, organization, identity.account, identity.partition, planned) : []),
    ...desired.documents.flatMap((document) => planned(() => planDocument(observed.documents.get(document.region), document, documentPolicy))),
    ...(desired.integration && !teleportError ? planned(() => planIntegration(integration, desired.integration!)) : []),
    ...(desired.discovery && !teleportError ? planDiscovery(desired, observed, settings, planned) : []),
  ]);
  return { identity, desired, observed, changes, refusals };
}

/** The declared capabilities that need a minimum Teleport (model/teleport-versions.ts); none when Teleport is skipped. */
export function versionGates(settings: Settings, teleport: boolean): VersionGate[] {
  return teleport && organizationOf(settings.discovery) ? [ORGANIZATION_DISCOVERY] : [];
}

/** A refusal per declared capability the cluster is too old for: it would ignore or reject what is written. */
function tooOld(gates: VersionGate[], version: string | undefined): RefusalError[] {
  return gates
    .filter((gate) => version !== undefined && olderThan(version, gate.minimum) === true)
    .map(
      (gate) =>
        new RefusalError(
          'teleport-discovery-config',
          `The cluster runs Teleport ${version}, but ${gate.capability} needs Teleport ${gate.minimum} or newer (${gate.source}): ` +
            'an older cluster would ignore or reject what would be written. Upgrade the cluster, or remove what needs it. Nothing was written.',
          `Teleport ${version}`,
          'Teleport too old',
        ),
    );
}

function planDiscovery(desired: DesiredState, observed: Observed, settings: Settings, planned: (plan: () => Change[]) => Change[]): Change[] {
  const discovery = desired.discovery!;
  const policy = { adoptExisting: settings.adoptExistingDiscovery, integration: settings.integration };
  return [
    ...(discovery.token ? planned(() => planJoinToken(observed.joinToken, discovery.token!, policy)) : []),
    ...planned(() => planDiscoveryConfig(observed.discoveryConfig, discovery.config, policy)),
  ];
}

export class ApplyError extends Error {
  constructor(
    readonly applied: Change[],
    readonly failed: Change,
    readonly cause: unknown,
    remaining: number,
    mode: 'apply' | 'destroy' = 'apply',
  ) {
    super(
      `${failed.action} on ${failed.target} failed: ${errorMessage(cause)}\n` +
        `${applied.length} change(s) were applied before it and ${remaining} were not attempted; ` +
        `running ${mode} again completes the rest without duplicating anything.`,
    );
    this.name = 'ApplyError';
  }
}

/** Applies the plan's changes in dependency order; logs each as it happens. */
export async function applyPlan(plan: Plan, settings: Settings, deps: EngineDeps): Promise<Change[]> {
  const { aws, tctl, logger } = deps;
  const context: ApplyContext = { aws, tctl, logger, settings, desired: plan.desired, thumbprint: plan.observed.chain?.thumbprint };
  const applied: Change[] = [];
  const queue = [...plan.changes];
  while (queue.length > 0) {
    const change = queue.shift()!;
    logger.info(`${change.action} ${change.target}: ${change.reason}`);
    try {
      const outcome = await applierOf(change).apply(change, context);
      if (outcome) {
        logger.info(`${change.target} was created by another run meanwhile; applying ${outcome.superseded.length} repair(s) instead`);
        queue.unshift(...outcome.superseded);
      } else {
        applied.push(change);
      }
    } catch (error) {
      throw new ApplyError(applied, change, error, queue.length);
    }
  }
  return applied;
}
