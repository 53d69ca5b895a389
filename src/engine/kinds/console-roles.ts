/** aws-app-access's console roles: the user's roles, made assumable through the integration role (resources/aws/console-role.ts). */
import type { Deletion } from '../../model/changes.js';
import {
  applyConsoleRoleChange,
  isConsoleRoleChange,
  observeConsoleRole,
  planConsoleRole,
  planConsoleRoleRelease,
  releaseConsoleRole,
  type ConsoleRoleRelease,
} from '../../resources/aws/console-role.js';
import type { Settings } from '../../config/inputs.js';
import type { Aws } from '../../clients/aws.js';
import type { RoleState } from '../../model/aws.js';
import { kindOf } from './kind.js';

const declared = (settings: Settings) => settings.features.find((f) => f.key === 'aws-app-access')?.params.roles ?? [];

async function observeAll(aws: Aws, settings: Settings): Promise<Map<string, RoleState | undefined>> {
  return new Map(await Promise.all(declared(settings).map(async (ref) => [ref.name, await observeConsoleRole(aws, ref.name)] as const)));
}

export const CONSOLE_ROLES = kindOf({
  kind: 'console role',
  resources: ['console-role'],
  observe: async ({ settings, deps }) => ({ observed: { consoleRoles: await observeAll(deps.aws, settings) } }),
  // Each role's refusal is its own; none is written while the integration role is refused (it would trust a stranger's role).
  plan: ({ observed, desired, settings, planned, refused }) =>
    refused('iam-role')
      ? []
      : desired.consoleRoles.flatMap((role) =>
          planned(() =>
            planConsoleRole(observed.consoleRoles.get(role.name), role, {
              integration: settings.integration,
              integrationRoleArn: desired.roleArn,
              trustPolicyQuota: settings.trustPolicyQuota,
            }),
          ),
        ),
  owns: isConsoleRoleChange,
  apply: async (change, { aws, settings, desired }) =>
    void (await applyConsoleRoleChange(aws, change, {
      integration: settings.integration,
      integrationRoleArn: desired.roleArn,
      trustPolicyQuota: settings.trustPolicyQuota,
    })),
  rows: ({ desired }) =>
    desired.consoleRoles.length > 0
      ? {
          'console-role': {
            target: desired.consoleRoles.map((r) => r.name).join(', '),
            unchanged: `each tagged teleport.dev/integration=true and trusting ${desired.roleArn}, every other statement kept`,
          },
        }
      : {},
  destruction: {
    observe: async ({ settings, deps }) => ({ consoleRoles: await observeAll(deps.aws, settings) }),
    plan: ({ observed, settings, notes }) =>
      declared(settings).flatMap((ref) => planConsoleRoleRelease(observed.consoleRoles.get(ref.name), settings.integration, notes)) as Deletion[],
    deletes: (change): change is ConsoleRoleRelease & Deletion => change.action === 'release-console-role',
    delete: (change: ConsoleRoleRelease, { aws, settings }) => releaseConsoleRole(aws, change, settings.integration),
  },
});
