/**
 * Teleport's IAM Roles Anywhere integration (aws-ra) as code, against the emulator's Roles Anywhere
 * (scripts/emulator/rolesanywhere.py, from AWS's API model) through the real signer, moto's IAM
 * and the tctl stand-in's aws-ra integration and `auth export --type=awsra`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CreateRoleCommand, GetRoleCommand, GetRolePolicyCommand, UpdateAssumeRolePolicyCommand } from '@aws-sdk/client-iam';
import { STSClient } from '@aws-sdk/client-sts';
import { describe, expect, it } from 'vitest';
import { RolesAnywhereClient } from '../src/clients/rolesanywhere.js';
import { runAction } from '../src/engine/run.js';
import { importIntegrations } from '../src/engine/import.js';
import { parseImportSettings } from '../src/config/import-inputs.js';
import { parseConfigFile } from '../src/config/config-file.js';
import { ACCOUNT, ROOT, settingsFor, useHarness } from './support/harness.js';
import { workerMotoUrl } from './support/worker.js';

const h = useHarness();
const motoUrl = workerMotoUrl();
const CA_1 = readFileSync(path.join(ROOT, '__tests__/support/fixtures/awsra-ca-1.pem'), 'utf8').trim();
const CA_2 = readFileSync(path.join(ROOT, '__tests__/support/fixtures/awsra-ca-2.pem'), 'utf8').trim();
const SYNC_ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/TeleportRolesAnywhereProfileSync`;
const TAGS = {
  'teleport.dev/cluster': 'teleport.example.com',
  'teleport.dev/origin': 'integration_awsrolesanywhere',
  'teleport.dev/integration': 'aws-ra-test',
};
const inputs = (extra: Record<string, string> = {}) => ({ integration: 'aws-ra-test', 'role-name': '', 'roles-anywhere': 'true', ...extra });

/** Straight to the emulator, as someone in the console would act: not through the recording proxy. */
// The SDK's own hash, as the action signs with it.
const sts = new STSClient({ region: 'us-east-1' });
const direct = new RolesAnywhereClient('us-east-1', async () => ({ accessKeyId: 'test', secretAccessKey: 'test' }), sts.config.sha256, motoUrl);
const anchors = async () =>
  (
    await direct.send<{
      trustAnchors: {
        trustAnchorArn: string;
        trustAnchorId: string;
        name: string;
        enabled: boolean;
        source: { sourceData: { x509CertificateData: string } };
      }[];
    }>({ method: 'GET', path: '/trustanchors' })
  ).trustAnchors;
const profiles = async () =>
  (
    await direct.send<{ profiles: { profileArn: string; profileId: string; name: string; enabled: boolean; roleArns: string[] }[] }>({
      method: 'GET',
      path: '/profiles',
    })
  ).profiles;
const tagsOf = async (arn: string) =>
  Object.fromEntries(
    (await direct.send<{ tags: { key: string; value: string }[] }>({ method: 'GET', path: '/ListTagsForResource', query: { resourceArn: arn } })).tags.map(
      (t) => [t.key, t.value],
    ),
  );
const caIs = (certificates: string[]) => writeFileSync(path.join(h.tctlDir(), 'cert_authority-awsra.json'), JSON.stringify({ certificates }));
const pemBody = (pem: string) => pem.replace(/-----[A-Z ]+-----|\s/g, '');

async function apply(extra: Record<string, string> = {}) {
  const result = await runAction(settingsFor(inputs(extra)), h.deps());
  expect(result.failure).toBeUndefined();
  h.proxy.clear();
  return result;
}

