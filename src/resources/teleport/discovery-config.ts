/**
 * The Teleport `discovery_config` (kind discovery_config, v1): desired, compared field by
 * field, planned, written with `tctl create --force`, and deleted. Every field this action
 * cares about is written explicitly and only those are compared, so Teleport's defaults,
 * `status` and `revision` never read as drift (shared/reference/discovery.md).
 */
import type { Tctl } from '../../clients/tctl.js';
import { DEFAULT_MEMBER_ROLE, DEFAULT_SCRIPT_NAME, type DiscoveryDeclaration, type DiscoveryMatcher } from '../../config/discovery.js';
import type { Change, FieldDiff } from '../../model/changes.js';
import { ownershipLabels, ownershipOf, updateOf, type LabelPolicy } from './ownership.js';
import type { InstallParams, AwsMatcherResource, DiscoveryConfigResource } from '../../model/teleport.js';

/** Teleport's install enroll modes: the number the module writes, or the enum's name protojson prints. */
const ENROLL_MODES: Record<string, string> = {
  '0': 'UNSPECIFIED',
  '1': 'SCRIPT',
  '2': 'EICE',
  INSTALL_PARAM_ENROLL_MODE_UNSPECIFIED: 'UNSPECIFIED',
  INSTALL_PARAM_ENROLL_MODE_SCRIPT: 'SCRIPT',
  INSTALL_PARAM_ENROLL_MODE_EICE: 'EICE',
};
export const ENROLL_MODE_SCRIPT = 1;

export function defaultDiscoveryConfigName(integration: string): string {
  return integration;
}

export function defaultJoinTokenName(integration: string): string {
  return `${integration}-ec2`;
}

function matcherResource(matcher: DiscoveryMatcher, integration: string, install: InstallParams, document: string, organizationId: string): AwsMatcherResource {
  const tags = Object.fromEntries(Object.entries(matcher.tags).map(([key, values]) => [key, values.length === 1 ? values[0] : values]));
  return {
    types: matcher.types,
    regions: matcher.regions,
    tags,
    integration,
    ...(matcher.types.includes('ec2') ? { install, ssm: { document_name: document } } : {}),
    ...(matcher.setupAccessForArn ? { setup_access_for_arn: matcher.setupAccessForArn } : {}),
    ...(matcher.kubeAppDiscovery ? { kube_app_discovery: true } : {}),
    // Every account in scope: the Discovery Service assumes the member role of this name in each.
    ...(matcher.organization
      ? {
          assume_role: { role_name: matcher.organization.memberRole },
          organization: {
            organization_id: organizationId,
            organizational_units: { include: matcher.organization.include, exclude: matcher.organization.exclude },
          },
        }
      : {}),
  };
}

export function discoveryConfigResource(
  declaration: DiscoveryDeclaration,
  integration: string,
  joinToken: string,
  ssmDocument: string,
  /** Read from AWS: the credentials' organization, for organization matchers. */
  organizationId = '',
): DiscoveryConfigResource {
  const install: InstallParams = {
    enroll_mode: ENROLL_MODE_SCRIPT,
    install_teleport: true,
    join_method: 'iam',
    join_token: joinToken,
    script_name: declaration.scriptName,
    ...(declaration.installSuffix ? { suffix: declaration.installSuffix } : {}),
  };
  return {
    kind: 'discovery_config',
    version: 'v1',
    metadata: {
      name: declaration.name ?? defaultDiscoveryConfigName(integration),
      description: `AWS discovery through integration ${integration}, managed in Git`,
      labels: { ...declaration.labels, ...ownershipLabels(integration) },
    },
    spec: {
      discovery_group: declaration.group,
      aws: declaration.matchers.map((matcher) => matcherResource(matcher, integration, install, ssmDocument, organizationId)),
    },
  };
}

// ---- Semantic comparison -------------------------------------------------------------

/** A live value as text: what a person typed may be any JSON. */
const text = (value: unknown): string => (typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value));

const show = (value: unknown): string => {
  if (value === undefined || value === null || value === '') return '(none)';
  if (Array.isArray(value)) return value.map(show).join(', ');
  return text(value);
};

