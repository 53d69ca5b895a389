/** The run, as Markdown for the job summary and the PR comment. Pure: no I/O. */
import { RESOURCES, RESOURCE_TITLES, type Change, type Resource } from '../model/changes.js';
import type { Mode } from '../config/inputs.js';

export type Status =
  | 'unchanged'
  | 'created'
  | 'updated'
  | 'would change'
  | 'drift'
  | 'refused'
  | 'skipped'
  | 'failed'
  // apply stopped at an earlier change
  | 'not attempted'
  | 'not declared'
  // a limit close by (the trust policy's length)
  | 'near quota'
  // discovery health
  | 'healthy'
  | 'unhealthy'
  // destroy
  | 'deleted'
  | 'would delete'
  | 'gone'
  | 'kept';

export interface ReportRow {
  resource: string;
  target: string;
  status: Status;
  reason: string;
}

export interface RunReport {
  mode: Mode;
  /** A destroy, or the plan of one. */
  destroy?: boolean;
  integration: string;
  account: string;
  cluster: string;
  rows: ReportRow[];
  changes: Change[];
  /** Extra sections (drift findings, inventory...), already Markdown-safe. */
  sections?: string[];
  verdict: string;
  runUrl?: string;
}

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
    .replace(/\|/g, '&#124;')
    .replace(/\r?\n/g, '<br>');
}

export function statusFor(mode: Mode, changes: Change[]): Status {
  if (changes.length === 0) return 'unchanged';
  if (mode === 'plan') return 'would change';
  if (mode === 'check') return 'drift';
  return changes.some((c) => c.action.startsWith('create-')) ? 'created' : 'updated';
}

export interface RowInput {
  mode: Mode;
  changes: Change[];
  refused: Map<Resource, string>;
  /** Resources that could not even be read (tctl failing), or whose write failed: the run fails. */
  failed?: Map<Resource, string>;
  /** Resources whose changes apply never reached (an earlier change failed). */
  notAttempted?: Map<Resource, string>;
  /** The resources to show a row for (in RESOURCES order), with what each row names. */
  targets: Partial<Record<Resource, string>>;
  skipped: Set<Resource>;
  /** Why an unchanged resource is fine, per resource. */
  unchangedReasons: Partial<Record<Resource, string>>;
}

/** One row per resource kind, with what was (or would be) done and why. */
export function resourceRows(input: RowInput): ReportRow[] {
  return RESOURCES.filter((resource) => input.targets[resource] !== undefined).map((resource) => {
    const title = RESOURCE_TITLES[resource];
    const target = input.targets[resource]!;
    if (input.skipped.has(resource)) return { resource: title, target, status: 'skipped', reason: 'skip-teleport is set' };
    const failure = input.failed?.get(resource);
    if (failure) return { resource: title, target, status: 'failed', reason: failure };
    const skippedChange = input.notAttempted?.get(resource);
    if (skippedChange && !input.changes.some((c) => c.resource === resource)) {
      return { resource: title, target, status: 'not attempted', reason: skippedChange };
    }
    const refusal = input.refused.get(resource);
    if (refusal) return { resource: title, target, status: 'refused', reason: refusal };
    const changes = input.changes.filter((c) => c.resource === resource);
    // The trust policy and tags of a resource created in this run come with its creation.
    const createdWith = input.changes.find(
      (c) =>
        (resource === 'trust-policy' && c.action === 'create-role') || (resource === 'tags' && (c.action === 'create-provider' || c.action === 'create-role')),
    );
    if (changes.length === 0 && createdWith) {
      return { resource: title, target, status: statusFor(input.mode, [createdWith]), reason: `written by ${createdWith.action}` };
    }
    const reason =
      changes.length > 0 ? changes.map((c) => `${c.action}: ${c.reason}`).join('; ') : (input.unchangedReasons[resource] ?? 'matches the desired state');
    return { resource: title, target, status: statusFor(input.mode, changes), reason };
  });
}

