/**
 * Bad input, table-driven, through dist/index.js: each case fails the step with a message that
 * names the input, says what is wrong and shows a valid example, and makes zero AWS calls
 * and zero tctl calls.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TCTL_STANDIN, useHarness } from './support/harness.js';
import { runStep, type StepResult } from './support/runner.js';

const h = useHarness();

const GOOD = {
  'cluster-url': 'localhost',
  integration: 'aws-bad-input',
  'role-name': 'teleport-bad-input',
  'cluster-name': 'teleport.example.com',
  'tctl-path': TCTL_STANDIN,
};

const manyTags = Array.from({ length: 48 }, (_, i) => `k${i}=v`).join('\n');
const auditStorage = (resultsUri: string) =>
  `external-audit-storage:\n  audit-events-uri: s3://audit/events\n  session-recordings-uri: s3://audit/sessions\n  athena-results-uri: ${resultsUri}\n` +
  '  athena-workgroup: wg\n  glue-database: db\n  glue-table: events';

// [input, bad value, what the message must say]
const CASES: [string, string, RegExp][] = [
  ['cluster-url', '', /is empty/],
  ['cluster-url', '   ', /is empty/],
  ['cluster-url', 'http://teleport.example.com', /uses http:\/\//],
  ['cluster-url', 'ftp://teleport.example.com', /uses ftp:\/\//],
  ['cluster-url', 'https://teleport.example.com/web', /has a path/],
  ['cluster-url', 'https://teleport.example.com/?next=/', /query or fragment/],
  ['cluster-url', 'https://teleport.example.com#x', /query or fragment/],
  ['cluster-url', 'https://admin:hunter22@teleport.example.com', /user name or password/],
  ['cluster-url', 'https://bad_host.example.com', /invalid host name/],
  ['cluster-url', 'teleport..example.com', /invalid host name|not a valid address/],
  ['cluster-url', '10.0.0.1:99999', /not a valid address/],
  ['cluster-url', 'teleport.example.com:3080', /The URL should not contain a port number/],
  ['cluster-url', 'https://[::1]', /IPv6/],
  ['integration', '', /is empty/],
  ['integration', 'a'.repeat(64), /64 characters long; at most 63/],
  ['integration', 'my integration', /not a valid integration name/],
  ['integration', 'aws/prod', /not a valid integration name/],
  ['integration', '-aws', /not a valid integration name/],
  ['integration', 'aws*', /not a valid integration name/],
  ['role-name', '', /is empty/],
  ['role-name', 'r'.repeat(65), /65 characters long; IAM allows at most 64/],
  ['role-name', 'teleport role', /characters IAM does not allow/],
  ['role-name', 'teleport/role', /characters IAM does not allow/],
  ['role-name', 'rôle', /characters IAM does not allow/],
  ['tags', 'team', /line 1 \("team"\) is not key=value/],
  ['tags', '=value', /is not key=value/],
  ['tags', 'team=a\nteam=b', /the key "team" is given twice/],
  ['tags', 'aws:cloudformation=x', /reserved by AWS/],
  ['tags', `${'k'.repeat(129)}=v`, /the key is 129 characters long; at most 128/],
  ['tags', `k=${'v'.repeat(257)}`, /is 257 characters long; a tag value holds at most 256/],
  ['tags', manyTags, /51 tags in all/],
  ['tags', 'teleport.dev/integration=other', /cannot be overridden/],
  ['tags', 'team=a;b', /characters a tag value cannot hold/],
  ['mode', 'delete', /"delete" is not one of apply, plan, check, destroy/],
  ['adopt-existing-role', 'yes', /"yes" is not a boolean/],
  ['adopt-existing-role', '1', /"1" is not a boolean/],
  ['adopt-existing-provider', 'yes', /"yes" is not a boolean/],
  ['skip-teleport', '1', /"1" is not a boolean/],
  ['skip-teleport', 'on', /"on" is not a boolean/],
  ['fail-on-drift', 'yes', /"yes" is not a boolean/],
  ['fail-on-drift', '0', /"0" is not a boolean/],
  ['comment-on-pr', 'always', /"always" is not one of true, false, changes-only/],
  ['cluster-name', 'prod<script>', /characters a tag value cannot hold/],
  ['cluster-name', 'c'.repeat(257), /257 characters long/],
  ['regions', 'us-east-1, mars-1', /"mars-1" is not an AWS region name/],
  ['trust-policy-quota', '4k', /"4k" is not a number of characters/],
  ['trust-policy-quota', '1024', /is 1024; IAM's "Role trust policy length" is 2048 characters by default and 8192 at most/],
  ['trust-policy-quota', '10240', /is 10240; IAM's "Role trust policy length" is 2048 characters by default and 8192 at most/],
  ['role-description', 'd'.repeat(1001), /1001 characters long; IAM allows at most 1000/],
  ['role-description', 'emoji 🚀', /characters IAM does not allow/],
  ['features', 'eks, lambda', /"lambda" is not a feature \(known: ec2-ssm, /],
  ['features', 'eks:\n  regions: [us-east-1]', /line 2: eks: unknown parameter "regions" \(eks takes no parameters\)/],
  ['features', 'ec2-ssm:\n  region: us-east-1', /unknown parameter "region" \(known: regions, document\)/],
  ['features', 'ec2-ssm: { regions: [us-east-1, mars-1] }', /"mars-1" is not an AWS region name/],
  ['features', 'ec2-ssm: { document: AmazonInstaller }', /prefix AWS reserves/],
  [
    'features',
    'external-audit-storage:\n  athena-workgroup: wg',
    /missing audit-events-uri, session-recordings-uri, athena-results-uri, glue-database, glue-table/,
  ],
  ['features', auditStorage('https://results'), /athena-results-uri "https:\/\/results" is not an s3:\/\/ URI/],
  ['features', auditStorage('s3://Bad_Bucket'), /invalid bucket "Bad_Bucket"/],
  ['features', 'ec2-ssm: { regions: [us-east-1 }', /line 1, column \d+: is not valid YAML/],
  ['features', 'eks, eks', /"eks" is declared twice/],
  ['discovery', 'matchers: [{ types: [ec2] }]', /group is required: the discovery_group/],
  ['discovery', 'group: g', /matchers is required/],
  ['discovery', 'group: g\nmatchers: []', /matchers must be a list of at least one matcher/],
  ['discovery', 'group: g\nmatchers:\n  - types: [ec2, lambda]', /line 3: matchers\[0\]: "lambda" is not a discovery type \(known: ec2, eks, rds/],
  ['discovery', 'group: g\nmatchers:\n  - types: [ec2]\n    regions: []', /matchers\[0\]: regions is empty/],
  ['discovery', 'group: g\nmatchers:\n  - types: [ec2]\n    regions: [us-east-1, mars-1]', /"mars-1" is not an AWS region name/],
  ['discovery', 'group: g\nmatchers:\n  - types: [ec2]\n    tags: [env, prod]', /tags must be a mapping of key to a value or a list of values/],
  [
    'discovery',
    'group: g\nmatchers:\n  - types: [rds]\n    setup-access-for-arn: arn:aws:iam::123456789012:role/x',
    /setup-access-for-arn only applies to eks matchers/,
  ],
  ['discovery', 'group: g\nmatchers:\n  - types: [eks]\njoin-token: t', /join-token only applies when a matcher discovers ec2/],
  ['discovery', 'group: g\nmatchers:\n  - types: [ec2]\nlabels: { teleport.dev/owner: me }', /teleport.dev\/ labels are the ones this action writes/],
  ['discovery', 'group: g\nmatcher: []', /unknown key "matcher" \(known: group, name, join-token/],
  [
    'discovery',
    'group: g\nname: synthetic-abc\nmatchers:\n  - types: [ec2]',
    /name "synthetic-abc" is in the synthetic- namespace, where Discovery Services publish read-only copies/,
  ],
  ['adopt-existing-discovery', 'yes', /"yes" is not a boolean/],
  ['fail-on-unhealthy', 'maybe', /"maybe" is not a boolean/],
  ['drift-issue', 'yes', /"yes" is not a boolean/],
  ['drift-issue', 'true', /is true with mode apply; only a check keeps the drift issue/],
  ['stackset-timeout', 'ten', /"ten" is not a whole number of minutes/],
  ['stackset-timeout', '0', /is 0; give 1 to 350 minutes/],
  ['stackset-timeout', '400', /is 400; give 1 to 350 minutes \(a GitHub job ends at 360\)/],
  ['detect-drift', 'yes', /"yes" is not a boolean/],
  ['detect-drift', 'true', /is true with mode apply; only a check runs StackSet drift detection/],
  ['account-id', '12345', /"12345" is not an AWS account ID \(12 digits\)/],
  ['account-id', '1234-5678-9012', /is not an AWS account ID/],
  ['adopt-existing-document', 'yes', /"yes" is not a boolean/],
  ['destroy', 'yes', /"yes" is not a boolean/],
  ['destroy', 'true', /is true with mode apply; it only makes mode plan show what mode destroy would delete/],
  ['confirm-destroy', 'aws-bad-input', /is set with mode apply; it only confirms mode destroy/],
];

// Mode destroy without the right confirmation: zero calls as well.
const DESTROY_CASES: [Record<string, string>, string, RegExp][] = [
  [{ mode: 'destroy' }, 'confirm-destroy', /is empty; mode destroy deletes what integration aws-bad-input owns only when confirm-destroy repeats its name/],
  [
    { mode: 'destroy', 'confirm-destroy': 'aws-prod' },
    'confirm-destroy',
    /"aws-prod" is not the integration's name \("aws-bad-input"\); nothing is deleted unless they are the same/,
  ],
  [{ mode: 'destroy', 'confirm-destroy': ' aws-bad-input-2 ' }, 'confirm-destroy', /"aws-bad-input-2" is not the integration's name/],
];

// Inputs that are each fine alone but not together.
const COMBINED_CASES: [Record<string, string>, string, RegExp][] = [
  [{ mode: 'plan', 'stackset-timeout': '30' }, 'stackset-timeout', /is set with mode plan, which waits for no StackSet operation/],
  [{ 'skip-teleport': 'true', discovery: 'group: g\nmatchers: [{ types: [ec2] }]' }, 'discovery', /is set with skip-teleport: true/],
  [
    { integration: 'synthetic-aws', discovery: 'group: g\nmatchers: [{ types: [ec2] }]' },
    'discovery',
    /name defaults to the integration's, "synthetic-aws", which is in the synthetic- namespace/,
  ],
];

// mode import: the file to write must be a YAML path in the repository, and inputs that declare something are errors.
const IMPORT = { 'cluster-url': 'localhost', mode: 'import', config: '.github/teleport-integrations.yml', 'tctl-path': TCTL_STANDIN };
const IMPORT_CASES: [Record<string, string>, string, RegExp][] = [
  [{ config: '' }, 'config', /is empty; mode import writes the config file there/],
  [{ config: '/etc/teleport.yml' }, 'config', /"\/etc\/teleport.yml" is not a path inside the repository/],
  [{ config: '../elsewhere/teleport.yml' }, 'config', /is not a path inside the repository/],
  [{ config: '.github/teleport.json' }, 'config', /is not a YAML file name \(.yml or .yaml\)/],
  [{ 'cluster-url': '' }, 'cluster-url', /is empty/],
  [{ integration: 'aws/prod' }, 'integration', /not a valid integration name/],
  [{ regions: 'mars-north-1' }, 'regions', /is not an AWS region name/],
  [{ 'role-name': 'teleport-aws-prod' }, 'role-name', /is set with mode import, which writes every entry from what is live/],
  [{ features: 'eks' }, 'features', /is set with mode import/],
  [{ 'adopt-existing-role': 'true' }, 'adopt-existing-role', /is set with mode import/],
  [{ 'role-description': 'mine' }, 'role-description', /is set with mode import/],
  [{ 'skip-teleport': 'true' }, 'skip-teleport', /is set with mode import/],
];

function annotationLine(result: StepResult): string {
  const line = result.stdout.split('\n').find((l) => l.startsWith('::error::')) ?? '';
  return decodeURIComponent(line.replace(/%0A/g, '\n'));
}

describe(`bad input (${CASES.length} cases)`, () => {
  it('has at least 40 cases', () => expect(CASES.length).toBeGreaterThanOrEqual(40));

  // Run the cases four at a time: each is a whole dist/index.js process.
  for (let batch = 0; batch < CASES.length; batch += 4) {
    const slice = CASES.slice(batch, batch + 4);
    it(`cases ${batch + 1}-${batch + slice.length}: ${slice.map(([input]) => input).join(', ')}`, async () => {
      const results = await Promise.all(
        slice.map(([input, value]) =>
          runStep({ inputs: { ...GOOD, [input]: value }, env: { AWS_ENDPOINT_URL: h.proxy.url, AWS_REGION: 'us-east-1', TCTL_STANDIN_DIR: h.tctlDir() } }),
        ),
      );
      results.forEach((result, i) => {
        const [input, value, problem] = slice[i];
        const message = annotationLine(result);
        expect(result.exitCode, `${input}=${JSON.stringify(value)}`).toBe(1);
        expect(message, `${input}=${JSON.stringify(value)}`).toContain(`Input '${input}'`);
        expect(message, `${input}=${JSON.stringify(value)}`).toMatch(problem);
        expect(message, `${input}=${JSON.stringify(value)}`).toContain(`Example: ${input}:`);
      });
      expect(h.proxy.calls).toEqual([]);
      expect(existsSync(path.join(h.tctlDir(), 'calls.log'))).toBe(false);
    });
  }

  it(`destroy without its confirmation (${DESTROY_CASES.length} cases)`, async () => {
    const results = await Promise.all(
      DESTROY_CASES.map(([extra]) =>
        runStep({ inputs: { ...GOOD, ...extra }, env: { AWS_ENDPOINT_URL: h.proxy.url, AWS_REGION: 'us-east-1', TCTL_STANDIN_DIR: h.tctlDir() } }),
      ),
    );
    results.forEach((result, i) => {
      const [, input, problem] = DESTROY_CASES[i];
      const message = annotationLine(result);
      expect(result.exitCode).toBe(1);
      expect(message).toContain(`Input '${input}'`);
      expect(message).toMatch(problem);
      expect(message).toContain(`Example: ${input}: aws-bad-input`);
    });
    expect(h.proxy.calls).toEqual([]);
    expect(existsSync(path.join(h.tctlDir(), 'calls.log'))).toBe(false);
  });

  it(`inputs that conflict (${COMBINED_CASES.length} cases)`, async () => {
    for (const [extra, input, problem] of COMBINED_CASES) {
      const result = await runStep({ inputs: { ...GOOD, ...extra }, env: { AWS_ENDPOINT_URL: h.proxy.url, TCTL_STANDIN_DIR: h.tctlDir() } });
      const message = annotationLine(result);
      expect(result.exitCode).toBe(1);
      expect(message).toContain(`Input '${input}'`);
      expect(message).toMatch(problem);
      expect(message).toContain(`Example: ${input}:`);
    }
    expect(h.proxy.calls).toEqual([]);
    expect(existsSync(path.join(h.tctlDir(), 'calls.log'))).toBe(false);
  });

  it(`mode import (${IMPORT_CASES.length} cases)`, async () => {
    const results = await Promise.all(
      IMPORT_CASES.map(([extra]) => runStep({ inputs: { ...IMPORT, ...extra }, env: { AWS_ENDPOINT_URL: h.proxy.url, TCTL_STANDIN_DIR: h.tctlDir() } })),
    );
    results.forEach((result, i) => {
      const [extra, input, problem] = IMPORT_CASES[i];
      const message = annotationLine(result);
      expect(result.exitCode, JSON.stringify(extra)).toBe(1);
      expect(message, JSON.stringify(extra)).toContain(`Input '${input}'`);
      expect(message, JSON.stringify(extra)).toMatch(problem);
      expect(message, JSON.stringify(extra)).toContain(`Example: ${input}:`);
    });
    expect(h.proxy.calls).toEqual([]);
    expect(existsSync(path.join(h.tctlDir(), 'calls.log'))).toBe(false);
  });

  it('reports every bad input at once', async () => {
    const result = await runStep({
      inputs: { ...GOOD, 'role-name': '', mode: 'yolo', tags: 'x' },
      env: { AWS_ENDPOINT_URL: h.proxy.url, TCTL_STANDIN_DIR: h.tctlDir() },
    });
    const message = annotationLine(result);
    expect(message).toContain('3 inputs are invalid');
    for (const input of ['role-name', 'mode', 'tags']) expect(message).toContain(`Input '${input}'`);
    expect(h.proxy.calls).toEqual([]);
  });
});
