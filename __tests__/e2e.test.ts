/** End to end: the committed dist/index.js, run as the GitHub runner runs it, against moto and the tctl stand-in. */
import { CreateRoleCommand, GetRoleCommand, UntagRoleCommand, UpdateAssumeRolePolicyCommand } from '@aws-sdk/client-iam';
import { taggingStandIn } from './support/tagging-standin.js';
import { workerMotoUrl } from './support/worker.js';
import { describe, expect, inject, it } from 'vitest';
import { teleportTrustStatement } from '../src/resources/aws/trust-policy.js';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT, TCTL_STANDIN, useHarness } from './support/harness.js';
import { runStep } from './support/runner.js';
import { PARAMETERIZED_FEATURES } from './support/teleport-policies.js';

const h = useHarness();
const issuer = inject('issuer');

function awsEnv(): Record<string, string> {
  return h.stepEnv();
}

const inputs = {
  'cluster-url': 'https://localhost:443/',
  integration: 'aws-e2e',
  'role-name': 'teleport-e2e-role',
  'cluster-name': '',
  tags: 'team=platform\ncost-center=1234',
  'role-description': 'Used by Teleport to provide access to AWS resources.',
  'adopt-existing-role': 'false',
  'adopt-existing-provider': 'false',
  mode: 'apply',
  'tctl-path': TCTL_STANDIN,
  'skip-teleport': 'false',
  regions: '',
  'fail-on-drift': '',
  'github-token': '',
  'comment-on-pr': 'true',
  features: '',
  'adopt-existing-document': 'false',
  'account-id': '',
};

