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
  capability: "discovery across an AWS Organization (a matcher's organization and assume_role.role_name, a token rule's aws_organization_id)",
  declaredIn: (settings) => organizationOf(settings.discovery) !== undefined,
  minimum: '18.8.3',
  source:
    'Teleport\'s docs page enroll-resources/auto-discovery/servers/ec2-discovery/ec2-discovery-organization.mdx and RFD 227 (shared/reference/organizations.md: "Teleport 18.8.3+ for organization discovery")',
};

export const VERSION_GATES: readonly VersionGate[] = [ORGANIZATION_DISCOVERY];

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
