/**
 * The profile Teleport's profile sync uses (its own session, as the sync role): enabled, naming only
 * the sync role, tagged as Teleport tags it (`teleport integration configure awsra-trust-anchor`).
 */
import type { Aws } from '../../../clients/aws.js';
import { RefusalError } from '../../../errors.js';
import type { Change, FieldDiff } from '../../../model/changes.js';
import type { DesiredSyncProfile, ProfileState } from '../../../model/roles-anywhere.js';
import { missingTags, tagList } from '../tags.js';
import { allRaPages, deleteRa, notOwned, readRaTags, rememberCreated, toRaTags } from './common.js';
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

export function onlySyncProfile(named: ProfileState[], name: string): ProfileState | undefined {
  if (named.length > 1) {
    throw new RefusalError(
      'sync-profile',
      `${named.length} Roles Anywhere profiles are named ${name}: which one is the integration's cannot be told. Rename or delete the others.`,
    );
  }
  return named[0];
}

export function planSyncProfile(live: ProfileState | undefined, wanted: DesiredSyncProfile, integration: string): Change[] {
  if (!live)
    return [
      {
        action: 'create-sync-profile',
        resource: 'sync-profile',
        target: wanted.name,
        reason: `lets profile sync assume ${wanted.roleArn}, enabled`,
        after: wanted,
      },
    ];
  const why = notOwned(live.tags, integration);
  if (why) {
    throw new RefusalError(
      'sync-profile',
      `Roles Anywhere profile ${live.name} (${live.arn}) is not owned by this integration: ${why} (${tagList(live.tags)}). It is never changed. ` +
        'Choose another sync-profile under roles-anywhere, or tag it for this integration once checked.',
      live.arn,
    );
  }
  const fields: FieldDiff[] = [];
  const rolesDiffer = live.roleArns.length !== 1 || live.roleArns[0] !== wanted.roleArn;
  if (rolesDiffer) fields.push({ field: 'roleArns', live: live.roleArns.join(', ') || '(none)', declared: wanted.roleArn });
  if (!live.enabled) fields.push({ field: 'enabled', live: 'false', declared: 'true' });
  const tags = missingTags(live.tags, wanted.tags);
  if (fields.length === 0 && Object.keys(tags).length === 0) return [];
  const reasons = [
    ...(rolesDiffer
      ? [`its roles are not the sync role alone (${live.roleArns.join(', ') || 'none'}): profile sync would run as another role, or not at all`]
      : []),
    ...(!live.enabled ? ['it is disabled: profile sync cannot start a session, and no profile reaches Teleport'] : []),
    ...(Object.keys(tags).length > 0 ? [`tags missing: ${tagList(tags)}`] : []),
  ];
  return [
    {
      action: 'update-sync-profile',
      resource: 'sync-profile',
      target: live.arn,
      reason: reasons.join('; '),
      profileId: live.id,
      fields,
      roleArns: rolesDiffer ? [wanted.roleArn] : undefined,
      enable: !live.enabled,
      tags: Object.keys(tags).length > 0 ? tags : undefined,
    },
  ];
}

type SyncProfileChange = Extract<Change, { action: 'create-sync-profile' | 'update-sync-profile' }>;
export const isSyncProfileChange = (change: Change): change is SyncProfileChange =>
  change.action === 'create-sync-profile' || change.action === 'update-sync-profile';

export async function applySyncProfileChange(aws: Aws, change: SyncProfileChange): Promise<void> {
  if (change.action === 'create-sync-profile') {
    const { name, roleArn, tags } = change.after;
    const { profile } = await aws.rolesAnywhere<{ profile?: { profileArn?: string } }>('CreateProfile', {
      method: 'POST',
      path: '/profiles',
      body: { name, roleArns: [roleArn], enabled: true, tags: toRaTags(tags) },
    });
    if (profile?.profileArn) rememberCreated(aws, 'profile', name, profile.profileArn);
    return;
  }
  const id = encodeURIComponent(change.profileId);
  if (change.roleArns) await aws.rolesAnywhere('UpdateProfile', { method: 'PATCH', path: `/profile/${id}`, body: { roleArns: change.roleArns } });
  if (change.enable) await aws.rolesAnywhere('EnableProfile', { method: 'POST', path: `/profile/${id}/enable` });
  if (change.tags)
    await aws.rolesAnywhere('TagResource', { method: 'POST', path: '/TagResource', body: { resourceArn: change.target, tags: toRaTags(change.tags) } });
}

export function planSyncProfileDeletion(live: ProfileState | undefined, integration: string): Change[] {
  if (!live || notOwned(live.tags, integration)) return [];
  return [{ action: 'delete-sync-profile', resource: 'sync-profile', target: live.arn, reason: `tagged for ${integration}`, profileId: live.id }];
}

export const deleteSyncProfile = (aws: Aws, profileId: string): Promise<void> => deleteRa(aws, 'DeleteProfile', `/profile/${encodeURIComponent(profileId)}`);
