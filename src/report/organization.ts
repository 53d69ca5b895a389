/** The organization in the report: coverage per unit, the findings check reports, the plan's accounts. Pure. */
import type { Change } from '../model/changes.js';
import type { Finding } from '../model/findings.js';
import type { OrganizationCoverage } from '../resources/aws/organization/coverage.js';
import { escapeHtml, type ReportRow } from './summary.js';
import { count } from '../text.js';

/** Long lists stop here, with a count of the rest. */
const CAP = 20;

export function capped(items: string[], cap = CAP): string {
  return items.length <= cap ? items.join(', ') : `${items.slice(0, cap).join(', ')} and ${items.length - cap} more`;
}

const PROBLEM_WORDS: Record<string, string> = {
  missing: 'no member role (no stack instance)',
  FAILED: 'a FAILED stack instance',
  OUTDATED: 'an OUTDATED stack instance (the template changed and the update did not reach it)',
  INOPERABLE: 'an INOPERABLE stack instance (delete it with "Retain stacks" on, delete the role it leaves, then apply)',
};

/** Check: one finding per unit and problem (never one per account: an organization has thousands). */
export function coverageFindings(coverage: OrganizationCoverage, organizationId: string, management: string): Finding[] {
  if (!coverage.verified) return [];
  const findings: Finding[] = [];
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
          `${capped(accounts)}. Discovery cannot reach ${accounts.length === 1 ? 'it' : 'them'}.${problem === 'INOPERABLE' ? '' : ' Run this action with mode: apply to repair it.'}`,
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
export function coverageSection(coverage: OrganizationCoverage, organizationId: string, changes: Change[] = []): string {
  const lines = [`### Organization ${escapeHtml(organizationId)}`, ''];
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
