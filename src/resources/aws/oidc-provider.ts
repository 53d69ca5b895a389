/** The IAM OpenID Connect identity provider for the cluster's issuer. */
import {
  AddClientIDToOpenIDConnectProviderCommand,
  CreateOpenIDConnectProviderCommand,
  DeleteOpenIDConnectProviderCommand,
  GetOpenIDConnectProviderCommand,
  TagOpenIDConnectProviderCommand,
  UpdateOpenIDConnectProviderThumbprintCommand,
  type GetOpenIDConnectProviderResponse,
} from '@aws-sdk/client-iam';
import { isAwsError, type Aws } from '../../clients/aws.js';
import type { Change, Superseded } from '../../model/changes.js';
import type { DesiredState } from '../../model/desired.js';
import { RefusalError } from '../../errors.js';
import { CLUSTER_TAG, INTEGRATION_TAG, ORIGIN_TAG, ORIGIN_VALUE, missingTags, tagList, tagsFromList, tagsToList } from './tags.js';
import type { ProviderState, TrustingRole } from '../../model/aws.js';

export const MAX_THUMBPRINTS = 5;

export interface ProviderPolicy {
  adoptExisting: boolean;
}

export async function observeProvider(aws: Aws, arn: string): Promise<ProviderState | undefined> {
  try {
    return await readProvider(aws, arn);
  } catch (error) {
    if (isAwsError(error, 'NoSuchEntity')) return undefined;
    throw error;
  }
}

async function readProvider(aws: Aws, arn: string): Promise<ProviderState> {
  const output = await aws.send<GetOpenIDConnectProviderResponse>(aws.iam, new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn }));
  return {
    arn,
    url: output.Url ?? '',
    clientIds: output.ClientIDList ?? [],
    thumbprints: (output.ThumbprintList ?? []).map((t) => t.toLowerCase()),
    tags: tagsFromList(output.Tags),
  };
}

/** Another integration of the same cluster created the provider: share it, leave its tags be. */
export function isSharedProvider(provider: ProviderState, desired: DesiredState): boolean {
  const owner = provider.tags[INTEGRATION_TAG];
  return owner !== undefined && owner !== desired.ownershipTags[INTEGRATION_TAG];
}

/**
 * Refuses a provider this integration may not touch: one tagged for another cluster, or
 * one with no Teleport tags at all unless adopting was asked for.
 */
export function checkProviderOwnership(provider: ProviderState, desired: DesiredState, policy: ProviderPolicy): void {
  const cluster = provider.tags[CLUSTER_TAG];
  if (cluster !== undefined && cluster !== desired.clusterName) {
    throw new RefusalError(
      'oidc-provider',
      `OIDC provider ${provider.arn} belongs to Teleport cluster "${cluster}" (tag ${CLUSTER_TAG}), not "${desired.clusterName}". ` +
        'One provider exists per issuer URL per account, so two clusters cannot share this issuer: check cluster-url and cluster-name.',
    );
  }
  if (cluster === undefined && !policy.adoptExisting) {
    const tags = Object.entries(desired.ownershipTags)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ');
    throw new RefusalError(
      'oidc-provider',
      `OIDC provider ${provider.arn} already exists but is not managed by Teleport (it has no ${CLUSTER_TAG} tag). ` +
        `Add the tags ${tags} to it, or set adopt-existing-provider: true to let this action repair and tag it.`,
    );
  }
}

export function planProvider(provider: ProviderState | undefined, desired: DesiredState, thumbprint: string | undefined, policy: ProviderPolicy): Change[] {
  const target = desired.providerArn;
  if (!provider) {
    return [
      {
        action: 'create-provider',
        resource: 'oidc-provider',
        target,
        reason: `no OIDC provider exists for ${desired.issuerUrl}`,
        after: { url: desired.issuerUrl, clientIds: [desired.clientId], thumbprints: thumbprint ? [thumbprint] : [], tags: desired.tags },
      },
    ];
  }
  checkProviderOwnership(provider, desired, policy);
  const changes: Change[] = [];
  if (!provider.clientIds.includes(desired.clientId)) {
    changes.push({
      action: 'add-client-id',
      resource: 'oidc-provider',
      target,
      reason: `audience ${desired.clientId} is missing, so AWS rejects every Teleport token`,
      before: provider.clientIds,
      after: desired.clientId,
    });
  }
  if (thumbprint && !provider.thumbprints.includes(thumbprint)) {
    const kept = provider.thumbprints.slice(-(MAX_THUMBPRINTS - 1));
    const dropped = provider.thumbprints.length - kept.length;
    changes.push({
      action: 'update-thumbprints',
      resource: 'oidc-provider',
      target,
      reason:
        `the certificate chain ${desired.issuerHost} serves now has thumbprint ${thumbprint}, which the provider does not list` +
        (dropped > 0 ? ` (the oldest ${dropped} of ${MAX_THUMBPRINTS} is dropped to make room)` : ''),
      before: provider.thumbprints,
      after: [...kept, thumbprint],
    });
  }
  if (!isSharedProvider(provider, desired)) {
    const missing = missingTags(provider.tags, desired.tags);
    if (Object.keys(missing).length > 0) {
      changes.push({
        action: 'tag-provider',
        resource: 'tags',
        target,
        reason: `tags missing or different on the provider: ${Object.keys(missing).join(', ')}`,
        before: provider.tags,
        after: missing,
      });
    }
  }
  return changes;
}

