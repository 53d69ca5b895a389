/**
 * Teleport's `integration` of sub_kind aws-ra (shared/reference/roles-anywhere.md): the trust
 * anchor, and profile sync's profile, role, session-name flag and name filters. Compared field by
 * field, written with tctl create --force; its `status.aws_ra.last_profile_sync` is profile sync's health.
 */
import type { Tctl } from '../../clients/tctl.js';
import type { RolesAnywhereDeclaration } from '../../config/roles-anywhere.js';
import type { Change, FieldDiff } from '../../model/changes.js';
import type { AwsRaIntegrationResource, ProfileSyncStatus } from '../../model/roles-anywhere.js';

export function awsRaIntegrationResource(
  name: string,
  declaration: RolesAnywhereDeclaration,
  arns: { trustAnchor: string; profile: string; syncRole: string },
): AwsRaIntegrationResource {
  return {
    kind: 'integration',
    sub_kind: 'aws-ra',
    version: 'v1',
    metadata: { name },
    spec: {
      aws_ra: {
        trust_anchor_arn: arns.trustAnchor,
        profile_sync_config: {
          enabled: declaration.profileSync,
          profile_arn: arns.profile,
          role_arn: arns.syncRole,
          profile_accepts_role_session_name: declaration.acceptRoleSessionName,
          ...(declaration.profileFilters.length > 0 ? { profile_name_filters: declaration.profileFilters } : {}),
        },
      },
    },
  };
}

const shown = (value: unknown): string => (value === undefined || (Array.isArray(value) && value.length === 0) ? '(unset)' : JSON.stringify(value));

export function raIntegrationFields(live: AwsRaIntegrationResource, wanted: AwsRaIntegrationResource): FieldDiff[] {
  const fields: FieldDiff[] = [];
  const compare = (field: string, a: unknown, b: unknown) => {
    if (shown(a) !== shown(b)) fields.push({ field, live: shown(a), declared: shown(b) });
  };
  const l = live.spec?.aws_ra;
  const w = wanted.spec.aws_ra;
  compare('sub_kind', live.sub_kind, wanted.sub_kind);
  compare('spec.aws_ra.trust_anchor_arn', l?.trust_anchor_arn, w.trust_anchor_arn);
  const ls = l?.profile_sync_config ?? {};
  const ws = w.profile_sync_config ?? {};
  compare('profile_sync_config.enabled', ls.enabled ?? false, ws.enabled ?? false);
  compare('profile_sync_config.profile_arn', ls.profile_arn, ws.profile_arn);
  compare('profile_sync_config.role_arn', ls.role_arn, ws.role_arn);
  compare(
    'profile_sync_config.profile_accepts_role_session_name',
    ls.profile_accepts_role_session_name ?? false,
    ws.profile_accepts_role_session_name ?? false,
  );
  compare('profile_sync_config.profile_name_filters', ls.profile_name_filters ?? [], ws.profile_name_filters ?? []);
  return fields;
}

export function planRaIntegration(live: AwsRaIntegrationResource | undefined, wanted: AwsRaIntegrationResource): Change[] {
  const name = wanted.metadata.name;
  if (!live)
    return [{ action: 'create-ra-integration', resource: 'teleport-ra-integration', target: name, reason: 'no such integration in Teleport', after: wanted }];
  const fields = raIntegrationFields(live, wanted);
  if (fields.length === 0) return [];
  return [
    {
      action: 'update-ra-integration',
      resource: 'teleport-ra-integration',
      target: name,
      reason: `${fields.map((f) => f.field).join(', ')} differ${fields.length === 1 ? 's' : ''} from the declared`,
      fields,
      before: live,
      after: wanted,
    },
  ];
}

type RaIntegrationChange = Extract<Change, { action: 'create-ra-integration' | 'update-ra-integration' }>;
export const isRaIntegrationChange = (change: Change): change is RaIntegrationChange =>
  change.action === 'create-ra-integration' || change.action === 'update-ra-integration';

export const readRaIntegration = (tctl: Tctl, name: string): Promise<AwsRaIntegrationResource | undefined> =>
  tctl.getOne<AwsRaIntegrationResource>('integration', name);

export const writeRaIntegration = (tctl: Tctl, resource: AwsRaIntegrationResource): Promise<string> => tctl.create(resource);

/** Profile sync runs every 5 minutes: a last run older than 15 (three missed) or in error is unhealthy. */
export const PROFILE_SYNC_STALE_MS = 15 * 60_000;

export function profileSyncProblem(status: ProfileSyncStatus | undefined, now: Date): string | undefined {
  if (!status) return 'Teleport reports no profile sync yet (status.aws_ra.last_profile_sync is empty): no Auth Service has synced the profiles';
  if (status.status && !/success/i.test(status.status)) {
    return `the last profile sync failed (${status.status}${status.error_message ? `: ${status.error_message}` : ''})`;
  }
  const end = Date.parse(status.end_time ?? status.start_time ?? '');
  if (Number.isNaN(end)) return 'the last profile sync has no time';
  const age = now.getTime() - end;
  if (age > PROFILE_SYNC_STALE_MS) return `the last profile sync ended ${Math.round(age / 60_000)} minutes ago (it runs every 5): profile sync has stopped`;
  return undefined;
}
