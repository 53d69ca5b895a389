/**
 * Deleting the integration on Teleport 18.2.10+ deletes the AWS app servers that use it (PR #59607):
 * destroy lists them, refuses while one is unconfirmed, and says nothing of it below 18.2.10.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAction } from '../src/engine/run.js';
import { settingsFor, useHarness } from './support/harness.js';
import { privateIssuer } from './support/worker.js';

const h = useHarness();

/** As the web UI's AWS access enrolment leaves one (kind app_server v3, the app naming the integration). */
function appServer(name: string, integration: string) {
  const server = {
    kind: 'app_server',
    version: 'v3',
    metadata: { name },
    spec: {
      hostname: 'teleport.example.com',
      app: {
        kind: 'app',
        version: 'v3',
        metadata: { name },
        spec: { uri: 'https://console.aws.amazon.com', public_addr: `${name}.teleport.example.com`, integration },
      },
    },
  };
  writeFileSync(path.join(h.tctlDir(), `app_server-${name}.json`), JSON.stringify(server));
}

describe('destroy and what Teleport deletes with the integration', () => {
  let issuer: Awaited<ReturnType<typeof privateIssuer>>;
  beforeAll(async () => void (issuer = await privateIssuer()));
  afterAll(() => issuer?.close());

  const inputs = (extra: Record<string, string> = {}) => ({ 'cluster-url': issuer.host, mode: 'destroy', 'confirm-destroy': 'aws-test', ...extra });
  const cluster = (version: string) => {
    issuer.setState({ serverVersion: version });
    writeFileSync(path.join(h.tctlDir(), 'server-version'), version);
  };
  const appServerCalls = () => h.tctlCalls().filter((c) => c.argv.some((a) => a.startsWith('app_server')));

  it('on 18.2.10+, refuses while an app server of the integration is unconfirmed, naming it; confirmed, it goes with the integration', async () => {
    cluster('18.2.10');
    expect((await runAction(settingsFor({ 'cluster-url': issuer.host }), h.deps())).failure).toBeUndefined();
    appServer('aws-console', 'aws-test');
    appServer('other-console', 'aws-other');
    h.proxy.clear();

    const plan = await runAction(settingsFor(inputs({ mode: 'plan', 'confirm-destroy': '', destroy: 'true' })), h.deps());
    expect(plan.failure).toContain(
      "app server aws-console gives AWS access through integration aws-test and is not this action's (the web UI makes them): Teleport 18.2.10 deletes it with the integration. Confirm it may go with confirm-app-servers: aws-console",
    );
    expect(plan.report.rows.filter((r) => r.target.startsWith('app_server/')).map((r) => `${r.target} ${r.status}`)).toEqual([
      'app_server/aws-console refused',
    ]);

    const refused = await runAction(settingsFor(inputs()), h.deps());
    expect(refused.failure).toContain('confirm-app-servers: aws-console');
    expect(refused.report.verdict).toBe('refused: nothing was deleted');
    expect(h.proxy.writes()).toEqual([]);
    expect(h.stored('integration', 'aws-test')).toBeDefined();

    const confirmed = await runAction(settingsFor(inputs({ 'confirm-app-servers': 'aws-console, not-an-app' })), h.deps());
    expect(confirmed.failure).toBeUndefined();
    expect(h.stored('integration', 'aws-test')).toBeUndefined();
    expect(h.stored('app_server', 'aws-console')).toBeUndefined();
    expect(h.stored('app_server', 'other-console')).toBeDefined();
    expect(confirmed.report.rows.find((r) => r.target === 'app_server/aws-console')).toMatchObject({ status: 'deleted' });
    expect(confirmed.annotations.map((a) => a.message)).toEqual(
      expect.arrayContaining([
        'Teleport 18.2.10 deletes with integration aws-test its app servers aws-console (confirmed by confirm-app-servers).',
        'confirm-app-servers names not-an-app, which no app server of integration aws-test is: nothing to confirm there.',
      ]),
    );
  });

  it('below 18.2.10 reads no app server and says nothing of a cascade; the app server stays', async () => {
    cluster('18.2.9');
    expect((await runAction(settingsFor({ 'cluster-url': issuer.host }), h.deps())).failure).toBeUndefined();
    appServer('aws-console', 'aws-test');
    const before = appServerCalls().length;
    const destroyed = await runAction(settingsFor(inputs()), h.deps());
    expect(destroyed.failure).toBeUndefined();
    expect(appServerCalls().length).toBe(before);
    expect(destroyed.markdown).not.toMatch(/app server/i);
    expect(h.stored('app_server', 'aws-console')).toBeDefined();
  });

  it('a proxy that reports no version is taken as one that cascades (the safe side), and said', async () => {
    cluster('18.9.0');
    expect((await runAction(settingsFor({ 'cluster-url': issuer.host }), h.deps())).failure).toBeUndefined();
    appServer('aws-console', 'aws-test');
    issuer.setState({ serverVersion: 'master' });
    const refused = await runAction(settingsFor(inputs()), h.deps());
    expect(refused.failure).toContain('Teleport master deletes it with the integration');
    issuer.setState({ serverVersion: '' });
    const unknown = await runAction(settingsFor(inputs()), h.deps());
    expect(unknown.failure).toContain('The cluster (its version could not be read: assumed 18.2.10 or newer) deletes it with the integration');
    issuer.setState({ serverVersion: '18.9.0' });
  });

  it('confirm-app-servers is bad input without a destroy, or with a name that is not one', () => {
    expect(() => settingsFor({ 'confirm-app-servers': 'aws-console' })).toThrow(
      /Input 'confirm-app-servers': is set without a destroy; it only confirms what a destroy lets Teleport delete/,
    );
    expect(() => settingsFor({ mode: 'destroy', 'confirm-destroy': 'aws-test', 'confirm-app-servers': 'app_server/aws-console' })).toThrow(
      /"app_server\/aws-console" is not an app server's name.*Example: confirm-app-servers: aws-console-prod, aws-cli-prod/,
    );
  });
});
