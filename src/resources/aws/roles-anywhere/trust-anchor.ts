/**
 * The Roles Anywhere trust anchor that trusts the cluster's `awsra` CA: a CERTIFICATE_BUNDLE of the
 * CA's current certificates (both during a rotation), enabled, tagged as Teleport tags it. Rotating
 * the CA in Teleport leaves the anchor with the old certificate and every session failing: check
 * says so, apply writes the new bundle.
 */
import type { Aws } from '../../../clients/aws.js';
import { RefusalError } from '../../../errors.js';
import type { Change, FieldDiff } from '../../../model/changes.js';
import type { DesiredTrustAnchor, TrustAnchorState } from '../../../model/roles-anywhere.js';
import { missingTags, tagList } from '../tags.js';
import { allRaPages, deleteRa, notOwned, readRaTags, rememberCreated, toRaTags } from './common.js';
import { unshared, type Share } from '../trusting-roles.js';

interface TrustAnchorDetail {
  trustAnchorId: string;
  trustAnchorArn: string;
  name: string;
  enabled?: boolean;
  source?: { sourceType?: string; sourceData?: { x509CertificateData?: string } };
}

/** Each PEM certificate of a bundle, its base64 body on one line: two bundles compare by their certificates, not their line breaks. */
export function pemCertificates(bundle: string): string[] {
  return [...bundle.matchAll(/-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g)].map(
    (m) => `-----BEGIN CERTIFICATE-----\n${m[1].replace(/\s+/g, '')}\n-----END CERTIFICATE-----`,
  );
}

export const bundleOf = (certificates: string[]): string => certificates.map((c) => `${c}\n`).join('');

function stateOf(detail: TrustAnchorDetail, tags: TrustAnchorState['tags']): TrustAnchorState {
  return {
    id: detail.trustAnchorId,
    arn: detail.trustAnchorArn,
    name: detail.name,
    enabled: detail.enabled === true,
    sourceType: detail.source?.sourceType ?? '',
    certificates: pemCertificates(detail.source?.sourceData?.x509CertificateData ?? ''),
    tags,
  };
}

/**
 * The trust anchors of that name (names are not unique in Roles Anywhere: planning refuses more
 * than one). With `share`, a run of many entries lists the region's anchors once.
 */
export async function observeTrustAnchors(aws: Aws, name: string, share: Share = unshared): Promise<TrustAnchorState[]> {
  const all = await share('rolesanywhere:trust-anchors', () => allRaPages<TrustAnchorDetail>(aws, 'ListTrustAnchors', '/trustanchors', 'trustAnchors'));
  return Promise.all(all.filter((a) => a.name === name).map(async (a) => stateOf(a, await readRaTags(aws, a.trustAnchorArn))));
}

/** The ARN of the trust anchor of that name (no tags read): what a pending ARN becomes. */
export async function trustAnchorArnByName(aws: Aws, name: string): Promise<string | undefined> {
  const named = (await allRaPages<TrustAnchorDetail>(aws, 'ListTrustAnchors', '/trustanchors', 'trustAnchors')).filter((a) => a.name === name);
  return named.length === 1 ? named[0].trustAnchorArn : undefined;
}

/** The one trust anchor of that name; more than one is refused, naming them. */
export function onlyTrustAnchor(named: TrustAnchorState[], name: string): TrustAnchorState | undefined {
  if (named.length > 1) {
    throw new RefusalError(
      'trust-anchor',
      `${named.length} Roles Anywhere trust anchors are named ${name} (${named.map((a) => a.arn).join(', ')}): which one is the integration's cannot be told. Rename or delete the others.`,
    );
  }
  return named[0];
}

const short = (pem: string) => `${pem.split('\n')[1]?.slice(0, 16) ?? '?'}…`;

