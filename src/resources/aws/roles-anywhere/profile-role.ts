/**
 * The roles an access profile names are the user's: each must trust Roles Anywhere, from this
 * integration's trust anchor only, or a session with it fails. Apply adds that statement (every
 * other statement kept) and records it on the role (trust-grant.ts); destroy takes back only that.
 */
import type { Aws } from '../../../clients/aws.js';
import { RefusalError } from '../../../errors.js';
import type { RoleState } from '../../../model/aws.js';
import type { Change } from '../../../model/changes.js';
import type { DesiredProfileRole } from '../../../model/roles-anywhere.js';
import { observeRole } from '../role.js';
import { checkTrustPolicyFits } from '../trust-policy.js';
import { grantedTrust, grantTags, releaseOf, sidPart, writeGrant, writeRelease, type TrustGrant } from '../trust-grant.js';

/** A statement that does not fit stands on this kind's row, with this way out. */
const QUOTA_WAY_OUT = { resource: 'profile-role' as const, otherwise: 'take a statement out of its trust policy, or name another role in the profile' };

export const ROLES_ANYWHERE_MARKER = 'teleport-aws-oidc-integration-action/roles-anywhere';

export function profileRoleGrant(trustAnchorArn: string, integration: string): TrustGrant {
  return {
    statement: {
      Sid: `TeleportRolesAnywhere${sidPart(integration)}`,
      Effect: 'Allow',
      Principal: { Service: 'rolesanywhere.amazonaws.com' },
      Action: ['sts:AssumeRole', 'sts:SetSourceIdentity', 'sts:TagSession'],
      Condition: { ArnEquals: { 'aws:SourceArn': trustAnchorArn } },
    },
    marker: ROLES_ANYWHERE_MARKER,
  };
}

export const observeProfileRole = (aws: Aws, name: string): Promise<RoleState | undefined> => observeRole(aws, name);

function checkProfileRole(live: RoleState | undefined, wanted: DesiredProfileRole): asserts live is RoleState {
  if (!live) {
    throw new RefusalError(
      'profile-role',
      `IAM role "${wanted.name}" (roles-anywhere profiles) does not exist: a profile's role is never created here, its permissions are what users get. Create it, or remove it from the profile.`,
      wanted.arn,
    );
  }
  if (wanted.declaredArn !== undefined && wanted.declaredArn !== live.arn) {
    throw new RefusalError(
      'profile-role',
      `roles-anywhere profiles name ${wanted.declaredArn}, but the role "${live.name}" is ${live.arn} (another path).`,
      wanted.arn,
    );
  }
}

export function planProfileRole(live: RoleState | undefined, wanted: DesiredProfileRole, trustAnchorArn: string, integration: string, quota: number): Change[] {
  checkProfileRole(live, wanted);
  const grant = profileRoleGrant(trustAnchorArn, integration);
  const trustPolicy = grantedTrust(live.trustPolicy, grant.statement);
  if (trustPolicy) checkTrustPolicyFits(trustPolicy, quota, live.name, live.arn, QUOTA_WAY_OUT);
  const tags = grantTags(live.tags, grant, trustPolicy !== undefined, integration);
  if (!trustPolicy && !tags) return [];
  return [
    {
      action: 'update-profile-role',
      resource: 'profile-role',
      target: live.arn,
      reason: trustPolicy
        ? `role ${live.name} does not trust Roles Anywhere from the trust anchor: a session with it fails. A statement is added, every other kept`
        : `role ${live.name}: the record of what this action added is brought up to date`,
      roleName: live.name,
      trustPolicy,
      tags,
    },
  ];
}

type ProfileRoleChange = Extract<Change, { action: 'update-profile-role' }>;
type ProfileRoleRelease = Extract<Change, { action: 'release-profile-role' }>;
export const isProfileRoleChange = (change: Change): change is ProfileRoleChange => change.action === 'update-profile-role';

/** Merged again into the role as it is now: a statement added since planning survives. */
export async function applyProfileRoleChange(aws: Aws, change: ProfileRoleChange, trustAnchorArn: string, integration: string, quota: number): Promise<void> {
  const live = await observeProfileRole(aws, change.roleName);
  checkProfileRole(live, { name: change.roleName, declaredArn: undefined, arn: change.target });
  const grant = profileRoleGrant(trustAnchorArn, integration);
  const trustPolicy = grantedTrust(live.trustPolicy, grant.statement);
  if (trustPolicy) checkTrustPolicyFits(trustPolicy, quota, live.name, live.arn, QUOTA_WAY_OUT);
  await writeGrant(aws, live.name, trustPolicy, grantTags(live.tags, grant, trustPolicy !== undefined || change.trustPolicy !== undefined, integration));
}

export function planProfileRoleRelease(live: RoleState | undefined, integration: string, notes: string[]): ProfileRoleRelease[] {
  if (!live) return [];
  const release = releaseOf(live, profileRoleGrant('', integration), integration, 'its statement trusting Roles Anywhere');
  if (!release) return [];
  if (release.onlyOurs)
    notes.push(`Role ${live.name}'s trust policy holds only this integration's Roles Anywhere statement: it is kept (IAM refuses an empty trust policy).`);
  return [
    {
      action: 'release-profile-role',
      resource: 'profile-role',
      target: live.arn,
      reason: `role ${live.name} (kept): ${release.removed.length > 0 ? `${release.removed.join(' and ')} removed, as apply added it` : 'the record of this integration removed'}${release.others.length > 0 ? `; integration ${release.others.join(', ')} still uses it` : ''}`,
      roleName: live.name,
      trustPolicy: release.trustPolicy,
      untag: release.untag,
      tags: release.tags,
    },
  ];
}

export async function releaseProfileRole(aws: Aws, change: ProfileRoleRelease, integration: string): Promise<void> {
  const live = await observeProfileRole(aws, change.roleName);
  const [again] = planProfileRoleRelease(live, integration, []);
  if (live && again) await writeRelease(aws, live.name, again);
}
