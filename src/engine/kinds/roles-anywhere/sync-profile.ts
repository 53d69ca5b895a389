/** The profile profile sync uses (resources/aws/roles-anywhere/sync-profile.ts). */
import type { Deletion } from '../../../model/changes.js';
import {
  applySyncProfileChange,
  deleteSyncProfile,
  isSyncProfileChange,
  observeSyncProfiles,
  onlySyncProfile,
  planSyncProfile,
  planSyncProfileDeletion,
} from '../../../resources/aws/roles-anywhere/sync-profile.js';
import { kindOf } from '../kind.js';
import { shareable } from '../../plan.js';

type SyncProfileDeletion = Extract<Deletion, { action: 'delete-sync-profile' }>;

export const SYNC_PROFILE = kindOf({
  kind: 'Roles Anywhere profile',
  resources: ['sync-profile'],
  observe: async ({ settings, deps }) => ({
    observed: { syncProfiles: await observeSyncProfiles(deps.aws, settings.rolesAnywhere!.syncProfile, (key, read) => shareable(deps, key, read)) },
  }),
  plan: ({ observed, desired, settings, refused }) => {
    // A refused sync role is not this integration's: no profile may name it.
    if (refused('sync-role')) return [];
    const wanted = desired.rolesAnywhere!.syncProfile;
    return planSyncProfile(onlySyncProfile(observed.syncProfiles ?? [], wanted.name), wanted, settings.integration);
  },
  owns: isSyncProfileChange,
  apply: async (change, { aws }) => void (await applySyncProfileChange(aws, change)),
  rows: ({ desired, observed }) => ({
    'sync-profile': {
      target: observed.syncProfiles?.[0]?.arn ?? desired.rolesAnywhere!.syncProfile.name,
      unchanged: `enabled, naming ${desired.rolesAnywhere!.syncRoleArn} alone, tagged for this integration`,
    },
  }),
  destruction: {
    observe: async ({ settings, deps }) => ({ syncProfiles: await observeSyncProfiles(deps.aws, settings.rolesAnywhere!.syncProfile) }),
    plan: ({ observed, settings }) =>
      planSyncProfileDeletion(onlySyncProfile(observed.syncProfiles ?? [], settings.rolesAnywhere!.syncProfile), settings.integration) as Deletion[],
    deletes: (change): change is SyncProfileDeletion => change.action === 'delete-sync-profile',
    delete: (change: SyncProfileDeletion, { aws }) => deleteSyncProfile(aws, change.profileId),
  },
});
