/** The declared features in the report: one row per feature and per document, their outcome, and policy diffs. Pure. */
import type { FeatureKey } from '../config/features.js';
import type { Mode } from '../config/inputs.js';
import type { Change } from '../model/changes.js';
import { escapeHtml, statusFor, type ReportRow, type Status } from './summary.js';
import type { DesiredDocument, FeaturePolicy, PolicyDocument, Statement } from '../model/aws.js';

export interface FeatureReportInput {
  mode: Mode;
  roleArn: string;
  policies: FeaturePolicy[];
  documents: DesiredDocument[];
  changes: Change[];
  /** Refusal messages by target (a document's ARN), or for every feature when the role is refused. */
  refusedTargets: Map<string, string>;
  roleRefusal: string | undefined;
  /** Every feature policy refused (the cluster too old for one declared): nothing of them is written. */
  policyRefusal?: string;
  taskRoleRefusal: string | undefined;
}

export interface FeatureOutcome {
  policy: string;
  status: Status;
  /** ec2-ssm only: each region's document. */
  documents?: Record<string, Status>;
  /** deploy-service only: its task role. */
  taskRole?: Status;
}

function actionCount(document: PolicyDocument): number {
  return new Set(policyLines(document)).size;
}

function documentStatus(input: FeatureReportInput, document: DesiredDocument): { status: Status; reason: string } {
  const refusal = input.refusedTargets.get(document.arn);
  if (refusal) return { status: 'refused', reason: refusal };
  const changes = input.changes.filter((c) => c.resource === 'ssm-document' && c.target === document.arn);
  if (changes.length > 0) return { status: statusFor(input.mode, changes), reason: changes.map((c) => `${c.action}: ${c.reason}`).join('; ') };
  return { status: 'unchanged', reason: "Teleport's installer for this cluster (install path masked), tagged for this integration" };
}

function policyStatus(input: FeatureReportInput, policy: FeaturePolicy): { status: Status; reason: string } {
  if (input.roleRefusal) return { status: 'refused', reason: 'the role is not managed by this integration (see the IAM role row)' };
  if (input.policyRefusal) return { status: 'refused', reason: input.policyRefusal };
  const changes = input.changes.filter((c) => c.resource === 'role-policy' && 'policyName' in c && c.policyName === policy.name);
  if (changes.length > 0) return { status: statusFor(input.mode, changes), reason: changes.map((c) => c.reason).join('; ') };
  if (policy.feature === 'discovery') {
    return { status: 'unchanged', reason: `holds what the discovery matchers need beyond the feature policies (${actionCount(policy.document)} permissions)` };
  }
  return { status: 'unchanged', reason: `matches Teleport's policy (${actionCount(policy.document)} permissions)` };
}

export function featureRows(input: FeatureReportInput): ReportRow[] {
  if (input.policies.length === 0) {
    return [
      { resource: 'Features', target: '-', status: 'unchanged', reason: 'none declared (features input); inline policies on the role are left as they are' },
    ];
  }
  const rows: ReportRow[] = [];
  for (const policy of input.policies) {
    const title = policy.feature === 'discovery' ? 'Discovery permissions' : `Feature ${policy.feature}`;
    rows.push({ resource: title, target: `${input.roleArn} (inline policy ${policy.name})`, ...policyStatus(input, policy) });
    if (policy.feature === 'ec2-ssm') {
      for (const document of input.documents)
        rows.push({ resource: `SSM document (${document.region})`, target: document.arn, ...documentStatus(input, document) });
    }
  }
  return rows;
}

/** The `features` output: what each declared feature ended as. */
export function featureOutcomes(input: FeatureReportInput): Partial<Record<FeatureKey, FeatureOutcome>> {
  const outcomes: Partial<Record<FeatureKey, FeatureOutcome>> = {};
  for (const policy of input.policies) {
    if (policy.feature === 'discovery') continue; // reported in the discovery output
    const outcome: FeatureOutcome = { policy: policy.name, status: policyStatus(input, policy).status };
    if (policy.feature === 'ec2-ssm') {
      outcome.documents = Object.fromEntries(input.documents.map((d) => [d.region, documentStatus(input, d).status]));
    }
    if (policy.feature === 'deploy-service') {
      const changes = input.changes.filter((c) => c.resource === 'task-role');
      outcome.taskRole = input.taskRoleRefusal ? 'refused' : changes.length > 0 ? statusFor(input.mode, changes) : 'unchanged';
    }
    outcomes[policy.feature] = outcome;
  }
  return outcomes;
}

const text = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value));
const list = (value: unknown): string[] => (value === undefined ? [] : Array.isArray(value) ? value.map(text) : [text(value)]);

function sortedJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(sortedJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${sortedJson((value as Record<string, unknown>)[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** One line per permission a policy grants: "Allow eks:ListClusters on *", conditions included. */
export function policyLines(document: PolicyDocument): string[] {
  const statements: Statement[] = Array.isArray(document.Statement) ? document.Statement : [document.Statement];
  const lines = statements.flatMap((statement) => {
    const actions = statement.NotAction !== undefined ? list(statement.NotAction).map((a) => `all but ${a}`) : list(statement.Action);
    const resources = statement.NotResource !== undefined ? list(statement.NotResource).map((r) => `all but ${r}`) : list(statement.Resource);
    const condition = statement.Condition !== undefined ? ` if ${sortedJson(statement.Condition)}` : '';
    return actions.flatMap((action) => resources.map((resource) => `${text(statement.Effect)} ${action} on ${resource}${condition}`));
  });
  return [...new Set(lines)].sort();
}

/** What a policy change adds and removes, permission by permission. */
export function policyDiff(before: PolicyDocument | undefined, after: PolicyDocument): { added: string[]; removed: string[] } {
  const old = new Set(before ? policyLines(before) : []);
  const next = new Set(policyLines(after));
  return { added: [...next].filter((line) => !old.has(line)), removed: [...old].filter((line) => !next.has(line)) };
}

/** Collapsible sections with each changed policy's added and removed permissions. */
export function policyDiffSections(changes: Change[]): string[] {
  return changes
    .filter(
      (c): c is Extract<Change, { action: 'create-role-policy' | 'update-role-policy' }> =>
        c.action === 'create-role-policy' || c.action === 'update-role-policy',
    )
    .map((change) => {
      const { added, removed } = policyDiff(change.action === 'update-role-policy' ? change.before : undefined, change.after);
      const verb = change.action === 'create-role-policy' ? 'new' : 'changed';
      const body = [...removed.map((line) => `- ${line}`), ...added.map((line) => `+ ${line}`)].join('\n');
      return (
        `<details><summary>Inline policy ${escapeHtml(change.policyName)} (${change.feature === 'discovery' ? 'discovery' : `feature ${escapeHtml(change.feature)}`}, ${verb}): ` +
        `${added.length} added, ${removed.length} removed</summary>\n\n<pre>\n${escapeHtml(body).replace(/<br>/g, '\n')}\n</pre>\n</details>`
      );
    });
}
