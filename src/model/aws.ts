/** AWS resources as the engine holds them: policy documents, observed state, what should exist. */
import type { FeatureKey } from '../config/features.js';
import type { Tags } from '../config/tags.js';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export type Statement = { [key: string]: Json };

export interface PolicyDocument {
  Version?: string;
  Statement: Statement | Statement[];
  [key: string]: Json | undefined;
}

/** Who wants an inline policy on the role: a declared feature, or the discovery matchers. */
export type PolicyOwner = FeatureKey | 'discovery';

export interface FeaturePolicy {
  feature: PolicyOwner;
  /** Said in the plan next to the policy (why it holds what it holds). */
  note?: string;
  /** The inline policy's name on the role. */
  name: string;
  document: PolicyDocument;
}

export interface DiscoveryPermissions {
  /** The inline policy to keep on the role; undefined when the feature policies cover everything. */
  policy: FeaturePolicy | undefined;
  /** Which declared feature policy grants which of the needed actions. */
  coveredBy: { policy: string; actions: string[] }[];
  needed: string[];
}

export interface DesiredDocument {
  region: string;
  name: string;
  arn: string;
  /** Teleport's YAML, with a freshly drawn install path. */
  content: string;
  tags: Tags;
}

export interface ProviderState {
  arn: string;
  /** As IAM returns it: without `https://`. */
  url: string;
  clientIds: string[];
  thumbprints: string[];
  tags: Tags;
}

export interface RoleState {
  arn: string;
  name: string;
  description: string;
  trustPolicy: PolicyDocument;
  tags: Tags;
}

/**
 * A role this action owns beside the integration role, known as its own by the integration tag:
 * the organization's member role in the management account, deploy-service's task role.
 */
export type OwnedRoleKind = 'member-role' | 'task-role' | 'sync-role';

/** A role users assume through aws-app-access: the user's own, made assumable through the integration role. */
export interface DesiredConsoleRole {
  name: string;
  /** As declared, when an ARN was. */
  declaredArn: string | undefined;
  arn: string;
}

export interface DesiredOwnedRole {
  name: string;
  description: string;
  trustPolicy: PolicyDocument;
  /** Its one inline policy. */
  policyName: string;
  policy: PolicyDocument;
  tags: Tags;
}

export interface OwnedRoleState {
  role: RoleState;
  /** Its inline policy, undefined when missing. */
  policy: PolicyDocument | undefined;
}

/** What must go before IAM lets a role be deleted. */
export interface RoleAttachments {
  inlinePolicies: string[];
  managedPolicyArns: string[];
  instanceProfiles: string[];
}

export interface TrustingRole {
  name: string;
  arn: string;
  /** The role is tagged for another integration of the same cluster: it shares the provider by design. */
  sharedWith: string | undefined;
  tags: Tags;
}