const asList = (value: unknown): string[] => (value === undefined || value === null ? [] : Array.isArray(value) ? value.map(text) : [text(value)]);
const sameSet = (a: unknown, b: unknown) => {
  const x = [...new Set(asList(a))].sort();
  const y = [...new Set(asList(b))].sort();
  return x.length === y.length && x.every((v, i) => v === y[i]);
};
/** Tags compare as key → set of values: "x" and ["x"] are the same. */
function normalTags(tags: unknown): string {
  const entries = Object.entries((tags as Record<string, unknown> | undefined) ?? {}).map(([k, v]) => [k, [...new Set(asList(v))].sort()] as const);
  return JSON.stringify(entries.sort(([a], [b]) => a.localeCompare(b)));
}
const enrollMode = (value: unknown) => ENROLL_MODES[text(value ?? 0)] ?? text(value);
const emptyAsUndefined = (value: unknown) => (value === '' || value === null || value === false ? undefined : value);

/** The fields of one matcher that differ, live against declared. */
function matcherDiffs(live: AwsMatcherResource | undefined, wanted: AwsMatcherResource, at: string): FieldDiff[] {
  if (!live) return [{ field: at, live: '(none)', declared: `a matcher for ${wanted.types.join(', ')}` }];
  const diffs: FieldDiff[] = [];
  const compare = (field: string, a: unknown, b: unknown, same: (a: unknown, b: unknown) => boolean) => {
    if (!same(a, b)) diffs.push({ field: `${at}.${field}`, live: show(a), declared: show(b) });
  };
  const equal = (a: unknown, b: unknown) => emptyAsUndefined(a) === emptyAsUndefined(b);
  compare('types', live.types, wanted.types, sameSet);
  compare('regions', live.regions, wanted.regions, sameSet);
  if (normalTags(live.tags) !== normalTags(wanted.tags)) diffs.push({ field: `${at}.tags`, live: show(live.tags), declared: show(wanted.tags) });
  compare('integration', live.integration, wanted.integration, equal);
  if (wanted.install) {
    const install = live.install ?? {};
    compare('install.enroll_mode', install.enroll_mode, wanted.install.enroll_mode, (a, b) => enrollMode(a) === enrollMode(b));
    for (const field of ['install_teleport', 'join_method', 'join_token', 'script_name', 'suffix'] as const) {
      compare(`install.${field}`, install[field], wanted.install[field], equal);
    }
    compare('ssm.document_name', live.ssm?.document_name, wanted.ssm?.document_name, equal);
  }
  compare('setup_access_for_arn', live.setup_access_for_arn, wanted.setup_access_for_arn, equal);
  compare('kube_app_discovery', live.kube_app_discovery, wanted.kube_app_discovery, equal);
  // A role the Discovery Service would assume first would be dropped by the next write.
  compare('assume_role.role_arn', live.assume_role?.role_arn, undefined, equal);
  compare('assume_role.role_name', live.assume_role?.role_name, wanted.assume_role?.role_name, equal);
  const units = (m: AwsMatcherResource) => m.organization?.organizational_units;
  compare('organization.organization_id', live.organization?.organization_id, wanted.organization?.organization_id, equal);
  compare('organization.organizational_units.include', units(live)?.include ?? [], units(wanted)?.include ?? [], sameSet);
  compare('organization.organizational_units.exclude', units(live)?.exclude ?? [], units(wanted)?.exclude ?? [], sameSet);
  return diffs;
}

/** Every field that differs; empty when the live resource matches what is declared. */
export function discoveryConfigDiffs(live: DiscoveryConfigResource, wanted: DiscoveryConfigResource): FieldDiff[] {
  const diffs: FieldDiff[] = [];
  if (live.spec?.discovery_group !== wanted.spec.discovery_group) {
    diffs.push({ field: 'spec.discovery_group', live: show(live.spec?.discovery_group), declared: wanted.spec.discovery_group });
  }
  const liveMatchers = live.spec?.aws ?? [];
  const wantedMatchers = wanted.spec.aws ?? [];
  wantedMatchers.forEach((matcher, index) => diffs.push(...matcherDiffs(liveMatchers[index], matcher, `spec.aws[${index}]`)));
  liveMatchers.slice(wantedMatchers.length).forEach((matcher, offset) => {
    diffs.push({ field: `spec.aws[${wantedMatchers.length + offset}]`, live: `a matcher for ${show(matcher.types)}`, declared: '(none)' });
  });
  // Matchers of other clouds in our resource: the next write drops them.
  for (const [key, value] of Object.entries(live.spec ?? {})) {
    if (key === 'discovery_group' || key === 'aws') continue;
    const empty =
      value === null || value === undefined || (Array.isArray(value) && value.length === 0) || (typeof value === 'object' && Object.keys(value).length === 0);
    if (!empty) diffs.push({ field: `spec.${key}`, live: show(value), declared: '(none)' });
  }
  for (const [key, value] of Object.entries(wanted.metadata.labels ?? {})) {
    if (live.metadata.labels?.[key] !== value) diffs.push({ field: `metadata.labels.${key}`, live: show(live.metadata.labels?.[key]), declared: value });
  }
  return diffs;
}

