/**
 * The permissions the discovery matchers need on the integration role: at least the list of
 * Teleport's Terraform module per type, plus `account:ListRegions` where a matcher's regions
 * are "*". What a declared feature policy already grants is not written again: the rest goes
 * into one inline policy, TeleportDiscovery, and the plan says which policy covers what.
 */
import { ALL_REGIONS, type DiscoveryDeclaration, type DiscoveryType } from '../../config/discovery.js';
import { statementsOf } from './policy-document.js';
import type { DiscoveryPermissions, FeaturePolicy } from '../../model/aws.js';

export const DISCOVERY_POLICY_NAME = 'TeleportDiscovery';

/** Per type: the Terraform module's single-account list (ec2, eks, rds), and Teleport's database discovery docs for the others. */
export const DISCOVERY_ACTIONS: Record<DiscoveryType, string[]> = {
  ec2: ['ec2:DescribeInstances', 'ssm:DescribeInstanceInformation', 'ssm:GetCommandInvocation', 'ssm:ListCommandInvocations', 'ssm:SendCommand'],
  eks: [
    'eks:ListClusters',
    'eks:DescribeCluster',
    'eks:ListAccessEntries',
    'eks:DescribeAccessEntry',
    'eks:CreateAccessEntry',
    'eks:DeleteAccessEntry',
    'eks:AssociateAccessPolicy',
    'eks:TagResource',
    'eks:UpdateAccessEntry',
  ],
  rds: ['rds:DescribeDBClusters', 'rds:DescribeDBInstances'],
  rdsproxy: ['rds:DescribeDBProxies', 'rds:DescribeDBProxyEndpoints', 'rds:ListTagsForResource'],
  redshift: ['redshift:DescribeClusters'],
  'redshift-serverless': ['redshift-serverless:ListWorkgroups', 'redshift-serverless:ListEndpointAccess', 'redshift-serverless:ListTagsForResource'],
  elasticache: [
    'elasticache:DescribeReplicationGroups',
    'elasticache:DescribeCacheClusters',
    'elasticache:DescribeCacheSubnetGroups',
    'elasticache:ListTagsForResource',
  ],
  memorydb: ['memorydb:DescribeClusters', 'memorydb:DescribeSubnetGroups', 'memorydb:ListTags'],
  opensearch: ['es:ListDomainNames', 'es:DescribeDomains', 'es:ListTags'],
  docdb: ['rds:DescribeDBClusters'],
};
const LIST_REGIONS = 'account:ListRegions';

/** Every action the matchers need, in a stable order. */
export function discoveryActions(discovery: DiscoveryDeclaration): string[] {
  const actions = new Set<string>();
  // Organization matchers discover through each account's member role, not the integration role.
  const own = discovery.matchers.filter((m) => !m.organization);
  if (own.some((m) => m.regions.includes(ALL_REGIONS))) actions.add(LIST_REGIONS);
  for (const matcher of own) for (const type of matcher.types) for (const action of DISCOVERY_ACTIONS[type]) actions.add(action);
  return [...actions].sort();
}

/** Actions a policy grants on every resource, unconditionally: only those can stand in for discovery's. */
function grantedEverywhere(policy: FeaturePolicy): string[] {
  return statementsOf(policy.document)
    .filter((s) => s.Effect === 'Allow' && s.Condition === undefined && (s.Resource === '*' || (Array.isArray(s.Resource) && s.Resource.includes('*'))))
    .flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]).map(String));
}

export function discoveryPermissions(discovery: DiscoveryDeclaration, featurePolicies: FeaturePolicy[]): DiscoveryPermissions {
  const needed = discoveryActions(discovery);
  const covered = new Set<string>();
  const coveredBy: DiscoveryPermissions['coveredBy'] = [];
  for (const policy of featurePolicies) {
    const granted = new Set(grantedEverywhere(policy));
    const actions = needed.filter((action) => granted.has(action) && !covered.has(action));
    if (actions.length === 0) continue;
    actions.forEach((action) => covered.add(action));
    coveredBy.push({ policy: policy.name, actions });
  }
  const rest = needed.filter((action) => !covered.has(action));
  const note =
    coveredBy.length > 0
      ? `; already granted by ${coveredBy.map((c) => `${c.policy} (${c.actions.length} action${c.actions.length === 1 ? '' : 's'})`).join(', ')}`
      : '';
  const policy: FeaturePolicy | undefined =
    rest.length === 0
      ? undefined
      : {
          feature: 'discovery',
          name: DISCOVERY_POLICY_NAME,
          document: { Version: '2012-10-17', Statement: [{ Sid: 'TeleportDiscovery', Effect: 'Allow', Action: rest, Resource: '*' }] },
          note: `discovery matchers need ${rest.join(', ')}${note}`,
        };
  return { policy, coveredBy, needed };
}
