/** The organization's pure parts: the `organization` key's rules, the scope over a tree, instance states, coverage findings. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_MEMBER_ROLE, parseDiscovery } from '../src/config/discovery.js';
import { excludedAccounts, scopedAccounts, targetUnits } from '../src/resources/aws/organization/tree.js';
import { instanceProblem, planStackSet } from '../src/resources/aws/organization/stack-set.js';
import { organizationCoverage } from '../src/resources/aws/organization/coverage.js';
import { coverageFindings, coverageRow, coverageSection, driftDetectionNote } from '../src/report/organization.js';
import type { DesiredOrganization, ObservedOrganization, OrganizationTree, StackInstanceState } from '../src/model/organization.js';
import { settingsFor } from './support/harness.js';

const matcher = (organization: string, types = '[ec2]') => `group: g\nmatchers:\n  - types: ${types}\n    organization:\n${organization}`;

describe('the organization key', () => {
  it('fills the defaults: the whole organization, the module default member role, a StackSet', () => {
    const parsed = parseDiscovery(matcher('      units: {}'))!;
    expect(parsed.matchers[0].organization).toEqual({ id: undefined, include: ['*'], exclude: [], memberRole: DEFAULT_MEMBER_ROLE, rollout: 'stackset' });
  });

  it.each([
    ['a type other than ec2', matcher('      units: {}', '[ec2, rds]'), /organization discovers ec2 only.*rds/],
    ['"*" mixed with unit ids', matcher("      units: { include: ['*', ou-abcd-12345678] }"), /"\*" already means the whole organization/],
    ['a wildcard in exclude', matcher("      units: { exclude: ['ou-*'] }"), /exclude takes exact unit ids, no wildcard/],
    ['a malformed unit id', matcher('      units: { include: [ou-12] }'), /"ou-12" is not a root or unit id/],
    ['a malformed root id', matcher('      units: { exclude: [r-1] }'), /"r-1" is not a root or unit id/],
    ['an empty member-role', matcher("      member-role: ''"), /member-role is empty/],
    ['a member-role IAM would refuse', matcher('      member-role: "a role"'), /is not an IAM role name/],
    ['a malformed organization id', matcher('      id: org-1'), /"org-1" is not an organization id/],
    ['an unknown rollout', matcher('      rollout: terraform'), /rollout "terraform" is not one of stackset, none/],
    ['an unknown key', matcher('      accounts: [1]'), /unknown key "accounts"/],
  ])('refuses %s, naming discovery', (_, text, problem) => {
    expect(() => parseDiscovery(text)).toThrow(problem);
    expect(() => parseDiscovery(text)).toThrow(/^Input 'discovery'/);
  });

  it('refuses two organization matchers that differ, and a custom SSM document with one', () => {
    const two = `group: g\nmatchers:\n  - types: [ec2]\n    organization: { units: {} }\n  - types: [ec2]\n    organization: { member-role: other }`;
    expect(() => parseDiscovery(two)).toThrow(/matchers\[1\]: organization differs from matchers\[0\]'s/);
    expect(() => parseDiscovery(`ssm-document: MyInstaller\n${matcher('      units: {}')}`)).toThrow(/AWS-RunShellScript/);
  });

  it('is rejected with the other inputs, before any call', () => {
    expect(() => settingsFor({ discovery: matcher('      units: { include: [nope] }') })).toThrow(/Input 'discovery'.*"nope" is not a root or unit id/);
  });
});

// r-root ─┬─ ou-prod (a1, a2) ── ou-web (a3)
//         ├─ ou-sandbox (a4, a5 suspended)
//         └─ management (m)
const TREE: OrganizationTree = {
  roots: ['r-root'],
  units: new Map([
    ['r-root', { id: 'r-root', name: 'Root', parent: undefined }],
    ['ou-prod', { id: 'ou-prod', name: 'prod', parent: 'r-root' }],
    ['ou-web', { id: 'ou-web', name: 'web', parent: 'ou-prod' }],
    ['ou-sandbox', { id: 'ou-sandbox', name: 'sandbox', parent: 'r-root' }],
  ]),
  accounts: [
    { id: 'a1', name: 'a1', status: 'ACTIVE', parent: 'ou-prod' },
    { id: 'a2', name: 'a2', status: 'ACTIVE', parent: 'ou-prod' },
    { id: 'a3', name: 'a3', status: 'ACTIVE', parent: 'ou-web' },
    { id: 'a4', name: 'a4', status: 'ACTIVE', parent: 'ou-sandbox' },
    { id: 'a5', name: 'a5', status: 'SUSPENDED', parent: 'ou-sandbox' },
    { id: 'm', name: 'm', status: 'ACTIVE', parent: 'r-root' },
  ],
};
const scope = (include: string[], exclude: string[] = []) => ({ id: undefined, include, exclude, memberRole: 'member', rollout: 'stackset' as const });
const ids = (accounts: { id: string }[]) => accounts.map((a) => a.id);

describe('the scope over the tree', () => {
  it('covers nested units, lets exclude win, and notes suspended accounts apart', () => {
    expect(ids(scopedAccounts(TREE, scope(['*']), 'm').inScope)).toEqual(['a1', 'a2', 'a3', 'a4', 'm']);
    expect(ids(scopedAccounts(TREE, scope(['*']), 'm').suspended)).toEqual(['a5']);
    expect(ids(scopedAccounts(TREE, scope(['ou-prod']), 'm').inScope)).toEqual(['a1', 'a2', 'a3']);
    expect(ids(scopedAccounts(TREE, scope(['ou-prod'], ['ou-web']), 'm').inScope)).toEqual(['a1', 'a2']);
    expect(ids(scopedAccounts(TREE, scope(['*'], ['ou-prod']), 'm').inScope)).toEqual(['a4', 'm']);
    expect(scopedAccounts(TREE, scope(['ou-gone']), 'm').unknownUnits).toEqual(['ou-gone']);
  });

  it('targets the included units and filters out the excluded accounts under them', () => {
    expect(targetUnits(TREE, scope(['*']))).toEqual(['r-root']);
    expect(excludedAccounts(TREE, scope(['*'], ['ou-prod']))).toEqual(['a1', 'a2', 'a3']);
    expect(excludedAccounts(TREE, scope(['ou-prod']))).toEqual([]);
  });
});

const instance = (account: string, status = 'CURRENT', detailedStatus = 'SUCCEEDED'): StackInstanceState => ({
  account,
  region: 'us-east-1',
  status,
  detailedStatus,
  statusReason: undefined,
  driftStatus: 'NOT_CHECKED',
  lastDriftCheck: undefined,
  unit: undefined,
});

describe('stack instances', () => {
  // A set of ours as declared: only its instances differ in these cases.
  const wanted = { name: 's', region: 'us-east-1', description: 'd', template: {}, tags: { 'teleport.dev/integration': 'x' }, callAs: 'SELF' as const };
  const live = {
    name: 's',
    description: 'd',
    template: {},
    tags: wanted.tags,
    permissionModel: 'SERVICE_MANAGED',
    autoDeployment: { enabled: true, retainStacksOnAccountRemoval: false },
    status: 'ACTIVE',
  };

  it('names what keeps an account uncovered', () => {
    expect(instanceProblem(undefined)).toBe('missing');
    expect(instanceProblem(instance('a', 'CURRENT', 'SUCCEEDED'))).toBeUndefined();
    expect(instanceProblem(instance('a', 'OUTDATED', 'FAILED'))).toBe('FAILED');
    expect(instanceProblem(instance('a', 'OUTDATED', 'SUCCEEDED'))).toBe('OUTDATED');
    expect(instanceProblem(instance('a', 'INOPERABLE', 'INOPERABLE'))).toBe('INOPERABLE');
    expect(instanceProblem(instance('a', 'OUTDATED', 'RUNNING'))).toBe('PENDING');
  });

  it('deploys FAILED and OUTDATED instances again by their units, and leaves a running or INOPERABLE one alone', () => {
    const changes = planStackSet(
      live,
      [instance('a1', 'OUTDATED', 'FAILED'), instance('a2', 'INOPERABLE', 'INOPERABLE'), instance('a3', 'OUTDATED', 'RUNNING'), instance('a5'), instance('a4')],
      wanted,
      { wanted: ['a1', 'a2', 'a3'], suspended: ['a5'], tree: TREE, units: ['r-root'], excludeAccounts: [] },
      'x',
    );
    expect(changes).toEqual([
      expect.objectContaining({ action: 'update-stack-instances', accounts: ['a1'], units: ['ou-prod'] }),
      // a4 is outside the scope; a5 is suspended in scope and keeps its instance.
      expect.objectContaining({ action: 'remove-stack-instances', accounts: ['a4'], units: ['ou-sandbox'] }),
    ]);
  });

  it('deploys an OUTDATED instance whose operation stopped before it (SUCCEEDED) again, and makes a DRIFTED one again', () => {
    const drifted = { ...instance('a2'), driftStatus: 'DRIFTED' };
    const changes = planStackSet(
      live,
      [instance('a1', 'OUTDATED', 'SUCCEEDED'), drifted, instance('a3')],
      wanted,
      {
        wanted: ['a1', 'a2', 'a3'],
        suspended: [],
        tree: TREE,
        units: ['r-root'],
        excludeAccounts: [],
      },
      'x',
    );
    expect(changes).toEqual([
      expect.objectContaining({ action: 'update-stack-instances', accounts: ['a1'] }),
      expect.objectContaining({ action: 'redeploy-stack-instances', accounts: ['a2'] }),
    ]);
    expect(instanceProblem(drifted)).toBe('DRIFTED');
    expect(instanceProblem({ ...instance('a', 'OUTDATED'), detailedStatus: 'SKIPPED_SUSPENDED_ACCOUNT' })).toBe('OUTDATED');
  });
});

describe('coverage in the report', () => {
  const desired = {
    scope: scope(['*']),
    identity: { id: 'o-abcdefghij', managementAccount: 'm' },
    integration: 'x',
    memberRole: { name: 'member' },
    stackSet: { region: 'us-east-1' },
    writesManagementRole: true,
  } as unknown as DesiredOrganization;
  // The scope is worked out when the organization is read: a fixture of another scope or tree reads them again.
  const observed = (instances: StackInstanceState[], tree = TREE, within = desired.scope): ObservedOrganization => ({
    identity: desired.identity,
    runningOperations: [],
    driftDetection: undefined,
    tree,
    scoped: scopedAccounts(tree, within, 'm'),
    trustedAccess: true,
    stackSet: undefined,
    instances,
    managementRole: { role: {} as never, policy: undefined },
  });

  it('one finding per unit and problem, by account id; suspended accounts and the management account are not findings', () => {
    const coverage = organizationCoverage(desired, observed([instance('a1', 'OUTDATED', 'FAILED'), instance('a2'), instance('a5'), instance('stray')]));
    expect(coverage.inScope).toBe(5);
    expect(coverage.covered).toBe(2); // a2 and the management account's own role
    const findings = coverageFindings(coverage, 'o-abcdefghij', 'm');
    expect(findings.map((f) => [f.resource, f.target])).toEqual([
      ['Member role: FAILED', 'prod (ou-prod)'],
      ['Member role: missing', 'sandbox (ou-sandbox)'],
      ['Member role: missing', 'web (ou-web)'],
    ]);
    // a5 is suspended in scope and "stray" left the organization: neither is an instance "outside the scope".
    expect(findings[1].message).toContain('a4');
    const narrower = organizationCoverage({ ...desired, scope: scope(['ou-prod']) }, observed([instance('a1'), instance('a4')], TREE, scope(['ou-prod'])));
    expect(coverageFindings(narrower, 'o-abcdefghij', 'm').map((f) => f.resource)).toEqual([
      'Member role: missing',
      'Member role: missing',
      'Member role: outside the scope',
    ]);
    expect(coverageSection(coverage, 'o-abcdefghij')).toContain('Suspended or closing, noted and not drift: a5');
    const planned = coverageSection(coverage, 'o-abcdefghij', [{ action: 'create-member-role' } as never]);
    expect(planned).toContain("The management account's own member role would be created directly.");
    expect(coverageRow(coverage, 'o-abcdefghij', 'check')).toMatchObject({
      status: 'drift',
      reason: expect.stringContaining('2 of 5 accounts in scope have a current member role; 3 do not'),
    });
  });

  it('from a delegated administrator, the management account is said to be not checked, never drift', () => {
    const delegated = { ...desired, writesManagementRole: false } as DesiredOrganization;
    const coverage = organizationCoverage(delegated, {
      ...observed([instance('a1'), instance('a2'), instance('a3'), instance('a4')]),
      managementRole: undefined,
    });
    expect(coverage.units.find((u) => u.unit === 'r-root')?.problems.get('not checked')).toEqual(['m']);
    expect(coverageFindings(coverage, 'o-abcdefghij', 'm')).toEqual([]);
    expect(coverageSection(coverage, 'o-abcdefghij')).toContain("this run is a delegated administrator's");
  });

  it('caps long lists with a count', () => {
    const many: OrganizationTree = {
      ...TREE,
      accounts: Array.from({ length: 45 }, (_, i) => ({ id: `b${i}`, name: '', status: 'ACTIVE', parent: 'ou-prod' })),
    };
    const coverage = organizationCoverage(desired, observed([], many));
    expect(coverageFindings(coverage, 'o-abcdefghij', 'm')[0].message).toMatch(/45 accounts .* and 25 more\./);
  });
});

describe('the member role template', () => {
  it('policies/member-role.template.json (linted by cfn-lint in npm run lint) is what the StackSet is given', async () => {
    const { readFileSync } = await import('node:fs');
    const path = await import('node:path');
    const { desiredMemberRole, memberRoleTemplate } = await import('../src/resources/aws/organization/member-role.js');
    const { ownershipTags } = await import('../src/resources/aws/tags.js');
    const discovery = parseDiscovery(matcher('      units: {}').replace('types: [ec2]', "types: [ec2]\n    regions: ['*']"))!;
    const role = desiredMemberRole(
      discovery,
      discovery.matchers[0].organization!,
      'teleport-aws-prod',
      'arn:aws:iam::111111111111:role/teleport-aws-prod',
      'o-exampleorg1',
      ownershipTags('teleport.example.com', 'teleport-aws-prod'),
    );
    const file = JSON.parse(readFileSync(path.join(import.meta.dirname, '..', 'policies', 'member-role.template.json'), 'utf8'));
    expect(file).toEqual(memberRoleTemplate(role, 'teleport-aws-prod'));
  });
});

describe('Teleport versions', () => {
  it('compares major, minor and patch as numbers, ignoring a suffix', async () => {
    const { olderThan } = await import('../src/model/teleport-versions.js');
    expect(olderThan('18.8.2', '18.8.3')).toBe(true);
    expect(olderThan('18.8.3', '18.8.3')).toBe(false);
    expect(olderThan('18.10.0', '18.8.3')).toBe(false);
    expect(olderThan('17.99.99', '18.8.3')).toBe(true);
    expect(olderThan('v18.8.3-dev.1', '18.8.3')).toBe(false);
    expect(olderThan('unknown', '18.8.3')).toBeUndefined();
  });
});

describe('when member roles were last compared inside their accounts', () => {
  const detection = (ended: Date | undefined, ranNow = false) => ({ operationId: 'op', status: 'SUCCEEDED', ended, ranNow, details: new Map() });
  const now = new Date('2026-12-04T12:00:00Z');
  it('says a detection older than a day, with its date; never one; nothing for a recent one or one run now', () => {
    expect(driftDetectionNote(detection(new Date('2026-12-01T09:00:00Z')), now)).toBe(
      "The StackSet's last drift detection ended 3 days ago (2026-12-01T09:00:00.000Z): member roles changed since are not seen. Run a check with detect-drift: true.",
    );
    expect(driftDetectionNote(detection(new Date('2026-12-03T11:00:00Z')), now)).toMatch(/ended 1 day ago/);
    expect(driftDetectionNote(detection(new Date('2026-12-03T13:00:00Z')), now)).toBeUndefined();
    expect(driftDetectionNote(detection(new Date('2026-11-01T00:00:00Z'), true), now)).toBeUndefined();
    expect(driftDetectionNote(undefined, now)).toMatch(/never run drift detection/);
  });
});
