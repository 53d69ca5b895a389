/**
 * Least privilege: every AWS action the action calls in a mode (recorded at the proxy) must be
 * in the documented policy for that mode, and the policy grants nothing the action never calls.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  AddRoleToInstanceProfileCommand,
  AttachRolePolicyCommand,
  CreateInstanceProfileCommand,
  CreateOpenIDConnectProviderCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  DeleteRolePolicyCommand,
  PutRolePolicyCommand,
  TagRoleCommand,
  UntagRoleCommand,
  UpdateAssumeRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { DescribeStackSetCommand, UpdateStackSetCommand } from '@aws-sdk/client-cloudformation';
import { CreateDocumentCommand, SSMClient } from '@aws-sdk/client-ssm';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { runAction } from '../src/engine/run.js';
import { CONSOLE_ACCESS_MARKER } from '../src/resources/aws/console-role.js';
import { RolesAnywhereClient } from '../src/clients/rolesanywhere.js';
import { STSClient } from '@aws-sdk/client-sts';
import { teleportTrustStatement } from '../src/resources/aws/trust-policy.js';
import { parseImportSettings } from '../src/config/import-inputs.js';
import { importIntegrations } from '../src/engine/import.js';
import { ACCOUNT, OWNED_TAGS, PROVIDER_ARN, ROOT, settingsFor, useHarness } from './support/harness.js';
import { taggingStandIn } from './support/tagging-standin.js';
import { POLICIES } from './support/web-ui.js';
import { workerMotoUrl } from './support/worker.js';
import { buildOrganization } from './support/organization.js';

const h = useHarness();
const motoUrl = workerMotoUrl();
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/teleport-test-role`;
const CA_1 = readFileSync(path.join(ROOT, '__tests__/support/fixtures/awsra-ca-1.pem'), 'utf8');
const CA_2 = readFileSync(path.join(ROOT, '__tests__/support/fixtures/awsra-ca-2.pem'), 'utf8');

function policyActions(mode: string): Set<string> {
  const policy = JSON.parse(readFileSync(path.join(ROOT, 'policies', `${mode}.json`), 'utf8')) as { Statement: { Action: string | string[] }[] };
  return new Set(policy.Statement.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action])));
}

/** IAM actions by their IAM names; the Tagging API's prefix is `tag`; GetCallerIdentity needs no permission. */
function recorded(): Set<string> {
  return new Set(
    h.proxy.calls
      .filter((c) => !(c.service === 'sts' && c.action === 'GetCallerIdentity'))
      .map((c) => `${c.service === 'tagging' ? 'tag' : c.service}:${c.action}`),
  );
}

// Two features, one of them with a document in two regions: every feature call is made.
const FEATURES = 'eks:\nec2-ssm: { regions: [us-east-1, eu-west-1] }';

async function driftedAccount(): Promise<void> {
  const iam = h.direct();
  const ssm = new SSMClient({ endpoint: motoUrl, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  // A document of ours with stale content and a tag missing: a new default version and a tag repair.
  await ssm.send(
    new CreateDocumentCommand({
      Name: 'TeleportDiscoveryInstaller',
      Content: JSON.stringify({
        schemaVersion: '2.2',
        description: 'old',
        mainSteps: [{ action: 'aws:runShellScript', name: 'run', inputs: { runCommand: ['true'] } }],
      }),
      DocumentType: 'Command',
      Tags: OWNED_TAGS.slice(2),
    }),
  );
  await iam.send(
    new CreateOpenIDConnectProviderCommand({
      Url: 'https://localhost',
      ClientIDList: ['sts.amazonaws.com'],
      ThumbprintList: ['0'.repeat(40)],
      Tags: OWNED_TAGS.slice(0, 1),
    }),
  );
  await iam.send(
    new CreateRoleCommand({
      RoleName: 'teleport-test-role',
      Description: 'old',
      AssumeRolePolicyDocument: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
      }),
      Tags: OWNED_TAGS.slice(2),
    }),
  );
  // A feature policy edited out of band.
  await iam.send(
    new PutRolePolicyCommand({
      RoleName: 'teleport-test-role',
      PolicyName: 'EKSAccess',
      PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'eks:*', Resource: '*' }] }),
    }),
  );
  await iam.send(
    new CreateRoleCommand({
      RoleName: 'other-role',
      AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [teleportTrustStatement(PROVIDER_ARN, 'localhost')] }),
    }),
  );
}

