/** The Teleport `integration` resource (sub_kind aws-oidc): desired, planned, applied through tctl. */
import type { IntegrationResource, Tctl } from '../../clients/tctl.js';
import type { Change } from '../../model/changes.js';
import { RefusalError } from '../../errors.js';

/** The marker value the identity-center feature sets on the integration (not a token audience). */
export const IDENTITY_CENTER_AUDIENCE = 'aws-identity-center';

export function integrationResource(name: string, roleArn: string, audience?: string): IntegrationResource {
  const awsOidc = audience ? { role_arn: roleArn, audience } : { role_arn: roleArn };
  return { kind: 'integration', sub_kind: 'aws-oidc', version: 'v1', metadata: { name }, spec: { aws_oidc: awsOidc } };
}

function roleArnOf(resource: IntegrationResource | undefined): string | undefined {
  const spec = resource?.spec as { aws_oidc?: { role_arn?: unknown } } | undefined;
  return typeof spec?.aws_oidc?.role_arn === 'string' ? spec.aws_oidc.role_arn : undefined;
}

/**
 * The resource to write when updating: the existing one with only role_arn (and the audience
 * a declared feature needs) changed, so a description, labels or an `audience` someone set
 * are kept (`--force` replaces the spec).
 */
function updatedResource(existing: IntegrationResource, wanted: IntegrationResource): IntegrationResource {
  const { name, description, labels } = existing.metadata;
  return {
    kind: 'integration',
    sub_kind: existing.sub_kind,
    version: existing.version || 'v1',
    metadata: { name, ...(description ? { description } : {}), ...(labels && Object.keys(labels).length ? { labels } : {}) },
    spec: { aws_oidc: { ...existing.spec.aws_oidc, ...wanted.spec.aws_oidc } },
  };
}

export function planIntegration(existing: IntegrationResource | undefined, wanted: IntegrationResource): Change[] {
  const name = wanted.metadata.name;
  if (!existing) {
    return [{ action: 'create-integration', resource: 'teleport-integration', target: name, reason: `Teleport has no integration "${name}"`, after: wanted }];
  }
  if (existing.sub_kind !== 'aws-oidc') {
    throw new RefusalError(
      'teleport-integration',
      `Teleport integration "${name}" exists with sub_kind "${existing.sub_kind}", not aws-oidc: it is not this integration. Choose another integration name.`,
    );
  }
  const current = roleArnOf(existing);
  const reasons: string[] = [];
  if (current !== wanted.spec.aws_oidc.role_arn) reasons.push(`its role_arn is ${current ?? 'empty'}, not ${wanted.spec.aws_oidc.role_arn}`);
  // Only a declared feature sets the audience; an audience nobody declared is kept.
  const audience = wanted.spec.aws_oidc.audience;
  const currentAudience: unknown = existing.spec.aws_oidc?.audience;
  if (typeof audience === 'string' && currentAudience !== audience) {
    const shown = typeof currentAudience === 'string' && currentAudience !== '' ? currentAudience : 'empty';
    reasons.push(`its audience is ${shown}, not ${audience} (feature identity-center)`);
  }
  if (reasons.length === 0) return [];
  return [
    {
      action: 'update-integration',
      resource: 'teleport-integration',
      target: name,
      reason: reasons.join('; '),
      before: existing,
      after: updatedResource(existing, wanted),
    },
  ];
}

export type IntegrationChange = Extract<Change, { action: 'create-integration' | 'update-integration' }>;

export function isIntegrationChange(change: Change): change is IntegrationChange {
  return change.action === 'create-integration' || change.action === 'update-integration';
}

export async function applyIntegrationChange(tctl: Tctl, change: IntegrationChange): Promise<string> {
  return tctl.create(change.after);
}

/**
 * Destroy: the integration is removed only while it points at this integration's role;
 * pointing anywhere else, it is someone else's configuration and is refused.
 */
export function planIntegrationRemoval(existing: IntegrationResource | undefined, name: string, roleArns: string[]): Change[] {
  if (!existing) return [];
  if (existing.sub_kind !== 'aws-oidc') {
    throw new RefusalError(
      'teleport-integration',
      `Teleport integration "${name}" has sub_kind "${existing.sub_kind}", not aws-oidc: it is not this integration. Nothing was deleted.`,
    );
  }
  const current = roleArnOf(existing);
  if (current === undefined || !roleArns.includes(current)) {
    throw new RefusalError(
      'teleport-integration',
      `Teleport integration "${name}" points at ${current ?? 'no role'}, not at ${roleArns[0]}: it is not this integration's to remove. Nothing was deleted.`,
    );
  }
  return [{ action: 'delete-integration', resource: 'teleport-integration', target: name, name, reason: `it points at ${current}` }];
}
