/**
 * Discovery across an AWS Organization, against moto's Organizations and service-managed StackSets
 * (completed with AWS's documented targeting in scripts/moto_server.py) and the tctl stand-in.
 */
import { CreateRoleCommand, DeleteRoleCommand, DeleteRolePolicyCommand, GetRoleCommand, GetRolePolicyCommand } from '@aws-sdk/client-iam';
import {
  CreateStackInstancesCommand,
  CreateStackSetCommand,
  DescribeStackSetCommand,
  ListStackInstancesCommand,
  ListStackSetsCommand,
  UpdateStackSetCommand,
} from '@aws-sdk/client-cloudformation';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAction } from '../src/engine/run.js';
import { ACCOUNT, settingsFor, useHarness } from './support/harness.js';
import { buildOrganization, type BuiltOrganization } from './support/organization.js';
import { privateIssuer, workerMotoUrl } from './support/worker.js';

const h = useHarness();
const motoUrl = workerMotoUrl();
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/teleport-test-role`;
const MEMBER_ROLE = 'teleport-organization-discovery-child-account-role';
const STACK_SET = 'teleport-discovery-member-role-aws-test';

/** prod (2 accounts) with prod/web (1) nested, sandbox (1); the management account sits in the root. */
const LAYOUT = { prod: 2, 'prod/web': 1, sandbox: 1 };

const discovery = (org: BuiltOrganization, units = `{ exclude: [${org.units.sandbox}] }`) => `
group: cloud-discovery-group
matchers:
  - types: [ec2]
    regions: ['*']
    tags: { env: prod }
    organization:
      units: ${units}
