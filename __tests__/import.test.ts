/** mode import's pure parts: which feature a live policy is, the discovery declaration of a discovery_config, the written file. */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseConfigFile } from '../src/config/config-file.js';
import { renderConfigFile } from '../src/config/config-writer.js';
import { featurePolicy } from '../src/resources/aws/feature-policies.js';
import { recognisePolicy } from '../src/resources/aws/recognise-policy.js';
import { discoveryDeclarationOf } from '../src/resources/teleport/discovery-config.js';
import type { DiscoveryConfigResource } from '../src/model/teleport.js';
import { ACCOUNT } from './support/harness.js';
import { referenceDeployService, referenceParameterizedPolicies, referencePolicies } from './support/teleport-policies.js';

const scope = { partition: 'aws', account: ACCOUNT, region: 'us-east-1' };
const POLICIES = referencePolicies('aws', ACCOUNT, 'us-east-1');
type Doc = Parameters<typeof recognisePolicy>[1];
const doc = (feature: string) => structuredClone(POLICIES[feature].document) as Doc;

describe('recognisePolicy', () => {
  it("knows every fixed-name feature by Teleport's name and document, whatever the order of actions", () => {
    for (const feature of ['ec2-ssm', 'ec2-instance-connect-endpoint', 'eks', 'rds', 'aws-app-access', 'access-graph', 'identity-center']) {
      const document = doc(feature);
      const statement = (Array.isArray(document.Statement) ? document.Statement : [document.Statement])[0];
      if (Array.isArray(statement.Action)) statement.Action.reverse();
      const found = recognisePolicy(POLICIES[feature].name, document, scope);
      expect(found, feature).toMatchObject({ kind: 'feature', declaration: { key: feature } });
    }
  });

  it('says a Teleport-named policy with another content differs, an older name is one, and anything else is other', () => {
    const edited = doc('eks') as { Statement: { Action: string[] }[] } & Doc;
    edited.Statement[0].Action.push('eks:DescribeNodegroup');
    expect(recognisePolicy('EKSAccess', edited, scope)).toEqual({ kind: 'differs', feature: 'eks' });
    expect(recognisePolicy('EKSAccess', doc('rds'), scope)).toEqual({ kind: 'differs', feature: 'eks' });
    expect(recognisePolicy('TeleportAWSIdentityCenter', doc('identity-center'), scope)).toEqual({ kind: 'older-name', feature: 'identity-center' });
    expect(recognisePolicy('MyOwnPolicy', doc('eks'), scope)).toEqual({ kind: 'other' });
  });

  it("takes a policy for deploy-service only with both of Teleport's statements: PassRole alone, or with more, is the user's", () => {
    const teleport = referenceDeployService('aws', ACCOUNT).integrationRolePolicy.document as { Statement: object[] } & Doc;
    const passOnly = { ...teleport, Statement: [teleport.Statement[0]] } as Doc;
    for (const name of ['PassTheTaskRole', 'DeployService']) {
      const found = recognisePolicy(name, passOnly, scope);
      expect(found.kind, name).not.toBe('feature');
    }
    expect(recognisePolicy('PassTheTaskRole', passOnly, scope)).toEqual({ kind: 'other' });
    // Teleport's default name with another content: said to differ, never declared (apply would rewrite it).
    expect(recognisePolicy('DeployService', passOnly, scope)).toEqual({ kind: 'differs', feature: 'deploy-service' });
    const more = { ...teleport, Statement: [...teleport.Statement, { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] } as Doc;
    expect(recognisePolicy('MyDeploy', more, scope)).toEqual({ kind: 'other' });
    expect(recognisePolicy('MyDeploy', teleport, scope)).toMatchObject({
      kind: 'feature',
      declaration: { key: 'deploy-service', params: { taskRole: 'TeleportDatabaseServiceTask' } },
    });
  });

  it("reads access-graph's event sources and session-summaries' model back from Teleport's documents, saying what apply corrects", () => {
    const teleport = referenceParameterizedPolicies('aws', ACCOUNT);
    const accessGraph = recognisePolicy('AccessGraphSyncAccess', teleport['access-graph-events'].document as Doc, scope);
    expect(accessGraph).toEqual({
      kind: 'feature',
      declaration: {
        key: 'access-graph',
        params: {
          eventSources: {
            sqsQueueUrl: `https://sqs.us-west-2.amazonaws.com/${ACCOUNT}/cloudtrail-events`,
            cloudTrailBucketArn: 'arn:aws:s3:::acme-cloudtrail',
            kmsKeyArns: [`arn:aws:kms:us-west-2:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`],
          },
        },
      },
      note: "it is Teleport's form, whose bucket statement cannot read objects: apply adds arn:aws:s3:::acme-cloudtrail/* to it",
    });
    const summaries = recognisePolicy('TeleportBedrockSessionSummariesAccess', teleport['session-summaries'].document as Doc, scope);
    expect(summaries).toMatchObject({ kind: 'feature', declaration: { key: 'session-summaries', params: { model: 'anthropic.claude-v2' } } });
    expect(summaries).toHaveProperty('note', expect.stringContaining('apply writes arn:aws:bedrock:*::foundation-model/anthropic.claude-v2'));
    // What this action writes reads back with no note; another action list is Teleport's name with another content.
    const ours = featurePolicy({ key: 'session-summaries', params: { model: '*' } }, scope).document;
    expect(recognisePolicy('TeleportBedrockSessionSummariesAccess', ours, scope)).toEqual({
      kind: 'feature',
      declaration: { key: 'session-summaries', params: { model: '*' } },
    });
    const widened = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'bedrock:*', Resource: '*' }] };
    expect(recognisePolicy('TeleportBedrockSessionSummariesAccess', widened, scope)).toEqual({ kind: 'differs', feature: 'session-summaries' });
    expect(recognisePolicy('AccessGraphSyncAccess', widened, scope)).toEqual({ kind: 'differs', feature: 'access-graph' });
  });

  it('reads deploy-service back from its two statements under any name, the task role from what it passes', () => {
    const { integrationRolePolicy } = referenceDeployService('aws', ACCOUNT);
    const document = integrationRolePolicy.document as Doc;
    expect(recognisePolicy('DeployService', document, scope)).toEqual({
      kind: 'feature',
      declaration: { key: 'deploy-service', params: { taskRole: 'TeleportDatabaseServiceTask', policyName: 'DeployService' } },
    });
    expect(recognisePolicy('MyDeploy', document, scope)).toMatchObject({ kind: 'feature', declaration: { params: { policyName: 'MyDeploy' } } });
    // Passing every role is not Teleport's policy: under Teleport's name it differs, under another it is not a feature.
    const wide = structuredClone(document) as { Statement: { Resource: unknown }[] } & Doc;
    wide.Statement[0].Resource = '*';
    expect(recognisePolicy('DeployService', wide, scope)).toEqual({ kind: 'differs', feature: 'deploy-service' });
    expect(recognisePolicy('MyDeploy', wide, scope)).toEqual({ kind: 'other' });
  });

  it('reads External Audit Storage back from its statements, under any name, only when it writes the same document', () => {
    const found = recognisePolicy('AuditToS3', doc('external-audit-storage'), scope);
    expect(found).toMatchObject({ kind: 'feature', declaration: { key: 'external-audit-storage', params: { policyName: 'AuditToS3' } } });
    // Written for us-east-1 (its Athena and Glue ARNs), read from a job in eu-west-1: apply there would write other ARNs.
    expect(recognisePolicy('AuditToS3', doc('external-audit-storage'), { ...scope, region: 'eu-west-1' })).toEqual({
      kind: 'other-region',
      feature: 'external-audit-storage',
      region: 'us-east-1',
    });
    // Edited by hand: no longer the document it would write.
    const edited = doc('external-audit-storage') as { Statement: { Action: string[] }[] } & Doc;
    edited.Statement[0].Action.push('s3:DeleteObject');
    expect(recognisePolicy('ExternalAuditStorage', edited, scope)).toEqual({ kind: 'differs', feature: 'external-audit-storage' });
    expect(recognisePolicy('AuditToS3', edited, scope)).toEqual({ kind: 'other' });
  });
});