describe('roles-anywhere: an aws-ra integration', () => {
  it('makes what awsra-trust-anchor makes, the integration last; a re-run writes nothing to AWS or Teleport', async () => {
    const result = await apply({ 'roles-anywhere': "{ profile-filters: ['prod-*', '^dev-.*$'] }" });
    expect(result.changes.map((c) => c.action)).toEqual(['create-trust-anchor', 'create-sync-role', 'create-sync-profile', 'create-ra-integration']);

    const [anchor] = await anchors();
    expect(anchor).toMatchObject({ name: 'TeleportRolesAnywhereIntegrationCA', enabled: true });
    expect(pemBody(anchor.source.sourceData.x509CertificateData)).toBe(pemBody(CA_1));
    expect(await tagsOf(anchor.trustAnchorArn)).toEqual(TAGS);

    const { Role } = await h.direct().send(new GetRoleCommand({ RoleName: 'TeleportRolesAnywhereProfileSync' }));
    // Teleport's own trust policy (awsra's trustanchor_config_test.go), naming the anchor just made.
    expect(JSON.parse(decodeURIComponent(Role!.AssumeRolePolicyDocument!))).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: ['sts:AssumeRole', 'sts:SetSourceIdentity', 'sts:TagSession'],
          Principal: { Service: 'rolesanywhere.amazonaws.com' },
          Condition: { ArnEquals: { 'aws:SourceArn': anchor.trustAnchorArn } },
        },
      ],
    });
    const { PolicyDocument } = await h
      .direct()
      .send(new GetRolePolicyCommand({ RoleName: 'TeleportRolesAnywhereProfileSync', PolicyName: 'TeleportRolesAnywhereProfileSync' }));
    expect(JSON.parse(decodeURIComponent(PolicyDocument!)).Statement).toEqual([
      {
        Sid: 'RolesAnywhereProfileSync',
        Effect: 'Allow',
        Action: ['rolesanywhere:ListProfiles', 'rolesanywhere:ListTagsForResource', 'rolesanywhere:ImportCrl', 'iam:GetRole'],
        Resource: '*',
      },
    ]);

    const [profile] = await profiles();
    expect(profile).toMatchObject({ name: 'TeleportRolesAnywhereProfileSync', enabled: true, roleArns: [SYNC_ROLE_ARN] });
    expect(await tagsOf(profile.profileArn)).toEqual(TAGS);

    expect(h.stored('integration', 'aws-ra-test')).toMatchObject({
      sub_kind: 'aws-ra',
      spec: {
        aws_ra: {
          trust_anchor_arn: anchor.trustAnchorArn,
          profile_sync_config: {
            enabled: true,
            profile_arn: profile.profileArn,
            role_arn: SYNC_ROLE_ARN,
            profile_accepts_role_session_name: false,
            profile_name_filters: ['prod-*', '^dev-.*$'],
          },
        },
      },
    });
    expect(result.outputs['role-arn']).toBe(SYNC_ROLE_ARN);
    expect(result.markdown).toMatch(/Roles Anywhere trust anchor \| <code>TeleportRolesAnywhereIntegrationCA<\/code> \| created/);

    const tctlWrites = h.tctlWrites();
    const again = await runAction(settingsFor(inputs({ 'roles-anywhere': "{ profile-filters: ['prod-*', '^dev-.*$'] }" })), h.deps());
    expect(again.failure).toBeUndefined();
    expect(again.changes).toEqual([]);
    expect(h.proxy.writes()).toEqual([]);
    expect(h.tctlWrites()).toBe(tctlWrites);
    expect(h.proxy.actions()).toContain('rolesanywhere:ListTrustAnchors');
  });

  it('check catches a CA rotation (the anchor lacks the new certificate), apply writes both, and the finished rotation drops the old one', async () => {
    await apply();
    caIs([CA_1, CA_2]);
    const check = await runAction(settingsFor(inputs({ mode: 'check' })), h.deps());
    expect(check.drift).toBe(true);
    expect(check.findings.map((f) => f.resource)).toEqual(['Roles Anywhere trust anchor: update-trust-anchor']);
    expect(check.findings[0].message).toContain("it lacks 1 of the cluster's current awsra CA certificates (the CA was rotated, or the bundle edited)");
    expect(check.findings[0].message).toMatch(
      /source.x509CertificateData: live 1 certificate\(s\): MIIB\S+…; declared the cluster's awsra CA: MIIB\S+…, MIIB\S+…/,
    );
    expect(check.findings[0].message).toContain('tctl auth export --type awsra');
    expect(h.proxy.writes()).toEqual([]);

    const repaired = await apply();
    expect(repaired.changes.map((c) => c.action)).toEqual(['update-trust-anchor']);
    expect(h.proxy.actions()).not.toContain('rolesanywhere:CreateTrustAnchor');
    const bundle = (await anchors())[0].source.sourceData.x509CertificateData;
    expect([pemBody(CA_1), pemBody(CA_2)].every((c) => pemBody(bundle).includes(c))).toBe(true);
    expect((await runAction(settingsFor(inputs({ mode: 'check' })), h.deps())).drift).toBe(false);

    caIs([CA_2]);
    const done = await runAction(settingsFor(inputs({ mode: 'check' })), h.deps());
    expect(done.findings[0].message).toContain('it still trusts 1 certificate(s) the CA no longer has');
    await apply();
    expect(pemBody((await anchors())[0].source.sourceData.x509CertificateData)).toBe(pemBody(CA_2));
  });

  it('check reports a disabled trust anchor and profile, and a profile that names another role; apply puts them right', async () => {
    await apply();
    const [anchor] = await anchors();
    const [profile] = await profiles();
    await direct.send({ method: 'POST', path: `/trustanchor/${anchor.trustAnchorId}/disable` });
    await direct.send({ method: 'POST', path: `/profile/${profile.profileId}/disable` });
    await direct.send({ method: 'PATCH', path: `/profile/${profile.profileId}`, body: { roleArns: [`arn:aws:iam::${ACCOUNT}:role/Admin`] } });
    const check = await runAction(settingsFor(inputs({ mode: 'check' })), h.deps());
    const messages = check.findings.map((f) => f.message).join('\n');
    expect(messages).toContain('it is disabled: Roles Anywhere refuses every session through it');
    expect(messages).toContain('it is disabled: profile sync cannot start a session');
    expect(messages).toContain(`its roles are not the sync role alone (arn:aws:iam::${ACCOUNT}:role/Admin)`);
    await apply();
    expect((await anchors())[0].enabled).toBe(true);
    expect(await profiles()).toMatchObject([{ enabled: true, roleArns: [SYNC_ROLE_ARN] }]);
  });

  it("check and apply compare Teleport's integration field by field: new filters and a flipped flag update it", async () => {
    await apply({ 'roles-anywhere': "{ profile-filters: ['prod-*'] }" });
    const changed = { 'roles-anywhere': "{ profile-filters: ['prod-*', 'staging-*'], accept-role-session-name: true }" };
    const check = await runAction(settingsFor(inputs({ mode: 'check', ...changed })), h.deps());
    expect(check.findings.map((f) => f.resource)).toEqual(['Teleport integration (aws-ra): update-ra-integration']);
    expect(check.findings[0].message).toContain('profile_sync_config.profile_name_filters: live ["prod-*"]; declared ["prod-*","staging-*"].');
    expect(check.findings[0].message).toContain('profile_sync_config.profile_accepts_role_session_name: live false; declared true.');
    const repaired = await apply(changed);
    expect(repaired.changes.map((c) => c.action)).toEqual(['update-ra-integration']);
    expect(h.stored('integration', 'aws-ra-test')).toMatchObject({
      spec: { aws_ra: { profile_sync_config: { profile_name_filters: ['prod-*', 'staging-*'], profile_accepts_role_session_name: true } } },
    });
  });

  it('needs no TLS chain from the proxy (there is no OIDC provider): a proxy this job cannot reach leaves only the version unchecked', async () => {
    const deps = h.deps();
    const result = await runAction(settingsFor(inputs({ 'cluster-url': 'teleport.unreachable.invalid', 'cluster-name': 'teleport.example.com' })), deps);
    expect(result.failure).toBeUndefined();
    expect(result.changes.map((c) => c.action)).toEqual(['create-trust-anchor', 'create-sync-role', 'create-sync-profile', 'create-ra-integration']);
    expect(deps.logger.lines).toContainEqual(
      expect.stringMatching(/^warning: The cluster's Teleport version could not be read .*Roles Anywhere integration .* needs 18\.2\.1, not checked/),
    );
  });

  it('never replaces an integration of that name that is not aws-ra', async () => {
    h.seed({
      kind: 'integration',
      sub_kind: 'aws-oidc',
      version: 'v1',
      metadata: { name: 'aws-ra-test' },
      spec: { aws_oidc: { role_arn: `arn:aws:iam::${ACCOUNT}:role/r` } },
    });
    const result = await runAction(settingsFor(inputs()), h.deps());
    expect(result.failure).toContain('Teleport integration aws-ra-test exists as aws-oidc, not aws-ra: it is never replaced.');
    expect(h.proxy.writes()).toEqual([]);
    expect(h.stored('integration', 'aws-ra-test')).toMatchObject({ sub_kind: 'aws-oidc' });
  });

  it('check reports a profile Teleport syncs whose role does not trust Roles Anywhere (only profiles the filters take)', async () => {
    await apply({ 'roles-anywhere': "{ profile-filters: ['prod-*'] }" });
    const raTrust = {
      Effect: 'Allow',
      Principal: { Service: 'rolesanywhere.amazonaws.com' },
      Action: ['sts:AssumeRole', 'sts:TagSession', 'sts:SetSourceIdentity'],
    };
    const ec2 = { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' };
    for (const [name, statement] of [
      ['ReadOnly', raTrust],
      ['Admin', ec2],
    ] as const) {
      await h
        .direct()
        .send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [statement] }) }));
    }
    const role = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;
    for (const [name, roles] of [
      ['prod-readonly', [role('ReadOnly')]],
      ['prod-admin', [role('ReadOnly'), role('Admin')]],
      ['dev-admin', [role('Admin')]],
    ] as const) {
      await direct.send({ method: 'POST', path: '/profiles', body: { name, roleArns: roles, enabled: true } });
    }
    const check = await runAction(settingsFor(inputs({ mode: 'check', 'roles-anywhere': "{ profile-filters: ['prod-*'] }" })), h.deps());
    expect(check.findings.map((f) => f.message)).toEqual([
      `Profile prod-admin, which profile sync shows in Teleport, names role ${role('Admin')}, which does not exist or does not trust rolesanywhere.amazonaws.com: ` +
        'a session with that role fails. Add the Roles Anywhere trust statement to the role (sts:AssumeRole, sts:SetSourceIdentity, sts:TagSession), or take it out of the profile.',
    ]);
    expect(check.report.rows.find((r) => r.resource === 'Profiles Teleport syncs')).toMatchObject({
      status: 'drift',
      reason: '2 profile(s): prod-readonly, prod-admin; 1 role(s) not trusting Roles Anywhere',
    });
    expect(h.proxy.writes()).toEqual([]);
  });

  it("check reports profile sync's health from the integration's status: failed, or older than 15 minutes", async () => {
    await apply();
    const sync = (status: object) => h.editStored('integration', 'aws-ra-test', (i) => (i.status = { aws_ra: { last_profile_sync: status } }));
    sync({ status: 'SUCCESS', end_time: new Date().toISOString(), synced_profiles: 3 });
    const healthy = await runAction(settingsFor(inputs({ mode: 'check' })), h.deps());
    expect(healthy.report.rows.find((r) => r.resource === 'Profile sync (health)')).toMatchObject({
      status: 'healthy',
      reason: expect.stringContaining('3 profile(s) synced'),
    });

    sync({ status: 'ERROR', error_message: 'AccessDenied: rolesanywhere:ListProfiles', end_time: new Date().toISOString() });
    const failed = await runAction(settingsFor(inputs({ mode: 'check', 'fail-on-unhealthy': 'true' })), h.deps());
    expect(failed.report.verdict).toBe('no drift; profile sync unhealthy: 1 problem');
    expect(failed.failure).toContain(
      'Profile sync is unhealthy (fail-on-unhealthy): Integration aws-ra-test: the last profile sync failed (ERROR: AccessDenied: rolesanywhere:ListProfiles).',
    );

    sync({ status: 'SUCCESS', end_time: new Date(Date.now() - 40 * 60_000).toISOString() });
    const stale = await runAction(settingsFor(inputs({ mode: 'check' })), h.deps());
    expect(stale.annotations).toContainEqual(
      expect.objectContaining({
        level: 'warning',
        title: 'Profile sync unhealthy',
        message: expect.stringContaining('ended 40 minutes ago (it runs every 5)'),
      }),
    );
  });

  it("refuses a trust anchor of that name that is not this integration's, writing nothing", async () => {
    await direct.send({
      method: 'POST',
      path: '/trustanchors',
      body: {
        name: 'TeleportRolesAnywhereIntegrationCA',
        source: { sourceType: 'CERTIFICATE_BUNDLE', sourceData: { x509CertificateData: CA_2 } },
        enabled: true,
      },
    });
    const result = await runAction(settingsFor(inputs()), h.deps());
    expect(result.failure).toMatch(
      /Roles Anywhere trust anchor TeleportRolesAnywhereIntegrationCA \(arn:aws:rolesanywhere:us-east-1:\d+:trust-anchor\/[0-9a-f-]+\) is not owned by this integration: it has no teleport.dev\/integration tag/,
    );
    expect(h.proxy.writes()).toEqual([]);
    expect(h.tctlWrites()).toBe(0);
  });

  it('destroy deletes the integration, the profile, the trust anchor and the sync role, in that order; a second destroy writes nothing', async () => {
    await apply();
    const before = h.tctlWrites();
    const result = await runAction(settingsFor(inputs({ mode: 'destroy', 'confirm-destroy': 'aws-ra-test' })), h.deps());
    expect(result.failure).toBeUndefined();
    expect(result.changes.map((c) => c.action)).toEqual(['delete-ra-integration', 'delete-sync-profile', 'delete-trust-anchor', 'delete-sync-role']);
    expect(h.proxy.writes().map((c) => c.action)).toEqual(['DeleteProfile', 'DeleteTrustAnchor', 'DeleteRolePolicy', 'DeleteRole']);
    expect(h.tctlWrites()).toBe(before + 1);
    expect(h.stored('integration', 'aws-ra-test')).toBeUndefined();
    expect(await anchors()).toEqual([]);
    expect(await profiles()).toEqual([]);
    expect(result.report.rows.map((r) => `${r.resource}: ${r.status}`)).toEqual([
      'Teleport integration (aws-ra): deleted',
      'Profile sync profile: deleted',
      'Roles Anywhere trust anchor: deleted',
      'Profile sync role: deleted',
    ]);
    h.proxy.clear();
    const again = await runAction(settingsFor(inputs({ mode: 'destroy', 'confirm-destroy': 'aws-ra-test' })), h.deps());
    expect(again.failure).toBeUndefined();
    expect(h.proxy.writes()).toEqual([]);
  });

  it('import writes the aws-ra integration as an entry with roles-anywhere, and a plan right after changes nothing', async () => {
    await apply({ 'roles-anywhere': "{ trust-anchor: Acme CA, sync-profile: acme-sync, accept-role-session-name: true, profile-filters: ['prod-*'] }" });
    const deps = h.deps();
    const settings = parseImportSettings((name) => ({ 'cluster-url': 'localhost', config: 'x.yml', mode: 'import' })[name] ?? '');
    const imported = await importIntegrations(settings, { ...deps, tctl: deps.tctl! });
    expect(imported.notImported).toEqual([]);
    expect(imported.entries.map((e) => [e.entry, e.pending])).toEqual([
      [
        {
          integration: 'aws-ra-test',
          'roles-anywhere': { 'trust-anchor': 'Acme CA', 'sync-profile': 'acme-sync', 'accept-role-session-name': true, 'profile-filters': ['prod-*'] },
          'account-id': ACCOUNT,
        },
        [],
      ],
    ]);
    expect(imported.text).toContain(
      '    roles-anywhere:\n      trust-anchor: Acme CA\n      sync-profile: acme-sync\n      accept-role-session-name: true\n      profile-filters: [prod-*]\n',
    );
  });

  it("stays within Roles Anywhere's rate (one call per family a second): unpaced it is throttled, paced it is not", async () => {
    await apply();
    const limit = (ratePerSecond: number) => fetch(`${motoUrl}/_emulator/rolesanywhere`, { method: 'POST', body: JSON.stringify({ ratePerSecond }) });
    try {
      await limit(1);
      // Unpaced, two tag reads within a second: the emulator answers ThrottlingException, and retries that do not wait cannot get through.
      await expect(runAction(settingsFor(inputs({ mode: 'check' })), h.deps({ rolesAnywhereIntervalMs: 0 }))).rejects.toThrow(
        /rolesanywhere:ListTagsForResource still failed after \d+ attempts .*ThrottlingException: Rate exceeded/,
      );
      await limit(1);
      // Paced as in production (1,000 ms per family): nothing is throttled.
      const paced = h.deps({ rolesAnywhereIntervalMs: 1_000 });
      const check = await runAction(settingsFor(inputs({ mode: 'check' })), paced);
      expect(check.failure).toBeUndefined();
      expect(check.drift).toBe(false);
      expect(paced.logger.lines.filter((l) => /ThrottlingException/.test(l))).toEqual([]);
    } finally {
      await limit(0);
    }
  });
});

