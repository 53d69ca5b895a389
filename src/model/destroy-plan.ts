/** A destroy's plan: what was observed and what will be deleted, in order. Shared by the engine and the report. */
import type { CallerIdentity } from '../clients/aws.js';
import type { IntegrationResource } from '../clients/tctl.js';
import type { RefusalError } from '../errors.js';
import type { Deletion } from './changes.js';
import type { DesiredState } from './desired.js';
import type { OwnedRoleState, ProviderState, RoleAttachments, RoleState, TrustingRole } from './aws.js';
import type { AppServerResource, DiscoveryConfigResource, JoinTokenResource } from './teleport.js';
import type { Tags } from '../config/tags.js';
import type { ObservedOrganization } from './organization.js';
import type { AwsRaIntegrationResource, ProfileState, TrustAnchorState } from './roles-anywhere.js';

export interface DestroyObserved {
  provider: ProviderState | undefined;
  role: RoleState | undefined;
  attachments: RoleAttachments;
  /** deploy-service's task role; undefined when gone or not declared. */
  taskRole: OwnedRoleState | undefined;
  /** aws-app-access's declared roles as they are (undefined where gone). */
  consoleRoles: Map<string, RoleState | undefined>;
  /** Each declared region's document tags; undefined where it is gone. */
  documentTags: Map<string, Tags | undefined>;
  integration: IntegrationResource | undefined;
  /** Every discovery_config (ours are deleted, others that use the integration stop the destroy); [] with skip-teleport. */
  discoveryConfigs: DiscoveryConfigResource[];
  joinToken: JoinTokenResource | undefined;
  /** The cluster's Teleport version (/webapi/find); undefined when it could not be read or is not a version. */
  serverVersion: string | undefined;
  /** The AWS app servers whose app names the integration, read when Teleport may delete them with it (18.2.10+, or unknown); undefined when not read. */
  appServers: AppServerResource[] | undefined;
  /** Roles other than ours that trust the provider. */
  trusting: TrustingRole[];
  /** Read when discovery declares an organization. */
  organization: ObservedOrganization | undefined;
  /** roles-anywhere: what of the declared names exists. */
  trustAnchors?: TrustAnchorState[];
  syncProfiles?: ProfileState[];
  accessProfiles?: Map<string, ProfileState[]>;
  profileRoles?: Map<string, RoleState | undefined>;
  syncRole?: OwnedRoleState | undefined;
  raIntegration?: AwsRaIntegrationResource | undefined;
}

export interface DestroyPlan {
  identity: CallerIdentity;
  desired: DesiredState;
  /** Undefined when neither the input nor the proxy gave it: the cluster tag is then not compared. */
  clusterName: string | undefined;
  observed: DestroyObserved;
  /** In the order they are applied. */
  changes: Deletion[];
  refusals: RefusalError[];
  /** The provider is kept (shared or trusted), with who still uses it. */
  providerKept: string | undefined;
  teleportSkipped: boolean;
  /** Said before anything is deleted: what may still stop the destroy, and why. */
  notes: string[];
}
