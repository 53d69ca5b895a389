/** Discovery as code, both sides, against moto (real AWS SDK over HTTP) and the tctl stand-in. */
import { GetRolePolicyCommand, ListRolePoliciesCommand } from '@aws-sdk/client-iam';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runAction } from '../src/engine/run.js';
import { ACCOUNT, settingsFor, useHarness } from './support/harness.js';

const h = useHarness();
const ROLE = 'teleport-test-role';
const LABELS = { 'teleport.dev/integration': 'aws-test', 'teleport.dev/iac-tool': 'teleport-aws-oidc-integration-action' };

const EC2_ONLY = `
group: cloud-discovery-group
matchers:
  - types: [ec2]
    regions: [us-east-1]
    tags: { env: prod }
`;
const EVERYTHING = `
group: prod-discovery
labels: { team: platform }
matchers:
  - types: [ec2]
    regions: [us-east-1, eu-west-1]
    tags: { env: [prod, staging], team: platform }
  - types: [eks, rds]
    regions: ["*"]
    setup-access-for-arn: arn:aws:iam::${ACCOUNT}:role/eks-admin
`;

async function inlinePolicy(name: string): Promise<{ Statement: { Action: string[] }[] }> {
  const { PolicyDocument } = await h.direct().send(new GetRolePolicyCommand({ RoleName: ROLE, PolicyName: name }));
  return JSON.parse(decodeURIComponent(PolicyDocument!));
}

async function apply(inputs: Record<string, string>) {
  const result = await runAction(settingsFor(inputs), h.deps());
  expect(result.failure).toBeUndefined();
  h.proxy.clear();
  return result;
}

const tctlWritesSince = (before: number) =>
  h
    .tctlCalls()
    .slice(before)
    .filter((c) => c.write);

