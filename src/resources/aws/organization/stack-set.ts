/**
 * The service-managed StackSet that rolls the member role out to every account in scope, with
 * automatic deployment to accounts that join later: observed (the set and its instances, page by
 * page), compared as data (the template parsed, instances as sets of accounts), planned, written
 * through waited-for operations, and deleted. Only a stack set tagged for this integration is
 * ever touched.
 */
import type {
  CloudFormationClient,
  DescribeStackSetOutput,
  ListStackInstanceResourceDriftsOutput,
  ListStackInstancesOutput,
} from '@aws-sdk/client-cloudformation';
import { allTokenPages, isAwsError, PARTITION_HOME_REGION, type Aws } from '../../../clients/aws.js';
import { RefusalError } from '../../../errors.js';
import type { Json } from '../../../model/aws.js';
import type { Change, FieldDiff } from '../../../model/changes.js';
import type { DesiredStackSet, DriftDetection, OrganizationTree, StackInstanceState, StackSetState } from '../../../model/organization.js';
import { sameJson } from '../policy-document.js';
import { INTEGRATION_TAG, missingTags, tagList, tagsFromList, tagsToList } from '../tags.js';
import { count } from '../../../text.js';
import { listOperations, runOperation, waitOutRunning, type OperationOutcome, type OperationWait, type StackSetCall } from './operations.js';

const commands = () => import('@aws-sdk/client-cloudformation');
/** ListStackInstances' largest page. */
const INSTANCE_PAGE = 100;
/**
 * Every account at once, and every account attempted whatever fails elsewhere: AWS rounds a
 * percentage tolerance down (10 % of 9 accounts is 0, so one SCP-denied account would cancel the
 * rest) and, with strict tolerance, runs at most tolerance + 1 accounts at a time. Accounts that
 * fail are not lost: apply reads the instances back and fails naming them, with AWS's reasons.
 */
const OPERATION_PREFERENCES = { RegionConcurrencyType: 'PARALLEL', MaxConcurrentPercentage: 100, FailureTolerancePercentage: 100 } as const;

export function stackSetName(integration: string): string {
  // Stack set names: a letter, then letters, digits and hyphens, at most 128.
  return `teleport-discovery-member-role-${integration.replace(/[^A-Za-z0-9-]/g, '-')}`.slice(0, 128);
}

/** Where the stack set is, and as whom it is called: the same for every run of the integration whatever the job's region. */
export interface StackSetRef {
  name: string;
  region: string;
  callAs: DesiredStackSet['callAs'];
}

export function stackSetRef(integration: string, identity: { account: string; partition: string }, managementAccount: string): StackSetRef {
  return {
    name: stackSetName(integration),
    // IAM is global: one region holds the set and one instance per account, the partition's home.
    region: PARTITION_HOME_REGION[identity.partition] ?? 'us-east-1',
    callAs: identity.account === managementAccount ? 'SELF' : 'DELEGATED_ADMIN',
  };
}

export function stackSetDescription(integration: string): string {
  return `Teleport's discovery member role for integration ${integration}, rolled out by the teleport-aws-oidc-integration action from Git: do not edit by hand`;
}

export interface StackSetReadOptions {
  /** Apply and destroy: an operation already running is waited out before anything is read (it may be changing instances). */
  waitOutRunning?: OperationWait;
  /** Check with detect-drift: a drift detection is run (and waited for) before the instances are read. */
  detectDrift?: OperationWait;
  /** Check: how many drifted accounts are read in detail (ListStackInstanceResourceDrifts, one call each). */
  driftDetails?: number;
}

export interface ObservedStackSet {
  stackSet: StackSetState | undefined;
  instances: StackInstanceState[];
  runningOperations: { id: string; action: string }[];
  driftDetection: DriftDetection | undefined;
}

