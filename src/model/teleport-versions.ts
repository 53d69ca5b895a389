/**
 * The oldest Teleport that understands what this action writes, per capability: in one place,
 * each with where its number comes from. A cluster older than a declared capability's minimum
 * would silently ignore or reject what is written, so plan and apply refuse it before any write.
 */
import { ALL_REGIONS, organizationOf } from '../config/discovery.js';
import type { Settings } from '../config/inputs.js';
import type { Resource } from './changes.js';

export interface VersionGate {
  /** What is declared, in words a reviewer reads. */
  capability: string;
  /** Whether these settings declare it. */
  declaredIn(settings: Settings): boolean;
  minimum: string;
  /** Where the number comes from. */
  source: string;
  /** The report row a refusal stands on. */
  resource: Resource;
  /** What to declare instead on an older cluster; default: remove what needs it. */
  instead?: string;
}

export const ORGANIZATION_DISCOVERY: VersionGate = {
  capability: "discovery across an AWS Organization (a matcher's organization and assume_role.role_name)",
  declaredIn: (settings) => organizationOf(settings.discovery) !== undefined,
  minimum: '18.7.0',
  source: 'Teleport CHANGELOG 18.7.0 (02/13/26), PR #62302 (shared/reference/roles-anywhere.md, version table)',
  resource: 'teleport-discovery-config',
};

/** The scope names units: the join token's rule carries aws_organizational_units (the whole organization needs none). */
export function tokenNamesUnits(include: string[], exclude: string[]): boolean {
  return !(include.length === 1 && include[0] === '*' && exclude.length === 0);
}

export const TOKEN_UNIT_RULES: VersionGate = {
  capability: "the join token's organizational-unit rules (aws_organizational_units: discovery's organization units name units)",
  declaredIn: (settings) => {
    const scope = organizationOf(settings.discovery);
    const ec2 = settings.discovery?.matchers.some((m) => m.organization && m.types.includes('ec2')) ?? false;
    return scope !== undefined && ec2 && tokenNamesUnits(scope.include, scope.exclude);
  },
  minimum: '18.8.3',
  source: 'Teleport PR #66276 (shared/reference/roles-anywhere.md, version table)',
  resource: 'teleport-discovery-config',
};

export const ACCESS_GRAPH_EVENT_SOURCES: VersionGate = {
  capability: "Access Graph's CloudTrail event sources (access-graph's sqs-queue-url and cloudtrail-bucket-arn)",
  declaredIn: (settings) => settings.features.some((f) => f.key === 'access-graph' && f.params.eventSources !== undefined),
  minimum: '18.0.0',
  source: 'Teleport CHANGELOG 18.0.0, docs aws-sync.mdx "v18.0.0+", PR #55300 (shared/reference/roles-anywhere.md, version table)',
  resource: 'role-policy',
};

export const EVERY_REGION: VersionGate = {
  capability: "discovery in every region (a matcher's regions: ['*'], the default)",
  declaredIn: (settings) => settings.discovery?.matchers.some((m) => m.regions.includes(ALL_REGIONS)) ?? false,
  minimum: '18.5.0',
  source: 'Teleport PR #61924 (shared/reference/roles-anywhere.md, version table)',
  resource: 'teleport-discovery-config',
  instead: 'name the regions in each matcher (regions: [us-east-1, eu-west-1])',
};

/**
 * The sources say "18.7" (backport #63138 "for 18.7") without the patch. 18.7.0, the line's first
 * release, is taken: what is written is an IAM policy a cluster without the feature leaves unused,
 * while a refusal of a cluster that has it could not be worked around.
 */
export const SESSION_SUMMARIES: VersionGate = {
  capability: 'Bedrock session summaries (feature session-summaries)',
  declaredIn: (settings) => settings.features.some((f) => f.key === 'session-summaries'),
  minimum: '18.7.0',
  source: 'Teleport PR #62883, backport #63138 "for 18.7", docs PR #64039 (shared/reference/roles-anywhere.md, version table)',
  resource: 'role-policy',
};

export const ROLES_ANYWHERE: VersionGate = {
  capability: "Teleport's IAM Roles Anywhere integration (roles-anywhere: an aws-ra integration)",
  declaredIn: (settings) => settings.rolesAnywhere !== undefined,
  minimum: '18.2.1',
  source: 'RFD 0204 header; v18 profile-sync backport PR #58100 (shared/reference/roles-anywhere.md, version table)',
  resource: 'teleport-ra-integration',
};

/*
 * Cross-account discovery with a matcher's assume_role.role_arn (18.0.1, PR #56535) has no gate: no
 * declaration here writes a role_arn (an organization's matchers write assume_role.role_name,
 * gated at 18.7.0 above), and a discovery_config that has one is refused as made elsewhere.
 */
export const VERSION_GATES: readonly VersionGate[] = [
  ROLES_ANYWHERE,
  ACCESS_GRAPH_EVENT_SOURCES,
  EVERY_REGION,
  SESSION_SUMMARIES,
  ORGANIZATION_DISCOVERY,
  TOKEN_UNIT_RULES,
];
/**
 * From this release, deleting an aws-oidc integration also deletes the discovery_configs' matchers
 * and the AWS app servers that reference it (a config left with no matcher goes whole). Followed
 * as merged (PR #59607's awsoidc.go: every app server whose app names the integration, through the
 * backend). Not a gate: destroy says what goes with the integration, and refuses what it did not make.
 */
export const INTEGRATION_DELETE_CASCADE = {
  minimum: '18.2.10',
  source: 'Teleport CHANGELOG 18.2.10 (10/23/25), PR #59607, v18 backport #60018 (shared/reference/roles-anywhere.md)',
} as const;

/** major.minor.patch as numbers; a pre-release or build suffix is ignored (18.8.3-dev counts as 18.8.3). */
function parts(version: string): [number, number, number] | undefined {
  const match = /^v?(\d+)\.(\d+)\.(\d+)/.exec(version.trim());
  return match ? [Number(match[1]), Number(match[2]), Number(match[3])] : undefined;
}

/** True when `version` is older than `minimum`; undefined when `version` is not a version. */
export function olderThan(version: string, minimum: string): boolean | undefined {
  const have = parts(version);
  const need = parts(minimum)!;
  if (!have) return undefined;
  for (let i = 0; i < 3; i++) if (have[i] !== need[i]) return have[i] < need[i];
  return false;
}