describe('the documented IAM policy of each mode covers exactly what the action calls', () => {
  it('apply: creating from nothing and repairing everything', async () => {
    const used = new Set<string>();
    await runAction(settingsFor({ features: FEATURES }), h.deps());
    recorded().forEach((a) => used.add(a));
    await fetch(`${motoUrl}/moto-api/reset`, { method: 'POST' }); // AWS from scratch; Teleport keeps the integration
    h.proxy.clear();
    await driftedAccount();
    const repaired = await runAction(settingsFor({ 'adopt-existing-provider': 'true', features: FEATURES }), h.deps());
    expect(repaired.failure).toBeUndefined();
    expect(repaired.changes.map((c) => c.action).sort()).toEqual(
      [
        'add-client-id',
        'tag-provider',
        'tag-role',
        'update-role-description',
        'update-thumbprints',
        'update-trust-policy',
        'update-role-policy',
        'create-role-policy',
        'update-document',
        'tag-document',
        'create-document',
      ].sort(),
    );
    recorded().forEach((a) => used.add(a));
    const missing = [...used].filter((a) => !policyActions('apply').has(a));
    expect(missing, 'called by apply but missing from policies/apply.json').toEqual([]);
    expect([...used].sort()).toEqual([...policyActions('apply')].sort());
  });

  it('plan: read-only', async () => {
    await driftedAccount();
    const result = await runAction(settingsFor({ mode: 'plan', 'adopt-existing-provider': 'true', features: FEATURES }), h.deps());
    expect(result.changes.length).toBeGreaterThan(0);
    expect([...recorded()].sort()).toEqual([...policyActions('plan')].sort());
  });

  it('check: read-only, with the Tagging API and ListRoles', async () => {
    h.proxy.addFault(taggingStandIn(motoUrl));
    await driftedAccount();
    const result = await runAction(settingsFor({ mode: 'check', 'adopt-existing-provider': 'true', features: FEATURES }), h.deps());
    expect(result.drift).toBe(true);
    const used = recorded();
    const missing = [...used].filter((a) => !policyActions('check').has(a));
    expect(missing, 'called by check but missing from policies/check.json').toEqual([]);
    expect([...used].sort()).toEqual([...policyActions('check')].sort());
    expect([...used].every((a) => /^(iam|tag|ssm):(Get|List|Describe)/.test(a))).toBe(true);
  });

  it('destroy: everything it can delete, with a managed policy and an instance profile on the role', async () => {
    await runAction(settingsFor({ features: FEATURES }), h.deps());
    const iam = h.direct();
    const managed = await iam.send(
      new CreatePolicyCommand({
        PolicyName: 'Extra',
        PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'ec2:Describe*', Resource: '*' }] }),
      }),
    );
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'teleport-test-role', PolicyArn: managed.Policy!.Arn }));
    await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'profile' }));
    await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'profile', RoleName: 'teleport-test-role' }));
    h.proxy.clear();
    const destroyed = await runAction(settingsFor({ features: FEATURES, mode: 'destroy', 'confirm-destroy': 'aws-test' }), h.deps());
    expect(destroyed.failure).toBeUndefined();
    expect(destroyed.changes.map((c) => c.action)).toContain('delete-provider');
    const used = recorded();
    const missing = [...used].filter((a) => !policyActions('destroy').has(a));
    expect(missing, 'called by destroy but missing from policies/destroy.json').toEqual([]);
    expect([...used].sort()).toEqual([...policyActions('destroy')].sort());
  });

  it('import: read-only, every integration role, its policies and the documents', async () => {
    await driftedAccount();
    const managed = await h.direct().send(new CreatePolicyCommand({ PolicyName: 'Extra', PolicyDocument: JSON.stringify(POLICIES.rds.document) }));
    await h.direct().send(new AttachRolePolicyCommand({ RoleName: 'teleport-test-role', PolicyArn: managed.Policy!.Arn }));
    await h.direct().send(
      new PutRolePolicyCommand({
        RoleName: 'teleport-test-role',
        PolicyName: 'EC2DiscoverWithSSM',
        PolicyDocument: JSON.stringify(POLICIES['ec2-ssm'].document),
      }),
    );
    h.seed({ kind: 'integration', sub_kind: 'aws-oidc', version: 'v1', metadata: { name: 'aws-test' }, spec: { aws_oidc: { role_arn: ROLE_ARN } } });
    h.proxy.clear();
    const deps = h.deps();
    const settings = parseImportSettings((name) => ({ 'cluster-url': 'localhost', config: 'x.yml', mode: 'import' })[name] ?? '');
    const result = await importIntegrations(settings, { ...deps, tctl: deps.tctl! });
    expect(result.entries[0].entry.features).toEqual({ 'ec2-ssm': { regions: ['us-east-1'] } });
    const used = recorded();
    const missing = [...used].filter((a) => !policyActions('import').has(a));
    expect(missing, 'called by import but missing from policies/import.json').toEqual([]);
    expect([...used].sort()).toEqual([...policyActions('import')].sort());
    expect([...used].every((a) => /^(iam|ssm):(Get|List|Describe)/.test(a))).toBe(true);
  });

  it('docs/permissions.md shows the same policies as policies/*.json', () => {
    const readme = readFileSync(path.join(ROOT, 'docs/permissions.md'), 'utf8');
    for (const mode of ['plan', 'check', 'apply', 'destroy', 'import']) {
      const block = new RegExp(`<!-- policy:${mode} -->[\\s\\S]*?\`\`\`json\\n([\\s\\S]*?)\`\`\`[\\s\\S]*?<!-- /policy:${mode} -->`).exec(readme);
      expect(block, `docs/permissions.md block for ${mode}`).not.toBeNull();
      expect(JSON.parse(block![1])).toEqual(JSON.parse(readFileSync(path.join(ROOT, 'policies', `${mode}.json`), 'utf8')));
    }
  });
});

