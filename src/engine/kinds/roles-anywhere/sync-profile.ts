/** The profile profile sync uses (resources/aws/roles-anywhere/sync-profile.ts; written as every profile is, profile.ts). */
import type { Deletion } from '../../../model/changes.js';
import { observeSyncProfiles, planSyncProfile } from '../../../resources/aws/roles-anywhere/sync-profile.js';
import {
  applyProfileChange,
  deleteProfile,
  isProfileChange,
  planProfileDeletion,
  type ProfileDeletion,
} from '../../../resources/aws/roles-anywhere/profile.js';
import { kindOf } from '../kind.js';
import { shareable } from '../../plan.js';

export const SYNC_PROFILE = kindOf({
  kind: 'Roles Anywhere profile',
  resources: ['sync-profile'],
  observe: async ({ settings, deps }) => ({
    observed: { syncProfiles: await observeSyncProfiles(deps.aws, settings.rolesAnywhere!.syncProfile, (key, read) => shareable(deps, key, read)) },
  }),
  // A refused sync role is not this integration's: no profile may name it.
  plan: ({ observed, desired, settings, refused }) =>
    refused('sync-role') ? [] : planSyncProfile(observed.syncProfiles ?? [], desired.rolesAnywhere!.syncProfile, settings.integration),
  owns: isProfileChange('sync-profile'),
  apply: async (change, { aws }) => void (await applyProfileChange(aws, change)),
  rows: ({ desired, observed }) => ({
    'sync-profile': {
      target: observed.syncProfiles?.[0]?.arn ?? desired.rolesAnywhere!.syncProfile.name,
      unchanged: `enabled, naming ${desired.rolesAnywhere!.syncRoleArn} alone, tagged for this integration`,
    },
  }),
  destruction: {
    observe: async ({ settings, deps }) => ({
      syncProfiles: await observeSyncProfiles(deps.aws, settings.rolesAnywhere!.syncProfile, (key, read) => shareable(deps, key, read)),
    }),
    plan: ({ observed, settings }) => planProfileDeletion('sync-profile', observed.syncProfiles ?? [], settings.integration) as Deletion[],
    deletes: (change): change is ProfileDeletion & Deletion => change.action === 'delete-sync-profile',
    delete: (change: ProfileDeletion, { aws }) => deleteProfile(aws, change),
  },
});
