/** The desired state: what should exist, as plain data shared by the engine, the resources and the report. */
import type { IntegrationResource } from '../clients/tctl.js';
import type { FeatureDeclaration } from '../config/features.js';
import type { FeaturePolicy } from '../resources/aws/feature-policies.js';
import type { Statement } from '../resources/aws/policy-document.js';
import type { DesiredDocument } from '../resources/aws/ssm-document.js';
import type { Tags } from '../resources/aws/tags.js';

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
  /** One inline policy per declared feature. */
  rolePolicies: FeaturePolicy[];
  /** ec2-ssm's document, one per listed region (none with AWS-RunShellScript). */
  documents: DesiredDocument[];
  /** Undefined with skip-teleport. */
  integration: IntegrationResource | undefined;
}
