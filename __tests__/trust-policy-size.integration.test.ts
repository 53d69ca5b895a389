/**
 * The trust policy's size, against moto: IAM caps a role's trust policy ("Role trust policy
 * length": 2,048 characters by default, 8,192 at most, whitespace not counted). A merge that
 * would cross the quota is refused before any write; check warns above 90 % of it.
 */
import { CreateRoleCommand, DeleteRoleCommand, GetRoleCommand, UpdateAssumeRolePolicyCommand } from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import { runAction } from '../src/engine/run.js';
import type { Statement } from '../src/model/aws.js';
import { parsePolicyDocument, statementsOf } from '../src/resources/aws/policy-document.js';
import { teleportTrustStatement, trustPolicyLength } from '../src/resources/aws/trust-policy.js';
import { OWNED_TAGS, PROVIDER_ARN, settingsFor, useHarness } from './support/harness.js';

const h = useHarness();
const ROLE = 'teleport-test-role';

/** Another cluster's statement, as a second Teleport cluster's integration would add it. */
const otherCluster = (n: number): Statement => ({
  Effect: 'Allow',
  Principal: { Federated: `arn:aws:iam::123456789012:oidc-provider/cluster-${n}.teleport.example.org` },
  Action: 'sts:AssumeRoleWithWebIdentity',
  Condition: { StringEquals: { [`cluster-${n}.teleport.example.org:aud`]: 'discover.teleport' } },
});

/** Our role, trusting `others` other clusters (each statement is 247 characters), and ours if asked; returns its length. */
async function roleTrusting(others: number, withOurs = false): Promise<number> {
  const statements: Statement[] = Array.from({ length: others }, (_, i) => otherCluster(i + 1));
  if (withOurs) statements.push(teleportTrustStatement(PROVIDER_ARN, 'localhost'));
  // Pretty-printed, as people write them: IAM does not count the whitespace, nor does the action.
  await h.direct().send(
    new CreateRoleCommand({
      RoleName: ROLE,
      AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: statements }, null, 2),
      Tags: OWNED_TAGS,
    }),
  );
  return trustPolicyLength({ Version: '2012-10-17', Statement: statements });
}

describe("the trust policy's size", () => {
  it('is measured as IAM measures it: whitespace is not counted', () => {
    const document = { Version: '2012-10-17', Statement: [otherCluster(1)] };
    expect(trustPolicyLength(document)).toBe(JSON.stringify(document).length);
    expect(trustPolicyLength(JSON.parse(JSON.stringify(document, null, 4)))).toBe(JSON.stringify(document).length);
    expect(trustPolicyLength({ Version: '2012-10-17', Statement: [{ Sid: 'A B', Effect: 'Allow' }] })).toBe(
      JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'AB', Effect: 'Allow' }] }).length,
    );
  });

  it('plan and apply refuse, before any write, a merge that would exceed the quota, naming the quota and the alternative', async () => {
    // 2,014 characters: under the quota, but not with Teleport's statement (205 more).
    expect(await roleTrusting(8)).toBe(2014);
    for (const mode of ['plan', 'apply']) {
      h.proxy.clear();
      const result = await runAction(settingsFor({ mode }), h.deps());
      expect(result.failure, mode).toMatch(
        /The trust policy of teleport-test-role with Teleport's statement added would be 2,\d{3} characters \(whitespace not counted\)/,
      );
      expect(result.failure).toContain(`over this account's "Role trust policy length" quota of 2,048: IAM would reject it, so nothing was written`);
      expect(result.failure).toContain('set trust-policy-quota to it, or give each cluster or integration a role of its own (role-name)');
      expect(result.annotations).toContainEqual(expect.objectContaining({ level: 'error', title: 'Trust policy: refused' }));
      expect(h.proxy.writes(), mode).toEqual([]);
    }
  });

  it('apply measures again just before its write: statements added since the plan that leave no room stop it, unwritten', async () => {
    await roleTrusting(6); // 1,520 characters: Teleport's statement fits when planned
    // Someone adds two more clusters' statements between the plan and the write.
    let reads = 0;
    h.proxy.addFault({
      name: 'statements added meanwhile',
      on: (c) =>
        c.action === 'GetRole' && ++reads === 2
          ? {
              kind: 'before',
              run: async () =>
                void (await h.direct().send(
                  new UpdateAssumeRolePolicyCommand({
                    RoleName: ROLE,
                    PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: Array.from({ length: 8 }, (_, i) => otherCluster(i + 1)) }),
                  }),
                )),
            }
          : undefined,
    });
    const result = await runAction(settingsFor(), h.deps());
    expect(result.failure).toMatch(
      /update-trust-policy on arn:aws:iam::123456789012:role\/teleport-test-role failed: The trust policy of teleport-test-role with Teleport's statement added would be 2,219 characters/,
    );
    expect(h.proxy.calls.map((c) => c.action)).not.toContain('UpdateAssumeRolePolicy');
    const { Role } = await h.direct().send(new GetRoleCommand({ RoleName: ROLE }));
    expect(statementsOf(parsePolicyDocument(Role!.AssumeRolePolicyDocument!))).toHaveLength(8);
  });

  it('merges once trust-policy-quota says the quota was raised, keeping every other statement', async () => {
    const before = await roleTrusting(8);
    const result = await runAction(settingsFor({ 'trust-policy-quota': '4096' }), h.deps());
    expect(result.failure).toBeUndefined();
    const { Role } = await h.direct().send(new GetRoleCommand({ RoleName: ROLE }));
    const after = parsePolicyDocument(Role!.AssumeRolePolicyDocument!);
    expect(statementsOf(after)).toHaveLength(9);
    expect(trustPolicyLength(after)).toBeGreaterThan(2048);
    expect(trustPolicyLength(after)).toBeGreaterThan(before);
    expect(statementsOf(after).some((s) => JSON.stringify(s).includes('oidc-provider/localhost'))).toBe(true);
    expect(statementsOf(after).filter((s) => JSON.stringify(s).includes('teleport.example.org'))).toHaveLength(statementsOf(after).length - 1);
  });

  it('check warns above 90 % of the quota, without calling it drift', async () => {
    await runAction(settingsFor(), h.deps()); // the provider and the rest
    await h.direct().send(new DeleteRoleCommand({ RoleName: ROLE }));
    // 1,972 characters: 96 % of 2,048.
    expect(await roleTrusting(7, true)).toBe(1972);
    const check = await runAction(settingsFor({ mode: 'check', 'fail-on-drift': 'true' }), h.deps());
    const warning = check.annotations.find((a) => a.title === 'Trust policy near its quota');
    expect(warning?.level).toBe('warning');
    expect(warning?.message).toMatch(
      /The trust policy of teleport-test-role is 1,\d{3} characters \(whitespace not counted\), 96 % of the "Role trust policy length" quota/,
    );
    expect(check.findings.filter((f) => f.resource.startsWith('Trust policy'))).toEqual([]);
    // Far from the quota: no warning.
    const roomy = await runAction(settingsFor({ mode: 'check', 'trust-policy-quota': '8192', 'fail-on-drift': 'false' }), h.deps());
    expect(roomy.annotations.map((a) => a.title)).not.toContain('Trust policy near its quota');
  });
});
