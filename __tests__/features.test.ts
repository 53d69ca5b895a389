/** The features input, the policy diff shown in plans, and the SSM document's masked compare. Pure: no I/O. */
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { parseFeatures } from '../src/config/features.js';
import { InputError } from '../src/errors.js';
import { policyDiff, policyDiffSections } from '../src/report/features.js';
import { discoveryDocumentContent, maskedContent, sameDocumentContent } from '../src/resources/aws/ssm-document.js';

const EAS = `external-audit-storage:
  audit-events-uri: s3://audit-bucket/events/
  session-recordings-uri: s3://audit-bucket/sessions
  athena-results-uri: s3://results-bucket
  athena-workgroup: teleport_wg
  glue-database: teleport_db
  glue-table: teleport_events`;

describe('features input', () => {
  it('is empty by default', () => expect(parseFeatures('')).toEqual([]));

  it('reads comma, newline and list forms as the same keys, in a fixed order', () => {
    const expected = [
      { key: 'eks', params: {} },
      { key: 'access-graph', params: {} },
    ];
    expect(parseFeatures('eks, access-graph')).toEqual(expected);
    expect(parseFeatures('access-graph\neks\n')).toEqual(expected);
    expect(parseFeatures('[access-graph, eks]')).toEqual(expected);
    expect(parseFeatures('- eks\n- access-graph')).toEqual(expected);
  });

  it('reads a mapping: `eks:` alone and `eks: {}` mean no parameters', () => {
    expect(parseFeatures('eks:\nrds: {}')).toEqual([
      { key: 'eks', params: {} },
      { key: 'rds', params: {} },
    ]);
  });

  it('gives ec2-ssm its defaults and its listed regions', () => {
    expect(parseFeatures('ec2-ssm:')).toEqual([{ key: 'ec2-ssm', params: { regions: undefined, document: 'TeleportDiscoveryInstaller' } }]);
    expect(parseFeatures('ec2-ssm:\n  regions: [eu-west-1, us-east-1, eu-west-1]\n  document: AWS-RunShellScript')).toEqual([
      { key: 'ec2-ssm', params: { regions: ['eu-west-1', 'us-east-1'], document: 'AWS-RunShellScript' } },
    ]);
  });

  it('reads external-audit-storage with its URIs split into bucket and prefix', () => {
    const [feature] = parseFeatures(EAS);
    expect(feature).toEqual({
      key: 'external-audit-storage',
      params: {
        auditEventsUri: { bucket: 'audit-bucket', prefix: 'events' },
        sessionRecordingsUri: { bucket: 'audit-bucket', prefix: 'sessions' },
        athenaResultsUri: { bucket: 'results-bucket', prefix: '' },
        athenaWorkgroup: 'teleport_wg',
        glueDatabase: 'teleport_db',
        glueTable: 'teleport_events',
        policyName: 'ExternalAuditStorage',
      },
    });
  });

  const QUEUE = 'https://sqs.us-west-2.amazonaws.com/123456789012/cloudtrail-events';
  const EVENTS = `access-graph:\n  sqs-queue-url: ${QUEUE}\n  cloudtrail-bucket-arn: arn:aws:s3:::acme-cloudtrail`;

  it('reads access-graph with or without its event sources, KMS keys as a list or one value', () => {
    expect(parseFeatures('access-graph:')).toEqual([{ key: 'access-graph', params: { eventSources: undefined } }]);
    const sources = { sqsQueueUrl: QUEUE, cloudTrailBucketArn: 'arn:aws:s3:::acme-cloudtrail' };
    expect(parseFeatures(EVENTS)).toEqual([{ key: 'access-graph', params: { eventSources: { ...sources, kmsKeyArns: [] } } }]);
    const key = 'arn:aws:kms:us-west-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    expect(parseFeatures(`${EVENTS}\n  kms-key-arns: [${key}, ${key}]`)).toEqual([
      { key: 'access-graph', params: { eventSources: { ...sources, kmsKeyArns: [key] } } },
    ]);
    expect(parseFeatures(`${EVENTS}\n  kms-key-arns: ${key}`)).toEqual([{ key: 'access-graph', params: { eventSources: { ...sources, kmsKeyArns: [key] } } }]);
  });

  it("reads session-summaries' model in Teleport's three forms", () => {
    for (const model of ['anthropic.claude-3-5-sonnet-20240620-v1:0', 'arn:aws:bedrock:us-east-1:123456789012:inference-profile/my-profile', '*']) {
      expect(parseFeatures(`session-summaries:\n  model: "${model}"`)).toEqual([{ key: 'session-summaries', params: { model } }]);
    }
  });

  it("reads deploy-service with its task role and the policy name, Teleport's DeployService by default", () => {
    expect(parseFeatures('deploy-service: { task-role: DbTask }')).toEqual([
      { key: 'deploy-service', params: { taskRole: 'DbTask', policyName: 'DeployService' } },
    ]);
    expect(parseFeatures('deploy-service:\n  task-role: DbTask\n  policy-name: Deploy')).toEqual([
      { key: 'deploy-service', params: { taskRole: 'DbTask', policyName: 'Deploy' } },
    ]);
  });

  const bad: [string, string, RegExp][] = [
    ['deploy-service without its task role', 'deploy-service:', /line 1: deploy-service: missing task-role/],
    ['a task role IAM would refuse', 'deploy-service: { task-role: "db task" }', /task-role "db task" is not an IAM role name/],
    ['a task role over 64 characters', `deploy-service: { task-role: ${'r'.repeat(65)} }`, /is not an IAM role name \(1 to 64/],
    ['a bad policy name', 'deploy-service: { task-role: t, policy-name: "a/b" }', /policy-name "a\/b" is not an IAM policy name/],
    ['a queue without its bucket', `access-graph:\n  sqs-queue-url: ${QUEUE}`, /line 1: access-graph: sqs-queue-url and cloudtrail-bucket-arn go together/],
    ['KMS keys alone', 'access-graph:\n  kms-key-arns: [arn:aws:kms:us-west-2:123456789012:key/x]', /go together \(kms-key-arns only beside them\)/],
    [
      'a queue URL of another form',
      EVENTS.replace(QUEUE, 'https://sqs.us-west-2.amazonaws.com/cloudtrail-events'),
      /sqs-queue-url ".*" is not https:\/\/sqs\.<region>/,
    ],
    ['a queue URL in no region', EVENTS.replace('us-west-2', 'moon'), /names "moon", not an AWS region/],
    ['a bucket ARN with a path', EVENTS.replace('acme-cloudtrail', 'acme-cloudtrail/AWSLogs'), /cloudtrail-bucket-arn ".*" is not an S3 bucket ARN/],
    [
      'an ARN of another service as the bucket',
      EVENTS.replace('arn:aws:s3:::acme-cloudtrail', 'arn:aws:sqs:us-west-2:123456789012:q'),
      /is not an S3 bucket ARN/,
    ],
    ['a KMS key that is not an ARN', `${EVENTS}\n  kms-key-arns: [1234abcd]`, /"1234abcd" is not a KMS key ARN/],
    [
      'a KMS alias',
      `${EVENTS}\n  kms-key-arns: [arn:aws:kms:us-west-2:123456789012:alias/trail]`,
      /an alias ARN in a policy grants nothing on the key behind it/,
    ],
    ['session-summaries without its model', 'session-summaries:', /session-summaries: missing model/],
    ['a model that is no model', 'session-summaries: { model: "claude please" }', /model "claude please" is not a Bedrock model ID/],
    ['a model ARN of another service', 'session-summaries: { model: "arn:aws:s3:::bucket" }', /is not a Bedrock model ID/],
    ['unknown key', 'eks, lambda', /"lambda" is not a feature \(known: ec2-ssm, /],
    ['unknown key in a mapping, with its line', 'eks:\nlambda:', /line 2: "lambda" is not a feature/],
    ['parameter on a feature that takes none', 'eks:\n  regions: [us-east-1]', /line 2: eks: unknown parameter "regions" \(eks takes no parameters\)/],
    ['unknown ec2-ssm parameter', 'ec2-ssm:\n  region: us-east-1', /unknown parameter "region" \(known: regions, document\)/],
    ['bad region', 'ec2-ssm: { regions: [us-east-1, mars-1] }', /"mars-1" is not an AWS region name/],
    ['empty regions', 'ec2-ssm: { regions: [] }', /regions is empty/],
    ['reserved document prefix', 'ec2-ssm: { document: AmazonThing }', /prefix AWS reserves/],
    ['bad document name', 'ec2-ssm: { document: "a b" }', /not a valid SSM document name/],
    [
      'missing audit-storage parameters',
      'external-audit-storage:\n  athena-workgroup: wg',
      /missing audit-events-uri, session-recordings-uri, athena-results-uri, glue-database, glue-table/,
    ],
    ['non-s3 URI', EAS.replace('s3://results-bucket', 'https://results-bucket'), /athena-results-uri "https:\/\/results-bucket" is not an s3:\/\/ URI/],
    ['bad bucket', EAS.replace('s3://results-bucket', 's3://Results_Bucket'), /invalid bucket "Results_Bucket"/],
    ['duplicate key', 'eks, eks', /"eks" is declared twice/],
    ['duplicate mapping key', 'eks:\neks:', /not valid YAML|declared twice/],
    ['YAML syntax error with position', 'ec2-ssm: { regions: [us-east-1 }', /line 1, column \d+: is not valid YAML/],
    ['parameters that are not a mapping', 'ec2-ssm: us-east-1', /the parameters must be a mapping/],
    ['a number', '42', /must name features/],
  ];
  for (const [what, text, message] of bad) {
    it(`rejects ${what}, naming the input with an example`, () => {
      let error: unknown;
      try {
        parseFeatures(text);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(InputError);
      expect((error as Error).message).toMatch(/^Input 'features': /);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).toMatch(/Example: features: /);
    });
  }
});

