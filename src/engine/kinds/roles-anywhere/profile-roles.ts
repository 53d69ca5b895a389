/** The roles the access profiles name, made to trust Roles Anywhere from the trust anchor (resources/aws/roles-anywhere/profile-role.ts). */
import type { Deletion } from '../../../model/changes.js';
import {
  applyProfileRoleChange,
  isProfileRoleChange,
  observeProfileRole,
  planProfileRole,
  planProfileRoleRelease,
  releaseProfileRole,
} from '../../../resources/aws/roles-anywhere/profile-role.js';
import type { RoleState } from '../../../model/aws.js';
import type { Settings } from '../../../config/inputs.js';
import type { Aws } from '../../../clients/aws.js';
import { kindOf } from '../kind.js';
import { withCreatedArns } from './pending.js';

type ProfileRoleRelease = Extract<Deletion, { action: 'release-profile-role' }>;

const roleNames = (settings: Settings) => [...new Set(settings.rolesAnywhere!.profiles.flatMap((p) => p.roles.map((r) => r.name)))];

async function observeAll(aws: Aws, settings: Settings): Promise<Map<string, RoleState | undefined>> {
  return new Map(await Promise.all(roleNames(settings).map(async (name) => [name, await observeProfileRole(aws, name)] as const)));
}

export const PROFILE_ROLES = kindOf({
  kind: "access profiles' role",
  resources: ['profile-role'],
  observe: async ({ settings, deps }) => ({ observed: { profileRoles: await observeAll(deps.aws, settings) } }),
  // Trusting a trust anchor that is not this integration's would hand that anchor's CA the role.
  plan: ({ observed, desired, settings, planned, refused }) =>
    refused('trust-anchor')
      ? []
      : desired.rolesAnywhere!.profileRoles.flatMap((role) =>
          planned(() =>
            planProfileRole(
              observed.profileRoles?.get(role.name),
              role,
              desired.rolesAnywhere!.trustAnchorArn,
              settings.integration,
              settings.trustPolicyQuota,
            ),
          ),
        ),
  owns: isProfileRoleChange,
  // The statement names the trust anchor this same apply may have just made.
  apply: async (change, { aws, settings, desired }) => {
    const [resolved, anchorArn] = await withCreatedArns(aws, settings, [change, desired.rolesAnywhere!.trustAnchorArn] as const);
    await applyProfileRoleChange(aws, resolved, anchorArn, settings.integration, settings.trustPolicyQuota);
    return undefined;
  },
  rows: ({ desired }) =>
    desired.rolesAnywhere!.profileRoles.length > 0
      ? {
          'profile-role': {
            target: desired.rolesAnywhere!.profileRoles.map((r) => r.name).join(', '),
            unchanged: 'each trusts Roles Anywhere from the trust anchor, every other statement kept',
          },
        }
      : {},
  destruction: {
    observe: async ({ settings, deps }) => ({ profileRoles: await observeAll(deps.aws, settings) }),
    plan: ({ observed, settings, notes }) =>
      roleNames(settings).flatMap((name) => planProfileRoleRelease(observed.profileRoles?.get(name), settings.integration, notes)) as Deletion[],
    deletes: (change): change is ProfileRoleRelease => change.action === 'release-profile-role',
    delete: (change: ProfileRoleRelease, { aws, settings }) => releaseProfileRole(aws, change, settings.integration),
  },
});