describe('discovery: apply', () => {
  it('writes the token, the discovery_config with every field explicit, and the permissions; a re-run writes nothing', async () => {
    const result = await runAction(settingsFor({ discovery: EVERYTHING }), h.deps());
    expect(result.failure).toBeUndefined();
    // The token before the discovery_config that names it, both after the integration.
    expect(result.changes.map((c) => c.action)).toEqual(
      expect.arrayContaining(['create-integration', 'create-join-token', 'create-discovery-config', 'create-role-policy']),
    );
    const order = result.changes.map((c) => c.action).filter((a) => ['create-integration', 'create-join-token', 'create-discovery-config'].includes(a));
    expect(order).toEqual(['create-integration', 'create-join-token', 'create-discovery-config']);

    const token = h.stored('token', 'aws-test-ec2')!;
    expect(token.spec).toEqual({ roles: ['Node'], join_method: 'iam', allow: [{ aws_account: ACCOUNT }] });
    expect(token.metadata.labels).toEqual({ ...LABELS, team: 'platform' });
    expect(token.metadata.expires).toBeUndefined();

    const config = h.stored('discovery_config', 'aws-test')!;
    expect(config.metadata.labels).toEqual({ ...LABELS, team: 'platform' });
    expect(config.spec.discovery_group).toBe('prod-discovery');
    expect(config.spec.aws).toEqual([
      {
        types: ['ec2'],
        regions: ['us-east-1', 'eu-west-1'],
        tags: { env: ['prod', 'staging'], team: 'platform' },
        integration: 'aws-test',
        // Every field written: Teleport's defaults never decide (sshd_config is the stand-in's default, as Teleport's).
        install: {
          enroll_mode: 1,
          install_teleport: true,
          join_method: 'iam',
          join_token: 'aws-test-ec2',
          script_name: 'default-installer',
          sshd_config: '/etc/ssh/sshd_config',
        },
        // No ec2-ssm document declared: the AWS-managed one, as Teleport's module does.
        ssm: { document_name: 'AWS-RunShellScript' },
      },
      {
        types: ['eks', 'rds'],
        regions: ['*'],
        tags: { '*': '*' },
        integration: 'aws-test',
        setup_access_for_arn: `arn:aws:iam::${ACCOUNT}:role/eks-admin`,
      },
    ]);
    // The Terraform module's list per type, plus account:ListRegions for "*", in one inline policy.
    const policy = await inlinePolicy('TeleportDiscovery');
    expect(policy.Statement[0].Action.sort()).toEqual(
      [
        'account:ListRegions',
        'ec2:DescribeInstances',
        'ssm:DescribeInstanceInformation',
        'ssm:GetCommandInvocation',
        'ssm:ListCommandInvocations',
        'ssm:SendCommand',
        'eks:ListClusters',
        'eks:DescribeCluster',
        'eks:ListAccessEntries',
        'eks:DescribeAccessEntry',
        'eks:CreateAccessEntry',
        'eks:DeleteAccessEntry',
        'eks:AssociateAccessPolicy',
        'eks:TagResource',
        'eks:UpdateAccessEntry',
        'rds:DescribeDBClusters',
        'rds:DescribeDBInstances',
      ].sort(),
    );
    const outputs = JSON.parse(result.outputs.discovery);
    expect(outputs).toMatchObject({
      'discovery-config': { name: 'aws-test', status: 'created' },
      'join-token': { name: 'aws-test-ec2', status: 'created' },
      permissions: { policy: 'TeleportDiscovery', status: 'created' },
    });

    h.proxy.clear();
    const before = h.tctlCalls().length;
    const again = await runAction(settingsFor({ discovery: EVERYTHING }), h.deps());
    expect(again.failure).toBeUndefined();
    expect(again.changes).toEqual([]);
    expect(h.proxy.writes()).toEqual([]);
    expect(tctlWritesSince(before)).toEqual([]);
    // A no-op apply reads the integration, lists discovery_configs and reads the token by name: three tctl calls.
    expect(
      h
        .tctlCalls()
        .slice(before)
        .map((c) => c.argv.slice(0, 2).join(' '))
        .sort(),
    ).toEqual(['get discovery_config', 'get integration/aws-test', 'get token/aws-test-ec2']);
  });

  it('reuses the feature policies that cover discovery, and says which policy gains what', async () => {
    const result = await apply({ discovery: EVERYTHING, features: 'ec2-ssm:\n  regions: [us-east-1, eu-west-1]\neks:\nrds:' });
    const policy = await inlinePolicy('TeleportDiscovery');
    // Only what EC2DiscoverWithSSM, EKSAccess and ListDatabases do not grant.
    expect(policy.Statement[0].Action.sort()).toEqual(['account:ListRegions', 'eks:DescribeAccessEntry', 'eks:UpdateAccessEntry']);
    const reason = result.changes.find((c) => c.action === 'create-role-policy' && c.policyName === 'TeleportDiscovery')!.reason;
    expect(reason).toContain('discovery matchers need account:ListRegions, eks:DescribeAccessEntry, eks:UpdateAccessEntry');
    expect(reason).toMatch(/already granted by EC2DiscoverWithSSM \(5 actions\), EKSAccess \(7 actions\), ListDatabases \(2 actions\)/);
    expect(result.markdown).toContain('Inline policy TeleportDiscovery (discovery, new): 3 added, 0 removed');
    // ec2-ssm keeps its own document: the EC2 matcher uses it.
    expect(h.stored('discovery_config', 'aws-test')!.spec.aws[0].ssm).toEqual({ document_name: 'TeleportDiscoveryInstaller' });
  });

  it('needs no discovery policy when the features cover every action', async () => {
    await apply({ discovery: EC2_ONLY, features: 'ec2-ssm:\n  regions: [us-east-1]' });
    const names = (await h.direct().send(new ListRolePoliciesCommand({ RoleName: ROLE }))).PolicyNames;
    expect(names).toEqual(['EC2DiscoverWithSSM']);
  });

  it('stops before any call when EC2 would use our SSM document in a region ec2-ssm does not keep it in', async () => {
    const inputs = { discovery: EC2_ONLY.replace('[us-east-1]', '[us-east-1, eu-west-1]'), features: 'ec2-ssm:\n  regions: [us-east-1]' };
    await expect(runAction(settingsFor(inputs), h.deps())).rejects.toThrow(/eu-west-1 with SSM document TeleportDiscoveryInstaller.*ec2-ssm regions/);
    expect(h.proxy.writes()).toEqual([]);
    expect(h.tctlCalls()).toEqual([]);
  });

  it('reads Teleport defaults, status, revision, a one-item tag list and the enum name as no change', async () => {
    await apply({ discovery: EC2_ONLY });
    h.editStored('discovery_config', 'aws-test', (c) => {
      c.metadata.revision = 'changed-by-teleport';
      c.spec.aws[0].tags = { env: ['prod'] };
      c.spec.aws[0].install.enroll_mode = 'INSTALL_PARAM_ENROLL_MODE_SCRIPT';
      c.spec.aws[0].install.public_proxy_addr = '';
      c.status = { state: 'DISCOVERY_CONFIG_STATE_RUNNING', discovered_resources: 3 };
    });
    h.editStored('token', 'aws-test-ec2', (t) => {
      t.metadata.expires = '3000-01-01T00:00:00Z';
      t.spec.roles = ['node'];
    });
    const before = h.tctlCalls().length;
    const result = await runAction(settingsFor({ discovery: EC2_ONLY }), h.deps());
    expect(result.changes).toEqual([]);
    expect(tctlWritesSince(before)).toEqual([]);
  });
});