const config = (spec: DiscoveryConfigResource['spec'], labels?: Record<string, string>, name = 'aws-prod'): DiscoveryConfigResource => ({
  kind: 'discovery_config',
  version: 'v1',
  metadata: { name, labels },
  spec,
});

describe('discoveryDeclarationOf', () => {
  it("declares Teleport's defaults by leaving them out, and everything else as the discovery input spells it", () => {
    const live = config(
      {
        discovery_group: 'cloud-discovery-group',
        aws: [
          {
            types: ['ec2'],
            regions: ['*'],
            tags: { '*': '*' },
            integration: 'aws-prod',
            install: { enroll_mode: 1, install_teleport: true, join_method: 'iam', join_token: 'aws-prod-ec2', script_name: 'default-installer' },
            ssm: { document_name: 'AWS-RunShellScript' },
          },
          {
            types: ['eks'],
            regions: ['us-east-1'],
            tags: { env: ['prod', 'staging'] },
            integration: 'aws-prod',
            setup_access_for_arn: 'arn:aws:iam::1:role/x',
          },
        ],
      },
      { 'teleport.dev/integration': 'aws-prod', team: 'k8s' },
    );
    expect(discoveryDeclarationOf(live, 'aws-prod')).toEqual({
      declaration: {
        group: 'cloud-discovery-group',
        labels: { team: 'k8s' },
        'ssm-document': 'AWS-RunShellScript',
        matchers: [
          { types: ['ec2'] },
          { types: ['eks'], regions: ['us-east-1'], tags: { env: ['prod', 'staging'] }, 'setup-access-for-arn': 'arn:aws:iam::1:role/x' },
        ],
      },
    });
    const named = config(
      {
        discovery_group: 'g',
        aws: [{ types: ['ec2'], regions: [], tags: {}, integration: 'aws-prod', install: { join_token: 'web-ui-token', suffix: 'blue' } }],
      },
      undefined,
      'web-ui',
    );
    expect(discoveryDeclarationOf(named, 'aws-prod')).toEqual({
      declaration: { group: 'g', name: 'web-ui', 'join-token': 'web-ui-token', 'install-suffix': 'blue', matchers: [{ types: ['ec2'] }] },
    });
  });

  it('says why a discovery_config cannot be declared', () => {
    const matcher = { types: ['rds'], regions: ['us-east-1'], tags: {}, integration: 'aws-prod' };
    expect(discoveryDeclarationOf(config({ discovery_group: 'g', aws: [matcher], azure: [{ types: ['vm'] }] }), 'aws-prod')).toEqual({
      reason: 'it also has azure matchers, which discovery does not declare',
    });
    expect(discoveryDeclarationOf(config({ discovery_group: 'g', aws: [matcher, { ...matcher, integration: 'aws-dev' }] }), 'aws-prod')).toMatchObject({
      reason: expect.stringContaining('other integrations'),
    });
    expect(
      discoveryDeclarationOf(config({ discovery_group: 'g', aws: [{ ...matcher, assume_role: { role_arn: 'arn:aws:iam::1:role/y' } }] }), 'aws-prod'),
    ).toMatchObject({
      reason: expect.stringContaining('assume_role'),
    });
    const ec2 = (token: string) => ({ ...matcher, types: ['ec2'], install: { join_token: token } });
    expect(discoveryDeclarationOf(config({ discovery_group: 'g', aws: [ec2('a'), ec2('b')] }), 'aws-prod')).toMatchObject({
      reason: expect.stringContaining('install differently'),
    });
    expect(discoveryDeclarationOf(config({ discovery_group: 'g', aws: [{ ...ec2('a'), install: { enroll_mode: 2 } }] }), 'aws-prod')).toMatchObject({
      reason: expect.stringContaining('without installing Teleport'),
    });
  });
});

