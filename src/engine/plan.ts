/**
 * What a run reads and plans, as the engine and every resource kind (kinds/) share it: the
 * dependencies, the memoised reads several integrations of one run share, what was observed,
 * and the plan.
 */
import type { Aws, CallerIdentity } from '../clients/aws.js';
import type { IntegrationResource, Tctl, TctlError } from '../clients/tctl.js';
import type { ServedChain } from '../clients/tls.js';
import type { RefusalError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { OwnedRoleState, ProviderState, RoleState } from '../model/aws.js';
import type { AwsRaIntegrationResource, ProfileState, TrustAnchorState } from '../model/roles-anywhere.js';
import type { Change } from '../model/changes.js';
import type { DesiredState } from '../model/desired.js';
import type { ObservedOrganization } from '../model/organization.js';
import type { DiscoveryConfigResource, JoinTokenResource } from '../model/teleport.js';
import type { RolePoliciesState } from '../resources/aws/role-policies.js';
import type { DocumentState } from '../resources/aws/ssm-document.js';
import type { UserTaskResource } from '../resources/teleport/discovery-health.js';

export interface EngineDeps {
  aws: Aws;
  /** Absent with skip-teleport. */
  tctl: Tctl | undefined;
  logger: Logger;
  /** Reads several integrations of one run share (the provider, the issuer's chain and cluster name). */
  shared?: SharedReads;
}

/** Memoised reads, keyed by what they read; forgotten when a run changes what they read. */
export class SharedReads {
  private readonly reads = new Map<string, Promise<unknown>>();

  read<T>(key: string, read: () => Promise<T>): Promise<T> {
    let pending = this.reads.get(key) as Promise<T> | undefined;
    if (!pending) {
      pending = read();
      this.reads.set(key, pending);
    }
    return pending;
  }

  forget(key: string): void {
    this.reads.delete(key);
  }
}

export const shareable = <T>(deps: EngineDeps, key: string, read: () => Promise<T>): Promise<T> => (deps.shared ? deps.shared.read(key, read) : read());

export const providerKey = (arn: string) => `provider:${arn}`;
export const chainKey = (host: string) => `chain:${host}`;
/** The proxy's /webapi/find: the cluster's name and version. */
export const clusterInfoKey = (issuerUrl: string) => `webapi-find:${issuerUrl}`;
export const INTEGRATIONS_KEY = 'tctl:integrations';
export const DISCOVERY_CONFIGS_KEY = 'tctl:discovery_configs';
/** A join token, read by its name (never listed: other tokens' names can be secrets). */
export const tokenKey = (name: string) => `tctl:token:${name}`;

export interface Observed {
  provider: ProviderState | undefined;
  role: RoleState | undefined;
  /** The declared features' inline policies (and, in check mode, every inline policy name). */
  rolePolicies: RolePoliciesState;
  /** deploy-service's task role; undefined when missing or not declared. */
  taskRole: OwnedRoleState | undefined;
  /** aws-app-access's declared roles by name; undefined where missing. */
  consoleRoles: Map<string, RoleState | undefined>;
  /** ec2-ssm's document per listed region; undefined where missing. */
  documents: Map<string, DocumentState | undefined>;
  /** Undefined when missing or when Teleport is skipped (see `teleportSkipped`). */
  integration: IntegrationResource | undefined;
  teleportSkipped: boolean;
  /** tctl could not read the integration: the AWS side goes on, then the run fails with this. */
  teleportError: TctlError | undefined;
  /** Every discovery_config (read with discovery declared, and in check mode); undefined when not read. */
  discoveryConfigs: DiscoveryConfigResource[] | undefined;
  /** Ours, by its declared name; undefined when missing or not declared. */
  discoveryConfig: DiscoveryConfigResource | undefined;
  joinToken: JoinTokenResource | undefined;
  /** Check mode with discovery: every user task. */
  userTasks: UserTaskResource[] | undefined;
  /** Undefined only in check mode when the issuer could not be reached (see chainError). */
  chain: ServedChain | undefined;
  chainError: string | undefined;
  /** The cluster's Teleport version, read when a declared capability needs a minimum; undefined when unknown. */
  serverVersion: string | undefined;
  /** Read when discovery declares an organization. */
  organization: ObservedOrganization | undefined;
  /** roles-anywhere: the trust anchors and profiles of the declared names, the sync role, the integration, the CA's certificates. */
  trustAnchors: TrustAnchorState[] | undefined;
  syncProfiles: ProfileState[] | undefined;
  /** The declared access profiles' live profiles, by name; their roles, by name (undefined where missing). */
  accessProfiles: Map<string, ProfileState[]> | undefined;
  profileRoles: Map<string, RoleState | undefined> | undefined;
  syncRole: OwnedRoleState | undefined;
  raIntegration: AwsRaIntegrationResource | undefined;
  awsraCertificates: string[] | undefined;
}

export interface Plan {
  identity: CallerIdentity;
  desired: DesiredState;
  observed: Observed;
  changes: Change[];
  /** What the action refuses to touch; any refusal fails apply and plan. */
  refusals: RefusalError[];
}
