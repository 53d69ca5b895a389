/**
 * Destroy: delete what the integration owns, only that, in order: the Teleport integration,
 * the ec2-ssm documents of the declared regions, the role (its inline policies, managed policy
 * attachments and instance profiles first), the OIDC provider last. Anything untagged or
 * tagged for someone else is refused before the first deletion; what is already gone counts
 * as done, so a second destroy writes nothing and a killed one completes on a re-run.
 */
import { TctlError } from '../clients/tctl.js';
import type { Settings } from '../config/inputs.js';
import { discoverClusterName } from '../clients/teleport-web.js';
import { collecting, RefusalError } from '../errors.js';
import { planIntegrationRemoval } from '../resources/teleport/integration.js';
import { deleteProvider, observeProvider, planProviderDeletion } from '../resources/aws/oidc-provider.js';
import { applyRoleDeletion, observeRole, observeRoleAttachments, planRoleDeletion } from '../resources/aws/role.js';
import { deleteDocument, describeDocumentTags, planDocumentDeletion } from '../resources/aws/ssm-document.js';
import { INTEGRATION_TAG, ownershipTags } from '../resources/aws/tags.js';
import { findTrustingRoles } from '../resources/aws/trusting-roles.js';
import type { Deletion } from '../model/changes.js';
import { organizationOf } from '../config/discovery.js';
import { observeOrganization } from './organization.js';
import { applyStackSetChange, planStackSetDeletion } from '../resources/aws/organization/stack-set.js';
import { deleteMemberRole, planMemberRoleDeletion } from '../resources/aws/organization/member-role.js';
import { desiredState, joinTokenName, withRoleArn } from './desired.js';
import { foreignReferences, planDiscoveryConfigRemoval } from '../resources/teleport/discovery-config.js';
import { planJoinTokenRemoval } from '../resources/teleport/join-token.js';
import type { DestroyObserved, DestroyPlan } from '../model/destroy-plan.js';
import { ApplyError, checkIdentity, type EngineDeps } from './engine.js';
import type { DiscoveryConfigResource, JoinTokenResource } from '../model/teleport.js';

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
  };

  const refusals: RefusalError[] = [];
  const planned = collecting(RefusalError, refusals);
  const roleArns = [...new Set([desired.roleArn, built.roleArn])];
  const providerPlan = planned(() => planProviderDeletion(provider, settings.integration, clusterName, trusting, taggedIntegrationExists), {
    changes: [],
    kept: undefined,
  });
  for (const config of foreignReferences(discoveryConfigs, settings.integration)) {
    refusals.push(
      new RefusalError(
        'teleport-discovery-config',
        `discovery_config ${config.metadata.name} uses integration ${settings.integration} and is not this action's (made in the web UI, by hand or by another tool): ` +
          'deleting the integration would break it. Remove its matchers for the integration, or delete it, then run destroy again. Nothing was deleted.',
        `discovery_config/${config.metadata.name}`,
      ),
    );
  }
  const stackSet = desired.organization?.stackSet;
  const changes = [
    // The member roles first: they trust the integration role, which goes last.
    ...(organization && stackSet
      ? planStackSetDeletion(organization.stackSet, organization.instances, stackSet, organization.tree.roots, settings.integration)
      : []),
    ...(organization ? planMemberRoleDeletion(organization.managementRole, settings.integration) : []),
    ...planDiscoveryConfigRemoval(discoveryConfigs, settings.integration),
    ...planJoinTokenRemoval(joinToken, settings.integration),
    ...(tctl ? planned(() => planIntegrationRemoval(integration, settings.integration, roleArns), []) : []),
    ...desired.documents.flatMap((d) => planned(() => planDocumentDeletion(d, observed.documentTags.get(d.region), settings.integration, clusterName), [])),
    ...planned(
      () =>
        planRoleDeletion(
          role,
          attachments,
          settings.integration,
          clusterName,
          desired.rolePolicies.map((p) => p.name),
        ),
      [],
    ),
    ...providerPlan.changes,
  ] as Deletion[];
  return { identity, desired, clusterName, observed, changes, refusals, providerKept: providerPlan.kept, teleportSkipped: !tctl };
}

/** Deletes in the planned order; the first failure stops it, and a re-run completes the rest. */
export async function applyDestroy(plan: DestroyPlan, deps: EngineDeps): Promise<Deletion[]> {
  const { aws, tctl, logger } = deps;
  const done: Deletion[] = [];
  for (const [index, change] of plan.changes.entries()) {
    logger.info(`${change.action} ${change.target}: ${change.reason}`);
    try {
      switch (change.action) {
        case 'delete-discovery-config':
        case 'delete-join-token':
        case 'delete-integration': {
          if (!tctl) throw new Error('a Teleport deletion was planned with skip-teleport set');
          const kind = { 'delete-discovery-config': 'discovery_config', 'delete-join-token': 'token', 'delete-integration': 'integration' }[change.action];
          logger.info(await tctl.remove(change.name, kind));
          break;
        }
        case 'delete-stack-instances':
        case 'delete-stack-set':
          await applyStackSetChange(aws, change);
          break;
        case 'delete-member-role':
          await deleteMemberRole(aws, change);
          break;
        case 'delete-document':
          await deleteDocument(aws, change);
          break;
        case 'delete-provider':
          await deleteProvider(aws, change.target);
          break;
        default:
          await applyRoleDeletion(aws, change);
      }
    } catch (error) {
      throw new ApplyError(done, change, error, plan.changes.length - index - 1, 'destroy');
    }
    done.push(change);
  }
  return done;
}
