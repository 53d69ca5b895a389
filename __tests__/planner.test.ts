import { describe, expect, it } from 'vitest';
import { desiredState } from '../src/engine/desired.js';
import { parseSettings } from '../src/config/inputs.js';
import { planIntegration } from '../src/resources/teleport/integration.js';
import { planProvider, planProviderDeletion } from '../src/resources/aws/oidc-provider.js';
import { planRole } from '../src/resources/aws/role.js';
import type { ProviderState, RoleState } from '../src/model/aws.js';
import { sortChanges } from '../src/model/changes.js';
import { RefusalError } from '../src/errors.js';

const settings = parseSettings(
  (name) =>
    ({ 'cluster-url': 'teleport.example.com', integration: 'aws-prod', 'role-name': 'teleport-role', 'cluster-name': 'prod', tags: 'team=platform' })[name] ??
    '',
);
const identity = { account: '123456789012', partition: 'aws', arn: 'arn:aws:sts::123456789012:assumed-role/ci/x' };
const desired = desiredState(settings, identity, 'prod', 'us-east-1');
const thumbprint = 'a'.repeat(40);
const owned = { 'teleport.dev/cluster': 'prod', 'teleport.dev/origin': 'integration_awsoidc', 'teleport.dev/integration': 'aws-prod', team: 'platform' };

function provider(overrides: Partial<ProviderState> = {}): ProviderState {
  return {
    arn: desired.providerArn,
    url: 'teleport.example.com',
    clientIds: ['discover.teleport'],
    thumbprints: [thumbprint],
    tags: { ...owned },
    ...overrides,
  };
}
function role(overrides: Partial<RoleState> = {}): RoleState {
  return {
    arn: desired.roleArn,
    name: 'teleport-role',
    description: settings.roleDescription,
    trustPolicy: { Version: '2012-10-17', Statement: [desired.trustStatement] },
    tags: { ...owned },
    ...overrides,
  };
}

describe('desired state', () => {
  it('builds ARNs from the caller partition and account', () => {
    const gov = desiredState(settings, { ...identity, partition: 'aws-us-gov' }, 'prod', 'us-gov-west-1');
    expect(gov.providerArn).toBe('arn:aws-us-gov:iam::123456789012:oidc-provider/teleport.example.com');
    expect(gov.roleArn).toBe('arn:aws-us-gov:iam::123456789012:role/teleport-role');
    expect(gov.integration?.spec.aws_oidc.role_arn).toBe(gov.roleArn);
    expect(JSON.stringify(gov.trustStatement)).toContain('arn:aws-us-gov:iam::123456789012:oidc-provider/teleport.example.com');
  });
  it('carries the three teleport.dev tags and the extra ones', () => {
    expect(desired.tags).toEqual(owned);
  });
});

describe('planProvider', () => {
  it('creates a missing provider with the audience, thumbprint and tags', () => {
    const [change] = planProvider(undefined, desired, thumbprint, { adoptExisting: false });
    expect(change).toMatchObject({
      action: 'create-provider',
      after: { url: 'https://teleport.example.com', clientIds: ['discover.teleport'], thumbprints: [thumbprint], tags: owned },
    });
  });
  it('plans nothing for a provider that matches', () => {
    expect(planProvider(provider(), desired, thumbprint, { adoptExisting: false })).toEqual([]);
  });
  it('repairs a missing audience, a new thumbprint and missing tags', () => {
    const changes = planProvider(
      provider({ clientIds: ['sts.amazonaws.com'], thumbprints: ['b'.repeat(40)], tags: { 'teleport.dev/cluster': 'prod' } }),
      desired,
      thumbprint,
      { adoptExisting: false },
    );
    expect(changes.map((c) => c.action)).toEqual(['add-client-id', 'update-thumbprints', 'tag-provider']);
    expect(changes[1]).toMatchObject({ after: ['b'.repeat(40), thumbprint] });
    expect(Object.keys((changes[2] as { after: object }).after)).toEqual(['teleport.dev/origin', 'teleport.dev/integration', 'team']);
  });
  it('keeps the list within 5 thumbprints by dropping the oldest, and says so', () => {
    const five = ['1', '2', '3', '4', '5'].map((d) => d.repeat(40));
    const [change] = planProvider(provider({ thumbprints: five }), desired, thumbprint, { adoptExisting: false });
    expect(change).toMatchObject({ action: 'update-thumbprints', after: [...five.slice(1), thumbprint] });
    expect(change.reason).toMatch(/oldest 1 of 5 is dropped/);
  });
  it('shares a provider another integration of the same cluster created, without retagging it', () => {
    const shared = provider({ tags: { 'teleport.dev/cluster': 'prod', 'teleport.dev/origin': 'integration_awsoidc', 'teleport.dev/integration': 'aws-dev' } });
    expect(planProvider(shared, desired, thumbprint, { adoptExisting: false })).toEqual([]);
  });
  it('refuses a provider of another cluster', () => {
    expect(() => planProvider(provider({ tags: { 'teleport.dev/cluster': 'staging' } }), desired, thumbprint, { adoptExisting: true })).toThrowError(
      /belongs to Teleport cluster "staging"/,
    );
  });
  it('refuses an untagged provider unless adopting it', () => {
    expect(() => planProvider(provider({ tags: {} }), desired, thumbprint, { adoptExisting: false })).toThrowError(RefusalError);
    expect(() => planProvider(provider({ tags: {} }), desired, thumbprint, { adoptExisting: false })).toThrowError(/adopt-existing-provider: true/);
    expect(planProvider(provider({ tags: {} }), desired, thumbprint, { adoptExisting: true }).map((c) => c.action)).toEqual(['tag-provider']);
  });
});

