/**
 * The test emulator's StackSets (scripts/emulator/stacksets.py) against AWS's API reference, through
 * the real SDK: what the action's organization tests rely on is checked here on its own.
 */
import {
  CreateStackInstancesCommand,
  CreateStackSetCommand,
  DescribeStackSetCommand,
  DescribeStackSetOperationCommand,
  DetectStackSetDriftCommand,
  ListStackInstanceResourceDriftsCommand,
  ListStackInstancesCommand,
  ListStackSetOperationResultsCommand,
  ListStackSetOperationsCommand,
  UpdateStackSetCommand,
} from '@aws-sdk/client-cloudformation';
import { DeleteRoleCommand, DeleteRolePolicyCommand, GetRolePolicyCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { MoveAccountCommand } from '@aws-sdk/client-organizations';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { STSClient } from '@aws-sdk/client-sts';
import { describe, expect, it } from 'vitest';
import { RolesAnywhereClient, type RolesAnywhereError } from '../src/clients/rolesanywhere.js';
import { ROOT, useHarness } from './support/harness.js';
import { buildOrganization, type BuiltOrganization } from './support/organization.js';
import { workerMotoUrl } from './support/worker.js';

useHarness();
const motoUrl = workerMotoUrl();
const SET = 'emulated';
const statement = (action: string) => ({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }] });
const template = (action = 'ec2:DescribeInstances') =>
  JSON.stringify({
    Resources: {
      Member: {
        Type: 'AWS::IAM::Role',
        Properties: {
          RoleName: 'member',
          AssumeRolePolicyDocument: {
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:root' }, Action: 'sts:AssumeRole' }],
          },
          Policies: [{ PolicyName: 'Discovery', PolicyDocument: statement(action) }],
        },
      },
    },
  });

async function withSet(org: BuiltOrganization): Promise<void> {
  await org.cloudformation.send(
    new CreateStackSetCommand({ StackSetName: SET, TemplateBody: template(), PermissionModel: 'SERVICE_MANAGED', Capabilities: ['CAPABILITY_NAMED_IAM'] }),
  );
}

const deploy = (org: BuiltOrganization, tolerance = 0) =>
  org.cloudformation.send(
    new CreateStackInstancesCommand({
      StackSetName: SET,
      Regions: ['us-east-1'],
      DeploymentTargets: { OrganizationalUnitIds: [org.units.prod] },
      OperationPreferences: { FailureToleranceCount: tolerance },
    }),
  );

const status = async (org: BuiltOrganization, id: string) =>
  (await org.cloudformation.send(new DescribeStackSetOperationCommand({ StackSetName: SET, OperationId: id }))).StackSetOperation!;

