/** The sticky PR comment, through dist/index.js, against a local stand-in for GitHub's REST API. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { getOctokit } from '@actions/github';
import { COMMENT_LIMIT, commentMarker, truncateComment, upsertComment } from '../src/report/comment.js';
import { GitHubStandIn } from './support/github-standin.js';
import { TCTL_STANDIN, useHarness } from './support/harness.js';
import { runStep } from './support/runner.js';

const h = useHarness();
const gh = new GitHubStandIn();
beforeAll(() => gh.start());
afterAll(() => gh.stop());
beforeEach(() => gh.reset());

const PR_EVENT = {
  action: 'synchronize',
  number: 7,
  pull_request: { number: 7, head: { sha: 'abc' } },
  repository: { name: 'infra', owner: { login: 'acme' } },
};
const MARKER = commentMarker('aws-pr', '123456789012');

function step(inputs: Record<string, string> = {}, eventName = 'pull_request') {
  return runStep({
    inputs: {
      'cluster-url': 'localhost',
      integration: 'aws-pr',
      'role-name': 'teleport-pr-role',
      'cluster-name': 'teleport.example.com',
      mode: 'plan',
      'tctl-path': TCTL_STANDIN,
      'github-token': 'ghs_installationtoken',
      'comment-on-pr': 'true',
      ...inputs,
    },
    eventName,
    event: PR_EVENT,
    env: h.stepEnv({ GITHUB_API_URL: gh.url }),
  });
}

describe('sticky pull-request comment', () => {
  it('with a config file: one comment for the file and account, with every entry, updated in place', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'workspace-'));
    writeFileSync(
      path.join(dir, 'teleport.yml'),
      'cluster-url: localhost\ncluster-name: teleport.example.com\nintegrations:\n  - { integration: aws-one, role-name: teleport-one }\n  - { integration: aws-two, role-name: teleport-two }\n',
    );
    const inputs = { 'cluster-url': '', integration: '', 'role-name': '', 'cluster-name': '', config: 'teleport.yml' };
    const run = () =>
      runStep({
        inputs: { mode: 'plan', 'tctl-path': TCTL_STANDIN, 'github-token': 'ghs_installationtoken', 'comment-on-pr': 'true', ...inputs },
        eventName: 'pull_request',
        event: PR_EVENT,
        env: { ...h.stepEnv({ GITHUB_API_URL: gh.url }), GITHUB_WORKSPACE: dir },
      });
    const first = await run();
    expect(first.exitCode, first.stdout).toBe(0);
    expect(gh.comments).toHaveLength(1);
    expect(gh.comments[0].body.startsWith(commentMarker('config teleport.yml', '123456789012'))).toBe(true);
    expect(gh.comments[0].body).toContain('| aws-one | 123456789012 | 3 changes to apply |');
    expect(gh.comments[0].body).toContain('| aws-two | 123456789012 | 3 changes to apply |');
    await run();
    expect(gh.comments).toHaveLength(1);
    expect(gh.writes().map((w) => w.method)).toEqual(['POST', 'PATCH']);
  });

  it('creates the comment on the first run and updates the same one on the next', async () => {
    const first = await step();
    expect(first.exitCode).toBe(0);
    expect(gh.comments).toHaveLength(1);
    const [comment] = gh.comments;
    expect(comment.user.login).toBe('github-actions[bot]');
    expect(comment.body.startsWith(MARKER)).toBe(true);
    expect(comment.body).toContain('3 changes to apply');
    expect(comment.body).toContain('| OIDC provider |');
    expect(comment.body).toContain('[Workflow run](https://github.com/acme/infra/actions/runs/4242)');

    const second = await step();
    expect(second.exitCode).toBe(0);
    expect(gh.comments).toHaveLength(1);
    expect(gh.comments[0].id).toBe(comment.id);
    expect(gh.writes().map((w) => w.method)).toEqual(['POST', 'PATCH']);
  });

  it('never touches a comment by someone else that carries the marker', async () => {
    const planted = gh.addComment('mallory', `${MARKER}\nall good, merge it`);
    await step();
    expect(planted.body).toBe(`${MARKER}\nall good, merge it`);
    expect(gh.comments).toHaveLength(2);
    expect(gh.comments[1].user.login).toBe('github-actions[bot]');
  });

  it('finds its comment past the first page of comments', async () => {
    for (let i = 0; i < 120; i++) gh.addComment('someone', `comment ${i}`);
    await step();
    await step();
    expect(gh.comments.filter((c) => c.body.includes(MARKER))).toHaveLength(1);
  });

  it('keeps separate comments per integration', async () => {
    await step();
    await step({ integration: 'aws-other', 'role-name': 'other-role' });
    expect(gh.comments).toHaveLength(2);
  });

  it('a read-only token (fork pull request) gives a warning with the fix and a green step', async () => {
    const result = await step({ 'github-token': 'ghs_readonly' });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(
      /::warning title=Pull-request comment skipped::Could not write the pull-request comment: Resource not accessible by integration/,
    );
    expect(result.stdout).toContain('permissions: pull-requests: write');
    expect(gh.comments).toHaveLength(0);
  });

  it('does not comment outside pull-request events, and says nothing about it', async () => {
    const result = await step({}, 'push');
    expect(result.exitCode).toBe(0);
    expect(gh.requests).toEqual([]);
    expect(result.stdout).not.toContain('::warning');
  });

  it('with changes-only, comments only when there is something to change', async () => {
    const planned = await step({ 'comment-on-pr': 'changes-only' });
    expect(planned.exitCode).toBe(0);
    expect(gh.comments).toHaveLength(1);
    gh.reset();
    await step({ mode: 'apply', 'comment-on-pr': 'false' });
    expect(gh.comments).toHaveLength(0);
    const clean = await step({ 'comment-on-pr': 'changes-only' });
    expect(clean.exitCode).toBe(0);
    expect(gh.comments).toHaveLength(0);
  });

  it('uses a personal token user as the author to match', async () => {
    gh.addComment('github-actions[bot]', `${MARKER}\nan old one made with another token`);
    await step({ 'github-token': 'ghp_octocat' });
    expect(gh.comments).toHaveLength(2);
    expect(gh.comments[1].user.login).toBe('octocat');
  });
});

describe('truncateComment', () => {
  it('leaves a short body alone', () => {
    expect(truncateComment('a\nb', undefined)).toBe('a\nb');
  });
  it('cuts an oversized body below the limit on a line boundary and says so', () => {
    const line = `| row | ${'x'.repeat(90)} |`;
    const body = Array.from({ length: 2000 }, () => line).join('\n');
    const cut = truncateComment(body, 'https://github.com/acme/infra/actions/runs/1');
    expect(body.length).toBeGreaterThan(COMMENT_LIMIT);
    expect(cut.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(cut).toContain('**This comment was truncated**');
    expect(cut).toContain('https://github.com/acme/infra/actions/runs/1');
    const kept = cut.slice(0, cut.indexOf('\n\n**This comment was truncated**')).split('\n');
    expect(kept.every((l) => l === line)).toBe(true);
  });
  it('an oversized report is posted truncated, where the untruncated one is refused with 422', async () => {
    const octokit = getOctokit('ghs_installationtoken', { baseUrl: gh.url });
    const target = { owner: 'acme', repo: 'infra', issueNumber: 7 };
    const huge = Array.from({ length: 3000 }, (_, i) => `| role-${i} | trusts the provider |`).join('\n');
    await expect(upsertComment(octokit, target, MARKER, huge)).rejects.toMatchObject({ status: 422 });
    const outcome = await upsertComment(octokit, target, MARKER, truncateComment(huge, undefined, COMMENT_LIMIT - MARKER.length - 1));
    expect(outcome.action).toBe('created');
    expect(gh.comments[0].body.length).toBeLessThanOrEqual(COMMENT_LIMIT);
    expect(gh.comments[0].body).toContain('**This comment was truncated**');
  });
});
