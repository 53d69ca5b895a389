/** Faults injected between the AWS SDK and moto (the recording proxy), and tctl failing. */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { CreateOpenIDConnectProviderCommand, CreateRoleCommand, ListOpenIDConnectProvidersCommand, ListRolesCommand } from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import { withRetry, RetriesExhaustedError } from '../src/clients/retry.js';
import { runAction } from '../src/engine/run.js';
import { teleportTrustStatement, trustPolicyDocument } from '../src/resources/aws/trust-policy.js';
import type { Fault } from './support/aws-proxy.js';
import { OWNED_TAGS, PROVIDER_ARN, settingsFor, useHarness } from './support/harness.js';

const h = useHarness();

/** Fails the first `times` calls of `action` with an AWS error, then lets them through. */
function failFirst(action: string, times: number, status: number, code: string): Fault {
  return { name: `${code} x${times} on ${action}`, on: (c) => (c.action === action && c.count <= times ? { kind: 'aws-error', status, code } : undefined) };
}

async function countResources() {
  const iam = h.direct();
  const providers = (await iam.send(new ListOpenIDConnectProvidersCommand({}))).OpenIDConnectProviderList ?? [];
  const roles = (await iam.send(new ListRolesCommand({}))).Roles ?? [];
  return { providers: providers.length, roles: roles.length };
}

describe('transient AWS failures are retried with jittered backoff', () => {
  it.each([
    ['Throttling (HTTP 400)', 400, 'Throttling'],
    ['HTTP 429', 429, 'TooManyRequestsException'],
    ['ServiceFailure (HTTP 500)', 500, 'ServiceFailure'],
    ['HTTP 503', 503, 'ServiceUnavailable'],
    ['ConcurrentModification (HTTP 409)', 409, 'ConcurrentModification'],
  ])('%s on every kind of call: the run still succeeds', async (_label, status, code) => {
    for (const action of ['GetCallerIdentity', 'GetOpenIDConnectProvider', 'GetRole', 'CreateOpenIDConnectProvider', 'CreateRole']) {
      h.proxy.addFault(failFirst(action, 2, status, code));
    }
    const deps = h.deps();
    const result = await runAction(settingsFor(), deps);
    expect(result.failure).toBeUndefined();
    expect(result.changes.map((c) => c.action)).toEqual(['create-provider', 'create-role', 'create-integration']);
    expect(h.proxy.injected.length).toBe(10);
    expect(deps.slept.length).toBe(10);
    expect(await countResources()).toEqual({ providers: 1, roles: 1 });
  });

  it('waits are jittered and grow exponentially up to the cap', async () => {
    const waits: number[] = [];
    let calls = 0;
    const random = [0.5, 0.5, 0.5, 0.5, 0.5];
    await withRetry(
      'op',
      async () => {
        if (++calls < 5) throw Object.assign(new Error('slow down'), { name: 'Throttling' });
        return 'ok';
      },
      () => true,
      { attempts: 8, baseDelayMs: 100, maxDelayMs: 500, budgetMs: 10_000, sleep: async (ms) => void waits.push(ms), random: () => random.shift()! },
    );
    expect(waits).toEqual([50, 100, 200, 250]);
  });

  it('a persistent failure ends with a clear error after a bounded time', async () => {
    h.proxy.addFault({ name: 'always throttled', on: (c) => (c.action === 'GetRole' ? { kind: 'aws-error', status: 400, code: 'Throttling' } : undefined) });
    const deps = h.deps();
    await expect(runAction(settingsFor(), deps)).rejects.toThrowError(/iam:GetRole still failed after 8 attempts over \d+\.\ds: Throttling/);
    const total = deps.slept.reduce((a, b) => a + b, 0);
    expect(deps.slept.length).toBe(7);
    expect(total).toBeLessThanOrEqual(60_000);
    expect(h.proxy.writes()).toEqual([]);
  });

  it('a dropped connection is retried', async () => {
    h.proxy.addFault({ name: 'drop', on: (c) => (c.action === 'CreateRole' && c.count === 1 ? { kind: 'drop' } : undefined) });
    const result = await runAction(settingsFor(), h.deps());
    expect(result.failure).toBeUndefined();
    expect(await countResources()).toEqual({ providers: 1, roles: 1 });
  });

  it('an error that is not transient is not retried', async () => {
    h.proxy.addFault(failFirst('CreateRole', 1, 403, 'AccessDenied'));
    const deps = h.deps();
    const result = await runAction(settingsFor(), deps);
    expect(result.failure).toMatch(
      /create-role on arn:aws:iam::123456789012:role\/teleport-test-role failed: AWS denied iam:CreateRole.*AWS said \(AccessDenied\)/,
    );
    expect(result.failure).toMatch(/1 change\(s\) were applied before it and 1 were not attempted; running apply again completes the rest/);
    expect(deps.slept).toEqual([]);
  });

  it('the retry helper reports attempts and time', async () => {
    const error = await withRetry(
      'x',
      async () => Promise.reject(new Error('no')),
      () => true,
      { attempts: 3, baseDelayMs: 10, maxDelayMs: 10, budgetMs: 1000, sleep: async () => {}, random: () => 1 },
    ).catch((e) => e);
    expect(error).toBeInstanceOf(RetriesExhaustedError);
    expect(error.message).toBe('x still failed after 3 attempts over 0.0s: Error: no');
  });
});

