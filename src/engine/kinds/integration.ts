/** The Teleport `integration` resource (aws-oidc) pointing at the role. */
import type { Deletion } from '../../model/changes.js';
import { applyIntegrationChange, isIntegrationChange, planIntegration, planIntegrationRemoval } from '../../resources/teleport/integration.js';
import { kindOf, teleportOf, teleportRead } from './kind.js';
import { TctlError } from '../../clients/tctl.js';
import { INTEGRATIONS_KEY } from '../plan.js';
import { deleteCascades, planCascade, readAppServersOf } from '../../resources/teleport/app-servers.js';

type IntegrationDeletion = Extract<Deletion, { action: 'delete-integration' }>;

/**
 * Teleport refuses to delete an integration External Audit Storage or an AWS Identity Center
 * plugin still uses (lib/services/local/integrations.go): said with the fix.
 */
function integrationInUse(error: unknown, name: string): Error | undefined {
  if (!(error instanceof TctlError)) return undefined;
  if (/referenced by External Audit Storage integration/.test(error.message)) {
    return new Error(
      `Teleport refuses to delete integration ${name}: External Audit Storage still uses it. ` +
        'Disable External Audit Storage in the web UI (or point it at another integration), then run destroy again: what was deleted stays deleted, the rest follows.',
      { cause: error },
    );
  }
  const plugin = /referenced by AWS Identity Center integration "([^"]*)"/.exec(error.message);
  if (plugin) {
    return new Error(
      `Teleport refuses to delete integration ${name}: the AWS Identity Center integration ${plugin[1]} still uses it. ` +
        `Remove that Identity Center integration first (web UI, or tctl plugins), then run destroy again.`,
      { cause: error },
    );
  }
  return undefined;
}

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
    observe: async ({ settings, deps: { tctl }, mustRead, serverVersion }) => {
      if (!tctl) return { integration: undefined, serverVersion: undefined, appServers: undefined };
      const [integration, version] = await Promise.all([
        mustRead(tctl.get(settings.integration), 'the Teleport integration must be checked before the role it uses goes.'),
        serverVersion,
      ]);
      // Only a cluster that deletes them with the integration (or one whose version is unknown) has its app servers read.
      const appServers =
        integration && deleteCascades(version)
          ? await mustRead(readAppServersOf(tctl, settings.integration), 'the app servers Teleport deletes with the integration must be known first.')
          : undefined;
      return { integration, serverVersion: version, appServers };
    },
    plan: ({ teleport, observed, settings, roleArns, notes, refuse }) => {
      if (!teleport) return [];
      const changes = planIntegrationRemoval(observed.integration, settings.integration, roleArns) as Deletion[];
      if (changes.length > 0 && observed.appServers) {
        for (const refusal of planCascade(observed.appServers, settings.confirmAppServers, settings.integration, observed.serverVersion, notes))
          refuse(refusal);
      }
      // Teleport refuses the deletion while these use the integration; nothing here can read them.
      const users = settings.features.flatMap((f) =>
        f.key === 'external-audit-storage' ? ['External Audit Storage'] : f.key === 'identity-center' ? ['an AWS Identity Center integration'] : [],
      );
      if (changes.length > 0 && users.length > 0) {
        notes.push(
          `features declares what ${users.join(' and ')} uses: Teleport refuses to delete integration ${settings.integration} while ${users.join(' or ')} still uses it. ` +
            'Turn it off in the web UI first, or the destroy stops at the integration (a re-run then completes it).',
        );
      }
      return changes;
    },
    deletes: (change): change is IntegrationDeletion => change.action === 'delete-integration',
    delete: async (change: IntegrationDeletion, context) => {
      try {
        context.logger.info(await teleportOf(context).remove(change.name, 'integration'));
      } catch (error) {
        throw integrationInUse(error, change.name) ?? error;
      }
    },
  },
});
