/** The Roles Anywhere trust anchor holding the cluster's awsra CA (resources/aws/roles-anywhere/trust-anchor.ts). */
import type { Deletion } from '../../../model/changes.js';
import {
  applyTrustAnchorChange,
  deleteTrustAnchor,
  isTrustAnchorChange,
  observeTrustAnchors,
  onlyTrustAnchor,
  planTrustAnchor,
  planTrustAnchorDeletion,
} from '../../../resources/aws/roles-anywhere/trust-anchor.js';
import { kindOf } from '../kind.js';
import { shareable } from '../../plan.js';

type TrustAnchorDeletion = Extract<Deletion, { action: 'delete-trust-anchor' }>;

export const TRUST_ANCHOR = kindOf({
  kind: 'Roles Anywhere trust anchor',
  resources: ['trust-anchor'],
  // A run of many entries lists the region's trust anchors once.
  observe: async ({ settings, deps }) => ({
    observed: { trustAnchors: await observeTrustAnchors(deps.aws, settings.rolesAnywhere!.trustAnchor, (key, read) => shareable(deps, key, read)) },
  }),
  plan: ({ observed, desired, settings }) => {
    const wanted = desired.rolesAnywhere!.trustAnchor;
    const live = onlyTrustAnchor(observed.trustAnchors ?? [], wanted.name);
    // Without the CA's certificates (tctl failed) the bundle is unknown: never written empty.
    if (wanted.certificates.length === 0) return [];
    return planTrustAnchor(live, wanted, settings.integration);
  },
  owns: isTrustAnchorChange,
  apply: async (change, { aws }) => void (await applyTrustAnchorChange(aws, change)),
  rows: ({ desired, observed }) => ({
    'trust-anchor': {
      target: observed.trustAnchors?.[0]?.arn ?? desired.rolesAnywhere!.trustAnchor.name,
      unchanged: `enabled, holding the cluster's ${desired.rolesAnywhere!.trustAnchor.certificates.length} current awsra CA certificate(s), tagged for this integration`,
    },
  }),
  destruction: {
    observe: async ({ settings, deps }) => ({
      trustAnchors: await observeTrustAnchors(deps.aws, settings.rolesAnywhere!.trustAnchor, (key, read) => shareable(deps, key, read)),
    }),
    plan: ({ observed, settings }) =>
      planTrustAnchorDeletion(onlyTrustAnchor(observed.trustAnchors ?? [], settings.rolesAnywhere!.trustAnchor), settings.integration) as Deletion[],
    deletes: (change): change is TrustAnchorDeletion => change.action === 'delete-trust-anchor',
    delete: (change: TrustAnchorDeletion, { aws }) => deleteTrustAnchor(aws, change.trustAnchorId),
  },
});
