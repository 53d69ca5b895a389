/** Destroy against moto, the tctl stand-in and the local issuer; the killed run through dist/index.js. */
import {
  AddRoleToInstanceProfileCommand,
  AttachRolePolicyCommand,
  CreateInstanceProfileCommand,
  CreateOpenIDConnectProviderCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  GetOpenIDConnectProviderCommand,
  GetRoleCommand,
  ListAttachedRolePoliciesCommand,
  ListOpenIDConnectProvidersCommand,
  ListRolePoliciesCommand,
  ListRolesCommand,
  PutRolePolicyCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { CreateDocumentCommand, ListDocumentsCommand, SSMClient } from '@aws-sdk/client-ssm';
import type { ChildProcess } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runAction } from '../src/engine/run.js';
import { ACCOUNT, OWNED_TAGS, PROVIDER_ARN, TCTL_STANDIN, settingsFor, useHarness } from './support/harness.js';
import { runStep } from './support/runner.js';
import { workerMotoUrl } from './support/worker.js';

const h = useHarness();
const motoUrl = workerMotoUrl();
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const ssm = (region: string) => new SSMClient({ endpoint: motoUrl, region, credentials });
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/teleport-test-role`;
const FEATURES = 'eks:\nec2-ssm: { regions: [us-east-1, eu-west-1] }';
const REGIONS = ['us-east-1', 'eu-west-1'];
const destroyInputs = (extra: Record<string, string> = {}) => ({ features: FEATURES, mode: 'destroy', 'confirm-destroy': 'aws-test', ...extra });

/** Every role with its inline and managed policies, every provider with its tags, every document: all of it. */
async function everything(iam: IAMClient = h.direct()) {
  const roles = await Promise.all(
    ((await iam.send(new ListRolesCommand({}))).Roles ?? []).map(async (role) => ({
      name: role.RoleName,
      inline: (await iam.send(new ListRolePoliciesCommand({ RoleName: role.RoleName }))).PolicyNames,
      managed: (await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: role.RoleName }))).AttachedPolicies?.map((p) => p.PolicyArn),
    })),
  );
  const providers = await Promise.all(
    ((await iam.send(new ListOpenIDConnectProvidersCommand({}))).OpenIDConnectProviderList ?? []).map(async ({ Arn }) => ({
      arn: Arn,
      tags: (await iam.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: Arn }))).Tags,
    })),
  );
  const documents: Record<string, string[]> = {};
  for (const region of REGIONS) {
    const list = await ssm(region).send(new ListDocumentsCommand({ Filters: [{ Key: 'Owner', Values: ['Self'] }] }));
    documents[region] = (list.DocumentIdentifiers ?? []).map((d) => d.Name!).sort();
  }
  return { roles: roles.sort((a, b) => a.name!.localeCompare(b.name!)), providers, documents, integration: h.storedIntegration('aws-test')?.spec.aws_oidc };
}

/** Things that are not the integration's: they must come through every destroy untouched. */
async function someoneElsesResources() {
  const iam = h.direct();
  await iam.send(
    new CreateRoleCommand({
      RoleName: 'app-role',
      AssumeRolePolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
      }),
    }),
  );
  await iam.send(
    new PutRolePolicyCommand({
      RoleName: 'app-role',
      PolicyName: 'AppAccess',
      PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] }),
    }),
  );
  await iam.send(new CreateOpenIDConnectProviderCommand({ Url: 'https://token.actions.githubusercontent.com', ClientIDList: ['sts.amazonaws.com'] }));
  await ssm('eu-west-1').send(
    new CreateDocumentCommand({
      Name: 'SomeoneElsesDocument',
      DocumentType: 'Command',
      Content: JSON.stringify({
        schemaVersion: '2.2',
        description: 'x',
        mainSteps: [{ action: 'aws:runShellScript', name: 'run', inputs: { runCommand: ['true'] } }],
      }),
    }),
  );
}

describe('destroy', () => {
  it('after apply leaves nothing of the integration and changes nothing else; a second destroy writes nothing', async () => {
    await someoneElsesResources();
    const before = await everything();
    const applied = await runAction(settingsFor({ features: FEATURES }), h.deps());
    expect(applied.failure).toBeUndefined();
    expect(await everything()).not.toEqual(before);

    h.proxy.clear();
    const destroyed = await runAction(settingsFor(destroyInputs()), h.deps());
    expect(destroyed.failure).toBeUndefined();
    expect(destroyed.changes.map((c) => c.action)).toEqual([
      'delete-integration',
      'delete-document',
      'delete-document',
      'delete-role-policy',
      'delete-role-policy',
      'delete-role',
      'delete-provider',
    ]);
    expect(await everything()).toEqual(before);
    expect(destroyed.markdown).toContain('7 deletions made');
    expect(destroyed.outputs.changes).toBe('true');

    h.proxy.clear();
    const tctlWrites = h.tctlWrites();
    const again = await runAction(settingsFor(destroyInputs()), h.deps());
    expect(again.failure).toBeUndefined();
    expect(again.changes).toEqual([]);
    expect(h.proxy.writes()).toEqual([]);
    expect(h.tctlWrites()).toBe(tctlWrites);
    expect(again.markdown).toContain('nothing to delete: everything is already gone');
  });

  it('plan with destroy: true lists the deletions in order and writes nothing', async () => {
    await runAction(settingsFor({ features: FEATURES }), h.deps());
    h.proxy.clear();
    const tctlWrites = h.tctlWrites();
    const plan = await runAction(settingsFor({ features: FEATURES, mode: 'plan', destroy: 'true' }), h.deps());
    expect(plan.failure).toBeUndefined();
    expect(plan.changes.map((c) => c.target)).toEqual([
      'aws-test',
      `arn:aws:ssm:us-east-1:${ACCOUNT}:document/TeleportDiscoveryInstaller`,
      `arn:aws:ssm:eu-west-1:${ACCOUNT}:document/TeleportDiscoveryInstaller`,
      `${ROLE_ARN} (inline policy EC2DiscoverWithSSM)`,
      `${ROLE_ARN} (inline policy EKSAccess)`,
      ROLE_ARN,
      PROVIDER_ARN,
    ]);
    expect(plan.markdown).toContain('## Teleport AWS OIDC integration: plan (destroy)');
    expect(plan.markdown).toContain('7 deletions to make');
    expect(plan.markdown).toMatch(/IAM role \| <code>[^<]+<\/code> \| would delete/);
    expect(h.proxy.writes()).toEqual([]);
    expect(h.tctlWrites()).toBe(tctlWrites);
    expect(h.storedIntegration('aws-test')).toBeDefined();
  });

  it('deletes an out-of-band inline policy, a managed policy attachment and an instance profile membership with the role, and lists them', async () => {
    await runAction(settingsFor({ features: 'eks' }), h.deps());
    const iam = h.direct();
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: 'teleport-test-role',
        PolicyName: 'AddedByHand',
        PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] }),
      }),
    );
    const managed = await iam.send(
      new CreatePolicyCommand({
        PolicyName: 'ReadOnlyExtra',
        PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'ec2:Describe*', Resource: '*' }] }),
      }),
    );
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'teleport-test-role', PolicyArn: managed.Policy!.Arn }));
    await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'teleport-profile' }));
    await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'teleport-profile', RoleName: 'teleport-test-role' }));

    const destroyed = await runAction(settingsFor(destroyInputs({ features: 'eks' })), h.deps());
    expect(destroyed.failure).toBeUndefined();
    expect(destroyed.changes.map((c) => `${c.action} ${c.target}`)).toEqual([
      'delete-integration aws-test',
      `delete-role-policy ${ROLE_ARN} (inline policy AddedByHand)`,
      `delete-role-policy ${ROLE_ARN} (inline policy EKSAccess)`,
      `detach-role-policy ${ROLE_ARN} (managed policy ${managed.Policy!.Arn})`,
      `remove-role-from-instance-profile ${ROLE_ARN} (instance profile teleport-profile)`,
      `delete-role ${ROLE_ARN}`,
      `delete-provider ${PROVIDER_ARN}`,
    ]);
    expect(destroyed.markdown).toContain('AddedByHand (not declared: added out of band)');
    expect(destroyed.markdown).toContain(`1 managed policy detached (${managed.Policy!.Arn})`);
    expect((await everything()).roles).toEqual([]);
  });

  it('keeps a provider another integration of the cluster shares, saying who uses it; the last destroy deletes it', async () => {
    await runAction(settingsFor({ integration: 'aws-first', 'role-name': 'first-role' }), h.deps());
    await runAction(settingsFor({ integration: 'aws-second', 'role-name': 'second-role' }), h.deps());

    const second = await runAction(
      settingsFor({ integration: 'aws-second', 'role-name': 'second-role', mode: 'destroy', 'confirm-destroy': 'aws-second' }),
      h.deps(),
    );
    expect(second.failure).toBeUndefined();
    expect(second.changes.map((c) => c.action)).toEqual(['delete-integration', 'delete-role']);
    expect(second.markdown).toMatch(/OIDC provider \| <code>[^<]+<\/code> \| kept \| still trusted by role first-role \(integration aws-first\)/);

    // The first integration's provider, while another role still trusts it: kept, naming the role.
    await runAction(settingsFor({ integration: 'aws-second', 'role-name': 'second-role' }), h.deps());
    // cluster-name left to the proxy's /webapi/find: the sibling is still named.
    const first = await runAction(
      settingsFor({ integration: 'aws-first', 'role-name': 'first-role', mode: 'destroy', 'confirm-destroy': 'aws-first', 'cluster-name': '' }),
      h.deps(),
    );
    expect(first.failure).toBeUndefined();
    expect(first.markdown).toMatch(/kept \| still trusted by role second-role \(integration aws-second\)/);
    expect((await everything()).providers).toHaveLength(1);

    // The last one: the provider still names aws-first, which Teleport no longer has, and no role trusts it.
    const last = await runAction(
      settingsFor({ integration: 'aws-second', 'role-name': 'second-role', mode: 'destroy', 'confirm-destroy': 'aws-second' }),
      h.deps(),
    );
    expect(last.changes.map((c) => c.action)).toEqual(['delete-integration', 'delete-role', 'delete-provider']);
    expect(last.changes[2].reason).toBe('tagged for integration aws-first of the same cluster, which Teleport no longer has, and no other role trusts it');
    expect((await everything()).providers).toEqual([]);
  });

  it('refuses a role with our name tagged for another integration, deleting nothing at all', async () => {
    await runAction(settingsFor({ 'skip-teleport': 'true' }), h.deps({ skipTeleport: true }));
    const iam = h.direct();
    await iam.send(
      new CreateRoleCommand({
        RoleName: 'their-role',
        AssumeRolePolicyDocument: '{"Version":"2012-10-17","Statement":[]}',
        Tags: [{ Key: 'teleport.dev/integration', Value: 'aws-other' }],
      }),
    );
    const before = await everything();
    h.proxy.clear();
    const refused = await runAction(
      settingsFor({ 'role-name': 'their-role', mode: 'destroy', 'confirm-destroy': 'aws-test', 'skip-teleport': 'true' }),
      h.deps({ skipTeleport: true }),
    );
    expect(refused.failure).toMatch(/IAM role "their-role" is not this integration's: it is tagged teleport.dev\/integration=aws-other. Nothing was deleted./);
    expect(refused.markdown).toContain('refused: nothing was deleted');
    expect(h.proxy.writes()).toEqual([]);
    expect(await everything()).toEqual(before);
  });

  it('refuses an integration that points at another role, and an untagged provider', async () => {
    await runAction(settingsFor(), h.deps());
    await h.deps().tctl!.create({
      kind: 'integration',
      sub_kind: 'aws-oidc',
      version: 'v1',
      metadata: { name: 'aws-test' },
      spec: { aws_oidc: { role_arn: 'arn:aws:iam::123456789012:role/elsewhere' } },
    });
    h.proxy.clear();
    const tctlWrites = h.tctlWrites();
    const refused = await runAction(settingsFor({ mode: 'destroy', 'confirm-destroy': 'aws-test' }), h.deps());
    expect(refused.failure).toMatch(
      /Teleport integration "aws-test" points at arn:aws:iam::123456789012:role\/elsewhere, not at arn:aws:iam::123456789012:role\/teleport-test-role/,
    );
    expect(h.proxy.writes()).toEqual([]);
    expect(h.tctlWrites()).toBe(tctlWrites);

    await fetch(`${motoUrl}/moto-api/reset`, { method: 'POST' });
    await h.direct().send(new CreateOpenIDConnectProviderCommand({ Url: 'https://localhost', ClientIDList: ['discover.teleport'] }));
    const untagged = await runAction(settingsFor({ mode: 'destroy', 'confirm-destroy': 'aws-test', 'skip-teleport': 'true' }), h.deps({ skipTeleport: true }));
    expect(untagged.failure).toMatch(/OIDC provider arn:aws:iam::123456789012:oidc-provider\/localhost is not this integration's \(its tags: no tags\)/);
  });

  it('refuses a document in a declared region tagged for another integration', async () => {
    await runAction(settingsFor({ features: 'eks' }), h.deps());
    await ssm('eu-west-1').send(
      new CreateDocumentCommand({
        Name: 'TeleportDiscoveryInstaller',
        DocumentType: 'Command',
        Content: JSON.stringify({
          schemaVersion: '2.2',
          description: 'x',
          mainSteps: [{ action: 'aws:runShellScript', name: 'run', inputs: { runCommand: ['true'] } }],
        }),
        Tags: [...OWNED_TAGS.slice(0, 2), { Key: 'teleport.dev/integration', Value: 'aws-other' }],
      }),
    );
    h.proxy.clear();
    const refused = await runAction(settingsFor(destroyInputs({ features: 'ec2-ssm: { regions: [eu-west-1] }' })), h.deps());
    expect(refused.failure).toMatch(
      /SSM document TeleportDiscoveryInstaller in eu-west-1 is not this integration's: it is tagged teleport.dev\/integration=aws-other/,
    );
    expect(h.proxy.writes()).toEqual([]);
  });
});

describe("destroy: deploy-service's task role", () => {
  const inputs = { features: 'deploy-service: { task-role: TeleportDatabaseServiceTask }' };
  const taskRoleExists = () =>
    h
      .direct()
      .send(new GetRoleCommand({ RoleName: 'TeleportDatabaseServiceTask' }))
      .then(
        () => true,
        () => false,
      );

  it('goes before the integration role, its policy first; the plan says what still running in ECS loses', async () => {
    expect((await runAction(settingsFor(inputs), h.deps())).failure).toBeUndefined();
    const plan = await runAction(settingsFor({ ...inputs, mode: 'plan', destroy: 'true' }), h.deps());
    expect(plan.markdown).toMatch(
      /Task role \(deploy-service\) \| <code>arn:aws:iam::\d+:role\/TeleportDatabaseServiceTask<\/code> \| would delete \| tagged for aws-test/,
    );
    expect(plan.markdown).toContain('a Teleport Database Service still running in ECS as it loses its access to RDS');
    expect(await taskRoleExists()).toBe(true);

    h.proxy.clear();
    const destroyed = await runAction(settingsFor({ ...inputs, mode: 'destroy', 'confirm-destroy': 'aws-test' }), h.deps());
    expect(destroyed.failure).toBeUndefined();
    const iamWrites = h.proxy.writes().map((c) => c.action);
    expect(iamWrites.slice(iamWrites.indexOf('DeleteRolePolicy'), iamWrites.indexOf('DeleteRolePolicy') + 2)).toEqual(['DeleteRolePolicy', 'DeleteRole']);
    expect(await taskRoleExists()).toBe(false);
    expect(destroyed.markdown).toMatch(/Task role \(deploy-service\) \| <code>[^<]+TeleportDatabaseServiceTask<\/code> \| deleted/);
    expect((await everything()).roles).toEqual([]);
  });

  it("keeps a task role that is not this integration's, saying so", async () => {
    expect((await runAction(settingsFor({}), h.deps())).failure).toBeUndefined();
    await h
      .direct()
      .send(
        new CreateRoleCommand({ RoleName: 'TeleportDatabaseServiceTask', AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [] }) }),
      );
    const destroyed = await runAction(settingsFor({ ...inputs, mode: 'destroy', 'confirm-destroy': 'aws-test' }), h.deps());
    expect(destroyed.failure).toBeUndefined();
    expect(destroyed.markdown).toContain('| kept | not tagged for this integration (no tags): never deleted');
    expect(await taskRoleExists()).toBe(true);
  });
});

describe('destroy killed half-way (dist/index.js)', () => {
  it('completes on the next run', async () => {
    const inputs = {
      'cluster-url': 'localhost',
      integration: 'aws-test',
      'role-name': 'teleport-test-role',
      'cluster-name': 'teleport.example.com',
      'tctl-path': TCTL_STANDIN,
      features: FEATURES,
    };
    const applied = await runStep({ inputs, env: h.stepEnv() });
    expect(applied.exitCode).toBe(0);

    let child: ChildProcess | undefined;
    h.proxy.addFault({
      name: 'kill on DeleteRole',
      on: (c) => (c.action === 'DeleteRole' ? { kind: 'before', run: async () => void child?.kill('SIGKILL'), thenDrop: true } : undefined),
    });
    const killed = await runStep({ inputs: { ...inputs, mode: 'destroy', 'confirm-destroy': 'aws-test' }, env: h.stepEnv(), onSpawn: (c) => (child = c) });
    expect(killed.exitCode).not.toBe(0);
    const half = await everything();
    expect(half.integration).toBeUndefined();
    expect(half.documents).toEqual({ 'us-east-1': [], 'eu-west-1': [] });
    expect(half.roles).toEqual([{ name: 'teleport-test-role', inline: [], managed: [] }]);
    expect(half.providers).toHaveLength(1);

    h.proxy.clear();
    const next = await runStep({ inputs: { ...inputs, mode: 'destroy', 'confirm-destroy': 'aws-test' }, env: h.stepEnv() });
    expect(next.exitCode, next.stdout).toBe(0);
    expect(JSON.parse(next.outputs.plan).map((c: { action: string }) => c.action)).toEqual(['delete-role', 'delete-provider']);
    expect(await everything()).toEqual({ roles: [], providers: [], documents: { 'us-east-1': [], 'eu-west-1': [] }, integration: undefined });
  });
});

describe('destroy: an integration Teleport refuses to delete (lib/services/local/integrations.go)', () => {
  it('an AWS Identity Center integration that uses it: the plan warns, destroy stops at the integration with the fix, a re-run completes it', async () => {
    const inputs = { features: 'identity-center' };
    expect((await runAction(settingsFor(inputs), h.deps())).failure).toBeUndefined();
    const plugin = path.join(h.tctlDir(), 'plugin-aws-identity-center.json');
    writeFileSync(plugin, JSON.stringify({ kind: 'plugin', metadata: { name: 'aws-identity-center' }, spec: { aws_ic: { integration_name: 'aws-test' } } }));
    const plan = await runAction(settingsFor({ ...inputs, mode: 'plan', destroy: 'true' }), h.deps());
    expect(plan.annotations).toContainEqual(expect.objectContaining({ level: 'warning', title: 'Before destroy' }));
    expect(plan.markdown).toContain('Teleport refuses to delete integration aws-test while an AWS Identity Center integration still uses it');

    const stopped = await runAction(settingsFor({ ...inputs, mode: 'destroy', 'confirm-destroy': 'aws-test' }), h.deps());
    expect(stopped.failure).toContain(
      'Teleport refuses to delete integration aws-test: the AWS Identity Center integration aws-identity-center still uses it. Remove that Identity Center integration first',
    );
    // It stopped there: the role Teleport still points at is untouched.
    await expect(h.direct().send(new GetRoleCommand({ RoleName: 'teleport-test-role' }))).resolves.toBeDefined();
    expect(h.storedIntegration('aws-test')).toBeDefined();

    rmSync(plugin);
    const done = await runAction(settingsFor({ ...inputs, mode: 'destroy', 'confirm-destroy': 'aws-test' }), h.deps());
    expect(done.failure).toBeUndefined();
    expect(h.storedIntegration('aws-test')).toBeUndefined();
  });

  it('External Audit Storage that uses it: destroy stops at the integration and says what to turn off', async () => {
    expect((await runAction(settingsFor({}), h.deps())).failure).toBeUndefined();
    writeFileSync(path.join(h.tctlDir(), 'external_audit_storage-cluster.json'), JSON.stringify({ spec: { integration_name: 'aws-test' } }));
    const stopped = await runAction(settingsFor({ mode: 'destroy', 'confirm-destroy': 'aws-test' }), h.deps());
    expect(stopped.failure).toContain(
      'Teleport refuses to delete integration aws-test: External Audit Storage still uses it. Disable External Audit Storage in the web UI',
    );
    await expect(h.direct().send(new GetRoleCommand({ RoleName: 'teleport-test-role' }))).resolves.toBeDefined();
  });
});
