/** One run of the action in a mode, from validated settings to a result the adapter emits. */
import type { Annotation } from '../report/annotations.js';
import type { CallerIdentity } from '../clients/aws.js';
import { destroyRows } from '../report/destroy.js';
import { RESOURCE_TITLES, type Change, type Deletion, type Resource } from '../model/changes.js';
import { applyDestroy, observeAndPlanDestroy } from './destroy.js';
import type { DesiredState } from '../model/desired.js';
import { notScannedRows, scanForDrift } from './drift.js';
import type { Finding } from '../model/findings.js';
import { ApplyError, applyPlan, observeAndPlan, shareable, SharedReads, type EngineDeps, type Plan } from './engine.js';
import { trustPolicyNearQuota } from '../resources/aws/trust-policy.js';
import type { Settings } from '../config/inputs.js';
import { featureOutcomes, featureRows, policyDiffSections } from '../report/features.js';
import { profileSyncProblem } from '../resources/teleport/aws-ra-integration.js';
import { checkSyncedProfiles } from '../resources/aws/roles-anywhere/synced-profiles.js';
import { escapeHtml, planJson, renderReport, resourceRows, type ReportRow, type RunReport } from '../report/summary.js';
import { featureLine } from '../config/features.js';
import { undeclaredTeleportPolicies, type UndeclaredPolicy } from '../resources/aws/role-policies.js';
import { foreignReferences, strayConfigs } from '../resources/teleport/discovery-config.js';
import { discoveryHealth, type DiscoveryHealth } from '../resources/teleport/discovery-health.js';
import { organizationCoverage, uncoveredAccounts, type UncoveredAccount } from '../resources/aws/organization/coverage.js';
import { coverageFindings, coverageRow, coverageSection, driftDetectionNote, uncoveredMessage, uncoveredSection } from '../report/organization.js';
import { readStackInstances, stackSetRef } from '../resources/aws/organization/stack-set.js';
import { kindsFor } from './kinds/index.js';
import { coveredPermissionsRow, discoveryChangeSections, discoveryOutcome, healthRow, healthSection } from '../report/discovery.js';
import { count } from '../text.js';
import { errorMessage } from '../errors.js';

export interface RunResult {
  identity: CallerIdentity;
  /** Planned changes (plan, check) or the ones applied (apply). */
  changes: Change[];
  /** Check mode: every difference found, changes included. */
  findings: Finding[];
  drift: boolean;
  annotations: Annotation[];
  outputs: Record<string, string>;
  /** Markdown for the job summary and the PR comment. */
  markdown: string;
  report: RunReport;
  /** Set when the step must fail. */
  failure: string | undefined;
  /** Everything was read: false when tctl could not be (the findings are then partial). */
  complete: boolean;
}

function verdictFor(
  settings: Settings,
  changes: Change[],
  findings: Finding[],
  refused: boolean,
  applyFailed: boolean,
  teleportFailed: boolean,
  healthProblems: number,
): string {
  if (teleportFailed) return `tctl failed${settings.mode === 'apply' ? ` after ${count(changes.length, 'AWS change')}` : ''}`;
  if (applyFailed) return `apply failed after ${count(changes.length, 'change')}`;
  if (settings.mode === 'check') {
    const drift = findings.length === 0 ? 'no drift' : `drift found: ${count(findings.length, 'difference')}`;
    const what = settings.rolesAnywhere ? 'profile sync' : 'discovery';
    return healthProblems > 0 ? `${drift}; ${what} unhealthy: ${count(healthProblems, 'problem')}` : drift;
  }
  if (refused) return 'refused: nothing was changed';
  if (settings.mode === 'apply') return changes.length === 0 ? 'no changes: everything matches' : `${count(changes.length, 'change')} applied`;
  return changes.length === 0 ? 'no changes' : `${count(changes.length, 'change')} to apply`;
}

/** Each kind's rows: what it points at, and why it is unchanged. */
function kindRows(plan: Plan, settings: Settings): { targets: Partial<Record<Resource, string>>; unchanged: Partial<Record<Resource, string>> } {
  const rows = kindsFor(settings).flatMap((kind) => Object.entries(kind.rows(plan, settings)));
  return {
    targets: Object.fromEntries(rows.map(([resource, row]) => [resource, row.target])),
    unchanged: Object.fromEntries(rows.map(([resource, row]) => [resource, row.unchanged])),
  };
}