describe('discovery: plan and check', () => {
  it('shows every drifted field, fails check, and apply repairs them keeping the status', async () => {
    await apply({ discovery: EC2_ONLY });
    h.editStored('discovery_config', 'aws-test', (c) => {
      c.spec.aws[0].regions = ['us-east-1', 'us-west-2'];
      c.spec.aws[0].install.join_token = 'someone-elses-token';
      c.spec.discovery_group = 'other-group';
      c.status = { state: 'DISCOVERY_CONFIG_STATE_RUNNING' };
    });
    h.editStored('token', 'aws-test-ec2', (t) => t.spec.allow.push({ aws_account: '999999999999' }));

    const plan = await runAction(settingsFor({ discovery: EC2_ONLY, mode: 'plan' }), h.deps());
    expect(h.proxy.writes()).toEqual([]);
    const update = plan.changes.find((c) => c.action === 'update-discovery-config')!;
    expect(update).toMatchObject({
      fields: [
        { field: 'spec.discovery_group', live: 'other-group', declared: 'cloud-discovery-group' },
        { field: 'spec.aws[0].regions', live: 'us-east-1, us-west-2', declared: 'us-east-1' },
        { field: 'spec.aws[0].install.join_token', live: 'someone-elses-token', declared: 'aws-test-ec2' },
      ],
    });
    expect(plan.changes.find((c) => c.action === 'update-join-token')).toMatchObject({
      fields: [{ field: 'spec.allow', live: 'account 123456789012, account 999999999999', declared: 'account 123456789012' }],
    });
    expect(plan.markdown).toContain('discovery_config/aws-test: 3 fields to change');
    expect(plan.markdown).toContain('<code>spec.aws[0].install.join_token</code> | someone-elses-token | aws-test-ec2');

    const check = await runAction(settingsFor({ discovery: EC2_ONLY, mode: 'check' }), h.deps());
    expect(check.drift).toBe(true);
    expect(check.failure).toMatch(/Drift found/);
    expect(check.annotations.filter((a) => a.title.startsWith('Drift: Teleport'))).toHaveLength(2);

    const before = h.tctlCalls().length;
    await apply({ discovery: EC2_ONLY });
    expect(tctlWritesSince(before).map((c) => c.argv.join(' '))).toEqual(['create --force', 'create --force']);
    const repaired = h.stored('discovery_config', 'aws-test')!;
    expect(repaired.spec.discovery_group).toBe('cloud-discovery-group');
    expect(repaired.status).toEqual({ state: 'DISCOVERY_CONFIG_STATE_RUNNING' });
    expect(h.stored('token', 'aws-test-ec2')!.spec.allow).toEqual([{ aws_account: ACCOUNT }]);
  });

  it('warns about a discovery_config made elsewhere that uses the integration, and never touches it', async () => {
    await apply({ discovery: EC2_ONLY });
    const webUi = {
      kind: 'discovery_config',
      version: 'v1',
      metadata: { name: 'web-ui-made' },
      spec: { discovery_group: 'cloud-discovery-group', aws: [{ types: ['rds'], regions: ['us-east-1'], integration: 'aws-test' }] },
    };
    h.seed(webUi);
    h.seed({ ...webUi, metadata: { name: 'unrelated' }, spec: { ...webUi.spec, aws: [{ types: ['rds'], regions: ['us-east-1'], integration: 'aws-other' }] } });
    const before = h.tctlCalls().length;
    const check = await runAction(settingsFor({ discovery: EC2_ONLY, mode: 'check' }), h.deps());
    expect(check.drift).toBe(false);
    const warnings = check.annotations.filter((a) => a.title.startsWith('discovery_config not in code'));
    expect(warnings.map((a) => a.title)).toEqual(['discovery_config not in code: web-ui-made']);
    expect(warnings[0].message).toContain('destroy refuses while it exists');
    expect(tctlWritesSince(before)).toEqual([]);
    // Without discovery declared, check names it too.
    const plain = await runAction(settingsFor({ mode: 'check' }), h.deps());
    expect(plain.annotations.some((a) => a.title === 'discovery_config not in code: web-ui-made')).toBe(true);
  });

  it("a Discovery Service's synthetic discovery_config (its static configuration) is not one made outside the workflow: no warning, no refused destroy, never touched", async () => {
    await apply({ discovery: EC2_ONLY });
    // As a Discovery Service with the integration in its teleport.yaml publishes it (api/types/discoveryconfig: SubKindSynthetic).
    h.seed({
      kind: 'discovery_config',
      sub_kind: 'synthetic',
      version: 'v1',
      metadata: { name: 'synthetic-00000000-0000-0000-0000-000000000001', labels: { 'teleport.internal/discovery-group-name': 'static' } },
      spec: { discovery_group: 'synthetic-00000000-0000-0000-0000-000000000001', aws: [{ types: ['ec2'], regions: ['eu-west-1'], integration: 'aws-test' }] },
    });
    const check = await runAction(settingsFor({ discovery: EC2_ONLY, mode: 'check' }), h.deps());
    expect(check.findings).toEqual([]);
    expect(check.annotations.filter((a) => a.title.startsWith('discovery_config not in code'))).toEqual([]);
    const before = h.tctlCalls().length;
    const destroyed = await runAction(settingsFor({ discovery: EC2_ONLY, mode: 'destroy', 'confirm-destroy': 'aws-test' }), h.deps());
    expect(destroyed.failure).toBeUndefined();
    expect(h.stored('integration', 'aws-test')).toBeUndefined();
    expect(tctlWritesSince(before).filter((c) => c.argv.join(' ').includes('synthetic-'))).toEqual([]);
    expect(h.stored('discovery_config', 'synthetic-00000000-0000-0000-0000-000000000001')).toBeDefined();
  });

  it('reports a discovery_config of ours left behind by a rename, or by dropping discovery, as drift', async () => {
    await apply({ discovery: EC2_ONLY });
    const renamed = `name: aws-test-renamed\n${EC2_ONLY}`;
    await apply({ discovery: renamed });
    const check = await runAction(settingsFor({ discovery: renamed, mode: 'check' }), h.deps());
    expect(check.drift).toBe(true);
    expect(check.findings.map((f) => f.target)).toEqual(['discovery_config/aws-test']);
    expect(check.findings[0].message).toContain('now declares aws-test-renamed');
    const dropped = await runAction(settingsFor({ mode: 'check' }), h.deps());
    expect(dropped.findings.map((f) => f.target).sort()).toEqual(['discovery_config/aws-test', 'discovery_config/aws-test-renamed']);
    expect(dropped.findings[0].message).toContain('is no longer declared');
  });

  it('reports health: an ERROR state, counts, and the open user tasks of this integration per issue type', async () => {
    await apply({ discovery: EC2_ONLY });
    h.editStored('discovery_config', 'aws-test', (c) => {
      c.status = {
        state: 'DISCOVERY_CONFIG_STATE_ERROR',
        error_message: 'AccessDenied: not authorized to perform ssm:SendCommand',
        last_sync_time: '2026-11-30T04:00:00Z',
        integration_discovered_resources: { 'aws-test': { aws_ec2: { found: 5, enrolled: 2, failed: 3 } } },
      };
    });
    const task = (name: string, spec: Record<string, unknown>) => h.seed({ kind: 'user_task', version: 'v1', metadata: { name }, spec });
    const ec2 = (region: string, ids: string[]) => ({
      account_id: ACCOUNT,
      region,
      ssm_document: 'AWS-RunShellScript',
      instances: Object.fromEntries(ids.map((id) => [id, { instance_id: id, discovery_config: 'aws-test', discovery_group: 'cloud-discovery-group' }])),
    });
    const open = { integration: 'aws-test', task_type: 'discover-ec2', state: 'OPEN' };
    task('t1', { ...open, issue_type: 'ec2-ssm-agent-not-registered', discover_ec2: ec2('us-east-1', ['i-1', 'i-2']) });
    task('t2', { ...open, issue_type: 'ec2-ssm-agent-not-registered', discover_ec2: ec2('eu-west-1', ['i-3']) });
    // lowerCamelCase, as protojson may print it; an issue type Teleport added later.
    task('t3', { integration: 'aws-test', taskType: 'discover-ec2', issueType: 'ec2-brand-new-issue', state: 'OPEN', discoverEc2: ec2('us-east-1', ['i-4']) });
    task('resolved', { ...open, state: 'RESOLVED', issue_type: 'ec2-ssm-script-failure', discover_ec2: ec2('us-east-1', ['i-5']) });
    task('other', { ...open, integration: 'aws-other', issue_type: 'ec2-ssm-script-failure', discover_ec2: ec2('us-east-1', ['i-6']) });

    const check = await runAction(settingsFor({ discovery: EC2_ONLY, mode: 'check' }), h.deps());
    expect(check.drift).toBe(false);
    expect(check.failure).toBeUndefined(); // health problems are warnings by default
    const health = check.annotations.filter((a) => a.title.startsWith('Discovery unhealthy'));
    expect(health.map((a) => [a.level, a.title])).toEqual([
      ['warning', 'Discovery unhealthy: state'],
      ['warning', 'Discovery unhealthy: ec2-brand-new-issue'],
      ['warning', 'Discovery unhealthy: ec2-ssm-agent-not-registered'],
    ]);
    expect(health[0].message).toContain('is in ERROR: AccessDenied: not authorized to perform ssm:SendCommand');
    expect(health[2].message).toContain('3 instances in eu-west-1, us-east-1 (2 open user tasks)');
    expect(health[2].message).toContain('AmazonSSMManagedInstanceCore');
    expect(check.markdown).toContain('### Discovery health');
    expect(check.markdown).toContain('| aws_ec2 | 5 | 2 | 3 |');
    expect(check.markdown).not.toContain('ec2-ssm-script-failure');
    expect(JSON.parse(check.outputs.discovery).health).toEqual({
      state: 'ERROR',
      found: 5,
      enrolled: 2,
      failed: 3,
      'open-tasks': { 'ec2-brand-new-issue': 1, 'ec2-ssm-agent-not-registered': 3 },
    });

    const strict = await runAction(settingsFor({ discovery: EC2_ONLY, mode: 'check', 'fail-on-unhealthy': 'true' }), h.deps());
    expect(strict.failure).toMatch(/Discovery is unhealthy \(fail-on-unhealthy\)/);
    expect(strict.annotations.filter((a) => a.title.startsWith('Discovery unhealthy')).every((a) => a.level === 'error')).toBe(true);
  });

  it('says when no Discovery Service of the group has reported', async () => {
    await apply({ discovery: EC2_ONLY });
    const check = await runAction(settingsFor({ discovery: EC2_ONLY, mode: 'check' }), h.deps());
    const state = check.annotations.find((a) => a.title === 'Discovery unhealthy: state')!;
    expect(state.message).toContain('No Discovery Service of group "cloud-discovery-group" has reported');
    expect(check.report.verdict).toBe('no drift; discovery unhealthy: 1 problem');
  });
});

