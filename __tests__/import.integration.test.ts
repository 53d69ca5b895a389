/**
 * mode import against moto and the tctl stand-in: integrations made as Teleport's web UI and
 * its CloudShell script make them (the provider and role of Teleport's CLI, its per-feature
 * policies from features.md, its SSM document), then imported. For each: import writes nothing
 * anywhere, the file validates, a plan with it shows no changes and an apply writes nothing.
 */
import {
  AttachRolePolicyCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  GetRoleCommand,
  PutRolePolicyCommand,
  UpdateAssumeRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfigFile, type ConfigFile } from '../src/config/config-file.js';
import { parseImportSettings } from '../src/config/import-inputs.js';
import { importIntegrations } from '../src/engine/import.js';
import type { ImportResult } from '../src/model/import-result.js';
import { runConfig } from '../src/engine/run-config.js';
import { ownershipLabels } from '../src/resources/teleport/ownership.js';
import { renderImport } from '../src/report/import.js';
import { ACCOUNT, TCTL_STANDIN, useHarness } from './support/harness.js';
import { POLICIES, webUi } from './support/web-ui.js';
import { referenceDeployService } from './support/teleport-policies.js';

const h = useHarness();
const { tags, webUiProvider, webUiIntegration, webUiDocument } = webUi(h);
const CONFIG = '.github/teleport-integrations.yml';

const importSettings = (extra: Record<string, string> = {}) =>
  parseImportSettings((name) => ({ 'cluster-url': 'localhost', mode: 'import', config: CONFIG, 'tctl-path': TCTL_STANDIN, ...extra })[name] ?? '');

/** Imports, and proves it wrote nothing: no AWS write, no tctl write. */
async function imported(extra: Record<string, string> = {}): Promise<ImportResult> {
  h.proxy.clear();
  const writes = h.tctlWrites();
  const deps = h.deps();
  const result = await importIntegrations(importSettings(extra), { ...deps, tctl: deps.tctl! }, new Date('2026-11-30T08:00:00Z'));
  expect(h.proxy.writes()).toEqual([]);
  expect(h.proxy.calls.length).toBeGreaterThan(0);
  expect(h.tctlWrites()).toBe(writes);
  return result;
}

const configOf = (result: ImportResult, mode: string): ConfigFile =>
  parseConfigFile(CONFIG, result.text, (name) => ({ mode, 'tctl-path': TCTL_STANDIN })[name] ?? '');

/** A plan with the file, then an apply with it: what each would change, and what the apply wrote. */
async function planThenApply(result: ImportResult) {
  const plan = await runConfig(configOf(result, 'plan'), { ...h.deps(), tctlFor: () => h.deps().tctl });
  const planned = plan.outcomes.flatMap((o) =>
    o.status === 'done' ? o.result.changes.map((c) => `${o.entry.name}: ${c.action} ${c.target}`) : [`${o.entry.name}: ${o.status}`],
  );
  h.proxy.clear();
  const writes = h.tctlWrites();
  const apply = await runConfig(configOf(result, 'apply'), { ...h.deps(), tctlFor: () => h.deps().tctl });
  expect(apply.outcomes.map((o) => o.status)).toEqual(apply.outcomes.map(() => 'done'));
  return { planned, awsWrites: h.proxy.writes().map((c) => c.action), tctlWrites: h.tctlWrites() - writes };
}

