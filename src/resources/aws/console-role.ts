/**
 * aws-app-access's console roles: roles of the account that users assume through the integration
 * (AWS console and CLI). Teleport's AWSAppAccess policy lets the integration role assume a role
 * tagged teleport.dev/integration=true, but the role must also trust the integration role
 * (shared/reference/roles-anywhere.md, "AWS console roles"; the web UI does not say so:
 * gravitational/teleport#60343). These roles are the user's: never created nor deleted here. Apply
 * adds the tag and one statement, every other statement and tag kept; two marker tags record
 * what it added, so destroy takes back exactly that and no more.
 */
import { GetAccountAuthorizationDetailsCommand } from '@aws-sdk/client-iam';
import type { GetAccountAuthorizationDetailsResponse } from '@aws-sdk/client-iam';
import type { Aws } from '../../clients/aws.js';
import type { ConsoleRoleRef } from '../../config/features.js';
import { RefusalError } from '../../errors.js';
import type { DesiredConsoleRole, PolicyDocument, RoleState, Statement } from '../../model/aws.js';
import type { Change } from '../../model/changes.js';
import { parsePolicyDocument, statementsOf } from './policy-document.js';
import { isPrincipalNotVisibleYet, observeRole } from './role.js';
import { INTEGRATION_TAG, tagsFromList } from './tags.js';
import { checkTrustPolicyFits, statementCovers } from './trust-policy.js';
import { grantedTrust, grantTags, releaseOf, sidPart, writeGrant, writeRelease, type TrustGrant } from './trust-grant.js';

/** A statement that does not fit stands on this kind's row, with this way out. */
const QUOTA_WAY_OUT = { resource: 'console-role' as const, otherwise: 'take a statement out of its trust policy, or list another role' };

/** The value AWSAppAccess's condition asks for (iam:ResourceTag/teleport.dev/integration). */
export const CONSOLE_TAG_VALUE = 'true';
/** The integrations whose statement apply added to this role's trust, separated by spaces. */
export const CONSOLE_ACCESS_MARKER = 'teleport-aws-oidc-integration-action/console-access';
/** Present when apply added the teleport.dev/integration tag (it was not there before). */
export const TAG_ADDED_MARKER = 'teleport-aws-oidc-integration-action/tagged-for-console';

/** The statement's Sid names the integration, so a role several integrations use keeps one statement each. */
export function consoleStatementSid(integration: string): string {
  return `TeleportConsoleAccess${sidPart(integration)}`;
}

/** What a console role's trust needs: the integration role may assume it. */
export function consoleTrustStatement(integrationRoleArn: string, integration: string): Statement {
  return { Sid: consoleStatementSid(integration), Effect: 'Allow', Principal: { AWS: integrationRoleArn }, Action: 'sts:AssumeRole' };
}

export function desiredConsoleRoles(refs: ConsoleRoleRef[], partition: string, account: string): DesiredConsoleRole[] {
  return refs.map((ref) => ({ name: ref.name, declaredArn: ref.arn, arn: ref.arn ?? `arn:${partition}:iam::${account}:role/${ref.name}` }));
}

export const observeConsoleRole = (aws: Aws, name: string): Promise<RoleState | undefined> => observeRole(aws, name);

export type ConsoleRoleChange = Extract<Change, { action: 'update-console-role' }>;
export type ConsoleRoleRelease = Extract<Change, { action: 'release-console-role' }>;

export const isConsoleRoleChange = (change: Change): change is ConsoleRoleChange => change.action === 'update-console-role';

/** Whether a trust policy lets the integration role assume the role (any statement that grants it, Sid aside). */
export function trustsIntegrationRole(trustPolicy: PolicyDocument, integrationRoleArn: string, integration: string): boolean {
  return statementsOf(trustPolicy).some((s) => statementCovers(s, consoleTrustStatement(integrationRoleArn, integration)));
}

/** What apply adds to a console role, and records adding. */
export function consoleGrant(integrationRoleArn: string, integration: string): TrustGrant {
  return {
    statement: consoleTrustStatement(integrationRoleArn, integration),
    marker: CONSOLE_ACCESS_MARKER,
    tag: { key: INTEGRATION_TAG, value: CONSOLE_TAG_VALUE, addedMarker: TAG_ADDED_MARKER },
  };
}

export interface ConsoleRolePolicy {
  integration: string;
  integrationRoleArn: string;
  trustPolicyQuota: number;
}

/** Refusals first: a role that is missing, elsewhere, or another integration's own is never written. */
function checkConsoleRole(live: RoleState | undefined, wanted: DesiredConsoleRole): asserts live is RoleState {
  if (!live) {
    throw new RefusalError(
      'console-role',
      `IAM role "${wanted.name}" (aws-app-access roles) does not exist: a console role is never created here, it is the role users get in the console. ` +
        'Create it with the permissions they need, or remove it from roles. Nothing was written to it.',
      wanted.arn,
    );
  }
  if (wanted.declaredArn !== undefined && wanted.declaredArn !== live.arn) {
    throw new RefusalError(
      'console-role',
      `aws-app-access roles names ${wanted.declaredArn}, but the role "${live.name}" is ${live.arn} (another path): name it by that ARN, or by its name alone.`,
      wanted.arn,
    );
  }
  const tagged = live.tags[INTEGRATION_TAG];
  if (tagged !== undefined && tagged !== CONSOLE_TAG_VALUE) {
    throw new RefusalError(
      'console-role',
      `IAM role "${live.name}" is tagged ${INTEGRATION_TAG}=${tagged}: it is what integration ${tagged} owns, not a console role. ` +
        `Tagging it ${INTEGRATION_TAG}=${CONSOLE_TAG_VALUE} would take it from that integration; choose another role.`,
      live.arn,
    );
  }
}