`;

async function instanceAccounts(org: BuiltOrganization): Promise<string[]> {
  const { Summaries } = await org.cloudformation.send(new ListStackInstancesCommand({ StackSetName: STACK_SET }));
  return (Summaries ?? []).map((s) => s.Account!).sort();
}

describe('organization: apply', () => {
  it('rolls the member role out to every account in scope, nested units included, and writes both Teleport sides; a re-run writes nothing', async () => {
    const org = await buildOrganization(motoUrl, LAYOUT);
    const inputs = { discovery: discovery(org) };
    const result = await runAction(settingsFor(inputs), h.deps());
    expect(result.failure).toBeUndefined();

    // The StackSet: service-managed, automatic deployment, tagged and described as ours.
    const { StackSet } = await org.cloudformation.send(new DescribeStackSetCommand({ StackSetName: STACK_SET }));
    expect(StackSet!.PermissionModel).toBe('SERVICE_MANAGED');
    expect(StackSet!.Tags).toEqual(expect.arrayContaining([{ Key: 'teleport.dev/integration', Value: 'aws-test' }]));
    expect(StackSet!.Description).toMatch(/integration aws-test.*do not edit by hand/);
    // Instances in prod, prod/web (nested) but not sandbox (excluded) nor the management account.
    const inScope = [...org.accounts.prod, ...org.accounts['prod/web']].sort();
    expect(await instanceAccounts(org)).toEqual(inScope);
    // Each member account really has the role, trusting the integration role from inside the organization.
    const iam = await org.memberIam(org.accounts['prod/web'][0]);
    const { Role } = await iam.send(new GetRoleCommand({ RoleName: MEMBER_ROLE }));
    const trust = JSON.parse(decodeURIComponent(Role!.AssumeRolePolicyDocument!));
    expect(trust.Statement).toEqual([
      { Effect: 'Allow', Principal: { AWS: ROLE_ARN }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'aws:PrincipalOrgID': org.id } } },
    ]);
    await expect((await org.memberIam(org.accounts.sandbox[0])).send(new GetRoleCommand({ RoleName: MEMBER_ROLE }))).rejects.toThrow(/not found|NoSuchEntity/i);

    // The management account (in the root, in scope) gets its member role directly.
    const { Role: own } = await h.direct().send(new GetRoleCommand({ RoleName: MEMBER_ROLE }));
    expect(own!.Tags).toEqual(expect.arrayContaining([{ Key: 'teleport.dev/integration', Value: 'aws-test' }]));
    const { PolicyDocument } = await h.direct().send(new GetRolePolicyCommand({ RoleName: MEMBER_ROLE, PolicyName: 'TeleportEC2Discovery' }));
    expect(JSON.parse(decodeURIComponent(PolicyDocument!)).Statement[0].Action).toEqual(
      expect.arrayContaining(['ec2:DescribeInstances', 'account:ListRegions']),
    );

    // The integration role walks the organization and assumes the member role only inside it.
    const walk = await h.direct().send(new GetRolePolicyCommand({ RoleName: 'teleport-test-role', PolicyName: 'TeleportOrganizationDiscovery' }));
    const statements = JSON.parse(decodeURIComponent(walk.PolicyDocument!)).Statement;
    expect(statements).toContainEqual({
      Sid: 'AssumeMemberRole',
      Effect: 'Allow',
      Action: 'sts:AssumeRole',
      Resource: `arn:aws:iam::*:role/${MEMBER_ROLE}`,
      Condition: { StringEquals: { 'aws:ResourceOrgID': org.id } },
    });

    // Teleport: the matcher walks the organization with the member role and the AWS-managed document.
    const config = h.stored('discovery_config', 'aws-test')!;
    expect(config.spec.aws[0]).toMatchObject({
      assume_role: { role_name: MEMBER_ROLE },
      organization: { organization_id: org.id, organizational_units: { include: ['*'], exclude: [org.units.sandbox] } },
      ssm: { document_name: 'AWS-RunShellScript' },
    });
    const token = h.stored('token', 'aws-test-ec2')!;
    expect(token.spec.allow).toEqual([{ aws_organization_id: org.id, aws_organizational_units: { include: ['*'], exclude: [org.units.sandbox] } }]);
    expect(token.spec.integration).toBe('aws-test');

    // A second run: zero AWS writes, zero tctl writes.
    h.proxy.clear();
    const tctlWrites = h.tctlWrites();
    const again = await runAction(settingsFor(inputs), h.deps());
    expect(again.failure).toBeUndefined();
    expect(again.changes).toEqual([]);
    expect(h.proxy.writes()).toEqual([]);
    expect(h.tctlWrites()).toBe(tctlWrites);
  });
});

async function applied(inputs: Record<string, string>) {
  const result = await runAction(settingsFor(inputs), h.deps());
  expect(result.failure).toBeUndefined();
  h.proxy.clear();
  return result;
}

describe('organization: check', () => {
  it('an account that joined is covered by automatic deployment; an instance removed by hand and a template edited by hand are reported by unit; apply repairs both', async () => {
    const org = await buildOrganization(motoUrl, LAYOUT);
    const inputs = { discovery: discovery(org) };
    await applied(inputs);
    // Automatic deployment (the emulator's, as AWS's): an operation of the set's own gives the account that joins prod its role.
    const joined = await org.addAccount('prod', 'late');
    await (await org.memberIam(joined)).send(new GetRoleCommand({ RoleName: MEMBER_ROLE }));
    await org.removeInstance(STACK_SET, org.accounts['prod/web'][0]);
    const { StackSet } = await org.cloudformation.send(new DescribeStackSetCommand({ StackSetName: STACK_SET }));
    const template = JSON.parse(StackSet!.TemplateBody!);
    template.Resources.MemberRole.Properties.Policies[0].PolicyDocument.Statement[0].Action = '*';
    await org.cloudformation.send(
      new UpdateStackSetCommand({ StackSetName: STACK_SET, TemplateBody: JSON.stringify(template), Capabilities: ['CAPABILITY_NAMED_IAM'] }),
    );

    const check = await runAction(settingsFor({ ...inputs, mode: 'check' }), h.deps());
    expect(check.drift).toBe(true);
    const byTarget = Object.fromEntries(check.findings.map((f) => [f.target, f]));
    expect(byTarget[`prod (${org.units.prod})`]).toBeUndefined();
    expect(byTarget[`web (${org.units['prod/web']})`].message).toContain(org.accounts['prod/web'][0]);
    expect(byTarget[`web (${org.units['prod/web']})`].resource).toBe('Member role: missing');
    expect(check.findings.map((f) => f.resource)).toContain('StackSet: update-stack-set');
    expect(check.markdown).toContain(`### Organization ${org.id}`);
    // The picture: the unit that lost a member role in red, under prod, under the root.
    expect(check.markdown).toMatch(/```mermaid\nflowchart TB\n[\s\S]*"web<br\/>ou-[a-z0-9-]+<br\/>0 of 1 covered<br\/>1 missing"\]:::missing[\s\S]*```/);
    expect(check.markdown).toMatch(/\| \*\*Total\*\* \| \*\*5\*\* \| \*\*4\*\* \|/);
    // Check writes nothing and never assumes a role per account.
    expect(h.proxy.writes()).toEqual([]);
    expect(h.proxy.actions().filter((a) => a === 'sts:AssumeRole')).toEqual([]);

    h.proxy.clear();
    const repair = await applied(inputs);
    expect(repair.changes.map((c) => c.action).sort()).toEqual(['create-stack-instances', 'update-stack-set']);
    // (addAccount listed the late account under prod too)
    expect(await instanceAccounts(org)).toEqual([...org.accounts.prod, ...org.accounts['prod/web']].sort());
    expect(org.accounts.prod).toContain(joined);
    const clean = await runAction(settingsFor({ ...inputs, mode: 'check' }), h.deps());
    expect(clean.findings).toEqual([]);
  });

  it('a narrower scope takes the member role out of the units it leaves', async () => {
    const org = await buildOrganization(motoUrl, LAYOUT);
    await applied({ discovery: discovery(org) });
    const narrower = { discovery: discovery(org, `{ include: [${org.units.prod}], exclude: [${org.units['prod/web']}] }`) };
    const plan = await runAction(settingsFor({ ...narrower, mode: 'plan' }), h.deps());
    expect(plan.markdown).toContain(`Would lose the member role: ${org.accounts['prod/web'][0]}`);
    expect(plan.markdown).toContain('```mermaid\nflowchart TB');
    // A plan says what apply would change; drift is check's word.
    expect(plan.report.rows.find((r) => r.resource === 'Organization coverage')?.status).toBe('would change');
    const result = await applied(narrower);
    expect(result.changes.map((c) => c.action)).toContain('remove-stack-instances');
    expect(await instanceAccounts(org)).toEqual([...org.accounts.prod].sort());
    // The management account (in the root) is out of scope now: check says nothing about it.
    const check = await runAction(settingsFor({ ...narrower, mode: 'check' }), h.deps());
    expect(check.findings).toEqual([]);
  });

  it('rollout none: no StackSet, no member role written, and the coverage is said to be unverified', async () => {
    const org = await buildOrganization(motoUrl, LAYOUT);
    const inputs = { discovery: discovery(org).replace('units: ', 'rollout: none\n      units: ') };
    const result = await applied(inputs);
    expect(result.changes.map((c) => c.resource)).not.toContain('stack-set');
    expect((await org.cloudformation.send(new ListStackSetsCommand({}))).Summaries ?? []).toEqual([]);
    const check = await runAction(settingsFor({ ...inputs, mode: 'check' }), h.deps());
    expect(check.findings).toEqual([]);
    expect(check.annotations.map((a) => a.title)).toContain('Organization coverage not verified');
    expect(check.markdown).toContain('coverage is not verified');
  });
});

