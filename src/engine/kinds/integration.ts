/** The Teleport `integration` resource (aws-oidc) pointing at the role. */
import type { Deletion } from '../../model/changes.js';
import { applyIntegrationChange, isIntegrationChange, planIntegration, planIntegrationRemoval } from '../../resources/teleport/integration.js';
import { kindOf, teleportOf, teleportRead } from './kind.js';
import { INTEGRATIONS_KEY } from '../plan.js';

type IntegrationDeletion = Extract<Deletion, { action: 'delete-integration' }>;

export const INTEGRATION = kindOf({
  kind: 'Teleport integration',
  resources: ['teleport-integration'],
  // A Teleport failure must not stop the AWS side: it is reported once AWS is reconciled.
  observe: async ({ settings, deps: { tctl, shared } }) => {
    if (!tctl) return { observed: {} };
    const { value, error } = await teleportRead(
      shared
        ? // Several integrations in one run: one listing for all of them.
          shared.read(INTEGRATIONS_KEY, () => tctl.list()).then((all) => all.find((i) => i.metadata?.name === settings.integration))
        : tctl.get(settings.integration),
    );
    return { observed: { integration: value }, teleportError: error };
  },
  plan: ({ observed, desired }) => (desired.integration && !observed.teleportError ? planIntegration(observed.integration, desired.integration) : []),
  owns: isIntegrationChange,
  apply: async (change, context) => void context.logger.info(await applyIntegrationChange(teleportOf(context), change)),
  rows: ({ desired }, settings) => ({ 'teleport-integration': { target: settings.integration, unchanged: `exists with role_arn ${desired.roleArn}` } }),
  destruction: {
    observe: async ({ settings, deps: { tctl }, mustRead }) => ({
      integration: tctl ? await mustRead(tctl.get(settings.integration), 'the Teleport integration must be checked before the role it uses goes.') : undefined,
    }),
    plan: ({ teleport, observed, settings, roleArns }) =>
      teleport ? (planIntegrationRemoval(observed.integration, settings.integration, roleArns) as Deletion[]) : [],
    deletes: (change): change is IntegrationDeletion => change.action === 'delete-integration',
    delete: async (change: IntegrationDeletion, context) => void context.logger.info(await teleportOf(context).remove(change.name, 'integration')),
  },
});
