/** The discovery input and the pure comparisons behind plan, check and health. */
import { describe, expect, it } from 'vitest';
import { parseDiscovery } from '../src/config/discovery.js';
import { discoveryPermissions } from '../src/resources/aws/discovery-policy.js';
import { featurePolicy } from '../src/resources/aws/feature-policies.js';
import { discoveryConfigDiffs, discoveryConfigResource } from '../src/resources/teleport/discovery-config.js';
import type { DiscoveryConfigResource } from '../src/model/teleport.js';
import { discoveryHealth } from '../src/resources/teleport/discovery-health.js';
import { joinTokenDiffs, joinTokenResource } from '../src/resources/teleport/join-token.js';

const scope = { partition: 'aws', account: '123456789012', region: 'us-east-1' };

describe('the discovery input', () => {
  it('fills the defaults: every region, every resource, the default installer', () => {
    expect(parseDiscovery('group: g\nmatchers:\n  - types: ec2')).toEqual({
      group: 'g',
      name: undefined,
      joinToken: undefined,
      labels: {},
      scriptName: 'default-installer',
      installSuffix: undefined,
      ssmDocument: undefined,
      matchers: [{ types: ['ec2'], regions: ['*'], tags: { '*': ['*'] }, setupAccessForArn: undefined, kubeAppDiscovery: false }],
    });
    expect(parseDiscovery('  ')).toBeUndefined();
  });

  it('takes a value or a list per tag, and drops repeated types and regions', () => {
    const parsed = parseDiscovery(
      'group: g\nmatchers:\n  - types: [eks, eks, rds]\n    regions: [us-east-1, us-east-1]\n    tags: { env: [prod, dev], team: a }',
    );
    expect(parsed!.matchers[0]).toMatchObject({ types: ['eks', 'rds'], regions: ['us-east-1'], tags: { env: ['prod', 'dev'], team: ['a'] } });
  });

  it('refuses "*" next to region names, and a malformed ARN', () => {
    expect(() => parseDiscovery('group: g\nmatchers:\n  - types: [ec2]\n    regions: ["*", us-east-1]')).toThrow(/list regions or "\*", not both/);
    expect(() => parseDiscovery('group: g\nmatchers:\n  - types: [eks]\n    setup-access-for-arn: admin')).toThrow(/is not an IAM role or user ARN/);
  });
});

describe('discovery_config comparison', () => {
  const declaration = parseDiscovery('group: g\nmatchers:\n  - types: [ec2]\n    regions: [us-east-1]\n    tags: { env: prod }')!;
  const wanted = discoveryConfigResource(declaration, 'aws-prod', 'aws-prod-ec2', 'AWS-RunShellScript');
  const live = (edit: (c: DiscoveryConfigResource) => void = () => {}): DiscoveryConfigResource => {
    const copy = structuredClone(wanted);
    edit(copy);
    return copy;
  };

  it('reads the enum by number or name, a tag as "x" or ["x"], status and defaults as the same', () => {
    expect(
      discoveryConfigDiffs(
        live((c) => {
          c.spec.aws![0].install!.enroll_mode = 'INSTALL_PARAM_ENROLL_MODE_SCRIPT';
          c.spec.aws![0].tags = { env: ['prod'] };
          c.spec.aws![0].install!.sshd_config = '/etc/ssh/sshd_config';
          c.spec.aws![0].regions = ['us-east-1'];
          c.status = { state: 'DISCOVERY_CONFIG_STATE_RUNNING' };
          c.metadata.revision = 'r2';
          c.metadata.labels = { ...c.metadata.labels, extra: 'kept' };
        }),
        wanted,
      ),
    ).toEqual([]);
  });

  it('names each field that differs, matchers and other clouds included', () => {
    const diffs = discoveryConfigDiffs(
      live((c) => {
        c.spec.aws![0].install!.enroll_mode = 2;
        c.spec.aws![0].tags = { env: ['prod', 'dev'] };
        c.spec.aws![0].assume_role = { role_arn: 'arn:aws:iam::1:role/x' };
        c.spec.aws!.push({ types: ['rds'], regions: ['*'], tags: {} });
        c.spec.azure = [{ types: ['vm'] }];
        delete c.metadata.labels!['teleport.dev/iac-tool'];
      }),
      wanted,
    );
    expect(diffs.map((d) => d.field)).toEqual([
      'spec.aws[0].tags',
      'spec.aws[0].install.enroll_mode',
      'spec.aws[0].assume_role.role_arn',
      'spec.aws[1]',
      'spec.azure',
      'metadata.labels.teleport.dev/iac-tool',
    ]);
    expect(diffs[1]).toEqual({ field: 'spec.aws[0].install.enroll_mode', live: '2', declared: '1' });
  });
});

describe('join token comparison', () => {
  const wanted = joinTokenResource('aws-prod-ec2', 'aws-prod', '123456789012', {});
  it('a far-future expiry and role case are no change; a near expiry and another account are', () => {
    expect(
      joinTokenDiffs({ ...wanted, metadata: { ...wanted.metadata, expires: '3000-01-01T00:00:00Z' }, spec: { ...wanted.spec, roles: ['node'] } }, wanted),
    ).toEqual([]);
    const diffs = joinTokenDiffs(
      {
        ...wanted,
        metadata: { ...wanted.metadata, expires: '2027-01-01T00:00:00Z' },
        spec: { ...wanted.spec, allow: [{ aws_account: '123456789012' }, { aws_account: '999999999999', aws_arn: '' }] },
      },
      wanted,
    );
    expect(diffs.map((d) => d.field)).toEqual(['spec.allow', 'metadata.expires']);
  });
});

describe('discovery permissions', () => {
  it('asks for account:ListRegions only with "*" regions, and counts only unconditional grants on * as covering', () => {
    const one = parseDiscovery('group: g\nmatchers:\n  - types: [rds]\n    regions: [us-east-1]')!;
    expect(discoveryPermissions(one, []).needed).toEqual(['rds:DescribeDBClusters', 'rds:DescribeDBInstances']);
    const all = parseDiscovery('group: g\nmatchers:\n  - types: [ec2]')!;
    const appAccess = featurePolicy({ key: 'aws-app-access', params: { roles: [] } }, scope); // sts:AssumeRole under a condition
    const ec2 = featurePolicy({ key: 'ec2-ssm', params: { regions: undefined, document: 'TeleportDiscoveryInstaller' } }, scope);
    const result = discoveryPermissions(all, [appAccess, ec2]);
    expect(result.coveredBy).toEqual([{ policy: 'EC2DiscoverWithSSM', actions: expect.arrayContaining(['ssm:SendCommand']) as string[] }]);
    expect(result.policy!.document.Statement).toEqual([{ Sid: 'TeleportDiscovery', Effect: 'Allow', Action: ['account:ListRegions'], Resource: '*' }]);
  });
});

describe('discovery health', () => {
  it('is healthy when running with no open task, and reports a config that does not exist yet as missing', () => {
    const config = {
      kind: 'discovery_config',
      version: 'v1',
      metadata: { name: 'aws-prod' },
      spec: { discovery_group: 'g' },
      status: { state: 'DISCOVERY_CONFIG_STATE_SYNCING' },
    } as const;
    expect(discoveryHealth({ ...config }, [], 'aws-prod', 'g').problems).toEqual([]);
    expect(discoveryHealth(undefined, [], 'aws-prod', 'g')).toMatchObject({ state: 'missing', problems: [] });
  });
});