function changeAnnotation(change: Change, mode: Settings['mode']): Annotation {
  const title = `${RESOURCE_TITLES[change.resource]}: ${change.action}`;
  if (mode === 'apply') return { level: 'notice', title, message: `Applied to ${change.target}: ${change.reason}.` };
  return { level: 'notice', title, message: `Would apply to ${change.target}: ${change.reason}. Merge to run apply.` };
}

/** Coverage findings say these per unit and account: their changes are not findings of their own. */
const COVERAGE_ACTIONS = new Set<Change['action']>(['create-stack-instances', 'update-stack-instances', 'redeploy-stack-instances', 'remove-stack-instances']);

function changeFinding(change: Change): Finding {
  // Field by field where the change says (live against declared): the annotation alone tells what was changed.
  const fields = 'fields' in change ? change.fields.map((f) => ` ${f.field}: live ${f.live}; declared ${f.declared}.`).join('') : '';
  return {
    resource: `${RESOURCE_TITLES[change.resource]}: ${change.action}`,
    target: change.target,
    message: `${change.target}: ${change.reason}.${fields} Run this action with mode: apply to repair it.`,
  };
}

/** The step's outputs, the same for every mode. */
function stepOutputs(
  plan: { identity: CallerIdentity; desired: DesiredState },
  changes: Change[],
  drift: boolean,
  features: unknown,
  discovery: unknown = {},
): Record<string, string> {
  // An aws-ra integration has no provider; its role is profile sync's.
  const ra = plan.desired.rolesAnywhere;
  return {
    'account-id': plan.identity.account,
    'provider-arn': ra ? '' : plan.desired.providerArn,
    'role-arn': ra ? ra.syncRoleArn : plan.desired.roleArn,
    changes: String(changes.length > 0),
    plan: planJson(changes),
    drift: String(drift),
    features: JSON.stringify(features),
    discovery: JSON.stringify(discovery),
  };
}

/** An aws-ra integration's profile sync, from its status (Teleport syncs every 5 minutes). */
function raHealthProblems(plan: Plan): { kind: string; message: string }[] {
  const integration = plan.observed.raIntegration;
  const declared = plan.desired.rolesAnywhere;
  if (!integration || !declared?.resource.spec.aws_ra.profile_sync_config?.enabled) return [];
  const problem = profileSyncProblem(integration.status?.aws_ra?.last_profile_sync, new Date());
  return problem ? [{ kind: 'profile sync', message: `Integration ${declared.integration}: ${problem}.` }] : [];
}

async function profileSyncScan(plan: Plan, settings: Settings, deps: EngineDeps): Promise<{ findings: Finding[]; rows: ReportRow[]; sections: string[] }> {
  const declaration = settings.rolesAnywhere!;
  const { synced, problems: roleProblems } = await checkSyncedProfiles(
    deps.aws,
    { syncProfile: declaration.syncProfile, filters: declaration.profileFilters, account: plan.identity.account },
    (key, read) => shareable(deps, key, read),
  );
  const profilesRow: ReportRow = {
    resource: 'Profiles Teleport syncs',
    target: declaration.profileFilters.length > 0 ? `profiles matching ${declaration.profileFilters.join(', ')}` : 'every enabled profile',
    status: roleProblems.length > 0 ? 'drift' : 'unchanged',
    reason:
      synced.length === 0
        ? 'no enabled profile matches: Teleport shows no AWS app through this integration'
        : `${synced.length} profile(s): ${synced.join(', ')}; ${roleProblems.length > 0 ? `${roleProblems.length} role(s) not trusting Roles Anywhere` : 'each role trusts Roles Anywhere'}`,
  };
  const roleFindings: Finding[] = roleProblems.map((p) => ({ resource: 'Profiles Teleport syncs', target: p.profileArn, message: p.message }));
  const problems = raHealthProblems(plan);
  const enabled = plan.desired.rolesAnywhere?.resource.spec.aws_ra.profile_sync_config?.enabled ?? false;
  const last = plan.observed.raIntegration?.status?.aws_ra?.last_profile_sync;
  const row: ReportRow = {
    resource: 'Profile sync (health)',
    target: settings.integration,
    status: !enabled || !plan.observed.raIntegration ? 'skipped' : problems.length > 0 ? 'unhealthy' : 'healthy',
    reason: !enabled
      ? 'profile-sync is off'
      : !plan.observed.raIntegration
        ? 'the integration does not exist yet'
        : problems.length > 0
          ? problems.map((p) => p.message).join(' ')
          : `last sync ${last?.end_time ?? '?'}: ${last?.synced_profiles ?? 0} profile(s) synced`,
  };
  return { findings: roleFindings, rows: [row, profilesRow], sections: [] };
}

