/**
 * A StackSet operation, started and waited for as AWS runs them: minutes for a large organization,
 * one at a time per set (an operation already running, ours from an earlier run or automatic
 * deployment's own, is waited out first), progress in the log at least every 30 s, within a time
 * budget past which the operation is left running (it is AWS's) and the step says so, and the
 * accounts that failed read back with AWS's reasons.
 */
import type {
  CloudFormationClient,
  DescribeStackSetOperationOutput,
  ListStackSetOperationResultsOutput,
  ListStackSetOperationsOutput,
  StackSetOperationResultSummary,
} from '@aws-sdk/client-cloudformation';
import { allTokenPages, isAwsError, type Aws } from '../../../clients/aws.js';
import type { Logger } from '../../../logger.js';
import { capped, count } from '../../../text.js';

const commands = () => import('@aws-sdk/client-cloudformation');

/** The log says what a running operation is doing at least this often. */
export const PROGRESS_EVERY_MS = 30_000;
/** ListStackSetOperationResults' largest page. */
const RESULT_PAGE = 100;
const TERMINAL = new Set(['SUCCEEDED', 'FAILED', 'STOPPED']);

export interface OperationWait {
  logger: Logger;
  /** Each wait's budget (the stackset-timeout input). */
  budgetMs: number;
  pollMs: number;
}

export function operationWait(aws: Aws, logger: Logger, budgetMinutes: number): OperationWait {
  return { logger, budgetMs: budgetMinutes * 60_000, pollMs: aws.operationPollMs };
}

export interface StackSetCall {
  StackSetName: string;
  CallAs: 'SELF' | 'DELEGATED_ADMIN';
}

export interface FailedAccount {
  account: string;
  reason: string;
}

export interface OperationOutcome {
  id: string;
  status: string;
  failed: FailedAccount[];
}

/** The budget ran out with the operation still running: left to AWS, and the next run waits for it first. */
export class OperationTimeout extends Error {
  constructor(stackSet: string, operationId: string, action: string, budgetMs: number) {
    super(
      `StackSet ${stackSet}: operation ${operationId} (${action}) was still running after ${minutes(budgetMs)} (the stackset-timeout input). ` +
        "It is left running: it is AWS's, and stopping it would leave accounts half-done. The next run waits for it first and carries on without starting anything twice. " +
        `Follow it with: aws cloudformation describe-stack-set-operation --stack-set-name ${stackSet} --operation-id ${operationId}; ` +
        'for an organization this large, raise stackset-timeout.',
    );
    this.name = 'OperationTimeout';
  }
}

function minutes(ms: number): string {
  const total = Math.round(ms / 1000);
  const m = Math.floor(total / 60);
  const s = total % 60;
  return m === 0 ? `${s} s` : s === 0 ? `${m} min` : `${m} min ${s} s`;
}

/** Every result of an operation, page by page (100 a page: 10 reads at 1,000 accounts). */
async function operationResults(
  aws: Aws,
  client: CloudFormationClient,
  base: StackSetCall,
  operationId: string,
  status?: string,
): Promise<StackSetOperationResultSummary[]> {
  const { ListStackSetOperationResultsCommand } = await commands();
  return allTokenPages(
    (NextToken) =>
      aws.send<ListStackSetOperationResultsOutput>(
        client,
        new ListStackSetOperationResultsCommand({
          ...base,
          OperationId: operationId,
          MaxResults: RESULT_PAGE,
          NextToken,
          ...(status ? { Filters: [{ Name: 'OPERATION_RESULT_STATUS', Values: status }] } : {}),
        }),
      ),
    (page) => page.Summaries ?? [],
  );
}

/**
 * Waits for one operation to end, within the budget. The log gets a line at the first poll and then
 * whenever waiting one more poll would leave more than 30 s without one; each line reads the results
 * in pages, never per account.
 */
