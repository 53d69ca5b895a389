/**
 * The profile Teleport's profile sync uses (its own session, as the sync role): enabled, naming only
 * the sync role, tagged as Teleport tags it (`teleport integration configure awsra-trust-anchor`).
 * Planned and written as every profile is (profile.ts); the region's profiles are read here.
 */
import type { Aws } from '../../../clients/aws.js';
import type { Change } from '../../../model/changes.js';
import type { DesiredProfile, ProfileState } from '../../../model/roles-anywhere.js';
import { allRaPages, readRaTags } from './common.js';
import { planProfile } from './profile.js';
import { unshared, type Share } from '../trusting-roles.js';

export interface ProfileDetail {
  profileId: string;
  profileArn: string;
  name: string;
  enabled?: boolean;
  roleArns?: string[];
  durationSeconds?: number;
}

/** The region's profiles, listed once a run with `share`. */
export const listProfiles = (aws: Aws, share: Share = unshared): Promise<ProfileDetail[]> =>
  share('rolesanywhere:profiles', () => allRaPages<ProfileDetail>(aws, 'ListProfiles', '/profiles', 'profiles'));

export async function profileState(aws: Aws, p: ProfileDetail): Promise<ProfileState> {
  return {
    id: p.profileId,
    arn: p.profileArn,
    name: p.name,
    enabled: p.enabled === true,
    roleArns: p.roleArns ?? [],
    durationSeconds: p.durationSeconds ?? 3600,
    tags: await readRaTags(aws, p.profileArn),
  };
}

/** The profiles of that name (planning refuses more than one); with `share`, listed once a run. */
export async function observeSyncProfiles(aws: Aws, name: string, share: Share = unshared): Promise<ProfileState[]> {
  return Promise.all((await listProfiles(aws, share)).filter((p) => p.name === name).map((p) => profileState(aws, p)));
}

/** The ARN of the profile of that name (no tags read): what a pending ARN becomes. */
export async function profileArnByName(aws: Aws, name: string): Promise<string | undefined> {
  const named = (await allRaPages<ProfileDetail>(aws, 'ListProfiles', '/profiles', 'profiles')).filter((p) => p.name === name);
  return named.length === 1 ? named[0].profileArn : undefined;
}

export function planSyncProfile(named: ProfileState[], wanted: DesiredProfile, integration: string): Change[] {
  return planProfile('sync-profile', named, wanted, integration, {
    create: `lets profile sync assume ${wanted.roleArns.join(', ')}, enabled`,
    roles: (live) => `its roles are not the sync role alone (${live}): profile sync would run as another role, or not at all`,
    disabled: 'it is disabled: profile sync cannot start a session, and no profile reaches Teleport',
    otherName: 'Choose another sync-profile under roles-anywhere',
  });
}
