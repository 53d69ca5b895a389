/** Other roles of the account whose trust policy lets the provider's tokens in. */
import { GetRoleCommand, ListRolesCommand, type GetRoleResponse, type ListRolesResponse, type Role } from '@aws-sdk/client-iam';
import { allIamPages, type Aws } from '../../clients/aws.js';
import { CLUSTER_TAG, INTEGRATION_TAG, ORIGIN_TAG, ORIGIN_VALUE, tagsFromList } from './tags.js';
import { parsePolicyDocument, statementsOf } from './policy-document.js';
import type { Json, TrustingRole } from '../../model/aws.js';
import type { Tags } from '../../config/tags.js';

function federatedPrincipals(principal: Json | undefined): string[] {
  if (principal === null || typeof principal !== 'object' || Array.isArray(principal)) return [];
  const federated = principal.Federated;
  return (Array.isArray(federated) ? federated : [federated]).filter((p): p is string => typeof p === 'string');
}

/** Whether any Allow statement names the provider as a Federated principal. */
export function trustsProvider(document: string, providerArn: string): boolean {
  try {
    return statementsOf(parsePolicyDocument(document)).some(
      (statement) => statement.Effect === 'Allow' && federatedPrincipals(statement.Principal).includes(providerArn),
    );
  } catch {
    return false;
  }
}

/** Memoises a read by key for a run over several integrations; the default reads every time. */
export type Share = <T>(key: string, read: () => Promise<T>) => Promise<T>;
export const unshared: Share = (_key, read) => read();

/**
 * One paginated pass over ListRoles (it returns each trust policy but not tags), then
 * GetRole only for the few roles that trust the provider, to tell sharing from drift. With
 * `share`, a run over many integrations lists the account's roles once and reads each
 * trusting role's tags once.
 */
export async function findTrustingRoles(aws: Aws, providerArn: string, ownRoleName: string, ownership: Tags, share: Share = unshared): Promise<TrustingRole[]> {
  const roles = await share<Role[]>('iam:ListRoles', () =>
    allIamPages(
      (Marker) => aws.send<ListRolesResponse>(aws.iam, new ListRolesCommand({ MaxItems: aws.iamPageSize, Marker })),
      (page) => page.Roles ?? [],
    ),
  );
  // Every trust policy parsed once per provider, however many integrations share it.
  const trusting = await share(`iam:trusting:${providerArn}`, () =>
    Promise.resolve(
      roles
        .filter((role) => role.RoleName && trustsProvider(role.AssumeRolePolicyDocument ?? '', providerArn))
        .map((role) => ({ name: role.RoleName!, arn: role.Arn ?? '' })),
    ),
  );
  const candidates = trusting.filter((role) => role.name.toLowerCase() !== ownRoleName.toLowerCase());

  return Promise.all(
    candidates.map(async ({ name, arn }) => {
      const tags = await share(`iam:role-tags:${name}`, async () => {
        const { Role: role } = await aws.send<GetRoleResponse>(aws.iam, new GetRoleCommand({ RoleName: name }));
        return tagsFromList(role?.Tags);
      });
      const other = tags[INTEGRATION_TAG];
      const sibling =
        tags[CLUSTER_TAG] === ownership[CLUSTER_TAG] && tags[ORIGIN_TAG] === ORIGIN_VALUE && other !== undefined && other !== ownership[INTEGRATION_TAG];
      return { name, arn, tags, sharedWith: sibling ? other : undefined };
    }),
  );
}