/** The Teleport role docs/permissions.md shows, as { kind: verbs }. */
function readmeTeleportRules(): Record<string, string[]> {
  const readme = readFileSync(path.join(ROOT, 'docs/permissions.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Teleport\n'));
  const yaml = /```yaml\n([\s\S]*?kind: role[\s\S]*?)```/.exec(section)![1].replace(/^ {3}/gm, '');
  const role = parseYaml(yaml) as { spec: { allow: { rules: { resources: string[]; verbs: string[] }[] } } };
  const rules: Record<string, string[]> = {};
  for (const rule of role.spec.allow.rules) for (const kind of rule.resources) rules[kind] = [...(rules[kind] ?? []), ...rule.verbs];
  return rules;
}

describe("docs/permissions.md's Teleport role is exactly what tctl is asked for", () => {
  it('apply, plan, check, import and destroy with discovery succeed under it, and together use every rule it grants', async () => {
    const rules = readmeTeleportRules();
    writeFileSync(path.join(h.tctlDir(), 'rules.json'), JSON.stringify(rules));
    const discovery = 'group: g\nmatchers:\n  - types: [ec2]\n    regions: [us-east-1]';
    const run = async (inputs: Record<string, string>) => {
      const result = await runAction(settingsFor({ discovery, ...inputs }), h.deps());
      expect(result.failure, JSON.stringify(inputs)).toBeUndefined();
    };
    await run({});
    // Drift on both Teleport resources: updates.
    h.editStored('discovery_config', 'aws-test', (c) => (c.spec.discovery_group = 'other'));
    h.editStored('token', 'aws-test-ec2', (t) => (t.spec.roles = ['Node', 'Proxy']));
    h.editStored('integration', 'aws-test', (i) => (i.spec.aws_oidc.role_arn = 'arn:aws:iam::123456789012:role/elsewhere'));
    await run({ mode: 'plan' });
    await run({});
    h.proxy.addFault(taggingStandIn(motoUrl));
    await run({ mode: 'check', 'fail-on-drift': 'false' });
    // Import reads the integrations and discovery_configs, and plans its file (the token by name).
    const deps = h.deps();
    const importSettings = parseImportSettings((name) => ({ 'cluster-url': 'localhost', config: 'x.yml', mode: 'import' })[name] ?? '');
    const imported = await importIntegrations(importSettings, { ...deps, tctl: deps.tctl! });
    expect(imported.entries.map((e) => e.integration)).toEqual(['aws-test']);
    expect(imported.entries[0].entry.discovery).toEqual({
      group: 'g',
      matchers: [{ types: ['ec2'], regions: ['us-east-1'] }],
    });
    await run({ mode: 'destroy', 'confirm-destroy': 'aws-test' });
    // An aws-ra integration under the same role: the awsra CA is read (cert_authority) with it.
    const roleAnywhere = { integration: 'aws-ra-test', 'role-name': '', 'roles-anywhere': 'true', discovery: '' };
    await run(roleAnywhere);
    await run({ ...roleAnywhere, mode: 'destroy', 'confirm-destroy': 'aws-ra-test' });

    const used = new Set(readFileSync(path.join(h.tctlDir(), 'verbs.log'), 'utf8').trim().split('\n'));
    const granted = Object.entries(rules).flatMap(([kind, verbs]) => verbs.map((verb) => `${kind} ${verb}`));
    // Not tctl verbs of a single run: `use` is what Teleport checks when a discovery_config names
    // the integration.
    expect([...used].sort()).toEqual(granted.filter((g) => g !== 'integration use').sort());
  });
});