describe('emulated StackSets operations', () => {
  it('run for the polls a test chooses, refuse a second operation meanwhile, and report each account as it finishes', async () => {
    const org = await buildOrganization(motoUrl, { prod: 4 });
    await withSet(org);
    await org.faults({ operationPolls: 2 });
    const { OperationId } = await deploy(org);
    await expect(org.cloudformation.send(new UpdateStackSetCommand({ StackSetName: SET, TemplateBody: template() }))).rejects.toMatchObject({
      name: 'OperationInProgressException',
    });
    const seen: string[] = [];
    for (let poll = 0; poll < 3; poll++) {
      const op = await status(org, OperationId!);
      const { Summaries } = await org.cloudformation.send(new ListStackSetOperationResultsCommand({ StackSetName: SET, OperationId }));
      seen.push(`${op.Status}:${Summaries!.filter((s) => s.Status === 'SUCCEEDED').length}`);
      expect(Summaries!.every((s) => s.OrganizationalUnitId === org.units.prod)).toBe(true);
    }
    // Results for an operation that targeted a unit (moto gives none), done a share per read.
    expect(seen).toEqual(['RUNNING:2', 'RUNNING:3', 'SUCCEEDED:4']);
  });

  it('fail chosen accounts with their reason, ending SUCCEEDED within the tolerance and FAILED past it', async () => {
    const org = await buildOrganization(motoUrl, { prod: 4 });
    const [first, second] = org.accounts.prod;
    await withSet(org);
    await org.faults({ fail: { [first]: 'AccessDenied: an SCP denies iam:CreateRole' } });
    const within = await status(org, (await deploy(org, 1)).OperationId!);
    expect(within.Status).toBe('SUCCEEDED');
    expect(within.StatusDetails?.FailedStackInstancesCount).toBe(1);
    const { Summaries } = await org.cloudformation.send(new ListStackInstancesCommand({ StackSetName: SET }));
    expect(Summaries!.find((s) => s.Account === first)).toMatchObject({
      Status: 'OUTDATED',
      StatusReason: 'AccessDenied: an SCP denies iam:CreateRole',
      StackInstanceStatus: { DetailedStatus: 'FAILED' },
    });
    await expect((await org.memberIam(first)).send(new GetRolePolicyCommand({ RoleName: 'member', PolicyName: 'Discovery' }))).rejects.toThrow();

    await org.faults({ fail: { [first]: 'denied', [second]: 'Role member already exists' } });
    const past = await status(
      org,
      (
        await org.cloudformation.send(
          new UpdateStackSetCommand({ StackSetName: SET, TemplateBody: template('ec2:Describe*'), OperationPreferences: { FailureToleranceCount: 0 } }),
        )
      ).OperationId!,
    );
    expect(past.Status).toBe('FAILED');
  });

  it('page ListStackInstances at 100 at most', async () => {
    const org = await buildOrganization(motoUrl, { prod: 3 });
    await withSet(org);
    await deploy(org);
    const first = await org.cloudformation.send(new ListStackInstancesCommand({ StackSetName: SET, MaxResults: 2 }));
    expect(first.Summaries).toHaveLength(2);
    const second = await org.cloudformation.send(new ListStackInstancesCommand({ StackSetName: SET, MaxResults: 2, NextToken: first.NextToken }));
    expect(second.Summaries).toHaveLength(1);
    expect(second.NextToken).toBeUndefined();
    await expect(org.cloudformation.send(new ListStackInstancesCommand({ StackSetName: SET, MaxResults: 101 }))).rejects.toThrow(/maxResults/);
  });

  it('detect drift in member accounts, and an unchanged template repairs nothing', async () => {
    const org = await buildOrganization(motoUrl, { prod: 3 });
    const [edited, deleted] = org.accounts.prod;
    await withSet(org);
    await deploy(org);
    const iam = await org.memberIam(edited);
    await iam.send(new PutRolePolicyCommand({ RoleName: 'member', PolicyName: 'Discovery', PolicyDocument: JSON.stringify(statement('*')) }));
    const gone = await org.memberIam(deleted);
    await gone.send(new DeleteRolePolicyCommand({ RoleName: 'member', PolicyName: 'Discovery' }));
    await gone.send(new DeleteRoleCommand({ RoleName: 'member' }));

    const { OperationId } = await org.cloudformation.send(new DetectStackSetDriftCommand({ StackSetName: SET }));
    expect((await status(org, OperationId!)).Action).toBe('DETECT_DRIFT');
    const { Summaries } = await org.cloudformation.send(new ListStackInstancesCommand({ StackSetName: SET }));
    const drift = Object.fromEntries(Summaries!.map((s) => [s.Account, s.DriftStatus]));
    expect(drift).toEqual({ [edited]: 'DRIFTED', [deleted]: 'DRIFTED', [org.accounts.prod[2]]: 'IN_SYNC' });
    const modified = await org.cloudformation.send(
      new ListStackInstanceResourceDriftsCommand({ StackSetName: SET, StackInstanceAccount: edited, StackInstanceRegion: 'us-east-1', OperationId }),
    );
    expect(modified.Summaries![0]).toMatchObject({
      StackResourceDriftStatus: 'MODIFIED',
      PropertyDifferences: [{ PropertyPath: '/Policies/0/PolicyDocument' }],
    });
    const removed = await org.cloudformation.send(
      new ListStackInstanceResourceDriftsCommand({ StackSetName: SET, StackInstanceAccount: deleted, StackInstanceRegion: 'us-east-1', OperationId }),
    );
    expect(removed.Summaries![0].StackResourceDriftStatus).toBe('DELETED');
    const { StackSet } = await org.cloudformation.send(new DescribeStackSetCommand({ StackSetName: SET }));
    expect(StackSet!.StackSetDriftDetectionDetails).toMatchObject({ DriftStatus: 'DRIFTED', DriftedStackInstancesCount: 2, InSyncStackInstancesCount: 1 });

    // CloudFormation compares the new template with the previous one, not with the live role.
    await org.cloudformation.send(new UpdateStackSetCommand({ StackSetName: SET, TemplateBody: template() }));
    const { PolicyDocument } = await iam.send(new GetRolePolicyCommand({ RoleName: 'member', PolicyName: 'Discovery' }));
    expect(JSON.parse(decodeURIComponent(PolicyDocument!)).Statement[0].Action).toBe('*');
  });

  it('deploy by automatic deployment to an account that joins a targeted unit (queued behind a running operation), and remove it from one that leaves', async () => {
    const org = await buildOrganization(motoUrl, { prod: 1, sandbox: 0 });
    await org.cloudformation.send(
      new CreateStackSetCommand({
        StackSetName: SET,
        TemplateBody: template(),
        PermissionModel: 'SERVICE_MANAGED',
        AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: false },
        Capabilities: ['CAPABILITY_NAMED_IAM'],
      }),
    );
    await deploy(org);
    await org.faults({ operationPolls: 1 });
    await org.cloudformation.send(new UpdateStackSetCommand({ StackSetName: SET, TemplateBody: template('ec2:Describe*') }));
    const joined = await org.addAccount('prod', 'joined');
    const { Summaries: operations } = await org.cloudformation.send(new ListStackSetOperationsCommand({ StackSetName: SET }));
    expect(operations!.map((o) => `${o.Action}:${o.Status}`)).toEqual(['CREATE:QUEUED', 'UPDATE:RUNNING', 'CREATE:SUCCEEDED']);
    for (const op of operations!.slice(0, 2).reverse()) {
      while ((await status(org, op.OperationId!)).Status === 'RUNNING');
    }
    const accounts = async () => ((await org.cloudformation.send(new ListStackInstancesCommand({ StackSetName: SET }))).Summaries ?? []).map((s) => s.Account);
    expect(await accounts()).toContain(joined);
    await org.faults({ operationPolls: 0 });
    await org.organizations.send(new MoveAccountCommand({ AccountId: joined, SourceParentId: org.units.prod, DestinationParentId: org.units.sandbox }));
    expect(await accounts()).not.toContain(joined);
    await expect((await org.memberIam(joined)).send(new GetRolePolicyCommand({ RoleName: 'member', PolicyName: 'Discovery' }))).rejects.toThrow();
  });

  it('skip suspended accounts without failing', async () => {
    const org = await buildOrganization(motoUrl, { prod: 2 });
    await org.suspend([org.accounts.prod[0]]);
    await withSet(org);
    expect((await status(org, (await deploy(org)).OperationId!)).Status).toBe('SUCCEEDED');
    const { Summaries } = await org.cloudformation.send(new ListStackInstancesCommand({ StackSetName: SET }));
    expect(Summaries!.find((s) => s.Account === org.accounts.prod[0])?.StackInstanceStatus?.DetailedStatus).toBe('SKIPPED_SUSPENDED_ACCOUNT');
  });
});

