/** check mode against moto: out-of-band changes are each reported as drift. */
import {
  CreateOpenIDConnectProviderCommand,
  CreateRoleCommand,
  UntagRoleCommand,
  UpdateAssumeRolePolicyCommand,
  RemoveClientIDFromOpenIDConnectProviderCommand,
  UpdateOpenIDConnectProviderThumbprintCommand,
} from '@aws-sdk/client-iam';
import { CreateDocumentCommand, SSMClient } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runAction } from '../src/engine/run.js';
import { teleportTrustStatement } from '../src/resources/aws/trust-policy.js';
import { OWNED_TAGS, PROVIDER_ARN, settingsFor, useHarness } from './support/harness.js';
import { taggingStandIn, type TaggingStandIn } from './support/tagging-standin.js';
import { privateIssuer, workerMotoUrl } from './support/worker.js';

const h = useHarness();
const motoUrl = workerMotoUrl();

let tagging: TaggingStandIn;
beforeEach(() => {
  tagging = taggingStandIn(motoUrl);
  h.proxy.addFault(tagging);
});

async function applyThenClear(inputs: Record<string, string> = {}) {
  const applied = await runAction(settingsFor(inputs), h.deps());
  expect(applied.failure).toBeUndefined();
  h.proxy.clear();
  h.proxy.addFault(tagging);
}

