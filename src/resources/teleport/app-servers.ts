/**
 * The AWS app servers (console and CLI access) whose app uses an integration: made by the web UI
 * when a user enrols AWS access, never by this action. Teleport 18.2.10+ deletes them with the
 * integration (model/teleport-versions.ts, INTEGRATION_DELETE_CASCADE), so destroy lists them
 * first and lets them go only when confirmed by name.
 */
import type { Tctl } from '../../clients/tctl.js';
import { RefusalError } from '../../errors.js';
import { INTEGRATION_DELETE_CASCADE, olderThan } from '../../model/teleport-versions.js';
import type { AppServerResource } from '../../model/teleport.js';

/** Whether deleting the integration takes its app servers: yes from 18.2.10, and, unknown, assumed so (the safe side). */
export function deleteCascades(serverVersion: string | undefined): boolean {
  return serverVersion === undefined || olderThan(serverVersion, INTEGRATION_DELETE_CASCADE.minimum) !== true;
}

export async function readAppServersOf(tctl: Tctl, integration: string): Promise<AppServerResource[]> {
  const all = await tctl.listAll<AppServerResource>('app_server');
  return all.filter((server) => server.spec?.app?.spec?.integration === integration);
}

/** The names a reviewer reads; an app server is named after its app. */
export const appServerName = (server: AppServerResource): string => server.metadata?.name ?? server.spec?.app?.metadata?.name ?? '?';

/**
 * Each app server that would go unconfirmed is a refusal; what goes confirmed, and confirmations
 * that match nothing, are said in the plan's notes.
 */
export function planCascade(
  appServers: AppServerResource[],
  confirmed: string[],
  integration: string,
  serverVersion: string | undefined,
  notes: string[],
): RefusalError[] {
  const cluster = serverVersion === undefined ? 'The cluster (its version could not be read: assumed 18.2.10 or newer)' : `Teleport ${serverVersion}`;
  const names = appServers.map(appServerName);
  const refusals = names
    .filter((name) => !confirmed.includes(name))
    .map(
      (name) =>
        new RefusalError(
          'teleport-integration',
          `app server ${name} gives AWS access through integration ${integration} and is not this action's (the web UI makes them): ` +
            `${cluster} deletes it with the integration. Confirm it may go with confirm-app-servers: ${name}, or move it to another integration, then run destroy again. Nothing was deleted.`,
          `app_server/${name}`,
        ),
    );
  const going = names.filter((name) => confirmed.includes(name));
  if (going.length > 0)
    notes.push(`${cluster} deletes with integration ${integration} its app servers ${going.join(', ')} (confirmed by confirm-app-servers).`);
  const unmatched = confirmed.filter((name) => !names.includes(name));
  if (unmatched.length > 0)
    notes.push(`confirm-app-servers names ${unmatched.join(', ')}, which no app server of integration ${integration} is: nothing to confirm there.`);
  return refusals;
}