describe('organization: refused or wrong place, before any write', () => {
  it('outside an organization: says where to run it, and nothing is written', async () => {
    const result = runAction(settingsFor({ discovery: discovery({ units: { sandbox: 'ou-abcd-12345678' } } as unknown as BuiltOrganization) }), h.deps());
    await expect(result).rejects.toThrow(/not in an AWS Organization.*management account.*delegated administrator/s);
    expect(h.proxy.writes()).toEqual([]);
    expect(h.tctlWrites()).toBe(0);
  });

  it('without trusted access for StackSets: the step fails naming what to enable, and nothing is written', async () => {
    const org = await buildOrganization(motoUrl, LAYOUT, { trustedAccess: false });
    const result = await runAction(settingsFor({ discovery: discovery(org) }), h.deps());
    expect(result.failure).toMatch(/Trusted access for CloudFormation StackSets is not enabled.*enable-aws-service-access/s);
    expect(h.proxy.writes()).toEqual([]);
    expect(h.tctlWrites()).toBe(0);
  });

  it('a unit the organization does not have is refused', async () => {
    const org = await buildOrganization(motoUrl, LAYOUT);
    const result = await runAction(settingsFor({ discovery: discovery(org, '{ exclude: [ou-zzzz-99999999] }') }), h.deps());
    expect(result.failure).toMatch(/ou-zzzz-99999999, which organization o-\w+ does not have/);
    expect(h.proxy.writes()).toEqual([]);
  });

  it('an organization id pin refuses other credentials', async () => {
    const org = await buildOrganization(motoUrl, LAYOUT);
    const pinned = discovery(org).replace('units: ', 'id: o-aaaaaaaaaa\n      units: ');
    await expect(runAction(settingsFor({ discovery: pinned }), h.deps())).rejects.toThrow(
      `credentials are for organization ${org.id}, but discovery's organization id is o-aaaaaaaaaa`,
    );
    expect(h.proxy.writes()).toEqual([]);
  });

  it("a stack set of that name that is not this integration's, and a member role someone else made, are never touched", async () => {
    const org = await buildOrganization(motoUrl, LAYOUT);
    await org.cloudformation.send(
      new CreateStackSetCommand({
        StackSetName: STACK_SET,
        TemplateBody: '{"Resources":{}}',
        PermissionModel: 'SERVICE_MANAGED',
        Tags: [{ Key: 'team', Value: 'x' }],
      }),
    );
    await h.direct().send(new CreateRoleCommand({ RoleName: MEMBER_ROLE, AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [] }) }));
    const result = await runAction(settingsFor({ discovery: discovery(org) }), h.deps());
    expect(result.failure).toMatch(/StackSet teleport-discovery-member-role-aws-test exists without tag teleport.dev\/integration=aws-test/);
    expect(result.failure).toMatch(/Role teleport-organization-discovery-child-account-role exists in the management account without tag/);
    expect(h.proxy.writes()).toEqual([]);
  });
});

