/** Discovery in the report: field-by-field changes of the Teleport resources, health, and the `discovery` output. Pure. */
import type { Change, FieldDiff } from '../model/changes.js';
import type { DesiredDiscovery } from '../model/desired.js';
import type { DiscoveryHealth } from '../resources/teleport/discovery-health.js';
import { escapeHtml, statusFor, type ReportRow, type Status } from './summary.js';
import type { Mode } from '../config/inputs.js';

type TeleportChange = Extract<Change, { action: 'create-discovery-config' | 'update-discovery-config' | 'create-join-token' | 'update-join-token' }>;

const isTeleportDiscoveryChange = (c: Change): c is TeleportChange =>
  c.action === 'create-discovery-config' || c.action === 'update-discovery-config' || c.action === 'create-join-token' || c.action === 'update-join-token';

function fieldTable(fields: FieldDiff[]): string {
  const lines = ['| Field | Live | Declared |', '| --- | --- | --- |'];
  for (const f of fields) lines.push(`| <code>${escapeHtml(f.field)}</code> | ${escapeHtml(f.live)} | ${escapeHtml(f.declared)} |`);
  return lines.join('\n');
}

/** One collapsible section per Teleport discovery resource that changes: the fields for an update, the resource for a create. */
export function discoveryChangeSections(changes: Change[]): string[] {
  return changes.filter(isTeleportDiscoveryChange).map((change) => {
    if (change.action === 'update-discovery-config' || change.action === 'update-join-token') {
      const count = `${change.fields.length} field${change.fields.length === 1 ? '' : 's'}`;
      return `<details><summary>${escapeHtml(change.target)}: ${count} to change</summary>\n\n${fieldTable(change.fields)}\n</details>`;
    }
    const body = escapeHtml(JSON.stringify(change.after, null, 2)).replace(/<br>/g, '\n');
    return `<details><summary>${escapeHtml(change.target)}: to create</summary>\n\n<pre>\n${body}\n</pre>\n</details>`;
  });
}

/** With every permission the matchers need already in the feature policies, there is no discovery policy: say so. */
export function coveredPermissionsRow(desired: DesiredDiscovery, roleArn: string): ReportRow | undefined {
  // Nothing needed (organization matchers: each account's member role carries the actions): no row.
  if (desired.permissions.policy || desired.permissions.needed.length === 0) return undefined;
  const by = desired.permissions.coveredBy.map((c) => `${c.policy} (${c.actions.length})`).join(', ');
  return {
    resource: 'Discovery permissions',
    target: roleArn,
    status: 'unchanged',
    reason: `the ${desired.permissions.needed.length} actions the matchers need are granted by ${by}: no TeleportDiscovery policy needed`,
  };
}

export const HEALTH_TITLE = 'Discovery health';

const total = (health: DiscoveryHealth, key: 'found' | 'enrolled' | 'failed') => Object.values(health.counts).reduce((n, c) => n + (c[key] ?? 0), 0);

export function healthRow(health: DiscoveryHealth, desired: DesiredDiscovery): ReportRow {
  const target = `discovery_config/${desired.config.metadata.name}`;
  if (health.state === 'missing') return { resource: HEALTH_TITLE, target, status: 'skipped', reason: 'the discovery_config does not exist yet' };
  const counts = `${total(health, 'found')} found, ${total(health, 'enrolled')} enrolled, ${total(health, 'failed')} failed`;
  const reason =
    health.problems.length === 0
      ? `state ${health.state}; ${counts}; no open user tasks`
      : `state ${health.state}; ${counts}; ${health.problems.map((p) => p.message).join(' ')}`;
  return { resource: HEALTH_TITLE, target, status: health.problems.length > 0 ? 'unhealthy' : 'healthy', reason };
}

/** The health section: state, counts per resource kind, open user tasks with what to do. */
export function healthSection(health: DiscoveryHealth, desired: DesiredDiscovery): string {
  const lines = [
    `### ${HEALTH_TITLE}`,
    '',
    `discovery_config <code>${escapeHtml(desired.config.metadata.name)}</code> · group <code>${escapeHtml(desired.group)}</code> · state **${escapeHtml(health.state)}**` +
      (health.lastSync ? ` · last sync ${escapeHtml(health.lastSync)}` : ''),
  ];
  if (health.errorMessage) lines.push('', `Error: ${escapeHtml(health.errorMessage)}`);
  const kinds = Object.entries(health.counts);
  if (kinds.length > 0) {
    lines.push('', '| Resources | Found | Enrolled | Failed |', '| --- | --- | --- | --- |');
    for (const [kind, c] of kinds) lines.push(`| ${escapeHtml(kind)} | ${c.found ?? 0} | ${c.enrolled ?? 0} | ${c.failed ?? 0} |`);
  } else if (health.state !== 'missing') {
    lines.push('', 'Nothing discovered through this integration yet.');
  }
  if (health.openTasks.length > 0) {
    lines.push('', '| Open user task | Affected | Regions | What to do |', '| --- | --- | --- | --- |');
    for (const task of health.openTasks) {
      lines.push(
        `| <code>${escapeHtml(task.issueType)}</code> | ${task.affected} ${escapeHtml(task.what)}(s) | ${escapeHtml(task.regions.join(', ') || '-')} | ${escapeHtml(task.hint)}. |`,
      );
    }
  } else {
    lines.push('', 'No open user tasks for this integration.');
  }
  return lines.join('\n');
}

export interface DiscoveryOutcome {
  'discovery-config': { name: string; status: Status };
  'join-token'?: { name: string; status: Status };
  permissions: { policy: string | null; status: Status; 'covered-by': string[] };
  health?: { state: string; found: number; enrolled: number; failed: number; 'open-tasks': Record<string, number> };
}

/** The `discovery` output. */
export function discoveryOutcome(
  mode: Mode,
  desired: DesiredDiscovery,
  changes: Change[],
  refused: Map<string, string>,
  health: DiscoveryHealth | undefined,
): DiscoveryOutcome {
  const statusOf = (target: string): Status =>
    refused.has(target)
      ? 'refused'
      : statusFor(
          mode,
          changes.filter((c) => c.target === target),
        );
  const policy = desired.permissions.policy;
  const policyChanges = changes.filter((c) => (c.action === 'create-role-policy' || c.action === 'update-role-policy') && c.feature === 'discovery');
  const outcome: DiscoveryOutcome = {
    'discovery-config': { name: desired.config.metadata.name, status: statusOf(`discovery_config/${desired.config.metadata.name}`) },
    permissions: { policy: policy?.name ?? null, status: statusFor(mode, policyChanges), 'covered-by': desired.permissions.coveredBy.map((c) => c.policy) },
  };
  if (desired.token) outcome['join-token'] = { name: desired.token.metadata.name, status: statusOf(`token/${desired.token.metadata.name}`) };
  if (health) {
    outcome.health = {
      state: health.state,
      found: total(health, 'found'),
      enrolled: total(health, 'enrolled'),
      failed: total(health, 'failed'),
      'open-tasks': Object.fromEntries(health.openTasks.map((t) => [t.issueType, t.affected])),
    };
  }
  return outcome;
}
