/**
 * Check, for an aws-ra integration: the profiles Teleport's profile sync shows as apps (enabled, not
 * the sync profile, matching profile_name_filters) and whether each of their roles trusts Roles
 * Anywhere. A role that does not is a session that fails when a user picks it.
 */
import type { Aws } from '../../../clients/aws.js';
import { parsePolicyDocument, statementsOf } from '../policy-document.js';
import { observeRole } from '../role.js';
import { listProfiles } from './sync-profile.js';
import type { Json } from '../../../model/aws.js';

/** Teleport's filter: a regular expression inside ^...$, else a glob where * is any run of characters. */
export function matchesFilter(name: string, filter: string): boolean {
  if (filter.startsWith('^') && filter.endsWith('$')) return new RegExp(filter).test(name);
  const pattern = filter.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${pattern}$`).test(name);
}

const values = (value: Json | undefined): Json[] => (value === undefined || value === null ? [] : Array.isArray(value) ? value : [value]);

/** Whether a trust policy lets Roles Anywhere assume the role (an Allow for rolesanywhere.amazonaws.com with sts:AssumeRole). */
export function trustsRolesAnywhere(document: ReturnType<typeof parsePolicyDocument>): boolean {
  return statementsOf(document).some((s) => {
    if (s.Effect !== 'Allow' || s.Principal === null || typeof s.Principal !== 'object' || Array.isArray(s.Principal)) return false;
    const services = values((s.Principal as Record<string, Json>).Service);
    const actions = values(s.Action).map((a) => (typeof a === 'string' ? a.toLowerCase() : ''));
    return services.includes('rolesanywhere.amazonaws.com') && (actions.includes('sts:assumerole') || actions.includes('sts:*') || actions.includes('*'));
  });
}

export interface SyncedProfileProblem {
  profile: string;
  profileArn: string;
  message: string;
}

export interface SyncedProfiles {
  synced: string[];
  problems: SyncedProfileProblem[];
}

export async function checkSyncedProfiles(
  aws: Aws,
  options: { syncProfile: string; filters: string[]; account: string },
  share: <T>(key: string, read: () => Promise<T>) => Promise<T>,
): Promise<SyncedProfiles> {
  // The same listing the run's kinds read: no second ListProfiles.
  const all = await listProfiles(aws, share);
  const synced = all.filter(
    (p) => p.enabled === true && p.name !== options.syncProfile && (options.filters.length === 0 || options.filters.some((f) => matchesFilter(p.name, f))),
  );
  const roleArns = [...new Set(synced.flatMap((p) => p.roleArns ?? []))];
  const trusting = new Map<string, boolean | undefined>(
    await Promise.all(
      roleArns.map(async (arn) => {
        const [, , , , account, rest = ''] = arn.split(':');
        // Another account's role is not readable here: said as unchecked, not as drift.
        if (account !== options.account) return [arn, undefined] as const;
        // Read once a run, however many entries' synced profiles name it.
        const name = rest.split('/').pop() ?? '';
        const role = await share(`iam:role:${name}`, () => observeRole(aws, name));
        return [arn, role ? trustsRolesAnywhere(role.trustPolicy) : false] as const;
      }),
    ),
  );
  const problems = synced.flatMap((profile) =>
    (profile.roleArns ?? [])
      .filter((arn) => trusting.get(arn) === false)
      .map((arn) => ({
        profile: profile.name,
        profileArn: profile.profileArn,
        message:
          `Profile ${profile.name}, which profile sync shows in Teleport, names role ${arn}, which does not exist or does not trust rolesanywhere.amazonaws.com: ` +
          'a session with that role fails. Add the Roles Anywhere trust statement to the role (sts:AssumeRole, sts:SetSourceIdentity, sts:TagSession), or take it out of the profile.',
      })),
  );
  return { synced: synced.map((p) => p.name), problems };
}
