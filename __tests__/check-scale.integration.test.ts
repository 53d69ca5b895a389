/**
 * Scheduled drift checks at scale, against moto: in one run over a config file, each shared
 * read happens once (ListRoles to its last page, each trusting role's tags, the Tagging API per
 * region, Teleport's lists), so calls grow linearly with the entries; IAM throttling slows the
 * run down instead of failing it.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CreateRoleCommand, GetRoleCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import { IAM_CONCURRENCY } from '../src/clients/aws.js';
import { Tctl } from '../src/clients/tctl.js';
import { parseConfigFile } from '../src/config/config-file.js';
import { runConfig } from '../src/engine/run-config.js';
import { PROVIDER_ARN, TCTL_STANDIN, useHarness } from './support/harness.js';
import { runStep } from './support/runner.js';
import { taggingStandIn } from './support/tagging-standin.js';
import { teleportTrustStatement } from '../src/resources/aws/trust-policy.js';
import { workerMotoUrl } from './support/worker.js';

const h = useHarness();
const motoUrl = workerMotoUrl();

const file = (count: number) =>
  ['cluster-url: localhost', 'cluster-name: teleport.example.com', 'integrations:']
    .concat(Array.from({ length: count }, (_, i) => `  - { integration: aws-scale-${i}, role-name: teleport-scale-${i} }`))
    .join('\n') + '\n';

async function run(count: number, mode: string, options: Parameters<typeof h.deps>[0] = {}) {
  const config = parseConfigFile('teleport.yml', file(count), (name) => ({ mode, 'fail-on-drift': 'false' })[name] ?? '');
  const deps = h.deps(options);
  const result = await runConfig(config, { aws: deps.aws, logger: deps.logger, tctlFor: () => new Tctl(TCTL_STANDIN) });
  return { ...result, deps };
}

/** Every third IAM read throttled, as a busy account's would be. */
function throttleEveryThirdIamRead(): void {
  let reads = 0;
  h.proxy.addFault({
    name: 'Throttling',
    on: (c) =>
      c.service === 'iam' && /^(Get|List)/.test(c.action) && ++reads % 3 === 0
        ? { kind: 'aws-error', status: 400, code: 'Throttling', message: 'Rate exceeded' }
        : undefined,
  });
}

const count = (action: string) => h.proxy.calls.filter((c) => c.action === action).length;

async function otherRoles(n: number, trusting = 0): Promise<void> {
  const iam = h.direct();
  const plain = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
  });
  const trusts = JSON.stringify({ Version: '2012-10-17', Statement: [teleportTrustStatement(PROVIDER_ARN, 'localhost')] });
  for (let i = 0; i < n; i += 10) {
    await Promise.all(
      Array.from({ length: Math.min(10, n - i) }, (_, j) =>
        iam.send(new CreateRoleCommand({ RoleName: `zz-other-${i + j}`, AssumeRolePolicyDocument: i + j < trusting ? trusts : plain })),
      ),
    );
  }
}

describe('check mode at scale', () => {
  it('reads what entries share once: ListRoles, trusting roles, the Tagging API per region, Teleport; each extra entry costs at most 4 AWS calls', async () => {
    await run(5, 'apply');
    await otherRoles(20, 2);
    const tagging = taggingStandIn(motoUrl);

    h.proxy.clear();
    h.proxy.addFault(tagging);
    const one = await run(1, 'check');
    expect(one.outcomes.map((o) => o.status)).toEqual(['done']);
    const oneCalls = h.proxy.calls.length;

    h.proxy.clear();
    h.proxy.addFault(tagging);
    const tctlBefore = h.tctlCalls().length;
    const five = await run(5, 'check');
    expect(five.outcomes.map((o) => o.status)).toEqual(['done', 'done', 'done', 'done', 'done']);
    // Once for the run, however many entries: a second listing fails this test.
    expect(count('ListRoles')).toBe(1);
    expect(count('GetResources')).toBe(1); // the job's region is the home region here: one region
    expect(count('GetCallerIdentity')).toBe(1);
    // Each entry reads its own role (whose tags then serve the others' trust scans); the tags of
    // the 2 other roles that trust the provider are read once each, not once per entry (5 x 6 before).
    expect(count('GetRole')).toBe(5 + 2);
    expect(
      h
        .tctlCalls()
        .slice(tctlBefore)
        .map((c) => c.argv.slice(0, 2).join(' '))
        .sort(),
    ).toEqual(['get discovery_config', 'get integrations']);
    expect((h.proxy.calls.length - oneCalls) / 4).toBeLessThanOrEqual(4);
    // Each entry still sees both undeclared trusting roles.
    for (const outcome of five.outcomes) {
      expect(outcome.status === 'done' && outcome.result.findings.filter((f) => f.resource === 'Other roles trusting the provider')).toHaveLength(2);
    }
  });

  it('reads every IAM list to its last page (ListRoles, ListRolePolicies)', async () => {
    await run(2, 'apply');
    // 11 other roles at 2 a page: the only role that trusts the provider is on the last page.
    await otherRoles(11);
    await h.direct().send(
      new CreateRoleCommand({
        RoleName: 'zzz-last',
        AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [teleportTrustStatement(PROVIDER_ARN, 'localhost')] }),
      }),
    );
    // Three inline policies at 2 a page: Teleport's EKS policy, undeclared, is on the second page.
    for (const name of ['AAA', 'BBB', 'EKSAccess']) {
      await h.direct().send(
        new PutRolePolicyCommand({
          RoleName: 'teleport-scale-0',
          PolicyName: name,
          PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'eks:ListClusters', Resource: '*' }] }),
        }),
      );
    }
    h.proxy.clear();
    h.proxy.addFault(taggingStandIn(motoUrl));
    const check = await run(2, 'check', { iamPageSize: 2 });
    expect(count('ListRoles')).toBe(Math.ceil((2 + 11 + 1) / 2));
    const first = check.outcomes[0];
    if (first.status !== 'done') throw new Error('entry failed');
    expect(first.result.findings.map((f) => f.target)).toContain('arn:aws:iam::123456789012:role/zzz-last');
    expect(first.result.annotations.map((a) => a.title)).toContain('Undeclared feature policy: EKSAccess');
  });

  it('IAM throttling halves the calls in flight and backs off with jitter, without failing the run', async () => {
    await run(5, 'apply');
    h.proxy.clear();
    h.proxy.addFault(taggingStandIn(motoUrl));
    throttleEveryThirdIamRead();
    const check = await run(5, 'check');
    expect(check.outcomes.map((o) => o.status)).toEqual(['done', 'done', 'done', 'done', 'done']);
    expect(h.proxy.injected.filter((i) => i.fault === 'Throttling').length).toBeGreaterThan(3);
    expect(check.deps.slept.length).toBeGreaterThan(3);
    expect(new Set(check.deps.slept).size).toBeGreaterThan(1); // jittered, not fixed
    expect(check.deps.aws.iamLimit.lowest).toBeLessThan(IAM_CONCURRENCY);
  });
});