/** deploy-service's task role is a second role: its IAM actions share names with the mode's own, on another resource. */
describe('policies/deploy-service-<mode>.json cover exactly the calls made on the task role', () => {
  const TASK = 'TeleportDatabaseServiceTask';
  const granted = (mode: string) => {
    const policy = JSON.parse(readFileSync(path.join(ROOT, 'policies', `deploy-service-${mode}.json`), 'utf8')) as {
      Statement: { Action: string[]; Resource: string }[];
    };
    expect(policy.Statement.map((s) => s.Resource)).toEqual([`arn:aws:iam::*:role/${TASK}`]);
    return policy.Statement.flatMap((s) => s.Action).sort();
  };

  it('apply (create, then repair), plan, check and destroy', async () => {
    const used: Record<string, Set<string>> = { apply: new Set(), plan: new Set(), check: new Set(), destroy: new Set() };
    let mode = 'apply';
    h.proxy.addFault({
      name: 'task-role calls',
      on: ({ service, action, body }) => {
        if (new URLSearchParams(body).get('RoleName') === TASK) used[mode].add(`${service}:${action}`);
        return undefined;
      },
    });
    const features = `deploy-service: { task-role: ${TASK} }`;
    const run = async (as: string, extra: Record<string, string> = {}) => {
      mode = as;
      return runAction(settingsFor({ features, mode: as, ...extra }), h.deps());
    };
    expect((await run('apply')).failure).toBeUndefined();
    await h.direct().send(new UntagRoleCommand({ RoleName: TASK, TagKeys: ['teleport.dev/cluster'] }));
    await h.direct().send(new DeleteRolePolicyCommand({ RoleName: TASK, PolicyName: TASK }));
    const ec2 = { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' };
    await h.direct().send(new UpdateAssumeRolePolicyCommand({ RoleName: TASK, PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [ec2] }) }));
    h.proxy.addFault(taggingStandIn(motoUrl));
    expect((await run('check', { 'fail-on-drift': 'false' })).drift).toBe(true);
    expect((await run('plan')).changes.map((c) => c.action)).toEqual(['update-task-role']);
    expect((await run('apply')).changes.map((c) => c.action)).toEqual(['update-task-role']);
    expect((await run('destroy', { 'confirm-destroy': 'aws-test' })).failure).toBeUndefined();
    for (const [as, actions] of Object.entries(used)) expect([...actions].sort(), as).toEqual(granted(as));
  });
});