function undeclaredMessage(policy: UndeclaredPolicy, roleName: string): string {
  if (policy.olderName) {
    return (
      `Role ${roleName} carries ${policy.name}, an older name of Teleport's policy for ${policy.feature}, which is declared and written as its current name. ` +
      'This action never removes an inline policy: delete the old one by hand once nothing needs it.'
    );
  }
  return (
    `Role ${roleName} carries inline policy ${policy.name}, Teleport's policy for feature ${policy.feature}, but features does not declare it ` +
    `(someone enabled it in Teleport's web UI). To keep it in code, add this line to the features input: ${featureLine(policy.feature)} ` +
    'This action never removes it.'
  );
}

export interface RunContext {
  runUrl?: string;
}

/** Destroy (mode destroy), or its plan (mode plan with destroy: true). */
async function runDestroy(settings: Settings, deps: EngineDeps, context: RunContext): Promise<RunResult> {
  const plan = await observeAndPlanDestroy(settings, deps);
  const deleting = settings.mode === 'destroy';
  const annotations: Annotation[] = plan.refusals.map((r) => ({
    level: 'error',
    title: `${RESOURCE_TITLES[r.resource as Resource]}: refused`,
    message: r.message,
  }));
  let failure = plan.refusals.length > 0 ? plan.refusals.map((r) => r.message).join('\n') : undefined;
  let done: Deletion[] = [];
  const sections: string[] = [];
  for (const note of plan.notes) {
    annotations.push({ level: 'warning', title: 'Before destroy', message: note });
    sections.push(`**Note:** ${escapeHtml(note)}`);
  }
  if (deleting && !failure) {
    try {
      done = await applyDestroy(plan, settings, deps);
    } catch (error) {
      if (!(error instanceof ApplyError)) throw error;
      done = error.applied as Deletion[];
      failure = error.message;
      sections.push(`**Error:** ${escapeHtml(error.message)}`);
    }
  }
  const changes: Change[] = deleting ? done : plan.changes;
  for (const change of changes) {
    if (!deleting) deps.logger.info(`would ${change.action} ${change.target}: ${change.reason}`);
    annotations.push({
      level: 'notice',
      title: `${RESOURCE_TITLES[change.resource]}: ${change.action}`,
      message: deleting
        ? `Deleted ${change.target}: ${change.reason}.`
        : `Would delete ${change.target}: ${change.reason}. Run mode: destroy with confirm-destroy to delete.`,
    });
  }
  const verdict =
    plan.refusals.length > 0
      ? 'refused: nothing was deleted'
      : failure
        ? `destroy failed after ${count(done.length, 'deletion')}`
        : plan.changes.length === 0
          ? 'nothing to delete: everything is already gone'
          : deleting
            ? `${count(done.length, 'deletion')} made`
            : `${count(plan.changes.length, 'deletion')} to make`;
  const report: RunReport = {
    mode: settings.mode,
    destroy: true,
    integration: settings.integration,
    account: plan.identity.account,
    cluster: plan.clusterName ?? 'unknown (not given, and the proxy did not answer)',
    rows: destroyRows(plan, deleting ? done : undefined),
    changes,
    sections,
    verdict,
    runUrl: context.runUrl,
  };
  const outputs = stepOutputs(plan, changes, false, {});
  return {
    identity: plan.identity,
    changes,
    findings: [],
    drift: false,
    annotations,
    outputs,
    markdown: renderReport(report),
    report,
    failure,
    complete: true,
  };
}

/**
 * Check mode's look at Teleport's side of discovery: discovery_configs made elsewhere that use
 * the integration (a warning), ours left behind (drift), and the declared one's health.
 */