export async function waitForOperation(
  aws: Aws,
  client: CloudFormationClient,
  base: StackSetCall,
  operationId: string,
  wait: OperationWait,
): Promise<OperationOutcome> {
  const { DescribeStackSetOperationCommand } = await commands();
  const started = Date.now();
  let slept = 0;
  // Real time in a run; the sleeps' sum where a test's sleep returns at once.
  const elapsed = () => Math.max(Date.now() - started, slept);
  let lastProgress: number | undefined;
  let grouped = false;
  try {
    for (;;) {
      const { StackSetOperation: op } = await aws.send<DescribeStackSetOperationOutput>(
        client,
        new DescribeStackSetOperationCommand({ ...base, OperationId: operationId }),
      );
      const status = op?.Status ?? 'RUNNING';
      const action = op?.Action ?? 'operation';
      if (TERMINAL.has(status)) {
        const failed = (await operationResults(aws, client, base, operationId, 'FAILED')).map((r) => ({
          account: r.Account ?? '',
          reason: r.StatusReason ?? 'no reason given',
        }));
        if (grouped)
          wait.logger.info(
            `StackSet ${base.StackSetName}: ${action} ${operationId} ${status} after ${minutes(elapsed())}${failed.length ? `, ${count(failed.length, 'account')} failed` : ''}`,
          );
        return { id: operationId, status, failed };
      }
      if (elapsed() + wait.pollMs > wait.budgetMs) throw new OperationTimeout(base.StackSetName, operationId, action, wait.budgetMs);
      if (lastProgress === undefined || elapsed() - lastProgress + wait.pollMs > PROGRESS_EVERY_MS) {
        if (!grouped) {
          wait.logger.group?.(`StackSet ${base.StackSetName}: ${action} operation ${operationId}`);
          grouped = true;
        }
        const results = await operationResults(aws, client, base, operationId);
        const done = results.filter((r) => r.Status === 'SUCCEEDED').length;
        const failed = results.filter((r) => r.Status === 'FAILED' || r.Status === 'CANCELLED').length;
        wait.logger.info(
          `StackSet ${base.StackSetName}: ${action} ${operationId} ${status}: ${done} of ${count(results.length, 'account')} done, ${failed} failed, ${minutes(elapsed())} elapsed`,
        );
        lastProgress = elapsed();
      }
      await aws.sleep(wait.pollMs);
      slept += wait.pollMs;
    }
  } finally {
    if (grouped) wait.logger.endGroup?.();
  }
}

export interface OperationSummary {
  id: string;
  action: string;
  status: string;
  running: boolean;
  ended: Date | undefined;
}

/** The set's operations, newest first: one page of 100 holds the running ones and the last drift detection. */
export async function listOperations(aws: Aws, client: CloudFormationClient, base: StackSetCall): Promise<OperationSummary[]> {
  const { ListStackSetOperationsCommand } = await commands();
  const { Summaries = [] } = await aws.send<ListStackSetOperationsOutput>(client, new ListStackSetOperationsCommand({ ...base, MaxResults: 100 }));
  return Summaries.map((op) => ({
    id: op.OperationId ?? '',
    action: op.Action ?? 'operation',
    status: op.Status ?? '',
    running: !TERMINAL.has(op.Status ?? ''),
    ended: op.EndTimestamp,
  }));
}

/** Waits out the operations running on the set (ours from an earlier run, or automatic deployment's): one at a time per set. */
export async function waitOutRunning(
  aws: Aws,
  client: CloudFormationClient,
  base: StackSetCall,
  running: OperationSummary[],
  wait: OperationWait,
): Promise<void> {
  for (const op of running) {
    wait.logger.info(
      `StackSet ${base.StackSetName}: ${op.action} operation ${op.id} is running (an earlier run's, or AWS's automatic deployment): waiting for it first`,
    );
    await waitForOperation(aws, client, base, op.id, wait);
  }
}

/**
 * Starts an operation (waiting out one already running: OperationInProgressException) and waits
 * until it ends. FAILED or STOPPED is an error naming the accounts that failed and why; SUCCEEDED
 * may still carry failed accounts (within the failure tolerance): the caller reports them.
 */
export async function runOperation(
  aws: Aws,
  client: CloudFormationClient,
  base: StackSetCall,
  start: () => Promise<{ OperationId?: string }>,
  wait: OperationWait,
): Promise<OperationOutcome | undefined> {
  for (let attempt = 0; ; attempt++) {
    let started: { OperationId?: string };
    try {
      started = await start();
    } catch (error) {
      if (!isAwsError(error, 'OperationInProgress') || attempt >= 5) throw error;
      const running = (await listOperations(aws, client, base)).filter((op) => op.running);
      await waitOutRunning(aws, client, base, running, wait);
      if (running.length === 0) await aws.sleep(wait.pollMs);
      continue;
    }
    if (!started.OperationId) return undefined;
    const outcome = await waitForOperation(aws, client, base, started.OperationId, wait);
    if (outcome.status !== 'SUCCEEDED') {
      throw new Error(
        `StackSet ${base.StackSetName}: operation ${outcome.id} ${outcome.status}` +
          (outcome.failed.length > 0 ? ` (more accounts failed than the failure tolerance allows): ${failedAccountsLine(outcome.failed)}` : '') +
          '. Fix the cause and run again: only the accounts without a current member role are deployed again.',
      );
    }
    return outcome;
  }
}

/** Accounts grouped by reason, the largest group first, each group's accounts in order. */
export function accountsByReason(items: { account: string; reason: string }[]): { reason: string; accounts: string[] }[] {
  const groups = new Map<string, string[]>();
  for (const { account, reason } of items) groups.set(reason, [...(groups.get(reason) ?? []), account]);
  return [...groups]
    .map(([reason, accounts]) => ({ reason, accounts: [...accounts].sort() }))
    .sort((a, b) => b.accounts.length - a.accounts.length || a.reason.localeCompare(b.reason));
}

function failedAccountsLine(failed: FailedAccount[]): string {
  return accountsByReason(failed)
    .map((group) => `${capped(group.accounts, 10)}: ${group.reason}`)
    .join('; ');
}
