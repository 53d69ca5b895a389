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
import { discoverClusterName } from '../clients/teleport-web.js';
import { collecting, RefusalError } from '../errors.js';
import { observeProvider } from '../resources/aws/oidc-provider.js';
import { observeRole, observeRoleAttachments } from '../resources/aws/role.js';
import { describeDocumentTags } from '../resources/aws/ssm-document.js';
import { INTEGRATION_TAG, ownershipTags } from '../resources/aws/tags.js';
import { findTrustingRoles } from '../resources/aws/trusting-roles.js';
import type { Deletion } from '../model/changes.js';
import { organizationOf } from '../config/discovery.js';
import { observeOrganization } from './organization.js';
import { desiredState, joinTokenName, withRoleArn } from './desired.js';
import type { DestroyObserved, DestroyPlan } from '../model/destroy-plan.js';
import { ApplyError, checkIdentity } from './engine.js';
import type { EngineDeps } from './plan.js';
import type { DiscoveryConfigResource, JoinTokenResource } from '../model/teleport.js';
import { DESTROY_ORDER, deleterOf } from './kinds/index.js';
import type { DestroyContext } from './kinds/kind.js';

/** A cluster being retired may no longer answer: destroy then goes by the integration tag alone. */
async function clusterNameIfKnown(settings: Settings): Promise<string | undefined> {
  if (settings.clusterName) return settings.clusterName;
  return discoverClusterName(settings.issuer.url).catch(() => undefined);
}

export async function observeAndPlanDestroy(settings: Settings, deps: EngineDeps): Promise<DestroyPlan> {
  const { aws, tctl, logger } = deps;
  const identity = await aws.identity();
  logger.info(`AWS account ${identity.account} (partition ${identity.partition}) as ${identity.arn}`);
  checkIdentity(settings, identity, aws.region);
  const providerArn = `arn:${identity.partition}:iam::${identity.account}:oidc-provider/${settings.issuer.host}`;
  // Document names and regions do not depend on the cluster name; the trusting-role scan's labels do.
  const skeleton = desiredState(settings, identity, settings.clusterName ?? '', aws.region);
  const clusterNameRead = clusterNameIfKnown(settings);

  // One round of concurrent reads. A tctl that cannot read stops everything: a role must not
  // be deleted while an integration nobody could check may still point at it.
  const mustRead = <T>(read: Promise<T>, what: string): Promise<T> =>
    read.catch((error: unknown) => {
      if (error instanceof TctlError) throw new Error(`${error.message} Nothing was deleted: ${what}`);
      throw error;
    });
  const tokenName = joinTokenName(settings);
  const organizationScope = organizationOf(settings.discovery);
  const [clusterName, provider, role, attachments, documentTags, integration, trusting, discoveryConfigs, joinToken, organization] = await Promise.all([
    clusterNameRead,
    observeProvider(aws, providerArn),
    observeRole(aws, settings.roleName),
    observeRoleAttachments(aws, settings.roleName),
    Promise.all(skeleton.documents.map(async (d) => [d.region, await describeDocumentTags(aws, d.region, d.name)] as const)),
    tctl ? mustRead(tctl.get(settings.integration), 'the Teleport integration must be checked before the role it uses goes.') : undefined,
    clusterNameRead.then((cluster) => findTrustingRoles(aws, providerArn, settings.roleName, ownershipTags(cluster ?? '', settings.integration))),
    // Deleting an integration that a discovery_config still uses breaks that config: every one is looked at.
    tctl
      ? mustRead(tctl.listAll<DiscoveryConfigResource>('discovery_config'), 'the discovery_configs that use the integration must be checked before it goes.')
      : [],
    tctl && tokenName
      ? settings.discovery
        ? mustRead(tctl.getOne<JoinTokenResource>('token', tokenName), 'the join token must be checked before it goes.')
        : // Discovery not declared: a token of ours left from before goes too, where the role may read tokens.
          tctl.getOne<JoinTokenResource>('token', tokenName).catch((error: unknown) => {
            if (!(error instanceof TctlError)) throw error;
            logger.info(`token ${tokenName} not read (${error.message.split('.')[0]}); discovery is not declared`);
            return undefined;
          })
      : undefined,
    organizationScope ? observeOrganization(aws, organizationScope, identity, settings.integration, true) : undefined,
  ]);
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
  const observed: DestroyObserved = {
    provider,
    role,
    attachments,
    documentTags: new Map(documentTags),
    integration,
    trusting,
    discoveryConfigs,
    joinToken,
    organization,
  };

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
  };
  const changes = DESTROY_ORDER.flatMap((kind) => planned(() => kind.destruction?.plan(context) ?? [], []));
  return { identity, desired, clusterName, observed, changes, refusals, providerKept: context.providerKept, teleportSkipped: !tctl };
}

/** Deletes in the planned order; the first failure stops it, and a re-run completes the rest. */
export async function applyDestroy(plan: DestroyPlan, deps: EngineDeps): Promise<Deletion[]> {
  const { aws, tctl, logger } = deps;
  const done: Deletion[] = [];
  for (const [index, change] of plan.changes.entries()) {
    logger.info(`${change.action} ${change.target}: ${change.reason}`);
    try {
      await deleterOf(change).destruction!.delete(change, { aws, tctl, logger });
    } catch (error) {
      throw new ApplyError(done, change, error, plan.changes.length - index - 1, 'destroy');
    }
    done.push(change);
  }
  return done;
}