describe('roles-anywhere: access profiles', () => {
  const PROFILES = '{ profiles: [{ name: prod-readonly, roles: [ReadOnly], duration: 7200, application-name: aws-prod-readonly }] }';
  const ec2 = { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' };
  const readOnly = async () => {
    const { Role } = await h.direct().send(new GetRoleCommand({ RoleName: 'ReadOnly' }));
    return {
      statements: (JSON.parse(decodeURIComponent(Role!.AssumeRolePolicyDocument!)) as { Statement: object[] }).Statement,
      tags: Object.fromEntries((Role!.Tags ?? []).map((t) => [t.Key, t.Value])),
    };
  };
  const makeReadOnly = () =>
    h.direct().send(
      new CreateRoleCommand({
        RoleName: 'ReadOnly',
        AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [ec2] }),
        Tags: [{ Key: 'team', Value: 'x' }],
      }),
    );

  it('makes each profile and has each of its roles trust Roles Anywhere from the trust anchor, every other statement kept; a re-run writes nothing', async () => {
    await makeReadOnly();
    const result = await apply({ 'roles-anywhere': PROFILES });
    expect(result.changes.map((c) => c.action)).toEqual([
      'create-trust-anchor',
      'create-sync-role',
      'create-sync-profile',
      'update-profile-role',
      'create-access-profile',
      'create-ra-integration',
    ]);
    const [anchor] = await anchors();
    const profile = (await profiles()).find((p) => p.name === 'prod-readonly')!;
    expect(profile).toMatchObject({ enabled: true, roleArns: [`arn:aws:iam::${ACCOUNT}:role/ReadOnly`], durationSeconds: 7200 });
    expect(await tagsOf(profile.profileArn)).toEqual({ ...TAGS, TeleportApplicationName: 'aws-prod-readonly' });
    expect(await readOnly()).toEqual({
      statements: [
        ec2,
        {
          Sid: 'TeleportRolesAnywhereawsratest',
          Effect: 'Allow',
          Principal: { Service: 'rolesanywhere.amazonaws.com' },
          Action: ['sts:AssumeRole', 'sts:SetSourceIdentity', 'sts:TagSession'],
          Condition: { ArnEquals: { 'aws:SourceArn': anchor.trustAnchorArn } },
        },
      ],
      tags: { team: 'x', 'teleport-aws-oidc-integration-action/roles-anywhere': 'aws-ra-test' },
    });
    const again = await runAction(settingsFor(inputs({ 'roles-anywhere': PROFILES })), h.deps());
    expect(again.changes).toEqual([]);
    expect(h.proxy.writes()).toEqual([]);
  });

  it('check reports a role that lost its statement and a profile changed by hand; apply repairs both; a missing role is refused', async () => {
    await makeReadOnly();
    await apply({ 'roles-anywhere': PROFILES });
    await h
      .direct()
      .send(new UpdateAssumeRolePolicyCommand({ RoleName: 'ReadOnly', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [ec2] }) }));
    const profile = (await profiles()).find((p) => p.name === 'prod-readonly')!;
    await direct.send({ method: 'PATCH', path: `/profile/${profile.profileId}`, body: { durationSeconds: 43200 } });
    await direct.send({ method: 'POST', path: `/profile/${profile.profileId}/disable` });
    h.proxy.clear();
    const check = await runAction(settingsFor(inputs({ mode: 'check', 'roles-anywhere': PROFILES })), h.deps());
    expect(check.findings.map((f) => f.resource)).toEqual(["Access profiles' roles: update-profile-role", 'Access profiles: update-access-profile']);
    // At one request per family a second, each list is read once: by the sync profile, the access profiles and check's scan together.
    expect(h.proxy.actions().filter((a) => a === 'rolesanywhere:ListProfiles')).toHaveLength(1);
    expect(h.proxy.actions().filter((a) => a === 'rolesanywhere:ListTrustAnchors')).toHaveLength(1);
    expect(check.findings[0].message).toContain('role ReadOnly does not trust Roles Anywhere from the trust anchor: a session with it fails');
    expect(check.findings[1].message).toContain('durationSeconds is 43200, declared 7200');
    expect(check.findings[1].message).toContain('disabled: no session through it');
    await apply({ 'roles-anywhere': PROFILES });
    expect((await readOnly()).statements).toHaveLength(2);
    expect((await profiles()).find((p) => p.name === 'prod-readonly')).toMatchObject({ enabled: true, durationSeconds: 7200 });

    const missing = await runAction(settingsFor(inputs({ 'roles-anywhere': '{ profiles: [{ name: prod-admin, roles: [Admin] }] }' })), h.deps());
    expect(missing.failure).toContain('IAM role "Admin" (roles-anywhere profiles) does not exist');
    expect(h.proxy.writes()).toEqual([]);
  });

  it("refuses a profile of a declared name that is not this integration's, writing nothing", async () => {
    await makeReadOnly();
    await direct.send({
      method: 'POST',
      path: '/profiles',
      body: { name: 'prod-readonly', roleArns: [`arn:aws:iam::${ACCOUNT}:role/ReadOnly`], enabled: true },
    });
    const result = await runAction(settingsFor(inputs({ 'roles-anywhere': PROFILES })), h.deps());
    expect(result.failure).toMatch(
      /Roles Anywhere profile prod-readonly \(arn:aws:rolesanywhere:[^)]+\) is not owned by this integration: it has no teleport.dev\/integration tag/,
    );
    expect(h.proxy.writes()).toEqual([]);
    // Destroy leaves it too.
    const destroyed = await runAction(settingsFor(inputs({ mode: 'destroy', 'confirm-destroy': 'aws-ra-test', 'roles-anywhere': PROFILES })), h.deps());
    expect(destroyed.failure).toBeUndefined();
    expect((await profiles()).map((p) => p.name)).toEqual(['prod-readonly']);
    expect(destroyed.report.rows.find((r) => r.resource === 'Access profiles')).toMatchObject({
      status: 'kept',
      reason: 'not tagged for this integration: never deleted',
    });
  });

  it('destroy deletes the profiles and takes back only the statement it added; the roles stay', async () => {
    await makeReadOnly();
    await apply({ 'roles-anywhere': PROFILES });
    h.proxy.clear();
    const result = await runAction(settingsFor(inputs({ mode: 'destroy', 'confirm-destroy': 'aws-ra-test', 'roles-anywhere': PROFILES })), h.deps());
    expect(result.failure).toBeUndefined();
    expect(h.proxy.actions().filter((a) => a === 'rolesanywhere:ListProfiles')).toHaveLength(1);
    expect(result.changes.map((c) => c.action)).toEqual([
      'delete-ra-integration',
      'delete-access-profile',
      'delete-sync-profile',
      'release-profile-role',
      'delete-trust-anchor',
      'delete-sync-role',
    ]);
    expect(await profiles()).toEqual([]);
    expect(await readOnly()).toEqual({ statements: [ec2], tags: { team: 'x' } });
    expect(result.report.rows.find((r) => r.resource === "Access profiles' roles")).toMatchObject({ status: 'updated' });
  });
});