export function planDiscoveryConfig(live: DiscoveryConfigResource | undefined, wanted: DiscoveryConfigResource, policy: LabelPolicy): Change[] {
  const name = wanted.metadata.name;
  const target = `discovery_config/${name}`;
  if (!live) {
    return [
      {
        action: 'create-discovery-config',
        resource: 'teleport-discovery-config',
        target,
        reason: `Teleport has no discovery_config "${name}": nothing is discovered through ${policy.integration} without it`,
        after: wanted,
      },
    ];
  }
  const fields = discoveryConfigDiffs(live, wanted);
  const reason = updateOf('teleport-discovery-config', target, live.metadata.labels, policy, fields);
  if (!reason) return [];
  return [{ action: 'update-discovery-config', resource: 'teleport-discovery-config', target, reason, fields, before: live, after: wanted }];
}

export type DiscoveryConfigChange = Extract<Change, { action: 'create-discovery-config' | 'update-discovery-config' }>;

export function isDiscoveryConfigChange(change: Change): change is DiscoveryConfigChange {
  return change.action === 'create-discovery-config' || change.action === 'update-discovery-config';
}

/** `--force` replaces the resource (status stays Teleport's); the whole declared resource is written. */
export async function applyDiscoveryConfigChange(tctl: Tctl, change: DiscoveryConfigChange): Promise<string> {
  return tctl.create(change.after);
}

/** What references an integration: its AWS matchers and Access Graph's AWS matchers. */
/**
 * A Discovery Service's read-only copy of its static configuration (sub_kind synthetic, named
 * synthetic-…; api/types/discoveryconfig): written by that service alone, never made in the web UI
 * or by hand, so never a discovery_config "made outside the workflow" to warn about, import or
 * stop a destroy for.
 */
export const SYNTHETIC_SUB_KIND = 'synthetic';
export const isSynthetic = (config: DiscoveryConfigResource): boolean => config.sub_kind === SYNTHETIC_SUB_KIND;

export function referencesIntegration(config: DiscoveryConfigResource, integration: string): boolean {
  if (isSynthetic(config)) return false;
  return (
    (config.spec?.aws ?? []).some((m) => m?.integration === integration) || (config.spec?.access_graph?.aws ?? []).some((m) => m?.integration === integration)
  );
}

/** discovery_configs that reference the integration and are not this action's (made in the web UI, by hand, by Terraform). */
export function foreignReferences(all: DiscoveryConfigResource[], integration: string): DiscoveryConfigResource[] {
  return all.filter((config) => referencesIntegration(config, integration) && ownershipOf(config.metadata?.labels, integration) !== 'ours');
}

/** Ours but not the declared one: left behind by a renamed or dropped `discovery`. */
export function strayConfigs(all: DiscoveryConfigResource[], integration: string, declaredName: string | undefined): DiscoveryConfigResource[] {
  return all.filter((config) => ownershipOf(config.metadata?.labels, integration) === 'ours' && config.metadata.name !== declaredName);
}

/**
 * Destroy: every discovery_config labelled for this integration by this action, declared or
 * not (a dropped `discovery` input leaves one behind). Others are never deleted; those that
 * reference the integration stop the destroy (see foreignReferences).
 */
export function planDiscoveryConfigRemoval(all: DiscoveryConfigResource[], integration: string): Change[] {
  return all
    .filter((config) => ownershipOf(config.metadata.labels, integration) === 'ours')
    .map((config) => ({
      action: 'delete-discovery-config' as const,
      resource: 'teleport-discovery-config' as const,
      target: `discovery_config/${config.metadata.name}`,
      name: config.metadata.name,
      reason: `labelled for ${integration} by this action`,
    }));
}

// ---- Import: the `discovery` declaration that writes a live discovery_config -------------

/** A matcher's organization as the `organization` key declares it (the live id pinned). */
function organizationDeclarationOf(m: AwsMatcherResource): Record<string, unknown> {
  const units = m.organization?.organizational_units ?? {};
  const include = asList(units.include);
  const exclude = asList(units.exclude);
  const role = m.assume_role?.role_name;
  return {
    ...(m.organization?.organization_id ? { id: m.organization.organization_id } : {}),
    ...(include.length > 0 && !(include.length === 1 && include[0] === '*')
      ? { units: { include, ...(exclude.length > 0 ? { exclude } : {}) } }
      : exclude.length > 0
        ? { units: { exclude } }
        : {}),
    ...(role && role !== DEFAULT_MEMBER_ROLE ? { 'member-role': role } : {}),
  };
}

