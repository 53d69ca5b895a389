/**
 * The oldest Teleport that understands what this action writes, per capability: in one place,
 * each with where its number comes from. A cluster older than a declared capability's minimum
 * would silently ignore or reject what is written, so plan and apply refuse it before any write.
 */
import { organizationOf } from '../config/discovery.js';
import type { Settings } from '../config/inputs.js';

export interface VersionGate {
  /** What is declared, in words a reviewer reads. */
  capability: string;
  /** Whether these settings declare it. */
  declaredIn(settings: Settings): boolean;
  minimum: string;
  /** Where the number comes from. */
  source: string;
}

export const ORGANIZATION_DISCOVERY: VersionGate = {
  capability: "discovery across an AWS Organization (a matcher's organization and assume_role.role_name)",
  declaredIn: (settings) => organizationOf(settings.discovery) !== undefined,
  minimum: '18.7.0',
  source: 'Teleport CHANGELOG 18.7.0 (02/13/26), PR #62302 (shared/reference/roles-anywhere.md, version table)',
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
};

export const VERSION_GATES: readonly VersionGate[] = [ORGANIZATION_DISCOVERY, TOKEN_UNIT_RULES];
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
