/**
 * A Roles Anywhere profile this action keeps (the sync profile; an access profile): enabled, naming
 * exactly its roles, with its session duration and tags, and only when tagged for the integration.
 * One planner and writer for both kinds, as owned-role.ts is for roles; each kind says why in its words.
 */
import type { Aws } from '../../../clients/aws.js';
import { RefusalError } from '../../../errors.js';
import type { Change, FieldDiff } from '../../../model/changes.js';
import type { DesiredProfile, ProfileKind, ProfileState } from '../../../model/roles-anywhere.js';
import { missingTags, tagList } from '../tags.js';
import { deleteRa, notOwned, rememberCreated, toRaTags } from './common.js';

export interface ProfileWords {
  /** Why it is created. */
  create: string;
  /** Roles other than the declared ones, and what they mean. */
  roles: (live: string, declared: string) => string;
  /** A disabled one, and what it means. */
  disabled: string;
  /** The way out of a refusal: another name, in the key that names it. */
  otherName: string;
}

const sameSet = (a: string[], b: string[]) => a.length === b.length && a.every((x) => b.includes(x));

export function planProfile(kind: ProfileKind, named: ProfileState[], wanted: DesiredProfile, integration: string, words: ProfileWords): Change[] {
  if (named.length > 1) {
    throw new RefusalError(
      kind,
      `${named.length} Roles Anywhere profiles are named ${wanted.name}: which one is the integration's cannot be told. Rename or delete the others.`,
      wanted.name,
    );
  }
  const live = named[0];
  if (!live) return [{ action: `create-${kind}`, resource: kind, target: wanted.name, reason: words.create, after: wanted }];
  const why = notOwned(live.tags, integration);
  if (why) {
    throw new RefusalError(
      kind,
      `Roles Anywhere profile ${live.name} (${live.arn}) is not owned by this integration: ${why} (${tagList(live.tags)}). It is never changed. ` +
        `${words.otherName}, or tag it for this integration once checked.`,
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
    ...(rolesDiffer ? [words.roles(live.roleArns.join(', ') || '(none)', wanted.roleArns.join(', '))] : []),
    ...(durationDiffers ? [`durationSeconds is ${live.durationSeconds}, declared ${wanted.durationSeconds}`] : []),
    ...(!live.enabled ? [words.disabled] : []),
    ...(Object.keys(tags).length > 0 ? [`tags missing or different: ${tagList(tags)}`] : []),
  ];
  return [
    {
      action: `update-${kind}`,
      resource: kind,
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

export type ProfileChange = Extract<Change, { action: `create-${ProfileKind}` | `update-${ProfileKind}` }>;
export type ProfileDeletion = Extract<Change, { action: `delete-${ProfileKind}` }>;

export const isProfileChange =
  (kind: ProfileKind) =>
  (change: Change): change is ProfileChange =>
    change.action === `create-${kind}` || change.action === `update-${kind}`;

export async function applyProfileChange(aws: Aws, change: ProfileChange): Promise<void> {
  if ('after' in change) {
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

/** Destroy: the profiles of that name tagged for this integration. */
export function planProfileDeletion(kind: ProfileKind, named: ProfileState[], integration: string): Change[] {
  return named
    .filter((live) => !notOwned(live.tags, integration))
    .map((live) => ({ action: `delete-${kind}` as const, resource: kind, target: live.arn, reason: `tagged for ${integration}`, profileId: live.id }));
}

export const deleteProfile = (aws: Aws, change: ProfileDeletion): Promise<void> =>
  deleteRa(aws, 'DeleteProfile', `/profile/${encodeURIComponent(change.profileId)}`);
