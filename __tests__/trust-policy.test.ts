import { describe, expect, it } from 'vitest';
import { parsePolicyDocument, sameJson } from '../src/resources/aws/policy-document.js';
import type { PolicyDocument } from '../src/model/aws.js';
import { mergeTrustStatement, statementCovers, teleportTrustStatement } from '../src/resources/aws/trust-policy.js';

const arn = 'arn:aws:iam::123456789012:oidc-provider/teleport.example.com';
const ours = teleportTrustStatement(arn, 'teleport.example.com');

describe('teleportTrustStatement', () => {
  it('is the statement Teleport writes', () => {
    expect(ours).toEqual({
      Effect: 'Allow',
      Principal: { Federated: arn },
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: { StringEquals: { 'teleport.example.com:aud': 'discover.teleport' } },
    });
  });
  it('takes the partition from the provider ARN it is given', () => {
    const gov = teleportTrustStatement('arn:aws-us-gov:iam::123456789012:oidc-provider/t.example.com', 't.example.com');
    expect(JSON.stringify(gov)).toContain('arn:aws-us-gov:iam::');
  });
});

describe('parsePolicyDocument', () => {
  it('reads the URL-encoded form AWS returns and the decoded form emulators return', () => {
    const doc = { Version: '2012-10-17', Statement: [ours] };
    expect(parsePolicyDocument(encodeURIComponent(JSON.stringify(doc)))).toEqual(doc);
    expect(parsePolicyDocument(JSON.stringify(doc, null, 2))).toEqual(doc);
  });
  it('rejects a document without statements', () => {
    expect(() => parsePolicyDocument('{"Version":"2012-10-17"}')).toThrow(/no Statement/);
  });
});

describe('semantic comparison', () => {
  it('ignores key order, whitespace and one value versus an array of one', () => {
    expect(sameJson({ a: 'x', b: ['y'] }, { b: 'y', a: ['x'] })).toBe(true);
    expect(sameJson({ a: ['x', 'y'] }, { a: ['y', 'x'] })).toBe(true);
    expect(sameJson({ a: 'x' }, { a: 'z' })).toBe(false);
  });

  it('recognises an AWS-normalised form of our statement', () => {
    const normalised = {
      Condition: { StringEquals: { 'teleport.example.com:aud': ['discover.teleport'] } },
      Action: ['sts:AssumeRoleWithWebIdentity'],
      Principal: { Federated: [arn] },
      Sid: 'AddedByHand',
      Effect: 'Allow',
    };
    expect(statementCovers(normalised, ours)).toBe(true);
  });

  it('a statement with more actions or principals still covers ours', () => {
    expect(statementCovers({ ...ours, Action: ['sts:TagSession', 'sts:AssumeRoleWithWebIdentity'] }, ours)).toBe(true);
    expect(statementCovers({ ...ours, Principal: { Federated: [arn, 'arn:aws:iam::123456789012:oidc-provider/other'] } }, ours)).toBe(true);
  });

  it.each([
    ['another audience', { ...ours, Condition: { StringEquals: { 'teleport.example.com:aud': 'sts.amazonaws.com' } } }],
    ['another provider', { ...ours, Principal: { Federated: 'arn:aws:iam::123456789012:oidc-provider/other' } }],
    ['Deny', { ...ours, Effect: 'Deny' }],
    ['another action', { ...ours, Action: 'sts:AssumeRole' }],
    ['an extra condition', { ...ours, Condition: { StringEquals: { 'teleport.example.com:aud': 'discover.teleport' }, Bool: { 'aws:x': 'true' } } }],
    ['NotPrincipal', { Effect: 'Allow', NotPrincipal: { AWS: 'x' }, Action: 'sts:AssumeRoleWithWebIdentity', Condition: ours.Condition }],
    ['no principal', { Effect: 'Allow', Action: 'sts:AssumeRoleWithWebIdentity', Condition: ours.Condition }],
  ])('does not count a statement with %s', (_label, statement) => {
    expect(statementCovers(statement, ours)).toBe(false);
  });
});

describe('mergeTrustStatement', () => {
  const foreign: PolicyDocument = {
    Version: '2012-10-17',
    Id: 'kept-id',
    Statement: [
      {
        Sid: 'CI',
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::111122223333:root' },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'sts:ExternalId': 'x' }, Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
      },
      { Sid: 'NoOne', Effect: 'Deny', NotPrincipal: { AWS: 'arn:aws:iam::111122223333:role/admin' }, Action: 'sts:AssumeRole' },
    ],
  };

  it('appends our statement and keeps every other statement and field untouched', () => {
    const { merged } = mergeTrustStatement(structuredClone(foreign), ours);
    expect(merged).toBeDefined();
    expect(merged!.Id).toBe('kept-id');
    expect(merged!.Version).toBe('2012-10-17');
    expect(merged!.Statement).toEqual([...(foreign.Statement as object[]), ours]);
  });

  it('turns a single-object Statement into a list without changing it', () => {
    const single: PolicyDocument = { Version: '2012-10-17', Statement: (foreign.Statement as object[])[0] as never };
    const { merged } = mergeTrustStatement(single, ours);
    expect(merged!.Statement).toEqual([(foreign.Statement as object[])[0], ours]);
  });

  it('changes nothing when an equivalent statement is there in any form', () => {
    const doc: PolicyDocument = {
      Statement: [
        ...(foreign.Statement as never[]),
        {
          Effect: 'Allow',
          Action: ['sts:AssumeRoleWithWebIdentity'],
          Principal: { Federated: [arn] },
          Condition: { StringEquals: { 'teleport.example.com:aud': ['discover.teleport'] } },
        },
      ],
      Version: '2012-10-17',
    };
    expect(mergeTrustStatement(doc, ours).merged).toBeUndefined();
  });

  it('does not mutate the document it is given', () => {
    const copy = structuredClone(foreign);
    mergeTrustStatement(copy, ours);
    expect(copy).toEqual(foreign);
  });
});
