import type { CallerIdentity } from '../clients/aws.js';
import { AWS_RUN_SHELL_SCRIPT, type FeatureDeclaration } from '../config/features.js';
import type { Settings } from '../config/inputs.js';
import { organizationOf } from '../config/discovery.js';
import { featurePolicy, type PolicyScope } from '../resources/aws/feature-policies.js';
import { discoveryPermissions } from '../resources/aws/discovery-policy.js';
import { defaultJoinTokenName, discoveryConfigResource } from '../resources/teleport/discovery-config.js';
import { joinTokenResource } from '../resources/teleport/join-token.js';
import { IDENTITY_CENTER_AUDIENCE, integrationResource } from '../resources/teleport/integration.js';
import { discoveryDocumentContent } from '../resources/aws/ssm-document.js';
import { desiredTaskRole } from '../resources/aws/task-role.js';
import { desiredConsoleRoles } from '../resources/aws/console-role.js';
import { rolesAnywhereTags } from '../resources/aws/roles-anywhere/common.js';
import { desiredSyncRole } from '../resources/aws/roles-anywhere/sync-role.js';
import { pemCertificates } from '../resources/aws/roles-anywhere/trust-anchor.js';
import { awsRaIntegrationResource } from '../resources/teleport/aws-ra-integration.js';
import { APPLICATION_NAME_TAG, PENDING_PROFILE_ARN, PENDING_TRUST_ANCHOR_ARN, type DesiredRolesAnywhere } from '../model/roles-anywhere.js';
import { ownershipTags } from '../resources/aws/tags.js';
import type { DesiredDiscovery, DesiredState } from '../model/desired.js';
import { AUDIENCE, teleportTrustStatement, trustPolicyDocument } from '../resources/aws/trust-policy.js';
import type { FeaturePolicy } from '../model/aws.js';
import type { Tags } from '../config/tags.js';
import type { DesiredOrganization, OrganizationIdentity } from '../model/organization.js';
import { desiredMemberRole, memberRoleTemplate, memberTrustStatement, organizationPolicy } from '../resources/aws/organization/member-role.js';
import { stackSetDescription, stackSetRef } from '../resources/aws/organization/stack-set.js';

/** The regions ec2-ssm keeps its document in: the listed ones, else the job's. */
export function documentRegions(features: FeatureDeclaration[], jobRegion: string): string[] {
  const ec2Ssm = features.find((f) => f.key === 'ec2-ssm');
  if (!ec2Ssm || ec2Ssm.params.document === AWS_RUN_SHELL_SCRIPT) return [];
  return ec2Ssm.params.regions ?? [jobRegion];
}

/** The EC2 matchers' SSM document: the one declared, else ec2-ssm's own where it keeps one, else the AWS-managed one. */
export function discoveryDocument(settings: Settings): string {
  // Member accounts have only the AWS-managed document.
  if (organizationOf(settings.discovery)) return AWS_RUN_SHELL_SCRIPT;
  const ec2Ssm = settings.features.find((f) => f.key === 'ec2-ssm');
  return settings.discovery?.ssmDocument ?? (ec2Ssm ? ec2Ssm.params.document : AWS_RUN_SHELL_SCRIPT);
}

/**
 * Every inline policy the role carries: the features' and, where they fall short, discovery's,
 * plus the organization's (its document names the organization read from AWS; its name does not).
 */
export function rolePoliciesFor(settings: Settings, scope: PolicyScope, organization?: OrganizationIdentity): FeaturePolicy[] {
  const features = settings.features.map((declaration) => featurePolicy(declaration, scope));
  const discovery = settings.discovery ? discoveryPermissions(settings.discovery, features).policy : undefined;
  const orgScope = organizationOf(settings.discovery);
  const walk = orgScope ? organizationPolicy(orgScope, scope.partition, organization?.id ?? '') : undefined;
  return [...features, ...(discovery ? [discovery] : []), ...(walk ? [walk] : [])];
}