export async function observeStackSet(aws: Aws, wanted: StackSetRef, options: StackSetReadOptions = {}): Promise<ObservedStackSet> {
  const client = await aws.cloudFormationClient(wanted.region);
  const { DescribeStackSetCommand, DetectStackSetDriftCommand } = await commands();
  const none: ObservedStackSet = { stackSet: undefined, instances: [], runningOperations: [], driftDetection: undefined };
  const base = { StackSetName: wanted.name, CallAs: wanted.callAs };
  let described: DescribeStackSetOutput;
  try {
    described = await aws.send<DescribeStackSetOutput>(client, new DescribeStackSetCommand(base));
  } catch (error) {
    if (isAwsError(error, 'StackSetNotFound')) return none;
    throw error;
  }
  const set = described.StackSet;
  if (!set || set.Status === 'DELETED') return none;
  let operations = await listOperations(aws, client, base);
  const running = operations.filter((op) => op.running);
  if (options.waitOutRunning && running.length > 0) {
    await waitOutRunning(aws, client, base, running, options.waitOutRunning);
    // Waited for to their end: apply and destroy read no more of them.
    operations = operations.map((op) => ({ ...op, running: false }));
  }
  let ranNow = false;
  // Only a set of ours is checked for drift: a set of that name that is not ours is refused by the plan.
  if (options.detectDrift && set.Tags?.some((t) => t.Key === INTEGRATION_TAG)) {
    const outcome = await runOperation(aws, client, base, () => aws.send(client, new DetectStackSetDriftCommand(base)), options.detectDrift);
    if (outcome) ranNow = true;
    // Read again: the detection's end, and whatever it waited out.
    operations = await listOperations(aws, client, base);
  }
  const instances = await listStackInstances(aws, client, base);
  const lastDetection = operations.find((op) => op.action === 'DETECT_DRIFT' && !op.running);
  const driftDetection: DriftDetection | undefined = lastDetection
    ? {
        operationId: lastDetection.id,
        status: lastDetection.status,
        ended: lastDetection.ended,
        ranNow,
        details: await driftDetails(aws, client, base, lastDetection.id, instances, wanted.region, options.driftDetails ?? 0),
      }
    : undefined;
  let template: Json;
  try {
    template = JSON.parse(set.TemplateBody ?? 'null') as Json;
  } catch {
    template = set.TemplateBody ?? null; // YAML, written by hand: differs from ours anyway
  }
  return {
    stackSet: {
      name: set.StackSetName ?? wanted.name,
      description: set.Description ?? '',
      template,
      tags: tagsFromList(set.Tags),
      permissionModel: set.PermissionModel ?? 'SELF_MANAGED',
      autoDeployment: {
        enabled: set.AutoDeployment?.Enabled ?? false,
        retainStacksOnAccountRemoval: set.AutoDeployment?.RetainStacksOnAccountRemoval ?? false,
      },
      status: set.Status ?? 'ACTIVE',
    },
    instances,
    runningOperations: operations.filter((op) => op.running).map((op) => ({ id: op.id, action: op.action })),
    driftDetection,
  };
}

/** Every instance of the set, in pages of 100. */
async function listStackInstances(aws: Aws, client: CloudFormationClient, base: StackSetCall): Promise<StackInstanceState[]> {
  const { ListStackInstancesCommand } = await commands();
  const summaries = await allTokenPages(
    (NextToken) => aws.send<ListStackInstancesOutput>(client, new ListStackInstancesCommand({ ...base, MaxResults: INSTANCE_PAGE, NextToken })),
    (page) => page.Summaries ?? [],
  );
  return summaries.map((summary) => ({
    account: summary.Account ?? '',
    region: summary.Region ?? '',
    status: summary.Status ?? 'CURRENT',
    detailedStatus: summary.StackInstanceStatus?.DetailedStatus ?? 'SUCCEEDED',
    statusReason: summary.StatusReason,
    driftStatus: summary.DriftStatus ?? 'NOT_CHECKED',
    lastDriftCheck: summary.LastDriftCheckTimestamp,
    unit: summary.OrganizationalUnitId,
  }));
}

/** After apply's writes: the instances read again (nothing else of the set changes). */
export async function readStackInstances(aws: Aws, ref: StackSetRef): Promise<StackInstanceState[]> {
  return listStackInstances(aws, await aws.cloudFormationClient(ref.region), { StackSetName: ref.name, CallAs: ref.callAs });
}

/** What differs in the first few drifted accounts, a line per property (one call per account read). */
async function driftDetails(
  aws: Aws,
  client: CloudFormationClient,
  base: StackSetCall,
  operationId: string,
  instances: StackInstanceState[],
  region: string,
  limit: number,
): Promise<Map<string, string[]>> {
  const { ListStackInstanceResourceDriftsCommand } = await commands();
  const details = new Map<string, string[]>();
  const drifted = instances.filter((i) => i.driftStatus === 'DRIFTED' && i.region === region).slice(0, limit);
  for (const instance of drifted) {
    const { Summaries = [] } = await aws.send<ListStackInstanceResourceDriftsOutput>(
      client,
      new ListStackInstanceResourceDriftsCommand({
        ...base,
        StackInstanceAccount: instance.account,
        StackInstanceRegion: instance.region,
        OperationId: operationId,
        StackInstanceResourceDriftStatuses: ['MODIFIED', 'DELETED'],
      }),
    );
    details.set(
      instance.account,
      Summaries.flatMap((drift) =>
        drift.StackResourceDriftStatus === 'DELETED'
          ? [`${drift.PhysicalResourceId ?? drift.LogicalResourceId} deleted`]
          : (drift.PropertyDifferences ?? []).map(
              (d) =>
                `${drift.PhysicalResourceId ?? drift.LogicalResourceId}${d.PropertyPath} ${d.DifferenceType === 'NOT_EQUAL' ? 'changed' : d.DifferenceType === 'ADD' ? 'added' : 'removed'}`,
            ),
      ),
    );
  }
  return details;
}