/** aws-app-access's console roles are the user's roles: their calls are granted on them alone, plus check's one account-wide read. */
describe('policies/console-roles-<mode>.json cover exactly the calls made on the console roles', () => {
  const ROLES = ['ConsoleReadOnly', 'Admin'];
  const granted = (mode: string) => {
    const policy = JSON.parse(readFileSync(path.join(ROOT, 'policies', `console-roles-${mode}.json`), 'utf8')) as {
      Statement: { Action: string[]; Resource: string | string[] }[];
    };
    const onRoles = policy.Statement.filter((s) => s.Resource !== '*');
    expect(onRoles.flatMap((s) => s.Resource)).toEqual(ROLES.map((r) => `arn:aws:iam::*:role/${r}`));
    return policy.Statement.flatMap((s) => s.Action).sort();
  };

  it('apply (then a repair), plan, check and destroy', async () => {
    const used: Record<string, Set<string>> = { apply: new Set(), plan: new Set(), check: new Set(), destroy: new Set() };
    let mode = 'apply';
    h.proxy.addFault({
      name: 'console-role calls',
      on: ({ service, action, body }) => {
        const role = new URLSearchParams(body).get('RoleName');
        if ((role && ROLES.includes(role)) || action === 'GetAccountAuthorizationDetails') used[mode].add(`${service}:${action}`);
        return undefined;
      },
    });
    const ec2 = { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' };
    for (const role of ROLES) {
      await h.direct().send(new CreateRoleCommand({ RoleName: role, AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [ec2] }) }));
    }
    const features = `aws-app-access: { roles: [${ROLES.join(', ')}] }`;
    const run = async (as: string, extra: Record<string, string> = {}) => {
      mode = as;
      return runAction(settingsFor({ features, mode: as, ...extra }), h.deps());
    };
    expect((await run('apply')).failure).toBeUndefined();
    await h
      .direct()
      .send(new UpdateAssumeRolePolicyCommand({ RoleName: 'Admin', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [ec2] }) }));
    h.proxy.addFault(taggingStandIn(motoUrl));
    expect((await run('check', { 'fail-on-drift': 'false' })).drift).toBe(true);
    expect((await run('plan')).changes.map((c) => c.action)).toEqual(['update-console-role']);
    expect((await run('apply')).changes.map((c) => c.action)).toEqual(['update-console-role']);
    // Another integration uses ConsoleReadOnly too: destroy rewrites the record (TagRole) instead of removing it.
    await h.direct().send(new TagRoleCommand({ RoleName: 'ConsoleReadOnly', Tags: [{ Key: CONSOLE_ACCESS_MARKER, Value: 'aws-test aws-other' }] }));
    expect((await run('destroy', { 'confirm-destroy': 'aws-test' })).failure).toBeUndefined();
    for (const [as, actions] of Object.entries(used)) expect([...actions].sort(), as).toEqual(granted(as));
  });
});

