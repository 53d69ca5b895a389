/**
 * The organization as a Mermaid flowchart (GitHub renders `mermaid` code blocks in job summaries and
 * comments): a box per unit with accounts in scope, under its parents, saying covered of in scope,
 * coloured by what is wrong. Past 40 units, only the units with a problem (and the units above them)
 * are drawn, with a count of the rest. Pure.
 */
import type { OrganizationTree } from '../model/organization.js';
import type { OrganizationCoverage, UnitCoverage } from '../resources/aws/organization/coverage.js';

/** More units than this and only the ones with a problem are drawn. */
export const DIAGRAM_UNITS = 40;

type Colour = 'covered' | 'missing' | 'pending' | 'unverified' | 'path';

const CLASSES: Record<Colour, string> = {
  covered: 'fill:#dafbe1,stroke:#1a7f37,color:#1f2328',
  missing: 'fill:#ffebe9,stroke:#cf222e,color:#1f2328',
  pending: 'fill:#fff8c5,stroke:#9a6700,color:#1f2328',
  unverified: 'fill:#eaeef2,stroke:#57606a,color:#1f2328',
  path: 'fill:#ffffff,stroke:#8c959f,color:#57606a',
};

/** Text inside a quoted Mermaid label: its entity codes for what would end or break the label. */
function label(text: string): string {
  return text.replace(/[#"<>&]/g, (c) => ({ '#': '#35;', '"': '#quot;', '<': '#lt;', '>': '#gt;', '&': '#amp;' })[c]!);
}

function colourOf(row: UnitCoverage, verified: boolean): Colour {
  if (!verified) return 'unverified';
  const problems = [...row.problems.keys()];
  if (problems.some((p) => p !== 'PENDING' && p !== 'not checked')) return 'missing';
  if (problems.length > 0) return 'pending';
  return 'covered';
}

function describeUnit(row: UnitCoverage, verified: boolean): string {
  const counts = verified ? `${row.covered} of ${row.inScope} covered` : `${row.inScope} in scope, not verified`;
  const problems = [...row.problems].map(([problem, accounts]) => `${accounts.length} ${problem}`);
  return [`${label(row.name)}`, label(row.unit), counts, ...problems.map(label)].join('<br/>');
}

export function organizationDiagram(coverage: OrganizationCoverage, tree: OrganizationTree): string {
  const rows = new Map(coverage.units.map((row) => [row.unit, row]));
  const troubled = coverage.units.filter((row) => colourOf(row, coverage.verified) !== 'covered');
  const shown = coverage.units.length > DIAGRAM_UNITS ? troubled.slice(0, DIAGRAM_UNITS) : coverage.units;
  const drawn = new Set<string>();
  // Each shown unit with the units above it, so the boxes hang where they are in the organization.
  for (const row of shown) {
    for (let id: string | undefined = row.unit; id && !drawn.has(id); id = tree.units.get(id)?.parent) drawn.add(id);
  }
  const ids = new Map([...drawn].map((unit, index) => [unit, `u${index}`]));
  const lines = ['```mermaid', 'flowchart TB'];
  for (const unit of drawn) {
    const row = rows.get(unit);
    const node = tree.units.get(unit);
    const colour: Colour = row && shown.includes(row) ? colourOf(row, coverage.verified) : 'path';
    const text = row && shown.includes(row) ? describeUnit(row, coverage.verified) : [label(node?.name ?? unit), label(unit)].join('<br/>');
    lines.push(`  ${ids.get(unit)}["${text}"]:::${colour}`);
  }
  for (const unit of drawn) {
    const parent = tree.units.get(unit)?.parent;
    if (parent && ids.has(parent)) lines.push(`  ${ids.get(parent)} --> ${ids.get(unit)}`);
  }
  const rest = coverage.units.length - shown.length;
  if (rest > 0) {
    const troubledRest = troubled.length - troubled.filter((row) => shown.includes(row)).length;
    lines.push(
      troubledRest > 0
        ? `  rest["and ${rest} more units, ${troubledRest} of them with a problem (see the table)"]:::missing`
        : `  rest["and ${rest} more units, every account covered"]:::covered`,
    );
  }
  for (const [name, style] of Object.entries(CLASSES)) lines.push(`  classDef ${name} ${style}`);
  lines.push('```');
  return lines.join('\n');
}