/** Why an instance does not cover its account, in a word a reviewer reads. */
export function instanceProblem(
  instance: StackInstanceState | undefined,
): 'missing' | 'FAILED' | 'OUTDATED' | 'INOPERABLE' | 'PENDING' | 'DRIFTED' | undefined {
  if (!instance) return 'missing';
  if (instance.status === 'INOPERABLE' || instance.detailedStatus === 'INOPERABLE') return 'INOPERABLE';
  // Skipped while its account was suspended (SKIPPED_SUSPENDED_ACCOUNT): an account active now (the
  // tree says) has no role there, so it is deployed again like any instance an operation did not reach.
  if (instance.detailedStatus === 'SKIPPED_SUSPENDED_ACCOUNT') return 'OUTDATED';
  if (instance.detailedStatus === 'FAILED' || instance.detailedStatus === 'CANCELLED') return 'FAILED';
  if (instance.detailedStatus === 'PENDING' || instance.detailedStatus === 'RUNNING') return 'PENDING';
  if (instance.status === 'OUTDATED') return 'OUTDATED';
  // Deployed and current, but the role was changed inside the account (the last drift detection).
  if (instance.driftStatus === 'DRIFTED') return 'DRIFTED';
  return undefined;
}

/** The instances in the set's region (its only one), by account. */
export function instancesByAccount(instances: StackInstanceState[], region: string | undefined): Map<string, StackInstanceState> {
  return new Map(instances.filter((i) => i.region === region).map((i) => [i.account, i]));
}

/**
 * Accounts of the organization whose instance the scope does not keep. An account that left the
 * organization loses its instance by AWS itself (no stacks retained): not ours to remove or report.
 */
export function instancesOutside(byAccount: Map<string, StackInstanceState>, keep: Iterable<string>, tree: OrganizationTree): string[] {
  const kept = new Set(keep);
  const members = new Set(tree.accounts.map((a) => a.id));
  return [...byAccount.keys()].filter((account) => !kept.has(account) && members.has(account));
}

/** What an instances change names of its set. */
const instancesOf = (wanted: DesiredStackSet) => ({ stackSet: wanted.name, region: wanted.region, callAs: wanted.callAs });

const target = (wanted: DesiredStackSet) => `stackset/${wanted.name} (${wanted.region})`;

export function stackSetDiffs(live: StackSetState, wanted: DesiredStackSet): FieldDiff[] {
  const diffs: FieldDiff[] = [];
  if (!sameJson(live.template, wanted.template))
    diffs.push({ field: 'template', live: 'differs (changed by hand, or an older version)', declared: 'the member role as declared' });
  if (live.description !== wanted.description) diffs.push({ field: 'description', live: live.description || '(none)', declared: wanted.description });
  if (!live.autoDeployment.enabled || live.autoDeployment.retainStacksOnAccountRemoval) {
    diffs.push({
      field: 'auto-deployment',
      live: `enabled ${live.autoDeployment.enabled}, retain stacks ${live.autoDeployment.retainStacksOnAccountRemoval}`,
      declared: 'enabled true, retain stacks false (accounts that join get the role, accounts that leave lose it)',
    });
  }
  const tags = missingTags(live.tags, wanted.tags);
  if (Object.keys(tags).length > 0) diffs.push({ field: 'tags', live: tagList(live.tags), declared: tagList(wanted.tags) });
  return diffs;
}

export interface InstancePlan {
  /** Accounts that should carry an instance: in scope, active, not the management account. */
  wanted: string[];
  /** In scope but suspended or closing: an instance there is left as it is. */
  suspended: string[];
  tree: OrganizationTree;
  /** The units to target and the accounts under them to leave out (StackSets' DIFFERENCE filter). */
  units: string[];
  excludeAccounts: string[];
}