export function planConsoleRole(live: RoleState | undefined, wanted: DesiredConsoleRole, policy: ConsoleRolePolicy): Change[] {
  checkConsoleRole(live, wanted);
  const grant = consoleGrant(policy.integrationRoleArn, policy.integration);
  const trustPolicy = grantedTrust(live.trustPolicy, grant.statement);
  if (trustPolicy) checkTrustPolicyFits(trustPolicy, policy.trustPolicyQuota, live.name, live.arn, QUOTA_WAY_OUT);
  const tags = grantTags(live.tags, grant, trustPolicy !== undefined, policy.integration);
  if (!trustPolicy && !tags) return [];
  const missing = [
    ...(trustPolicy ? [`does not trust the integration role ${policy.integrationRoleArn} (Teleport's sts:AssumeRole would be denied)`] : []),
    ...(live.tags[INTEGRATION_TAG] !== CONSOLE_TAG_VALUE
      ? [`is not tagged ${INTEGRATION_TAG}=${CONSOLE_TAG_VALUE} (AWSAppAccess lets the integration assume only roles with that tag)`]
      : []),
  ];
  return [
    {
      action: 'update-console-role',
      resource: 'console-role',
      target: live.arn,
      reason:
        missing.length > 0
          ? `console role ${live.name} ${missing.join(' and ')}: ${trustPolicy ? 'a statement is added, every other kept' : 'the tag is added'}`
          : `console role ${live.name}: the record of what this action added is brought up to date`,
      roleName: live.name,
      trustPolicy,
      tags,
    },
  ];
}

/** Writes one console role's trust and tags, merged again into the role as it is now. */
export async function applyConsoleRoleChange(aws: Aws, change: ConsoleRoleChange, policy: ConsoleRolePolicy): Promise<void> {
  const live = await observeConsoleRole(aws, change.roleName);
  // Deleted since planning: said as the refusal plan gives.
  checkConsoleRole(live, { name: change.roleName, declaredArn: undefined, arn: change.target });
  const grant = consoleGrant(policy.integrationRoleArn, policy.integration);
  const trustPolicy = grantedTrust(live.trustPolicy, grant.statement);
  if (trustPolicy) checkTrustPolicyFits(trustPolicy, policy.trustPolicyQuota, live.name, live.arn, QUOTA_WAY_OUT);
  const tags = grantTags(live.tags, grant, trustPolicy !== undefined || change.trustPolicy !== undefined, policy.integration);
  // The integration role this same apply may have just made: IAM may not know it as a principal yet.
  await writeGrant(aws, live.name, trustPolicy, tags, isPrincipalNotVisibleYet);
}

/**
 * Destroy: only what apply added. The statement goes when the marker says this integration added
 * it; the tag goes when apply added it and no other integration's statement is left. A trust policy
 * of this statement alone is kept (IAM refuses an empty one), and said.
 */
export function planConsoleRoleRelease(live: RoleState | undefined, integration: string, notes: string[]): ConsoleRoleRelease[] {
  if (!live) return [];
  // Only the statement's Sid and the markers matter here: the integration role's ARN is not needed.
  const release = releaseOf(live, consoleGrant('', integration), integration, 'its statement trusting the integration role');
  if (!release) return [];
  if (release.onlyOurs) {
    notes.push(
      `Console role ${live.name}'s trust policy holds only this integration's statement: it is kept (IAM refuses an empty trust policy), and trusts a role that no longer exists once destroy completes.`,
    );
  }
  const { removed, others } = release;
  return [
    {
      action: 'release-console-role',
      resource: 'console-role',
      target: live.arn,
      reason: `console role ${live.name} (kept): ${removed.length > 0 ? `${removed.join(' and ')} removed, as apply added them` : 'the record of this integration removed'}${others.length > 0 ? `; integration ${others.join(', ')} still uses it` : ''}`,
      roleName: live.name,
      trustPolicy: release.trustPolicy,
      untag: release.untag,
      tags: release.tags,
    },
  ];
}

export async function releaseConsoleRole(aws: Aws, change: ConsoleRoleRelease, integration: string): Promise<void> {
  const live = await observeConsoleRole(aws, change.roleName);
  if (!live) return;
  // Re-planned on the role as it is now: a statement added since planning survives.
  const [again] = planConsoleRoleRelease(live, integration, []);
  if (again) await writeRelease(aws, live.name, again);
}

export interface TaggedConsoleRole {
  name: string;
  arn: string;
  trustPolicy: PolicyDocument;
}

/**
 * Check: every role of the account tagged teleport.dev/integration=true, with its trust policy. One
 * paginated GetAccountAuthorizationDetails (roles only) returns both; ListRoles has no tags, and
 * the Tagging API lists no IAM role.
 */
export async function listTaggedConsoleRoles(aws: Aws): Promise<TaggedConsoleRole[]> {
  const found: TaggedConsoleRole[] = [];
  let marker: string | undefined;
  do {
    const page = await aws.send<GetAccountAuthorizationDetailsResponse>(
      aws.iam,
      new GetAccountAuthorizationDetailsCommand({ Filter: ['Role'], MaxItems: aws.iamPageSize, Marker: marker }),
    );
    for (const role of page.RoleDetailList ?? []) {
      if (tagsFromList(role.Tags)[INTEGRATION_TAG] !== CONSOLE_TAG_VALUE || !role.RoleName) continue;
      found.push({ name: role.RoleName, arn: role.Arn ?? '', trustPolicy: parsePolicyDocument(role.AssumeRolePolicyDocument ?? '{"Statement":[]}') });
    }
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);
  return found;
}