function scanDiscovery(plan: Plan, settings: Settings) {
  const annotations: Annotation[] = [];
  const rows: ReportRow[] = [];
  const findings: Finding[] = [];
  const sections: string[] = [];
  let health: DiscoveryHealth | undefined;
  // Made in the web UI, by hand or by another tool: worth knowing (destroy stops on it), never touched.
  for (const config of foreignReferences(plan.observed.discoveryConfigs ?? [], settings.integration)) {
    const message =
      `discovery_config ${config.metadata.name} uses integration ${settings.integration} but is not managed by this workflow ` +
      '(made in the web UI, by hand or by another tool). It is never changed here; destroy refuses while it exists. Declare it in discovery, or delete it, to settle it.';
    annotations.push({ level: 'warning', title: `discovery_config not in code: ${config.metadata.name}`, message });
    rows.push({
      resource: 'discovery_config (not in code)',
      target: `discovery_config/${config.metadata.name}`,
      status: 'not declared',
      reason: message,
    });
  }
  const discovery = plan.desired.discovery;
  for (const config of strayConfigs(plan.observed.discoveryConfigs ?? [], settings.integration, discovery?.config.metadata.name)) {
    findings.push({
      resource: 'Teleport discovery_config: not declared',
      target: `discovery_config/${config.metadata.name}`,
      message:
        `discovery_config ${config.metadata.name} was made by this workflow for integration ${settings.integration}, but discovery ` +
        `${discovery ? `now declares ${discovery.config.metadata.name}` : 'is no longer declared'}: it still discovers through the integration. ` +
        'Delete it with tctl rm, or declare it again (apply never deletes it; destroy does).',
    });
  }
  if (discovery && !plan.observed.teleportError) {
    health = discoveryHealth(plan.observed.discoveryConfig, plan.observed.userTasks ?? [], settings.integration, discovery.group);
    const level = settings.failOnUnhealthy ? 'error' : 'warning';
    annotations.push(...health.problems.map((p): Annotation => ({ level, title: `Discovery unhealthy: ${p.kind}`, message: p.message })));
    rows.push(healthRow(health, discovery));
    sections.push(healthSection(health, discovery));
  }
  return { annotations, rows, findings, sections, health };
}

/**
 * After apply: the accounts in scope still without a current member role. Read again (the instances,
 * in pages) only when apply wrote to the StackSet; otherwise what was read before holds.
 */
async function accountsLeftUncovered(plan: Plan, applied: Change[], deps: EngineDeps): Promise<UncoveredAccount[]> {
  const desired = plan.desired.organization!;
  let observed = plan.observed.organization!;
  if (!desired.stackSet) return [];
  if (applied.some((c) => c.resource === 'stack-set' || c.resource === 'stack-instances')) {
    const instances = await readStackInstances(deps.aws, stackSetRef(desired.integration, plan.identity, observed.identity.managementAccount));
    observed = { ...observed, instances };
  } else if (observed.stackSet === undefined) {
    return [];
  }
  return uncoveredAccounts(desired, observed, organizationCoverage(desired, observed));
}