function table(rows: ReportRow[]): string {
  const lines = ['| Resource | Target | Status | Reason |', '| --- | --- | --- | --- |'];
  for (const row of rows) {
    lines.push(`| ${escapeHtml(row.resource)} | <code>${escapeHtml(row.target)}</code> | ${escapeHtml(row.status)} | ${escapeHtml(row.reason)} |`);
  }
  return lines.join('\n');
}

/** A line diff of two JSON values, pretty-printed; enough for a trust policy. */
export function jsonDiff(before: unknown, after: unknown): string {
  const a = JSON.stringify(before, null, 2).split('\n');
  const b = JSON.stringify(after, null, 2).split('\n');
  // Longest common subsequence: documents here are small.
  const lcs: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  }
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      out.push(`  ${a[i++]}`);
      j++;
    } else if (i < a.length && (j >= b.length || lcs[i + 1][j] >= lcs[i][j + 1])) {
      out.push(`- ${a[i++]}`);
    } else {
      out.push(`+ ${b[j++]}`);
    }
  }
  return out.join('\n');
}

function trustPolicyDetails(changes: Change[]): string[] {
  return changes
    .filter((c): c is Extract<Change, { action: 'update-trust-policy' }> => c.action === 'update-trust-policy')
    .map(
      (c) =>
        `<details><summary>Trust policy of ${escapeHtml(c.target)}: before / after</summary>\n\n<pre>\n${escapeHtml(jsonDiff(c.before, c.after)).replace(/<br>/g, '\n')}\n</pre>\n</details>`,
    );
}

export function planJson(changes: Change[]): string {
  return JSON.stringify(changes.map(({ resource, action, target, reason, ...rest }) => ({ resource, action, target, reason, ...rest })));
}

/**
 * GitHub drops a job summary over 1 MiB whole: the report is cut well below that, on a line
 * boundary, saying so. (The PR comment is cut further, to its own limit.)
 */
export const SUMMARY_LIMIT = 256 * 1024;

export function capLength(markdown: string): string {
  if (markdown.length <= SUMMARY_LIMIT) return markdown;
  const note = `\n\n**The report was cut here** (it stays below ${SUMMARY_LIMIT / 1024} KiB); the plan output holds every change.\n`;
  const cut = markdown.lastIndexOf('\n', SUMMARY_LIMIT - note.length);
  return markdown.slice(0, cut) + note;
}

/** A run that stopped before it could report (no credentials, a denied read, an unreachable proxy): what happened and the fix. */
export function renderFailure(mode: Mode, subject: string, message: string, runUrl?: string): string {
  const parts = [
    `## Teleport AWS OIDC integration: ${escapeHtml(mode)}`,
    subject,
    '**failed: nothing was changed after this point**',
    escapeHtml(message),
    ...(runUrl ? [`[Workflow run](${runUrl})`] : []),
  ];
  return capLength(parts.join('\n\n') + '\n');
}

/** The Markdown body shared by the job summary and the PR comment. */
export function renderReport(report: RunReport): string {
  const parts = [
    `## Teleport AWS OIDC integration: ${escapeHtml(report.destroy && report.mode === 'plan' ? 'plan (destroy)' : report.mode)}`,
    `Integration <code>${escapeHtml(report.integration)}</code> · account <code>${escapeHtml(report.account)}</code> · cluster <code>${escapeHtml(report.cluster)}</code>`,
    `**${escapeHtml(report.verdict)}**`,
    table(report.rows),
    ...trustPolicyDetails(report.changes),
    ...(report.sections ?? []),
  ];
  if (report.changes.length > 0) {
    const list = report.changes.map((c) => `- \`${c.action}\` ${escapeHtml(c.target)}: ${escapeHtml(c.reason)}`).join('\n');
    const title =
      report.mode === 'apply' ? 'Applied changes' : report.mode === 'destroy' ? 'Deletions made' : report.destroy ? 'Planned deletions' : 'Planned changes';
    parts.push(`<details><summary>${title} (${report.changes.length})</summary>\n\n${list}\n</details>`);
  }
  if (report.runUrl) parts.push(`[Workflow run](${report.runUrl})`);
  return capLength(parts.join('\n\n') + '\n');
}
