/**
 * The `roles-anywhere` input: the entry is Teleport's IAM Roles Anywhere integration (sub_kind
 * aws-ra) instead of aws-oidc. What `teleport integration configure awsra-trust-anchor` makes
 * (shared/reference/roles-anywhere.md), with its names as defaults. Every problem is an InputError
 * naming the key, before any call.
 */
import { isMap, isScalar, isSeq, parseDocument, type Node, type Pair } from 'yaml';
import { InputError } from '../errors.js';
import { accountOfRefs, parseRoleRefs, ROLE_NAME, type RoleRef } from './role-refs.js';

/** Teleport's defaults (docs aws-console-roles-anywhere.mdx; lib/integrations/awsra/trustanchor_config.go). */
export const DEFAULT_TRUST_ANCHOR = 'TeleportRolesAnywhereIntegrationCA';
export const DEFAULT_SYNC_ROLE = 'TeleportRolesAnywhereProfileSync';
export const DEFAULT_SYNC_PROFILE = 'TeleportRolesAnywhereProfileSync';

/** A profile users get AWS sessions through, as Teleport shows it (one app per profile). */
export interface AccessProfileDeclaration {
  name: string;
  /** Role names or ARNs of the account; each is made to trust Roles Anywhere from the trust anchor. */
  roles: RoleRef[];
  durationSeconds: number;
  /** The profile's TeleportApplicationName tag: the app's name in Teleport. */
  applicationName: string | undefined;
}

export interface RolesAnywhereDeclaration {
  trustAnchor: string;
  syncRole: string;
  syncProfile: string;
  /** profile_sync_config.enabled: Teleport lists the account's profiles as apps every 5 minutes. */
  profileSync: boolean;
  /** profile_sync_config.profile_accepts_role_session_name. */
  acceptRoleSessionName: boolean;
  /** profile_sync_config.profile_name_filters: globs, or a regular expression inside ^...$. */
  profileFilters: string[];
  /** The access profiles this action keeps (optional; [] leaves the account's profiles alone). */
  profiles: AccessProfileDeclaration[];
}

const INPUT = 'roles-anywhere';
const EXAMPLE = "{ trust-anchor: TeleportRolesAnywhereIntegrationCA, profile-filters: ['prod-*', '^dev-.*$'] }";
const KEYS = ['trust-anchor', 'sync-role', 'sync-profile', 'profile-sync', 'accept-role-session-name', 'profile-filters', 'profiles'] as const;
const PROFILE_KEYS = ['name', 'roles', 'duration', 'application-name'];
const PROFILE_EXAMPLE = '{ profiles: [{ name: prod-readonly, roles: [ReadOnly], duration: 3600, application-name: aws-prod }] }';
// Roles Anywhere's TagValue (AWS's API model).
const TAG_VALUE = /^[ a-zA-Z0-9_.:/=+@-]{0,256}$/;
// Roles Anywhere's ResourceName (AWS's API model): 1 to 255 of letters, digits, spaces, - and _.
const RESOURCE_NAME = /^[ a-zA-Z0-9_-]{1,255}$/;

/** A DNS-1035 label: Teleport names the synced apps <profile>-<integration>.<proxy> and checks it (integrationv1/service.go). */
export const DNS_1035_LABEL = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;

function text(node: Node | null | undefined, key: string): string {
  const value: unknown = isScalar(node) ? node.value : undefined;
  if (typeof value !== 'string' && typeof value !== 'number') throw new InputError(INPUT, `${key} must be a single value`, EXAMPLE);
  return String(value).trim();
}

function flag(node: Node | null | undefined, key: string): boolean {
  const value: unknown = isScalar(node) ? node.value : undefined;
  if (typeof value !== 'boolean') throw new InputError(INPUT, `${key} must be true or false`, EXAMPLE);
  return value;
}

/**
 * Teleport's filter: a glob (`*` for any run of characters), or a regular expression when it starts
 * with ^ and ends with $ (Go's RE2; checked here with JavaScript's engine, which accepts a superset
 * of the common syntax: lookarounds and backreferences, which RE2 lacks, are refused too).
 */