export function planStackSet(
  live: StackSetState | undefined,
  instances: StackInstanceState[],
  wanted: DesiredStackSet,
  plan: InstancePlan,
  integration: string,
): Change[] {
  const changes: Change[] = [];
  const where = target(wanted);
  if (!live) {
    changes.push({
      action: 'create-stack-set',
      resource: 'stack-set',
      target: where,
      reason: 'no StackSet rolls the member role out: it is created service-managed, with automatic deployment to accounts that join',
      after: wanted,
    });
  } else {
    if (live.tags[INTEGRATION_TAG] !== integration) {
      throw new RefusalError(
        'stack-set',
        `StackSet ${wanted.name} exists without tag ${INTEGRATION_TAG}=${integration} (${tagList(live.tags)}): it is not this integration's, and is never changed. ` +
          'Delete or rename it, or set discovery organization rollout: none and roll the member role out your way.',
        where,
      );
    }
    if (live.permissionModel !== 'SERVICE_MANAGED') {
      throw new RefusalError(
        'stack-set',
        `StackSet ${wanted.name} uses ${live.permissionModel} permissions; only a service-managed StackSet deploys to the organization's units and to accounts that join. Delete it and apply again.`,
        where,
        'self-managed',
      );
    }
    const fields = stackSetDiffs(live, wanted);
    if (fields.length > 0) {
      changes.push({
        action: 'update-stack-set',
        resource: 'stack-set',
        target: where,
        reason: `${fields.map((f) => f.field).join(', ')} ${fields.length === 1 ? 'differs' : 'differ'} from what is declared`,
        fields,
        after: { ...wanted, tags: { ...live.tags, ...wanted.tags } },
      });
    }
  }
  const byAccount = instancesByAccount(instances, wanted.region);
  const missing = plan.wanted.filter((account) => !byAccount.has(account));
  const ref = instancesOf(wanted);
  if (missing.length > 0) {
    changes.push({
      action: 'create-stack-instances',
      resource: 'stack-instances',
      target: where,
      reason: `${count(missing.length, 'account')} in scope without the member role`,
      ...ref,
      units: plan.units,
      excludeAccounts: plan.excludeAccounts,
      accounts: missing,
    });
  }
  const parentOf = new Map(plan.tree.accounts.map((a) => [a.id, a.parent]));
  // INOPERABLE instances need a person (delete them retaining the stack, then apply): check says so.
  const redeployable = new Set(['FAILED', 'OUTDATED']);
  const broken = plan.wanted.filter((account) => redeployable.has(instanceProblem(byAccount.get(account)) ?? ''));
  if (broken.length > 0) {
    changes.push({
      action: 'update-stack-instances',
      resource: 'stack-instances',
      target: where,
      reason: `${count(broken.length, 'instance')} FAILED or OUTDATED: deployed again`,
      ...ref,
      units: unitsOf(broken, parentOf),
      accounts: broken,
    });
  }
  // A member role changed inside its account: an update would not repair it (CloudFormation compares
  // the new template with the previous one, never with the live role, and StackSets have no
  // "revert drift"), so its instance is deleted and created again, which writes every property anew.
  const drifted = plan.wanted.filter((account) => instanceProblem(byAccount.get(account)) === 'DRIFTED');
  if (drifted.length > 0) {
    changes.push({
      action: 'redeploy-stack-instances',
      resource: 'stack-instances',
      target: where,
      reason: `${count(drifted.length, 'member role')} changed inside ${drifted.length === 1 ? 'its account' : 'their accounts'} (drift detection: DRIFTED): made again from the template`,
      ...ref,
      units: unitsOf(drifted, parentOf),
      accounts: drifted,
    });
  }
  // Suspended accounts in scope keep whatever they have.
  const outside = instancesOutside(byAccount, [...plan.wanted, ...plan.suspended], plan.tree);
  if (outside.length > 0) {
    changes.push({
      action: 'remove-stack-instances',
      resource: 'stack-instances',
      target: where,
      reason: `${count(outside.length, 'instance')} outside the scope (excluded, or the management account)`,
      ...ref,
      units: unitsOf(outside, parentOf),
      accounts: outside,
    });
  }
  return changes;
}

const unitsOf = (accounts: string[], parentOf: Map<string, string>) => [...new Set(accounts.map((a) => parentOf.get(a)!))].sort();

export type StackSetChange = Extract<
  Change,
  {
    action:
      | 'create-stack-set'
      | 'update-stack-set'
      | 'create-stack-instances'
      | 'update-stack-instances'
      | 'redeploy-stack-instances'
      | 'remove-stack-instances'
      | 'delete-stack-instances'
      | 'delete-stack-set';
  }