export type DiscoveryImport = { declaration: Record<string, unknown> } | { reason: string };

const isEmptyValue = (value: unknown): boolean =>
  value === null || value === undefined || (Array.isArray(value) && value.length === 0) || (typeof value === 'object' && Object.keys(value).length === 0);

/**
 * mode import: the `discovery` declaration (config-file keys) that writes this discovery_config
 * for the integration, or why none can: other clouds' matchers, other integrations' matchers,
 * an assumed role, EC2 matchers that install differently. Whether a plan then shows no change
 * is checked by planning it.
 */
export function discoveryDeclarationOf(config: DiscoveryConfigResource, integration: string): DiscoveryImport {
  const spec = config.spec ?? { discovery_group: '' };
  const others = Object.entries(spec)
    .filter(([key, value]) => key !== 'discovery_group' && key !== 'aws' && !isEmptyValue(value))
    .map(([key]) => key);
  if (others.length > 0) return { reason: `it also has ${others.join(', ')} matchers, which discovery does not declare` };
  const matchers = spec.aws ?? [];
  if (matchers.length === 0) return { reason: 'it has no AWS matchers' };
  if (matchers.some((m) => m?.integration !== integration)) return { reason: 'it also has AWS matchers of other integrations, or without one' };
  if (matchers.some((m) => m.assume_role?.role_arn)) return { reason: 'a matcher assumes another role (assume_role), which discovery does not declare' };
  if (matchers.some((m) => Boolean(m.assume_role?.role_name) !== Boolean(m.organization)))
    return { reason: 'a matcher assumes a role by name outside an organization, or walks an organization without one, which discovery does not declare' };
  const scopes = new Set(matchers.filter((m) => m.organization).map((m) => JSON.stringify(organizationDeclarationOf(m))));
  if (scopes.size > 1) return { reason: 'its matchers walk the organization with different units or member roles, where discovery declares one scope' };
  const ec2 = matchers.filter((m) => asList(m.types).includes('ec2'));
  const installOf = (m: AwsMatcherResource) => [m.install?.join_token, m.install?.script_name, m.install?.suffix, m.ssm?.document_name];
  if (new Set(ec2.map((m) => JSON.stringify(installOf(m)))).size > 1) {
    return { reason: 'its EC2 matchers install differently (join token, script, suffix or SSM document), where discovery declares one way' };
  }
  const install = ec2[0]?.install;
  if (install && (enrollMode(install.enroll_mode) === 'EICE' || install.install_teleport === false || (install.join_method ?? 'iam') !== 'iam')) {
    return { reason: 'its EC2 matchers enroll without installing Teleport through the IAM join method, which discovery does not declare' };
  }
  const declaration: Record<string, unknown> = { group: spec.discovery_group };
  if (config.metadata.name !== defaultDiscoveryConfigName(integration)) declaration.name = config.metadata.name;
  if (install?.join_token && install.join_token !== defaultJoinTokenName(integration)) declaration['join-token'] = install.join_token;
  const labels = Object.entries(config.metadata.labels ?? {}).filter(([key]) => !key.startsWith('teleport.dev/') && !key.startsWith('teleport.internal/'));
  if (labels.length > 0) declaration.labels = Object.fromEntries(labels);
  if (install?.script_name && install.script_name !== DEFAULT_SCRIPT_NAME) declaration['script-name'] = install.script_name;
  if (install?.suffix) declaration['install-suffix'] = install.suffix;
  if (ec2[0]?.ssm?.document_name) declaration['ssm-document'] = ec2[0].ssm.document_name;
  declaration.matchers = matchers.map((m) => {
    const regions = asList(m.regions);
    const tags = Object.entries(m.tags ?? {});
    const everything = tags.length === 0 || (tags.length === 1 && tags[0][0] === '*' && asList(tags[0][1]).every((v) => v === '*'));
    return {
      types: asList(m.types),
      ...(regions.length > 0 && !(regions.length === 1 && regions[0] === '*') ? { regions } : {}),
      ...(everything ? {} : { tags: Object.fromEntries(tags.map(([key, value]) => [key, Array.isArray(value) ? value.map(text) : text(value)])) }),
      ...(m.setup_access_for_arn ? { 'setup-access-for-arn': m.setup_access_for_arn } : {}),
      ...(m.kube_app_discovery ? { 'kube-app-discovery': true } : {}),
      ...(m.organization ? { organization: organizationDeclarationOf(m) } : {}),
    };
  });
  return { declaration };
}