describe('organization: operations', () => {
  it('an operation already running on the stack set is waited out, never failed on', async () => {
    const org = await buildOrganization(motoUrl, LAYOUT);
    h.proxy.addFault({
      name: 'busy',
      on: ({ action, count }) =>
        action === 'CreateStackInstances' && count === 1
          ? { kind: 'aws-error', status: 400, code: 'OperationInProgressException', message: 'Another Operation on StackSet is in progress' }
          : undefined,
    });
    const deps = h.deps();
    const result = await runAction(settingsFor({ discovery: discovery(org) }), deps);
    expect(result.failure).toBeUndefined();
    expect(h.proxy.actions()).toContain('cloudformation:ListStackSetOperations');
    expect(h.proxy.actions().filter((a) => a === 'cloudformation:CreateStackInstances')).toHaveLength(2);
    expect(await instanceAccounts(org)).toHaveLength(3);
  });
});

describe('organization: destroy', () => {
  it('removes the instances (waited for), the stack set and the management account member role before the rest; a second destroy writes nothing', async () => {
    const org = await buildOrganization(motoUrl, LAYOUT);
    const inputs = { discovery: discovery(org) };
    await applied(inputs);
    const result = await runAction(settingsFor({ ...inputs, mode: 'destroy', 'confirm-destroy': 'aws-test' }), h.deps());
    expect(result.failure).toBeUndefined();
    const order = result.changes.map((c) => c.action);
    expect(order.slice(0, 3)).toEqual(['delete-stack-instances', 'delete-stack-set', 'delete-member-role']);
    expect(order).toContain('delete-role');
    expect(h.proxy.actions()).toContain('cloudformation:DescribeStackSetOperation');
    expect(result.report.rows.slice(0, 3).map((r) => [r.resource, r.status])).toEqual([
      ['Stack instances', 'deleted'],
      ['StackSet', 'deleted'],
      ['Member role (management account)', 'deleted'],
    ]);
    expect((await org.cloudformation.send(new ListStackSetsCommand({}))).Summaries?.filter((s) => s.Status !== 'DELETED') ?? []).toEqual([]);
    await expect((await org.memberIam(org.accounts.prod[0])).send(new GetRoleCommand({ RoleName: MEMBER_ROLE }))).rejects.toThrow();
    await expect(h.direct().send(new GetRoleCommand({ RoleName: MEMBER_ROLE }))).rejects.toThrow();
    h.proxy.clear();
    const again = await runAction(settingsFor({ ...inputs, mode: 'destroy', 'confirm-destroy': 'aws-test' }), h.deps());
    expect(again.changes).toEqual([]);
    expect(h.proxy.writes()).toEqual([]);
  });
});

