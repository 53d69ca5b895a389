/** The IAM OpenID Connect provider for the cluster's issuer. */
import type { Deletion } from '../../model/changes.js';
import {
  applyProviderChange,
  deleteProvider,
  isProviderChange,
  observeProvider,
  planProvider,
  planProviderDeletion,
} from '../../resources/aws/oidc-provider.js';
import { providerKey, shareable } from '../plan.js';
import { kindOf } from './kind.js';
import { ownershipTags } from '../../resources/aws/tags.js';
import { findTrustingRoles } from '../../resources/aws/trusting-roles.js';

type ProviderDeletion = Extract<Deletion, { action: 'delete-provider' }>;

export const OIDC_PROVIDER = kindOf({
  kind: 'OIDC provider',
  resources: ['oidc-provider'],
  // Several integrations of one cluster share it: read once per run.
  observe: async ({ settings, deps, identity }) => {
    const arn = `arn:${identity.partition}:iam::${identity.account}:oidc-provider/${settings.issuer.host}`;
    return { observed: { provider: await shareable(deps, providerKey(arn), () => observeProvider(deps.aws, arn)) } };
  },
  plan: ({ observed, desired, settings }) =>
    planProvider(observed.provider, desired, observed.chain?.thumbprint, { adoptExisting: settings.adoptExistingProvider }),
  owns: isProviderChange,
  apply: (change, { aws, desired, thumbprint, settings }) =>
    applyProviderChange(aws, change, desired, thumbprint, { adoptExisting: settings.adoptExistingProvider }),
  rows: ({ desired, observed }) => ({
    'oidc-provider': {
      target: desired.providerArn,
      unchanged: `exists with audience ${desired.clientId}${observed.chain ? ` and thumbprint ${observed.chain.thumbprint}` : ''}`,
    },
  }),
  destruction: {
    // The provider, and the other roles that trust it (their labels need the cluster's name).
    observe: async ({ settings, deps: { aws }, identity, clusterName }) => {
      const arn = `arn:${identity.partition}:iam::${identity.account}:oidc-provider/${settings.issuer.host}`;
      const [provider, trusting] = await Promise.all([
        observeProvider(aws, arn),
        clusterName.then((cluster) => findTrustingRoles(aws, arn, settings.roleName, ownershipTags(cluster ?? '', settings.integration))),
      ]);
      return { provider, trusting };
    },
    plan: (context) => {
      const { observed, settings, clusterName, taggedIntegrationExists } = context;
      const plan = planProviderDeletion(observed.provider, settings.integration, clusterName, observed.trusting, taggedIntegrationExists);
      context.providerKept = plan.kept;
      return plan.changes as Deletion[];
    },
    deletes: (change): change is ProviderDeletion => change.action === 'delete-provider',
    delete: (change: ProviderDeletion, { aws }) => deleteProvider(aws, change.target),
  },
});
