/** The Teleport `discovery_config` whose matchers use the integration. */
import { RefusalError } from '../../errors.js';
import type { Deletion } from '../../model/changes.js';
import {
  applyDiscoveryConfigChange,
  foreignReferences,
  isDiscoveryConfigChange,
  planDiscoveryConfig,
  planDiscoveryConfigRemoval,
  defaultDiscoveryConfigName,
} from '../../resources/teleport/discovery-config.js';
import { kindOf, teleportOf, teleportRead } from './kind.js';
import { count } from '../../text.js';
import type { DiscoveryConfigResource } from '../../model/teleport.js';
import type { UserTaskResource } from '../../resources/teleport/discovery-health.js';
import { DISCOVERY_CONFIGS_KEY, shareable } from '../plan.js';

type ConfigDeletion = Extract<Deletion, { action: 'delete-discovery-config' }>;

export const DISCOVERY_CONFIG = kindOf({
  kind: 'Teleport discovery_config',
  resources: ['teleport-discovery-config'],
  // One listing gives ours and, in check mode, the ones made elsewhere that use this integration (and, with discovery, the user tasks).
  observe: async ({ settings, deps }) => {
    const { tctl, logger } = deps;
    const discovery = tctl ? settings.discovery : undefined;
    if (!tctl || !(discovery || settings.mode === 'check')) return { observed: {} };
    const [listing, tasks] = await Promise.all([
      teleportRead(shareable(deps, DISCOVERY_CONFIGS_KEY, () => tctl.listAll<DiscoveryConfigResource>('discovery_config'))),
      discovery && settings.mode === 'check'
        ? teleportRead(shareable(deps, 'tctl:user_tasks', () => tctl.listAll<UserTaskResource>('user_tasks')))
        : { value: undefined, error: undefined },
    ]);
    // Without discovery declared, the listing is only a courtesy of check mode: a role that may not list them loses nothing.
    if (!discovery && listing.error) logger.info(`discovery_configs not read (${listing.error.message.split('.')[0]}); discovery is not declared`);
    const name = discovery && (discovery.name ?? defaultDiscoveryConfigName(settings.integration));
    return {
      observed: {
        discoveryConfigs: listing.value,
        discoveryConfig: name ? listing.value?.find((c) => c.metadata?.name === name) : undefined,
        userTasks: tasks.value,
      },
      teleportError: (discovery ? listing.error : undefined) ?? tasks.error,
    };
  },
  plan: ({ observed, desired, settings }) => {
    const discovery = desired.discovery;
    if (!discovery || observed.teleportError) return [];
    return planDiscoveryConfig(observed.discoveryConfig, discovery.config, {
      adoptExisting: settings.adoptExistingDiscovery,
      integration: settings.integration,
    });
  },
  owns: isDiscoveryConfigChange,
  apply: async (change, context) => void context.logger.info(await applyDiscoveryConfigChange(teleportOf(context), change)),
  rows: ({ desired }) => {
    const discovery = desired.discovery;
    if (!discovery) return {};
    return {
      'teleport-discovery-config': {
        target: `discovery_config/${discovery.config.metadata.name}`,
        unchanged: `group ${discovery.group}, ${count(discovery.config.spec.aws?.length ?? 0, 'matcher')} through this integration, every declared field as declared`,
      },
    };
  },
  destruction: {
    // Deleting an integration that a discovery_config still uses breaks that config: every one is looked at.
    observe: async ({ deps: { tctl }, mustRead }) => ({
      discoveryConfigs: tctl
        ? await mustRead(
            tctl.listAll<DiscoveryConfigResource>('discovery_config'),
            'the discovery_configs that use the integration must be checked before it goes.',
          )
        : [],
    }),
    plan: ({ observed, settings, refuse }) => {
      // Deleting an integration another discovery_config uses would break it: each one stops the destroy.
      for (const config of foreignReferences(observed.discoveryConfigs, settings.integration)) {
        refuse(
          new RefusalError(
            'teleport-discovery-config',
            `discovery_config ${config.metadata.name} uses integration ${settings.integration} and is not this action's (made in the web UI, by hand or by another tool): ` +
              'deleting the integration would break it. Remove its matchers for the integration, or delete it, then run destroy again. Nothing was deleted.',
            `discovery_config/${config.metadata.name}`,
          ),
        );
      }
      return planDiscoveryConfigRemoval(observed.discoveryConfigs, settings.integration) as Deletion[];
    },
    deletes: (change): change is ConfigDeletion => change.action === 'delete-discovery-config',
    delete: async (change: ConfigDeletion, context) => void context.logger.info(await teleportOf(context).remove(change.name, 'discovery_config')),
  },
});