export function planTrustAnchor(live: TrustAnchorState | undefined, wanted: DesiredTrustAnchor, integration: string): Change[] {
  if (!live) {
    return [
      {
        action: 'create-trust-anchor',
        resource: 'trust-anchor',
        target: wanted.name,
        reason: `trusts the cluster's awsra CA (${wanted.certificates.length} certificate${wanted.certificates.length === 1 ? '' : 's'}), enabled`,
        after: wanted,
      },
    ];
  }
  const why = notOwned(live.tags, integration);
  if (why) {
    throw new RefusalError(
      'trust-anchor',
      `Roles Anywhere trust anchor ${live.name} (${live.arn}) is not owned by this integration: ${why} (${tagList(live.tags)}). It is never changed. ` +
        'Choose another trust-anchor under roles-anywhere, or tag it for this integration once checked.',
      live.arn,
    );
  }
  const fields: FieldDiff[] = [];
  const missing = wanted.certificates.filter((c) => !live.certificates.includes(c));
  const stale = live.certificates.filter((c) => !wanted.certificates.includes(c));
  const sourceDiffers = live.sourceType !== 'CERTIFICATE_BUNDLE' || missing.length > 0 || stale.length > 0;
  if (sourceDiffers) {
    fields.push({
      field: 'source.x509CertificateData',
      live:
        live.sourceType === 'CERTIFICATE_BUNDLE' ? `${live.certificates.length} certificate(s): ${live.certificates.map(short).join(', ')}` : live.sourceType,
      declared: `the cluster's awsra CA: ${wanted.certificates.map(short).join(', ')}`,
    });
  }
  if (!live.enabled) fields.push({ field: 'enabled', live: 'false', declared: 'true' });
  const tags = missingTags(live.tags, wanted.tags);
  if (fields.length === 0 && Object.keys(tags).length === 0) return [];
  const reasons = [
    ...(missing.length > 0
      ? [
          `it lacks ${missing.length} of the cluster's current awsra CA certificates (the CA was rotated, or the bundle edited): every AWS session through it fails until the bundle holds them. ` +
            'Apply writes the bundle (by hand: tctl auth export --type awsra, then UpdateTrustAnchor)',
        ]
      : []),
    ...(missing.length === 0 && stale.length > 0 ? [`it still trusts ${stale.length} certificate(s) the CA no longer has`] : []),
    ...(live.sourceType !== 'CERTIFICATE_BUNDLE' ? [`its source is ${live.sourceType}, not the CA's certificate bundle`] : []),
    ...(!live.enabled ? ['it is disabled: Roles Anywhere refuses every session through it'] : []),
    ...(Object.keys(tags).length > 0 ? [`tags missing: ${tagList(tags)}`] : []),
  ];
  return [
    {
      action: 'update-trust-anchor',
      resource: 'trust-anchor',
      target: live.arn,
      reason: reasons.join('; '),
      trustAnchorId: live.id,
      fields,
      certificates: sourceDiffers ? wanted.certificates : undefined,
      enable: !live.enabled,
      tags: Object.keys(tags).length > 0 ? tags : undefined,
    },
  ];
}

type TrustAnchorChange = Extract<Change, { action: 'create-trust-anchor' | 'update-trust-anchor' }>;
export const isTrustAnchorChange = (change: Change): change is TrustAnchorChange =>
  change.action === 'create-trust-anchor' || change.action === 'update-trust-anchor';

export async function applyTrustAnchorChange(aws: Aws, change: TrustAnchorChange): Promise<void> {
  if (change.action === 'create-trust-anchor') {
    const { name, certificates, tags } = change.after;
    const { trustAnchor } = await aws.rolesAnywhere<{ trustAnchor?: { trustAnchorArn?: string } }>('CreateTrustAnchor', {
      method: 'POST',
      path: '/trustanchors',
      body: {
        name,
        source: { sourceType: 'CERTIFICATE_BUNDLE', sourceData: { x509CertificateData: bundleOf(certificates) } },
        enabled: true,
        tags: toRaTags(tags),
      },
    });
    if (trustAnchor?.trustAnchorArn) rememberCreated(aws, 'trust-anchor', name, trustAnchor.trustAnchorArn);
    return;
  }
  const id = encodeURIComponent(change.trustAnchorId);
  if (change.certificates) {
    await aws.rolesAnywhere('UpdateTrustAnchor', {
      method: 'PATCH',
      path: `/trustanchor/${id}`,
      body: { source: { sourceType: 'CERTIFICATE_BUNDLE', sourceData: { x509CertificateData: bundleOf(change.certificates) } } },
    });
  }
  if (change.enable) await aws.rolesAnywhere('EnableTrustAnchor', { method: 'POST', path: `/trustanchor/${id}/enable` });
  if (change.tags)
    await aws.rolesAnywhere('TagResource', { method: 'POST', path: '/TagResource', body: { resourceArn: change.target, tags: toRaTags(change.tags) } });
}

export function planTrustAnchorDeletion(live: TrustAnchorState | undefined, integration: string): Change[] {
  if (!live || notOwned(live.tags, integration)) return [];
  return [{ action: 'delete-trust-anchor', resource: 'trust-anchor', target: live.arn, reason: `tagged for ${integration}`, trustAnchorId: live.id }];
}

export const deleteTrustAnchor = (aws: Aws, trustAnchorId: string): Promise<void> =>
  deleteRa(aws, 'DeleteTrustAnchor', `/trustanchor/${encodeURIComponent(trustAnchorId)}`);
