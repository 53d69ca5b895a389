/** apply and plan against moto (real AWS SDK over HTTP), the tctl stand-in and the local HTTPS issuer. */
import { CreateOpenIDConnectProviderCommand, CreateRoleCommand, GetOpenIDConnectProviderCommand, GetRoleCommand, type IAMClient } from '@aws-sdk/client-iam';
import { describe, expect, inject, it } from 'vitest';
import { runAction } from '../src/engine/run.js';
import { parsePolicyDocument } from '../src/resources/aws/policy-document.js';
import { teleportTrustStatement } from '../src/resources/aws/trust-policy.js';
import { ACCOUNT, OWNED_TAGS, PROVIDER_ARN, settingsFor, useHarness } from './support/harness.js';

const h = useHarness();
const issuer = inject('issuer');
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/teleport-test-role`;

async function getRole(iam: IAMClient, name = 'teleport-test-role') {
  return (await iam.send(new GetRoleCommand({ RoleName: name }))).Role!;
}

describe('apply', () => {
  it('creates the provider, the role and the integration on the first run', async () => {
    const result = await runAction(settingsFor({ tags: 'team=platform' }), h.deps());
    expect(result.failure).toBeUndefined();
    expect(result.changes.map((c) => c.action)).toEqual(['create-provider', 'create-role', 'create-integration']);
    expect(result.outputs).toMatchObject({ 'provider-arn': PROVIDER_ARN, 'role-arn': ROLE_ARN, 'account-id': ACCOUNT, changes: 'true' });
    expect(JSON.parse(result.outputs.plan)).toHaveLength(3);

    const iam = h.direct();
    const provider = await iam.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: PROVIDER_ARN }));
    expect(provider.Url).toBe('localhost');
    expect(provider.ClientIDList).toEqual(['discover.teleport']);
    expect(provider.ThumbprintList).toEqual([issuer.thumbprint]);
    expect(provider.ThumbprintList).not.toContain(issuer.rootThumbprint);
    expect(provider.Tags).toEqual(expect.arrayContaining([...OWNED_TAGS, { Key: 'team', Value: 'platform' }]));

    const role = await getRole(iam);
    expect(parsePolicyDocument(role.AssumeRolePolicyDocument!)).toEqual({
      Version: '2012-10-17',
      Statement: [teleportTrustStatement(PROVIDER_ARN, 'localhost')],
    });
    expect(role.Description).toBe('Used by Teleport to provide access to AWS resources.');
    expect(role.Tags).toEqual(expect.arrayContaining([...OWNED_TAGS, { Key: 'team', Value: 'platform' }]));

    expect(h.storedIntegration('aws-test')).toMatchObject({ kind: 'integration', sub_kind: 'aws-oidc', spec: { aws_oidc: { role_arn: ROLE_ARN } } });
    expect(result.markdown).toContain('created');
  });

  it('makes zero AWS writes and zero tctl writes when run again', async () => {
    await runAction(settingsFor({ tags: 'team=platform' }), h.deps());
    expect(h.proxy.writes().length).toBeGreaterThan(0);
    h.proxy.clear();
    const tctlWritesBefore = h.tctlWrites();

    const second = await runAction(settingsFor({ tags: 'team=platform' }), h.deps());
    expect(second.failure).toBeUndefined();
    expect(second.changes).toEqual([]);
    expect(second.outputs.changes).toBe('false');
    expect(h.proxy.calls.length).toBeGreaterThan(0); // it did look
    expect(h.proxy.writes()).toEqual([]);
    expect(h.tctlWrites()).toBe(tctlWritesBefore);
    expect(second.markdown).toContain('no changes');
  });

  it('reads the cluster name from /webapi/find when cluster-name is empty', async () => {
    const result = await runAction(settingsFor({ 'cluster-name': '' }), h.deps());
    expect(result.failure).toBeUndefined();
    const role = await getRole(h.direct());
    expect(role.Tags).toContainEqual({ Key: 'teleport.dev/cluster', Value: issuer.clusterName });
  });

  it('refuses an existing untagged role and leaves it byte-for-byte unchanged, writing nothing at all', async () => {
    const iam = h.direct();
    const document = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}';
    await iam.send(new CreateRoleCommand({ RoleName: 'teleport-test-role', AssumeRolePolicyDocument: document, Description: 'hand made' }));
    const before = await getRole(iam);

    const result = await runAction(settingsFor(), h.deps());
    expect(result.failure).toMatch(/IAM role "teleport-test-role" already exists but is not managed by this integration/);
    expect(result.failure).toMatch(/teleport.dev\/integration=aws-test/);
    expect(result.failure).toMatch(/adopt-existing-role: true/);
    expect(result.changes).toEqual([]);
    expect(h.proxy.writes()).toEqual([]);
    expect(h.tctlWrites()).toBe(0);
    expect(await getRole(iam)).toEqual(before);
  });

  it('adopts an untagged role when asked: merges the trust policy and adds the tags', async () => {
    const iam = h.direct();
    const foreign = { Sid: 'Ec2', Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' };
    await iam.send(
      new CreateRoleCommand({ RoleName: 'teleport-test-role', AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [foreign] }) }),
    );
    const result = await runAction(settingsFor({ 'adopt-existing-role': 'true' }), h.deps());
    expect(result.failure).toBeUndefined();
    const role = await getRole(iam);
    expect(parsePolicyDocument(role.AssumeRolePolicyDocument!).Statement).toEqual([foreign, teleportTrustStatement(PROVIDER_ARN, 'localhost')]);
    expect(role.Tags).toEqual(expect.arrayContaining(OWNED_TAGS));
  });

  it('keeps a foreign trust statement (and Id, Sid, NotPrincipal, conditions) when merging into an owned role', async () => {
    const iam = h.direct();
    const foreignDoc = {
      Version: '2012-10-17',
      Id: 'keep-this-id',
      Statement: [
        {
          Sid: 'Ci',
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::111122223333:root' },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'sts:ExternalId': 'abc' }, Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
        },
        { Sid: 'Guard', Effect: 'Deny', NotPrincipal: { AWS: 'arn:aws:iam::111122223333:role/admin' }, Action: 'sts:AssumeRole' },
      ],
    };
    await iam.send(
      new CreateRoleCommand({
        RoleName: 'teleport-test-role',
        AssumeRolePolicyDocument: JSON.stringify(foreignDoc),
        Tags: OWNED_TAGS,
        Description: 'Used by Teleport to provide access to AWS resources.',
      }),
    );
    const result = await runAction(settingsFor(), h.deps());
    expect(result.failure).toBeUndefined();
    expect(result.changes.map((c) => c.action)).toContain('update-trust-policy');
    const merged = parsePolicyDocument((await getRole(iam)).AssumeRolePolicyDocument!);
    expect(merged).toEqual({ ...foreignDoc, Statement: [...foreignDoc.Statement, teleportTrustStatement(PROVIDER_ARN, 'localhost')] });
    expect(result.markdown).toContain('<details><summary>Trust policy');

    h.proxy.clear();
    const again = await runAction(settingsFor(), h.deps());
    expect(again.changes).toEqual([]);
    expect(h.proxy.writes()).toEqual([]);
  });

  it('adds discover.teleport and the current thumbprint to an existing provider', async () => {
    const iam = h.direct();
    await iam.send(
      new CreateOpenIDConnectProviderCommand({
        Url: 'https://localhost',
        ClientIDList: ['sts.amazonaws.com'],
        ThumbprintList: ['0'.repeat(40)],
        Tags: OWNED_TAGS,
      }),
    );
    const result = await runAction(settingsFor(), h.deps());
    expect(result.failure).toBeUndefined();
    expect(result.changes.map((c) => c.action)).toEqual(['add-client-id', 'update-thumbprints', 'create-role', 'create-integration']);
    const provider = await iam.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: PROVIDER_ARN }));
    expect(provider.ClientIDList).toEqual(['sts.amazonaws.com', 'discover.teleport']);
    expect(provider.ThumbprintList).toEqual(['0'.repeat(40), issuer.thumbprint]);
  });

  it('shares a provider another integration of the same cluster made, without retagging it', async () => {
    await runAction(settingsFor({ integration: 'aws-first', 'role-name': 'first-role' }), h.deps());
    h.proxy.clear();
    const second = await runAction(settingsFor({ integration: 'aws-second', 'role-name': 'second-role' }), h.deps());
    expect(second.failure).toBeUndefined();
    expect(second.changes.map((c) => c.action)).toEqual(['create-role', 'create-integration']);
    expect(h.proxy.actions()).not.toContain('iam:TagOpenIDConnectProvider');
    const provider = await h.direct().send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: PROVIDER_ARN }));
    expect(provider.Tags).toContainEqual({ Key: 'teleport.dev/integration', Value: 'aws-first' });
  });

  it('refuses a hand-made untagged provider and leaves it unchanged, unless adopting it', async () => {
    const iam = h.direct();
    await iam.send(new CreateOpenIDConnectProviderCommand({ Url: 'https://localhost', ClientIDList: ['sts.amazonaws.com'], ThumbprintList: ['1'.repeat(40)] }));
    const before = await iam.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: PROVIDER_ARN }));
    const refused = await runAction(settingsFor(), h.deps());
    expect(refused.failure).toMatch(/already exists but is not managed by Teleport/);
    expect(refused.failure).toMatch(/adopt-existing-provider: true/);
    expect(h.proxy.writes()).toEqual([]);
    const after = await iam.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: PROVIDER_ARN }));
    expect({ ...after, $metadata: undefined }).toEqual({ ...before, $metadata: undefined });

    const adopted = await runAction(settingsFor({ 'adopt-existing-provider': 'true' }), h.deps());
    expect(adopted.failure).toBeUndefined();
    expect(adopted.changes.map((c) => c.action)).toEqual(['add-client-id', 'update-thumbprints', 'create-role', 'tag-provider', 'create-integration']);
  });

  it('leaves a trust policy alone when it holds an AWS-normalised form of our statement', async () => {
    const iam = h.direct();
    const normalised = JSON.stringify({
      Statement: [
        { Sid: 'Other', Effect: 'Allow', Principal: { Service: ['ec2.amazonaws.com'] }, Action: ['sts:AssumeRole'] },
        {
          Condition: { StringEquals: { 'localhost:aud': ['discover.teleport'] } },
          Action: ['sts:AssumeRoleWithWebIdentity'],
          Principal: { Federated: [PROVIDER_ARN] },
          Effect: 'Allow',
          Sid: 'Teleport',
        },
      ],
      Version: '2012-10-17',
    });
    await iam.send(
      new CreateRoleCommand({
        RoleName: 'teleport-test-role',
        AssumeRolePolicyDocument: normalised,
        Tags: OWNED_TAGS,
        Description: 'Used by Teleport to provide access to AWS resources.',
      }),
    );
    const result = await runAction(settingsFor(), h.deps());
    expect(result.changes.map((c) => c.action)).toEqual(['create-provider', 'create-integration']);
    expect(h.proxy.actions()).not.toContain('iam:UpdateAssumeRolePolicy');
    expect(decodeURIComponent((await getRole(iam)).AssumeRolePolicyDocument!)).toBe(normalised); // GetRole returns it URL-encoded, as AWS does
  });

  it('refuses a provider tagged for another cluster before writing anything', async () => {
    await h.direct().send(
      new CreateOpenIDConnectProviderCommand({
        Url: 'https://localhost',
        ClientIDList: ['discover.teleport'],
        Tags: [{ Key: 'teleport.dev/cluster', Value: 'other-cluster' }],
      }),
    );
    const result = await runAction(settingsFor(), h.deps());
    expect(result.failure).toMatch(/belongs to Teleport cluster "other-cluster"/);
    expect(h.proxy.writes()).toEqual([]);
    expect(h.tctlWrites()).toBe(0);
  });

  it('points an existing integration at the role, keeping its audience', async () => {
    const deps = h.deps();
    await deps.tctl!.create({
      kind: 'integration',
      sub_kind: 'aws-oidc',
      version: 'v1',
      metadata: { name: 'aws-test', description: 'made by hand' },
      spec: { aws_oidc: { role_arn: 'arn:aws:iam::123456789012:role/old', audience: 'aws-identity-center' } },
    });
    const result = await runAction(settingsFor(), h.deps());
    expect(result.changes.map((c) => c.action)).toContain('update-integration');
    expect(h.storedIntegration('aws-test')).toMatchObject({
      metadata: { name: 'aws-test', description: 'made by hand' },
      spec: { aws_oidc: { role_arn: ROLE_ARN, audience: 'aws-identity-center' } },
    });
  });

  it('with skip-teleport reconciles only AWS and never calls tctl', async () => {
    const deps = h.deps({ skipTeleport: true });
    const result = await runAction(settingsFor({ 'skip-teleport': 'true' }), deps);
    expect(result.changes.map((c) => c.action)).toEqual(['create-provider', 'create-role']);
    expect(deps.tctl).toBeUndefined();
    expect(result.markdown).toContain('skipped');
  });
});

describe('plan', () => {
  it('lists what apply would do and writes nothing anywhere', async () => {
    const result = await runAction(settingsFor({ mode: 'plan' }), h.deps());
    expect(result.failure).toBeUndefined();
    expect(result.changes.map((c) => c.action)).toEqual(['create-provider', 'create-role', 'create-integration']);
    expect(result.outputs.changes).toBe('true');
    expect(h.proxy.writes()).toEqual([]);
    expect(h.tctlWrites()).toBe(0);
    expect(result.markdown).toContain('would change');
    expect(result.markdown).toContain('3 changes to apply');
  });

  it('plans nothing after an apply', async () => {
    await runAction(settingsFor(), h.deps());
    const result = await runAction(settingsFor({ mode: 'plan' }), h.deps());
    expect(result.changes).toEqual([]);
    expect(result.markdown).toContain('no changes');
  });
});

describe('partitions', () => {
  it('builds arn:aws-us-gov: ARNs in GovCloud, from the caller identity', async () => {
    const result = await runAction(settingsFor({ 'skip-teleport': 'true' }), h.deps({ region: 'us-gov-west-1', skipTeleport: true }));
    expect(result.failure).toBeUndefined();
    expect(result.outputs['provider-arn']).toBe(`arn:aws-us-gov:iam::${ACCOUNT}:oidc-provider/localhost`);
    expect(result.outputs['role-arn']).toBe(`arn:aws-us-gov:iam::${ACCOUNT}:role/teleport-test-role`);
    const role = await getRole(h.direct('us-gov-west-1'));
    expect(JSON.stringify(parsePolicyDocument(role.AssumeRolePolicyDocument!))).toContain(`arn:aws-us-gov:iam::${ACCOUNT}:oidc-provider/localhost`);
    expect(h.proxy.calls.every((c) => c.region === 'us-gov-west-1')).toBe(true);
  });
});