describe('the bound on IAM calls in flight, counted at the emulator', () => {
  /** Every IAM call takes 100 ms at the emulator, so calls overlap as they do against AWS (long enough that a loaded machine still starts a whole wave before the first answer). */
  const slowIam = {
    name: 'slow IAM',
    standIn: true,
    on: (c: { service: string }) => (c.service === 'iam' ? { kind: 'before' as const, run: () => new Promise<void>((r) => setTimeout(r, 100)) } : undefined),
  };
  const iamInFlight = (from: number, to: number) =>
    Math.max(
      ...h.proxy.arrivals
        .filter((a) => a.service === 'iam')
        .slice(from, to)
        .map((a) => a.inFlight),
    );
  const getRoles = (aws: ReturnType<typeof h.deps>['aws'], n: number) =>
    Promise.all(Array.from({ length: n }, () => aws.send(aws.iam, new GetRoleCommand({ RoleName: 'bounded' }))));

  it('lets 16 IAM calls run at once, no more, and half as many after IAM throttles', async () => {
    await h.direct().send(new CreateRoleCommand({ RoleName: 'bounded', AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [] }) }));
    h.proxy.clear();
    h.proxy.addFault(slowIam);
    await getRoles(h.deps().aws, 48);
    expect(iamInFlight(0, 48)).toBe(IAM_CONCURRENCY);

    // A new run: its first three IAM calls are throttled while the other 13 of the first wave are in flight.
    h.proxy.clear();
    let throttled = 0;
    h.proxy.addFault({
      name: 'Throttling',
      on: (c) => (c.service === 'iam' && ++throttled <= 3 ? { kind: 'aws-error', status: 400, code: 'Throttling', message: 'Rate exceeded' } : undefined),
    });
    h.proxy.addFault(slowIam);
    const results = await getRoles(h.deps().aws, 48);
    expect(results).toHaveLength(48);
    // The next wave: the bound halved (three times, then won back one success at a time), so at most half as many run.
    expect(iamInFlight(IAM_CONCURRENCY, 2 * IAM_CONCURRENCY)).toBeLessThanOrEqual(IAM_CONCURRENCY / 2);
  });
});

describe('check mode at scale, through dist/index.js', () => {
  it('five entries with IAM throttled on every third read: green, the shared reads once, two tctl calls', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'workspace-'));
    writeFileSync(path.join(dir, 'teleport.yml'), file(5));
    const step = (inputs: Record<string, string>) =>
      runStep({ inputs: { config: 'teleport.yml', 'tctl-path': TCTL_STANDIN, ...inputs }, env: { ...h.stepEnv(), GITHUB_WORKSPACE: dir } });
    expect((await step({})).exitCode).toBe(0);
    await otherRoles(30, 3);
    h.proxy.clear();
    h.proxy.addFault(taggingStandIn(motoUrl));
    throttleEveryThirdIamRead();
    const check = await step({ mode: 'check', 'fail-on-drift': 'false' });
    expect(check.exitCode, check.stdout).toBe(0);
    expect(h.proxy.injected.filter((i) => i.fault === 'Throttling').length).toBeGreaterThan(3);
    // Retried calls count again at the proxy: count the ones that got through.
    const through = (action: string) => h.proxy.calls.filter((c) => c.action === action).length - h.proxy.injected.filter((i) => i.action === action).length;
    expect(through('ListRoles')).toBe(1);
    expect(through('GetResources')).toBe(1);
    expect(through('GetRole')).toBe(5 + 3); // each entry's own, then the tags of each other trusting role once
    expect(check.stdout).toMatch(/tctl calls: 2\b/);
    expect(JSON.parse(check.outputs.results)).toMatchObject({ 'aws-scale-0': { status: 'done' }, 'aws-scale-4': { status: 'done' } });
  });
});
