/**
 * The errors a first run meets, through dist/index.js as the runner runs it: each ends with
 * the fix, in the error annotation and the job summary, with AWS's own words after ours and
 * no stack trace. AWS errors are injected at the proxy as AWS sends them.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TCTL_STANDIN, useHarness } from './support/harness.js';
import { runStep, type StepResult } from './support/runner.js';

const h = useHarness();
const inputs = {
  'cluster-url': 'localhost',
  integration: 'aws-first-run',
  'role-name': 'teleport-first-run',
  'cluster-name': 'teleport.example.com',
  'tctl-path': TCTL_STANDIN,
};
const CALLER = 'arn:aws:sts::123456789012:assumed-role/github-teleport-integration/GitHubActions';

function errorAnnotation(result: StepResult): string {
  const line = result.stdout.split('\n').find((l) => l.startsWith('::error::')) ?? '';
  return decodeURIComponent(line.replace(/%0A/g, '\n'));
}

function expectExplained(result: StepResult, ...parts: (string | RegExp)[]): void {
  expect(result.exitCode, result.stdout).toBe(1);
  const message = errorAnnotation(result);
  for (const part of parts) {
    if (typeof part === 'string') {
      expect(message).toContain(part);
      expect(result.summary).toContain(part.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;'));
    } else expect(message).toMatch(part);
  }
  // A run that stopped before it could report says so; one that failed applying shows its report with the error.
  expect(result.summary).toMatch(/\*\*failed: nothing was changed after this point\*\*|\*\*Error:\*\*/);
  // No stack trace anywhere the user looks.
  expect(`${result.stdout}\n${result.stderr}\n${result.summary}`).not.toMatch(/\n\s+at .+:\d+:\d+/);
}

const injectOn = (action: string, status: number, code: string, message: string) =>
  h.proxy.addFault({ name: code, on: (c) => (c.action === action ? { kind: 'aws-error', status, code, message } : undefined) });

