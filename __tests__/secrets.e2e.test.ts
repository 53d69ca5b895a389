/** Identity file path and content, tokens and AWS credentials never reach the log, the summary or the PR comment. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { GitHubStandIn } from './support/github-standin.js';
import { TCTL_STANDIN, useHarness } from './support/harness.js';
import { runStep, type StepResult } from './support/runner.js';

const h = useHarness();
const issuer = inject('issuer');
const gh = new GitHubStandIn();
beforeAll(() => gh.start());
afterAll(() => gh.stop());

const dir = mkdtempSync(path.join(os.tmpdir(), 'identity-'));
const identityFile = path.join(dir, 'identity-9f3c2e');
const KEY_LINE = 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7secretkeymaterial';
const CERT_LINE = 'ssh-ed25519-cert-v01@openssh.com AAAAIHNzaC1lZDI1NTE5LWNlcnQtdjAxQG9wZW5zc2guY29tsecret';
writeFileSync(identityFile, `-----BEGIN RSA PRIVATE KEY-----\n${KEY_LINE}\n-----END RSA PRIVATE KEY-----\n${CERT_LINE}\n`);
const SECRETS = {
  'identity file path': identityFile,
  'identity key': KEY_LINE,
  'identity certificate': CERT_LINE,
  'GitHub token': 'ghs_SecretInstallationToken123',
  'AWS secret key': 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  'AWS session token': 'IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKEN',
};

function everythingWritten(result: StepResult): string {
  const log = result.stdout
    .split('\n')
    .filter((line) => !line.startsWith('::add-mask::'))
    .join('\n');
  return [log, result.stderr, result.summary, JSON.stringify(result.outputs), ...gh.comments.map((c) => c.body)].join('\n');
}

function step(extraInputs: Record<string, string> = {}) {
  return runStep({
    inputs: {
      'cluster-url': 'localhost',
      integration: 'aws-secret',
      'role-name': 'teleport-secret-role',
      'cluster-name': 'teleport.example.com',
      'tctl-path': TCTL_STANDIN,
      'github-token': SECRETS['GitHub token'],
      mode: 'plan',
      ...extraInputs,
    },
    eventName: 'pull_request',
    event: { number: 7, pull_request: { number: 7 }, repository: { name: 'infra', owner: { login: 'acme' } } },
    env: {
      AWS_ENDPOINT_URL: h.proxy.url,
      AWS_ACCESS_KEY_ID: 'AKIAEXAMPLEKEYID',
      AWS_SECRET_ACCESS_KEY: SECRETS['AWS secret key'],
      AWS_SESSION_TOKEN: SECRETS['AWS session token'],
      AWS_REGION: 'us-east-1',
      NODE_EXTRA_CA_CERTS: issuer.caFile,
      TCTL_STANDIN_DIR: h.tctlDir(),
      TELEPORT_IDENTITY_FILE: identityFile,
      TELEPORT_AUTH_SERVER: 'teleport.example.com:443',
      GITHUB_API_URL: gh.url,
    },
  });
}

describe('secrets stay out of everything the action writes', () => {
  it('registers every secret with the runner', async () => {
    const result = await step();
    expect(result.exitCode).toBe(0);
    for (const secret of Object.values(SECRETS)) expect(result.stdout).toContain(`::add-mask::${secret}`);
    expect(result.stdout).not.toContain('::add-mask::-----BEGIN');
  });

  it('even when tctl fails with a message that quotes the identity file and its content', async () => {
    writeFileSync(
      path.join(h.tctlDir(), 'fail'),
      `ERROR: failed to parse identity file ${identityFile}: unexpected key "${KEY_LINE}" next to "${CERT_LINE}"\n`,
    );
    const result = await step({ mode: 'apply' });
    expect(result.exitCode).toBe(1);
    const written = everythingWritten(result);
    expect(written).toContain('failed to parse identity file ***');
    for (const [name, secret] of Object.entries(SECRETS)) expect(written.includes(secret), `${name} leaked`).toBe(false);
    expect(gh.comments).toHaveLength(1);
  });

  it('and when commenting fails', async () => {
    const result = await step({ 'github-token': 'ghs_readonly' });
    const written = everythingWritten(result);
    for (const [name, secret] of Object.entries(SECRETS)) expect(written.includes(secret), `${name} leaked`).toBe(false);
  });
});
