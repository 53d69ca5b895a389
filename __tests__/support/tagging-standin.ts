/**
 * A stand-in for the Resource Groups Tagging API's GetResources, plugged into the AWS proxy.
 *
 * Why: moto 5.2.5's Tagging API lists no IAM resource at all, while AWS documents that
 * GetResources supports every resource type except IAM users and roles, and IAM's global
 * resources (OIDC providers) show in the partition's home region. The stand-in answers
 * from moto's own state: moto's GetResources for everything moto indexes (SSM documents,
 * ECS, Athena...), plus moto's IAM OIDC providers with their tags in the home region only.
 * It speaks the API's JSON protocol: AND across tag filters, OR across one filter's values,
 * ResourceTypeFilters, ResourcesPerPage and opaque PaginationTokens ('' on the last page).
 */
import { IAMClient, ListOpenIDConnectProviderTagsCommand, ListOpenIDConnectProvidersCommand } from '@aws-sdk/client-iam';
import { GetResourcesCommand, ResourceGroupsTaggingAPIClient, type ResourceTagMapping } from '@aws-sdk/client-resource-groups-tagging-api';
import { PARTITION_HOME_REGION } from '../../src/clients/aws.js';
import type { Fault } from './aws-proxy.js';

interface GetResourcesInput {
  TagFilters?: { Key: string; Values?: string[] }[];
  ResourceTypeFilters?: string[];
  ResourcesPerPage?: number;
  PaginationToken?: string;
}

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

function partitionOf(region: string): string {
  return region.startsWith('us-gov-') ? 'aws-us-gov' : region.startsWith('cn-') ? 'aws-cn' : 'aws';
}

async function motoIndexed(motoUrl: string, region: string): Promise<ResourceTagMapping[]> {
  const client = new ResourceGroupsTaggingAPIClient({ endpoint: motoUrl, region, credentials });
  const all: ResourceTagMapping[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(new GetResourcesCommand({ PaginationToken: token }));
    all.push(...(page.ResourceTagMappingList ?? []));
    token = page.PaginationToken || undefined;
  } while (token);
  return all;
}

async function motoOidcProviders(motoUrl: string, region: string): Promise<ResourceTagMapping[]> {
  if (PARTITION_HOME_REGION[partitionOf(region)] !== region) return [];
  const iam = new IAMClient({ endpoint: motoUrl, region, credentials });
  const { OpenIDConnectProviderList: providers = [] } = await iam.send(new ListOpenIDConnectProvidersCommand({}));
  return Promise.all(
    providers.map(async ({ Arn }) => {
      const { Tags = [] } = await iam.send(new ListOpenIDConnectProviderTagsCommand({ OpenIDConnectProviderArn: Arn }));
      return { ResourceARN: Arn, Tags };
    }),
  );
}

function matches(mapping: ResourceTagMapping, input: GetResourcesInput): boolean {
  const tags = new Map((mapping.Tags ?? []).map((t) => [t.Key, t.Value]));
  const tagsMatch = (input.TagFilters ?? []).every(
    (filter) => tags.has(filter.Key) && (!filter.Values?.length || filter.Values.includes(tags.get(filter.Key) ?? '')),
  );
  const [, , service, , , rest = ''] = (mapping.ResourceARN ?? '').split(':');
  const type = `${service}:${rest.split('/')[0]}`;
  const typeMatch = !input.ResourceTypeFilters?.length || input.ResourceTypeFilters.some((f) => f === service || f === type);
  return tagsMatch && typeMatch;
}

export interface TaggingStandIn extends Fault {
  /** GetResources requests answered, per region. */
  pagesServed: Map<string, number>;
}

export function taggingStandIn(motoUrl: string): TaggingStandIn {
  const pagesServed = new Map<string, number>();
  return {
    name: 'tagging-api stand-in',
    standIn: true,
    pagesServed,
    on: (call) => {
      if (call.service !== 'tagging' || call.action !== 'GetResources') return undefined;
      const input = JSON.parse(call.body || '{}') as GetResourcesInput;
      pagesServed.set(call.region, (pagesServed.get(call.region) ?? 0) + 1);
      const body = (async () => {
        const all = [...(await motoIndexed(motoUrl, call.region)), ...(await motoOidcProviders(motoUrl, call.region))]
          .filter((m) => matches(m, input))
          .sort((a, b) => (a.ResourceARN ?? '').localeCompare(b.ResourceARN ?? ''));
        const perPage = Math.min(Math.max(input.ResourcesPerPage ?? 50, 1), 100);
        const offset = input.PaginationToken ? Number(Buffer.from(input.PaginationToken, 'base64').toString()) : 0;
        const page = all.slice(offset, offset + perPage);
        const next = offset + perPage < all.length ? Buffer.from(String(offset + perPage)).toString('base64') : '';
        return { PaginationToken: next, ResourceTagMappingList: page };
      })();
      return { kind: 'json', body };
    },
  };
}