describe('renderConfigFile', () => {
  it('writes a file the config file rules accept, with notes above an entry and a commented declaration that uncomments into a valid one', () => {
    const text = renderConfigFile({
      header: ['Made by import.', ''],
      clusterUrl: 'teleport.example.com',
      clusterName: undefined,
      entries: [
        {
          entry: { integration: 'aws-prod', 'role-name': 'teleport-aws-prod', features: { eks: null, 'ec2-ssm': { regions: ['us-east-1'] } } },
          notes: ['Managed policy arn:aws:iam::aws:policy/ReadOnlyAccess is attached to the role: not declared.'],
          pending: [],
          commentedDiscovery: {
            reason: 'Made in the web UI. To declare it, uncomment:',
            declaration: { discovery: { group: 'g', matchers: [{ types: ['rds'] }] }, 'adopt-existing-discovery': true },
          },
        },
      ],
    });
    expect(text).toMatch(/^# Made by import\.\n#\n\ncluster-url: teleport\.example\.com\n/);
    expect(text).toContain(
      '  # Note: Managed policy arn:aws:iam::aws:policy/ReadOnlyAccess is attached to the role: not declared.\n  - integration: aws-prod\n',
    );
    expect(text).toContain('    features:\n      eks:\n      ec2-ssm:\n');
    const read = (file: string) => parseConfigFile('t.yml', file, (name) => (name === 'mode' ? 'plan' : ''));
    expect(read(text).entries[0].settings.features.map((f) => f.key)).toEqual(['ec2-ssm', 'eks']);
    expect(read(text).entries[0].settings.discovery).toBeUndefined();
    // Removing "# " from the commented lines declares the discovery.
    const uncommented = text.replace(/^( {4})# (?!Made)/gm, '$1');
    expect(parse(uncommented)).toMatchObject({ integrations: [{ 'adopt-existing-discovery': true }] });
    const declared = read(uncommented).entries[0].settings;
    expect(declared.discovery).toMatchObject({ group: 'g', matchers: [{ types: ['rds'] }] });
    expect(declared.adoptExistingDiscovery).toBe(true);
  });
});
