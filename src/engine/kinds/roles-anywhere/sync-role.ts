/** The role profile sync runs as (resources/aws/roles-anywhere/sync-role.ts). */
import type { Deletion } from '../../../model/changes.js';
import { applyOwnedRoleChange, deleteOwnedRole, isOwnedRoleChange, isOwnedRoleDeletion, type OwnedRoleDeletion } from '../../../resources/aws/owned-role.js';
import { observeSyncRole, planSyncRole, planSyncRoleDeletion } from '../../../resources/aws/roles-anywhere/sync-role.js';
import { kindOf } from '../kind.js';
import { withCreatedArns } from './pending.js';

export const SYNC_ROLE = kindOf({
  kind: 'profile sync role',
  resources: ['sync-role'],
  observe: async ({ settings, deps }) => ({ observed: { syncRole: await observeSyncRole(deps.aws, settings.rolesAnywhere!.syncRole) } }),
  plan: ({ observed, desired, settings, refused }) => {
    // Trusting a trust anchor that is not this integration's would hand that anchor's CA the role.
    if (refused('trust-anchor')) return [];
    const ra = desired.rolesAnywhere!;
    return planSyncRole(observed.syncRole, ra.syncRole, ra.syncRoleArn, settings.integration);
  },
  owns: isOwnedRoleChange('sync-role'),
  // The trust names the trust anchor this same apply may have just made.
  apply: async (change, { aws, settings }) => void (await applyOwnedRoleChange(aws, await withCreatedArns(aws, settings, change))),
  rows: ({ desired }) => ({
    'sync-role': {
      target: desired.rolesAnywhere!.syncRoleArn,
      unchanged: 'trusted by Roles Anywhere from the trust anchor only, with its inline policy TeleportRolesAnywhereProfileSync, tagged for this integration',
    },
  }),
  destruction: {
    observe: async ({ settings, deps }) => ({ syncRole: await observeSyncRole(deps.aws, settings.rolesAnywhere!.syncRole) }),
    plan: ({ observed, settings }) => planSyncRoleDeletion(observed.syncRole, settings.integration) as Deletion[],
    deletes: (change): change is OwnedRoleDeletion & Deletion => isOwnedRoleDeletion('sync-role')(change),
    delete: (change: OwnedRoleDeletion, { aws }) => deleteOwnedRole(aws, change),
  },
});
