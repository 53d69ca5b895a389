/** An AWS Organization as the engine holds it: the tree, the StackSet that rolls the member role out, and what should exist. */
import type { OrganizationScope } from '../config/discovery.js';
import type { Tags } from '../config/tags.js';
import type { DesiredOwnedRole, Json, OwnedRoleState } from './aws.js';

export interface OrganizationAccount {
  id: string;
  name: string;
  /** ACTIVE, SUSPENDED or PENDING_CLOSURE. */
  status: string;
  /** The root or unit it sits in. */
  parent: string;
}

export interface OrganizationUnit {
  id: string;
  name: string;
  /** Undefined for a root. */
  parent: string | undefined;
}

export interface OrganizationTree {
  roots: string[];
  /** Roots and units by id. */
  units: Map<string, OrganizationUnit>;
  accounts: OrganizationAccount[];
}

/** The accounts a matcher's scope covers, from the tree alone. */
export interface ScopedAccounts {
  /** Active accounts the scope covers (the management account included when it is covered). */
  inScope: OrganizationAccount[];
  /** Covered but suspended or closing: noted, never drift. */
  suspended: OrganizationAccount[];
  /** Declared ids the organization does not have. */
  unknownUnits: string[];
  /** The management account is among `inScope`. */
  managementInScope: boolean;
}

export interface OrganizationIdentity {
  id: string;
  managementAccount: string;
}

export interface StackSetState {
  name: string;
  description: string;
  /** Parsed: compared as data, never as text. */
  template: Json;
  tags: Tags;
  permissionModel: string;
  autoDeployment: { enabled: boolean; retainStacksOnAccountRemoval: boolean };
  status: string;
}

export interface StackInstanceState {
  account: string;
  region: string;
  /** CURRENT, OUTDATED or INOPERABLE. */
  status: string;
  /** SUCCEEDED, FAILED, PENDING, RUNNING, CANCELLED, INOPERABLE. */
  detailedStatus: string;
  statusReason: string | undefined;
  /** DRIFTED, IN_SYNC, UNKNOWN or NOT_CHECKED, as the last drift detection left it. */
  driftStatus: string;
  lastDriftCheck: Date | undefined;
  /** The unit it was deployed through. */
  unit: string | undefined;
}

/** The last drift detection of the set, and what it found in the accounts read in detail. */
export interface DriftDetection {
  operationId: string;
  status: string;
  ended: Date | undefined;
  /** Started by this run (detect-drift: true). */
  ranNow: boolean;
  /** For at most a few drifted accounts: what differs, in a line each. */
  details: Map<string, string[]>;
}

/** The management account's own member role: a service-managed StackSet never deploys there. */
export type MemberRoleState = OwnedRoleState;

export interface ObservedOrganization {
  identity: OrganizationIdentity;
  tree: OrganizationTree;
  /** The declared scope over the tree, worked out once for the plan, check and the report. */
  scoped: ScopedAccounts;
  /** StackSets' trusted access; undefined where it cannot be read (a delegated administrator). */
  trustedAccess: boolean | undefined;
  stackSet: StackSetState | undefined;
  instances: StackInstanceState[];
  /** Operations running on the set when it was read (plan and check: said, not waited for). */
  runningOperations: { id: string; action: string }[];
  /** The set's last drift detection; undefined when it never had one. */
  driftDetection: DriftDetection | undefined;
  /** Read only when the caller is the management account and it is in scope. */
  managementRole: MemberRoleState | undefined;
}

export type DesiredMemberRole = DesiredOwnedRole;

export interface DesiredStackSet {
  name: string;
  /** The stack set and its one instance per account live in the partition's home region (IAM is global). */
  region: string;
  description: string;
  template: { [key: string]: Json };
  tags: Tags;
  /** SELF from the management account, DELEGATED_ADMIN from a delegated administrator. */
  callAs: 'SELF' | 'DELEGATED_ADMIN';
}

export interface DesiredOrganization {
  scope: OrganizationScope;
  identity: OrganizationIdentity;
  integration: string;
  memberRole: DesiredMemberRole;
  /** Undefined with rollout: none. */
  stackSet: DesiredStackSet | undefined;
  /** The caller is the management account: its own member role is written directly. */
  writesManagementRole: boolean;
}
