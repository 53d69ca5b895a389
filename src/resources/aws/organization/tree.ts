/**
 * The AWS Organization the credentials belong to, read the way Teleport's Discovery Service walks
 * it: roots, then units, then each parent's accounts, page by page (never a role per account).
 * Which accounts a matcher's scope covers is computed here, from that tree alone.
 */
import type {
  DescribeOrganizationResponse,
  ListAccountsForParentResponse,
  ListAWSServiceAccessForOrganizationResponse,
  ListOrganizationalUnitsForParentResponse,
  ListRootsResponse,
} from '@aws-sdk/client-organizations';
import { allTokenPages, isAwsError, type Aws } from '../../../clients/aws.js';
import type { OrganizationScope } from '../../../config/discovery.js';
import type { OrganizationAccount, OrganizationIdentity, OrganizationTree, OrganizationUnit, ScopedAccounts } from '../../../model/organization.js';

/** Organizations lists at most 20 per page. */
const PAGE = 20;
/** The service principal StackSets' trusted access enables in Organizations. */
export const STACKSETS_PRINCIPAL = 'member.org.stacksets.cloudformation.amazonaws.com';

/** Where to run, said once for every way of getting it wrong. */
export const WHERE_TO_RUN =
  'Run discovery across an organization with credentials of its management account, or of an account registered as a delegated administrator ' +
  'for both Organizations and CloudFormation StackSets (see docs/organizations.md).';

/** The organization of the credentials' account; a clear error without one. */
export async function observeOrganizationIdentity(aws: Aws, scope: OrganizationScope): Promise<OrganizationIdentity> {
  const client = await aws.organizationsClient();
  const { DescribeOrganizationCommand } = await commands();
  let output: DescribeOrganizationResponse;
  try {
    output = await aws.send<DescribeOrganizationResponse>(client, new DescribeOrganizationCommand({}));
  } catch (error) {
    if (isAwsError(error, 'AWSOrganizationsNotInUse')) {
      throw new Error(
        `discovery declares an organization, but the credentials' account is not in an AWS Organization. ${WHERE_TO_RUN} Nothing was read or written.`,
        {
          cause: error,
        },
      );
    }
    throw error;
  }
  const organization = output.Organization;
  if (!organization?.Id || !organization.MasterAccountId) throw new Error('organizations:DescribeOrganization returned no organization id');
  if (scope.id !== undefined && scope.id !== organization.Id) {
    throw new Error(
      `The AWS credentials are for organization ${organization.Id}, but discovery's organization id is ${scope.id}. ` +
        'Nothing was read or written. Use credentials of that organization, or correct the id.',
    );
  }
  return { id: organization.Id, managementAccount: organization.MasterAccountId };
}

/** Loaded with the client: runs without an organization never load the SDK's Organizations code. */
const commands = () => import('@aws-sdk/client-organizations');

/**
 * Roots, every unit and every account, a level at a time (the parents of one level are read
 * concurrently). A denied read means the account is neither the management account nor a
 * delegated administrator: said with where to run.
 */
