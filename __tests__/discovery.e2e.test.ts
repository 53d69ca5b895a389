/** Discovery through the committed dist/index.js, as the runner runs it, against moto and the tctl stand-in. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TCTL_STANDIN, useHarness } from './support/harness.js';
import { runStep } from './support/runner.js';
import { taggingStandIn } from './support/tagging-standin.js';
import { workerMotoUrl } from './support/worker.js';

const h = useHarness();
const motoUrl = workerMotoUrl();

const DISCOVERY = `group: cloud-discovery-group
matchers:
  - types: [ec2]
    regions: [us-east-1]
    tags: { env: prod }
  - types: [eks]
`;
const inputs = {
  'cluster-url': 'localhost',
  integration: 'aws-e2e-disc',
  'role-name': 'teleport-e2e-disc',
  'cluster-name': 'teleport.example.com',
  'tctl-path': TCTL_STANDIN,
  discovery: DISCOVERY,
};
const step = (extra: Record<string, string> = {}) => runStep({ inputs: { ...inputs, ...extra }, env: h.stepEnv() });

describe('discovery through dist/index.js', () => {
  it('apply writes both Teleport resources and the permissions, a re-run writes nothing, check shows health, destroy removes them first', async () => {
    const first = await step();
    expect(first.exitCode, first.stdout).toBe(0);
    expect(JSON.parse(first.outputs.discovery)).toMatchObject({
      'discovery-config': { name: 'aws-e2e-disc', status: 'created' },
      'join-token': { name: 'aws-e2e-disc-ec2', status: 'created' },
      permissions: { policy: 'TeleportDiscovery', status: 'created', 'covered-by': [] },
    });
    expect(first.summary).toMatch(/Teleport discovery_config \| <code>discovery_config\/aws-e2e-disc<\/code> \| created/);
    expect(first.summary).toMatch(/Teleport join token \| <code>token\/aws-e2e-disc-ec2<\/code> \| created/);
    expect(h.stored('discovery_config', 'aws-e2e-disc')!.spec.aws[0].install.join_token).toBe('aws-e2e-disc-ec2');

    h.proxy.clear();
    const writes = h.tctlWrites();
    const second = await step();
    expect(second.exitCode).toBe(0);
    expect(second.outputs.changes).toBe('false');
    expect(h.proxy.writes()).toEqual([]);
    expect(h.tctlWrites()).toBe(writes);
    expect(second.stdout).toMatch(/tctl calls: 3/);

    // The Discovery Service reports, and one instance cannot be enrolled.
    h.editStored('discovery_config', 'aws-e2e-disc', (c) => {
      c.status = {
        state: 'DISCOVERY_CONFIG_STATE_RUNNING',
        integration_discovered_resources: { 'aws-e2e-disc': { aws_ec2: { found: 3, enrolled: 2, failed: 1 } } },
      };
    });
    h.seed({
      kind: 'user_task',
      version: 'v1',
      metadata: { name: 'task-1' },
      spec: {
        integration: 'aws-e2e-disc',
        task_type: 'discover-ec2',
        issue_type: 'ec2-ssm-agent-not-registered',
        state: 'OPEN',
        discover_ec2: { region: 'us-east-1', instances: { 'i-0abc': { instance_id: 'i-0abc' } } },
      },
    });
    h.proxy.addFault(taggingStandIn(motoUrl));
    const check = await step({ mode: 'check' });
    expect(check.exitCode, check.stdout).toBe(0);
    expect(check.summary).toContain('### Discovery health');
    expect(check.summary).toContain('| aws_ec2 | 3 | 2 | 1 |');
    expect(check.stdout).toMatch(/::warning title=Discovery unhealthy%3A ec2-ssm-agent-not-registered::ec2-ssm-agent-not-registered: 1 instance in us-east-1/);
    expect(JSON.parse(check.outputs.discovery).health).toMatchObject({ state: 'RUNNING', found: 3, 'open-tasks': { 'ec2-ssm-agent-not-registered': 1 } });
    const strict = await step({ mode: 'check', 'fail-on-unhealthy': 'true' });
    expect(strict.exitCode).toBe(1);
    expect(strict.stdout).toMatch(/::error::.*Discovery is unhealthy \(fail-on-unhealthy\)/);

    const before = h.tctlCalls().length;
    const destroy = await step({ mode: 'destroy', 'confirm-destroy': 'aws-e2e-disc' });
    expect(destroy.exitCode, destroy.stdout).toBe(0);
    expect(
      h
        .tctlCalls()
        .slice(before)
        .filter((c) => c.write)
        .map((c) => c.argv.join(' ')),
    ).toEqual(['rm discovery_config/aws-e2e-disc', 'rm token/aws-e2e-disc-ec2', 'rm integration/aws-e2e-disc']);
  });

  it('a config file gives every entry the top-level discovery unless the entry declares its own', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'workspace-'));
    writeFileSync(
      path.join(dir, 'teleport.yml'),
      `cluster-url: localhost
cluster-name: teleport.example.com
discovery:
  group: cloud-discovery-group
  matchers: [{ types: [rds], regions: [us-east-1] }]
integrations:
  - integration: aws-disc-a
    role-name: teleport-disc-a
  - integration: aws-disc-b
    role-name: teleport-disc-b
    discovery: { group: team-b, matchers: [{ types: [eks] }] }
`,
    );
    const result = await runStep({ inputs: { config: 'teleport.yml', 'tctl-path': TCTL_STANDIN }, env: { ...h.stepEnv(), GITHUB_WORKSPACE: dir } });
    expect(result.exitCode, result.stdout).toBe(0);
    expect(JSON.parse(result.outputs.results)['aws-disc-b'].discovery).toMatchObject({ 'discovery-config': { name: 'aws-disc-b', status: 'created' } });
    expect(h.stored('discovery_config', 'aws-disc-a')!.spec).toMatchObject({ discovery_group: 'cloud-discovery-group', aws: [{ types: ['rds'] }] });
    expect(h.stored('discovery_config', 'aws-disc-b')!.spec).toMatchObject({ discovery_group: 'team-b', aws: [{ types: ['eks'], regions: ['*'] }] });
    // No EC2 matcher: no join token.
    expect(h.stored('token', 'aws-disc-a-ec2')).toBeUndefined();
    // Both entries listed discovery_configs with one call.
    expect(h.tctlCalls().filter((c) => c.argv.join(' ') === 'get discovery_config --format=json')).toHaveLength(1);
  });

  it('six entries discovering EC2: the join tokens read by name (never listed), all in one tctl call once they exist, and a re-run writes nothing', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'workspace-'));
    const entries = Array.from({ length: 6 }, (_, i) => `  - { integration: aws-tok-${i}, role-name: teleport-tok-${i} }`);
    writeFileSync(
      path.join(dir, 'teleport.yml'),
      [
        'cluster-url: localhost',
        'cluster-name: teleport.example.com',
        'discovery:',
        '  group: cloud-discovery-group',
        '  matchers: [{ types: [ec2], regions: [us-east-1] }]',
        'integrations:',
        ...entries,
      ].join('\n') + '\n',
    );
    const step = () => runStep({ inputs: { config: 'teleport.yml', 'tctl-path': TCTL_STANDIN }, env: { ...h.stepEnv(), GITHUB_WORKSPACE: dir } });
    const names = Array.from({ length: 6 }, (_, i) => `aws-tok-${i}-ec2`);
    const together = `get ${names.map((n) => `token/${n}`).join(',')}`;
    const tokenReads = (from: number) =>
      h
        .tctlCalls()
        .slice(from)
        .map((c) => c.argv.join(' '))
        .filter((argv) => /^get tokens?\b|^get token\//.test(argv));
    // First run: the tokens do not exist yet, so the one call fails whole and each is read by name.
    expect((await step()).exitCode).toBe(0);
    for (const name of names) expect(h.stored('token', name)).toBeDefined();
    expect(tokenReads(0).sort()).toEqual([together, ...names.map((n) => `get token/${n} --format=json`)].sort());
    const before = h.tctlCalls().length;
    const again = await step();
    expect(again.exitCode, again.stdout).toBe(0);
    expect(again.outputs.changes).toBe('false');
    expect(
      h
        .tctlCalls()
        .slice(before)
        .filter((c) => c.write),
    ).toEqual([]);
    // Once they exist: one call for all six, each by its name.
    expect(tokenReads(before)).toEqual([together]);
    expect(again.stdout).toMatch(/tctl calls: 3\b/);
  });
});
