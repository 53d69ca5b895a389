/** The organization in the report: coverage per unit, the findings check reports, the plan's accounts. Pure. */
import type { Change } from '../model/changes.js';
import type { Finding } from '../model/findings.js';
import type { OrganizationCoverage, UncoveredAccount } from '../resources/aws/organization/coverage.js';
import type { DriftDetection, OrganizationTree } from '../model/organization.js';
import { organizationDiagram } from './organization-diagram.js';
import { escapeHtml, type ReportRow } from './summary.js';
import { capped, count } from '../text.js';
import { accountsByReason } from '../resources/aws/organization/operations.js';

/** Long tables stop here, with a count of the rest. */
const CAP = 20;

const PROBLEM_WORDS: Record<string, string> = {
  missing: 'no member role (no stack instance)',
  FAILED: 'a FAILED stack instance',
  OUTDATED: 'an OUTDATED stack instance (the template changed and the update did not reach it)',
  INOPERABLE: 'an INOPERABLE stack instance (delete it with "Retain stacks" on, delete the role it leaves, then apply)',
  DRIFTED: 'a member role changed inside the account since it was deployed (StackSet drift detection: DRIFTED)',
};

/** What to do about an account AWS failed, from AWS's reason (CloudFormation's StackSets troubleshooting guide). */
export function failureHint(reason: string, memberRole: string): string {
  if (/already exists/i.test(reason)) {
    return `a role named ${memberRole} already exists there (made by hand, or retained when the account moved between units): delete it in that account, then apply again`;
  }
  if (/AccessDenied|not authorized|explicit deny|service control polic|SCP/i.test(reason) && !/sts:AssumeRole|execution role/i.test(reason)) {
    return "an SCP or permissions boundary denies the IAM writes (iam:CreateRole, iam:PutRolePolicy, iam:TagRole) to the StackSets execution role: allow them in that unit's SCPs, then apply again";
  }
  if (/stacksets-exec|execution role|AWSCloudFormationStackSetExecutionRole|assume/i.test(reason)) {
    return 'CloudFormation could not use its execution role in the account (stacksets-exec-*, made by trusted access): an SCP may deny sts:AssumeRole to it, or trusted access must be re-enabled; then apply again';
  }
  if (/suspend/i.test(reason)) return 'the account is suspended: nothing to do until it is active again';
  return "see the stack's events in that account (CloudFormation console, StackSets, the stack set's instances), fix the cause, then apply again";
}

/** Apply's failure when accounts in scope are left without a current member role. */
export function uncoveredMessage(accounts: UncoveredAccount[], stackSet: string, memberRole: string): string {
  const groups = accountsByReason(accounts);
  return (
    `${count(accounts.length, 'account')} in scope ${accounts.length === 1 ? 'is' : 'are'} left without a current member role by StackSet ${stackSet}: ` +
    groups.map((g) => `${capped(g.accounts, 10)} (${g.reason}: ${failureHint(g.reason, memberRole)})`).join('; ') +
    '. The next apply deploys only these accounts again.'
  );
}

/** The same as a table for the job summary. */
export function uncoveredSection(accounts: UncoveredAccount[], memberRole: string): string {
  const lines = ['### Accounts without a member role', '', '| Accounts | AWS says | What to do |', '| --- | --- | --- |'];
  for (const group of accountsByReason(accounts).slice(0, CAP)) {
    lines.push(`| ${escapeHtml(capped(group.accounts, 10))} | ${escapeHtml(group.reason)} | ${escapeHtml(failureHint(group.reason, memberRole))} |`);
  }
  return lines.join('\n');
}

/** Check: one finding per unit and problem (never one per account: an organization has thousands). */
export function coverageFindings(
  coverage: OrganizationCoverage,
  organizationId: string,
  management: string,
  uncovered: UncoveredAccount[] = [],
  detection?: DriftDetection,
): Finding[] {
  if (!coverage.verified) return [];
  const findings: Finding[] = [];
  const reasonOf = new Map(uncovered.map((u) => [u.account, u.reason]));
  for (const unit of coverage.units) {
    for (const [problem, all] of unit.problems) {
      // A deployment under way, or the management account seen from a delegated administrator: said in the table, not drift.
      if (problem === 'PENDING' || problem === 'not checked') continue;
      // The management account's own role is planned like any resource: its change is the finding.
      const accounts = all.filter((a) => a !== management);
      if (accounts.length === 0) continue;
      findings.push({
        resource: `Member role: ${problem}`,
        target: `${unit.name} (${unit.unit})`,
        message:
          `${count(accounts.length, 'account')} in unit ${unit.name} (${unit.unit}) of organization ${organizationId} ${accounts.length === 1 ? 'has' : 'have'} ${PROBLEM_WORDS[problem]}: ` +
          `${problem === 'FAILED' || problem === 'OUTDATED' ? byReason(accounts, reasonOf) : problem === 'DRIFTED' ? withDetails(accounts, detection) : capped(accounts)}. ` +
          `Discovery cannot ${problem === 'DRIFTED' ? 'rely on' : 'reach'} ${accounts.length === 1 ? 'it' : 'them'}.${problem === 'INOPERABLE' ? '' : ' Run this action with mode: apply to repair it.'}`,
      });
    }
  }
  if (coverage.outside.length > 0) {
    findings.push({
      resource: 'Member role: outside the scope',
      target: `organization ${organizationId}`,
      message:
        `${count(coverage.outside.length, 'account')} outside discovery's scope still ${coverage.outside.length === 1 ? 'has' : 'have'} the member role: ` +
        `${capped(coverage.outside.map((o) => `${o.account}${o.unit ? ` (${o.unit})` : ''}`))}. Run this action with mode: apply to remove it.`,
    });
  }
  return findings;
}

