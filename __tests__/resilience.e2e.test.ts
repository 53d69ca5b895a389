/** Killed runs, simultaneous runs and a missing tctl, with dist/index.js run as the runner runs it. */
import { ListOpenIDConnectProvidersCommand, ListRolesCommand } from '@aws-sdk/client-iam';
import type { ChildProcess } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { TCTL_STANDIN, useHarness } from './support/harness.js';
import { runStep } from './support/runner.js';

const h = useHarness();
const inputs = {
  'cluster-url': 'localhost',
  integration: 'aws-res',
  'role-name': 'teleport-res-role',
  'cluster-name': 'teleport.example.com',
  'tctl-path': TCTL_STANDIN,
};

function env(extra: Record<string, string> = {}) {
  return h.stepEnv(extra);
}

async function inventory() {
  const iam = h.direct();
  return {
    providers: ((await iam.send(new ListOpenIDConnectProvidersCommand({}))).OpenIDConnectProviderList ?? []).length,
    roles: ((await iam.send(new ListRolesCommand({}))).Roles ?? []).map((r) => r.RoleName),
    integration: h.storedIntegration('aws-res')?.spec.aws_oidc.role_arn,
  };
}

/** Kills the running action (SIGKILL, no cleanup) when it sends `action` to AWS; AWS never sees that request. */
function killOn(action: string, nth = 1) {
  let child: ChildProcess | undefined;
  h.proxy.addFault({
    name: `kill on ${action}`,
    on: (c) => (c.action === action && c.count === nth ? { kind: 'before', run: async () => void child?.kill('SIGKILL'), thenDrop: true } : undefined),
  });
  return (spawned: ChildProcess) => (child = spawned);
}

describe('a run killed half-way is completed by the next apply, with no duplicates', () => {
  it('killed after the provider exists but before the role', async () => {
    const killed = await runStep({ inputs, env: env(), onSpawn: killOn('CreateRole') });
    expect(killed.exitCode).not.toBe(0);
    expect(await inventory()).toEqual({ providers: 1, roles: [], integration: undefined });

    h.proxy.clear();
    const next = await runStep({ inputs, env: env() });
    expect(next.exitCode).toBe(0);
    expect(JSON.parse(next.outputs.plan).map((c: { action: string }) => c.action)).toEqual(['create-role', 'create-integration']);
    expect(h.proxy.actions()).not.toContain('iam:CreateOpenIDConnectProvider');
    expect(await inventory()).toEqual({ providers: 1, roles: ['teleport-res-role'], integration: 'arn:aws:iam::123456789012:role/teleport-res-role' });
  });

  it('killed after AWS is done but before tctl', async () => {
    // The last AWS call of a first apply is the read that waits for the new role to show.
    const killed = await runStep({ inputs, env: env(), onSpawn: killOn('GetRole', 2) });
    expect(killed.exitCode).not.toBe(0);
    expect(await inventory()).toEqual({ providers: 1, roles: ['teleport-res-role'], integration: undefined });
    expect(h.tctlWrites()).toBe(0);

    h.proxy.clear();
    const next = await runStep({ inputs, env: env() });
    expect(next.exitCode).toBe(0);
    expect(JSON.parse(next.outputs.plan).map((c: { action: string }) => c.action)).toEqual(['create-integration']);
    expect(h.proxy.writes()).toEqual([]);
    expect(await inventory()).toEqual({ providers: 1, roles: ['teleport-res-role'], integration: 'arn:aws:iam::123456789012:role/teleport-res-role' });
  });
});

describe('two applies started at the same moment', () => {
  it('both end green with one provider and one role', async () => {
    // Hold each run's first create until the other run sends the same create: both really race.
    for (const action of ['CreateOpenIDConnectProvider', 'CreateRole']) {
      let release: () => void = () => {};
      const bothArrived = new Promise<void>((resolve) => (release = resolve));
      h.proxy.addFault({
        name: `barrier on ${action}`,
        on: (c) => {
          if (c.action !== action) return undefined;
          if (c.count >= 2) release();
          return { kind: 'before', run: () => Promise.race([bothArrived, new Promise<void>((r) => setTimeout(r, 5_000))]) };
        },
      });
    }
    const [a, b] = await Promise.all([runStep({ inputs, env: env() }), runStep({ inputs, env: env() })]);
    expect([a.exitCode, b.exitCode]).toEqual([0, 0]);
    expect(await inventory()).toEqual({ providers: 1, roles: ['teleport-res-role'], integration: 'arn:aws:iam::123456789012:role/teleport-res-role' });
    // Both tried to create; whoever lost the race re-observed instead of failing.
    expect(h.proxy.calls.filter((c) => c.action === 'CreateOpenIDConnectProvider').length).toBe(2);
    expect(h.proxy.calls.filter((c) => c.action === 'CreateRole').length).toBe(2);
    expect(`${a.stdout}${b.stdout}`).toMatch(/was created by another run meanwhile/);
  });
});

describe('tctl missing', () => {
  it('not on PATH: the AWS side is done, then an error with the fix', async () => {
    const result = await runStep({
      inputs: { ...inputs, 'tctl-path': 'tctl' },
      env: env({
        PATH: `${process.env.PATH?.split(':')
          .filter((p) => !p.includes('fake-tctl'))
          .join(':')}`,
      }),
    });
    expect(result.exitCode).toBe(1);
    const error = result.stdout.split('\n').find((l) => l.startsWith('::error::')) ?? '';
    expect(error).toContain('The AWS side was reconciled');
    expect(error).toContain('tctl at \\"tctl\\" was not found'.replace(/\\"/g, '"'));
    expect(error).toContain('teleport-actions/setup');
    expect(error).toContain('skip-teleport: true');
    expect((await inventory()).roles).toEqual(['teleport-res-role']);
  });
});