describe('planRole', () => {
  it('creates a missing role with the trust policy, description and tags', () => {
    const [change] = planRole(undefined, desired, { adoptExisting: false, trustPolicyQuota: 2048 });
    expect(change).toMatchObject({
      action: 'create-role',
      after: { trustPolicy: { Version: '2012-10-17', Statement: [desired.trustStatement] }, description: settings.roleDescription, tags: owned },
    });
  });
  it('plans nothing for a role that matches', () => {
    expect(planRole(role(), desired, { adoptExisting: false, trustPolicyQuota: 2048 })).toEqual([]);
  });
  it('refuses a role without our tags and names the tags to add', () => {
    const run = () => planRole(role({ tags: {} }), desired, { adoptExisting: false, trustPolicyQuota: 2048 });
    expect(run).toThrowError(/IAM role "teleport-role" already exists but is not managed by this integration/);
    expect(run).toThrowError(/teleport.dev\/cluster=prod, teleport.dev\/origin=integration_awsoidc, teleport.dev\/integration=aws-prod/);
  });
  it('refuses a role of another integration even when adopting', () => {
    expect(() =>
      planRole(role({ tags: { ...owned, 'teleport.dev/integration': 'other' } }), desired, { adoptExisting: true, trustPolicyQuota: 2048 }),
    ).toThrowError(/another Teleport integration/);
  });
  it('adopts an untagged role: merges the statement, sets the description and adds tags', () => {
    const foreign = { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' };
    const changes = planRole(role({ tags: { keep: 'me' }, description: '', trustPolicy: { Version: '2012-10-17', Statement: [foreign] } }), desired, {
      adoptExisting: true,
      trustPolicyQuota: 2048,
    });
    expect(changes.map((c) => c.action)).toEqual(['update-trust-policy', 'update-role-description', 'tag-role']);
    expect((changes[0] as { after: unknown }).after).toEqual({ Version: '2012-10-17', Statement: [foreign, desired.trustStatement] });
    expect((changes[2] as { after: unknown }).after).toEqual(owned);
  });
});

describe('planIntegration', () => {
  const wanted = desired.integration!;
  it('creates a missing integration', () => {
    expect(planIntegration(undefined, wanted)).toMatchObject([{ action: 'create-integration', after: wanted }]);
  });
  it('plans nothing when role_arn matches, whatever else tctl returns', () => {
    const existing = {
      ...wanted,
      metadata: { name: 'aws-prod', revision: 'r1' },
      status: {},
      spec: { aws_oidc: { role_arn: desired.roleArn, audience: '' } },
    } as never;
    expect(planIntegration(existing, wanted)).toEqual([]);
  });
  it('updates role_arn but keeps audience, description and labels', () => {
    const existing = {
      kind: 'integration' as const,
      sub_kind: 'aws-oidc',
      version: 'v1',
      metadata: { name: 'aws-prod', description: 'd', labels: { env: 'prod' } },
      spec: { aws_oidc: { role_arn: 'arn:aws:iam::123456789012:role/old', audience: 'aws-identity-center' } },
    };
    const [change] = planIntegration(existing, wanted);
    expect(change).toMatchObject({
      action: 'update-integration',
      after: {
        metadata: { name: 'aws-prod', description: 'd', labels: { env: 'prod' } },
        spec: { aws_oidc: { role_arn: desired.roleArn, audience: 'aws-identity-center' } },
      },
    });
  });
  it('with identity-center declared, sets the audience and keeps description and labels', () => {
    const center = desiredState({ ...settings, features: [{ key: 'identity-center', params: {} }] }, identity, 'prod', 'us-east-1').integration!;
    expect(center.spec.aws_oidc).toEqual({ role_arn: desired.roleArn, audience: 'aws-identity-center' });
    const existing = {
      kind: 'integration' as const,
      sub_kind: 'aws-oidc',
      version: 'v1',
      metadata: { name: 'aws-prod', description: 'd', labels: { env: 'prod' } },
      spec: { aws_oidc: { role_arn: desired.roleArn, audience: '' } },
    };
    const [change] = planIntegration(existing, center);
    expect(change).toMatchObject({
      action: 'update-integration',
      reason: 'its audience is empty, not aws-identity-center (feature identity-center)',
      after: {
        metadata: { name: 'aws-prod', description: 'd', labels: { env: 'prod' } },
        spec: { aws_oidc: { role_arn: desired.roleArn, audience: 'aws-identity-center' } },
      },
    });
    expect(planIntegration((change as { after?: unknown }).after as never, center)).toEqual([]);
  });
  it('refuses an integration of another sub_kind', () => {
    expect(() => planIntegration({ ...wanted, sub_kind: 'azure-oidc' }, wanted)).toThrowError(/sub_kind "azure-oidc"/);
  });
});

describe('sortChanges', () => {
  it('orders changes so dependencies come first', () => {
    const changes = sortChanges([
      ...planIntegration(undefined, desired.integration!),
      ...planRole(undefined, desired, { adoptExisting: false, trustPolicyQuota: 2048 }),
      ...planProvider(undefined, desired, thumbprint, { adoptExisting: false }),
    ]);
    expect(changes.map((c) => c.action)).toEqual(['create-provider', 'create-role', 'create-integration']);
  });
});

describe('role ownership', () => {
  it('repairs a removed origin or cluster tag on a role still tagged for this integration', () => {
    const partial = role({ tags: { 'teleport.dev/integration': 'aws-prod', team: 'platform' } });
    const [change] = planRole(partial, desired, { adoptExisting: false, trustPolicyQuota: 2048 });
    expect(change).toMatchObject({ action: 'tag-role', after: { 'teleport.dev/cluster': 'prod', 'teleport.dev/origin': 'integration_awsoidc' } });
  });
  it('refuses a role that only carries the generic origin tag', () => {
    expect(() =>
      planRole(role({ tags: { 'teleport.dev/origin': 'integration_awsoidc' } }), desired, { adoptExisting: false, trustPolicyQuota: 2048 }),
    ).toThrowError(RefusalError);
  });
});

describe('planProviderDeletion (destroy)', () => {
  const ours = provider();
  const sibling = provider({ tags: { ...owned, 'teleport.dev/integration': 'aws-other' } });
  const trustedBy = [{ name: 'other-role', arn: 'arn:aws:iam::123456789012:role/other-role', sharedWith: 'aws-other', tags: {} }];
  it('deletes its own provider when no other role trusts it', () => {
    expect(planProviderDeletion(ours, 'aws-prod', 'prod', [], undefined).changes.map((c) => c.action)).toEqual(['delete-provider']);
  });
  it('keeps it while another role trusts it, naming the role', () => {
    expect(planProviderDeletion(ours, 'aws-prod', 'prod', trustedBy, undefined)).toEqual({
      changes: [],
      kept: 'still trusted by role other-role (integration aws-other)',
    });
  });
  it("keeps a sibling's provider while Teleport has the sibling, or when that could not be checked", () => {
    expect(planProviderDeletion(sibling, 'aws-prod', 'prod', [], true).kept).toMatch(
      /tagged for integration aws-other of the same cluster, which Teleport still has/,
    );
    expect(planProviderDeletion(sibling, 'aws-prod', 'prod', [], undefined).kept).toMatch(/which could not be checked in Teleport/);
  });
  it("deletes a sibling's provider once Teleport no longer has the sibling and no role trusts it", () => {
    expect(planProviderDeletion(sibling, 'aws-prod', 'prod', [], false).changes.map((c) => c.action)).toEqual(['delete-provider']);
  });
  it("refuses an untagged provider, or another cluster's", () => {
    expect(() => planProviderDeletion(provider({ tags: {} }), 'aws-prod', 'prod', [], undefined)).toThrowError(
      /is not this integration's \(its tags: no tags\)/,
    );
    expect(() => planProviderDeletion(provider({ tags: { ...owned, 'teleport.dev/cluster': 'staging' } }), 'aws-prod', 'prod', [], undefined)).toThrowError(
      /not this integration's/,
    );
  });
  it('is done when the provider is gone', () => {
    expect(planProviderDeletion(undefined, 'aws-prod', 'prod', [], undefined)).toEqual({ changes: [], kept: undefined });
  });
});
