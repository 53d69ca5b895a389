/** One run of the action in a mode, from validated settings to a result the adapter emits. */
import type { Annotation } from './annotations.js';
import { RESOURCE_TITLES, type Change, type Resource } from './changes.js';
import { ApplyError, applyPlan, observeAndPlan, type EngineDeps, type Plan } from './engine.js';
import type { Settings } from './inputs.js';
import { escapeHtml, planJson, renderReport, resourceRows, type RunReport } from './report.js';

export interface RunResult {
  plan: Plan | undefined;
  /** Planned changes (plan, check) or the ones applied (apply). */
  changes: Change[];
  annotations: Annotation[];
  outputs: Record<string, string>;
  /** Markdown for the job summary and the PR comment. */
  markdown: string;
  report: RunReport | undefined;
  /** Set when the step must fail: a one-line reason first. */
  failure: string | undefined;
}

function verdictFor(mode: Settings['mode'], changes: Change[], refused: boolean, failed: boolean): string {
  if (failed) return 'apply failed';
  if (refused) return 'refused: nothing was changed';
  const n = changes.length;
  const some = `${n} change${n === 1 ? '' : 's'}`;
  if (mode === 'apply') return n === 0 ? 'no changes: everything matches' : `${some} applied`;
  if (mode === 'plan') return n === 0 ? 'no changes' : `${some} to apply`;
  return n === 0 ? 'no drift' : 'drift found';
}

function unchangedReasons(plan: Plan): Partial<Record<Resource, string>> {
  const { observed, desired } = plan;
  return {
    'oidc-provider': observed.provider
      ? `exists with audience ${desired.clientId} and thumbprint ${observed.chain.thumbprint}`
      : 'missing',
    'iam-role': observed.role ? 'exists and is tagged for this integration' : 'missing',
    'trust-policy': observed.role ? `already lets ${desired.providerArn} in with audience ${desired.clientId}` : 'missing',
    tags: 'every tag is present on the provider and the role',
    'teleport-integration': `exists with role_arn ${desired.roleArn}`,
  };
}

function annotationFor(change: Change, mode: Settings['mode'], failOnDrift: boolean): Annotation {
  const title = `${RESOURCE_TITLES[change.resource]}: ${change.action}`;
  if (mode === 'apply') return { level: 'notice', title, message: `Applied to ${change.target}: ${change.reason}` };
  if (mode === 'plan') return { level: 'notice', title, message: `Would apply to ${change.target}: ${change.reason}. Merge to run apply.` };
  return {
    level: failOnDrift ? 'error' : 'warning',
    title,
    message: `Drift on ${change.target}: ${change.reason}. Run the action with mode: apply to repair it.`,
  };
}

export interface RunContext {
  runUrl?: string;
}

export async function runAction(settings: Settings, deps: EngineDeps, context: RunContext = {}): Promise<RunResult> {
  const outputs: Record<string, string> = { changes: 'false', plan: '[]', drift: 'false' };
  const plan = await observeAndPlan(settings, deps);
  outputs['account-id'] = plan.identity.account;
  outputs['provider-arn'] = plan.desired.providerArn;
  outputs['role-arn'] = plan.desired.roleArn;

  let changes = plan.changes;
  let failure: string | undefined;
  const annotations: Annotation[] = [];
  const refused = new Map<Resource, string>(plan.refusals.map((r) => [r.resource as Resource, r.message]));
  for (const refusal of plan.refusals) annotations.push({ level: 'error', title: `${RESOURCE_TITLES[refusal.resource as Resource]}: refused`, message: refusal.message });

  let applyFailed = false;
  if (plan.refusals.length > 0) {
    failure = plan.refusals.map((r) => r.message).join('\n');
    changes = settings.mode === 'apply' ? [] : changes;
  } else if (settings.mode === 'apply') {
    try {
      changes = await applyPlan(plan, settings, deps);
    } catch (error) {
      if (!(error instanceof ApplyError)) throw error;
      applyFailed = true;
      changes = error.applied;
      failure = error.message;
    }
  }
  const drift = settings.mode === 'check' && (changes.length > 0 || plan.refusals.length > 0);
  if (drift && settings.failOnDrift && !failure) {
    failure = `Drift found: ${changes.length} difference(s) between AWS/Teleport and the desired state; see the job summary.`;
  }
  annotations.push(...changes.map((change) => annotationFor(change, settings.mode, settings.failOnDrift)));

  outputs.changes = String(changes.length > 0);
  outputs.plan = planJson(changes);
  outputs.drift = String(drift);

  const targets: Record<Resource, string> = {
    'oidc-provider': plan.desired.providerArn,
    'iam-role': plan.desired.roleArn,
    'trust-policy': plan.desired.roleArn,
    tags: `${plan.desired.providerArn}, ${plan.desired.roleArn}`,
    'teleport-integration': settings.integration,
  };
  const report: RunReport = {
    mode: settings.mode,
    integration: settings.integration,
    account: plan.identity.account,
    cluster: plan.desired.clusterName,
    rows: resourceRows({
      mode: settings.mode,
      changes,
      refused,
      targets,
      skipped: new Set<Resource>(plan.observed.teleportSkipped ? ['teleport-integration'] : []),
      unchangedReasons: unchangedReasons(plan),
    }),
    changes,
    verdict: verdictFor(settings.mode, changes, plan.refusals.length > 0, applyFailed),
    runUrl: context.runUrl,
  };
  if (failure && applyFailed) report.sections = [`**Error:** ${escapeHtml(failure)}`];
  return { plan, changes, annotations, outputs, markdown: renderReport(report), report, failure };
}