describe('policy diff', () => {
  const before = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['eks:ListClusters', 'eks:*'], Resource: '*' }] };
  const after = { Version: '2012-10-17', Statement: { Effect: 'Allow', Action: ['eks:DescribeCluster', 'eks:ListClusters'], Resource: ['*'] } };

  it('lists the permissions added and removed, one per line', () => {
    expect(policyDiff(before, after)).toEqual({ added: ['Allow eks:DescribeCluster on *'], removed: ['Allow eks:* on *'] });
  });

  it('shows conditions, so a changed condition is a change', () => {
    const withCondition = { Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*', Condition: { StringEquals: { k: 'true' } } }] };
    const other = { Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*', Condition: { StringEquals: { k: 'false' } } }] };
    expect(policyDiff(withCondition, other)).toEqual({
      added: ['Allow sts:AssumeRole on * if {"StringEquals":{"k":"false"}}'],
      removed: ['Allow sts:AssumeRole on * if {"StringEquals":{"k":"true"}}'],
    });
  });

  it('renders a collapsible, escaped section per changed policy', () => {
    const [section] = policyDiffSections([
      { action: 'update-role-policy', resource: 'role-policy', target: 'r', reason: 'x', feature: 'eks', policyName: 'EKSAccess', before, after },
    ]);
    expect(section).toContain('Inline policy EKSAccess (feature eks, changed): 1 added, 1 removed');
    expect(section).toContain('- Allow eks:* on *');
    expect(section).toContain('+ Allow eks:DescribeCluster on *');
  });
});

