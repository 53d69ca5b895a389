/** What the Roles Anywhere resources share: the ownership tags Teleport puts on them, tags as the API speaks them, lists in pages. */
import type { Aws } from '../../../clients/aws.js';
import type { Tags } from '../../../config/tags.js';
import { CLUSTER_TAG, INTEGRATION_TAG, ORIGIN_TAG } from '../tags.js';

/** types.OriginIntegrationAWSRolesAnywhere, as awsra's trustanchor_config_test.go writes the ownership tags. */
export const ORIGIN_ROLES_ANYWHERE = 'integration_awsrolesanywhere';

export function rolesAnywhereTags(clusterName: string, integration: string): Tags {
  return { [CLUSTER_TAG]: clusterName, [ORIGIN_TAG]: ORIGIN_ROLES_ANYWHERE, [INTEGRATION_TAG]: integration };
}

export interface RaTag {
  key: string;
  value: string;
}

export const toRaTags = (tags: Tags): RaTag[] => Object.entries(tags).map(([key, value]) => ({ key, value }));
export const fromRaTags = (tags: RaTag[] | undefined): Tags => Object.fromEntries((tags ?? []).map((t) => [t.key, t.value]));

export async function readRaTags(aws: Aws, arn: string): Promise<Tags> {
  const { tags } = await aws.rolesAnywhere<{ tags?: RaTag[] }>('ListTagsForResource', {
    method: 'GET',
    path: '/ListTagsForResource',
    query: { resourceArn: arn },
  });
  return fromRaTags(tags);
}

/** Every item of a Roles Anywhere list (nextToken), page after page. */
export async function allRaPages<Item>(aws: Aws, action: string, path: string, key: string): Promise<Item[]> {
  const items: Item[] = [];
  let nextToken: string | undefined;
  do {
    const page = await aws.rolesAnywhere<Record<string, unknown>>(action, { method: 'GET', path, query: { nextToken, pageSize: '100' } });
    items.push(...((page[key] as Item[] | undefined) ?? []));
    nextToken = typeof page.nextToken === 'string' && page.nextToken !== '' ? page.nextToken : undefined;
  } while (nextToken);
  return items;
}

/** A name another integration or nobody has tagged: never touched (Teleport's own rule: "is not owned by this integration"). */
export function notOwned(tags: Tags, integration: string): string | undefined {
  const owner = tags[INTEGRATION_TAG];
  if (owner === undefined) return `it has no ${INTEGRATION_TAG} tag`;
  if (owner !== integration) return `it is tagged ${INTEGRATION_TAG}=${owner}`;
  return undefined;
}

/**
 * The ARNs AWS gave what this run created, by kind and name: what plan showed as pending is then
 * known without listing again (at one request per family a second, a list is a second).
 */
const created = new WeakMap<Aws, Map<string, string>>();

export function rememberCreated(aws: Aws, kind: 'trust-anchor' | 'profile', name: string, arn: string): void {
  if (!created.has(aws)) created.set(aws, new Map());
  created.get(aws)!.set(`${kind}/${name}`, arn);
}

export const createdArn = (aws: Aws, kind: 'trust-anchor' | 'profile', name: string): string | undefined => created.get(aws)?.get(`${kind}/${name}`);

/** A delete; what is already gone counts as deleted (a destroy run again after a kill). */
export async function deleteRa(aws: Aws, action: string, path: string): Promise<void> {
  await aws.rolesAnywhere(action, { method: 'DELETE', path }).catch((error: unknown) => {
    if ((error as Error).name !== 'ResourceNotFoundException') throw error;
  });
}