>;
const STACK_SET_ACTIONS: ReadonlySet<string> = new Set([
  'create-stack-set',
  'update-stack-set',
  'create-stack-instances',
  'update-stack-instances',
  'redeploy-stack-instances',
  'remove-stack-instances',
]);
/** What apply writes (destroy's deletions go through `applyStackSetChange` from destroy). */
export const isStackSetChange = (change: Change): change is StackSetChange => STACK_SET_ACTIONS.has(change.action);

/** What create and update both write: the set as declared, service-managed, deploying to accounts that join and leaving none behind. */
function declared(set: DesiredStackSet) {
  return {
    Description: set.description,
    TemplateBody: JSON.stringify(set.template),
    PermissionModel: 'SERVICE_MANAGED' as const,
    AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: false },
    // The template names its role (RoleName).
    Capabilities: ['CAPABILITY_NAMED_IAM' as const],
    Tags: tagsToList(set.tags),
  };
}

/**
 * Writes one change and waits for its operation; an operation already running is waited out first,
 * never failed on. Returns the operation's outcome (accounts that failed within the tolerance included).
 */
export async function applyStackSetChange(aws: Aws, change: StackSetChange, wait: OperationWait): Promise<OperationOutcome | undefined> {
  const c = await commands();
  const ref =
    change.action === 'create-stack-set' || change.action === 'update-stack-set'
      ? change.after
      : { name: change.stackSet, region: change.region, callAs: change.callAs };
  const client = await aws.cloudFormationClient(ref.region);
  const base = { StackSetName: ref.name, CallAs: ref.callAs };
  // Starts one operation and waits for it (an operation already running is waited out first).
  const operation = (command: Parameters<typeof aws.send>[1]) => runOperation(aws, client, base, () => aws.send(client, command), wait);
  if (change.action === 'create-stack-set') {
    await aws.send(client, new c.CreateStackSetCommand({ ...base, ...declared(change.after) }));
    return undefined;
  }
  if (change.action === 'update-stack-set') {
    return operation(new c.UpdateStackSetCommand({ ...base, ...declared(change.after), OperationPreferences: OPERATION_PREFERENCES }));
  }
  if (change.action === 'delete-stack-set') {
    return runOperation(aws, client, base, async () => (await aws.send(client, new c.DeleteStackSetCommand(base)), {}), wait);
  }
  const instances = { ...base, Regions: [change.region], OperationPreferences: OPERATION_PREFERENCES };
  // A service-managed set names accounts only as a filter over units.
  const only = { OrganizationalUnitIds: change.units, Accounts: change.accounts, AccountFilterType: 'INTERSECTION' as const };
  switch (change.action) {
    case 'create-stack-instances':
      return operation(
        new c.CreateStackInstancesCommand({
          ...instances,
          DeploymentTargets: {
            OrganizationalUnitIds: change.units,
            ...(change.excludeAccounts.length > 0 ? { Accounts: change.excludeAccounts, AccountFilterType: 'DIFFERENCE' } : {}),
          },
        }),
      );
    case 'update-stack-instances':
      return operation(new c.UpdateStackInstancesCommand({ ...instances, DeploymentTargets: only }));
    case 'redeploy-stack-instances':
      await operation(new c.DeleteStackInstancesCommand({ ...instances, DeploymentTargets: only, RetainStacks: false }));
      return operation(new c.CreateStackInstancesCommand({ ...instances, DeploymentTargets: only }));
    case 'remove-stack-instances':
    case 'delete-stack-instances':
      return operation(
        new c.DeleteStackInstancesCommand({
          ...instances,
          DeploymentTargets: change.accounts.length > 0 ? only : { OrganizationalUnitIds: change.units },
          RetainStacks: false,
        }),
      );
  }
}

/** Destroy: every instance (by the organization's roots), then the set; only when it is tagged for this integration. */
export function planStackSetDeletion(
  live: StackSetState | undefined,
  instances: StackInstanceState[],
  wanted: DesiredStackSet,
  roots: string[],
  integration: string,
): Change[] {
  if (!live || live.tags[INTEGRATION_TAG] !== integration) return [];
  const ref = instancesOf(wanted);
  const where = target(wanted);
  return [
    ...(instances.length > 0
      ? [
          {
            action: 'delete-stack-instances' as const,
            resource: 'stack-instances' as const,
            target: where,
            reason: `the member role in ${count(instances.length, 'account')}`,
            ...ref,
            units: roots,
            accounts: [],
          },
        ]
      : []),
    { action: 'delete-stack-set' as const, resource: 'stack-set' as const, target: where, reason: `tagged for ${integration}`, ...ref },
  ];
}
