/** A config file through dist/index.js as the runner runs it: apply, check, list; bad files. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ListOpenIDConnectProvidersCommand, ListRolesCommand } from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import { TCTL_STANDIN, useHarness } from './support/harness.js';
import { runStep } from './support/runner.js';
import { taggingStandIn } from './support/tagging-standin.js';
import { workerMotoUrl } from './support/worker.js';

const h = useHarness();
const motoUrl = workerMotoUrl();
const FILE = `cluster-url: localhost
cluster-name: teleport.example.com
integrations:
  - integration: aws-e2e-a
    role-name: teleport-e2e-a
    features: eks, access-graph
  - integration: aws-e2e-b
    role-name: teleport-e2e-b
  - integration: aws-elsewhere
    role-name: teleport-elsewhere
    account-id: "210987654321"
`;

function workspace(text: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'workspace-'));
  writeFileSync(path.join(dir, 'teleport.yml'), text);
  return dir;
}

const step = (dir: string, inputs: Record<string, string> = {}, extraEnv: Record<string, string> = {}) =>
  runStep({ inputs: { config: 'teleport.yml', 'tctl-path': TCTL_STANDIN, ...inputs }, env: { ...h.stepEnv(extraEnv), GITHUB_WORKSPACE: dir } });

describe('config file through dist/index.js', () => {
  it('applies every entry, a re-run writes nothing, check finds no drift', async () => {
    const dir = workspace(FILE);
    const first = await step(dir);
    expect(first.exitCode, first.stdout).toBe(0);
    const results = JSON.parse(first.outputs.results);
    expect(Object.fromEntries(Object.entries(results).map(([name, r]) => [name, (r as { status: string }).status]))).toEqual({
      'aws-e2e-a': 'done',
      'aws-e2e-b': 'done',
      'aws-elsewhere': 'skipped',
    });
    expect(results['aws-e2e-a'].features).toEqual({
      eks: { policy: 'EKSAccess', status: 'created' },
      'access-graph': { policy: 'AccessGraphSyncAccess', status: 'created' },
    });
    expect(results['aws-e2e-b']['role-arn']).toBe('arn:aws:iam::123456789012:role/teleport-e2e-b');
    expect(first.summary).toContain('## Teleport AWS OIDC integrations: apply');
    expect(first.summary).toContain('| aws-elsewhere | 210987654321 | skipped: for account 210987654321; the credentials are for 123456789012 | - | - |');
    expect(first.summary).toContain('<details><summary>aws-e2e-a: 5 changes applied</summary>');
    expect(first.stdout).toMatch(/::notice title=\[aws-e2e-b\] IAM role%3A create-role::/);
    expect(first.stdout).toMatch(/::notice title=\[aws-elsewhere\] skipped::/);

    h.proxy.clear();
    const again = await step(dir);
    expect(again.exitCode).toBe(0);
    expect(again.outputs.changes).toBe('false');
    expect(h.proxy.writes()).toEqual([]);

    h.proxy.clear();
    h.proxy.addFault(taggingStandIn(motoUrl));
    const check = await step(dir, { mode: 'check' });
    expect(check.exitCode, check.stdout).toBe(0);
    expect(check.outputs.drift).toBe('false');
  });

  it('destroys the entries confirm-destroy names, then every entry when it gives the file; a shared provider goes with the last', async () => {
    const dir = workspace(FILE);
    expect((await step(dir)).exitCode).toBe(0);

    const plan = await step(dir, { mode: 'plan', destroy: 'true' });
    expect(plan.exitCode, plan.stdout).toBe(0);
    // Its provider stays in the plan: aws-e2e-b's role still trusts it.
    expect(plan.summary).toContain('| aws-e2e-a | 123456789012 | 4 deletions to make |');

    const one = await step(dir, { mode: 'destroy', 'confirm-destroy': 'aws-e2e-b' });
    expect(one.exitCode, one.stdout).toBe(0);
    expect(Object.keys(JSON.parse(one.outputs.results))).toEqual(['aws-e2e-b']);
    expect(h.storedIntegration('aws-e2e-b')).toBeUndefined();
    expect(h.storedIntegration('aws-e2e-a')).toBeDefined();

    const all = await step(dir, { mode: 'destroy', 'confirm-destroy': 'teleport.yml' });
    expect(all.exitCode, all.stdout).toBe(0);
    const results = JSON.parse(all.outputs.results);
    expect(results['aws-e2e-a'].changes.map((c: { action: string }) => c.action)).toEqual([
      'delete-integration',
      'delete-role-policy',
      'delete-role-policy',
      'delete-role',
      'delete-provider',
    ]);
    expect(results['aws-e2e-b'].changes).toEqual([]); // already gone
    expect(results['aws-elsewhere'].status).toBe('skipped');
    const iam = h.direct();
    expect((await iam.send(new ListOpenIDConnectProvidersCommand({}))).OpenIDConnectProviderList).toEqual([]);
    expect((await iam.send(new ListRolesCommand({}))).Roles).toEqual([]);
  });

  it('mode list reads only the file and gives a matrix per account', async () => {
    const result = await step(workspace(FILE), { mode: 'list' });
    expect(result.exitCode).toBe(0);
    expect(JSON.parse(result.outputs.matrix)).toEqual({
      include: [
        { account: '', entries: 'aws-e2e-a,aws-e2e-b' },
        { account: '210987654321', entries: 'aws-elsewhere' },
      ],
    });
    expect(h.proxy.calls).toEqual([]);
    expect(h.tctlWrites()).toBe(0);
  });

  const bad: [string, Record<string, string>, RegExp][] = [
    ['a YAML syntax error', { file: 'integrations: [ {' }, /Input 'config': teleport\.yml:1:\d+: is not valid YAML/],
    [
      'an unknown key',
      { file: FILE.replace('    role-name: teleport-e2e-b', '    role-name: teleport-e2e-b\n    rol: x') },
      /teleport\.yml:9:5: integrations\[1\]\.rol: unknown key "rol"/,
    ],
    [
      'a duplicate integration',
      { file: FILE.replace('aws-e2e-b', 'aws-e2e-a') },
      /integrations\[1\]\.integration: "aws-e2e-a" is already entry 1's integration/,
    ],
    [
      'a bad entry value',
      { file: FILE.replace('role-name: teleport-e2e-b', 'role-name: "bad role"') },
      /teleport\.yml:8:16: integrations\[1\]\.role-name: "bad role" has characters IAM does not allow/,
    ],
    ['config with cluster-url', { 'cluster-url': 'localhost' }, /Input 'cluster-url': is set together with config/],
    ['a missing file', { config: 'nope.yml' }, /Input 'config': cannot read nope\.yml/],
    [
      'list without config',
      { config: '', mode: 'list', 'cluster-url': 'localhost', integration: 'a', 'role-name': 'r' },
      /Input 'mode': list reads a config file/,
    ],
    ['destroy without confirm-destroy', { mode: 'destroy' }, /Input 'confirm-destroy': is empty; with config, name the entries to destroy/],
    [
      'destroy naming an unknown entry',
      { mode: 'destroy', 'confirm-destroy': 'aws-e2e-a, aws-nope' },
      /Input 'confirm-destroy': names "aws-nope", not an entry of teleport\.yml; nothing is deleted/,
    ],
  ];
  it(`rejects bad config files before any call (${bad.length} cases)`, async () => {
    for (const [what, { file, ...inputs }, message] of bad) {
      const result = await step(workspace(file ?? FILE), inputs);
      expect(result.exitCode, what).toBe(1);
      expect(decodeURIComponent(result.stdout.replace(/%0A/g, '\n')), what).toMatch(message);
    }
    expect(h.proxy.calls).toEqual([]);
    expect(h.tctlWrites()).toBe(0);
  });
});