describe('roles-anywhere: bad input, before any call', () => {
  it('a config file with two aws-ra entries naming one trust anchor (or sync role, or profile) is refused', () => {
    const text = [
      'cluster-url: teleport.example.com',
      'integrations:',
      '  - { integration: ra-one, roles-anywhere: true }',
      '  - { integration: ra-two, roles-anywhere: { sync-profile: other } }',
    ].join('\n');
    expect(() => parseConfigFile('t.yml', text, () => '')).toThrow(
      /integrations\[1\]\.roles-anywhere: trust-anchor "TeleportRolesAnywhereIntegrationCA" is already entry 1's, in the same account/,
    );
  });

  it.each([
    [{ integration: 'AWS_RA' }, /Input 'integration': "AWS_RA" is not a DNS-1035 label/],
    [{ 'role-name': 'teleport-role' }, /Input 'role-name': is set, but roles-anywhere makes this an aws-ra integration/],
    [{ features: 'eks' }, /Input 'features': is set, but roles-anywhere/],
    [{ 'roles-anywhere': "{ profile-filters: ['^(prod$'] }" }, /profile-filters: "\^\(prod\$" is not a valid regular expression/],
    [{ 'roles-anywhere': "{ profile-filters: ['^(?!dev).*$'] }" }, /uses a lookaround or a backreference/],
    [{ 'roles-anywhere': "{ profile-filters: ['prod^x'] }" }, /is neither a glob \(no \^ or \$\) nor a regular expression inside \^\.\.\.\$/],
    [{ 'roles-anywhere': '{ trust-anchor: "bad/name" }' }, /trust-anchor "bad\/name" is not valid \(1 to 255 of letters, digits, spaces, - and _/],
    [{ 'roles-anywhere': '{ trust-anchors: x }' }, /unknown key "trust-anchors"/],
    [{ 'roles-anywhere': '{ profiles: [{ name: p, roles: [R], duration: 60 }] }' }, /profiles: p: duration must be whole seconds from 900 to 43200/],
    [
      { 'roles-anywhere': '{ profiles: [{ name: p, roles: [TeleportRolesAnywhereProfileSync] }] }' },
      /profiles: p names the sync role TeleportRolesAnywhereProfileSync/,
    ],
    [{ 'roles-anywhere': '{ profiles: [{ name: TeleportRolesAnywhereProfileSync, roles: [R] }] }' }, /is the sync profile's name/],
    [{ 'roles-anywhere': '{ profiles: [{ name: p, roles: ["arn:aws:s3:::b"] }] }' }, /p: "arn:aws:s3:::b" is an ARN of s3, not of an IAM role/],
    [{ 'roles-anywhere': '{ profiles: [{ name: p, roles: [] }] }' }, /p: roles is empty/],
    [{ 'roles-anywhere': '{ profiles: [{ name: p, roles: [ReadOnly, readonly] }] }' }, /p: "readonly" is listed twice/],
    [
      { 'skip-teleport': 'true', 'tctl-path': '' },
      /Input 'skip-teleport': is true, but roles-anywhere's trust anchor holds the cluster's awsra CA certificates/,
    ],
  ])('%o', (extra, problem) => {
    expect(() => settingsFor(inputs(extra))).toThrow(problem);
  });
});