function byReason(accounts: string[], reasonOf: Map<string, string>): string {
  return accountsByReason(accounts.map((account) => ({ account, reason: reasonOf.get(account) ?? 'no reason given' })))
    .map((g) => `${capped(g.accounts, 10)} (AWS: ${g.reason})`)
    .join('; ');
}

/** Drifted accounts, the first few with what differs (ListStackInstanceResourceDrifts). */
function withDetails(accounts: string[], detection: DriftDetection | undefined): string {
  return capped(
    accounts.map((account) => {
      const details = detection?.details.get(account);
      return details && details.length > 0 ? `${account} (${details.join(', ')})` : account;
    }),
  );
}

/** Check: when member roles were last compared with the template inside their accounts. */
export function driftDetectionNote(detection: DriftDetection | undefined, now: Date): string | undefined {
  if (!detection) {
    return 'The StackSet has never run drift detection: a member role edited or deleted inside its account is not seen until one runs (detect-drift: true on a scheduled check).';
  }
  if (detection.ranNow) return undefined;
  if (!detection.ended) return undefined;
  const days = Math.floor((now.getTime() - detection.ended.getTime()) / 86_400_000);
  if (days < 1) return undefined;
  return `The StackSet's last drift detection ended ${count(days, 'day')} ago (${detection.ended.toISOString()}): member roles changed since are not seen. Run a check with detect-drift: true.`;
}

/** Check says drift; plan says what apply would change. */
export function coverageRow(coverage: OrganizationCoverage, organizationId: string, mode: string): ReportRow {
  const target = `organization ${organizationId}`;
  if (!coverage.verified) {
    return {
      resource: 'Organization coverage',
      target,
      status: 'skipped',
      reason: `${count(coverage.inScope, 'account')} in scope; rollout: none, so whether each has the member role is not verified here`,
    };
  }
  const missing = coverage.inScope - coverage.covered;
  const suspended = coverage.suspended.length > 0 ? `; ${coverage.suspended.length} suspended (noted, not drift)` : '';
  return {
    resource: 'Organization coverage',
    target,
    status: missing === 0 && coverage.outside.length === 0 ? 'healthy' : mode === 'check' ? 'drift' : 'would change',
    reason: `${coverage.covered} of ${count(coverage.inScope, 'account')} in scope ${coverage.covered === 1 ? 'has' : 'have'} a current member role${
      missing > 0 ? `; ${missing} ${missing === 1 ? 'does' : 'do'} not` : ''
    }${coverage.outside.length > 0 ? `; ${coverage.outside.length} outside the scope have one` : ''}${suspended}`,
  };
}

/** The coverage table: accounts in scope, covered, the others by unit; long lists capped with a count. */
export function coverageSection(coverage: OrganizationCoverage, organizationId: string, changes: Change[] = [], tree?: OrganizationTree): string {
  const lines = [`### Organization ${escapeHtml(organizationId)}`, ''];
  if (tree && coverage.units.length > 0) lines.push(organizationDiagram(coverage, tree), '');
  if (!coverage.verified) {
    lines.push(`${count(coverage.inScope, 'account')} in scope. Rollout is \`none\`: member roles are made another way, so coverage is not verified here.`);
  }
  lines.push('| Unit | Accounts in scope | Covered | Not covered |', '| --- | ---: | ---: | --- |');
  const shown = coverage.units.slice(0, CAP);
  for (const unit of shown) {
    const others = [...unit.problems].map(([problem, accounts]) => `${problem}: ${capped(accounts, 10)}`).join('; ');
    lines.push(
      `| ${escapeHtml(unit.name)} (<code>${escapeHtml(unit.unit)}</code>) | ${unit.inScope} | ${coverage.verified ? unit.covered : 'not verified'} | ${escapeHtml(others) || '–'} |`,
    );
  }
  if (coverage.units.length > shown.length) lines.push(`| and ${coverage.units.length - shown.length} more units | | | |`);
  lines.push(`| **Total** | **${coverage.inScope}** | **${coverage.verified ? coverage.covered : 'not verified'}** | |`);
  if (coverage.management.inScope && coverage.management.covered === undefined && coverage.verified) {
    lines.push(
      '',
      "The management account is in scope, but this run is a delegated administrator's: a StackSet never deploys to the management account, " +
        'and its member role can be written and checked only from there (run the workflow there once, or make the role from policies/member-role.template.json).',
    );
  }
  if (coverage.suspended.length > 0) {
    lines.push('', `Suspended or closing, noted and not drift: ${escapeHtml(capped(coverage.suspended.map((a) => a.id)))}.`);
  }
  if (coverage.outside.length > 0) {
    lines.push('', `Outside the scope but with the member role: ${escapeHtml(capped(coverage.outside.map((o) => o.account)))}.`);
  }
  const gain = changes.flatMap((c) => (c.action === 'create-stack-instances' ? c.accounts : []));
  const lose = changes.flatMap((c) => (c.action === 'remove-stack-instances' ? c.accounts : []));
  if (gain.length > 0) lines.push('', `Would gain the member role: ${escapeHtml(capped(gain))}.`);
  if (lose.length > 0) lines.push('', `Would lose the member role: ${escapeHtml(capped(lose))}.`);
  const own = changes.find((c) => c.action === 'create-member-role' || c.action === 'update-member-role');
  if (own) lines.push('', `The management account's own member role would be ${own.action === 'create-member-role' ? 'created' : 'repaired'} directly.`);
  const template = changes.find((c) => c.action === 'update-stack-set' || c.action === 'create-stack-set');
  if (template?.action === 'update-stack-set') {
    lines.push('', `StackSet: ${escapeHtml(template.fields.map((f) => `${f.field} (live: ${f.live})`).join('; '))}.`);
  }
  return lines.join('\n');
}
