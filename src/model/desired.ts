/** The desired state: what should exist, as plain data shared by the engine, the resources and the report. */
import type { IntegrationResource } from '../clients/tctl.js';
import type { FeatureDeclaration } from '../config/features.js';
import type { DesiredConsoleRole, DesiredDocument, DesiredOwnedRole, DiscoveryPermissions, FeaturePolicy, Statement } from './aws.js';
import type { DiscoveryConfigResource, JoinTokenResource } from './teleport.js';
import type { Tags } from '../config/tags.js';
import type { DesiredOrganization } from './organization.js';
import type { DesiredRolesAnywhere } from './roles-anywhere.js';

/** What should exist, as plain data. Every ARN comes from the caller's partition and account. */
export interface DesiredState {
  account: string;
  partition: string;
  clusterName: string;
  issuerUrl: string;
  issuerHost: string;
  providerArn: string;
  clientId: string;
  roleName: string;
  roleArn: string;
  roleDescription: string;
  /** The three teleport.dev/* tags: they mark what this integration owns. */
  ownershipTags: Tags;
  /** Ownership tags plus the user's extra tags. */
  tags: Tags;
  trustStatement: Statement;
  features: FeatureDeclaration[];
  /** One inline policy per declared feature, and the one discovery needs beyond them. */
  rolePolicies: FeaturePolicy[];
  /** deploy-service's task role; undefined when not declared. */
  taskRole: DesiredOwnedRole | undefined;
  /** An aws-ra integration's side (roles-anywhere declared); undefined for aws-oidc. */
  rolesAnywhere: DesiredRolesAnywhere | undefined;
  /** aws-app-access's roles, made assumable through the integration role; [] when none are declared. */
  consoleRoles: DesiredConsoleRole[];
  /** ec2-ssm's document, one per listed region (none with AWS-RunShellScript). */
  documents: DesiredDocument[];
  /** Undefined with skip-teleport. */
  integration: IntegrationResource | undefined;
  /** Teleport's side of discovery; undefined when not declared. */
  discovery: DesiredDiscovery | undefined;
  /** The organization's side, when a matcher declares one. */
  organization: DesiredOrganization | undefined;
}

export interface DesiredDiscovery {
  group: string;
  config: DiscoveryConfigResource;
  /** The EC2 join token; undefined when no matcher discovers EC2. */
  token: JoinTokenResource | undefined;
  /** The EC2 matchers' SSM document. */
  ssmDocument: string | undefined;
  permissions: DiscoveryPermissions;
}
