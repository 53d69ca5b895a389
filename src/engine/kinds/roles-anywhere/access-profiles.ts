/** The access profiles an aws-ra integration declares (resources/aws/roles-anywhere/access-profile.ts). */
import type { Deletion } from '../../../model/changes.js';
import { observeAccessProfiles, planAccessProfile } from '../../../resources/aws/roles-anywhere/access-profile.js';
import {
  applyProfileChange,
  deleteProfile,
  isProfileChange,
  planProfileDeletion,
  type ProfileDeletion,
} from '../../../resources/aws/roles-anywhere/profile.js';
import { kindOf } from '../kind.js';
import { shareable } from '../../plan.js';
import type { EngineDeps } from '../../plan.js';
import type { Settings } from '../../../config/inputs.js';

const names = (settings: Settings) => settings.rolesAnywhere!.profiles.map((p) => p.name);
const observe = (settings: Settings, deps: EngineDeps) => observeAccessProfiles(deps.aws, names(settings), (key, read) => shareable(deps, key, read));

export const ACCESS_PROFILES = kindOf({
  kind: 'access profile',
  resources: ['access-profile'],
  observe: async ({ settings, deps }) => ({ observed: { accessProfiles: names(settings).length > 0 ? await observe(settings, deps) : new Map() } }),
  // Each profile's refusal is its own; none names a role that was refused.
  plan: ({ observed, desired, settings, planned, refused }) =>
    refused('profile-role')
      ? []
      : desired.rolesAnywhere!.accessProfiles.flatMap((profile) =>
          planned(() => planAccessProfile(observed.accessProfiles?.get(profile.name) ?? [], profile, settings.integration)),
        ),
  owns: isProfileChange('access-profile'),
  apply: async (change, { aws }) => void (await applyProfileChange(aws, change)),
  rows: ({ desired }) =>
    desired.rolesAnywhere!.accessProfiles.length > 0
      ? {
          'access-profile': {
            target: desired.rolesAnywhere!.accessProfiles.map((p) => p.name).join(', '),
            unchanged: 'each enabled, naming its declared roles, with its session duration and tags',
          },
        }
      : {},
  destruction: {
    observe: async ({ settings, deps }) => ({ accessProfiles: names(settings).length > 0 ? await observe(settings, deps) : new Map() }),
    plan: ({ observed, settings }) =>
      names(settings).flatMap((name) => planProfileDeletion('access-profile', observed.accessProfiles?.get(name) ?? [], settings.integration)) as Deletion[],
    deletes: (change): change is ProfileDeletion & Deletion => change.action === 'delete-access-profile',
    delete: (change: ProfileDeletion, { aws }) => deleteProfile(aws, change),
  },
});
