import { collecting, InputError, InputErrors } from '../errors.js';
import { parseIssuer, type Issuer } from './issuer.js';
import { consoleRolesAccount, parseFeatures, type FeatureDeclaration } from './features.js';
import { parseDiscovery, SYNTHETIC_NAME_PREFIX, SYNTHETIC_NAMESPACE, type DiscoveryDeclaration } from './discovery.js';
import { REGION } from './regions.js';
import { ROLE_NAME } from './role-refs.js';
import { DNS_1035_LABEL, parseRolesAnywhere, type RolesAnywhereDeclaration } from './roles-anywhere.js';
import { parseExtraTags, tagValueProblem, type Tags } from './tags.js';

export type Mode = 'apply' | 'plan' | 'check' | 'destroy' | 'list' | 'import';
export type CommentOnPr = 'true' | 'false' | 'changes-only';

/** Every input, validated and typed. Built before any network call. */
export interface Settings {
  issuer: Issuer;
  integration: string;
  roleName: string;
  /** Empty: read it from the proxy's /webapi/find. */
  clusterName: string | undefined;
  extraTags: Tags;
  roleDescription: string;
  adoptExistingRole: boolean;
  adoptExistingProvider: boolean;
  /** Take over an existing, untagged SSM document of the ec2-ssm feature. */
  adoptExistingDocument: boolean;
  /** Teleport's per-feature permissions the role carries, in FEATURE_KEYS order. */
  features: FeatureDeclaration[];
  /** Teleport's side of discovery (discovery_config, EC2 join token) and its permissions; undefined: none. */
  discovery: DiscoveryDeclaration | undefined;
  /** Take over an existing discovery_config or join token of ours by name that lacks this integration's labels. */
  adoptExistingDiscovery: boolean;
  /** Check mode: fail the step when discovery is unhealthy (an ERROR state, no Discovery Service, open user tasks). */
  failOnUnhealthy: boolean;
  /** When set, the run stops before any write if the caller's account differs. */
  accountId: string | undefined;
  mode: Mode;
  /** Destroy what the integration owns (mode destroy), or plan that (mode plan with destroy: true). */
  destroy: boolean;
  tctlPath: string;
  skipTeleport: boolean;
  /** Regions for the Tagging API scan; empty: the job's region plus the partition's home region. */
  regions: string[];
  /** The account's "Role trust policy length" quota, in characters without whitespace. */
  trustPolicyQuota: number;
  failOnDrift: boolean;
  /** Check mode: keep one GitHub issue open while drift is found. */
  driftIssue: boolean;
  commentOnPr: CommentOnPr;
  /** Each wait for a StackSet operation, at most (apply, destroy, and check's drift detection). */
  stackSetTimeoutMinutes: number;
  /** Check: run a StackSet drift detection before reading the member roles' state. */
  detectDrift: boolean;
  /** Destroy: the app servers of the integration Teleport may delete with it (18.2.10+), confirmed by name. */
  confirmAppServers: string[];
  /** The entry is an IAM Roles Anywhere integration (aws-ra) instead of aws-oidc. */
  rolesAnywhere: RolesAnywhereDeclaration | undefined;
}

export const DEFAULT_ROLE_DESCRIPTION = 'Used by Teleport to provide access to AWS resources.';

/** Reads one input's raw text; missing inputs read as ''. */
export type InputReader = (name: string) => string;