export async function runAction(settings: Settings, given: EngineDeps, context: RunContext = {}): Promise<RunResult> {
  // Roles Anywhere answers about one request per family a second: its lists are read once a run,
  // whichever kinds and scans need them (a config run already shares its reads).
  const deps = settings.rolesAnywhere && !given.shared ? { ...given, shared: new SharedReads() } : given;
  if (settings.destroy) return runDestroy(settings, deps, context);
  const plan = await observeAndPlan(settings, deps);
  const { targets, unchanged } = kindRows(plan, settings);
  // A kind of several parts (console roles, documents) may refuse more than one: each is said.
  const refused = new Map<Resource, string>();
  for (const r of plan.refusals) refused.set(r.resource as Resource, [refused.get(r.resource as Resource), r.message].filter(Boolean).join(' '));
  const annotations: Annotation[] = [];
  let changes = plan.changes;
  let failure: string | undefined;
  let applyFailed = false;
  const writeFailed = new Map<Resource, string>();
  const notAttempted = new Map<Resource, string>();
  let findings: Finding[] = [];
  let extraRows = settings.rolesAnywhere ? [] : notScannedRows(settings);
  const sections: string[] = [];
  let health: DiscoveryHealth | undefined;

  if (settings.mode === 'check') {
    // An aws-ra integration has no provider, role or discovery to scan: its health is profile sync's.
    const scan = settings.rolesAnywhere ? await profileSyncScan(plan, settings, deps) : await scanForDrift(plan, settings, deps);
    findings = [
      ...plan.refusals.map((r) => ({
        resource: `${RESOURCE_TITLES[r.resource as Resource]}: ${r.why}`,
        target: r.target ?? targets[r.resource as Resource] ?? '',
        message: r.message,
      })),
      ...changes.filter((c) => !COVERAGE_ACTIONS.has(c.action)).map(changeFinding),
      ...scan.findings,
    ];
    extraRows = scan.rows;
    sections.push(...scan.sections);
    const level = settings.failOnUnhealthy ? 'error' : 'warning';
    if (settings.rolesAnywhere)
      annotations.push(...raHealthProblems(plan).map((p): Annotation => ({ level, title: 'Profile sync unhealthy', message: p.message })));
    // Someone enabled a feature in Teleport's web UI: worth knowing, but not drift, and never removed.
    for (const policy of settings.rolesAnywhere ? [] : undeclaredTeleportPolicies(plan.observed.rolePolicies.allNames ?? [], plan.desired.rolePolicies)) {
      annotations.push({ level: 'warning', title: `Undeclared feature policy: ${policy.name}`, message: undeclaredMessage(policy, plan.desired.roleName) });
      extraRows.push({
        resource: `Feature ${policy.feature} (not declared)`,
        target: `${plan.desired.roleArn} (inline policy ${policy.name})`,
        status: 'not declared',
        reason: undeclaredMessage(policy, plan.desired.roleName),
      });
    }
    const trustPolicy = plan.observed.role?.trustPolicy;
    const nearQuota = trustPolicy && trustPolicyNearQuota(trustPolicy, settings.trustPolicyQuota, plan.desired.roleName);
    if (nearQuota) {
      annotations.push({ level: 'warning', title: 'Trust policy near its quota', message: nearQuota });
      extraRows.push({ resource: 'Trust policy length', target: plan.desired.roleArn, status: 'near quota', reason: nearQuota });
    }
    const discoveryScan = scanDiscovery(plan, settings);
    findings.push(...discoveryScan.findings);
    annotations.push(...discoveryScan.annotations);
    extraRows.push(...discoveryScan.rows);
    sections.push(...discoveryScan.sections);
    health = discoveryScan.health;
  } else {
    for (const refusal of plan.refusals) {
      annotations.push({ level: 'error', title: `${RESOURCE_TITLES[refusal.resource as Resource]}: refused`, message: refusal.message });
    }
    if (plan.refusals.length > 0) {
      failure = plan.refusals.map((r) => r.message).join('\n');
      if (settings.mode === 'apply') changes = [];
    } else if (settings.mode === 'apply') {
      try {
        changes = await applyPlan(plan, settings, deps);
      } catch (error) {
        if (!(error instanceof ApplyError)) throw error;
        applyFailed = true;
        changes = error.applied;
        failure = error.message;
        writeFailed.set(error.failed.resource, `${error.failed.action}: ${errorMessage(error.cause)}`);
        for (const change of error.notAttempted) {
          if (!writeFailed.has(change.resource))
            notAttempted.set(change.resource, `${change.action}: ${change.reason} (not attempted: an earlier change failed)`);
        }
        sections.push(`**Error:** ${escapeHtml(error.message)}`);
      }
    }
    annotations.push(...changes.map((change) => changeAnnotation(change, settings.mode)));
  }
  // Coverage as read before any write: plan and check only (apply's own changes say what it did).
  const organization = plan.desired.organization;
  if (organization && plan.observed.organization && settings.mode === 'apply' && !applyFailed && plan.refusals.length === 0) {
    const left = await accountsLeftUncovered(plan, changes, deps);
    if (left.length > 0 && organization.stackSet) {
      const message = uncoveredMessage(left, organization.stackSet.name, organization.memberRole.name);
      annotations.push({ level: 'error', title: 'Organization: accounts without a member role', message });
      sections.push(uncoveredSection(left, organization.memberRole.name));
      writeFailed.set('stack-instances', message);
      failure = [failure, message].filter(Boolean).join('\n');
      applyFailed = true;
    }
  }
  if (organization && plan.observed.organization && settings.mode !== 'apply') {
    const observedOrganization = plan.observed.organization;
    const coverage = organizationCoverage(organization, observedOrganization);
    const id = observedOrganization.identity.id;
    if (settings.mode === 'check') {
      const uncovered = uncoveredAccounts(organization, observedOrganization, coverage);
      findings.push(...coverageFindings(coverage, id, observedOrganization.identity.managementAccount, uncovered, observedOrganization.driftDetection));
      const note = organization.stackSet ? driftDetectionNote(observedOrganization.driftDetection, new Date()) : undefined;
      if (note) annotations.push({ level: 'notice', title: 'Member roles: drift detection', message: note });
    }
    for (const op of observedOrganization.runningOperations) {
      annotations.push({
        level: 'notice',
        title: 'StackSet operation running',
        message: `${op.action} operation ${op.id} is running on the StackSet: what it deploys is not counted yet, and apply waits for it before writing.`,
      });
    }
    extraRows.push(coverageRow(coverage, id, settings.mode));
    sections.push(coverageSection(coverage, id, settings.mode === 'check' ? [] : changes, observedOrganization.tree));
    if (!coverage.verified) {
      annotations.push({
        level: 'notice',
        title: 'Organization coverage not verified',
        message: `discovery's organization rollout is none: whether each of the ${coverage.inScope} accounts in scope has member role ${organization.memberRole.name} is not checked here.`,
      });
    }
  }
  if (settings.mode !== 'apply') {
    for (const change of changes) deps.logger.info(`would ${change.action} ${change.target}: ${change.reason}`);
  }

  const teleportError = plan.observed.teleportError;
  if (teleportError) {
    annotations.push({ level: 'error', title: 'Teleport integration: tctl failed', message: teleportError.message });
    const done = settings.mode === 'apply' && !applyFailed ? 'The AWS side was reconciled; ' : '';
    failure = [failure, `${done}Teleport could not be reached: ${teleportError.message}`].filter(Boolean).join('\n');
  }

  // Drift: in check mode anything found; in plan and apply, a change to something that already existed.
  const drift = settings.mode === 'check' ? findings.length > 0 : changes.some((c) => !c.action.startsWith('create-'));
  if (settings.mode === 'check') {
    const level = settings.failOnDrift ? 'error' : 'warning';
    annotations.push(...findings.map((f): Annotation => ({ level, title: `Drift: ${f.resource}`, message: f.message })));
  }
  if (drift && settings.failOnDrift && !failure) {
    failure = `Drift found: ${count(findings.length || changes.length, 'difference')} from the declared state; see the job summary.`;
  }
  const healthProblems = [...(health?.problems ?? []), ...(settings.mode === 'check' && settings.rolesAnywhere ? raHealthProblems(plan) : [])];
  if (healthProblems.length > 0 && settings.failOnUnhealthy) {
    const what = settings.rolesAnywhere ? 'Profile sync is unhealthy' : 'Discovery is unhealthy';
    failure = [failure, `${what} (fail-on-unhealthy): ${healthProblems.map((p) => p.message).join(' ')}`].filter(Boolean).join('\n');
  }

  const featureInput = {
    mode: settings.mode,
    roleArn: plan.desired.roleArn,
    policies: plan.desired.rolePolicies,
    documents: plan.desired.documents,
    changes,
    refusedTargets: new Map(plan.refusals.filter((r) => r.target).map((r) => [r.target!, r.message])),
    roleRefusal: refused.get('iam-role'),
    policyRefusal: refused.get('role-policy'),
    taskRoleRefusal: refused.get('task-role'),
  };
  const report: RunReport = {
    mode: settings.mode,
    integration: settings.integration,
    account: plan.identity.account,
    cluster: plan.desired.clusterName,
    rows: [
      ...resourceRows({
        mode: settings.mode,
        changes,
        refused,
        failed: new Map<Resource, string>([
          ...writeFailed,
          ...(teleportError
            ? (['teleport-integration', 'teleport-join-token', 'teleport-discovery-config', 'teleport-ra-integration'] as const).map(
                (r) => [r, teleportError.message] as const,
              )
            : []),
        ]),
        notAttempted,
        targets,
        skipped: new Set<Resource>(plan.observed.teleportSkipped ? ['teleport-integration'] : []),
        unchangedReasons: unchanged,
      }),
      ...(settings.rolesAnywhere ? [] : featureRows(featureInput)),
      ...(plan.desired.discovery ? [coveredPermissionsRow(plan.desired.discovery, plan.desired.roleArn)].filter((row) => row !== undefined) : []),
      ...extraRows,
    ],
    changes,
    sections: [...policyDiffSections(changes), ...discoveryChangeSections(changes), ...sections],
    verdict: verdictFor(settings, changes, findings, plan.refusals.length > 0, applyFailed, teleportError !== undefined, healthProblems.length),
    runUrl: context.runUrl,
  };
  const discoveryOutput = plan.desired.discovery ? discoveryOutcome(settings.mode, plan.desired.discovery, changes, featureInput.refusedTargets, health) : {};
  const outputs = stepOutputs(plan, changes, drift, featureOutcomes(featureInput), discoveryOutput);
  return {
    identity: plan.identity,
    changes,
    findings,
    drift,
    annotations,
    outputs,
    markdown: renderReport(report),
    report,
    failure,
    complete: teleportError === undefined,
  };
}
