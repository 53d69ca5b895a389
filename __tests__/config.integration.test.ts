/** A config file against moto and the tctl stand-in: several entries, shared providers, isolation. */
import { CreateRoleCommand, ListOpenIDConnectProvidersCommand, ListRolesCommand, UntagRoleCommand } from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import { Tctl } from '../src/clients/tctl.js';
import { parseConfigFile } from '../src/config/config-file.js';
import { runConfig } from '../src/engine/run-config.js';
import { TCTL_STANDIN, useHarness } from './support/harness.js';
import { taggingStandIn } from './support/tagging-standin.js';
import { workerMotoUrl } from './support/worker.js';

const h = useHarness();
const motoUrl = workerMotoUrl();

// Two entries of one cluster (issuer localhost), one of another (issuer 127.0.0.1), one for another account.
const FILE = `cluster-url: localhost
cluster-name: teleport.example.com
tags: { team: platform }
integrations:
  - integration: aws-a
    role-name: teleport-a
    features: { eks: {} }
  - integration: aws-b
    role-name: teleport-b
  - integration: aws-c
    cluster-url: 127.0.0.1
    cluster-name: second.example.com
    role-name: teleport-c
    account-id: "123456789012"
  - integration: aws-other
    role-name: teleport-other
    account-id: "210987654321"
`;

async function run(mode = 'apply', file = FILE) {
  const config = parseConfigFile('teleport.yml', file, (name) => ({ mode })[name] ?? '');
  const { aws, logger } = h.deps();
  return runConfig(config, { aws, logger, tctlFor: () => new Tctl(TCTL_STANDIN) });
}

const statuses = (outcomes: Awaited<ReturnType<typeof run>>['outcomes']) => Object.fromEntries(outcomes.map((o) => [o.entry.name, o.status]));

describe('config file', () => {
  it('creates every entry of the account, skips the other account, then a re-run writes nothing and reads each provider once', async () => {
    const first = await run();
    expect(statuses(first.outcomes)).toEqual({ 'aws-a': 'done', 'aws-b': 'done', 'aws-c': 'done', 'aws-other': 'skipped' });
    const iam = h.direct();
    expect(((await iam.send(new ListOpenIDConnectProvidersCommand({}))).OpenIDConnectProviderList ?? []).map((p) => p.Arn).sort()).toEqual([
      'arn:aws:iam::123456789012:oidc-provider/127.0.0.1',
      'arn:aws:iam::123456789012:oidc-provider/localhost',
    ]);
    expect(((await iam.send(new ListRolesCommand({}))).Roles ?? []).map((r) => r.RoleName).sort()).toEqual(['teleport-a', 'teleport-b', 'teleport-c']);
    for (const name of ['aws-a', 'aws-b', 'aws-c']) expect(h.storedIntegration(name)).toBeDefined();
    expect(h.storedIntegration('aws-other')).toBeUndefined();
    // The shared provider was created once, by the first entry of its issuer.
    expect(h.proxy.calls.filter((c) => c.action === 'CreateOpenIDConnectProvider')).toHaveLength(2);

    h.proxy.clear();
    const tctlWrites = h.tctlWrites();
    const again = await run();
    expect(again.outcomes.flatMap((o) => (o.status === 'done' ? o.result.changes : []))).toEqual([]);
    expect(h.proxy.writes()).toEqual([]);
    expect(h.tctlWrites()).toBe(tctlWrites);
    expect(h.proxy.calls.filter((c) => c.action === 'GetCallerIdentity')).toHaveLength(1);
    expect(h.proxy.calls.filter((c) => c.action === 'GetOpenIDConnectProvider')).toHaveLength(2); // one per issuer, not per entry
  });

  it("takes aws-oidc and aws-ra entries side by side: the file-wide discovery is the aws-oidc ones' only; a re-run writes nothing; check finds nothing", async () => {
    const mixed = `cluster-url: localhost
cluster-name: teleport.example.com
discovery: { group: g, matchers: [{ types: [rds], regions: [us-east-1] }] }
integrations:
  - integration: aws-a
    role-name: teleport-a
  - integration: ra-one
    roles-anywhere: true
  - integration: ra-two
    roles-anywhere: { trust-anchor: second-ca, sync-role: second-sync, sync-profile: second-sync }
`;
    const first = await run('apply', mixed);
    expect(statuses(first.outcomes)).toEqual({ 'aws-a': 'done', 'ra-one': 'done', 'ra-two': 'done' });
    expect(h.stored('integration', 'ra-one')).toMatchObject({ sub_kind: 'aws-ra' });
    expect(h.stored('integration', 'ra-two')).toMatchObject({ sub_kind: 'aws-ra' });
    expect(h.stored('discovery_config', 'aws-a')).toBeDefined();
    h.proxy.clear();
    const again = await run('apply', mixed);
    expect(again.outcomes.flatMap((o) => (o.status === 'done' ? o.result.changes : []))).toEqual([]);
    expect(h.proxy.writes()).toEqual([]);
    // The region's trust anchors and profiles are listed once for both aws-ra entries.
    expect(h.proxy.calls.filter((c) => c.action === 'ListTrustAnchors')).toHaveLength(1);
    h.proxy.addFault(taggingStandIn(motoUrl));
    const check = await run('check', mixed);
    expect(check.outcomes.flatMap((o) => (o.status === 'done' ? o.result.findings : []))).toEqual([]);
  });

  it('check after an out-of-band change flags only the entry concerned', async () => {
    await run();
    await h.direct().send(new UntagRoleCommand({ RoleName: 'teleport-b', TagKeys: ['team'] }));
    h.proxy.clear();
    h.proxy.addFault(taggingStandIn(motoUrl));
    const check = await run('check');
    const findings = Object.fromEntries(
      check.outcomes.flatMap((o) => (o.status === 'skipped' ? [] : [[o.entry.name, o.result?.findings.map((f) => `${f.resource} ${f.target}`)]])),
    );
    // The untagged role shows on its own entry only. (aws-c's issuer is the tests' one HTTPS server,
    // whose discovery document names https://localhost: a real mismatch for cluster 127.0.0.1.)
    expect(findings).toEqual({
      'aws-a': [],
      'aws-b': ['Tags: tag-role arn:aws:iam::123456789012:role/teleport-b'],
      'aws-c': ['OIDC discovery https://127.0.0.1/.well-known/openid-configuration'],
    });
    expect(h.proxy.writes()).toEqual([]);
  });

  it('one failing entry (a role it does not own) leaves the others applied', async () => {
    await h.direct().send(new CreateRoleCommand({ RoleName: 'teleport-b', AssumeRolePolicyDocument: '{"Version":"2012-10-17","Statement":[]}' }));
    const result = await run();
    expect(statuses(result.outcomes)).toEqual({ 'aws-a': 'done', 'aws-b': 'failed', 'aws-c': 'done', 'aws-other': 'skipped' });
    const failed = result.outcomes.find((o) => o.entry.name === 'aws-b');
    expect(failed?.status === 'failed' && failed.error).toMatch(/IAM role "teleport-b" already exists but is not managed by this integration/);
    expect(h.storedIntegration('aws-a')).toBeDefined();
    expect(h.storedIntegration('aws-c')).toBeDefined();
    expect(h.storedIntegration('aws-b')).toBeUndefined();
  });
});
