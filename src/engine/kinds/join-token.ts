/** The EC2 join token discovered instances join with (before the discovery_config that names it). */
import type { Deletion } from '../../model/changes.js';
import { applyJoinTokenChange, isJoinTokenChange, planJoinToken, planJoinTokenRemoval } from '../../resources/teleport/join-token.js';
import { kindOf, teleportOf, teleportRead } from './kind.js';
import type { JoinTokenResource } from '../../model/teleport.js';
import { joinTokenName } from '../desired.js';
import { shareable, tokenKey } from '../plan.js';

type TokenDeletion = Extract<Deletion, { action: 'delete-join-token' }>;

export const JOIN_TOKEN = kindOf({
  kind: 'Teleport join token',
  resources: ['teleport-join-token'],
  // By name only: listing tokens would read every other token of the cluster.
  observe: async ({ settings, deps }) => {
    const { tctl } = deps;
    const name = tctl && settings.discovery ? joinTokenName(settings) : undefined;
    if (!tctl || !name) return { observed: {} };
    const { value, error } = await teleportRead(shareable(deps, tokenKey(name), () => tctl.getOne<JoinTokenResource>('token', name)));
    return { observed: { joinToken: value }, teleportError: error };
  },
  plan: ({ observed, desired, settings }) => {
    const token = desired.discovery?.token;
    if (!token || observed.teleportError) return [];
    return planJoinToken(observed.joinToken, token, { adoptExisting: settings.adoptExistingDiscovery, integration: settings.integration });
  },
  owns: isJoinTokenChange,
  apply: async (change, context) => void context.logger.info(await applyJoinTokenChange(teleportOf(context), change)),
  rows: ({ desired }) => {
    const token = desired.discovery?.token;
    if (!token) return {};
    const allowed = desired.organization ? `organization ${desired.organization.identity.id}` : `account ${desired.account}`;
    return {
      'teleport-join-token': { target: `token/${token.metadata.name}`, unchanged: `join method iam, role Node, ${allowed}, labelled for this integration` },
    };
  },
  destruction: {
    observe: async ({ settings, deps: { tctl, logger }, mustRead }) => {
      const name = joinTokenName(settings);
      if (!tctl || !name) return { joinToken: undefined };
      if (settings.discovery)
        return { joinToken: await mustRead(tctl.getOne<JoinTokenResource>('token', name), 'the join token must be checked before it goes.') };
      // Discovery not declared: a token of ours left from before goes too, where the role may read tokens.
      const { value, error } = await teleportRead(tctl.getOne<JoinTokenResource>('token', name));
      if (error) logger.info(`token ${name} not read (${error.message.split('.')[0]}); discovery is not declared`);
      return { joinToken: value };
    },
    plan: ({ observed, settings }) => planJoinTokenRemoval(observed.joinToken, settings.integration) as Deletion[],
    deletes: (change): change is TokenDeletion => change.action === 'delete-join-token',
    delete: async (change: TokenDeletion, context) => void context.logger.info(await teleportOf(context).remove(change.name, 'token')),
  },
});