export type ProviderChange = Extract<Change, { action: 'create-provider' | 'add-client-id' | 'update-thumbprints' | 'tag-provider' }>;

export function isProviderChange(change: Change): change is ProviderChange {
  return ['create-provider', 'add-client-id', 'update-thumbprints', 'tag-provider'].includes(change.action);
}

/**
 * Applies one provider change. A create that finds the provider already there (another run
 * made it a moment ago) re-observes it and returns the repairs it still needs.
 */
export async function applyProviderChange(
  aws: Aws,
  change: ProviderChange,
  desired: DesiredState,
  thumbprint: string | undefined,
  policy: ProviderPolicy,
): Promise<Superseded | undefined> {
  const arn = change.target;
  switch (change.action) {
    case 'create-provider':
      try {
        await aws.send(
          aws.iam,
          new CreateOpenIDConnectProviderCommand({
            Url: change.after.url,
            ClientIDList: change.after.clientIds,
            ThumbprintList: change.after.thumbprints.length > 0 ? change.after.thumbprints : undefined,
            Tags: tagsToList(change.after.tags),
          }),
        );
      } catch (error) {
        if (!isAwsError(error, 'EntityAlreadyExists')) throw error;
        const existing = await aws.afterCreate('reading the OIDC provider another run created', () => readProvider(aws, arn));
        return { superseded: planProvider(existing, desired, thumbprint, policy) };
      }
      // Wait until IAM shows it: the role's trust policy names it as principal.
      await aws.afterCreate('reading the OIDC provider just created', () => readProvider(aws, arn));
      return undefined;
    case 'add-client-id':
      await aws.send(aws.iam, new AddClientIDToOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn, ClientID: change.after }));
      return undefined;
    case 'update-thumbprints':
      // The call replaces the whole list, so it carries the kept ones too.
      await aws.send(aws.iam, new UpdateOpenIDConnectProviderThumbprintCommand({ OpenIDConnectProviderArn: arn, ThumbprintList: change.after }));
      return undefined;
    case 'tag-provider':
      await aws.send(aws.iam, new TagOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn, Tags: tagsToList(change.after) }));
      return undefined;
  }
}

export interface ProviderDeletionPlan {
  changes: Change[];
  /** Why the provider stays though its integration is destroyed: who still uses it. */
  kept: string | undefined;
}

/**
 * Destroy: the provider goes last, and only when it is the cluster's and nothing uses it any
 * more. Trusted by another role, or tagged for another integration of the cluster that Teleport
 * still has (or that could not be checked), it is kept, saying who uses it; untagged or
 * another cluster's, it is refused. (A provider tagged for a sibling that is gone would
 * otherwise be left behind by the last destroy of the cluster's integrations.)
 */
export function planProviderDeletion(
  provider: ProviderState | undefined,
  integration: string,
  cluster: string | undefined,
  trusting: TrustingRole[],
  /** Whether Teleport still has the integration the provider is tagged for, when that is another one; undefined: not known. */
  taggedIntegrationExists: boolean | undefined,
): ProviderDeletionPlan {
  if (!provider) return { changes: [], kept: undefined };
  const tags = provider.tags;
  const taggedCluster = tags[CLUSTER_TAG];
  const taggedIntegration = tags[INTEGRATION_TAG];
  if (
    taggedIntegration === undefined ||
    tags[ORIGIN_TAG] !== ORIGIN_VALUE ||
    (cluster !== undefined && taggedCluster !== undefined && taggedCluster !== cluster)
  ) {
    throw new RefusalError('oidc-provider', `OIDC provider ${provider.arn} is not this integration's (its tags: ${tagList(tags)}). Nothing was deleted.`);
  }
  if (trusting.length > 0) {
    return { changes: [], kept: `still trusted by ${trusting.map((r) => `role ${r.name}${r.sharedWith ? ` (integration ${r.sharedWith})` : ''}`).join(', ')}` };
  }
  if (taggedIntegration !== integration) {
    if (taggedIntegration !== undefined && taggedIntegrationExists !== false) {
      const known = taggedIntegrationExists ? 'which Teleport still has' : 'which could not be checked in Teleport';
      return { changes: [], kept: `shared: it is tagged for integration ${taggedIntegration} of the same cluster, ${known}` };
    }
    const reason = `tagged for integration ${taggedIntegration} of the same cluster, which Teleport no longer has, and no other role trusts it`;
    return { changes: [{ action: 'delete-provider', resource: 'oidc-provider', target: provider.arn, reason }], kept: undefined };
  }
  return {
    changes: [{ action: 'delete-provider', resource: 'oidc-provider', target: provider.arn, reason: `tagged for ${integration}, and no other role trusts it` }],
    kept: undefined,
  };
}

export async function deleteProvider(aws: Aws, arn: string): Promise<void> {
  try {
    await aws.send(aws.iam, new DeleteOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn }));
  } catch (error) {
    if (!isAwsError(error, 'NoSuchEntity')) throw error;
  }
}