/** The EC2 join token's name, when a matcher discovers EC2 (destroy looks for the default name too). */
export function joinTokenName(settings: Settings): string | undefined {
  const declaration = settings.discovery;
  if (declaration && !declaration.matchers.some((m) => m.types.includes('ec2'))) return undefined;
  return declaration?.joinToken ?? defaultJoinTokenName(settings.integration);
}

function desiredDiscovery(
  settings: Settings,
  account: string,
  rolePolicies: FeaturePolicy[],
  organization: OrganizationIdentity | undefined,
): DesiredDiscovery | undefined {
  const declaration = settings.discovery;
  if (!declaration) return undefined;
  const tokenName = joinTokenName(settings);
  const ssmDocument = tokenName ? discoveryDocument(settings) : undefined;
  const scope = organizationOf(declaration);
  const tokenOrganization = scope && {
    id: organization?.id ?? '',
    include: scope.include,
    exclude: scope.exclude,
    alsoAccount: declaration.matchers.some((m) => m.types.includes('ec2') && !m.organization),
  };
  return {
    group: declaration.group,
    config: discoveryConfigResource(declaration, settings.integration, tokenName ?? '', ssmDocument ?? AWS_RUN_SHELL_SCRIPT, organization?.id),
    token: tokenName ? joinTokenResource(tokenName, settings.integration, account, declaration.labels, tokenOrganization) : undefined,
    ssmDocument,
    permissions: discoveryPermissions(
      declaration,
      rolePolicies.filter((p) => p.feature !== 'discovery'),
    ),
  };
}

/** The organization's side: the member role, and the StackSet that rolls it out (or none). */
function desiredOrganization(
  settings: Settings,
  identity: CallerIdentity,
  roleArn: string,
  organization: OrganizationIdentity,
  tags: Tags,
): DesiredOrganization | undefined {
  const scope = organizationOf(settings.discovery);
  if (!scope || !settings.discovery) return undefined;
  const memberRole = desiredMemberRole(settings.discovery, scope, settings.integration, roleArn, organization.id, tags);
  return {
    scope,
    identity: organization,
    integration: settings.integration,
    memberRole,
    stackSet:
      scope.rollout === 'stackset'
        ? {
            ...stackSetRef(settings.integration, identity, organization.managementAccount),
            description: stackSetDescription(settings.integration),
            template: memberRoleTemplate(memberRole, settings.integration),
            tags,
          }
        : undefined,
    writesManagementRole: scope.rollout === 'stackset' && identity.account === organization.managementAccount,
  };
}

/** What an aws-ra integration's desired state is made of that only reading tells: the CA's certificates, the ARNs AWS gave. */
export interface RolesAnywhereReads {
  certificates: string[];
  trustAnchorArn: string | undefined;
  profileArn: string | undefined;
}

const roleArnOf = (identity: CallerIdentity, name: string) => `arn:${identity.partition}:iam::${identity.account}:role/${name}`;

function desiredRolesAnywhere(settings: Settings, identity: CallerIdentity, clusterName: string, reads: RolesAnywhereReads): DesiredRolesAnywhere | undefined {
  const declaration = settings.rolesAnywhere;
  if (!declaration) return undefined;
  const tags = { ...rolesAnywhereTags(clusterName, settings.integration), ...settings.extraTags };
  const trustAnchorArn = reads.trustAnchorArn ?? PENDING_TRUST_ANCHOR_ARN;
  const syncRoleArn = `arn:${identity.partition}:iam::${identity.account}:role/${declaration.syncRole}`;
  return {
    integration: settings.integration,
    // Compared by certificate, whatever line breaks tctl printed.
    trustAnchor: { name: declaration.trustAnchor, certificates: pemCertificates(reads.certificates.join('\n')), tags },
    syncRole: desiredSyncRole(declaration.syncRole, trustAnchorArn, tags),
    syncRoleArn,
    // As Teleport's command makes it: the sync role alone, AWS's default session duration.
    syncProfile: { name: declaration.syncProfile, roleArns: [syncRoleArn], durationSeconds: 3600, tags },
    accessProfiles: declaration.profiles.map((profile) => ({
      name: profile.name,
      roleArns: profile.roles.map((role) => role.arn ?? roleArnOf(identity, role.name)),
      durationSeconds: profile.durationSeconds,
      tags: { ...tags, ...(profile.applicationName ? { [APPLICATION_NAME_TAG]: profile.applicationName } : {}) },
    })),
    profileRoles: [...new Map(declaration.profiles.flatMap((p) => p.roles).map((role) => [role.name.toLowerCase(), role] as const)).values()].map((role) => ({
      name: role.name,
      declaredArn: role.arn,
      arn: role.arn ?? roleArnOf(identity, role.name),
    })),
    trustAnchorArn,
    resource: awsRaIntegrationResource(settings.integration, declaration, {
      trustAnchor: trustAnchorArn,
      profile: reads.profileArn ?? PENDING_PROFILE_ARN,
      syncRole: syncRoleArn,
    }),
  };
}

