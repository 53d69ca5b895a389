/**
 * The role's inline policies for declared features: written with iam:PutRolePolicy only when
 * missing or semantically different. Inline policies that are not declared are never deleted
 * or rewritten, and managed policies are never touched.
 */
import {
  GetRolePolicyCommand,
  ListRolePoliciesCommand,
  PutRolePolicyCommand,
  type GetRolePolicyResponse,
  type ListRolePoliciesResponse,
} from '@aws-sdk/client-iam';
import { allIamPages, isAwsError, type Aws } from '../../clients/aws.js';
import type { FeatureKey } from '../../config/features.js';
import type { Change } from '../../model/changes.js';
import { TELEPORT_POLICY_NAMES } from './feature-policies.js';
import { parsePolicyDocument, samePolicy } from './policy-document.js';
import type { FeaturePolicy, PolicyDocument } from '../../model/aws.js';

export interface RolePoliciesState {
  /** The declared policies as the role has them; undefined where missing (or the role is). */
  documents: Map<string, PolicyDocument | undefined>;
  /** Every inline policy name on the role; read in check mode only. */
  allNames: string[] | undefined;
}

export async function readRolePolicy(aws: Aws, roleName: string, policyName: string): Promise<PolicyDocument | undefined> {
  try {
    const output = await aws.send<GetRolePolicyResponse>(aws.iam, new GetRolePolicyCommand({ RoleName: roleName, PolicyName: policyName }));
    return parsePolicyDocument(output.PolicyDocument ?? '{"Statement":[]}');
  } catch (error) {
    if (isAwsError(error, 'NoSuchEntity')) return undefined;
    throw error;
  }
}

export async function listPolicyNames(aws: Aws, roleName: string): Promise<string[]> {
  try {
    return await allIamPages(
      (Marker) => aws.send<ListRolePoliciesResponse>(aws.iam, new ListRolePoliciesCommand({ RoleName: roleName, MaxItems: aws.iamPageSize, Marker })),
      (page) => page.PolicyNames ?? [],
    );
  } catch (error) {
    if (isAwsError(error, 'NoSuchEntity')) return [];
    throw error;
  }
}

/** Reads the declared policies concurrently (and, to find undeclared ones, every name). */
export async function observeRolePolicies(aws: Aws, roleName: string, policyNames: string[], listAll: boolean): Promise<RolePoliciesState> {
  const [documents, allNames] = await Promise.all([
    Promise.all(policyNames.map(async (name) => [name, await readRolePolicy(aws, roleName, name)] as const)),
    listAll ? listPolicyNames(aws, roleName) : undefined,
  ]);
  return { documents: new Map(documents), allNames };
}

export function planRolePolicies(state: RolePoliciesState | undefined, wanted: FeaturePolicy[], roleArn: string): Change[] {
  const changes: Change[] = [];
  for (const { feature, name, document, note } of wanted) {
    const before = state?.documents.get(name);
    const owner = feature === 'discovery' ? 'discovery' : `feature ${feature}`;
    const why = note ? ` (${note})` : '';
    const target = `${roleArn} (inline policy ${name})`;
    if (!before) {
      changes.push({
        action: 'create-role-policy',
        resource: 'role-policy',
        target,
        feature,
        policyName: name,
        reason: `${owner}: inline policy ${name} is missing${why}`,
        after: document,
      });
    } else if (!samePolicy(before, document)) {
      changes.push({
        action: 'update-role-policy',
        resource: 'role-policy',
        target,
        feature,
        policyName: name,
        reason: `${owner}: inline policy ${name} differs from ${feature === 'discovery' ? 'what the matchers need' : "Teleport's"}${why}`,
        before,
        after: document,
      });
    }
  }
  return changes;
}

export type RolePolicyChange = Extract<Change, { action: 'create-role-policy' | 'update-role-policy' }>;

export function isRolePolicyChange(change: Change): change is RolePolicyChange {
  return change.action === 'create-role-policy' || change.action === 'update-role-policy';
}

/** PutRolePolicy is an upsert; a role created moments ago may still answer NoSuchEntity. */
export async function applyRolePolicyChange(aws: Aws, change: RolePolicyChange, roleName: string): Promise<void> {
  const command = new PutRolePolicyCommand({ RoleName: roleName, PolicyName: change.policyName, PolicyDocument: JSON.stringify(change.after) });
  await aws.afterCreate(`writing inline policy ${change.policyName}`, () => aws.send(aws.iam, command));
}

export interface UndeclaredPolicy {
  name: string;
  feature: FeatureKey;
  /** The feature is declared under Teleport's current name: this is an older name of it. */
  olderName: boolean;
}

/** Inline policies under one of Teleport's feature policy names that no declared feature writes. */
export function undeclaredTeleportPolicies(allNames: string[], declared: FeaturePolicy[]): UndeclaredPolicy[] {
  const declaredNames = new Set(declared.map((p) => p.name));
  const declaredFeatures = new Set(declared.map((p) => p.feature));
  return allNames
    .filter((name) => Object.hasOwn(TELEPORT_POLICY_NAMES, name) && !declaredNames.has(name))
    .map((name) => ({ name, feature: TELEPORT_POLICY_NAMES[name], olderName: declaredFeatures.has(TELEPORT_POLICY_NAMES[name]) }));
}