describe('dist/index.js as the runner runs it', () => {
  it('creates everything, then a second run writes nothing', async () => {
    const first = await runStep({ inputs, env: awsEnv() });
    expect(first.stderr).toBe('');
    expect(first.exitCode).toBe(0);
    expect(first.outputs).toMatchObject({
      'provider-arn': 'arn:aws:iam::123456789012:oidc-provider/localhost',
      'role-arn': 'arn:aws:iam::123456789012:role/teleport-e2e-role',
      'account-id': '123456789012',
      changes: 'true',
      drift: 'false',
    });
    expect(JSON.parse(first.outputs.plan).map((c: { action: string }) => c.action)).toEqual(['create-provider', 'create-role', 'create-integration']);
    expect(first.summary).toContain('## Teleport AWS OIDC integration: apply');
    expect(first.summary).toContain('3 changes applied');
    expect(first.summary).toMatch(/OIDC provider \| <code>arn:aws:iam::123456789012:oidc-provider\/localhost<\/code> \| created/);
    expect(first.stdout).toMatch(/::notice title=OIDC provider%3A create-provider::Applied to arn:aws:iam::123456789012:oidc-provider\/localhost/);
    expect(h.storedIntegration('aws-e2e')).toMatchObject({ spec: { aws_oidc: { role_arn: 'arn:aws:iam::123456789012:role/teleport-e2e-role' } } });
    // The cluster name came from the issuer's /webapi/find.
    expect(first.summary).toContain(`cluster <code>${issuer.clusterName}</code>`);

    h.proxy.clear();
    const tctlWrites = h.tctlWrites();
    const second = await runStep({ inputs, env: awsEnv() });
    expect(second.exitCode).toBe(0);
    expect(second.outputs.changes).toBe('false');
    expect(second.outputs.plan).toBe('[]');
    expect(h.proxy.calls.length).toBeGreaterThan(0);
    expect(h.proxy.writes()).toEqual([]);
    expect(h.tctlWrites()).toBe(tctlWrites);
    expect(second.summary).toContain('no changes: everything matches');
    expect(second.stdout).not.toContain('::notice');
  });

  it('with features (one with a document in two regions) and account-id: creates them, then writes nothing', async () => {
    const withFeatures = { ...inputs, features: 'eks, access-graph\n', 'account-id': '123456789012' };
    const first = await runStep({ inputs: { ...withFeatures, features: 'eks:\naccess-graph:\nec2-ssm:\n  regions: [us-east-1, eu-west-1]' }, env: awsEnv() });
    expect(first.exitCode, first.stdout).toBe(0);
    expect(JSON.parse(first.outputs.features)).toEqual({
      'ec2-ssm': { policy: 'EC2DiscoverWithSSM', status: 'created', documents: { 'us-east-1': 'created', 'eu-west-1': 'created' } },
      eks: { policy: 'EKSAccess', status: 'created' },
      'access-graph': { policy: 'AccessGraphSyncAccess', status: 'created' },
    });
    expect(first.summary).toContain('Inline policy AccessGraphSyncAccess (feature access-graph, new): 48 added, 0 removed');
    expect(
      h.proxy
        .writes()
        .filter((c) => c.service === 'ssm')
        .map((c) => `${c.action} ${c.region}`)
        .sort(),
    ).toEqual(['CreateDocument eu-west-1', 'CreateDocument us-east-1']);

    h.proxy.clear();
    const second = await runStep({ inputs: { ...withFeatures, features: 'eks:\naccess-graph:\nec2-ssm:\n  regions: [us-east-1, eu-west-1]' }, env: awsEnv() });
    expect(second.exitCode).toBe(0);
    expect(second.outputs.changes).toBe('false');
    expect(h.proxy.writes()).toEqual([]);
    expect(second.stdout).toMatch(/AWS calls: 10 \(0 writes\)/);

    // The comma form declares the same features minus ec2-ssm: nothing is removed, nothing written.
    h.proxy.clear();
    const third = await runStep({ inputs: withFeatures, env: awsEnv() });
    expect(third.exitCode).toBe(0);
    expect(h.proxy.writes()).toEqual([]);

    // Access Graph's event sources and session summaries: access-graph's policy gains their statements, Bedrock's is created.
    h.proxy.clear();
    const fourth = await runStep({
      inputs: { ...withFeatures, features: `eks:\n${PARAMETERIZED_FEATURES('123456789012')}deploy-service: { task-role: TeleportDatabaseServiceTask }\n` },
      env: awsEnv(),
    });
    expect(fourth.exitCode, fourth.stdout).toBe(0);
    expect(JSON.parse(fourth.outputs.features)).toMatchObject({
      'access-graph': { policy: 'AccessGraphSyncAccess', status: 'updated' },
      'session-summaries': { policy: 'TeleportBedrockSessionSummariesAccess', status: 'created' },
    });
    expect(fourth.summary).toContain('+ Allow sqs:ReceiveMessage on arn:aws:sqs:us-west-2:123456789012:cloudtrail-events');
    expect(fourth.summary).toContain('+ Allow bedrock:InvokeModel on arn:aws:bedrock:*::foundation-model/anthropic.claude-v2');
    expect(fourth.summary).toMatch(/Task role \(deploy-service\) \| <code>arn:aws:iam::123456789012:role\/TeleportDatabaseServiceTask<\/code> \| created/);
    // Three policies on the integration role (access-graph's, Bedrock's, DeployService), then the task role and its policy.
    expect(h.proxy.writes().map((c) => c.action)).toEqual(['PutRolePolicy', 'PutRolePolicy', 'PutRolePolicy', 'CreateRole', 'PutRolePolicy']);

    h.proxy.clear();
    const noModel = await runStep({ inputs: { ...withFeatures, features: 'session-summaries:' }, env: awsEnv() });
    expect(noModel.exitCode).toBe(1);
    expect(noModel.stdout).toMatch(/::error::Input 'features': line 1: session-summaries: missing model/);
    expect(h.proxy.calls).toEqual([]);

    const wrongAccount = await runStep({ inputs: { ...withFeatures, 'account-id': '210987654321' }, env: awsEnv() });
    expect(wrongAccount.exitCode).toBe(1);
    expect(wrongAccount.stdout).toMatch(/::error::The AWS credentials are for account 123456789012 .*but account-id is 210987654321/);
  });

  it('makes a console role assumable (aws-app-access roles), then writes nothing; check fails when its statement is removed', async () => {
    const ec2 = { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' };
    await h
      .direct()
      .send(new CreateRoleCommand({ RoleName: 'ConsoleReadOnly', AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [ec2] }) }));
    const withRoles = { ...inputs, features: 'aws-app-access: { roles: [ConsoleReadOnly] }' };
    const first = await runStep({ inputs: withRoles, env: awsEnv() });
    expect(first.exitCode, first.stdout).toBe(0);
    expect(first.summary).toMatch(/Console roles \(aws-app-access\) \| <code>ConsoleReadOnly<\/code> \| updated/);
    const { Role } = await h.direct().send(new GetRoleCommand({ RoleName: 'ConsoleReadOnly' }));
    expect(JSON.parse(decodeURIComponent(Role!.AssumeRolePolicyDocument!)).Statement).toEqual([
      ec2,
      { Sid: 'TeleportConsoleAccessawse2e', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:role/teleport-e2e-role' }, Action: 'sts:AssumeRole' },
    ]);
    expect(Role!.Tags).toEqual(expect.arrayContaining([{ Key: 'teleport.dev/integration', Value: 'true' }]));

    h.proxy.clear();
    const second = await runStep({ inputs: withRoles, env: awsEnv() });
    expect(second.exitCode).toBe(0);
    expect(h.proxy.writes()).toEqual([]);

    await h
      .direct()
      .send(new UpdateAssumeRolePolicyCommand({ RoleName: 'ConsoleReadOnly', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [ec2] }) }));
    h.proxy.addFault(taggingStandIn(workerMotoUrl()));
    const check = await runStep({ inputs: { ...withRoles, mode: 'check', 'fail-on-drift': 'true' }, env: awsEnv() });
    expect(check.exitCode).toBe(1);
    expect(check.stdout).toMatch(
      /::error title=Drift%3A Console roles \(aws-app-access\)%3A update-console-role::.*console role ConsoleReadOnly does not trust the integration role/,
    );
  });

  it('roles-anywhere: an aws-ra apply, a CA rotation that check fails on, and the apply that repairs it', async () => {
    const env = h.stepEnv({ TELEPORT_ACTION_TEST_ROLES_ANYWHERE_INTERVAL_MS: '0' });
    const ra = { ...inputs, integration: 'aws-ra-e2e', 'role-name': '', 'roles-anywhere': 'true' };
    const first = await runStep({ inputs: ra, env });
    expect(first.exitCode, first.stdout).toBe(0);
    expect(JSON.parse(first.outputs.plan).map((c: { action: string }) => c.action)).toEqual([
      'create-trust-anchor',
      'create-sync-role',
      'create-sync-profile',
      'create-ra-integration',
    ]);
    expect(first.outputs['role-arn']).toBe('arn:aws:iam::123456789012:role/TeleportRolesAnywhereProfileSync');
    expect(first.summary).toMatch(/Teleport integration \(aws-ra\) \| <code>aws-ra-e2e<\/code> \| created/);
    expect(h.stored('integration', 'aws-ra-e2e')).toMatchObject({
      sub_kind: 'aws-ra',
      spec: { aws_ra: { trust_anchor_arn: expect.stringMatching(/:trust-anchor\//) } },
    });

    const ca = (name: string) => readFileSync(path.join(ROOT, `__tests__/support/fixtures/${name}`), 'utf8');
    writeFileSync(path.join(h.tctlDir(), 'cert_authority-awsra.json'), JSON.stringify({ certificates: [ca('awsra-ca-1.pem'), ca('awsra-ca-2.pem')] }));
    const check = await runStep({ inputs: { ...ra, mode: 'check', 'fail-on-drift': 'true' }, env });
    expect(check.exitCode).toBe(1);
    expect(check.stdout).toMatch(
      /::error title=Drift%3A Roles Anywhere trust anchor%3A update-trust-anchor::.*it lacks 1 of the cluster's current awsra CA certificates/,
    );

    h.proxy.clear();
    const repaired = await runStep({ inputs: ra, env });
    expect(repaired.exitCode, repaired.stdout).toBe(0);
    expect(h.proxy.writes().map((c) => c.action)).toEqual(['UpdateTrustAnchor']);
    const again = await runStep({ inputs: { ...ra, mode: 'check', 'fail-on-drift': 'true' }, env });
    expect(again.exitCode, again.stdout).toBe(0);
  });

  it('on a runner without job summaries, warns and puts the report in the log, and succeeds', async () => {
    const result = await runStep({ inputs, env: { ...awsEnv(), GITHUB_STEP_SUMMARY: undefined } });
    expect(result.exitCode, result.stdout).toBe(0);
    expect(result.stdout).toContain('::warning title=Job summary skipped::No job summary: this runner gives no job summary (GITHUB_STEP_SUMMARY is not set');
    expect(result.stdout).toContain('::group::Report');
    expect(result.stdout).toContain('## Teleport AWS OIDC integration: apply');
    expect(result.stdout).toContain('3 changes applied');
    expect(result.outputs.changes).toBe('true');
  });

  it('fails on bad input before any AWS or tctl call, naming the input', async () => {
    const result = await runStep({ inputs: { ...inputs, 'cluster-url': 'teleport.example.com:3080', 'role-name': 'bad role!' }, env: awsEnv() });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain('::error::2 inputs are invalid');
    expect(result.stdout).toContain("Input 'cluster-url'");
    expect(result.stdout).toContain("Input 'role-name'");
    expect(h.proxy.calls).toEqual([]);
    expect(h.tctlWrites()).toBe(0);
  });

  it('check after out-of-band changes fails with capped error annotations on stdout', async () => {
    expect((await runStep({ inputs, env: awsEnv() })).exitCode).toBe(0);
    const iam = h.direct();
    await iam.send(new UntagRoleCommand({ RoleName: 'teleport-e2e-role', TagKeys: ['team'] }));
    const statement = teleportTrustStatement('arn:aws:iam::123456789012:oidc-provider/localhost', 'localhost');
    for (let i = 0; i < 24; i++) {
      await iam.send(
        new CreateRoleCommand({ RoleName: `door-${i}`, AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [statement] }) }),
      );
    }
    h.proxy.clear();
    const check = await runStep({ inputs: { ...inputs, mode: 'check' }, env: awsEnv() });
    expect(check.exitCode).toBe(1);
    expect(check.outputs.drift).toBe('true');
    const errors = check.stdout.split('\n').filter((l) => l.startsWith('::error title='));
    expect(errors).toHaveLength(10);
    expect(errors[0]).toMatch(
      /^::error title=Drift%3A Tags%3A tag-role::arn:aws:iam::123456789012:role\/teleport-e2e-role: tags missing or different on the role: team/,
    );
    expect(errors[1]).toMatch(/^::error title=Drift%3A Other roles trusting the provider::Role door-\d+ trusts/);
    expect(errors[9]).toBe(
      '::error title=16 more errors::16 more error annotations are not shown (GitHub shows 10 per kind): see the job summary for all of them.',
    );
    expect(check.stdout).toMatch(/^::error::Drift found: 25 differences from the declared state; see the job summary\.$/m);
    expect(check.summary).toContain('drift found: 25 differences');
    expect(check.summary).toContain('door-23');
    expect(h.proxy.writes()).toEqual([]);

    const lenient = await runStep({ inputs: { ...inputs, mode: 'check', 'fail-on-drift': 'false' }, env: awsEnv() });
    expect(lenient.exitCode).toBe(0);
    expect(lenient.stdout.split('\n').filter((l) => l.startsWith('::warning title='))).toHaveLength(10);
  });
});
