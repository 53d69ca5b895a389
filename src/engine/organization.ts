/**
 * The organization's side of a run: one round of reads (the organization, its tree, the StackSet and
 * its instances, the management account's member role), and the plan over them. Pages, never a role
 * per account.
 */
import type { Aws, CallerIdentity } from '../clients/aws.js';
import type { OrganizationScope } from '../config/discovery.js';
import { RefusalError } from '../errors.js';
import type { Change } from '../model/changes.js';
import type { DesiredOrganization, ObservedOrganization, OrganizationIdentity, ScopedAccounts } from '../model/organization.js';
import { observeMemberRole, planMemberRole } from '../resources/aws/organization/member-role.js';
import { observeStackSet, planStackSet, stackSetRef, type StackSetReadOptions } from '../resources/aws/organization/stack-set.js';
import { operationWait, type OperationWait } from '../resources/aws/organization/operations.js';
import type { Settings } from '../config/inputs.js';
import type { Logger } from '../logger.js';
import {
  scopedAccounts,
  excludedAccounts,
  observeOrganizationIdentity,
  readOrganizationTree,
  stackSetsTrustedAccess,
  STACKSETS_PRINCIPAL,
  targetUnits,
  WHERE_TO_RUN,
} from '../resources/aws/organization/tree.js';

/** Everything the organization's plan and check compare; `desired` needs the identity read first. */
export async function observeOrganization(
  aws: Aws,
  scope: OrganizationScope,
  identity: CallerIdentity,
  integration: string,
  /** Destroy reads the management account's member role wherever the scope now stands. */
  forDestroy = false,
  /** What the mode waits for or runs on the StackSet before reading its instances. */
  reads: StackSetReadOptions = {},
): Promise<ObservedOrganization> {
  const organization = await observeOrganizationIdentity(aws, scope);
  const [tree, trustedAccess, stackSet] = await Promise.all([
    readOrganizationTree(aws),
    scope.rollout === 'stackset' ? stackSetsTrustedAccess(aws, organization, identity.account) : undefined,
    scope.rollout === 'stackset'
      ? observeStackSet(aws, stackSetRef(integration, identity, organization.managementAccount), reads)
      : { stackSet: undefined, instances: [], runningOperations: [], driftDetection: undefined },
  ]);
  const scoped = scopedAccounts(tree, scope, organization.managementAccount);
  const managementRole =
    scope.rollout === 'stackset' && (scoped.managementInScope || forDestroy) && identity.account === organization.managementAccount
      ? await observeMemberRole(aws, scope.memberRole)
      : undefined;
  return {
    identity: organization,
    tree,
    scoped,
    trustedAccess,
    stackSet: stackSet.stackSet,
    instances: stackSet.instances,
    runningOperations: stackSet.runningOperations,
    driftDetection: stackSet.driftDetection,
    managementRole,
  };
}

/** Drifted accounts check reads in detail (one call each): enough to see what was changed. */
export const DRIFT_DETAIL_ACCOUNTS = 5;

/** How a run waits for the StackSet's operations: AWS's pace, within stackset-timeout. */
export function stackSetWait(settings: Settings, aws: Aws, logger: Logger): OperationWait {
  return operationWait(aws, logger, settings.stackSetTimeoutMinutes);
}

/** What a mode waits for or runs on the StackSet before reading it. */
export function stackSetReads(settings: Settings, aws: Aws, logger: Logger): StackSetReadOptions {
  const wait = stackSetWait(settings, aws, logger);
  if (settings.mode === 'apply' || settings.mode === 'destroy') return { waitOutRunning: wait };
  if (settings.mode === 'check') return { detectDrift: settings.detectDrift ? wait : undefined, driftDetails: DRIFT_DETAIL_ACCOUNTS };
  return {};
}

/** The accounts that should carry a stack instance: in scope, active, and not the management account (StackSets never deploy there). */
export function stackSetAccounts(scoped: ScopedAccounts, identity: OrganizationIdentity): string[] {
  return scoped.inScope.filter((a) => a.id !== identity.managementAccount).map((a) => a.id);
}

/** The StackSet's changes: refused as a whole for a unit the organization lacks or without trusted access. */
export function planStackSetSide(desired: DesiredOrganization, observed: ObservedOrganization): Change[] {
  const { scoped } = observed;
  const refusal = (message: string, why: string) => new RefusalError('stack-set', message, `organization/${observed.identity.id}`, why);
  if (scoped.unknownUnits.length > 0) {
    throw refusal(
      `discovery's organization units name ${scoped.unknownUnits.join(', ')}, which organization ${observed.identity.id} does not have. ` +
        'Correct the ids (aws organizations list-roots, list-organizational-units-for-parent). Nothing was written.',
      'unknown unit',
    );
  }
  const stackSet = desired.stackSet;
  if (!stackSet) return [];
  if (observed.trustedAccess === false) {
    throw refusal(
      `Trusted access for CloudFormation StackSets is not enabled in organization ${observed.identity.id}: a service-managed StackSet cannot deploy the member role. ` +
        'Enable it in the CloudFormation console (StackSets, "Activate trusted access") or with aws organizations enable-aws-service-access ' +
        `--service-principal ${STACKSETS_PRINCIPAL}, then run again. ${WHERE_TO_RUN}`,
      'no trusted access',
    );
  }
  return planStackSet(
    observed.stackSet,
    observed.instances,
    stackSet,
    {
      wanted: stackSetAccounts(scoped, observed.identity),
      suspended: scoped.suspended.map((a) => a.id),
      tree: observed.tree,
      units: targetUnits(observed.tree, desired.scope),
      excludeAccounts: excludedAccounts(observed.tree, desired.scope),
    },
    desired.integration,
  );
}

/** The management account's own member role, when it is in scope and this run is the management account's. */
export function planManagementRole(desired: DesiredOrganization, observed: ObservedOrganization, roleArn: string): Change[] {
  return desired.writesManagementRole && observed.scoped.managementInScope
    ? planMemberRole(observed.managementRole, desired.memberRole, roleArn, desired.integration)
    : [];
}