describe('check', () => {
  it('finds no drift right after apply, and writes nothing', async () => {
    await applyThenClear();
    const tctlWrites = h.tctlWrites();
    const result = await runAction(settingsFor({ mode: 'check' }), h.deps());
    expect(result.findings).toEqual([]);
    expect(result.outputs.drift).toBe('false');
    expect(result.failure).toBeUndefined();
    expect(h.proxy.writes()).toEqual([]);
    expect(h.tctlWrites()).toBe(tctlWrites);
    expect(result.markdown).toContain('no drift');
    // The Tagging API was asked in the job region and the partition home region (the same here).
    expect(h.proxy.calls.filter((c) => c.action === 'GetResources').map((c) => c.region)).toEqual(['us-east-1']);
    expect(result.markdown).toMatch(/Resources tagged for this integration \(1,/);
  });

  it('reports each out-of-band change as its own drift item and fails', async () => {
    await applyThenClear();
    const iam = h.direct();
    // 1. a tag removed from the role
    await iam.send(new UntagRoleCommand({ RoleName: 'teleport-test-role', TagKeys: ['teleport.dev/origin'] }));
    // 2. the trust policy replaced by hand
    const foreign = { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' };
    await iam.send(
      new UpdateAssumeRolePolicyCommand({ RoleName: 'teleport-test-role', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [foreign] }) }),
    );
    // 3. the audience removed from the provider
    await iam.send(new RemoveClientIDFromOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: PROVIDER_ARN, ClientID: 'discover.teleport' }));
    // 4. a second role trusting our provider
    await iam.send(
      new CreateRoleCommand({
        RoleName: 'sneaky-role',
        AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [teleportTrustStatement(PROVIDER_ARN, 'localhost')] }),
      }),
    );
    // 5. a stray provider tagged for the integration (an old issuer URL)
    await iam.send(new CreateOpenIDConnectProviderCommand({ Url: 'https://old-teleport.example.com', ClientIDList: ['discover.teleport'], Tags: OWNED_TAGS }));

    const result = await runAction(settingsFor({ mode: 'check' }), h.deps());
    const drift = result.findings;
    const text = drift.map((f) => `${f.resource} | ${f.target} | ${f.message}`);
    expect(text).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^OIDC provider: add-client-id/),
        expect.stringMatching(/^Trust policy: update-trust-policy/),
        expect.stringMatching(/^Tags: tag-role .*teleport\.dev\/origin/),
        expect.stringMatching(/^Other roles trusting the provider \| arn:aws:iam::123456789012:role\/sneaky-role/),
        expect.stringMatching(/^Tagged inventory \| arn:aws:iam::123456789012:oidc-provider\/old-teleport\.example\.com/),
      ]),
    );
    expect(drift).toHaveLength(5);
    expect(result.outputs.drift).toBe('true');
    expect(result.failure).toMatch(/^Drift found: 5 differences/);
    expect(result.annotations.filter((a) => a.level === 'error')).toHaveLength(5);
    expect(h.proxy.writes()).toEqual([]);
    expect(result.markdown).toContain('drift found: 5 differences');
  });

  it('only reports with fail-on-drift: false', async () => {
    await applyThenClear();
    await h.direct().send(new UntagRoleCommand({ RoleName: 'teleport-test-role', TagKeys: ['teleport.dev/cluster'] }));
    const result = await runAction(settingsFor({ mode: 'check', 'fail-on-drift': 'false' }), h.deps());
    expect(result.failure).toBeUndefined();
    expect(result.outputs.drift).toBe('true');
    expect(result.annotations.every((a) => a.level === 'warning')).toBe(true);
    expect(result.annotations.length).toBeGreaterThan(0);
  });

  it('lists a role tagged for another integration of the cluster as sharing the provider, not as drift', async () => {
    await applyThenClear();
    await h.direct().send(
      new CreateRoleCommand({
        RoleName: 'sibling-role',
        AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [teleportTrustStatement(PROVIDER_ARN, 'localhost')] }),
        Tags: [OWNED_TAGS[0], OWNED_TAGS[1], { Key: 'teleport.dev/integration', Value: 'aws-other' }],
      }),
    );
    const result = await runAction(settingsFor({ mode: 'check' }), h.deps());
    expect(result.findings).toEqual([]);
    expect(result.markdown).toContain('shared with other integrations: sibling-role (aws-other)');
  });

  it("reports another cluster's role that trusts this cluster's provider as drift: this cluster's tokens can assume it", async () => {
    await applyThenClear();
    await h.direct().send(
      new CreateRoleCommand({
        RoleName: 'other-cluster-role',
        AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [teleportTrustStatement(PROVIDER_ARN, 'localhost')] }),
        Tags: [{ Key: 'teleport.dev/cluster', Value: 'other.example.com' }, OWNED_TAGS[1], { Key: 'teleport.dev/integration', Value: 'aws-other' }],
      }),
    );
    const result = await runAction(settingsFor({ mode: 'check' }), h.deps());
    expect(result.findings.map((f) => f.target)).toEqual(['arn:aws:iam::123456789012:role/other-cluster-role']);
    expect(result.markdown).not.toContain('shared with other integrations: other-cluster-role');
    expect(result.outputs.drift).toBe('true');
  });

  it('pages through the Tagging API, and reports every tagged SSM document no ec2-ssm region declares', async () => {
    await applyThenClear();
    const ssm = new SSMClient({ endpoint: motoUrl, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    const content = JSON.stringify({
      schemaVersion: '2.2',
      description: 'x',
      mainSteps: [{ action: 'aws:runShellScript', name: 'run', inputs: { runCommand: ['true'] } }],
    });
    for (let i = 0; i < 105; i++) {
      await ssm.send(
        new CreateDocumentCommand({ Name: `TeleportDiscoveryInstaller-${i}`, Content: content, DocumentType: 'Command', Tags: OWNED_TAGS.slice(1) }),
      );
    }
    const result = await runAction(settingsFor({ mode: 'check', regions: 'us-east-1' }), h.deps());
    // No feature is declared, so every document tagged for the integration was left behind.
    expect(result.findings).toHaveLength(105);
    expect(new Set(result.findings.map((f) => f.target))).toEqual(
      new Set(Array.from({ length: 105 }, (_, i) => `arn:aws:ssm:us-east-1:123456789012:document/TeleportDiscoveryInstaller-${i}`)),
    );
    expect(result.findings.every((f) => f.resource === 'Tagged inventory' && /left behind when a region/.test(f.message))).toBe(true);
    expect(result.markdown).toMatch(/Resources tagged for this integration \(106,/);
    expect(result.markdown).toContain('ssm:document');
    expect(h.proxy.calls.filter((c) => c.action === 'GetResources')).toHaveLength(2); // 100 + 6: two pages
  });

  it('scans every region given, and the job region plus the home region by default', async () => {
    await applyThenClear();
    await runAction(settingsFor({ mode: 'check', regions: 'eu-west-1, ap-south-1' }), h.deps());
    expect([...tagging.pagesServed.keys()].sort()).toEqual(['ap-south-1', 'eu-west-1']);
    tagging.pagesServed.clear();
    await runAction(settingsFor({ mode: 'check' }), h.deps({ region: 'eu-central-1' }));
    expect([...tagging.pagesServed.keys()].sort()).toEqual(['eu-central-1', 'us-east-1']);
  });

  describe('with an issuer of its own that changes what it serves', () => {
    let issuer: Awaited<ReturnType<typeof privateIssuer>>;
    beforeAll(async () => void (issuer = await privateIssuer()));
    afterAll(() => issuer?.close());
    beforeEach(() => issuer.setState({ issuer: `https://${issuer.host}`, servesDiscovery: true }));
    const inputs = () => ({ 'cluster-url': issuer.host });

    it('reports an OIDC discovery document whose issuer differs from the provider URL', async () => {
      await applyThenClear(inputs());
      issuer.setState({ issuer: 'https://teleport.internal.example.com' });
      const result = await runAction(settingsFor({ ...inputs(), mode: 'check' }), h.deps());
      const [finding] = result.findings;
      expect(finding.resource).toBe('OIDC discovery');
      expect(finding.message).toContain(
        `says issuer "https://teleport.internal.example.com" but the provider URL is https://${issuer.host}: AWS rejects every token`,
      );
      expect(result.failure).toMatch(/^Drift found: 1 difference/);
    });

    it('reports an unreachable OIDC discovery document', async () => {
      await applyThenClear(inputs());
      issuer.setState({ servesDiscovery: false });
      const result = await runAction(settingsFor({ ...inputs(), mode: 'check' }), h.deps());
      expect(result.findings.map((f) => f.message)).toEqual([
        expect.stringContaining(`discovery document is unreachable (https://${issuer.host}/.well-known/openid-configuration answered 404`),
      ]);
    });
  });

  it('reports a certificate chain whose thumbprint the provider does not list', async () => {
    await applyThenClear();
    await h.direct().send(new UpdateOpenIDConnectProviderThumbprintCommand({ OpenIDConnectProviderArn: PROVIDER_ARN, ThumbprintList: ['a'.repeat(40)] }));
    const result = await runAction(settingsFor({ mode: 'check' }), h.deps());
    expect(result.findings.map((f) => f.resource)).toEqual(['OIDC provider: update-thumbprints']);
  });

  it('reports a provider that lost its audience, and a missing role, as drift', async () => {
    await h.direct().send(new CreateOpenIDConnectProviderCommand({ Url: 'https://localhost', ClientIDList: ['sts.amazonaws.com'], Tags: OWNED_TAGS }));
    const result = await runAction(settingsFor({ mode: 'check', 'fail-on-drift': 'false' }), h.deps());
    const actions = result.changes.map((c) => c.action);
    expect(actions).toEqual(expect.arrayContaining(['add-client-id', 'create-role', 'create-integration']));
    expect(result.outputs.drift).toBe('true');
  });
});
