/** Desired state → observe → plan → apply. Free of @actions/*: the action is an adapter around it. */
import type { CallerIdentity } from '../clients/aws.js';
import { sortChanges, type Change, type Resource } from '../model/changes.js';
import { desiredState, discoveryDocument, documentRegions, withRoleArn } from './desired.js';
import { collecting, InputError, RefusalError, errorMessage } from '../errors.js';
import type { Settings } from '../config/inputs.js';
import { partitionOfRegion } from '../config/regions.js';
import { readClusterInfo } from '../clients/teleport-web.js';
import { olderThan, VERSION_GATES, type VersionGate } from '../model/teleport-versions.js';
import { readServedChain } from '../clients/tls.js';
import { ALL_REGIONS } from '../config/discovery.js';
import { profileRolesAccount } from '../config/roles-anywhere.js';
import { AWS_RUN_SHELL_SCRIPT, consoleRolesAccount } from '../config/features.js';
import { chainKey, clusterInfoKey, shareable, type EngineDeps, type Observed, type Plan } from './plan.js';
import { kindsFor, writerOf } from './kinds/index.js';
import type { ApplyContext, PlanContext, Reads } from './kinds/kind.js';

export { SharedReads, shareable, providerKey, chainKey, clusterInfoKey, INTEGRATIONS_KEY, DISCOVERY_CONFIGS_KEY, tokenKey } from './plan.js';
export type { EngineDeps, Observed, Plan } from './plan.js';

