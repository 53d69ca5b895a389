/** aws-app-access's console roles against moto (real AWS SDK over HTTP): made assumable, checked, taken back by destroy. */
import { CreateRoleCommand, GetRoleCommand, TagRoleCommand, UpdateAssumeRolePolicyCommand } from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import { runAction } from '../src/engine/run.js';
import { CONSOLE_ACCESS_MARKER, TAG_ADDED_MARKER } from '../src/resources/aws/console-role.js';
import { ACCOUNT, settingsFor, useHarness } from './support/harness.js';
import { taggingStandIn } from './support/tagging-standin.js';
import { workerMotoUrl } from './support/worker.js';

const h = useHarness();
const motoUrl = workerMotoUrl();
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/teleport-test-role`;
const ADMIN_ARN = `arn:aws:iam::${ACCOUNT}:role/Admin`;
const READ_ONLY_ARN = `arn:aws:iam::${ACCOUNT}:role/ConsoleReadOnly`;
const FEATURES = `aws-app-access: { roles: [ConsoleReadOnly, "${ADMIN_ARN}"] }`;
const OURS = { Sid: 'TeleportConsoleAccessawstest', Effect: 'Allow', Principal: { AWS: ROLE_ARN }, Action: 'sts:AssumeRole' };
const EC2 = { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' };
const SAML = { Sid: 'Sso', Effect: 'Allow', Principal: { Federated: `arn:aws:iam::${ACCOUNT}:saml-provider/Okta` }, Action: 'sts:AssumeRoleWithSAML' };

async function makeRole(name: string, statements: object[], tags: Record<string, string> = {}) {
  await h.direct().send(
    new CreateRoleCommand({
      RoleName: name,
      AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: statements }),
      Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
    }),
  );
}

async function roleOf(name: string) {
  const { Role } = await h.direct().send(new GetRoleCommand({ RoleName: name }));
  return {
    statements: (JSON.parse(decodeURIComponent(Role!.AssumeRolePolicyDocument!)) as { Statement: object[] }).Statement,
    tags: Object.fromEntries((Role!.Tags ?? []).map((t) => [t.Key, t.Value])),
  };
}

/** Admin: trusted by EC2, not tagged; ConsoleReadOnly: already tagged for Teleport, trusted through SSO. */
async function consoleRoles() {
  await makeRole('Admin', [EC2], { team: 'platform' });
  await makeRole('ConsoleReadOnly', [SAML], { 'teleport.dev/integration': 'true' });
}

async function apply(features = FEATURES) {
  const result = await runAction(settingsFor({ features }), h.deps());
  expect(result.failure).toBeUndefined();
  h.proxy.clear();
  return result;
}

describe('aws-app-access console roles', () => {
  it('tags each role and merges the trust statement, keeping every other statement and tag; a re-run writes nothing', async () => {
    await consoleRoles();
    const result = await apply();
    expect(result.changes.filter((c) => c.resource === 'console-role').map((c) => `${c.action} ${c.target}`)).toEqual([
      `update-console-role ${READ_ONLY_ARN}`,
      `update-console-role ${ADMIN_ARN}`,
    ]);
    const admin = await roleOf('Admin');
    expect(admin.statements).toEqual([EC2, OURS]);
    expect(admin.tags).toEqual({ team: 'platform', 'teleport.dev/integration': 'true', [TAG_ADDED_MARKER]: 'true', [CONSOLE_ACCESS_MARKER]: 'aws-test' });
    const readOnly = await roleOf('ConsoleReadOnly');
    expect(readOnly.statements).toEqual([SAML, OURS]);
    // The tag was there: apply records only the statement it added.
    expect(readOnly.tags).toEqual({ 'teleport.dev/integration': 'true', [CONSOLE_ACCESS_MARKER]: 'aws-test' });
    expect(result.markdown).toMatch(/Console roles \(aws-app-access\) \| <code>ConsoleReadOnly, Admin<\/code> \| updated/);

    const again = await runAction(settingsFor({ features: FEATURES }), h.deps());
    expect(again.failure).toBeUndefined();
    expect(again.changes).toEqual([]);
    expect(h.proxy.writes()).toEqual([]);
    expect(again.markdown).toContain(`each tagged teleport.dev/integration=true and trusting ${ROLE_ARN}, every other statement kept`);
  });

  it('waits for IAM to know the integration role it just made before a console role may trust it', async () => {
    await consoleRoles();
    // As IAM answers right after CreateRole: the new role is not a valid principal yet.
    h.proxy.addFault({
      name: 'principal not visible yet',
      on: ({ action, count, body }) =>
        action === 'UpdateAssumeRolePolicy' && new URLSearchParams(body).get('RoleName') === 'Admin' && count <= 2
          ? {
              kind: 'aws-error',
              status: 400,
              code: 'MalformedPolicyDocument',
              message: 'Invalid principal in policy: "AWS":"arn:aws:iam::123456789012:role/teleport-test-role"',
            }
          : undefined,
    });
    const deps = h.deps();
    const result = await runAction(settingsFor({ features: FEATURES }), deps);
    expect(result.failure).toBeUndefined();
    expect((await roleOf('Admin')).statements).toEqual([EC2, OURS]);
    expect(deps.slept.length).toBeGreaterThan(0);
  });

  it('takes a role that already trusts the integration role as it is, and records nothing it did not add', async () => {
    await makeRole(
      'Admin',
      [{ Effect: 'Allow', Principal: { AWS: [ROLE_ARN, `arn:aws:iam::${ACCOUNT}:root`] }, Action: ['sts:AssumeRole', 'sts:TagSession'] }],
      {
        'teleport.dev/integration': 'true',
      },
    );
    await makeRole('ConsoleReadOnly', [SAML], { 'teleport.dev/integration': 'true' });
    await apply();
    const admin = await roleOf('Admin');
    expect(admin.statements).toHaveLength(1);
    expect(admin.tags).toEqual({ 'teleport.dev/integration': 'true' });

    // Destroy then leaves Admin exactly as it was.
    await runAction(settingsFor({ features: FEATURES, mode: 'destroy', 'confirm-destroy': 'aws-test' }), h.deps());
    expect(await roleOf('Admin')).toEqual(admin);
  });

  it('check reports a declared role that lost its statement or tag, and a tagged role that does not trust the integration role; writes nothing', async () => {
    await consoleRoles();
    await apply();
    await h
      .direct()
      .send(new UpdateAssumeRolePolicyCommand({ RoleName: 'Admin', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [EC2] }) }));
    await makeRole('Billing', [EC2], { 'teleport.dev/integration': 'true' });
    await makeRole('Unrelated', [EC2], { 'teleport.dev/integration': 'other-integration' });
    h.proxy.addFault(taggingStandIn(motoUrl));
    const check = await runAction(settingsFor({ mode: 'check', features: FEATURES }), h.deps());
    expect(check.drift).toBe(true);
    expect(check.findings.map((f) => `${f.resource}: ${f.target}`)).toEqual([
      `Console roles (aws-app-access): update-console-role: ${ADMIN_ARN}`,
      `Roles tagged for console access: arn:aws:iam::${ACCOUNT}:role/Billing`,
    ]);
    expect(check.findings[0].message).toContain(
      `console role Admin does not trust the integration role ${ROLE_ARN} (Teleport's sts:AssumeRole would be denied)`,
    );
    expect(check.findings[1].message).toMatch(
      /Role Billing is tagged teleport.dev\/integration=true.*does not trust .*teleport-test-role.*List it under aws-app-access roles/,
    );
    expect(h.proxy.writes()).toEqual([]);
    expect(h.proxy.actions()).toContain('iam:GetAccountAuthorizationDetails');

    // Apply repairs the declared one (the statement again, recorded once).
    const repaired = await apply();
    expect(repaired.changes.filter((c) => c.resource === 'console-role').map((c) => c.target)).toEqual([ADMIN_ARN]);
    expect((await roleOf('Admin')).statements).toEqual([EC2, OURS]);
    expect((await roleOf('Admin')).tags[CONSOLE_ACCESS_MARKER]).toBe('aws-test');
  });

  it("refuses, on the console roles' row, a role whose trust policy would outgrow the quota with the statement", async () => {
    // 60 account roots: about 1,950 characters, under 2,048 alone but not with the statement.
    const roots = Array.from({ length: 60 }, (_, i) => `arn:aws:iam::${String(100000000000 + i)}:root`);
    await makeRole('Admin', [{ Effect: 'Allow', Principal: { AWS: roots }, Action: 'sts:AssumeRole' }]);
    await makeRole('ConsoleReadOnly', [SAML]);
    const result = await runAction(settingsFor({ features: FEATURES }), h.deps());
    expect(result.failure).toMatch(
      /The trust policy of Admin with Teleport's statement added would be 2,\d{3} characters .* or take a statement out of its trust policy, or list another role\./,
    );
    expect(result.report.rows.find((r) => r.resource === 'Console roles (aws-app-access)')).toMatchObject({ status: 'refused' });
    expect(h.proxy.writes()).toEqual([]);
  });

  it('refuses a role that does not exist (never created) or that another integration owns, writing nothing at all', async () => {
    await makeRole('ConsoleReadOnly', [SAML]);
    const missing = await runAction(settingsFor({ features: FEATURES }), h.deps());
    expect(missing.failure).toMatch(/IAM role "Admin" \(aws-app-access roles\) does not exist: a console role is never created here/);
    expect(h.proxy.writes()).toEqual([]);
    expect(missing.markdown).toMatch(/Console roles \(aws-app-access\) \| .* \| refused/);
    h.proxy.clear();

    await makeRole('Admin', [EC2], { 'teleport.dev/integration': 'aws-other' });
    const owned = await runAction(settingsFor({ features: FEATURES }), h.deps());
    expect(owned.failure).toMatch(/IAM role "Admin" is tagged teleport.dev\/integration=aws-other: it is what integration aws-other owns/);
    expect(h.proxy.writes()).toEqual([]);
    expect((await roleOf('Admin')).statements).toEqual([EC2]);
  });

  it('destroy takes back only what apply added: the statements, and the tag where apply added it; the roles stay', async () => {
    await consoleRoles();
    await apply();
    // A second integration (aws-other) uses ConsoleReadOnly too: its statement and record must survive this one's destroy.
    const other = {
      Sid: 'TeleportConsoleAccessawsother',
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/other-role` },
      Action: 'sts:AssumeRole',
    };
    await makeRole('other-role', [EC2]);
    await h.direct().send(
      new UpdateAssumeRolePolicyCommand({
        RoleName: 'ConsoleReadOnly',
        PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [SAML, OURS, other] }),
      }),
    );
    await h.direct().send(new TagRoleCommand({ RoleName: 'ConsoleReadOnly', Tags: [{ Key: CONSOLE_ACCESS_MARKER, Value: 'aws-test aws-other' }] }));

    h.proxy.clear();
    const result = await runAction(settingsFor({ features: FEATURES, mode: 'destroy', 'confirm-destroy': 'aws-test' }), h.deps());
    expect(result.failure).toBeUndefined();
    expect(result.markdown).toMatch(
      /Console roles \(aws-app-access\) \| <code>arn:aws:iam::\d+:role\/Admin<\/code> \| updated \| console role Admin \(kept\): its statement trusting the integration role and the tag teleport.dev\/integration=true removed/,
    );
    expect(await roleOf('Admin')).toEqual({ statements: [EC2], tags: { team: 'platform' } });
    // ConsoleReadOnly: its tag was there before, and aws-other still uses it.
    expect(await roleOf('ConsoleReadOnly')).toEqual({
      statements: [SAML, other],
      tags: { 'teleport.dev/integration': 'true', [CONSOLE_ACCESS_MARKER]: 'aws-other' },
    });
    // The integration role went after the console roles stopped trusting it.
    const order = h.proxy.writes().map((c) => c.action);
    expect(order.lastIndexOf('UpdateAssumeRolePolicy')).toBeLessThan(order.indexOf('DeleteRole'));

    h.proxy.clear();
    const again = await runAction(settingsFor({ features: FEATURES, mode: 'destroy', 'confirm-destroy': 'aws-test' }), h.deps());
    expect(again.failure).toBeUndefined();
    expect(h.proxy.writes()).toEqual([]);
  });
});

describe('aws-app-access roles: bad input, before any call', () => {
  it.each([
    ['arn:aws:s3:::bucket', /"arn:aws:s3:::bucket" is an ARN of s3, not of an IAM role/],
    ['arn:aws:iam::123456789012:user/alice', /"arn:aws:iam::123456789012:user\/alice" is not an IAM role ARN/],
    ['not a role!', /"not" is neither|is neither an IAM role name/],
    ['[Admin, admin]', /"admin" is listed twice/],
    ['["arn:aws:iam::111111111111:role/A", "arn:aws:iam::222222222222:role/B"]', /is in account 222222222222, another role in 111111111111/],
    ['[]', /roles is empty/],
  ])('roles: %s', (roles, problem) => {
    expect(() => settingsFor({ features: `aws-app-access: { roles: ${roles} }` })).toThrow(problem);
    expect(() => settingsFor({ features: `aws-app-access: { roles: ${roles} }` })).toThrow(
      /Input 'features'.*Example: features: \{ aws-app-access: \{ roles: \[ConsoleReadOnly/s,
    );
  });

  it('rejects the integration role itself, and an account other than account-id', () => {
    expect(() => settingsFor({ features: 'aws-app-access: { roles: [teleport-test-role] }' })).toThrow(
      /roles names "teleport-test-role", a role this integration owns/,
    );
    expect(() => settingsFor({ features: 'aws-app-access: { roles: ["arn:aws:iam::111111111111:role/A"] }', 'account-id': '222222222222' })).toThrow(
      /a role of account 111111111111, but account-id is 222222222222/,
    );
  });

  it("rejects a role ARN of another account than the credentials' after GetCallerIdentity, before any other call", async () => {
    const features = 'aws-app-access: { roles: ["arn:aws:iam::111111111111:role/Admin"] }';
    await expect(runAction(settingsFor({ features }), h.deps())).rejects.toThrow(
      /roles names a role of account 111111111111, but the credentials are for account/,
    );
    expect(h.proxy.actions()).toEqual(['sts:GetCallerIdentity']);
  });
});