export function desiredState(
  settings: Settings,
  identity: CallerIdentity,
  clusterName: string,
  jobRegion: string,
  /** Read from AWS when discovery declares an organization. */
  organization?: OrganizationIdentity,
  /** Read from Teleport and AWS when roles-anywhere is declared. */
  rolesAnywhere: RolesAnywhereReads = { certificates: [], trustAnchorArn: undefined, profileArn: undefined },
): DesiredState {
  const { partition, account } = identity;
  const providerArn = `arn:${partition}:iam::${account}:oidc-provider/${settings.issuer.host}`;
  const roleArn = `arn:${partition}:iam::${account}:role/${settings.roleName}`;
  const owned = ownershipTags(clusterName, settings.integration);
  const tags = { ...owned, ...settings.extraTags };
  const ec2Ssm = settings.features.find((f) => f.key === 'ec2-ssm');
  const documents = documentRegions(settings.features, jobRegion).map((region) => ({
    region,
    name: ec2Ssm!.params.document,
    arn: `arn:${partition}:ssm:${region}:${account}:document/${ec2Ssm!.params.document}`,
    content: discoveryDocumentContent(settings.issuer.url),
    tags,
  }));
  const rolePolicies = rolePoliciesFor(settings, { partition, account, region: jobRegion }, organization);
  const audience = settings.features.some((f) => f.key === 'identity-center') ? IDENTITY_CENTER_AUDIENCE : undefined;
  const deployService = settings.features.find((f) => f.key === 'deploy-service');
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
    tags,
    trustStatement: teleportTrustStatement(providerArn, settings.issuer.host),
    features: settings.features,
    rolePolicies,
    taskRole: deployService && desiredTaskRole(deployService.params, tags),
    consoleRoles: desiredConsoleRoles(settings.features.find((f) => f.key === 'aws-app-access')?.params.roles ?? [], partition, account),
    documents,
    integration: settings.skipTeleport ? undefined : integrationResource(settings.integration, roleArn, audience),
    discovery: settings.skipTeleport ? undefined : desiredDiscovery(settings, account, rolePolicies, organization),
    organization: organization && desiredOrganization(settings, identity, roleArn, organization, tags),
    rolesAnywhere: desiredRolesAnywhere(settings, identity, clusterName, rolesAnywhere),
  };
}

/** A role with a path has another ARN than the one built from its name: point Teleport at the real one. */
export function withRoleArn(desired: DesiredState, roleArn: string): DesiredState {
  if (roleArn === desired.roleArn) return desired;
  const integration = desired.integration && { ...desired.integration, spec: { aws_oidc: { ...desired.integration.spec.aws_oidc, role_arn: roleArn } } };
  // The member role trusts the integration role by its real ARN.
  const org = desired.organization;
  const memberRole = org && { ...org.memberRole, trustPolicy: trustPolicyDocument([memberTrustStatement(roleArn, org.identity.id)]) };
  const organization = org &&
    memberRole && {
      ...org,
      memberRole,
      stackSet: org.stackSet && { ...org.stackSet, template: memberRoleTemplate(memberRole, org.integration) },
    };
  return { ...desired, roleArn, integration, organization };
}
