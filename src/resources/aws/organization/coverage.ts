/**
 * Which accounts in scope have a working member role, unit by unit, from the organization's tree
 * and the StackSet's instances alone (no role is assumed anywhere).
 */
import type { DesiredOrganization, ObservedOrganization, OrganizationAccount } from '../../../model/organization.js';
import { instanceProblem, instancesByAccount, instancesOutside } from './stack-set.js';

/** What keeps an account from being counted covered; `not checked`: the management account, run from a delegated administrator. */
export type AccountProblem = NonNullable<ReturnType<typeof instanceProblem>> | 'not checked';

export interface UnitCoverage {
  unit: string;
  name: string;
  inScope: number;
  covered: number;
  /** Accounts in scope without a current, successful member role, by what is wrong. */
  problems: Map<AccountProblem, string[]>;
}

export interface OrganizationCoverage {
  units: UnitCoverage[];
  inScope: number;
  covered: number;
  suspended: OrganizationAccount[];
  /** Instances in accounts the scope does not cover (excluded units, the management account). */
  outside: { account: string; unit: string | undefined }[];
  /** The management account, when in scope: covered directly, not by the StackSet. */
  management: { inScope: boolean; covered: boolean | undefined };
  /** Rollout none: nothing of ours to compare with. */
  verified: boolean;
}

/** The management account's own role: written and read only from the management account itself. */
function managementProblem(covered: boolean | undefined, desired: DesiredOrganization): AccountProblem | undefined {
  if (covered === false) return 'missing';
  if (covered === undefined && desired.stackSet) return 'not checked';
  return undefined;
}

export interface UncoveredAccount {
  account: string;
  unit: string;
  problem: AccountProblem;
  /** AWS's StatusReason where it gave one, else the problem in words. */
  reason: string;
}

/** Every account in scope the StackSet left without a current member role, with AWS's reason (management and pending ones apart). */
export function uncoveredAccounts(desired: DesiredOrganization, observed: ObservedOrganization, coverage: OrganizationCoverage): UncoveredAccount[] {
  const instances = instancesByAccount(observed.instances, desired.stackSet?.region);
  return coverage.units.flatMap((unit) =>
    [...unit.problems]
      .filter(([problem]) => problem !== 'PENDING' && problem !== 'not checked')
      .flatMap(([problem, accounts]) =>
        accounts
          .filter((account) => account !== observed.identity.managementAccount)
          .map((account) => ({ account, unit: unit.unit, problem, reason: instances.get(account)?.statusReason || PROBLEM_REASONS[problem] })),
      ),
  );
}

const PROBLEM_REASONS: Record<AccountProblem, string> = {
  missing: 'no stack instance',
  FAILED: 'the stack failed (no reason given)',
  OUTDATED: 'the last operation did not reach it',
  INOPERABLE: 'a deletion failed and left the stack unstable',
  PENDING: 'an operation is deploying it',
  DRIFTED: 'the member role was changed inside the account',
  'not checked': 'not checked from a delegated administrator',
};

export function organizationCoverage(desired: DesiredOrganization, observed: ObservedOrganization): OrganizationCoverage {
  const scope = observed.scoped;
  const management = observed.identity.managementAccount;
  const region = desired.stackSet?.region;
  const instances = instancesByAccount(observed.instances, region);
  const units = new Map<string, UnitCoverage>();
  const managementInScope = scope.managementInScope;
  const managementCovered = managementInScope && desired.writesManagementRole ? observed.managementRole !== undefined : undefined;
  for (const account of scope.inScope) {
    const unit = observed.tree.units.get(account.parent);
    const row: UnitCoverage = units.get(account.parent) ?? {
      unit: account.parent,
      name: unit?.name ?? account.parent,
      inScope: 0,
      covered: 0,
      problems: new Map<AccountProblem, string[]>(),
    };
    units.set(account.parent, row);
    row.inScope++;
    const problem: AccountProblem | undefined =
      account.id === management ? managementProblem(managementCovered, desired) : desired.stackSet ? instanceProblem(instances.get(account.id)) : undefined;
    if (problem === undefined) {
      row.covered++;
    } else {
      const accounts = row.problems.get(problem) ?? [];
      accounts.push(account.id);
      row.problems.set(problem, accounts);
    }
  }
  // Suspended accounts in scope keep whatever they have: only accounts the scope leaves out are "outside", as apply sees them.
  const kept = [...scope.inScope, ...scope.suspended].filter((a) => a.id !== management).map((a) => a.id);
  const parentOf = new Map(observed.tree.accounts.map((a) => [a.id, a.parent]));
  const outside = instancesOutside(instances, kept, observed.tree).map((account) => ({ account, unit: parentOf.get(account) }));
  const rows = [...units.values()].sort((a, b) => a.name.localeCompare(b.name));
  return {
    units: rows,
    inScope: scope.inScope.length,
    covered: rows.reduce((n, r) => n + r.covered, 0),
    suspended: scope.suspended,
    outside,
    management: { inScope: managementInScope, covered: managementCovered },
    verified: desired.stackSet !== undefined,
  };
}
