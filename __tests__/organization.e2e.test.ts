/** Organization discovery through the committed dist/index.js, as the runner runs it, against moto and the tctl stand-in. */
import { PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import { TCTL_STANDIN, useHarness } from './support/harness.js';
import { buildOrganization } from './support/organization.js';
import { runStep } from './support/runner.js';
import { taggingStandIn } from './support/tagging-standin.js';
import { workerMotoUrl } from './support/worker.js';

const h = useHarness();
const motoUrl = workerMotoUrl();

/** An organization, and a step of the action for it through dist/index.js. */
const setUp = async (layout: Record<string, number>) => {
  const org = await buildOrganization(motoUrl, layout);
  const inputs = {
    'cluster-url': 'localhost',
    integration: 'aws-e2e-org',
    'role-name': 'teleport-e2e-org',
    'cluster-name': 'teleport.example.com',
    'tctl-path': TCTL_STANDIN,
    discovery: `group: cloud-discovery-group\nmatchers:\n  - types: [ec2]\n    regions: ['*']\n    organization:\n      units: { include: [${org.units.prod}] }\n`,
  };

  // Polled every 20 ms instead of AWS's 10 s (docs/testing.md); the emulator chooses how many polls.
  const env = h.stepEnv({ TELEPORT_ACTION_TEST_OPERATION_POLL_MS: '20' });
  return {
    org,
    step: (extra: Record<string, string> = {}, more: Partial<Parameters<typeof runStep>[0]> = {}) => runStep({ inputs: { ...inputs, ...extra }, env, ...more }),
  };
};

describe('organization discovery through dist/index.js', () => {
  it('apply rolls the member role out, check reports an uncovered account by unit and fails the step, apply repairs it, destroy removes it', async () => {
    const { org, step } = await setUp({ prod: 3, sandbox: 1 });

    const first = await step();
    expect(first.exitCode, first.stdout).toBe(0);
    expect(first.summary).toMatch(/StackSet \| <code>stackset\/teleport-discovery-member-role-aws-e2e-org \(us-east-1\)<\/code> \| created/);
    expect(first.summary).toMatch(/Stack instances \| .* \| created/);

    const gone = org.accounts.prod[1];
    await org.removeInstance('teleport-discovery-member-role-aws-e2e-org', gone);
    h.proxy.addFault(taggingStandIn(motoUrl));
    const check = await step({ mode: 'check', 'fail-on-drift': 'true' });
    expect(check.exitCode).toBe(1);
    expect(check.stdout).toContain(`::error title=Drift%3A Member role%3A missing::1 account in unit prod (${org.units.prod})`);
    expect(check.stdout).toContain(gone);
    expect(check.summary).toMatch(/\| prod \(<code>ou-[a-z0-9-]+<\/code>\) \| 3 \| 2 \| missing: \d+ \|/);
    expect(check.outputs.drift).toBe('true');

    const repair = await step();
    expect(repair.exitCode).toBe(0);
    // The missing account's instance is created again.
    expect(repair.summary).toMatch(/Stack instances \| .* \| created \| create-stack-instances: 1 account in scope without the member role/);
    const clean = await step({ mode: 'check', 'fail-on-drift': 'true' });
    expect(clean.exitCode, clean.stdout).toBe(0);

    const destroyed = await step({ mode: 'destroy', 'confirm-destroy': 'aws-e2e-org' });
    expect(destroyed.exitCode, destroyed.stdout).toBe(0);
    expect(destroyed.summary).toMatch(/\| StackSet \| <code>stackset\/teleport-discovery-member-role-aws-e2e-org \(us-east-1\)<\/code> \| deleted \|/);
    expect(destroyed.summary).toMatch(/\| Stack instances \| .* \| deleted \|/);
  });
});

describe('organizations as AWS runs them, through dist/index.js', () => {
  it('apply with a slow operation shows its progress in a group; an account that fails ends the step naming it, its reason and what to do; the next apply retries only it', async () => {
    const { org, step } = await setUp({ prod: 4 });
    const denied = org.accounts.prod[3];
    await org.faults({ operationPolls: 8, fail: { [denied]: 'AccessDenied: explicit deny in a service control policy' } });
    const first = await step();
    expect(first.exitCode).toBe(1);
    expect(first.stdout).toMatch(/::group::StackSet teleport-discovery-member-role-aws-e2e-org: CREATE operation \S+\n/);
    expect(first.stdout).toMatch(/CREATE \S+ RUNNING: \d+ of 4 accounts done, [01] failed, \d+ s elapsed\n/);
    expect(first.stdout).toMatch(/CREATE \S+ SUCCEEDED after \d+ s, 1 account failed\n::endgroup::/);
    expect(first.stdout).toContain(
      `::error title=Organization%3A accounts without a member role::1 account in scope is left without a current member role by StackSet teleport-discovery-member-role-aws-e2e-org: ${denied} (AccessDenied: explicit deny in a service control policy: an SCP or permissions boundary denies`,
    );
    expect(first.summary).toContain('### Accounts without a member role');
    expect(first.summary).toMatch(new RegExp(`\\| ${denied} \\| AccessDenied: explicit deny in a service control policy \\| an SCP`));

    await org.faults({ operationPolls: 2, fail: {} });
    h.proxy.clear();
    const retry = await step();
    expect(retry.exitCode, retry.stdout).toBe(0);
    expect(retry.summary).toMatch(/Stack instances \| .* \| updated \| update-stack-instances: 1 instance FAILED or OUTDATED: deployed again/);
    expect(h.proxy.actions()).not.toContain('cloudformation:CreateStackInstances');
  });

  it('a run killed while its operation runs: the next one waits it out and starts nothing twice', async () => {
    const { org, step } = await setUp({ prod: 2 });
    await org.faults({ operationPolls: 60 });
    const killed = await step(
      {},
      {
        onSpawn: (child) =>
          child.stdout?.on('data', (chunk: Buffer) => {
            if (/CREATE \S+ RUNNING/.test(chunk.toString())) child.kill('SIGKILL');
          }),
      },
    );
    expect(killed.exitCode).toBe(128);
    h.proxy.clear();
    const next = await step();
    expect(next.exitCode, next.stdout).toBe(0);
    expect(next.stdout).toMatch(/CREATE operation \S+ is running \(an earlier run's, or AWS's automatic deployment\): waiting for it first/);
    expect(h.proxy.actions()).not.toContain('cloudformation:CreateStackInstances');
    expect(h.proxy.actions()).not.toContain('cloudformation:CreateStackSet');
  });

  it('check with detect-drift reports a member role changed inside its account, and apply makes it again', async () => {
    const { org, step } = await setUp({ prod: 2 });
    expect((await step()).exitCode).toBe(0);
    const edited = org.accounts.prod[0];
    await (
      await org.memberIam(edited)
    ).send(
      new PutRolePolicyCommand({
        RoleName: 'teleport-organization-discovery-child-account-role',
        PolicyName: 'TeleportEC2Discovery',
        PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }),
      }),
    );
    h.proxy.addFault(taggingStandIn(motoUrl));
    const check = await step({ mode: 'check', 'detect-drift': 'true' });
    expect(check.exitCode).toBe(1);
    expect(check.stdout).toContain(
      `::error title=Drift%3A Member role%3A DRIFTED::1 account in unit prod (${org.units.prod}) of organization ${org.id} has a member role changed inside the account since it was deployed`,
    );
    expect(check.stdout).toContain(`${edited} (teleport-organization-discovery-child-account-role/Policies/0/PolicyDocument changed)`);
    const repair = await step();
    expect(repair.exitCode, repair.stdout).toBe(0);
    expect(repair.summary).toMatch(/redeploy-stack-instances: 1 member role changed inside its account/);
    const clean = await step({ mode: 'check', 'detect-drift': 'true' });
    expect(clean.exitCode, clean.stdout).toBe(0);
  });
});