describe('discovery: ownership', () => {
  const handMade = {
    kind: 'discovery_config',
    version: 'v1',
    metadata: { name: 'aws-test' },
    spec: { discovery_group: 'cloud-discovery-group', aws: [{ types: ['ec2'], regions: ['us-east-1'], integration: 'aws-test' }] },
  };

  it('refuses a discovery_config with our name but without our labels, writing nothing, unless adopting', async () => {
    h.seed(handMade);
    const refused = await runAction(settingsFor({ discovery: EC2_ONLY }), h.deps());
    expect(refused.failure).toMatch(/discovery_config\/aws-test exists but is not labelled for integration aws-test.*adopt-existing-discovery/);
    expect(h.proxy.writes()).toEqual([]);
    expect(h.tctlCalls().filter((c) => c.write)).toEqual([]);

    const adopted = await runAction(settingsFor({ discovery: EC2_ONLY, 'adopt-existing-discovery': 'true' }), h.deps());
    expect(adopted.failure).toBeUndefined();
    expect(adopted.changes.find((c) => c.action === 'update-discovery-config')!.reason).toMatch(/^taken over \(adopt-existing-discovery\)/);
    expect(h.stored('discovery_config', 'aws-test')!.metadata.labels).toEqual(LABELS);
  });

  it('never takes one labelled by another tool or for another integration, even when adopting', async () => {
    h.seed({ ...handMade, metadata: { name: 'aws-test', labels: { 'teleport.dev/iac-tool': 'terraform', 'teleport.dev/integration': 'aws-test' } } });
    const refused = await runAction(settingsFor({ discovery: EC2_ONLY, 'adopt-existing-discovery': 'true' }), h.deps());
    expect(refused.failure).toMatch(/belongs to someone else \(teleport.dev\/integration=aws-test, teleport.dev\/iac-tool=terraform\)/);
    expect(h.stored('discovery_config', 'aws-test')!.metadata.labels['teleport.dev/iac-tool']).toBe('terraform');
  });
});

