/**
 * Organizations as AWS runs them: StackSet operations that take minutes, accounts that fail, a time
 * budget, member roles changed inside accounts and drift detection, against the emulator's StackSets
 * (scripts/emulator/stacksets.py), whose faults each test chooses.
 */
import { GetRolePolicyCommand, DeleteRoleCommand, DeleteRolePolicyCommand, GetRoleCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { RegisterDelegatedAdministratorCommand } from '@aws-sdk/client-organizations';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import {
  CloudFormationClient,
  CreateStackInstancesCommand,
  DescribeStackSetCommand,
  DescribeStackSetOperationCommand,
  ListStackInstancesCommand,
  ListStackSetOperationsCommand,
  StopStackSetOperationCommand,
  UpdateStackSetCommand,
} from '@aws-sdk/client-cloudformation';
import { describe, expect, it } from 'vitest';
import { runAction } from '../src/engine/run.js';
import { settingsFor, useHarness } from './support/harness.js';
import { buildOrganization, type BuiltOrganization } from './support/organization.js';
import { workerMotoUrl } from './support/worker.js';

const h = useHarness();
const motoUrl = workerMotoUrl();
const MEMBER_ROLE = 'teleport-organization-discovery-child-account-role';
const STACK_SET = 'teleport-discovery-member-role-aws-test';
const DENIED =
  'Account 1: AccessDenied: User: arn:aws:sts::1:assumed-role/stacksets-exec-1 is not authorized to perform: iam:CreateRole with an explicit deny in a service control policy';

const discovery = (org: BuiltOrganization) => `
group: cloud-discovery-group
matchers:
  - types: [ec2]
    regions: ['*']
    organization:
      units: { include: [${org.units.prod}] }
`;

async function instances(org: BuiltOrganization) {
  const { Summaries } = await org.cloudformation.send(new ListStackInstancesCommand({ StackSetName: STACK_SET }));
  return Object.fromEntries((Summaries ?? []).map((s) => [s.Account!, s]));
}

describe('organization: operations that take minutes', () => {
  it('says what a running operation is doing at least every 30 s, in a group, reading results in pages', async () => {
    const org = await buildOrganization(motoUrl, { prod: 3 });
    await org.faults({ operationPolls: 9 });
    const deps = h.deps();
    const result = await runAction(settingsFor({ discovery: discovery(org) }), deps);
    expect(result.failure).toBeUndefined();
    const lines = deps.logger.lines;
    const progress = lines.filter((l) => /^info: StackSet .*CREATE .* RUNNING: \d+ of 3 accounts done, \d+ failed, .* elapsed$/.test(l));
    // 9 polls 10 s apart (90 s): a line at the first, then whenever another poll would leave 30 s without one.
    expect(progress.length).toBeGreaterThanOrEqual(3);
    expect(progress.length).toBeLessThanOrEqual(9);
    expect(progress[0]).toMatch(/0 s elapsed/);
    const first = lines.findIndex((l) => l.startsWith('group: StackSet teleport-discovery-member-role-aws-test: CREATE operation'));
    expect(first).toBeGreaterThanOrEqual(0);
    expect(lines.indexOf('endgroup', first)).toBeGreaterThan(lines.indexOf(progress.at(-1)!));
    expect(lines.some((l) => /CREATE .* SUCCEEDED after 1 min 30 s/.test(l))).toBe(true);
    // One read a poll; results only when a line is written (and once at the end for the failed ones).
    const actions = h.proxy.actions();
    expect(actions.filter((a) => a === 'cloudformation:DescribeStackSetOperation').length).toBe(10);
    expect(actions.filter((a) => a === 'cloudformation:ListStackSetOperationResults').length).toBe(progress.length + 1);
    expect(Object.keys(await instances(org)).sort()).toEqual([...org.accounts.prod].sort());
  });

  it('past stackset-timeout the step fails saying the operation is left running; the next run waits for it and starts nothing twice', async () => {
    const org = await buildOrganization(motoUrl, { prod: 2 });
    await org.faults({ operationPolls: 20 });
    const inputs = { discovery: discovery(org) };
    const first = await runAction(settingsFor({ ...inputs, 'stackset-timeout': '1' }), h.deps());
    expect(first.failure).toMatch(/operation \S+ \(CREATE\) was still running after 1 min \(the stackset-timeout input\)\. It is left running/);
    expect(first.failure).toContain('The next run waits for it first');
    const { Summaries } = await org.cloudformation.send(new ListStackSetOperationsCommand({ StackSetName: STACK_SET }));
    expect(Summaries!.map((s) => s.Status)).toEqual(['RUNNING']);

    h.proxy.clear();
    const deps = h.deps();
    const second = await runAction(settingsFor(inputs), deps);
    expect(second.failure).toBeUndefined();
    expect(deps.logger.lines.some((l) => /CREATE operation \S+ is running \(an earlier run's/.test(l))).toBe(true);
    expect(h.proxy.actions()).not.toContain('cloudformation:CreateStackInstances');
    // Only Teleport's side, which the first run never reached.
    expect(second.changes.filter((c) => c.resource === 'stack-set' || c.resource === 'stack-instances')).toEqual([]);
    expect(Object.keys(await instances(org)).sort()).toEqual([...org.accounts.prod].sort());
  });

  it('a run killed in the middle of an operation: the next one waits it out before reading, and writes nothing it already wrote', async () => {
    const org = await buildOrganization(motoUrl, { prod: 2 });
    const inputs = { discovery: discovery(org) };
    await runAction(settingsFor(inputs), h.deps());
    const joined = await org.addAccount('prod', 'late');
    // What a killed run leaves: its operation, still running in AWS.
    await org.faults({ operationPolls: 5 });
    await org.cloudformation.send(
      new CreateStackInstancesCommand({ StackSetName: STACK_SET, Regions: ['us-east-1'], DeploymentTargets: { OrganizationalUnitIds: [org.units.prod] } }),
    );
    h.proxy.clear();
    const result = await runAction(settingsFor(inputs), h.deps());
    expect(result.failure).toBeUndefined();
    expect(result.changes).toEqual([]);
    expect(h.proxy.writes()).toEqual([]);
    expect((await instances(org))[joined].Status).toBe('CURRENT');
  });
});

describe("organization: automatic deployment's own operations", () => {
  it('an account that joins while apply runs: its deployment is waited out before apply reads or writes', async () => {
    const org = await buildOrganization(motoUrl, { prod: 2 });
    const inputs = { discovery: discovery(org) };
    await runAction(settingsFor(inputs), h.deps());
    await org.faults({ operationPolls: 4 });
    const joined = await org.addAccount('prod', 'joined');
    h.proxy.clear();
    const deps = h.deps();
    const result = await runAction(settingsFor(inputs), deps);
    expect(result.failure).toBeUndefined();
    expect(
      deps.logger.lines.some((l) => /CREATE operation \S+ is running \(an earlier run's, or AWS's automatic deployment\): waiting for it first/.test(l)),
    ).toBe(true);
    // Covered by AWS's operation, not by one of ours.
    expect(result.changes).toEqual([]);
    expect(h.proxy.writes()).toEqual([]);
    expect((await instances(org))[joined].Status).toBe('CURRENT');
  });
});

describe('organization: accounts that fail', () => {
  it('apply ends failed naming the account, AWS reason and what to do; check reports it; the next apply retries only it', async () => {
    const org = await buildOrganization(motoUrl, { prod: 3 });
    const [, denied] = org.accounts.prod;
    await org.faults({ fail: { [denied]: DENIED } });
    const inputs = { discovery: discovery(org) };
    const apply = await runAction(settingsFor(inputs), h.deps());
    // The set did not exist when read: after its writes apply reads the instances (once), and nothing else of the set.
    expect(h.proxy.actions().filter((a) => a === 'cloudformation:DescribeStackSet')).toHaveLength(1);
    expect(h.proxy.actions().filter((a) => a === 'cloudformation:ListStackInstances')).toHaveLength(1);
    // Within the failure tolerance the operation SUCCEEDS; the account is still left without its role.
    expect(apply.failure).toContain(`1 account in scope is left without a current member role by StackSet ${STACK_SET}: ${denied} (${DENIED}`);
    expect(apply.failure).toMatch(/an SCP or permissions boundary denies the IAM writes/);
    expect(apply.markdown).toContain('### Accounts without a member role');
    expect(apply.markdown).toMatch(new RegExp(`\\| ${denied} \\| Account 1: AccessDenied.*\\| an SCP`));
    expect(apply.annotations.map((a) => a.title)).toContain('Organization: accounts without a member role');
    expect(apply.report.rows.find((r) => r.resource === 'Stack instances')).toMatchObject({ status: 'failed', reason: expect.stringContaining(denied) });

    const check = await runAction(settingsFor({ ...inputs, mode: 'check' }), h.deps());
    const failed = check.findings.find((f) => f.resource === 'Member role: FAILED');
    expect(failed?.message).toContain(`${denied} (AWS: ${DENIED})`);

    await org.faults({ fail: {} });
    h.proxy.clear();
    const retry = await runAction(settingsFor(inputs), h.deps());
    expect(retry.failure).toBeUndefined();
    const update = retry.changes.find((c) => c.action === 'update-stack-instances');
    expect(update && 'accounts' in update ? update.accounts : []).toEqual([denied]);
    expect(h.proxy.actions()).not.toContain('cloudformation:CreateStackInstances');
    expect((await instances(org))[denied]).toMatchObject({ Status: 'CURRENT', StackInstanceStatus: { DetailedStatus: 'SUCCEEDED' } });
    await (await org.memberIam(denied)).send(new GetRoleCommand({ RoleName: MEMBER_ROLE }));
  });

  it('every account is attempted whatever fails elsewhere (a tolerance of 100 %): the step names each failed account and reports the rest as not attempted, never as unchanged', async () => {
    const org = await buildOrganization(motoUrl, { prod: 3 });
    const [first, second, third] = org.accounts.prod;
    await org.faults({ fail: { [first]: 'Role already exists', [second]: 'Role already exists' } });
    const result = await runAction(settingsFor({ discovery: discovery(org) }), h.deps());
    expect(result.failure).toContain(
      `2 accounts in scope are left without a current member role by StackSet ${STACK_SET}: ${[first, second].sort().join(', ')} (Role already exists: a role named`,
    );
    expect((await instances(org))[third].Status).toBe('CURRENT');
  });

  it('a write that fails stops apply: the rows after it say not attempted, never unchanged', async () => {
    const org = await buildOrganization(motoUrl, { prod: 1 });
    h.proxy.addFault({
      name: 'denied',
      on: ({ action }) =>
        action === 'CreateStackInstances'
          ? { kind: 'aws-error', status: 400, code: 'ValidationError', message: 'Account used is not a delegated administrator' }
          : undefined,
    });
    const result = await runAction(settingsFor({ discovery: discovery(org) }), h.deps());
    expect(result.failure).toMatch(/create-stack-instances on stackset\/\S+ \(us-east-1\) failed/);
    const rows = Object.fromEntries(result.report.rows.map((r) => [r.resource, r]));
    expect(rows['Stack instances'].status).toBe('failed');
    expect(rows['Teleport integration']).toMatchObject({
      status: 'not attempted',
      reason: expect.stringMatching(/^create-integration: .*\(not attempted: an earlier change failed\)$/),
    });
    expect(rows['Teleport discovery_config'].status).toBe('not attempted');
  });

  it('an account skipped while suspended and active again has no member role: check reports it, apply deploys it', async () => {
    const org = await buildOrganization(motoUrl, { prod: 2 });
    const [skipped] = org.accounts.prod;
    await org.suspend([skipped]);
    const inputs = { discovery: discovery(org) };
    expect((await runAction(settingsFor(inputs), h.deps())).failure).toBeUndefined();
    expect((await instances(org))[skipped].StackInstanceStatus?.DetailedStatus).toBe('SKIPPED_SUSPENDED_ACCOUNT');
    await org.activate([skipped]);
    const check = await runAction(settingsFor({ ...inputs, mode: 'check' }), h.deps());
    expect(check.findings.find((f) => f.resource === 'Member role: OUTDATED')?.message).toContain(`${skipped} (AWS: The account is suspended)`);
    const repair = await runAction(settingsFor(inputs), h.deps());
    expect(repair.failure).toBeUndefined();
    expect((await instances(org))[skipped].Status).toBe('CURRENT');
    await (await org.memberIam(skipped)).send(new GetRoleCommand({ RoleName: MEMBER_ROLE }));
  });

  it('a suspended account, read through the tree, is said suspended, never in scope and missing', async () => {
    const org = await buildOrganization(motoUrl, { prod: 2 });
    const inputs = { discovery: discovery(org) };
    await runAction(settingsFor(inputs), h.deps());
    await org.suspend([org.accounts.prod[0]]);
    const check = await runAction(settingsFor({ ...inputs, mode: 'check' }), h.deps());
    expect(check.findings).toEqual([]);
    expect(check.markdown).toContain(`Suspended or closing, noted and not drift: ${org.accounts.prod[0]}`);
    expect(check.report.rows.find((r) => r.resource === 'Organization coverage')?.reason).toMatch(
      /^1 of 1 account in scope has a current member role; 1 suspended/,
    );
  });
});

describe('organization: member roles changed inside accounts', () => {
  it('check reads DriftStatus always, runs a detection with detect-drift, reports each drifted account with what differs; apply makes them again, and a fresh detection says IN_SYNC', async () => {
    const org = await buildOrganization(motoUrl, { prod: 3 });
    const [edited, deleted] = org.accounts.prod;
    const inputs = { discovery: discovery(org) };
    await runAction(settingsFor(inputs), h.deps());
    const iam = await org.memberIam(edited);
    const wide = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
    await iam.send(new PutRolePolicyCommand({ RoleName: MEMBER_ROLE, PolicyName: 'TeleportEC2Discovery', PolicyDocument: JSON.stringify(wide) }));
    const gone = await org.memberIam(deleted);
    await gone.send(new DeleteRolePolicyCommand({ RoleName: MEMBER_ROLE, PolicyName: 'TeleportEC2Discovery' }));
    await gone.send(new DeleteRoleCommand({ RoleName: MEMBER_ROLE }));

    // Without a detection the instances still say CURRENT: nothing is drift, and the check says why.
    const blind = await runAction(settingsFor({ ...inputs, mode: 'check' }), h.deps());
    expect(blind.findings).toEqual([]);
    expect(blind.annotations.find((a) => a.title === 'Member roles: drift detection')?.message).toMatch(/never run drift detection/);
    expect(h.proxy.actions()).not.toContain('cloudformation:DetectStackSetDrift');

    h.proxy.clear();
    const check = await runAction(settingsFor({ ...inputs, mode: 'check', 'detect-drift': 'true' }), h.deps());
    expect(h.proxy.actions()).toContain('cloudformation:DetectStackSetDrift');
    const drifted = check.findings.find((f) => f.resource === 'Member role: DRIFTED');
    // One finding for the unit: the repair apply would make is not a second one.
    expect(check.findings.map((f) => f.resource)).toEqual(['Member role: DRIFTED']);
    expect(drifted?.target).toBe(`prod (${org.units.prod})`);
    expect(drifted?.message).toContain(`${edited} (${MEMBER_ROLE}/Policies/0/PolicyDocument changed)`);
    expect(drifted?.message).toContain(`${deleted} (${MEMBER_ROLE} deleted)`);
    expect(h.proxy.writes().map((w) => w.action)).toEqual(['DetectStackSetDrift']);
    expect(check.annotations.map((a) => a.title)).not.toContain('Member roles: drift detection');

    const plan = await runAction(settingsFor({ ...inputs, mode: 'plan' }), h.deps());
    expect(plan.changes.map((c) => c.action)).toEqual(['redeploy-stack-instances']);
    const repair = await runAction(settingsFor(inputs), h.deps());
    expect(repair.failure).toBeUndefined();
    const { PolicyDocument } = await iam.send(new GetRolePolicyCommand({ RoleName: MEMBER_ROLE, PolicyName: 'TeleportEC2Discovery' }));
    expect(JSON.parse(decodeURIComponent(PolicyDocument!)).Statement[0].Action).toContain('ec2:DescribeInstances');
    await gone.send(new GetRoleCommand({ RoleName: MEMBER_ROLE }));

    const fresh = await runAction(settingsFor({ ...inputs, mode: 'check', 'detect-drift': 'true' }), h.deps());
    expect(fresh.findings).toEqual([]);
    expect(Object.values(await instances(org)).map((i) => i.DriftStatus)).toEqual(['IN_SYNC', 'IN_SYNC', 'IN_SYNC']);
  });
});

describe('organization: an operation stopped before some accounts', () => {
  it('leaves their instances OUTDATED; apply deploys exactly those again', async () => {
    const org = await buildOrganization(motoUrl, { prod: 4 });
    const inputs = { discovery: discovery(org) };
    await runAction(settingsFor(inputs), h.deps());
    // Someone updates the set by hand and stops the operation after its first accounts.
    await org.faults({ operationPolls: 3 });
    const { StackSet } = await org.cloudformation.send(new DescribeStackSetCommand({ StackSetName: STACK_SET }));
    const { OperationId } = await org.cloudformation.send(
      new UpdateStackSetCommand({ StackSetName: STACK_SET, TemplateBody: StackSet!.TemplateBody, Capabilities: ['CAPABILITY_NAMED_IAM'] }),
    );
    await org.cloudformation.send(new DescribeStackSetOperationCommand({ StackSetName: STACK_SET, OperationId }));
    await org.cloudformation.send(new StopStackSetOperationCommand({ StackSetName: STACK_SET, OperationId }));
    await org.faults({ operationPolls: 0 });
    const stopped = Object.values(await instances(org))
      .filter((i) => i.Status === 'OUTDATED')
      .map((i) => i.Account!);
    expect(stopped.length).toBeGreaterThan(0);
    const check = await runAction(settingsFor({ ...inputs, mode: 'check' }), h.deps());
    expect(check.drift).toBe(true);
    const repair = await runAction(settingsFor(inputs), h.deps());
    expect(repair.failure).toBeUndefined();
    const update = repair.changes.find((c) => c.action === 'update-stack-instances');
    expect(update && 'accounts' in update ? [...update.accounts].sort() : []).toEqual(stopped.sort());
    expect(Object.values(await instances(org)).every((i) => i.Status === 'CURRENT')).toBe(true);
  });
});

describe('organization: throttled list calls', () => {
  it('Organizations and CloudFormation lists that answer TooManyRequestsException or Throttling are retried with back-off', async () => {
    const org = await buildOrganization(motoUrl, { prod: 2 });
    h.proxy.addFault({
      name: 'throttled',
      on: ({ action, count }) =>
        (action === 'ListAccountsForParent' && count === 1) ||
        (action === 'ListChildren' && count === 1) ||
        (action === 'ListOrganizationalUnitsForParent' && count === 1)
          ? {
              kind: 'aws-error',
              status: 400,
              code: 'TooManyRequestsException',
              message: 'AWS Organizations cannot complete your request because another request is already in progress',
            }
          : action === 'ListStackInstances' && count <= 2
            ? { kind: 'aws-error', status: 400, code: 'Throttling', message: 'Rate exceeded' }
            : undefined,
    });
    const deps = h.deps();
    const result = await runAction(settingsFor({ discovery: discovery(org) }), deps);
    expect(result.failure).toBeUndefined();
    expect(deps.logger.lines.filter((l) => /organizations:List\w+ failed \(TooManyRequestsException\); retry 1/.test(l)).length).toBeGreaterThan(0);
    expect(deps.logger.lines.filter((l) => /cloudformation:ListStackInstances failed \(Throttling\); retry [12]/.test(l))).toHaveLength(2);
    // Backed off: every retry waited, the second longer than none.
    expect(deps.slept.filter((ms) => ms > 0).length).toBeGreaterThanOrEqual(3);
    expect(Object.keys(await instances(org))).toHaveLength(2);
  });
});

describe('organization: from a delegated administrator', () => {
  /** A member account's credentials: the role Organizations makes in every account it creates. */
  async function credentialsOf(account: string) {
    const sts = new STSClient({ endpoint: motoUrl, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    const { Credentials } = await sts.send(
      new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${account}:role/OrganizationAccountAccessRole`, RoleSessionName: 'delegated' }),
    );
    return { accessKeyId: Credentials!.AccessKeyId!, secretAccessKey: Credentials!.SecretAccessKey!, sessionToken: Credentials!.SessionToken };
  }

  /** Runs the action as that account, as the job would with its credentials. */
  async function asAccount<T>(account: string, run: () => Promise<T>): Promise<T> {
    const credentials = await credentialsOf(account);
    const names = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'] as const;
    const before = names.map((name) => process.env[name]);
    Object.assign(process.env, {
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      AWS_SESSION_TOKEN: credentials.sessionToken,
    });
    try {
      return await run();
    } finally {
      names.forEach((name, i) => (before[i] === undefined ? delete process.env[name] : (process.env[name] = before[i])));
    }
  }

  it('an account registered for StackSets reads the tree, rolls the member role out with CallAs DELEGATED_ADMIN, and checks it; an unregistered one is told where to run', async () => {
    const org = await buildOrganization(motoUrl, { admin: 1, prod: 2 });
    const [admin] = org.accounts.admin;
    const inputs = { discovery: discovery(org) };
    // Not registered: Organizations refuses the tree, and the step says where to run.
    await expect(asAccount(admin, () => runAction(settingsFor(inputs), h.deps()))).rejects.toThrow(
      /Organizations refused to list the organization's accounts.*delegated administrator/s,
    );

    await org.organizations.send(
      new RegisterDelegatedAdministratorCommand({ AccountId: admin, ServicePrincipal: 'member.org.stacksets.cloudformation.amazonaws.com' }),
    );
    const result = await asAccount(admin, () => runAction(settingsFor(inputs), h.deps()));
    expect(result.failure).toBeUndefined();
    expect(result.identity.account).toBe(admin);
    // The set lives in the delegated administrator's account: without CallAs DELEGATED_ADMIN it is not found.
    const adminCloudFormation = new CloudFormationClient({ endpoint: motoUrl, region: 'us-east-1', credentials: await credentialsOf(admin) });
    await expect(adminCloudFormation.send(new ListStackInstancesCommand({ StackSetName: STACK_SET }))).rejects.toThrow(/not found/i);
    const { Summaries } = await adminCloudFormation.send(new ListStackInstancesCommand({ StackSetName: STACK_SET, CallAs: 'DELEGATED_ADMIN' }));
    expect(Summaries!.map((s) => s.Account).sort()).toEqual([...org.accounts.prod].sort());
    await (await org.memberIam(org.accounts.prod[0])).send(new GetRoleCommand({ RoleName: MEMBER_ROLE }));

    const check = await asAccount(admin, () => runAction(settingsFor({ ...inputs, mode: 'check', 'detect-drift': 'true' }), h.deps()));
    expect(check.findings).toEqual([]);
    const again = await asAccount(admin, () => runAction(settingsFor(inputs), h.deps()));
    expect(again.changes).toEqual([]);
  });
});