export async function readOrganizationTree(aws: Aws): Promise<OrganizationTree> {
  const client = await aws.organizationsClient();
  const { ListRootsCommand, ListOrganizationalUnitsForParentCommand, ListAccountsForParentCommand } = await commands();
  const denied = (error: unknown) => {
    if (isAwsError(error, 'AccessDenied') || isAwsError(error, 'AccessDeniedException')) {
      const cause = error instanceof Error ? error.message : String(error);
      return new Error(`Organizations refused to list the organization's accounts (${cause}). ${WHERE_TO_RUN} Nothing was written.`, { cause: error });
    }
    return error;
  };
  try {
    const roots = await allTokenPages(
      (NextToken) => aws.send<ListRootsResponse>(client, new ListRootsCommand({ NextToken, MaxResults: PAGE })),
      (page) => page.Roots ?? [],
    );
    const units = new Map<string, OrganizationUnit>(roots.map((r) => [r.Id!, { id: r.Id!, name: r.Name ?? 'Root', parent: undefined }]));
    const accounts: OrganizationAccount[] = [];
    let level = roots.map((r) => r.Id!);
    while (level.length > 0) {
      const next: string[] = [];
      await Promise.all(
        level.map(async (parent) => {
          const [children, members] = await Promise.all([
            allTokenPages(
              (NextToken) =>
                aws.send<ListOrganizationalUnitsForParentResponse>(
                  client,
                  new ListOrganizationalUnitsForParentCommand({ ParentId: parent, NextToken, MaxResults: PAGE }),
                ),
              (page) => page.OrganizationalUnits ?? [],
            ),
            allTokenPages(
              (NextToken) =>
                aws.send<ListAccountsForParentResponse>(client, new ListAccountsForParentCommand({ ParentId: parent, NextToken, MaxResults: PAGE })),
              (page) => page.Accounts ?? [],
            ),
          ]);
          for (const unit of children) {
            units.set(unit.Id!, { id: unit.Id!, name: unit.Name ?? unit.Id!, parent });
            next.push(unit.Id!);
          }
          for (const account of members) {
            accounts.push({ id: account.Id!, name: account.Name ?? '', status: account.State ?? account.Status ?? 'ACTIVE', parent });
          }
        }),
      );
      level = next;
    }
    accounts.sort((a, b) => a.id.localeCompare(b.id));
    return { roots: roots.map((r) => r.Id!), units, accounts };
  } catch (error) {
    throw denied(error);
  }
}

/** Whether StackSets may act in the organization (only the management account can ask; undefined elsewhere). */
export async function stackSetsTrustedAccess(aws: Aws, identity: OrganizationIdentity, account: string): Promise<boolean | undefined> {
  if (account !== identity.managementAccount) return undefined;
  const client = await aws.organizationsClient();
  const { ListAWSServiceAccessForOrganizationCommand } = await commands();
  const principals = await allTokenPages(
    (NextToken) => aws.send<ListAWSServiceAccessForOrganizationResponse>(client, new ListAWSServiceAccessForOrganizationCommand({ NextToken })),
    (page) => page.EnabledServicePrincipals ?? [],
  );
  return principals.some((p) => p.ServicePrincipal === STACKSETS_PRINCIPAL);
}

/** The units from an account's parent up to its root. */
export function ancestors(tree: OrganizationTree, unitId: string): string[] {
  const chain: string[] = [];
  for (let unit = tree.units.get(unitId); unit; unit = unit.parent ? tree.units.get(unit.parent) : undefined) chain.push(unit.id);
  return chain;
}

/** An account is in scope when a unit above it is included and none above it is excluded (exclude wins). */
export function scopedAccounts(tree: OrganizationTree, scope: OrganizationScope, managementAccount: string): ScopedAccounts {
  const all = scope.include.includes('*');
  const inScope: OrganizationAccount[] = [];
  const suspended: OrganizationAccount[] = [];
  for (const account of tree.accounts) {
    const chain = ancestors(tree, account.parent);
    const included = all || chain.some((unit) => scope.include.includes(unit));
    if (!included || chain.some((unit) => scope.exclude.includes(unit))) continue;
    (account.status === 'ACTIVE' ? inScope : suspended).push(account);
  }
  const unknownUnits = [...scope.include.filter((u) => u !== '*'), ...scope.exclude].filter((unit) => !tree.units.has(unit));
  return { inScope, suspended, unknownUnits, managementInScope: inScope.some((a) => a.id === managementAccount) };
}

/** The units a stack set targets: the included ones, or every root for "*". */
export function targetUnits(tree: OrganizationTree, scope: OrganizationScope): string[] {
  return scope.include.includes('*') ? tree.roots : scope.include;
}

/** Accounts under the targeted units that the scope excludes: the StackSet's DIFFERENCE filter. */
export function excludedAccounts(tree: OrganizationTree, scope: OrganizationScope): string[] {
  const targets = targetUnits(tree, scope);
  return tree.accounts
    .filter((account) => {
      const chain = ancestors(tree, account.parent);
      return chain.some((unit) => targets.includes(unit)) && chain.some((unit) => scope.exclude.includes(unit));
    })
    .map((a) => a.id);
}
