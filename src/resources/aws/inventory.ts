/** What carries the integration's tags, from the Resource Groups Tagging API, region by region. */
import type { GetResourcesOutput } from '@aws-sdk/client-resource-groups-tagging-api';
import type { Aws } from '../../clients/aws.js';
import { INTEGRATION_TAG, ORIGIN_TAG, ORIGIN_VALUE, carriesTags, tagsFromList } from './tags.js';
import type { Share } from './trusting-roles.js';
import type { Tags } from '../../config/tags.js';

export interface TaggedResource {
  arn: string;
  /** `service:type` read from the ARN, e.g. `iam:oidc-provider`, `ssm:document`. */
  type: string;
  regions: string[];
  tags: Tags;
}

export function resourceType(arn: string): string {
  const [, , service = '?', , , rest = ''] = arn.split(':');
  const type = rest.includes('/') ? rest.split('/')[0] : arn.split(':').length > 6 ? rest : '';
  return type ? `${service}:${type}` : service;
}

/** Everything of Teleport's AWS OIDC integrations in a region: one scan serves every integration of a run. */
async function scanRegion(aws: Aws, region: string): Promise<TaggedResource[]> {
  const [client, { GetResourcesCommand }] = await Promise.all([aws.taggingClient(region), import('@aws-sdk/client-resource-groups-tagging-api')]);
  const found: TaggedResource[] = [];
  let token: string | undefined;
  do {
    const page = await aws.send<GetResourcesOutput>(
      client,
      new GetResourcesCommand({
        TagFilters: [{ Key: ORIGIN_TAG, Values: [ORIGIN_VALUE] }],
        ResourcesPerPage: 100,
        PaginationToken: token,
      }),
    );
    for (const mapping of page.ResourceTagMappingList ?? []) {
      if (mapping.ResourceARN) {
        found.push({ arn: mapping.ResourceARN, type: resourceType(mapping.ResourceARN), regions: [region], tags: tagsFromList(mapping.Tags) });
      }
    }
    token = page.PaginationToken || undefined;
  } while (token);
  return found;
}

/**
 * Every resource tagged teleport.dev/integration=<integration> and
 * teleport.dev/origin=integration_awsoidc in the given regions, each listed once (global
 * resources can show in several regions). IAM roles never appear: GetResources does not
 * support IAM users and roles.
 */
export async function scanTaggedResources(aws: Aws, regions: string[], integration: string, share: Share = (_key, read) => read()): Promise<TaggedResource[]> {
  const perRegion = await Promise.all(regions.map((region) => share(`tagging:${region}`, () => scanRegion(aws, region))));
  const byArn = new Map<string, TaggedResource>();
  // Copies: the shared scan stays as read for the next integration.
  for (const resource of perRegion.flat().filter((r) => r.tags[INTEGRATION_TAG] === integration)) {
    const seen = byArn.get(resource.arn);
    if (seen) seen.regions.push(...resource.regions);
    else byArn.set(resource.arn, { ...resource, regions: [...resource.regions] });
  }
  return [...byArn.values()].sort((a, b) => a.type.localeCompare(b.type) || a.arn.localeCompare(b.arn));
}

export interface InventoryVerdict {
  /** Tagged OIDC providers that are not this integration's provider: drift. */
  strayProviders: TaggedResource[];
  /** Our provider is tagged (read directly) but the index does not list it. */
  providerNotIndexed: boolean;
  /** Tagged SSM documents that no listed region declares (left when a region or name was dropped): drift. */
  strayDocuments: TaggedResource[];
  /** Declared documents, tagged right (read directly), that the index does not list in their region. */
  documentsNotIndexed: string[];
}

/** What the integration should own, as read directly: the index is judged against it. */
export interface OwnedResources {
  providerArn: string;
  providerTags: Tags | undefined;
  /** Declared SSM document ARNs, with their tags as read (undefined where missing). */
  documents: { arn: string; tags: Tags | undefined }[];
  ownershipTags: Tags;
}

export function judgeInventory(resources: TaggedResource[], owned: OwnedResources): InventoryVerdict {
  const providers = resources.filter((r) => r.type === 'iam:oidc-provider');
  const documents = resources.filter((r) => r.type === 'ssm:document');
  const declared = new Set(owned.documents.map((d) => d.arn));
  // Index lag (or a partition that does not index a type) is only a note while the resource's own tags are right.
  const taggedButUnlisted = (arn: string, tags: Tags | undefined, listed: TaggedResource[]) =>
    tags !== undefined && carriesTags(tags, owned.ownershipTags) && !listed.some((r) => r.arn === arn);
  return {
    strayProviders: providers.filter((r) => r.arn !== owned.providerArn),
    providerNotIndexed: taggedButUnlisted(owned.providerArn, owned.providerTags, providers),
    strayDocuments: documents.filter((r) => !declared.has(r.arn)),
    documentsNotIndexed: owned.documents.filter((d) => taggedButUnlisted(d.arn, d.tags, documents)).map((d) => d.arn),
  };
}