describe('mode import', () => {
  it('one integration made in the web UI: its features, its document and its region, and a plan with the file shows no changes', async () => {
    await webUiProvider('aws-web');
    await webUiIntegration('aws-web', 'teleport-web', ['eks', 'ec2-ssm', 'access-graph', 'external-audit-storage']);
    await webUiDocument('aws-web');
    const result = await imported();

    expect(result.entries.map((e) => e.entry)).toEqual([
      {
        integration: 'aws-web',
        'role-name': 'teleport-web',
        'account-id': ACCOUNT,
        features: {
          'ec2-ssm': { regions: ['us-east-1'] },
          eks: null,
          'access-graph': null,
          'external-audit-storage': expect.objectContaining({ 'athena-workgroup': expect.any(String), 'glue-table': expect.any(String) }),
        },
      },
    ]);
    expect(result.entries[0].pending).toEqual([]);
    expect(result.notImported).toEqual([]);
    const header = result.text.replace(/\n# /g, ' ');
    expect(header).toMatch(/^# Teleport AWS OIDC integrations, written by teleport-aws-oidc-integration-action's mode: import on 2026-11-30T08:00:00.000Z/);
    expect(header).toContain(`from AWS account ${ACCOUNT}`);
    expect(header).toContain(' A plan with this file (run in the same region) shows no changes. Review it');
    expect(result.text).toContain('cluster-url: localhost');
    expect(configOf(result, 'plan').entries.map((e) => e.name)).toEqual(['aws-web']);

    const { planned, awsWrites, tctlWrites } = await planThenApply(result);
    expect(planned).toEqual([]);
    expect(awsWrites).toEqual([]);
    expect(tctlWrites).toBe(0);
  });

  it("Teleport's newer policies (access-graph's event sources, session summaries): declared with their parameters, the corrections apply makes said", async () => {
    await webUiProvider('aws-web');
    await webUiIntegration('aws-web', 'teleport-web', ['access-graph-events', 'session-summaries']);
    const result = await imported();
    expect(result.entries[0].entry.features).toEqual({
      'access-graph': {
        'sqs-queue-url': `https://sqs.us-west-2.amazonaws.com/${ACCOUNT}/cloudtrail-events`,
        'cloudtrail-bucket-arn': 'arn:aws:s3:::acme-cloudtrail',
        'kms-key-arns': [`arn:aws:kms:us-west-2:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`],
      },
      'session-summaries': { model: 'anthropic.claude-v2' },
    });
    expect(result.entries[0].notes.join('\n')).toContain('apply adds arn:aws:s3:::acme-cloudtrail/* to it');
    expect(result.entries[0].pending.map((p) => p.split(':')[0])).toEqual([`update-role-policy arn`, `update-role-policy arn`]);
    expect(result.text).toContain('shows no changes, except where an entry says it would');
    const { planned, awsWrites } = await planThenApply(result);
    expect(planned).toEqual([
      `aws-web: update-role-policy arn:aws:iam::${ACCOUNT}:role/teleport-web (inline policy AccessGraphSyncAccess)`,
      `aws-web: update-role-policy arn:aws:iam::${ACCOUNT}:role/teleport-web (inline policy TeleportBedrockSessionSummariesAccess)`,
    ]);
    expect(awsWrites).toEqual(['PutRolePolicy', 'PutRolePolicy']);
  });

  it("deploy-service as Teleport's deployservice-iam made it: declared with its task role, and a plan shows no changes", async () => {
    const reference = referenceDeployService('aws', ACCOUNT);
    await webUiProvider('aws-web');
    await webUiIntegration('aws-web', 'teleport-web', ['eks']);
    const { integrationRolePolicy, taskRole } = reference;
    await h
      .direct()
      .send(
        new PutRolePolicyCommand({ RoleName: 'teleport-web', PolicyName: 'TeleportDeploy', PolicyDocument: JSON.stringify(integrationRolePolicy.document) }),
      );
    await h.direct().send(
      new CreateRoleCommand({
        RoleName: taskRole.name,
        Description: taskRole.description,
        AssumeRolePolicyDocument: JSON.stringify(taskRole.trustPolicy),
        Tags: tags('aws-web'),
      }),
    );
    await h
      .direct()
      .send(new PutRolePolicyCommand({ RoleName: taskRole.name, PolicyName: taskRole.policyName, PolicyDocument: JSON.stringify(taskRole.policy) }));
    const result = await imported();
    expect(result.entries[0].entry.features).toEqual({
      eks: null,
      'deploy-service': { 'task-role': 'TeleportDatabaseServiceTask', 'policy-name': 'TeleportDeploy' },
    });
    expect(result.entries[0].pending).toEqual([]);
    const { planned, awsWrites, tctlWrites } = await planThenApply(result);
    expect(planned).toEqual([]);
    expect(awsWrites).toEqual([]);
    expect(tctlWrites).toBe(0);
  });

  it('two integrations sharing one provider, one role with a path: both imported, the provider adopted by neither', async () => {
    await webUiProvider('aws-first');
    await webUiIntegration('aws-first', 'teleport-first', ['rds']);
    // The second role has a path: its ARN is not built from its name alone.
    await webUiIntegration('aws-second', 'teleport-second', ['eks', 'aws-app-access'], { path: '/teleport/' });
    const result = await imported();

    expect(result.entries.map((e) => e.entry)).toEqual([
      { integration: 'aws-first', 'role-name': 'teleport-first', 'account-id': ACCOUNT, features: { rds: null } },
      { integration: 'aws-second', 'role-name': 'teleport-second', 'account-id': ACCOUNT, features: { eks: null, 'aws-app-access': null } },
    ]);
    const { planned, awsWrites, tctlWrites } = await planThenApply(result);
    expect(planned).toEqual([]);
    expect(awsWrites).toEqual([]);
    expect(tctlWrites).toBe(0);
  });

  it('an untagged role and provider: the adopt flags are written, and the only change a plan shows is the tags, as the file says', async () => {
    await webUiProvider('aws-bare', false);
    await webUiIntegration('aws-bare', 'teleport-bare', ['eks'], { roleTags: false });
    const result = await imported();

    expect(result.entries[0].entry).toEqual({
      integration: 'aws-bare',
      'role-name': 'teleport-bare',
      'account-id': ACCOUNT,
      'adopt-existing-role': true,
      'adopt-existing-provider': true,
      features: { eks: null },
    });
    // Adopting is tagging: that is what a plan shows, and the file and summary say so beside the entry.
    expect(result.entries[0].pending.map((p) => p.split(' ')[0]).sort()).toEqual(['tag-provider', 'tag-role']);
    expect(result.text).toMatch(/# A plan with this file would still: tag-role /);
    // The header does not promise a plan without changes.
    const header = result.text.replace(/\n# /g, ' ');
    expect(header).toContain(' A plan with this file (run in the same region) shows no changes, except where an entry says it would. ');
    expect(header).not.toContain('shows no changes. ');
    const { planned, awsWrites } = await planThenApply(result);
    expect(planned.map((p) => p.split(' ')[1]).sort()).toEqual(['tag-provider', 'tag-role']);
    expect(awsWrites.sort()).toEqual(['TagOpenIDConnectProvider', 'TagRole']);
    // Once applied, the same file plans nothing.
    expect((await planThenApply(result)).planned).toEqual([]);
  });

  it('a managed policy added out of band is listed beside the entry, never declared', async () => {
    await webUiProvider('aws-managed');
    await webUiIntegration('aws-managed', 'teleport-managed', ['eks']);
    const { Policy } = await h.direct().send(new CreatePolicyCommand({ PolicyName: 'ReadOnlyExtra', PolicyDocument: JSON.stringify(POLICIES.rds.document) }));
    await h.direct().send(new AttachRolePolicyCommand({ RoleName: 'teleport-managed', PolicyArn: Policy!.Arn }));
    const result = await imported();

    expect(result.entries[0].entry).toEqual({ integration: 'aws-managed', 'role-name': 'teleport-managed', 'account-id': ACCOUNT, features: { eks: null } });
    expect(result.entries[0].notes).toEqual([expect.stringContaining(`Managed policy ${Policy!.Arn} is attached to the role: not declared`)]);
    expect(result.text).toContain(`# Note: Managed policy ${Policy!.Arn}`);
    const { planned, awsWrites } = await planThenApply(result);
    expect(planned).toEqual([]);
    expect(awsWrites).toEqual([]);
  });

  it('a feature policy changed by hand and an extra trust statement are listed, not declared, so apply never rewrites them', async () => {
    await webUiProvider('aws-edited');
    await webUiIntegration('aws-edited', 'teleport-edited', ['rds']);
    const edited = structuredClone(POLICIES.eks.document) as { Statement: { Action: string[] }[] };
    edited.Statement[0].Action.push('eks:DescribeNodegroup');
    await h.direct().send(new PutRolePolicyCommand({ RoleName: 'teleport-edited', PolicyName: 'EKSAccess', PolicyDocument: JSON.stringify(edited) }));
    // A trust statement someone added: kept by every apply, said beside the entry.
    const { Role } = await h.direct().send(new GetRoleCommand({ RoleName: 'teleport-edited' }));
    const trust = JSON.parse(decodeURIComponent(Role!.AssumeRolePolicyDocument!)) as { Statement: unknown[] };
    trust.Statement.push({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/break-glass` }, Action: 'sts:AssumeRole' });
    await h.direct().send(new UpdateAssumeRolePolicyCommand({ RoleName: 'teleport-edited', PolicyDocument: JSON.stringify(trust) }));
    const result = await imported();

    expect(result.entries[0].entry).toEqual({ integration: 'aws-edited', 'role-name': 'teleport-edited', 'account-id': ACCOUNT, features: { rds: null } });
    expect(result.entries[0].notes).toEqual([
      expect.stringMatching(/^Inline policy EKSAccess is Teleport's for feature eks but differs from Teleport's document/),
      expect.stringMatching(/^The trust policy has 1 statement\(s\) besides Teleport's: not declared, and kept by every apply/),
    ]);
    const { planned, awsWrites } = await planThenApply(result);
    expect(planned).toEqual([]);
    expect(awsWrites).toEqual([]);
  });

  it("ec2-ssm's document is looked for where the integration's EC2 matchers enroll, beyond the job's and home regions, and only there", async () => {
    await webUiProvider('aws-ec2');
    await webUiIntegration('aws-ec2', 'teleport-ec2', ['ec2-ssm']);
    // The web UI enrolled EC2 in eu-central-1 only: the document lives there, not in the job's region.
    await webUiDocument('aws-ec2', 'eu-central-1');
    h.seed({
      kind: 'discovery_config',
      version: 'v1',
      metadata: { name: 'web-ui-ec2' },
      spec: {
        discovery_group: 'cloud-discovery-group',
        aws: [
          { types: ['ec2'], regions: ['eu-central-1'], tags: { '*': '*' }, integration: 'aws-ec2' },
          { types: ['rds'], regions: ['ap-south-1'], tags: { '*': '*' }, integration: 'aws-ec2' },
        ],
      },
    });
    const result = await imported();
    expect(result.entries[0].entry.features).toEqual({ 'ec2-ssm': { regions: ['eu-central-1'] } });
    const ssmRegions = new Set(h.proxy.calls.filter((c) => c.service === 'ssm').map((c) => c.region));
    expect(ssmRegions.has('eu-central-1')).toBe(true);
    // Not where only the RDS matcher looks.
    expect(ssmRegions.has('ap-south-1')).toBe(false);
  });

  it("a Discovery Service's synthetic discovery_config is neither declared, nor commented out, nor noted", async () => {
    await webUiProvider('aws-static');
    await webUiIntegration('aws-static', 'teleport-static', ['eks']);
    h.seed({
      kind: 'discovery_config',
      sub_kind: 'synthetic',
      version: 'v1',
      metadata: { name: 'synthetic-00000000-0000-0000-0000-000000000002' },
      spec: { discovery_group: 'synthetic-00000000-0000-0000-0000-000000000002', aws: [{ types: ['eks'], regions: ['us-east-1'], integration: 'aws-static' }] },
    });
    const result = await imported();
    const [entry] = result.entries;
    expect(entry.entry.discovery).toBeUndefined();
    expect(entry.commentedDiscovery).toBeUndefined();
    expect(entry.notes.filter((n) => n.includes('synthetic-'))).toEqual([]);
    expect(result.text).not.toContain('synthetic-');
  });

  it("discovery: this action's discovery_config is declared; one made in the web UI is left commented out beside the entry", async () => {
    await webUiProvider('aws-ours');
    await webUiIntegration('aws-ours', 'teleport-ours', ['eks']);
    await webUiIntegration('aws-theirs', 'teleport-theirs', ['rds']);
    // Ours: written by a previous apply of this action (then the config file was lost).
    h.seed({
      kind: 'discovery_config',
      version: 'v1',
      metadata: {
        name: 'aws-ours',
        description: 'AWS discovery through integration aws-ours, managed in Git',
        labels: { ...ownershipLabels('aws-ours'), team: 'k8s' },
      },
      spec: {
        discovery_group: 'cloud-discovery-group',
        aws: [{ types: ['eks'], regions: ['us-east-1', 'eu-west-1'], tags: { env: 'prod' }, integration: 'aws-ours' }],
      },
    });
    await h.direct().send(
      new PutRolePolicyCommand({
        RoleName: 'teleport-ours',
        PolicyName: 'TeleportDiscovery',
        // What the matchers need beyond EKSAccess, as that apply wrote it.
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Sid: 'TeleportDiscovery', Effect: 'Allow', Action: ['eks:DescribeAccessEntry', 'eks:UpdateAccessEntry'], Resource: '*' }],
        }),
      }),
    );
    // Another one for aws-ours, listed before ours: noted, never commented out beside the declared one.
    h.seed({
      kind: 'discovery_config',
      version: 'v1',
      metadata: { name: 'a-web-ui-rds' },
      spec: { discovery_group: 'cloud-discovery-group', aws: [{ types: ['rds'], regions: ['us-east-1'], tags: { '*': '*' }, integration: 'aws-ours' }] },
    });
    // The web UI's: no labels of ours.
    h.seed({
      kind: 'discovery_config',
      version: 'v1',
      metadata: { name: 'web-ui-rds' },
      spec: { discovery_group: 'cloud-discovery-group', aws: [{ types: ['rds'], regions: ['us-east-1'], tags: { '*': '*' }, integration: 'aws-theirs' }] },
    });
    const result = await imported();
    const [ours, theirs] = result.entries;
    expect(ours.commentedDiscovery).toBeUndefined();
    expect(ours.notes).toContainEqual(expect.stringMatching(/^discovery_config a-web-ui-rds also uses this integration: an entry declares one/));

    expect(ours.entry.discovery).toEqual({
      group: 'cloud-discovery-group',
      labels: { team: 'k8s' },
      matchers: [{ types: ['eks'], regions: ['us-east-1', 'eu-west-1'], tags: { env: 'prod' } }],
    });
    expect(theirs.entry.discovery).toBeUndefined();
    expect(theirs.commentedDiscovery?.declaration).toEqual({
      discovery: { group: 'cloud-discovery-group', name: 'web-ui-rds', matchers: [{ types: ['rds'], regions: ['us-east-1'] }] },
      'adopt-existing-discovery': true,
    });
    // Commented out at the entry's indentation: removing "# " declares it.
    expect(result.text).toMatch(/\n {4}# discovery:\n {4}# {3}group: cloud-discovery-group\n {4}# {3}name: web-ui-rds\n/);
    const { planned, awsWrites, tctlWrites } = await planThenApply(result);
    expect(planned).toEqual([]);
    expect(awsWrites).toEqual([]);
    expect(tctlWrites).toBe(0);
  });

  it('leaves out, and says why, an integration whose role is in another account, or tagged for another integration', async () => {
    await webUiProvider('aws-here');
    await webUiIntegration('aws-here', 'teleport-here', []);
    await webUiIntegration('aws-squatter', 'teleport-squatted', [], { roleTags: false });
    await h
      .direct()
      .send(
        new CreateRoleCommand({ RoleName: 'teleport-taken', AssumeRolePolicyDocument: '{"Version":"2012-10-17","Statement":[]}', Tags: tags('aws-here-too') }),
      );
    h.seed({
      kind: 'integration',
      sub_kind: 'aws-oidc',
      version: 'v1',
      metadata: { name: 'aws-taken' },
      spec: { aws_oidc: { role_arn: `arn:aws:iam::${ACCOUNT}:role/teleport-taken` } },
    });
    h.seed({
      kind: 'integration',
      sub_kind: 'aws-oidc',
      version: 'v1',
      metadata: { name: 'aws-elsewhere' },
      spec: { aws_oidc: { role_arn: 'arn:aws:iam::210987654321:role/x' } },
    });
    const result = await imported();

    expect(result.entries.map((e) => e.integration)).toEqual(['aws-here', 'aws-squatter']);
    expect(result.notImported).toEqual([
      { integration: 'aws-elsewhere', reason: expect.stringContaining('its role is in account 210987654321, the credentials are for 123456789012') },
      { integration: 'aws-taken', reason: expect.stringContaining('tagged teleport.dev/integration=aws-here-too') },
    ]);
    expect(result.text).toContain('# Not imported: aws-elsewhere:');

    const one = await imported({ integration: 'aws-here' });
    expect(one.entries.map((e) => e.integration)).toEqual(['aws-here']);
    expect(one.notImported).toEqual([]);
    await expect(imported({ integration: 'aws-nope' })).rejects.toThrow(
      /Teleport has no aws-oidc or aws-ra integration "aws-nope" \(it has aws-elsewhere, aws-here/,
    );
  });

  it('a Teleport role that may not list discovery_configs: the rest is imported, and the file and summary say what was not read', async () => {
    await webUiProvider('aws-norights');
    await webUiIntegration('aws-norights', 'teleport-norights', ['eks']);
    writeFileSync(path.join(h.tctlDir(), 'deny-discovery_config'), 'list\n');
    const result = await imported();

    expect(result.entries.map((e) => e.entry)).toEqual([
      { integration: 'aws-norights', 'role-name': 'teleport-norights', 'account-id': ACCOUNT, features: { eks: null } },
    ]);
    expect(result.warnings).toEqual([
      expect.stringMatching(/^discovery_configs were not read \(tctl get discovery_config failed .*\): no entry declares discovery\.$/),
    ]);
    expect(result.text.replace(/\n# /g, ' ')).toContain(' discovery_configs were not read (tctl get discovery_config failed');
    expect(renderImport(result, { status: 'written', path: '.github/teleport-integrations.yml' })).toContain('**Warning:** discovery_configs were not read');
  });
});
