/**
 * The `roles-anywhere` input: the entry is Teleport's IAM Roles Anywhere integration (sub_kind
 * aws-ra) instead of aws-oidc. What `teleport integration configure awsra-trust-anchor` makes
 * (shared/reference/roles-anywhere.md), with its names as defaults. Every problem is an InputError
 * naming the key, before any call.
 */
import { isMap, isScalar, isSeq, parseDocument, type Node, type Pair } from 'yaml';
import { InputError } from '../errors.js';

/** Teleport's defaults (docs aws-console-roles-anywhere.mdx; lib/integrations/awsra/trustanchor_config.go). */
export const DEFAULT_TRUST_ANCHOR = 'TeleportRolesAnywhereIntegrationCA';
export const DEFAULT_SYNC_ROLE = 'TeleportRolesAnywhereProfileSync';
export const DEFAULT_SYNC_PROFILE = 'TeleportRolesAnywhereProfileSync';

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
}

const INPUT = 'roles-anywhere';
const EXAMPLE = "{ trust-anchor: TeleportRolesAnywhereIntegrationCA, profile-filters: ['prod-*', '^dev-.*$'] }";
const KEYS = ['trust-anchor', 'sync-role', 'sync-profile', 'profile-sync', 'accept-role-session-name', 'profile-filters'] as const;
// Roles Anywhere's ResourceName (AWS's API model): 1 to 255 of letters, digits, spaces, - and _.
const RESOURCE_NAME = /^[ a-zA-Z0-9_-]{1,255}$/;
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;

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
  return {
    trustAnchor: named('trust-anchor', DEFAULT_TRUST_ANCHOR, RESOURCE_NAME, resourceRule),
    syncRole: named('sync-role', DEFAULT_SYNC_ROLE, ROLE_NAME, 'an IAM role name: 1 to 64 of letters, digits and + = , . @ _ -'),
    syncProfile: named('sync-profile', DEFAULT_SYNC_PROFILE, RESOURCE_NAME, resourceRule),
    profileSync: pairs.has('profile-sync') ? flag(pairs.get('profile-sync')!.value, 'profile-sync') : true,
    acceptRoleSessionName: pairs.has('accept-role-session-name') ? flag(pairs.get('accept-role-session-name')!.value, 'accept-role-session-name') : false,
    profileFilters: [...new Set(filters)],
  };
}
