/**
 * The access profiles an aws-ra integration declares: the profiles users get AWS sessions through,
 * each an app in Teleport (profile sync). Enabled, naming exactly the declared roles, with the
 * declared session duration, tagged for the integration and, when named, with the
 * TeleportApplicationName tag Teleport names the app by.
 */
import type { Aws } from '../../../clients/aws.js';
import { RefusalError } from '../../../errors.js';
import type { Change, FieldDiff } from '../../../model/changes.js';
import type { DesiredAccessProfile, ProfileState } from '../../../model/roles-anywhere.js';
import { missingTags, tagList } from '../tags.js';
import { deleteRa, notOwned, rememberCreated, toRaTags } from './common.js';
import { listProfiles, profileState } from './sync-profile.js';
import type { Share } from '../trusting-roles.js';

/** The live profiles of the declared names (two of one name are refused when planned). */
export async function observeAccessProfiles(aws: Aws, names: string[], share: Share): Promise<Map<string, ProfileState[]>> {
  const all = await listProfiles(aws, share);
  return new Map(
    await Promise.all(names.map(async (name) => [name, await Promise.all(all.filter((p) => p.name === name).map((p) => profileState(aws, p)))] as const)),
  );
}

const sameSet = (a: string[], b: string[]) => a.length === b.length && a.every((x) => b.includes(x));

export function planAccessProfile(named: ProfileState[], wanted: DesiredAccessProfile, integration: string): Change[] {
  if (named.length > 1)
    throw new RefusalError(
      'access-profile',
      `${named.length} Roles Anywhere profiles are named ${wanted.name}: which one is declared cannot be told. Rename or delete the others.`,
      wanted.name,
    );
  const live = named[0];
  if (!live) {
    return [
      {
        action: 'create-access-profile',
        resource: 'access-profile',
        target: wanted.name,
        reason: `sessions of ${wanted.durationSeconds} s for ${wanted.roleArns.join(', ')}, enabled`,
        after: wanted,
      },
    ];
  }
  const why = notOwned(live.tags, integration);
  if (why) {
    throw new RefusalError(
      'access-profile',
      `Roles Anywhere profile ${live.name} (${live.arn}) is not owned by this integration: ${why} (${tagList(live.tags)}). It is never changed. ` +
        'Rename the profile under roles-anywhere profiles, or tag it for this integration once checked.',
      live.arn,
    );
  }
  const fields: FieldDiff[] = [];
  const rolesDiffer = !sameSet(live.roleArns, wanted.roleArns);
  if (rolesDiffer) fields.push({ field: 'roleArns', live: live.roleArns.join(', ') || '(none)', declared: wanted.roleArns.join(', ') });
  const durationDiffers = live.durationSeconds !== wanted.durationSeconds;
  if (durationDiffers) fields.push({ field: 'durationSeconds', live: String(live.durationSeconds), declared: String(wanted.durationSeconds) });
  if (!live.enabled) fields.push({ field: 'enabled', live: 'false', declared: 'true' });
  const tags = missingTags(live.tags, wanted.tags);
  if (fields.length === 0 && Object.keys(tags).length === 0) return [];
  const reasons = [
    ...fields.map((f) => `${f.field} is ${f.live}, declared ${f.declared}`),
    ...(!live.enabled ? ['disabled: no session through it, and Teleport shows no app for it'] : []),
    ...(Object.keys(tags).length > 0 ? [`tags missing or different: ${tagList(tags)}`] : []),
  ];
  return [
    {
      action: 'update-access-profile',
      resource: 'access-profile',
      target: live.arn,
      reason: reasons.join('; '),
      profileId: live.id,
      fields,
      roleArns: rolesDiffer ? wanted.roleArns : undefined,
      durationSeconds: durationDiffers ? wanted.durationSeconds : undefined,
      enable: !live.enabled,
      tags: Object.keys(tags).length > 0 ? tags : undefined,
    },
  ];
}

type AccessProfileChange = Extract<Change, { action: 'create-access-profile' | 'update-access-profile' }>;
export const isAccessProfileChange = (change: Change): change is AccessProfileChange =>
  change.action === 'create-access-profile' || change.action === 'update-access-profile';

export async function applyAccessProfileChange(aws: Aws, change: AccessProfileChange): Promise<void> {
  if (change.action === 'create-access-profile') {
    const { name, roleArns, durationSeconds, tags } = change.after;
    const { profile } = await aws.rolesAnywhere<{ profile?: { profileArn?: string } }>('CreateProfile', {
      method: 'POST',
      path: '/profiles',
      body: { name, roleArns, durationSeconds, enabled: true, tags: toRaTags(tags) },
    });
    if (profile?.profileArn) rememberCreated(aws, 'profile', name, profile.profileArn);
    return;
  }
  const id = encodeURIComponent(change.profileId);
  if (change.roleArns || change.durationSeconds !== undefined) {
    await aws.rolesAnywhere('UpdateProfile', {
      method: 'PATCH',
      path: `/profile/${id}`,
      body: {
        ...(change.roleArns ? { roleArns: change.roleArns } : {}),
        ...(change.durationSeconds !== undefined ? { durationSeconds: change.durationSeconds } : {}),
      },
    });
  }
  if (change.enable) await aws.rolesAnywhere('EnableProfile', { method: 'POST', path: `/profile/${id}/enable` });
  if (change.tags)
    await aws.rolesAnywhere('TagResource', { method: 'POST', path: '/TagResource', body: { resourceArn: change.target, tags: toRaTags(change.tags) } });
}

export function planAccessProfileDeletion(named: ProfileState[], integration: string): Change[] {
  return named
    .filter((live) => !notOwned(live.tags, integration))
    .map((live) => ({
      action: 'delete-access-profile' as const,
      resource: 'access-profile' as const,
      target: live.arn,
      reason: `tagged for ${integration}`,
      profileId: live.id,
    }));
}

export const deleteAccessProfile = (aws: Aws, profileId: string): Promise<void> => deleteRa(aws, 'DeleteProfile', `/profile/${encodeURIComponent(profileId)}`);
