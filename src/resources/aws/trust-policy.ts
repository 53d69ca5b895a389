/** The role's trust policy: Teleport's statement, merged into what is there without losing anything. */
import { sameJson, statementsOf } from './policy-document.js';
import { TRUST_POLICY_MAX_QUOTA } from '../../config/inputs.js';
import { RefusalError } from '../../errors.js';
import type { Resource } from '../../model/changes.js';
import type { Json, PolicyDocument, Statement } from '../../model/aws.js';

export const AUDIENCE = 'discover.teleport';
export const WEB_IDENTITY_ACTION = 'sts:AssumeRoleWithWebIdentity';

/** The statement Teleport puts in the role's trust policy (teleport.md, "Trust policy statement"). */
export function teleportTrustStatement(providerArn: string, issuerHost: string): Statement {
  return {
    Effect: 'Allow',
    Principal: { Federated: providerArn },
    Action: WEB_IDENTITY_ACTION,
    Condition: { StringEquals: { [`${issuerHost}:aud`]: AUDIENCE } },
  };
}

export function trustPolicyDocument(statements: Statement[]): PolicyDocument {
  return { Version: '2012-10-17', Statement: statements };
}

function valuesOf(value: Json | undefined): Json[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/**
 * True when `statement` already grants what `wanted` grants, to the same principal and
 * under the same conditions: it allows at least the wanted actions for at least the wanted
 * federated principal, with equal conditions. `Sid` does not matter.
 */
export function statementCovers(statement: Statement, wanted: Statement): boolean {
  if (statement.Effect !== wanted.Effect) return false;
  if ('NotAction' in statement || 'NotPrincipal' in statement) return false;
  const action = (a: Json) => (typeof a === 'string' ? a : JSON.stringify(a)).toLowerCase();
  const actions = valuesOf(statement.Action).map(action);
  if (!valuesOf(wanted.Action).every((a) => actions.includes(action(a)))) return false;
  const principal = statement.Principal;
  const wantedPrincipal = wanted.Principal as { [key: string]: Json };
  if (principal === null || typeof principal !== 'object' || Array.isArray(principal)) return false;
  for (const [kind, wantedValues] of Object.entries(wantedPrincipal)) {
    const have = valuesOf(principal[kind]);
    if (!valuesOf(wantedValues).every((v) => have.some((h) => h === v))) return false;
  }
  return sameJson(statement.Condition, wanted.Condition);
}

export interface TrustMerge {
  /** The document to write, or undefined when the statement is already there. */
  merged: PolicyDocument | undefined;
  before: PolicyDocument;
}

/**
 * Adds `wanted` to `existing` unless an equivalent statement is there. Everything else in
 * the document (`Id`, `Version`, every statement and every field) is kept as it was.
 */
export function mergeTrustStatement(existing: PolicyDocument, wanted: Statement): TrustMerge {
  const statements = statementsOf(existing);
  if (statements.some((statement) => statementCovers(statement, wanted))) {
    return { merged: undefined, before: existing };
  }
  return { merged: { ...existing, Statement: [...statements, wanted] }, before: existing };
}

/** A trust policy's length as IAM counts it against "Role trust policy length": characters, whitespace not counted. */
export function trustPolicyLength(document: PolicyDocument): number {
  return JSON.stringify(document).replace(/\s/g, '').length;
}

/**
 * A merged trust policy must fit the account's quota: IAM would reject the write. Refused before it,
 * in plan and again in apply, on the policy as it is then.
 */
export function checkTrustPolicyFits(
  merged: PolicyDocument,
  quota: number,
  roleName: string,
  roleArn: string,
  /** The row it stands on, and the other way out: the integration role's by default. */
  where: { resource: Resource; otherwise: string } = { resource: 'trust-policy', otherwise: 'give each cluster or integration a role of its own (role-name)' },
): void {
  const length = trustPolicyLength(merged);
  if (length <= quota) return;
  throw new RefusalError(
    where.resource,
    `The trust policy of ${roleName} with Teleport's statement added would be ${length.toLocaleString('en-US')} characters (whitespace not ` +
      `counted), over this account's "Role trust policy length" quota of ${quota.toLocaleString('en-US')}: IAM would reject it, so nothing ` +
      `was written. Raise the quota in Service Quotas (IAM, "Role trust policy length", up to ${TRUST_POLICY_MAX_QUOTA.toLocaleString('en-US')}) ` +
      `and set trust-policy-quota to it, or ${where.otherwise}.`,
    roleArn,
    'too long',
  );
}

/** Check mode: a trust policy above 90 % of the quota is one merge away from a write IAM rejects. */
export function trustPolicyNearQuota(trustPolicy: PolicyDocument, quota: number, roleName: string): string | undefined {
  const length = trustPolicyLength(trustPolicy);
  if (length <= 0.9 * quota) return undefined;
  return (
    `The trust policy of ${roleName} is ${length.toLocaleString('en-US')} characters (whitespace not counted), ` +
    `${Math.round((100 * length) / quota)} % of the "Role trust policy length" quota (trust-policy-quota: ${quota.toLocaleString('en-US')}): ` +
    `one more cluster's or integration's statement may not fit. Raise the quota (up to ${TRUST_POLICY_MAX_QUOTA.toLocaleString('en-US')}) ` +
    'and set trust-policy-quota, or give each cluster a role of its own.'
  );
}
