/**
 * mode import, one aws-ra integration (made by `teleport integration configure awsra-trust-anchor`
 * or the web UI): its trust anchor and sync profile named by the ARNs its spec holds, as a
 * config-file entry with `roles-anywhere`. Reads only; the self-check then plans it like any entry.
 */
import type { Aws, CallerIdentity } from '../clients/aws.js';
import { DEFAULT_SYNC_PROFILE, DEFAULT_SYNC_ROLE, DEFAULT_TRUST_ANCHOR } from '../config/roles-anywhere.js';
import type { ImportedEntry, NotImported } from '../model/import-result.js';
import type { AwsRaIntegrationResource } from '../model/roles-anywhere.js';
import { allRaPages } from '../resources/aws/roles-anywhere/common.js';

interface Named {
  name: string;
  arn: string;
}

/** Every trust anchor and profile of the region by ARN: two lists for however many integrations. */
export async function readRaNames(aws: Aws): Promise<Map<string, string>> {
  const [anchors, profiles] = await Promise.all([
    allRaPages<{ name: string; trustAnchorArn: string }>(aws, 'ListTrustAnchors', '/trustanchors', 'trustAnchors'),
    allRaPages<{ name: string; profileArn: string }>(aws, 'ListProfiles', '/profiles', 'profiles'),
  ]);
  const named: Named[] = [...anchors.map((a) => ({ name: a.name, arn: a.trustAnchorArn })), ...profiles.map((p) => ({ name: p.name, arn: p.profileArn }))];
  return new Map(named.map((n) => [n.arn, n.name]));
}

const ARN = /^arn:(aws[a-z-]*):(rolesanywhere|iam):([a-z0-9-]*):(\d{12}):(?:trust-anchor|profile|role)\/(.+)$/;

export function readRaEntry(
  integration: AwsRaIntegrationResource,
  names: Map<string, string>,
  identity: CallerIdentity,
  region: string,
): ImportedEntry | NotImported {
  const name = integration.metadata.name;
  const ra = integration.spec?.aws_ra;
  const sync = ra?.profile_sync_config ?? {};
  const anchorArn = ra?.trust_anchor_arn ?? '';
  const anchor = ARN.exec(anchorArn);
  if (!anchor) return { integration: name, reason: `its trust_anchor_arn "${anchorArn}" is not a Roles Anywhere trust anchor ARN` };
  if (anchor[4] !== identity.account) {
    return {
      integration: name,
      reason: `its trust anchor is in account ${anchor[4]}, the credentials are for ${identity.account}: import it with that account's`,
    };
  }
  if (anchor[3] !== region)
    return { integration: name, reason: `its trust anchor is in ${anchor[3]}, the job's region is ${region}: import it from a job in ${anchor[3]}` };
  const anchorName = names.get(anchorArn);
  if (!anchorName) return { integration: name, reason: `its trust anchor ${anchorArn} does not exist: Teleport cannot use this integration` };
  const profileName = sync.profile_arn ? names.get(sync.profile_arn) : undefined;
  if (sync.profile_arn && !profileName) return { integration: name, reason: `its sync profile ${sync.profile_arn} does not exist` };
  const roleName = sync.role_arn ? ARN.exec(sync.role_arn)?.[5] : undefined;
  const declaration: Record<string, unknown> = {
    ...(anchorName !== DEFAULT_TRUST_ANCHOR ? { 'trust-anchor': anchorName } : {}),
    ...(roleName && roleName !== DEFAULT_SYNC_ROLE ? { 'sync-role': roleName } : {}),
    ...(profileName && profileName !== DEFAULT_SYNC_PROFILE ? { 'sync-profile': profileName } : {}),
    ...(sync.enabled === false ? { 'profile-sync': false } : {}),
    ...(sync.profile_accepts_role_session_name ? { 'accept-role-session-name': true } : {}),
    ...((sync.profile_name_filters ?? []).length > 0 ? { 'profile-filters': sync.profile_name_filters } : {}),
  };
  return {
    integration: name,
    roleArn: sync.role_arn ?? `arn:${identity.partition}:iam::${identity.account}:role/${DEFAULT_SYNC_ROLE}`,
    entry: { integration: name, 'account-id': identity.account, 'roles-anywhere': Object.keys(declaration).length > 0 ? declaration : true },
    notes: [],
    commentedDiscovery: undefined,
    pending: [],
  };
}