export function filterProblem(filter: string): string | undefined {
  if (filter === '') return 'is empty';
  if (filter.startsWith('^') && filter.endsWith('$')) {
    if (/\(\?[=!<]|\\[1-9]/.test(filter)) return 'uses a lookaround or a backreference, which Teleport (Go, RE2) does not accept';
    try {
      new RegExp(filter);
    } catch (error) {
      return `is not a valid regular expression (${(error as Error).message})`;
    }
    return undefined;
  }
  if (/[\^$]/.test(filter)) return 'is neither a glob (no ^ or $) nor a regular expression inside ^...$';
  return undefined;
}

function parseProfiles(node: Node | null | undefined, syncProfile: string): AccessProfileDeclaration[] {
  const fail = (problem: string): never => {
    throw new InputError(INPUT, `profiles: ${problem}`, PROFILE_EXAMPLE);
  };
  if (!isSeq(node)) return fail('must be a list of profiles');
  const profiles: AccessProfileDeclaration[] = [];
  for (const item of node.items as Node[]) {
    if (!isMap(item)) fail('each profile is a mapping (name, roles, duration, application-name)');
    const pairs = new Map<string, Node | null>();
    for (const pair of (item as { items: Pair<Node, Node>[] }).items) {
      const key = text(pair.key, 'a profile key');
      if (!PROFILE_KEYS.includes(key)) fail(`unknown key "${key}" (known: ${PROFILE_KEYS.join(', ')})`);
      pairs.set(key, pair.value);
    }
    const name = pairs.has('name') ? text(pairs.get('name'), 'profiles: name') : fail('a profile has no name');
    if (!RESOURCE_NAME.test(name)) fail(`"${name}" is not a profile name (1 to 255 of letters, digits, spaces, - and _)`);
    if (name === syncProfile) fail(`"${name}" is the sync profile's name: access profiles are others`);
    if (profiles.some((p) => p.name === name)) fail(`"${name}" is listed twice`);
    const rolesNode = pairs.get('roles');
    const roleTexts = isSeq(rolesNode)
      ? (rolesNode.items as Node[]).map((n) => text(n, 'profiles: a role'))
      : rolesNode
        ? [text(rolesNode, 'profiles: roles')]
        : [];
    if (roleTexts.length === 0) fail(`${name}: roles is empty (the roles its sessions may take)`);
    const roles = parseRoleRefs(roleTexts);
    if ('problem' in roles) return fail(`${name}: ${roles.problem}`);
    const durationNode = pairs.get('duration');
    const durationSeconds = durationNode === undefined ? 3600 : Number(text(durationNode, 'profiles: duration'));
    if (!Number.isInteger(durationSeconds) || durationSeconds < 900 || durationSeconds > 43200) {
      fail(`${name}: duration must be whole seconds from 900 to 43200 (Roles Anywhere's range)`);
    }
    const applicationName = pairs.has('application-name') ? text(pairs.get('application-name'), 'profiles: application-name') : undefined;
    if (applicationName !== undefined && (applicationName === '' || !TAG_VALUE.test(applicationName))) {
      fail(`${name}: application-name "${applicationName}" is not a tag value Roles Anywhere takes (letters, digits, spaces and _ . : / = + @ -)`);
    }
    profiles.push({ name, roles, durationSeconds, applicationName });
  }
  return profiles;
}

/** The account the declared profiles' role ARNs name, if any names one. */
export function profileRolesAccount(declaration: RolesAnywhereDeclaration | undefined): string | undefined {
  return accountOfRefs(declaration?.profiles.flatMap((p) => p.roles) ?? []);
}

export function parseRolesAnywhere(raw: string): RolesAnywhereDeclaration | undefined {
  if (raw.trim() === '' || raw.trim() === 'false') return undefined;
  const document = parseDocument(raw, { uniqueKeys: true, prettyErrors: false });
  if (document.errors.length > 0) throw new InputError(INPUT, `is not valid YAML (${document.errors[0].message.split('\n')[0]})`, EXAMPLE);
  const root = document.contents;
  const pairs = new Map<string, Pair<Node, Node>>();
  if (isScalar(root) && root.value === true) {
    // `roles-anywhere: true`: Teleport's defaults throughout.
  } else if (isMap(root)) {
    for (const pair of root.items as Pair<Node, Node>[]) {
      const key = text(pair.key, 'a key');
      if (!(KEYS as readonly string[]).includes(key)) throw new InputError(INPUT, `unknown key "${key}" (known: ${KEYS.join(', ')})`, EXAMPLE);
      pairs.set(key, pair);
    }
  } else {
    throw new InputError(INPUT, 'must be a mapping of its keys, or true for Teleport defaults', EXAMPLE);
  }
  const named = (key: string, fallback: string, pattern: RegExp, rule: string) => {
    const value = pairs.has(key) ? text(pairs.get(key)!.value, key) : fallback;
    if (!pattern.test(value)) throw new InputError(INPUT, `${key} "${value}" is not valid (${rule})`, EXAMPLE);
    return value;
  };
  const resourceRule = '1 to 255 of letters, digits, spaces, - and _, as Roles Anywhere names';
  const filtersNode = pairs.get('profile-filters')?.value;
  const filters =
    filtersNode === undefined
      ? []
      : isSeq(filtersNode)
        ? (filtersNode.items as Node[]).map((n) => text(n, 'profile-filters'))
        : [text(filtersNode, 'profile-filters')];
  for (const filter of filters) {
    const problem = filterProblem(filter);
    if (problem) throw new InputError(INPUT, `profile-filters: "${filter}" ${problem}`, EXAMPLE);
  }
  const syncProfile = named('sync-profile', DEFAULT_SYNC_PROFILE, RESOURCE_NAME, resourceRule);
  return {
    trustAnchor: named('trust-anchor', DEFAULT_TRUST_ANCHOR, RESOURCE_NAME, resourceRule),
    syncRole: named('sync-role', DEFAULT_SYNC_ROLE, ROLE_NAME, 'an IAM role name: 1 to 64 of letters, digits and + = , . @ _ -'),
    syncProfile,
    profiles: pairs.has('profiles') ? parseProfiles(pairs.get('profiles')!.value, syncProfile) : [],
    profileSync: pairs.has('profile-sync') ? flag(pairs.get('profile-sync')!.value, 'profile-sync') : true,
    acceptRoleSessionName: pairs.has('accept-role-session-name') ? flag(pairs.get('accept-role-session-name')!.value, 'accept-role-session-name') : false,
    profileFilters: [...new Set(filters)],
  };
}