describe('organization: import', () => {
  it('declares an organization discovery_config this action wrote with its organization key, and a plan with the file changes nothing', async () => {
    const { parseImportSettings } = await import('../src/config/import-inputs.js');
    const { importIntegrations } = await import('../src/engine/import.js');
    const org = await buildOrganization(motoUrl, LAYOUT);
    await applied({ discovery: discovery(org) });
    const deps = h.deps();
    const settings = parseImportSettings((name) => ({ 'cluster-url': 'localhost', config: 'x.yml', mode: 'import' })[name] ?? '');
    const result = await importIntegrations(settings, { ...deps, tctl: deps.tctl! });
    const entry = result.entries.find((e) => e.integration === 'aws-test')!;
    expect(entry.entry.discovery).toEqual({
      group: 'cloud-discovery-group',
      matchers: [{ types: ['ec2'], tags: { env: 'prod' }, organization: { id: org.id, units: { exclude: [org.units.sandbox] } } }],
    });
    expect(entry.pending).toEqual([]);
    expect(result.text).toContain(`id: ${org.id}`);
    expect(h.proxy.writes()).toEqual([]);
  });
});

describe('organization: denied', () => {
  it('a denied organization read names the organization policy and where to run, before any write', async () => {
    const org = await buildOrganization(motoUrl, LAYOUT);
    h.proxy.addFault({
      name: 'denied',
      on: ({ action }) =>
        action === 'ListRoots'
          ? {
              kind: 'aws-error',
              status: 400,
              code: 'AccessDeniedException',
              message: 'User: arn:aws:sts::123456789012:assumed-role/x/y is not authorized to perform: organizations:ListRoots',
            }
          : undefined,
    });
    const run = runAction(settingsFor({ discovery: discovery(org) }), h.deps());
    await expect(run).rejects.toThrow(/policies\/organization-apply\.json.*management account.*delegated administrator/s);
    expect(h.proxy.writes()).toEqual([]);
  });
});

