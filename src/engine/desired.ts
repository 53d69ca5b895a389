import type { CallerIdentity } from '../clients/aws.js';
import type { Settings } from '../config/inputs.js';
import type { IntegrationResource } from '../clients/tctl.js';
import { integrationResource } from '../resources/integration.js';
import { ownershipTags, type Tags } from '../resources/tags.js';
import type { Statement } from '../resources/policy-document.js';
import { AUDIENCE, teleportTrustStatement } from '../resources/trust-policy.js';

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
  /** Undefined with skip-teleport. */
  integration: IntegrationResource | undefined;
}

export function desiredState(settings: Settings, identity: CallerIdentity, clusterName: string): DesiredState {
  const { partition, account } = identity;
  const providerArn = `arn:${partition}:iam::${account}:oidc-provider/${settings.issuer.host}`;
  const roleArn = `arn:${partition}:iam::${account}:role/${settings.roleName}`;
  const owned = ownershipTags(clusterName, settings.integration);
  return {
    account,
    partition,
    clusterName,
    issuerUrl: settings.issuer.url,
    issuerHost: settings.issuer.host,
    providerArn,
    clientId: AUDIENCE,
    roleName: settings.roleName,
    roleArn,
    roleDescription: settings.roleDescription,
    ownershipTags: owned,
    tags: { ...owned, ...settings.extraTags },
    trustStatement: teleportTrustStatement(providerArn, settings.issuer.host),
    integration: settings.skipTeleport ? undefined : integrationResource(settings.integration, roleArn),
  };
}