/** An aws-ra integration's policies stand alone: each mode's holds exactly what that mode calls. */
describe('policies/roles-anywhere-<mode>.json are exactly what an aws-ra run calls', () => {
  // Called by AWS on the caller's behalf, never by the action: CreateProfile and UpdateProfile pass the
  // sync role (the Service Authorization Reference lists iam:PassRole as their dependent action).
  const DEPENDENT = ['iam:PassRole'];
  it('apply (create, then repair), plan, check and destroy', async () => {
    const used: Record<string, Set<string>> = { apply: new Set(), plan: new Set(), check: new Set(), destroy: new Set() };
    // With an access profile: its role is made to trust Roles Anywhere, then released by destroy.
    const inputs = { integration: 'aws-ra-test', 'role-name': '', 'roles-anywhere': '{ profiles: [{ name: prod, roles: [ReadOnly, Billing] }] }' };
    const ec2Trust = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
    });
    for (const role of ['ReadOnly', 'Billing']) await h.direct().send(new CreateRoleCommand({ RoleName: role, AssumeRolePolicyDocument: ec2Trust }));
    const run = async (mode: string, extra: Record<string, string> = {}) => {
      const from = h.proxy.calls.length;
      const result = await runAction(settingsFor({ ...inputs, mode, ...extra }), h.deps());
      h.proxy.calls.slice(from).forEach((c) => used[mode].add(`${c.service}:${c.action}`));
      used[mode].delete('sts:GetCallerIdentity');
      return result;
    };
    expect((await run('apply')).failure).toBeUndefined();
    // Drift on each: a rotation, a disabled profile naming another role, a tag and the role's policy gone.
    writeFileSync(path.join(h.tctlDir(), 'cert_authority-awsra.json'), JSON.stringify({ certificates: [CA_1, CA_2] }));
    const ra = new RolesAnywhereClient(
      'us-east-1',
      async () => ({ accessKeyId: 'test', secretAccessKey: 'test' }),
      new STSClient({ region: 'us-east-1' }).config.sha256,
      motoUrl,
    );
    const { profiles } = await ra.send<{ profiles: { profileId: string; profileArn: string }[] }>({ method: 'GET', path: '/profiles' });
    const { trustAnchors } = await ra.send<{ trustAnchors: { trustAnchorId: string; trustAnchorArn: string }[] }>({ method: 'GET', path: '/trustanchors' });
    await ra.send({ method: 'POST', path: `/profile/${profiles[0].profileId}/disable` });
    await ra.send({ method: 'PATCH', path: `/profile/${profiles[0].profileId}`, body: { roleArns: [`arn:aws:iam::${ACCOUNT}:role/Other`] } });
    await ra.send({ method: 'POST', path: `/trustanchor/${trustAnchors[0].trustAnchorId}/disable` });
    await ra.send({ method: 'POST', path: '/UntagResource', body: { resourceArn: trustAnchors[0].trustAnchorArn, tagKeys: ['teleport.dev/cluster'] } });
    await h.direct().send(new DeleteRolePolicyCommand({ RoleName: 'TeleportRolesAnywhereProfileSync', PolicyName: 'TeleportRolesAnywhereProfileSync' }));
    const ec2 = { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' };
    await h.direct().send(
      new UpdateAssumeRolePolicyCommand({
        RoleName: 'TeleportRolesAnywhereProfileSync',
        PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [ec2] }),
      }),
    );
    await h.direct().send(new UntagRoleCommand({ RoleName: 'TeleportRolesAnywhereProfileSync', TagKeys: ['teleport.dev/cluster'] }));
    expect((await run('check', { 'fail-on-drift': 'false' })).drift).toBe(true);
    await h.direct().send(new UpdateAssumeRolePolicyCommand({ RoleName: 'ReadOnly', PolicyDocument: ec2Trust }));
    const repairs = ['update-trust-anchor', 'update-sync-role', 'update-sync-profile', 'update-profile-role'];
    expect((await run('plan')).changes.map((c) => c.action)).toEqual(repairs);
    expect((await run('apply')).changes.map((c) => c.action)).toEqual(repairs);
    // Import reads as a plan does: policies/import.json with policies/roles-anywhere-plan.json.
    const from = h.proxy.calls.length;
    const deps = h.deps();
    const importSettings = parseImportSettings((name) => ({ 'cluster-url': 'localhost', config: 'x.yml', mode: 'import' })[name] ?? '');
    expect((await importIntegrations(importSettings, { ...deps, tctl: deps.tctl! })).entries.map((e) => e.integration)).toEqual(['aws-ra-test']);
    const importGranted = new Set([...policyActions('import'), ...policyActions('roles-anywhere-plan')]);
    const imported = h.proxy.calls.slice(from).map((c) => `${c.service}:${c.action}`);
    expect(
      imported.filter((a) => a !== 'sts:GetCallerIdentity' && !importGranted.has(a)),
      'called by import of an aws-ra integration',
    ).toEqual([]);
    // Another integration's statement stays on ReadOnly: destroy rewrites its record (TagRole); Billing's goes (UntagRole).
    await h
      .direct()
      .send(
        new TagRoleCommand({ RoleName: 'ReadOnly', Tags: [{ Key: 'teleport-aws-oidc-integration-action/roles-anywhere', Value: 'aws-ra-test aws-other' }] }),
      );
    expect((await run('destroy', { 'confirm-destroy': 'aws-ra-test' })).failure).toBeUndefined();
    for (const [mode, actions] of Object.entries(used)) {
      const granted = policyActions(`roles-anywhere-${mode}`);
      expect(
        [...actions].filter((a) => !granted.has(a)),
        `called by ${mode} but not in policies/roles-anywhere-${mode}.json`,
      ).toEqual([]);
      expect(
        [...granted].filter((a) => !actions.has(a) && !DEPENDENT.includes(a)),
        `granted by policies/roles-anywhere-${mode}.json but never called`,
      ).toEqual([]);
    }
  });
});