describe('SSM document content', () => {
  const proxy = 'https://teleport.example.com';

  it('draws a fresh install path each time, used by both steps', () => {
    const a = discoveryDocumentContent(proxy);
    const b = discoveryDocumentContent(proxy);
    expect(a).not.toBe(b);
    const paths = a.match(/\/tmp\/installTeleport-[0-9a-f-]{36}\.sh/g)!;
    expect(paths).toHaveLength(2);
    expect(paths[0]).toBe(paths[1]);
  });

  it('compares equal with the install path masked, in YAML or JSON, whatever the key order', () => {
    const yaml = discoveryDocumentContent(proxy, '11111111-1111-1111-1111-111111111111');
    const asJson = JSON.stringify(parseYaml(discoveryDocumentContent(proxy, '22222222-2222-2222-2222-222222222222')));
    expect(sameDocumentContent(yaml, asJson)).toBe(true);
  });

  it('differs when the proxy, a step or the step order differs', () => {
    const ours = discoveryDocumentContent(proxy);
    expect(sameDocumentContent(ours, discoveryDocumentContent('https://other.example.com'))).toBe(false);
    expect(sameDocumentContent(ours, ours.replace("timeoutSeconds: '300'", "timeoutSeconds: '30'"))).toBe(false);
    const data = parseYaml(ours) as { mainSteps: unknown[] };
    expect(sameDocumentContent(ours, JSON.stringify({ ...data, mainSteps: [...data.mainSteps].reverse() }))).toBe(false);
  });

  it('does not mask a document that downloads to one path and runs another', () => {
    const broken = discoveryDocumentContent(proxy, 'aaaa').replace(/(runCommand:\n\s+- \/bin\/sh \/tmp\/installTeleport-)aaaa/, '$1bbbb');
    expect(maskedContent(broken)).toContain('installTeleport-aaaa.sh');
    expect(sameDocumentContent(discoveryDocumentContent(proxy), broken)).toBe(false);
  });
});