describe("IAM's eventual consistency", () => {
  it('NoSuchEntity right after CreateOpenIDConnectProvider and CreateRole is waited out', async () => {
    const justCreated = new Set<string>();
    h.proxy.addFault({
      name: 'not visible yet',
      on: (c) => {
        if (c.action === 'CreateOpenIDConnectProvider' || c.action === 'CreateRole') justCreated.add(c.action);
        const read = c.action === 'GetOpenIDConnectProvider' ? 'CreateOpenIDConnectProvider' : c.action === 'GetRole' ? 'CreateRole' : '';
        if (read && justCreated.has(read) && c.count <= 3) return { kind: 'aws-error', status: 404, code: 'NoSuchEntity' };
        return undefined;
      },
    });
    const deps = h.deps();
    const result = await runAction(settingsFor(), deps);
    expect(result.failure).toBeUndefined();
    expect(h.proxy.injected.map((i) => i.action).sort()).toEqual(['GetOpenIDConnectProvider', 'GetOpenIDConnectProvider', 'GetRole', 'GetRole']);
    expect(result.changes.map((c) => c.action)).toEqual(['create-provider', 'create-role', 'create-integration']);
  });
});

describe('another run creating the same thing a moment earlier', () => {
  it('EntityAlreadyExists on both creates is handled by re-observing, not failing', async () => {
    const other = h.direct();
    h.proxy.addFault({
      name: 'a concurrent run wins the race',
      on: (c) => {
        if (c.action === 'CreateOpenIDConnectProvider' && c.count === 1) {
          return {
            kind: 'before',
            run: async () =>
              void (await other.send(
                new CreateOpenIDConnectProviderCommand({ Url: 'https://localhost', ClientIDList: ['discover.teleport'], Tags: OWNED_TAGS }),
              )),
          };
        }
        if (c.action === 'CreateRole' && c.count === 1) {
          return {
            kind: 'before',
            run: async () =>
              void (await other.send(
                new CreateRoleCommand({
                  RoleName: 'teleport-test-role',
                  AssumeRolePolicyDocument: JSON.stringify(trustPolicyDocument([teleportTrustStatement(PROVIDER_ARN, 'localhost')])),
                  Tags: OWNED_TAGS,
                }),
              )),
          };
        }
        return undefined;
      },
    });
    const deps = h.deps();
    const result = await runAction(settingsFor(), deps);
    expect(result.failure).toBeUndefined();
    // The other run made both without thumbprint and description: only those repairs are applied.
    expect(result.changes.map((c) => c.action)).toEqual(['update-thumbprints', 'update-role-description', 'create-integration']);
    expect(deps.logger.lines.filter((l) => l.includes('was created by another run meanwhile'))).toHaveLength(2);
    expect(await countResources()).toEqual({ providers: 1, roles: 1 });
  });
});

describe('tctl failing', () => {
  it('exit 1 with its real message: the AWS side is done, then the step fails with the message and the fix', async () => {
    writeFileSync(path.join(h.tctlDir(), 'fail'), 'ERROR: access denied to perform action "list" on "integration"\n');
    const result = await runAction(settingsFor(), h.deps());
    expect(result.changes.map((c) => c.action)).toEqual(['create-provider', 'create-role']);
    expect(await countResources()).toEqual({ providers: 1, roles: 1 });
    expect(result.failure).toMatch(
      /^The AWS side was reconciled; Teleport could not be reached: tctl get integration\/aws-test failed \(exit 1\): ERROR: access denied to perform action "list" on "integration"/,
    );
    expect(result.failure).toMatch(/teleport-actions\/auth/);
    expect(result.markdown).toMatch(/Teleport integration \| <code>aws-test<\/code> \| failed/);
    expect(result.annotations).toContainEqual(expect.objectContaining({ level: 'error', title: 'Teleport integration: tctl failed' }));
  });
});
