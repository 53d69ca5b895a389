/** The config file: schema, positions, per-entry rules, duplicates. Pure: no I/O. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfigFile, validateAgainstSchema } from '../src/config/config-file.js';
import { ROOT } from './support/harness.js';
import { generate } from '../scripts/generate-validator.js';

const FILE = `cluster-url: teleport.example.com
tags: { team: platform }
integrations:
  - integration: aws-prod
    role-name: teleport-aws-prod
    account-id: "123456789012"
    features: { eks: {}, access-graph: {} }
    tags: { env: prod }
  - integration: aws-staging
    cluster-url: staging.teleport.example.com
    role-name: teleport-aws-staging
    account-id: "210987654321"
`;
const step =
  (inputs: Record<string, string> = {}) =>
  (name: string) =>
    inputs[name] ?? '';
const problem = (text: string): string => {
  try {
    parseConfigFile('teleport.yml', text, step());
  } catch (error) {
    return (error as Error).message;
  }
  return 'no error';
};

describe('config file', () => {
  it("reads the issue's example: defaults, merged tags, features, accounts", () => {
    const { entries } = parseConfigFile('teleport.yml', FILE, step({ mode: 'plan' }));
    expect(entries.map((e) => [e.name, e.accountId, e.settings.issuer.url, e.settings.mode])).toEqual([
      ['aws-prod', '123456789012', 'https://teleport.example.com', 'plan'],
      ['aws-staging', '210987654321', 'https://staging.teleport.example.com', 'plan'],
    ]);
    expect(entries[0].settings.extraTags).toEqual({ team: 'platform', env: 'prod' });
    expect(entries[1].settings.extraTags).toEqual({ team: 'platform' });
    expect(entries[0].settings.features.map((f) => f.key)).toEqual(['eks', 'access-graph']);
    expect(entries[0].settings.accountId).toBe('123456789012');
  });

  it('the shipped schema is the one validated against (its Ajv code is regenerated from it), and accepts the example', () => {
    const committed = readFileSync(path.join(ROOT, 'src/config/generated/config-schema-validator.js'), 'utf8');
    expect(committed).toBe(generate());
    expect(validateAgainstSchema({ integrations: [{ integration: 'a', 'role-name': 'r' }] })).toEqual([]);
    expect(validateAgainstSchema({ integrations: [] })).toEqual([{ path: ['integrations'], message: 'needs at least 1 item(s)' }]);
    // The discovery key is the schema's too: an unknown matcher key is refused at its place.
    expect(
      validateAgainstSchema({ integrations: [{ integration: 'a', 'role-name': 'r', discovery: { group: 'g', matchers: [{ types: ['ec2'], region: 'x' }] } }] }),
    ).toEqual([
      {
        path: ['integrations', 0, 'discovery', 'matchers', 0, 'region'],
        message: 'unknown key "region" (known: types, regions, tags, setup-access-for-arn, kube-app-discovery, organization)',
      },
    ]);
  });

  const cases: [string, string, RegExp][] = [
    ['a YAML syntax error', 'integrations: [ {', /^Input 'config': teleport\.yml:1:\d+: is not valid YAML/],
    [
      'an unknown key, at the key',
      FILE.replace('    role-name: teleport-aws-prod', '    role-name: teleport-aws-prod\n    rol-name: x'),
      /teleport\.yml:6:5: integrations\[0\]\.rol-name: unknown key "rol-name"/,
    ],
    ['a bad account-id', FILE.replace('"123456789012"', '"12"'), /teleport\.yml:6:17: integrations\[0\]\.account-id: "12" does not match/],
    ['a missing role-name', FILE.replace('    role-name: teleport-aws-staging\n', ''), /teleport\.yml:9:5: integrations\[1\]: role-name is required/],
    ['a wrong type', FILE.replace('tags: { team: platform }', 'tags: [team]'), /teleport\.yml:2:7: tags: must be object, not array/],
    [
      'a duplicate integration name',
      FILE.replace('integration: aws-staging', 'integration: aws-prod'),
      /teleport\.yml:9:18: integrations\[1\]\.integration: "aws-prod" is already entry 1's integration/,
    ],
    [
      'two entries claiming one role in one account',
      FILE.replace('teleport-aws-staging', 'Teleport-AWS-Prod').replace('"210987654321"', '"123456789012"'),
      /integrations\[1\]\.role-name: role "Teleport-AWS-Prod" is already entry 1's, in the same account/,
    ],
    [
      'an input rule (a port in cluster-url)',
      FILE.replace('staging.teleport.example.com', 'staging.teleport.example.com:3080'),
      /teleport\.yml:10:18: integrations\[1\]\.cluster-url: .*The URL should not contain a port number/,
    ],
    [
      'a bad feature',
      FILE.replace('{ eks: {}, access-graph: {} }', '{ lambda: {} }'),
      /teleport\.yml:7:15: integrations\[0\]\.features: line 1: "lambda" is not a feature/,
    ],
  ];
  for (const [what, text, message] of cases) {
    it(`rejects ${what}, naming file, line, column and key`, () => {
      const got = problem(text);
      expect(got).toMatch(message);
      expect(got).toContain('Example: config:');
    });
  }
});