/** The organization's policies add to a mode's own: what only a run whose discovery declares an organization calls. */
describe('policies/organization-<mode>.json cover exactly what an organization run adds', () => {
  const base = (mode: string) => policyActions(mode);
  const added = (mode: string) => policyActions(`organization-${mode}`);
  const NOT_REACHED: Record<string, string[]> = {};
  const compare = (mode: string, used: Set<string>) => {
    const extra = [...used].filter((a) => !base(mode).has(a));
    const missing = extra.filter((a) => !added(mode).has(a));
    expect(missing, `called by ${mode} with an organization but in neither policies/${mode}.json nor policies/organization-${mode}.json`).toEqual([]);
    // Nothing granted that is never called (the member role's IAM actions share names with the mode's own, on another role).
    const unused = [...added(mode)].filter((a) => !used.has(a) && !(NOT_REACHED[mode] ?? []).includes(a));
    expect(unused, `granted by policies/organization-${mode}.json but never called`).toEqual([]);
  };
  const orgDiscovery = (units: string) => `group: g\nmatchers:\n  - types: [ec2]\n    regions: ['*']\n    organization:\n      units: ${units}\n`;

  it('apply, plan, check, import and destroy', async () => {
    const org = await buildOrganization(motoUrl, { prod: 2, 'prod/web': 1, sandbox: 1 });
    const wide = orgDiscovery('{}');
    const narrow = orgDiscovery(`{ exclude: [${org.units.sandbox}] }`);
    const used: Record<string, Set<string>> = { apply: new Set(), plan: new Set(), check: new Set(), destroy: new Set(), import: new Set() };
    const run = async (mode: string, discovery: string, extra: Record<string, string> = {}) => {
      const from = h.proxy.calls.length;
      const result = await runAction(settingsFor({ discovery, mode, ...extra }), h.deps());
      h.proxy.calls.slice(from).forEach((c) => used[mode].add(`${c.service === 'tagging' ? 'tag' : c.service}:${c.action}`));
      used[mode].delete('sts:GetCallerIdentity');
      return result;
    };
    h.proxy.addFault({
      name: 'busy',
      on: ({ action, count }) =>
        action === 'CreateStackInstances' && count === 1 ? { kind: 'aws-error', status: 400, code: 'OperationInProgressException' } : undefined,
    });
    expect((await run('apply', wide)).failure).toBeUndefined();
    // Import plans its file: the organization is read as a plan reads it.
    const from = h.proxy.calls.length;
    const deps = h.deps();
    const importSettings = parseImportSettings((name) => ({ 'cluster-url': 'localhost', config: 'x.yml', mode: 'import' })[name] ?? '');
    expect((await importIntegrations(importSettings, { ...deps, tctl: deps.tctl! })).entries[0].entry.discovery).toBeDefined();
    h.proxy.calls.slice(from).forEach((c) => used.import.add(`${c.service}:${c.action}`));
    used.import.delete('sts:GetCallerIdentity');
    // Drift to repair: the template edited (an account failing that update), a member role edited inside its account,
    // the management account's member role without its policy, a narrower scope.
    const { StackSet } = await org.cloudformation.send(new DescribeStackSetCommand({ StackSetName: 'teleport-discovery-member-role-aws-test' }));
    await org.faults({ fail: { [org.accounts.prod[1]]: 'AccessDenied: explicit deny in a service control policy' } });
    const memberIam = await org.memberIam(org.accounts.prod[0]);
    await memberIam.send(
      new PutRolePolicyCommand({
        RoleName: 'teleport-organization-discovery-child-account-role',
        PolicyName: 'TeleportEC2Discovery',
        PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }),
      }),
    );
    await org.cloudformation.send(
      new UpdateStackSetCommand({
        StackSetName: 'teleport-discovery-member-role-aws-test',
        TemplateBody: StackSet!.TemplateBody!.replace('Teleport', 'Someone'),
        Capabilities: ['CAPABILITY_NAMED_IAM'],
      }),
    );
    await h.direct().send(new DeleteRolePolicyCommand({ RoleName: 'teleport-organization-discovery-child-account-role', PolicyName: 'TeleportEC2Discovery' }));
    await h.direct().send(new UntagRoleCommand({ RoleName: 'teleport-organization-discovery-child-account-role', TagKeys: ['teleport.dev/cluster'] }));
    await h.direct().send(
      new UpdateAssumeRolePolicyCommand({
        RoleName: 'teleport-organization-discovery-child-account-role',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
        }),
      }),
    );
    await org.faults({ fail: {} });
    h.proxy.addFault(taggingStandIn(motoUrl));
    expect((await run('check', narrow, { 'fail-on-drift': 'false', 'detect-drift': 'true' })).drift).toBe(true);
    expect((await run('plan', narrow)).changes.length).toBeGreaterThan(0);
    const repaired = await run('apply', narrow);
    expect(repaired.failure).toBeUndefined();
    expect(repaired.changes.map((c) => c.action)).toEqual(
      expect.arrayContaining(['remove-stack-instances', 'update-member-role', 'update-stack-set', 'update-stack-instances', 'redeploy-stack-instances']),
    );
    expect((await run('destroy', narrow, { 'confirm-destroy': 'aws-test' })).failure).toBeUndefined();
    for (const mode of Object.keys(used)) compare(mode, used[mode]);
    // Reads only; drift detection (check with detect-drift) is an operation that changes nothing in the accounts.
    const reads = [...used.check, ...used.plan, ...used.import].filter((a) => a !== 'cloudformation:DetectStackSetDrift');
    expect(reads.filter((a) => !/^(iam|tag|ssm|organizations|cloudformation):(Get|List|Describe)/.test(a))).toEqual([]);
  });
});