/** The credentials must be for the declared account, and every listed region in their partition. */
export function checkIdentity(settings: Settings, identity: CallerIdentity, jobRegion: string): void {
  if (settings.accountId !== undefined && settings.accountId !== identity.account) {
    throw new Error(
      `The AWS credentials are for account ${identity.account} (${identity.arn}), but account-id is ${settings.accountId}. ` +
        'Nothing was read or written. Assume a role in the right account, or correct account-id.',
    );
  }
  const profileAccount = profileRolesAccount(settings.rolesAnywhere);
  if (profileAccount !== undefined && profileAccount !== identity.account) {
    throw new InputError(
      'roles-anywhere',
      `profiles name a role of account ${profileAccount}, but the credentials are for account ${identity.account}: a profile's roles are in its account. Nothing was read or written.`,
      `{ profiles: [{ name: prod-readonly, roles: ["arn:${identity.partition}:iam::${identity.account}:role/ReadOnly"] }] }`,
    );
  }
  const rolesAccount = consoleRolesAccount(settings.features);
  if (rolesAccount !== undefined && rolesAccount !== identity.account) {
    throw new InputError(
      'features',
      `aws-app-access: roles names a role of account ${rolesAccount}, but the credentials are for account ${identity.account}: ` +
        'Teleport assumes console roles from the integration role, in its account. Nothing was read or written.',
      `{ aws-app-access: { roles: [ConsoleReadOnly, "arn:${identity.partition}:iam::${identity.account}:role/Admin"] } }`,
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

export async function observeAndPlan(settings: Settings, deps: EngineDeps): Promise<Plan> {
  const { aws, tctl, logger } = deps;
  const identity = await aws.identity();
  logger.info(`AWS account ${identity.account} (partition ${identity.partition}) as ${identity.arn}`);
  checkIdentity(settings, identity, aws.region);
  const gates = versionGates(settings, tctl !== undefined);
  const clusterInfo = () => shareable(deps, clusterInfoKey(settings.issuer.url), () => readClusterInfo(settings.issuer.url));

  // One round of concurrent reads: the cluster's name, version and chain (what the desired state
  // needs), and every kind's own reads.
  const [{ clusterName, serverVersion, chain }, reads] = await Promise.all([
    allNamed({
      clusterName: settings.clusterName ?? clusterInfo().then((info) => info.clusterName),
      // Only when something declared needs a minimum; a proxy that does not say leaves it unchecked (warned).
      serverVersion:
        gates.length > 0
          ? clusterInfo().then(
              (info) => info.serverVersion,
              () => undefined,
            )
          : undefined,
      // The OIDC provider's thumbprint: an aws-ra integration has no provider, and AWS never calls its proxy.
      chain: settings.rolesAnywhere
        ? undefined
        : shareable(deps, chainKey(settings.issuer.host), () => readServedChain(settings.issuer.host)).catch((error: unknown) => {
            const message =
              `could not read the TLS certificate chain of ${settings.issuer.host}:443 (${errorMessage(error)}). ` +
              'The proxy must serve its public address over HTTPS on 443, reachable from here and from AWS.';
            // A drift check reports an unreachable issuer; apply and plan cannot go on without its thumbprint.
            if (settings.mode === 'check') return message;
            throw new Error(message);
          }),
    }),
    Promise.all(kindsFor(settings).map((kind): Promise<Reads> => kind.observe?.({ settings, deps, identity }) ?? Promise.resolve({ observed: {} }))),
  ]);
  // A Teleport failure must not stop the AWS side: it is reported once AWS is reconciled.
  const teleportError = reads.map((read) => read.teleportError).find((error) => error !== undefined);
  const served = typeof chain === 'string' ? undefined : chain;
  if (served) logger.debug(`thumbprint ${served.thumbprint} (last of ${served.certificates.length} certificates sent)`);
  const observed = Object.assign(
    { teleportSkipped: !tctl, teleportError, chain: served, chainError: typeof chain === 'string' ? chain : undefined, serverVersion },
    ...reads.map((read) => read.observed),
  ) as Observed;
  // The integration is not planned against when Teleport could not be read whole.
  if (teleportError) observed.integration = undefined;

  const initial = desiredState(settings, identity, clusterName, aws.region, observed.organization?.identity, {
    certificates: observed.awsraCertificates ?? [],
    trustAnchorArn: observed.trustAnchors?.length === 1 ? observed.trustAnchors[0].arn : undefined,
    profileArn: observed.syncProfiles?.length === 1 ? observed.syncProfiles[0].arn : undefined,
  });
  const desired = observed.role ? withRoleArn(initial, observed.role.arn) : initial;
  // A proxy that says no version, or one that is not a version (a build from master says "master"
  // or "dev"): every gate is then unchecked, and said so.
  const unreadable =
    serverVersion === undefined ? 'could not be read' : olderThan(serverVersion, '0.0.0') === undefined ? `is "${serverVersion}", not a version` : undefined;
  if (gates.length > 0 && unreadable) {
    logger.warning(
      `The cluster's Teleport version ${unreadable} (${settings.issuer.url}/webapi/find): ${gates.map((g) => `${g.capability} needs ${g.minimum}`).join('; ')}, not checked.`,
    );
  }

  const refusals: RefusalError[] = [...tooOld(gates, serverVersion)];
  const refuse = collecting(RefusalError, refusals);
  const planned = (plan: () => Change[]): Change[] => refuse(plan, []);
  const context: PlanContext = {
    settings,
    identity,
    desired,
    observed,
    refused: (resource: Resource) => refusals.some((r) => r.resource === resource),
    planned,
  };
  // Each kind in turn: a later one may depend on an earlier one's refusal.
  const changes = sortChanges(kindsFor(settings).flatMap((kind) => planned(() => kind.plan(context))));
  return { identity, desired, observed, changes, refusals };
}

/** The declared capabilities that need a minimum Teleport (model/teleport-versions.ts); none when Teleport is skipped. */
export function versionGates(settings: Settings, teleport: boolean): VersionGate[] {
  return teleport ? VERSION_GATES.filter((gate) => gate.declaredIn(settings)) : [];
}

/** A refusal per declared capability the cluster is too old for: it would ignore or reject what is written. */
function tooOld(gates: VersionGate[], version: string | undefined): RefusalError[] {
  return gates
    .filter((gate) => version !== undefined && olderThan(version, gate.minimum) === true)
    .map(
      (gate) =>
        new RefusalError(
          gate.resource,
          `The cluster runs Teleport ${version}, but ${gate.capability} needs Teleport ${gate.minimum} or newer (${gate.source}): ` +
            `an older cluster would ignore or reject what would be written. Upgrade the cluster, or ${gate.instead ?? 'remove what needs it'}. Nothing was written.`,
          `Teleport ${version}`,
          'Teleport too old',
        ),
    );
}

export class ApplyError extends Error {
  constructor(
    readonly applied: Change[],
    readonly failed: Change,
    readonly cause: unknown,
    remaining: number,
    mode: 'apply' | 'destroy' = 'apply',
    /** The changes after it, never reached. */
    readonly notAttempted: Change[] = [],
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
      const outcome = await writerOf(change).apply(change, context);
      if (outcome) {
        logger.info(`${change.target} was created by another run meanwhile; applying ${outcome.superseded.length} repair(s) instead`);
        queue.unshift(...outcome.superseded);
      } else {
        applied.push(change);
      }
    } catch (error) {
      throw new ApplyError(applied, change, error, queue.length, 'apply', queue);
    }
  }
  return applied;
}