const INTEGRATION_NAME = /^[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$/;
// IAM's description pattern: tab, newline, carriage return, printable ASCII and Latin-1.
// eslint-disable-next-line no-control-regex -- tab, newline and carriage return are allowed on purpose
const DESCRIPTION = /^[\u0009\u000A\u000D\u0020-\u007E\u00A1-\u00FF]*$/;

export function parseBoolean(name: string, raw: string, fallback: boolean): boolean {
  const text = raw.trim();
  if (text === '') return fallback;
  if (['true', 'True', 'TRUE'].includes(text)) return true;
  if (['false', 'False', 'FALSE'].includes(text)) return false;
  throw new InputError(name, `"${text}" is not a boolean; use true or false`, 'true');
}

function oneOf<T extends string>(name: string, raw: string, allowed: readonly T[], fallback: T): T {
  const text = raw.trim();
  if (text === '') return fallback;
  if ((allowed as readonly string[]).includes(text)) return text as T;
  throw new InputError(name, `"${text}" is not one of ${allowed.join(', ')}`, allowed[0]);
}

export function parseIntegration(raw: string): string {
  const name = raw.trim();
  const example = 'aws-prod';
  if (name === '') throw new InputError('integration', 'is empty; name the Teleport integration', example);
  if (name.length > 63) throw new InputError('integration', `"${name}" is ${name.length} characters long; at most 63`, example);
  if (!INTEGRATION_NAME.test(name)) {
    throw new InputError(
      'integration',
      `"${name}" is not a valid integration name (letters, digits, '.', '_' and '-', starting and ending with a letter or digit)`,
      example,
    );
  }
  return name;
}

function parseRoleName(raw: string): string {
  const name = raw.trim();
  const example = 'teleport-aws-oidc';
  if (name === '') throw new InputError('role-name', 'is empty; name the IAM role Teleport assumes', example);
  if (name.length > 64) throw new InputError('role-name', `"${name}" is ${name.length} characters long; IAM allows at most 64`, example);
  if (!ROLE_NAME.test(name)) {
    throw new InputError('role-name', `"${name}" has characters IAM does not allow in a role name (allowed: letters, digits and + = , . @ _ -)`, example);
  }
  return name;
}

export function parseClusterName(raw: string): string | undefined {
  const name = raw.trim();
  if (name === '') return undefined;
  const problem = tagValueProblem(name);
  if (problem) throw new InputError('cluster-name', `"${name}" ${problem} (it becomes the teleport.dev/cluster tag)`, 'teleport.example.com');
  return name;
}

function parseDescription(raw: string): string {
  const text = raw.trim() === '' ? DEFAULT_ROLE_DESCRIPTION : raw.trim();
  const example = DEFAULT_ROLE_DESCRIPTION;
  if (text.length > 1000) throw new InputError('role-description', `is ${text.length} characters long; IAM allows at most 1000`, example);
  if (!DESCRIPTION.test(text)) throw new InputError('role-description', 'has characters IAM does not allow in a role description', example);
  return text;
}

export function parseRegions(raw: string): string[] {
  const regions = raw.split(/[\s,]+/).filter((r) => r !== '');
  for (const region of regions) {
    if (!REGION.test(region)) throw new InputError('regions', `"${region}" is not an AWS region name`, 'us-east-1, eu-west-1');
  }
  return [...new Set(regions)];
}

export function parseAccountId(raw: string): string | undefined {
  const text = raw.trim();
  if (text === '') return undefined;
  if (!/^\d{12}$/.test(text)) throw new InputError('account-id', `"${text}" is not an AWS account ID (12 digits)`, '"123456789012"');
  return text;
}

function parseDestroy(raw: string, mode: Mode): boolean {
  const destroy = parseBoolean('destroy', raw, false);
  if (destroy && mode !== 'plan' && mode !== 'destroy') {
    throw new InputError('destroy', `is true with mode ${mode}; it only makes mode plan show what mode destroy would delete`, 'true (with mode: plan)');
  }
  return destroy;
}

/** Destroying needs the integration's name typed again, so a copied workflow cannot delete by accident. */
function checkConfirmDestroy(raw: string, mode: Mode, integration: string): void {
  const typed = raw.trim();
  if (mode !== 'destroy') {
    if (typed !== '') throw new InputError('confirm-destroy', `is set with mode ${mode}; it only confirms mode destroy`, "'' (or mode: destroy)");
    return;
  }
  const example = integration || 'aws-prod';
  if (typed === '')
    throw new InputError(
      'confirm-destroy',
      `is empty; mode destroy deletes what integration ${example} owns only when confirm-destroy repeats its name`,
      example,
    );
  if (typed !== integration) {
    throw new InputError(
      'confirm-destroy',
      `"${typed}" is not the integration's name ("${integration}"); nothing is deleted unless they are the same`,
      example,
    );
  }
}

function parseDiscoveryInput(raw: string, skipTeleport: boolean): DiscoveryDeclaration | undefined {
  const discovery = parseDiscovery(raw);
  if (discovery && skipTeleport) {
    throw new InputError(
      'discovery',
      'is set with skip-teleport: true; the discovery_config and join token are Teleport resources, written with tctl',
      "'' (or skip-teleport: false)",
    );
  }
  return discovery;
}

function parseDriftIssue(raw: string, mode: Mode): boolean {
  const driftIssue = parseBoolean('drift-issue', raw, false);
  if (driftIssue && mode !== 'check') {
    throw new InputError('drift-issue', `is true with mode ${mode}; only a check keeps the drift issue`, 'true (with mode: check)');
  }
  return driftIssue;
}

/** The stackset-timeout input's bounds, in minutes: GitHub ends a job at 360 at the latest. */
export const STACKSET_TIMEOUT_DEFAULT = 60;
const STACKSET_TIMEOUT_MAX = 350;

/** Only modes that wait for StackSet operations take it: apply and destroy write, check detects drift. */
export function parseStackSetTimeout(raw: string, mode: Mode): number {
  const text = raw.trim();
  if (text === '') return STACKSET_TIMEOUT_DEFAULT;
  const example = `90 (minutes; default ${STACKSET_TIMEOUT_DEFAULT})`;
  if (!['apply', 'destroy', 'check'].includes(mode)) {
    throw new InputError(
      'stackset-timeout',
      `is set with mode ${mode}, which waits for no StackSet operation (only apply, destroy and check do)`,
      "'' (or mode: apply)",
    );
  }
  if (!/^\d+$/.test(text)) throw new InputError('stackset-timeout', `"${text}" is not a whole number of minutes`, example);
  const minutes = Number(text);
  if (minutes < 1 || minutes > STACKSET_TIMEOUT_MAX) {
    throw new InputError('stackset-timeout', `is ${minutes}; give 1 to ${STACKSET_TIMEOUT_MAX} minutes (a GitHub job ends at 360)`, example);
  }
  return minutes;
}

/** Drift detection is a check's: apply repairs what the last detection found, plan shows it. */
export function parseDetectDrift(raw: string, mode: Mode): boolean {
  const detect = parseBoolean('detect-drift', raw, false);
  // false is harmless anywhere (one step's inputs often serve several modes), as with drift-issue.
  if (detect && mode !== 'check') {
    throw new InputError(
      'detect-drift',
      `is true with mode ${mode}; only a check runs StackSet drift detection (apply then repairs what it found)`,
      'true (with mode: check)',
    );
  }
  return detect;
}

/**
 * The AWS app servers of the integration that Teleport 18.2.10+ deletes with it, confirmed by
 * name (tctl get app_servers): destroy refuses to let one go unconfirmed.
 */
export function parseConfirmAppServers(raw: string, destroy: boolean): string[] {
  const names = [...new Set(raw.split(/[\s,]+/).filter(Boolean))];
  if (names.length > 0 && !destroy) {
    throw new InputError('confirm-app-servers', 'is set without a destroy; it only confirms what a destroy lets Teleport delete', "'' (or mode: destroy)");
  }
  for (const name of names) {
    // An app's name (types.App): a DNS-1035-like label Teleport validates; refs like app_server/x are not names.
    if (!/^[a-z0-9]([a-z0-9._-]{0,251}[a-z0-9])?$/i.test(name)) {
      throw new InputError('confirm-app-servers', `"${name}" is not an app server's name (as tctl get app_servers shows it)`, 'aws-console-prod, aws-cli-prod');
    }
  }
  return names;
}

/** What an aws-oidc integration declares has no meaning for an aws-ra one: said, key by key. */
function rolesAnywhereConflicts(read: InputReader, settings: Settings): InputError[] {
  const errors: InputError[] = [];
  for (const input of ['role-name', 'features', 'discovery', 'role-description', 'adopt-existing-role', 'adopt-existing-provider']) {
    const value = read(input).trim();
    if (value !== '' && !(input.startsWith('adopt-') && value === 'false') && !(input === 'role-description' && value === DEFAULT_ROLE_DESCRIPTION)) {
      errors.push(new InputError(input, `is set, but roles-anywhere makes this an aws-ra integration, which has no OIDC role, features or discovery`, "''"));
    }
  }
  const ra = settings.rolesAnywhere!;
  for (const profile of ra.profiles.filter((p) => p.roles.some((r) => r.name.toLowerCase() === ra.syncRole.toLowerCase()))) {
    errors.push(
      new InputError(
        'roles-anywhere',
        `profiles: ${profile.name} names the sync role ${ra.syncRole}: it is profile sync's own, never a role users get`,
        '{ profiles: [{ name: prod-readonly, roles: [ReadOnly] }] }',
      ),
    );
  }
  if (settings.skipTeleport) {
    errors.push(
      new InputError('skip-teleport', "is true, but roles-anywhere's trust anchor holds the cluster's awsra CA certificates, which only tctl reads", 'false'),
    );
  }
  if (settings.integration !== '' && !DNS_1035_LABEL.test(settings.integration)) {
    errors.push(
      new InputError(
        'integration',
        `"${settings.integration}" is not a DNS-1035 label (lowercase letters, digits and -, starting with a letter, at most 63): Teleport names the synced apps <profile>-<integration>.<proxy> and refuses it`,
        'aws-ra-prod',
      ),
    );
  }
  return errors;
}

export function parseTctlPath(raw: string, skipTeleport: boolean): string {
  const path = raw.trim() === '' ? 'tctl' : raw.trim();
  if (!skipTeleport && /[\n\r\0]/.test(path)) throw new InputError('tctl-path', 'contains a line break', 'tctl');
  return path;
}

/** IAM's "Role trust policy length": 2,048 characters by default, adjustable up to 8,192. */
export const TRUST_POLICY_DEFAULT_QUOTA = 2048;
export const TRUST_POLICY_MAX_QUOTA = 8192;

function parseTrustPolicyQuota(text: string): number {
  const value = text.trim();
  if (value === '') return TRUST_POLICY_DEFAULT_QUOTA;
  const example = `4096 (once "Role trust policy length" is raised to it in Service Quotas; without that, leave the default ${TRUST_POLICY_DEFAULT_QUOTA})`;
  if (!/^\d+$/.test(value)) throw new InputError('trust-policy-quota', `"${value}" is not a number of characters`, example);
  const quota = Number(value);
  if (quota < TRUST_POLICY_DEFAULT_QUOTA || quota > TRUST_POLICY_MAX_QUOTA) {
    throw new InputError(
      'trust-policy-quota',
      `is ${quota}; IAM's "Role trust policy length" is ${TRUST_POLICY_DEFAULT_QUOTA} characters by default and ${TRUST_POLICY_MAX_QUOTA} at most`,
      example,
    );
  }
  return quota;
}

/**
 * Validates every input and reports every problem at once; throws InputErrors. Called
 * before any AWS or tctl call.
 */
export function parseSettings(read: InputReader): Settings {
  const errors: InputError[] = [];
  const attempt = collecting(InputError, errors);
  const mode = attempt(() => oneOf<Mode>('mode', read('mode'), ['apply', 'plan', 'check', 'destroy', 'list', 'import'], 'apply'), 'apply');
  const integration = attempt(() => parseIntegration(read('integration')), '');
  const destroyPlan = attempt(() => parseDestroy(read('destroy'), mode), false);
  attempt(() => checkConfirmDestroy(read('confirm-destroy'), mode, integration), undefined);
  const skipTeleport = attempt(() => parseBoolean('skip-teleport', read('skip-teleport'), false), false);
  const rolesAnywhere = attempt(() => parseRolesAnywhere(read('roles-anywhere')), undefined);
  const settings: Settings = {
    issuer: attempt(() => parseIssuer(read('cluster-url')), { url: '', host: '' }),
    integration,
    // A Roles Anywhere integration has no OIDC role: its roles are named under roles-anywhere.
    roleName: rolesAnywhere ? '' : attempt(() => parseRoleName(read('role-name')), ''),
    clusterName: attempt(() => parseClusterName(read('cluster-name')), undefined),
    extraTags: attempt(() => parseExtraTags(read('tags')), {}),
    roleDescription: attempt(() => parseDescription(read('role-description')), ''),
    adoptExistingRole: attempt(() => parseBoolean('adopt-existing-role', read('adopt-existing-role'), false), false),
    adoptExistingProvider: attempt(() => parseBoolean('adopt-existing-provider', read('adopt-existing-provider'), false), false),
    adoptExistingDocument: attempt(() => parseBoolean('adopt-existing-document', read('adopt-existing-document'), false), false),
    features: attempt(() => parseFeatures(read('features')), []),
    discovery: attempt(() => parseDiscoveryInput(read('discovery'), skipTeleport), undefined),
    adoptExistingDiscovery: attempt(() => parseBoolean('adopt-existing-discovery', read('adopt-existing-discovery'), false), false),
    failOnUnhealthy: attempt(() => parseBoolean('fail-on-unhealthy', read('fail-on-unhealthy'), false), false),
    accountId: attempt(() => parseAccountId(read('account-id')), undefined),
    mode,
    destroy: mode === 'destroy' || destroyPlan,
    tctlPath: attempt(() => parseTctlPath(read('tctl-path'), skipTeleport), 'tctl'),
    skipTeleport,
    regions: attempt(() => parseRegions(read('regions')), []),
    trustPolicyQuota: attempt(() => parseTrustPolicyQuota(read('trust-policy-quota')), TRUST_POLICY_DEFAULT_QUOTA),
    failOnDrift: attempt(() => parseBoolean('fail-on-drift', read('fail-on-drift'), mode === 'check'), false),
    driftIssue: attempt(() => parseDriftIssue(read('drift-issue'), mode), false),
    commentOnPr: attempt(() => oneOf<CommentOnPr>('comment-on-pr', read('comment-on-pr'), ['true', 'false', 'changes-only'], 'true'), 'true'),
    stackSetTimeoutMinutes: attempt(() => parseStackSetTimeout(read('stackset-timeout'), mode), STACKSET_TIMEOUT_DEFAULT),
    detectDrift: attempt(() => parseDetectDrift(read('detect-drift'), mode), false),
    confirmAppServers: attempt(() => parseConfirmAppServers(read('confirm-app-servers'), mode === 'destroy' || destroyPlan), []),
    rolesAnywhere,
  };
  if (rolesAnywhere) errors.push(...rolesAnywhereConflicts(read, settings));
  if (settings.discovery && settings.discovery.name === undefined && integration.startsWith(SYNTHETIC_NAME_PREFIX)) {
    errors.push(
      new InputError(
        'discovery',
        `name defaults to the integration's, "${integration}", which is in ${SYNTHETIC_NAMESPACE}: give discovery a name`,
        'name: aws-prod-discovery (under discovery)',
      ),
    );
  }
  const deployService = settings.features.find((f) => f.key === 'deploy-service');
  if (deployService && settings.roleName !== '' && deployService.params.taskRole === settings.roleName) {
    errors.push(
      new InputError(
        'features',
        `deploy-service: task-role "${settings.roleName}" is the integration role; the Database Service's task role is a role of its own, trusted by ECS tasks`,
        '{ deploy-service: { task-role: TeleportDatabaseServiceTask } }',
      ),
    );
  }
  const consoleRoles = settings.features.find((f) => f.key === 'aws-app-access')?.params.roles ?? [];
  const example = '{ aws-app-access: { roles: [ConsoleReadOnly, "arn:aws:iam::123456789012:role/Admin"] } }';
  const ownRoles = [settings.roleName, deployService?.params.taskRole].filter((name): name is string => Boolean(name));
  for (const role of consoleRoles.filter((r) => ownRoles.some((own) => own.toLowerCase() === r.name.toLowerCase()))) {
    errors.push(
      new InputError(
        'features',
        `aws-app-access: roles names "${role.name}", a role this integration owns; console roles are the roles users assume through it`,
        example,
      ),
    );
  }
  const rolesAccount = consoleRolesAccount(settings.features);
  if (rolesAccount !== undefined && settings.accountId !== undefined && rolesAccount !== settings.accountId) {
    errors.push(
      new InputError(
        'features',
        `aws-app-access: roles names a role of account ${rolesAccount}, but account-id is ${settings.accountId}: a console role is in the integration's account`,
        example,
      ),
    );
  }
  if (errors.length > 0) throw new InputErrors(errors);
  return settings;
}