describe('policies/organization-apply.json: CreateStackSet, which takes no resource ARN', () => {
  it('is granted on * only for a request carrying the integration tags apply sends', async () => {
    const policy = JSON.parse(readFileSync(path.join(ROOT, 'policies/organization-apply.json'), 'utf8'));
    const grant = policy.Statement.find((s: { Action: string[] }) => s.Action.includes('cloudformation:CreateStackSet'));
    // AWS's Service Authorization Reference: CreateStackSet has no resource type, only request conditions.
    expect(grant.Resource).toBe('*');
    expect(policy.Statement.filter((s: { Action: string[] }) => s.Action.includes('cloudformation:CreateStackSet'))).toHaveLength(1);
    const org = await buildOrganization(motoUrl, { prod: 1 });
    let body = '';
    h.proxy.addFault({ name: 'capture', on: (call) => void (call.action === 'CreateStackSet' && (body = call.body)) });
    const discovery = `group: g\nmatchers:\n  - types: [ec2]\n    regions: ['*']\n    organization:\n      units: { include: [${org.units.prod}] }\n`;
    expect((await runAction(settingsFor({ discovery }), h.deps())).failure).toBeUndefined();
    const form = new URLSearchParams(body);
    const tags: Record<string, string> = {};
    for (let i = 1; form.has(`Tags.member.${i}.Key`); i++) tags[form.get(`Tags.member.${i}.Key`)!] = form.get(`Tags.member.${i}.Value`)!;
    // The two operators the statement uses, as IAM evaluates them: every key must match.
    const like = (pattern: string, value: string | undefined) =>
      value !== undefined &&
      new RegExp(
        `^${pattern
          .replace(/[.+^${}()|[\]\\]/g, '\\$&')
          .replace(/\*/g, '.*')
          .replace(/\?/g, '.')}$`,
      ).test(value);
    const requestTag = (key: string) => tags[key.replace('aws:RequestTag/', '')];
    const allows = (request: (key: string) => string | undefined) =>
      Object.entries(grant.Condition.StringEquals as Record<string, string>).every(([key, value]) => request(key) === value) &&
      Object.entries(grant.Condition.StringLike as Record<string, string>).every(([key, pattern]) => like(pattern, request(key)));
    expect(allows(requestTag)).toBe(true);
    // A stack set without the integration's tags is not granted.
    expect(allows(() => undefined)).toBe(false);
    expect(allows((key) => (key.endsWith('/teleport.dev/origin') ? 'someone-else' : requestTag(key)))).toBe(false);
  });
});
