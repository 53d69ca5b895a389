/** The ownership tags Teleport puts on what an integration owns, and tag lists as IAM speaks them. */
import type { Tags } from '../../config/tags.js';

export const CLUSTER_TAG = 'teleport.dev/cluster';
export const ORIGIN_TAG = 'teleport.dev/origin';
export const INTEGRATION_TAG = 'teleport.dev/integration';
export const ORIGIN_VALUE = 'integration_awsoidc';

/** The three tags Teleport puts on everything an AWS OIDC integration creates. */
export function ownershipTags(clusterName: string, integration: string): Tags {
  return { [CLUSTER_TAG]: clusterName, [ORIGIN_TAG]: ORIGIN_VALUE, [INTEGRATION_TAG]: integration };
}

export function tagsFromList(list: ReadonlyArray<{ Key?: string; Value?: string }> | undefined): Tags {
  const tags: Tags = {};
  for (const tag of list ?? []) if (tag.Key !== undefined) tags[tag.Key] = tag.Value ?? '';
  return tags;
}

export function tagsToList(tags: Tags): { Key: string; Value: string }[] {
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}

/** The desired tags that are absent or hold another value on a resource. */
export function missingTags(actual: Tags, desired: Tags): Tags {
  return Object.fromEntries(Object.entries(desired).filter(([key, value]) => actual[key] !== value));
}

/** Every desired tag present with the same value (other tags are ignored, as Teleport does). */
export function carriesTags(actual: Tags, desired: Tags): boolean {
  return Object.keys(missingTags(actual, desired)).length === 0;
}

export function tagList(tags: Tags): string {
  const entries = Object.entries(tags);
  return entries.length === 0 ? 'no tags' : entries.map(([k, v]) => `${k}=${v}`).join(', ');
}

/**
 * Destroy's ownership rule: a resource is this integration's only when its
 * teleport.dev/integration tag names it (and its cluster tag, when both are known, the
 * cluster). Returns why not, or undefined when it is ours.
 */
export function notOwnedBecause(tags: Tags, integration: string, cluster: string | undefined): string | undefined {
  const own = tags[INTEGRATION_TAG];
  if (own === undefined) return `it has no ${INTEGRATION_TAG} tag (its tags: ${tagList(tags)})`;
  if (own !== integration) return `it is tagged ${INTEGRATION_TAG}=${own}`;
  const taggedCluster = tags[CLUSTER_TAG];
  if (cluster !== undefined && taggedCluster !== undefined && taggedCluster !== cluster) return `it is tagged ${CLUSTER_TAG}=${taggedCluster}, not ${cluster}`;
  return undefined;
}
