/**
 * The access profiles an aws-ra integration declares: the profiles users get AWS sessions through,
 * each an app in Teleport (profile sync). Enabled, naming exactly the declared roles, with the
 * declared session duration, tagged for the integration and, when named, with the
 * TeleportApplicationName tag Teleport names the app by.
 */
import type { Aws } from '../../../clients/aws.js';
import type { Change } from '../../../model/changes.js';
import type { DesiredProfile, ProfileState } from '../../../model/roles-anywhere.js';
import { planProfile } from './profile.js';
import { listProfiles, profileState } from './sync-profile.js';
import type { Share } from '../trusting-roles.js';

/** The live profiles of the declared names (two of one name are refused when planned). */
export async function observeAccessProfiles(aws: Aws, names: string[], share: Share): Promise<Map<string, ProfileState[]>> {
  const all = await listProfiles(aws, share);
  return new Map(
    await Promise.all(names.map(async (name) => [name, await Promise.all(all.filter((p) => p.name === name).map((p) => profileState(aws, p)))] as const)),
  );
}

export function planAccessProfile(named: ProfileState[], wanted: DesiredProfile, integration: string): Change[] {
  return planProfile('access-profile', named, wanted, integration, {
    create: `sessions of ${wanted.durationSeconds} s for ${wanted.roleArns.join(', ')}, enabled`,
    roles: (live, declared) => `roleArns is ${live}, declared ${declared}`,
    disabled: 'disabled: no session through it, and Teleport shows no app for it',
    otherName: 'Rename the profile under roles-anywhere profiles',
  });
}