describe('first-run errors through dist/index.js', () => {
  it('no AWS credentials: configure-aws-credentials must run first, with id-token: write', async () => {
    const result = await runStep({
      inputs,
      env: {
        ...h.stepEnv(),
        AWS_ACCESS_KEY_ID: undefined,
        AWS_SECRET_ACCESS_KEY: undefined,
        AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credentials',
        AWS_CONFIG_FILE: '/nonexistent/config',
        AWS_EC2_METADATA_DISABLED: 'true',
      },
    });
    expectExplained(
      result,
      'No AWS credentials reached this step: aws-actions/configure-aws-credentials must run in this job before this step',
      '`permissions: id-token: write`',
      'The AWS SDK said (CredentialsProviderError: Could not load credentials from any providers)',
    );
    expect(h.proxy.calls).toEqual([]);
  });

  it('expired credentials: the session length configure-aws-credentials needs', async () => {
    injectOn('GetCallerIdentity', 403, 'ExpiredToken', 'The security token included in the request is expired');
    const result = await runStep({ inputs, env: h.stepEnv() });
    expectExplained(
      result,
      'The AWS credentials expired before sts:GetCallerIdentity: the session is shorter than the job.',
      'role-duration-seconds',
      'AWS said (ExpiredToken: The security token included in the request is expired)',
    );
  });

  it('invalid credentials (InvalidClientTokenId, SignatureDoesNotMatch)', async () => {
    injectOn('GetCallerIdentity', 403, 'InvalidClientTokenId', 'The security token included in the request is invalid.');
    const invalid = await runStep({ inputs, env: h.stepEnv() });
    expectExplained(invalid, 'AWS does not accept these credentials (InvalidClientTokenId) on sts:GetCallerIdentity', 'configure-aws-credentials');
    h.proxy.clear();
    const signature = 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.';
    injectOn('GetCallerIdentity', 403, 'SignatureDoesNotMatch', signature);
    const signed = await runStep({ inputs, env: h.stepEnv() });
    expectExplained(signed, 'AWS does not accept these credentials (SignatureDoesNotMatch)', `AWS said (SignatureDoesNotMatch: ${signature})`);
  });

  it("AccessDenied in apply: the action and resource as AWS gave them, and the mode's policy file", async () => {
    const denied =
      `User: ${CALLER} is not authorized to perform: iam:CreateRole on resource: arn:aws:iam::123456789012:role/teleport-first-run ` +
      'because no identity-based policy allows the iam:CreateRole action';
    injectOn('CreateRole', 403, 'AccessDenied', denied);
    const result = await runStep({ inputs, env: h.stepEnv() });
    expectExplained(
      result,
      `AWS denied iam:CreateRole on arn:aws:iam::123456789012:role/teleport-first-run to ${CALLER}: the role this job assumed lacks it.`,
      'Mode apply needs the policy in policies/apply.json (docs/permissions.md)',
      `AWS said (AccessDenied: ${denied})`,
    );
  });

  it('AccessDeniedException from SSM (JSON protocol) and AccessDenied on a read in plan mode', async () => {
    const ssmDenied =
      `User: ${CALLER} is not authorized to perform: ssm:DescribeDocument on resource: ` +
      'arn:aws:ssm:us-east-1:123456789012:document/TeleportDiscoveryInstaller because no identity-based policy allows the ssm:DescribeDocument action';
    injectOn('DescribeDocument', 400, 'AccessDeniedException', ssmDenied);
    const ssm = await runStep({ inputs: { ...inputs, features: 'ec2-ssm:' }, env: h.stepEnv() });
    expectExplained(ssm, 'AWS denied ssm:DescribeDocument on arn:aws:ssm:us-east-1:123456789012:document/TeleportDiscoveryInstaller', 'policies/apply.json');
    h.proxy.clear();
    injectOn(
      'GetRole',
      403,
      'AccessDenied',
      `User: ${CALLER} is not authorized to perform: iam:GetRole on resource: arn:aws:iam::123456789012:role/teleport-first-run`,
    );
    const plan = await runStep({ inputs: { ...inputs, mode: 'plan' }, env: h.stepEnv() });
    expectExplained(plan, 'AWS denied iam:GetRole on arn:aws:iam::123456789012:role/teleport-first-run', 'Mode plan needs the policy in policies/plan.json');
  });

  it('an unreachable cluster URL says whether DNS, TCP or TLS failed, and for which host', async () => {
    const dns = await runStep({ inputs: { ...inputs, 'cluster-url': 'teleport.nonexistent.invalid' }, env: h.stepEnv() });
    // Which code the resolver gives depends on the machine (ENOTFOUND, or EAI_AGAIN where no DNS
    // server answers, as in a network namespace): what the user is told is the same.
    expectExplained(dns, /DNS: teleport\.nonexistent\.invalid does not resolve \((ENOTFOUND|EAI_AGAIN)\); check cluster-url/);
    expect(dns.summary).toMatch(/DNS: teleport\.nonexistent\.invalid does not resolve \((ENOTFOUND|EAI_AGAIN)\); check cluster-url/);
    // 127.0.0.2 is loopback too, where nothing listens on 443.
    const tcp = await runStep({ inputs: { ...inputs, 'cluster-url': '127.0.0.2' }, env: h.stepEnv() });
    expectExplained(tcp, 'TCP: 127.0.0.2:443 refused the connection (nothing listens there) (ECONNREFUSED)');
    // The issuer's CA is private: without NODE_EXTRA_CA_CERTS its certificate is not trusted.
    const tls = await runStep({ inputs, env: { ...h.stepEnv(), NODE_EXTRA_CA_CERTS: undefined } });
    expectExplained(tls, /TLS: localhost:443 answered but its certificate was not accepted \(/, 'NODE_EXTRA_CA_CERTS');
  });

  it('tctl denied: the AWS side is done, and the missing Teleport rule is named', async () => {
    writeFileSync(path.join(h.tctlDir(), 'deny-integration'), 'create\n');
    const result = await runStep({ inputs, env: h.stepEnv() });
    expect(result.exitCode).toBe(1);
    const message = errorAnnotation(result);
    expect(message).toContain('access denied to perform action "create" on "integration"');
    expect(message).toContain("The workflow's Teleport role lacks the rule { resources: [integration], verbs: [create] }");
    expect(message).toContain('teleport-actions/auth'); // today's hint, kept
  });
});
