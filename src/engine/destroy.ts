/**
 * Destroy: delete what the integration owns, only that, in the kinds' destroy order
 * (kinds/index.ts): the member roles, the Teleport side, the ec2-ssm documents of the declared
 * regions, the role (its inline policies, managed policy attachments and instance profiles
 * first), the OIDC provider last. Anything untagged or
 * tagged for someone else is refused before the first deletion; what is already gone counts
 * as done, so a second destroy writes nothing and a killed one completes on a re-run.
 */
import { TctlError } from '../clients/tctl.js';
import type { Settings } from '../config/inputs.js';
import { readClusterInfo, type ClusterInfo } from '../clients/teleport-web.js';
import { collecting, RefusalError } from '../errors.js';
import { INTEGRATION_TAG } from '../resources/aws/tags.js';
import type { Deletion } from '../model/changes.js';
import { desiredState, withRoleArn } from './desired.js';
import type { DestroyObserved, DestroyPlan } from '../model/destroy-plan.js';
import { ApplyError, checkIdentity } from './engine.js';
import { clusterInfoKey, shareable, type EngineDeps } from './plan.js';
import { destroyOrderFor, deleterOf } from './kinds/index.js';
import type { DestroyContext, DestroyReadContext } from './kinds/kind.js';

/** A cluster being retired may no longer answer: destroy then goes by the integration tag alone (and knows no version). */
function clusterInfoIfKnown(settings: Settings, deps: EngineDeps): Promise<ClusterInfo | undefined> {
  return shareable(deps, clusterInfoKey(settings.issuer.url), () => readClusterInfo(settings.issuer.url)).catch(() => undefined);
}

export async function observeAndPlanDestroy(settings: Settings, deps: EngineDeps): Promise<DestroyPlan> {
  const { aws, tctl, logger } = deps;
  const identity = await aws.identity();
  logger.info(`AWS account ${identity.account} (partition ${identity.partition}) as ${identity.arn}`);
  checkIdentity(settings, identity, aws.region);
  const info = clusterInfoIfKnown(settings, deps);
  const clusterNameRead = settings.clusterName ? Promise.resolve(settings.clusterName) : info.then((i) => i?.clusterName);
  const serverVersion = deps.tctl ? info.then((i) => i?.serverVersion) : Promise.resolve(undefined);

  // One round of concurrent reads, every kind's own. A tctl that cannot read stops everything: a
  // role must not be deleted while an integration nobody could check may still point at it.
  const mustRead = <T>(read: Promise<T>, what: string): Promise<T> =>
    read.catch((error: unknown) => {
      if (error instanceof TctlError) throw new Error(`${error.message} Nothing was deleted: ${what}`);
      throw error;
    });
  const reading: DestroyReadContext = { settings, deps, identity, clusterName: clusterNameRead, serverVersion, mustRead };
  const [clusterName, ...reads] = await Promise.all([
    clusterNameRead,
    ...destroyOrderFor(settings).map((kind) => kind.destruction?.observe?.(reading) ?? Promise.resolve({})),
  ]);
  const observed = Object.assign(
    {
      attachments: { inlinePolicies: [], managedPolicyArns: [], instanceProfiles: [] },
      documentTags: new Map(),
      consoleRoles: new Map(),
      discoveryConfigs: [],
      trusting: [],
    },
    ...reads,
  ) as DestroyObserved;
  const { provider, role, organization } = observed;
  // Who else the provider is tagged for: a second look, only when it names another integration.
  const taggedFor = provider?.tags[INTEGRATION_TAG];
  const taggedIntegrationExists =
    taggedFor === undefined || taggedFor === settings.integration || !tctl
      ? undefined
      : await tctl.get(taggedFor).then(
          (found) => found !== undefined,
          () => undefined,
        );
  const built = desiredState(settings, identity, clusterName ?? '', aws.region, organization?.identity);
  const desired = role ? withRoleArn(built, role.arn) : built;
  const refusals: RefusalError[] = [];
  const planned = collecting(RefusalError, refusals);
  const context: DestroyContext = {
    settings,
    identity,
    desired,
    clusterName,
    observed,
    roleArns: [...new Set([desired.roleArn, built.roleArn])],
    taggedIntegrationExists,
    teleport: tctl !== undefined,
    refuse: (refusal) => void refusals.push(refusal),
    planned: (plan) => planned(plan, []),
    notes: [],
  };
  const changes = destroyOrderFor(settings).flatMap((kind) => planned(() => kind.destruction?.plan(context) ?? [], []));
  return { identity, desired, clusterName, observed, changes, refusals, providerKept: context.providerKept, teleportSkipped: !tctl, notes: context.notes };
}

/** Deletes in the planned order; the first failure stops it, and a re-run completes the rest. */
export async function applyDestroy(plan: DestroyPlan, settings: Settings, deps: EngineDeps): Promise<Deletion[]> {
  const { aws, tctl, logger } = deps;
  const done: Deletion[] = [];
  for (const [index, change] of plan.changes.entries()) {
    logger.info(`${change.action} ${change.target}: ${change.reason}`);
    try {
      await deleterOf(change).destruction!.delete(change, { aws, tctl, logger, settings });
    } catch (error) {
      throw new ApplyError(done, change, error, plan.changes.length - index - 1, 'destroy');
    }
    done.push(change);
  }
  return done;
}
