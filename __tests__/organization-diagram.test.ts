/**
 * The organization's Mermaid diagram, parsed by Mermaid itself (npm's mermaid, in a jsdom window as
 * it needs one): what GitHub would render, or refuse to.
 */
import { JSDOM } from 'jsdom';
import { beforeAll, describe, expect, it } from 'vitest';
import type { OrganizationTree } from '../src/model/organization.js';
import type { AccountProblem, OrganizationCoverage, UnitCoverage } from '../src/resources/aws/organization/coverage.js';
import { DIAGRAM_UNITS, organizationDiagram } from '../src/report/organization-diagram.js';

let parse: (text: string) => Promise<unknown>;
beforeAll(async () => {
  const { window } = new JSDOM('<!doctype html><html><body></body></html>');
  Object.assign(globalThis, { window, document: window.document });
  const { default: mermaid } = await import('mermaid');
  parse = (text) => mermaid.parse(text);
});

/** The diagram's source, from inside its ```mermaid fence. */
const source = (markdown: string) => /```mermaid\n([\s\S]*?)\n```/.exec(markdown)![1];

function organization(units: number, troubled: (i: number) => Map<AccountProblem, string[]>, name = (i: number) => `unit ${i}`) {
  const tree: OrganizationTree = { roots: ['r-root'], units: new Map([['r-root', { id: 'r-root', name: 'Root', parent: undefined }]]), accounts: [] };
  const rows: UnitCoverage[] = [];
  for (let i = 0; i < units; i++) {
    const id = `ou-root-unit${String(i).padStart(4, '0')}`;
    tree.units.set(id, { id, name: name(i), parent: 'r-root' });
    const problems = troubled(i);
    const bad = [...problems.values()].flat().length;
    rows.push({ unit: id, name: name(i), inScope: 3, covered: 3 - bad, problems });
  }
  const coverage: OrganizationCoverage = {
    units: rows,
    inScope: units * 3,
    covered: rows.reduce((n, r) => n + r.covered, 0),
    suspended: [],
    outside: [],
    management: { inScope: false, covered: undefined },
    verified: true,
  };
  return { tree, coverage };
}

describe('the organization diagram', () => {
  it('is a flowchart Mermaid parses: a box per unit under its root, covered of in scope, coloured by what is wrong', async () => {
    const { tree, coverage } = organization(3, (i) =>
      i === 1 ? new Map([['missing', ['111111111111']]]) : i === 2 ? new Map([['DRIFTED', ['222222222222']]]) : new Map(),
    );
    const text = source(organizationDiagram(coverage, tree));
    await expect(parse(text)).resolves.toMatchObject({ diagramType: 'flowchart-v2' });
    expect(text).toContain('["unit 0<br/>ou-root-unit0000<br/>3 of 3 covered"]:::covered');
    expect(text).toContain('["unit 1<br/>ou-root-unit0001<br/>2 of 3 covered<br/>1 missing"]:::missing');
    expect(text).toContain('1 DRIFTED"]:::missing');
    const root = /(u\d+)\["Root<br\/>r-root"\]:::path/.exec(text)![1];
    expect(text.match(new RegExp(` ${root} --> u\\d+`, 'g'))).toHaveLength(3);
  });

  it(`past ${DIAGRAM_UNITS} units draws only the ones with a problem, and counts the rest`, async () => {
    const { tree, coverage } = organization(120, (i) => (i % 30 === 7 ? new Map([['FAILED', ['333333333333']]]) : new Map()));
    const text = source(organizationDiagram(coverage, tree));
    await expect(parse(text)).resolves.toBeDefined();
    expect(text.match(/:::missing/g)).toHaveLength(4);
    expect(text).toContain('rest["and 116 more units, every account covered"]:::covered');
    expect(text).not.toContain('unit 0<br/>');
  });

  it('keeps a unit name with quotes, brackets and markup inside its label', async () => {
    const { tree, coverage } = organization(
      1,
      () => new Map(),
      () => 'a "b" <script>alert(1)</script> [c] #d & e',
    );
    const text = source(organizationDiagram(coverage, tree));
    await expect(parse(text)).resolves.toBeDefined();
    expect(text).not.toContain('<script>');
    expect(text).toContain('a #quot;b#quot; #lt;script#gt;alert(1)#lt;/script#gt; [c] #35;d #amp; e');
  });
});