describe('organization: the cluster must be new enough', () => {
  let issuer: Awaited<ReturnType<typeof privateIssuer>>;
  beforeAll(async () => void (issuer = await privateIssuer()));
  afterAll(() => issuer?.close());

  it('a scope naming units on Teleport older than 18.8.3: plan and apply refuse before any write, check reports it; 18.8.3 itself is enough', async () => {
    const org = await buildOrganization(motoUrl, LAYOUT);
    const inputs = { 'cluster-url': issuer.host, discovery: discovery(org) };
    issuer.setState({ serverVersion: '18.8.2' });
    const applied = await runAction(settingsFor(inputs), h.deps());
    expect(applied.failure).toContain("The cluster runs Teleport 18.8.2, but the join token's organizational-unit rules");
    expect(applied.failure).not.toContain('18.7.0');
    expect(applied.failure).toContain('needs Teleport 18.8.3 or newer');
    expect(h.proxy.writes()).toEqual([]);
    expect(h.tctlWrites()).toBe(0);
    const check = await runAction(settingsFor({ ...inputs, mode: 'check' }), h.deps());
    expect(check.findings.map((f) => f.resource)).toContain('Teleport discovery_config: Teleport too old');

    issuer.setState({ serverVersion: '18.8.3' });
    const plan = await runAction(settingsFor({ ...inputs, mode: 'plan' }), h.deps());
    expect(plan.failure).toBeUndefined();
    expect(plan.changes.length).toBeGreaterThan(0);
  });

  it('the whole organization needs 18.7.0 (the matcher), not 18.8.3: its token has no unit rule, and one written with include * is not rewritten', async () => {
    const org = await buildOrganization(motoUrl, LAYOUT);
    const inputs = { 'cluster-url': issuer.host, discovery: discovery(org, '{}') };
    issuer.setState({ serverVersion: '18.6.9' });
    const old = await runAction(settingsFor(inputs), h.deps());
    expect(old.failure).toContain('The cluster runs Teleport 18.6.9, but discovery across an AWS Organization');
    expect(old.failure).toContain('needs Teleport 18.7.0 or newer (Teleport CHANGELOG 18.7.0');
    expect(old.failure).not.toContain('18.8.3');
    expect(h.tctlWrites()).toBe(0);

    issuer.setState({ serverVersion: '18.7.0' });
    const result = await runAction(settingsFor(inputs), h.deps());
    expect(result.failure).toBeUndefined();
    expect(h.stored('token', 'aws-test-ec2')!.spec.allow).toEqual([{ aws_organization_id: org.id }]);
    // A token an earlier version wrote with the whole-organization rule spelled out means the same.
    h.editStored('token', 'aws-test-ec2', (token) => (token.spec.allow = [{ aws_organization_id: org.id, aws_organizational_units: { include: ['*'] } }]));
    const plan = await runAction(settingsFor({ ...inputs, mode: 'plan' }), h.deps());
    expect(plan.changes).toEqual([]);
    // Naming units needs the token's unit rules: 18.8.3.
    const units = await runAction(settingsFor({ ...inputs, discovery: discovery(org), mode: 'plan' }), h.deps());
    expect(units.failure).toContain("the join token's organizational-unit rules");
    expect(units.failure).toContain('needs Teleport 18.8.3 or newer (Teleport PR #66276');
    issuer.setState({ serverVersion: '18.9.0' });
  });

  it('a proxy that does not say its version, or says a word that is not one: the gates are said to be unchecked, and the run goes on', async () => {
    const org = await buildOrganization(motoUrl, LAYOUT);
    issuer.setState({ serverVersion: '' });
    const deps = h.deps();
    const plan = await runAction(settingsFor({ 'cluster-url': issuer.host, discovery: discovery(org), mode: 'plan' }), deps);
    expect(plan.failure).toBeUndefined();
    expect(deps.logger.lines).toContainEqual(
      expect.stringMatching(/^warning: The cluster's Teleport version could not be read \(.*\/webapi\/find\): .* needs 18\.8\.3, not checked/),
    );
    // A build that says a word instead of a version: the same, named.
    issuer.setState({ serverVersion: 'master' });
    const word = h.deps();
    expect((await runAction(settingsFor({ 'cluster-url': issuer.host, discovery: discovery(org), mode: 'plan' }), word)).failure).toBeUndefined();
    expect(word.logger.lines).toContainEqual(
      expect.stringMatching(/^warning: The cluster's Teleport version is "master", not a version \(.*\): .* needs 18\.7\.0; .* needs 18\.8\.3, not checked/),
    );
    issuer.setState({ serverVersion: '18.9.0' });
  });
});

describe('organization: import without a StackSet of ours', () => {
  it('member roles made another way (as the Terraform module has it): the file declares rollout none and says how to switch; a plan with it changes nothing', async () => {
    const { parseImportSettings } = await import('../src/config/import-inputs.js');
    const { importIntegrations } = await import('../src/engine/import.js');
    const org = await buildOrganization(motoUrl, LAYOUT);
    await applied({ discovery: discovery(org).replace('units: ', 'rollout: none\n      units: ') });
    const deps = h.deps();
    const settings = parseImportSettings((name) => ({ 'cluster-url': 'localhost', config: 'x.yml', mode: 'import' })[name] ?? '');
    const result = await importIntegrations(settings, { ...deps, tctl: deps.tctl! });
    const entry = result.entries.find((e) => e.integration === 'aws-test')!;
    expect((entry.entry.discovery as { matchers: { organization: unknown }[] }).matchers[0].organization).toEqual({
      id: org.id,
      units: { exclude: [org.units.sandbox] },
      rollout: 'none',
    });
    expect(entry.notes.join(' ')).toContain('declares rollout: none');
    expect(entry.pending).toEqual([]);
  });
});

describe('organization: what is not ours, and what was changed by hand', () => {
  it("destroy meets a StackSet of our name that is not this integration's: neither it nor its instances are deleted", async () => {
    const org = await buildOrganization(motoUrl, LAYOUT);
    await org.cloudformation.send(
      new CreateStackSetCommand({
        StackSetName: STACK_SET,
        TemplateBody: JSON.stringify({
          Resources: { R: { Type: 'AWS::IAM::Role', Properties: { RoleName: 'theirs', AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [] } } } },
        }),
        PermissionModel: 'SERVICE_MANAGED',
        Tags: [{ Key: 'team', Value: 'platform' }],
      }),
    );
    await org.cloudformation.send(
      new CreateStackInstancesCommand({ StackSetName: STACK_SET, Regions: ['us-east-1'], DeploymentTargets: { OrganizationalUnitIds: [org.units.prod] } }),
    );
    const before = await instanceAccounts(org);
    expect(before).toHaveLength(3);
    const result = await runAction(settingsFor({ discovery: discovery(org), mode: 'destroy', 'confirm-destroy': 'aws-test' }), h.deps());
    expect(result.changes.map((c) => c.action)).not.toContain('delete-stack-instances');
    expect(result.changes.map((c) => c.action)).not.toContain('delete-stack-set');
    expect(h.proxy.actions().filter((a) => /DeleteStack/.test(a))).toEqual([]);
    expect(await instanceAccounts(org)).toEqual(before);
    const { StackSet } = await org.cloudformation.send(new DescribeStackSetCommand({ StackSetName: STACK_SET }));
    expect(StackSet!.Status).toBe('ACTIVE');
  });

  it('automatic deployment edited by hand (retain stacks, or off): check reports it, apply restores it', async () => {
    const org = await buildOrganization(motoUrl, LAYOUT);
    const inputs = { discovery: discovery(org) };
    await applied(inputs);
    for (const edit of [
      { Enabled: true, RetainStacksOnAccountRemoval: true },
      { Enabled: false, RetainStacksOnAccountRemoval: false },
    ]) {
      await org.cloudformation.send(
        new UpdateStackSetCommand({ StackSetName: STACK_SET, UsePreviousTemplate: true, AutoDeployment: edit, Capabilities: ['CAPABILITY_NAMED_IAM'] }),
      );
      const check = await runAction(settingsFor({ ...inputs, mode: 'check' }), h.deps());
      const finding = check.findings.find((f) => f.resource === 'StackSet: update-stack-set');
      expect(finding?.message).toContain(`enabled ${edit.Enabled}, retain stacks ${edit.RetainStacksOnAccountRemoval}`);
      await applied(inputs);
      const { StackSet } = await org.cloudformation.send(new DescribeStackSetCommand({ StackSetName: STACK_SET }));
      expect(StackSet!.AutoDeployment).toEqual({ Enabled: true, RetainStacksOnAccountRemoval: false });
    }
  });

  it("the organization join token's spec.integration removed or changed by hand: check reports it, apply repairs it", async () => {
    const org = await buildOrganization(motoUrl, LAYOUT);
    const inputs = { discovery: discovery(org) };
    await applied(inputs);
    for (const edit of [(spec: Record<string, unknown>) => delete spec.integration, (spec: Record<string, unknown>) => (spec.integration = 'aws-other')]) {
      h.editStored('token', 'aws-test-ec2', (token) => edit(token.spec));
      const check = await runAction(settingsFor({ ...inputs, mode: 'check' }), h.deps());
      expect(check.findings.map((f) => f.message).join('\n')).toMatch(/spec\.integration/);
      await applied(inputs);
      expect(h.stored('token', 'aws-test-ec2')!.spec.integration).toBe('aws-test');
    }
  });

  it("the management account in scope without its own member role: its unit's row says missing and counts one fewer covered", async () => {
    const org = await buildOrganization(motoUrl, LAYOUT);
    const inputs = { discovery: discovery(org) };
    await applied(inputs);
    const before = await runAction(settingsFor({ ...inputs, mode: 'check' }), h.deps());
    expect(before.markdown).toMatch(new RegExp(`\\| Root \\(<code>${org.root}</code>\\) \\| 1 \\| 1 \\| – \\|`));
    await h.direct().send(new DeleteRolePolicyCommand({ RoleName: MEMBER_ROLE, PolicyName: 'TeleportEC2Discovery' }));
    await h.direct().send(new DeleteRoleCommand({ RoleName: MEMBER_ROLE }));
    const check = await runAction(settingsFor({ ...inputs, mode: 'check' }), h.deps());
    expect(check.markdown).toMatch(new RegExp(`\\| Root \\(<code>${org.root}</code>\\) \\| 1 \\| 0 \\| missing: ${ACCOUNT} \\|`));
    expect(check.markdown).toMatch(/\| \*\*Total\*\* \| \*\*4\*\* \| \*\*3\*\* \|/);
  });

  it('a unit of more than 20 accounts is read to its last page: an account on the second page without an instance is reported', async () => {
    const org = await buildOrganization(motoUrl, { prod: 23 });
    const inputs = { discovery: discovery(org, `{ include: [${org.units.prod}] }`) };
    await applied(inputs);
    const last = org.accounts.prod[22];
    await org.removeInstance(STACK_SET, last);
    const check = await runAction(settingsFor({ ...inputs, mode: 'check' }), h.deps());
    expect(h.proxy.actions().filter((a) => a === 'organizations:ListAccountsForParent').length).toBeGreaterThanOrEqual(2);
    const finding = check.findings.find((f) => f.resource === 'Member role: missing');
    expect(finding?.message).toContain(last);
    expect(finding?.message).toMatch(/^1 account in unit prod/);
  });
});
