/** deploy-service's task role: the role the Database Service runs as in ECS (resources/aws/task-role.ts). */
import type { Deletion } from '../../model/changes.js';
import { applyOwnedRoleChange, deleteOwnedRole, isOwnedRoleChange, isOwnedRoleDeletion, type OwnedRoleDeletion } from '../../resources/aws/owned-role.js';
import { observeTaskRole, planTaskRole, planTaskRoleDeletion, taskRoleArn } from '../../resources/aws/task-role.js';
import type { Settings } from '../../config/inputs.js';
import { kindOf } from './kind.js';

const declared = (settings: Settings) => settings.features.find((f) => f.key === 'deploy-service')?.params.taskRole;

export const TASK_ROLE = kindOf({
  kind: 'task role',
  resources: ['task-role'],
  observe: async ({ settings, deps }) => {
    const name = declared(settings);
    return { observed: { taskRole: name === undefined ? undefined : await observeTaskRole(deps.aws, name) } };
  },
  plan: ({ observed, desired, settings }) =>
    desired.taskRole
      ? planTaskRole(observed.taskRole, desired.taskRole, taskRoleArn(desired.partition, desired.account, desired.taskRole.name), settings.integration)
      : [],
  owns: isOwnedRoleChange('task-role'),
  apply: async (change, { aws }) => void (await applyOwnedRoleChange(aws, change)),
  rows: ({ desired }) =>
    desired.taskRole
      ? {
          'task-role': {
            target: taskRoleArn(desired.partition, desired.account, desired.taskRole.name),
            unchanged: `exists, trusted by ECS tasks, with its inline policy ${desired.taskRole.policyName} and tagged for this integration`,
          },
        }
      : {},
  destruction: {
    observe: async ({ settings, deps }) => {
      const name = declared(settings);
      return { taskRole: name === undefined ? undefined : await observeTaskRole(deps.aws, name) };
    },
    plan: ({ observed, settings, notes }) => {
      const deletions = planTaskRoleDeletion(observed.taskRole, settings.integration) as Deletion[];
      if (deletions.length > 0) {
        notes.push(
          `Task role ${observed.taskRole!.role.name} is deleted: a Teleport Database Service still running in ECS as it loses its access to RDS. ` +
            'Remove that ECS service first if it should stop, or keep the role by dropping deploy-service from features before destroying.',
        );
      }
      return deletions;
    },
    deletes: (change): change is OwnedRoleDeletion & Deletion => isOwnedRoleDeletion('task-role')(change),
    delete: (change: OwnedRoleDeletion, { aws }) => deleteOwnedRole(aws, change),
  },
});
