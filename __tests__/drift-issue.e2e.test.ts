/**
 * The drift issue, through dist/index.js, against moto and a stand-in for GitHub's REST API:
 * opened on drift, updated (never duplicated) while drift stays, closed once clean, reopened
 * when drift comes back; a token without issues: write, or issues disabled, give a warning
 * and the same verdict.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TagRoleCommand, UpdateRoleCommand } from '@aws-sdk/client-iam';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { driftIssueMarker, DRIFT_LABEL } from '../src/report/drift-issue.js';
import type { Fault } from './support/aws-proxy.js';
import { GitHubStandIn } from './support/github-standin.js';
import { TCTL_STANDIN, useHarness } from './support/harness.js';
import { runStep } from './support/runner.js';
import { taggingStandIn } from './support/tagging-standin.js';
import { workerMotoUrl } from './support/worker.js';

const h = useHarness();
const motoUrl = workerMotoUrl();
const gh = new GitHubStandIn();
beforeAll(() => gh.start());
afterAll(() => gh.stop());
beforeEach(() => gh.reset());

const ROLE = 'teleport-drift-role';
const inputs = {
  'cluster-url': 'localhost',
  integration: 'aws-drift',
  'role-name': ROLE,
  'cluster-name': 'teleport.example.com',
  'tctl-path': TCTL_STANDIN,
  'github-token': 'ghs_installationtoken',
};
const step = (extra: Record<string, string> = {}) => {
  h.proxy.clear();
  h.proxy.addFault(taggingStandIn(motoUrl));
  return runStep({ inputs: { ...inputs, ...extra }, eventName: 'schedule', env: h.stepEnv({ GITHUB_API_URL: gh.url }) });
};
const check = (extra: Record<string, string> = {}) => step({ mode: 'check', 'drift-issue': 'true', ...extra });

describe('the drift issue', () => {
  it('opens on drift, is updated while it stays, closes once clean, and reopens when drift comes back', async () => {
    expect((await step()).exitCode).toBe(0);
    const clean = await check();
    expect(clean.exitCode).toBe(0);
    expect(gh.issues).toEqual([]); // no drift, no issue

    await h.direct().send(new UpdateRoleCommand({ RoleName: ROLE, Description: 'edited by hand' }));
    const opened = await check();
    expect(opened.exitCode).toBe(1); // fail-on-drift decides, as without drift-issue
    expect(gh.issues).toHaveLength(1);
    const [issue] = gh.issues;
    expect(issue).toMatchObject({ state: 'open', labels: [{ name: DRIFT_LABEL }], user: { login: 'github-actions[bot]' } });
    expect(issue.title).toBe('Drift in the Teleport AWS integration: aws-drift (account 123456789012)');
    expect(issue.body).toContain(driftIssueMarker('aws-drift', '123456789012'));
    expect(issue.body).toContain('found **1 difference**');
    expect(issue.body).toContain('## Teleport AWS OIDC integration: check'); // the summary's report
    expect(issue.body).toContain('https://github.com/acme/infra/actions/runs/4242');
    expect(opened.stdout).toMatch(/::notice title=Drift issue opened::Drift issue #100 opened/);

    // Still drifting, and one more difference: the same issue, a comment saying what changed.
    await h.direct().send(new TagRoleCommand({ RoleName: ROLE, Tags: [{ Key: 'teleport.dev/origin', Value: 'someone-else' }] }));
    const still = await check();
    expect(still.exitCode).toBe(1);
    expect(gh.issues).toHaveLength(1);
    expect(gh.issues[0].body).toContain('found **2 differences**');
    const update = gh.commentsOn(100).at(-1)!.body;
    expect(update).toContain('finds 2 differences; since the last check:');
    expect(update).toMatch(/- new: Tags: tag-role: arn:aws:iam::123456789012:role\/teleport-drift-role/);
    expect(update.match(/^- new: /gm)).toHaveLength(1);
    expect(update).not.toContain('- gone: ');

    // One difference repaired by hand while the other stays: the comment says which went away, and nothing new.
    await h.direct().send(new TagRoleCommand({ RoleName: ROLE, Tags: [{ Key: 'teleport.dev/origin', Value: 'integration_awsoidc' }] }));
    expect((await check()).exitCode).toBe(1);
    expect(gh.issues[0].body).toContain('found **1 difference**');
    const partly = gh.commentsOn(100).at(-1)!.body;
    expect(partly).toMatch(/- gone: Tags: tag-role: arn:aws:iam::123456789012:role\/teleport-drift-role/);
    expect(partly.match(/^- gone: /gm)).toHaveLength(1);
    expect(partly).not.toContain('- new: ');

    // Repaired: the next check closes it with a comment.
    expect((await step()).exitCode).toBe(0);
    const fixed = await check();
    expect(fixed.exitCode).toBe(0);
    expect(gh.issues[0]).toMatchObject({ state: 'closed', state_reason: 'completed' });
    expect(gh.commentsOn(100).at(-1)!.body).toContain('finds no drift any more: closing.');
    const quiet = await check();
    expect(quiet.exitCode).toBe(0);
    expect(gh.issues[0].state).toBe('closed'); // a clean check leaves a closed issue closed...
    const writesBefore = gh.writes().length;
    await check();
    expect(gh.writes().length).toBe(writesBefore); // ...and writes nothing

    // Drift comes back: the same issue, reopened.
    await h.direct().send(new UpdateRoleCommand({ RoleName: ROLE, Description: 'edited again' }));
    const back = await check();
    expect(back.exitCode).toBe(1);
    expect(gh.issues).toHaveLength(1);
    expect(gh.issues[0].state).toBe('open');
    expect(gh.commentsOn(100).at(-1)!.body).toMatch(/^Drift is back\./);
  });

  it('is left as it is when the check could not read everything (tctl failing)', async () => {
    expect((await step()).exitCode).toBe(0);
    await h.direct().send(new UpdateRoleCommand({ RoleName: ROLE, Description: 'edited by hand' }));
    await check();
    expect(gh.issues.map((i) => i.state)).toEqual(['open']);
    // Repaired on AWS, but Teleport cannot be read: partial findings must not close the issue.
    await step();
    writeFileSync(path.join(h.tctlDir(), 'fail'), 'ERROR: connection refused\n');
    const partial = await check();
    expect(partial.exitCode).toBe(1);
    expect(partial.stdout).toMatch(/::warning title=Drift issue not updated::The drift issue was left as it is: the check could not read everything/);
    expect(gh.issues.map((i) => i.state)).toEqual(['open']);
  });

  it('is found again when GitHub dropped its label (a token that may not push): never a second issue', async () => {
    gh.dropLabels = true;
    expect((await step()).exitCode).toBe(0);
    await h.direct().send(new UpdateRoleCommand({ RoleName: ROLE, Description: 'edited by hand' }));
    await check();
    await check();
    expect(gh.issues).toHaveLength(1);
    expect(gh.issues[0].labels).toEqual([]);
    expect(gh.commentsOn(100).at(-1)!.body).toContain('still finds the same 1 difference');
  });

  it('is found by marker and author, never by title: a copy by someone else is left alone', async () => {
    expect((await step()).exitCode).toBe(0);
    gh.addIssue('mallory', {
      title: 'Drift in the Teleport AWS integration: aws-drift (account 123456789012)',
      body: driftIssueMarker('aws-drift', '123456789012'),
      labels: [DRIFT_LABEL],
    });
    await h.direct().send(new UpdateRoleCommand({ RoleName: ROLE, Description: 'edited by hand' }));
    await check();
    expect(gh.issues.map((i) => [i.number, i.user.login])).toEqual([
      [100, 'mallory'],
      [101, 'github-actions[bot]'],
    ]);
    expect(gh.issues[0].body).toBe(driftIssueMarker('aws-drift', '123456789012'));
  });

  it('without issues: write, or with issues disabled: a warning naming the fix, and the same verdict', async () => {
    expect((await step()).exitCode).toBe(0);
    await h.direct().send(new UpdateRoleCommand({ RoleName: ROLE, Description: 'edited by hand' }));
    const readOnly = await check({ 'github-token': 'ghs_readonly' });
    expect(readOnly.exitCode).toBe(1);
    expect(readOnly.stdout).toMatch(
      /::warning title=Drift issue not updated::Could not update the drift issue: the token may not write issues: give the job `permissions: issues: write`/,
    );
    gh.issuesDisabled = true;
    const disabled = await check();
    expect(disabled.exitCode).toBe(1);
    expect(disabled.stdout).toMatch(/::warning title=Drift issue not updated::Could not update the drift issue: issues are disabled in this repository/);
    // Without drift, the same warning and a green step.
    await step();
    const clean = await check();
    expect(clean.exitCode).toBe(0);
  });

  it('with a config file: one issue for the file and account, naming each entry', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'workspace-'));
    writeFileSync(
      path.join(dir, 'teleport.yml'),
      'cluster-url: localhost\ncluster-name: teleport.example.com\nintegrations:\n  - { integration: aws-d1, role-name: teleport-d1 }\n  - { integration: aws-d2, role-name: teleport-d2 }\n',
    );
    const run = (extra: Record<string, string> = {}, fault?: Fault['on']) => {
      h.proxy.clear();
      h.proxy.addFault(taggingStandIn(motoUrl));
      if (fault) h.proxy.addFault({ name: 'denied', on: fault });
      return runStep({
        inputs: { config: 'teleport.yml', 'tctl-path': TCTL_STANDIN, 'github-token': 'ghs_installationtoken', ...extra },
        eventName: 'schedule',
        env: { ...h.stepEnv({ GITHUB_API_URL: gh.url }), GITHUB_WORKSPACE: dir },
      });
    };
    expect((await run()).exitCode).toBe(0);
    await h.direct().send(new UpdateRoleCommand({ RoleName: 'teleport-d2', Description: 'edited' }));
    await run({ mode: 'check', 'drift-issue': 'true' });
    expect(gh.issues).toHaveLength(1);
    expect(gh.issues[0].title).toBe('Drift in the Teleport AWS integration: config teleport.yml (account 123456789012)');
    expect(gh.issues[0].body).toContain('[aws-d2] IAM role: update-role-description');

    // aws-d2 repaired, but aws-d1 cannot be read: one complete entry must not close the issue.
    expect((await run()).exitCode).toBe(0);
    const denied = 'User: arn:aws:sts::123456789012:assumed-role/ci/run is not authorized to perform: iam:ListRolePolicies on resource: role teleport-d1';
    const partial = await run({ mode: 'check', 'drift-issue': 'true', 'fail-on-drift': 'false' }, (c) =>
      c.action === 'ListRolePolicies' && new URLSearchParams(c.body).get('RoleName') === 'teleport-d1'
        ? { kind: 'aws-error', status: 403, code: 'AccessDenied', message: denied }
        : undefined,
    );
    expect(JSON.parse(partial.outputs.results)).toMatchObject({ 'aws-d1': { status: 'failed' }, 'aws-d2': { status: 'done' } });
    expect(partial.stdout).toMatch(/::warning title=Drift issue not updated::The drift issue was left as it is: the check could not read everything/);
    expect(gh.issues.map((i) => i.state)).toEqual(['open']);
    // Once every entry reads again, the clean check closes it.
    await run({ mode: 'check', 'drift-issue': 'true' });
    expect(gh.issues.map((i) => i.state)).toEqual(['closed']);
  });
});
