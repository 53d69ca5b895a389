/**
 * The EC2 join token (kind token, v2, join method iam): instances discovered through the
 * integration prove they run in the caller's account, so the name is not a secret. Desired,
 * compared, planned, written with `tctl create --force`, deleted.
 */
import type { Tctl } from '../../clients/tctl.js';
import type { Change, FieldDiff } from '../../model/changes.js';
import { ownershipLabels, ownershipOf, updateOf, type LabelPolicy } from './ownership.js';
import type { TokenAllowRule, JoinTokenResource } from '../../model/teleport.js';
import { tokenNamesUnits } from '../../model/teleport-versions.js';

/** Instances of an organization's accounts join when their account is in the scope; Auth asks Organizations through the integration. */
export interface TokenOrganization {
  id: string;
  include: string[];
  exclude: string[];
  /** Some EC2 matcher discovers in the caller's account alone. */
  alsoAccount: boolean;
}

export function joinTokenResource(
  name: string,
  integration: string,
  account: string,
  labels: Record<string, string>,
  organization?: TokenOrganization,
): JoinTokenResource {
  // The whole organization needs no unit rule, so a cluster older than 18.8.3 (which has none) takes it.
  const units = organization && tokenNamesUnits(organization.include, organization.exclude) ? organization : undefined;
  const allow: TokenAllowRule[] = organization
    ? [
        { aws_organization_id: organization.id, ...(units ? { aws_organizational_units: { include: units.include, exclude: units.exclude } } : {}) },
        ...(organization.alsoAccount ? [{ aws_account: account }] : []),
      ]
    : [{ aws_account: account }];
  return {
    kind: 'token',
    version: 'v2',
    metadata: {
      name,
      description: `EC2 instances discovered through integration ${integration} join with this token`,
      labels: { ...labels, ...ownershipLabels(integration) },
    },
    spec: { roles: ['Node'], join_method: 'iam', allow, ...(organization ? { integration } : {}) },
  };
}

/** Older guides set a far-future expiry instead of none: both mean "never". */
const NEVER = Date.parse('2999-01-01T00:00:00Z');

const isEmpty = (v: unknown): boolean =>
  v === undefined ||
  v === null ||
  v === '' ||
  (Array.isArray(v) && v.length === 0) ||
  (typeof v === 'object' && !Array.isArray(v) && Object.keys(v).every((k) => isEmpty((v as Record<string, unknown>)[k])));

/** A value as comparable text: keys sorted at every depth, empty fields left out. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    return Object.entries(value)
      .filter(([, v]) => !isEmpty(v))
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([k, v]) => [k, canonical(v)]);
  }
  return value;
}

/** An allow rule as comparable text, without empty fields; a unit rule of the whole organization is the same as none. */
function ruleKey(rule: TokenAllowRule): string {
  const units = rule.aws_organizational_units;
  const whole = units && !tokenNamesUnits(units.include ?? [], units.exclude ?? []);
  return JSON.stringify(canonical(whole ? { ...rule, aws_organizational_units: undefined } : rule));
}

const sortedKeys = (rules: TokenAllowRule[] | undefined) => [...new Set((rules ?? []).map(ruleKey))].sort();
const showRules = (rules: TokenAllowRule[] | undefined) =>
  (rules ?? []).length === 0
    ? '(none)'
    : (rules ?? []).map((r) => (r.aws_account && Object.keys(r).length === 1 ? `account ${r.aws_account}` : JSON.stringify(r))).join(', ');

export function joinTokenDiffs(live: JoinTokenResource, wanted: JoinTokenResource): FieldDiff[] {
  const diffs: FieldDiff[] = [];
  const roles = (r: unknown) => [...new Set((Array.isArray(r) ? r : []).map((x) => String(x).toLowerCase()))].sort().join(',');
  if (roles(live.spec?.roles) !== roles(wanted.spec.roles)) {
    diffs.push({ field: 'spec.roles', live: (live.spec?.roles ?? []).join(', ') || '(none)', declared: wanted.spec.roles.join(', ') });
  }
  if (live.spec?.join_method !== wanted.spec.join_method)
    diffs.push({ field: 'spec.join_method', live: live.spec?.join_method ?? '(none)', declared: wanted.spec.join_method });
  // Another account allowed to join is a hole, not a detail.
  if (JSON.stringify(sortedKeys(live.spec?.allow)) !== JSON.stringify(sortedKeys(wanted.spec.allow))) {
    diffs.push({ field: 'spec.allow', live: showRules(live.spec?.allow), declared: showRules(wanted.spec.allow) });
  }
  // The integration Auth asks Organizations through, for organization rules.
  const integrationOf = (token: JoinTokenResource) => (typeof token.spec?.integration === 'string' ? token.spec.integration : '');
  if (integrationOf(live) !== integrationOf(wanted)) {
    diffs.push({ field: 'spec.integration', live: integrationOf(live) || '(none)', declared: integrationOf(wanted) || '(none)' });
  }
  const expires = live.metadata.expires;
  if (expires && !(Date.parse(expires) >= NEVER)) {
    diffs.push({ field: 'metadata.expires', live: expires, declared: '(never): instances could no longer join after that' });
  }
  for (const [key, value] of Object.entries(wanted.metadata.labels ?? {})) {
    if (live.metadata.labels?.[key] !== value) diffs.push({ field: `metadata.labels.${key}`, live: live.metadata.labels?.[key] ?? '(none)', declared: value });
  }
  return diffs;
}

export function planJoinToken(live: JoinTokenResource | undefined, wanted: JoinTokenResource, policy: LabelPolicy): Change[] {
  const target = `token/${wanted.metadata.name}`;
  if (!live) {
    return [
      {
        action: 'create-join-token',
        resource: 'teleport-join-token',
        target,
        reason: `Teleport has no join token "${wanted.metadata.name}": discovered EC2 instances could not join`,
        after: wanted,
      },
    ];
  }
  const fields = joinTokenDiffs(live, wanted);
  const reason = updateOf('teleport-join-token', target, live.metadata.labels, policy, fields);
  if (!reason) return [];
  return [{ action: 'update-join-token', resource: 'teleport-join-token', target, reason, fields, before: live, after: wanted }];
}

export type JoinTokenChange = Extract<Change, { action: 'create-join-token' | 'update-join-token' }>;

export function isJoinTokenChange(change: Change): change is JoinTokenChange {
  return change.action === 'create-join-token' || change.action === 'update-join-token';
}

export async function applyJoinTokenChange(tctl: Tctl, change: JoinTokenChange): Promise<string> {
  return tctl.create(change.after);
}

/** Destroy: only a token labelled for this integration by this action. */
export function planJoinTokenRemoval(live: JoinTokenResource | undefined, integration: string): Change[] {
  if (!live || ownershipOf(live.metadata.labels, integration) !== 'ours') return [];
  const name = live.metadata.name;
  return [
    { action: 'delete-join-token', resource: 'teleport-join-token', target: `token/${name}`, name, reason: `labelled for ${integration} by this action` },
  ];
}