/** The emulator's Roles Anywhere (scripts/emulator/rolesanywhere.py), from AWS's API model, through the action's own signed client. */
describe("the emulator's IAM Roles Anywhere", () => {
  const ra = new RolesAnywhereClient(
    'us-east-1',
    async () => ({ accessKeyId: 'test', secretAccessKey: 'test' }),
    new STSClient({ region: 'us-east-1' }).config.sha256,
    motoUrl,
  );
  const PEM = readFileSync(path.join(ROOT, '__tests__/support/fixtures/awsra-ca-1.pem'), 'utf8');
  const failure = (request: Parameters<typeof ra.send>[0]) =>
    ra.send(request).then(
      () => undefined,
      (error: RolesAnywhereError) => `${error.$metadata.httpStatusCode} ${error.name}: ${error.message}`,
    );
  const profile = (name: string, extra: object = {}) =>
    ra.send<{ profile: { profileId: string; durationSeconds: number; enabled: boolean } }>({
      method: 'POST',
      path: '/profiles',
      body: { name, roleArns: ['arn:aws:iam::123456789012:role/r'], ...extra },
    });

  it("validates input as AWS's model says (required, pattern, range, enum), and answers 404 for what does not exist", async () => {
    expect(await failure({ method: 'POST', path: '/profiles', body: { name: 'p' } })).toBe('400 ValidationException: roleArns is required');
    expect(await failure({ method: 'POST', path: '/profiles', body: { name: 'bad/name', roleArns: [] } })).toMatch(/^400 ValidationException: name must match/);
    expect(await failure({ method: 'POST', path: '/profiles', body: { name: 'p', roleArns: [], durationSeconds: 60 } })).toBe(
      '400 ValidationException: durationSeconds must be between 900 and 43200',
    );
    expect(await failure({ method: 'POST', path: '/trustanchors', body: { name: 'a', source: { sourceType: 'X509', sourceData: {} } } })).toMatch(
      /^400 ValidationException: source.sourceType must be one of AWS_ACM_PCA, CERTIFICATE_BUNDLE/,
    );
    expect(
      await failure({
        method: 'POST',
        path: '/trustanchors',
        body: { name: 'a', source: { sourceType: 'CERTIFICATE_BUNDLE', sourceData: { x509CertificateData: 'not a certificate' } } },
      }),
    ).toBe('400 ValidationException: source.sourceData.x509CertificateData must hold PEM certificates');
    expect(await failure({ method: 'GET', path: '/trustanchor/00000000-0000-0000-0000-000000000000' })).toBe(
      '404 ResourceNotFoundException: trust anchor 00000000-0000-0000-0000-000000000000 not found',
    );
    expect(
      await failure({ method: 'GET', path: '/ListTagsForResource', query: { resourceArn: 'arn:aws:rolesanywhere:us-east-1:123456789012:profile/x' } }),
    ).toMatch(/^404 ResourceNotFoundException/);
  });

  it('defaults as the reference says (disabled, 3600 s), takes an ID or an ARN, pages with nextToken, and keeps tags', async () => {
    const { profile: made } = await profile('p0', { tags: [{ key: 'k', value: 'v' }] });
    expect(made).toMatchObject({ durationSeconds: 3600, enabled: false });
    for (let i = 1; i < 5; i++) await profile(`p${i}`);
    const first = await ra.send<{ profiles: { name: string }[]; nextToken?: string }>({ method: 'GET', path: '/profiles', query: { pageSize: '3' } });
    const second = await ra.send<{ profiles: { name: string }[]; nextToken?: string }>({
      method: 'GET',
      path: '/profiles',
      query: { pageSize: '3', nextToken: first.nextToken },
    });
    expect([...first.profiles, ...second.profiles].map((p) => p.name)).toEqual(['p0', 'p1', 'p2', 'p3', 'p4']);
    expect(second.nextToken).toBeUndefined();
    const { trustAnchor } = await ra.send<{ trustAnchor: { trustAnchorArn: string; enabled: boolean } }>({
      method: 'POST',
      path: '/trustanchors',
      body: { name: 'a', source: { sourceType: 'CERTIFICATE_BUNDLE', sourceData: { x509CertificateData: PEM } }, enabled: true },
    });
    const byArn = await ra.send<{ trustAnchor: { enabled: boolean } }>({
      method: 'POST',
      path: `/trustanchor/${encodeURIComponent(trustAnchor.trustAnchorArn)}/disable`,
    });
    expect(byArn.trustAnchor.enabled).toBe(false);
    await ra.send({
      method: 'POST',
      path: '/TagResource',
      body: {
        resourceArn: trustAnchor.trustAnchorArn,
        tags: [
          { key: 'a', value: '1' },
          { key: 'b', value: '2' },
        ],
      },
    });
    await ra.send({ method: 'POST', path: '/UntagResource', body: { resourceArn: trustAnchor.trustAnchorArn, tagKeys: ['a'] } });
    const { tags } = await ra.send<{ tags: object[] }>({ method: 'GET', path: '/ListTagsForResource', query: { resourceArn: trustAnchor.trustAnchorArn } });
    expect(tags).toEqual([{ key: 'b', value: '2' }]);
  });
});
