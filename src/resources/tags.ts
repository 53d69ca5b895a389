/** The ownership tags Teleport puts on what an integration owns, and tag lists as IAM speaks them. */
export type Tags = Record<string, string>;

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