describe('discovery: destroy', () => {
  it('deletes our discovery_config and token before the integration; a second destroy writes nothing', async () => {
    await apply({ discovery: EC2_ONLY });
    const before = h.tctlCalls().length;
    const result = await runAction(settingsFor({ discovery: EC2_ONLY, mode: 'destroy', 'confirm-destroy': 'aws-test' }), h.deps());
    expect(result.failure).toBeUndefined();
    expect(tctlWritesSince(before).map((c) => c.argv.join(' '))).toEqual(['rm discovery_config/aws-test', 'rm token/aws-test-ec2', 'rm integration/aws-test']);
    expect(h.stored('discovery_config', 'aws-test')).toBeUndefined();
    expect(h.stored('token', 'aws-test-ec2')).toBeUndefined();
    expect(result.markdown).toMatch(/Teleport discovery_config \| <code>discovery_config\/aws-test<\/code> \| deleted/);

    const mid = h.tctlCalls().length;
    const again = await runAction(settingsFor({ discovery: EC2_ONLY, mode: 'destroy', 'confirm-destroy': 'aws-test' }), h.deps());
    expect(again.failure).toBeUndefined();
    expect(tctlWritesSince(mid)).toEqual([]);
  });

  it('refuses before the first deletion while a discovery_config it does not own uses the integration, naming it', async () => {
    await apply({ discovery: EC2_ONLY });
    h.seed({
      kind: 'discovery_config',
      version: 'v1',
      metadata: { name: 'access-graph-sync' },
      spec: { discovery_group: 'g', access_graph: { aws: [{ integration: 'aws-test' }] } },
    });
    h.proxy.clear();
    const before = h.tctlCalls().length;
    // Even without discovery declared: the integration is about to go.
    const result = await runAction(settingsFor({ mode: 'destroy', 'confirm-destroy': 'aws-test' }), h.deps());
    expect(result.failure).toMatch(/discovery_config access-graph-sync uses integration aws-test.*Nothing was deleted/);
    expect(tctlWritesSince(before)).toEqual([]);
    expect(h.proxy.writes()).toEqual([]);
    expect(h.stored('integration', 'aws-test')).toBeDefined();
  });

  it('without discovery declared, goes on when the role may not read tokens', async () => {
    await apply({});
    writeFileSync(path.join(h.tctlDir(), 'deny-token'), '');
    const result = await runAction(settingsFor({ mode: 'destroy', 'confirm-destroy': 'aws-test' }), h.deps());
    expect(result.failure).toBeUndefined();
    expect(h.stored('integration', 'aws-test')).toBeUndefined();
  });

  it('stops, deleting nothing, when tctl may not list discovery_configs, naming the missing rule', async () => {
    await apply({});
    writeFileSync(path.join(h.tctlDir(), 'deny-discovery_config'), 'list\n');
    h.proxy.clear();
    await expect(runAction(settingsFor({ mode: 'destroy', 'confirm-destroy': 'aws-test' }), h.deps())).rejects.toThrow(
      /lacks the rule \{ resources: \[discovery_config\], verbs: \[list\] \}.*Nothing was deleted/s,
    );
    expect(h.proxy.writes()).toEqual([]);
  });
});

describe('discovery: Teleport RBAC', () => {
  it('apply reconciles AWS, then fails naming the rule tctl says is missing', async () => {
    writeFileSync(path.join(h.tctlDir(), 'deny-token'), 'read\n');
    const result = await runAction(settingsFor({ discovery: EC2_ONLY }), h.deps());
    expect(result.failure).toMatch(/The AWS side was reconciled.*\{ resources: \[token\], verbs: \[read\] \}/s);
    expect(h.tctlCalls().filter((c) => c.write)).toEqual([]);
  });
});
