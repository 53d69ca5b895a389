/** A destroy (or its plan) in the report: one row per resource, in the order they go. Pure. */
import { RESOURCE_TITLES, type Deletion, type Resource } from '../model/changes.js';
import type { DestroyPlan } from '../model/destroy-plan.js';
import type { ReportRow, Status } from './summary.js';
import { tagList } from '../resources/aws/tags.js';
import { appServerName } from '../resources/teleport/app-servers.js';

function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * `done` is what was deleted (destroy) or undefined (plan): a row says `would delete` in a
 * plan, `deleted` once done, and keeps `would delete` for what a failure left undone.
 */
export function destroyRows(plan: DestroyPlan, done: Deletion[] | undefined): ReportRow[] {
  const rows: ReportRow[] = [];
  const refusalOf = (resource: string, target?: string) =>
    plan.refusals.find((r) => r.resource === resource && (target === undefined || r.target === target))?.message;
  const row = (resource: string, target: string, mine: Deletion[], refusal: string | undefined, goneReason: string): ReportRow => {
    if (refusal) return { resource, target, status: 'refused', reason: refusal };
    if (mine.length === 0) return { resource, target, status: 'gone', reason: goneReason };
    const applied = done !== undefined && mine.every((c) => done.includes(c));
    const status: Status = applied ? 'deleted' : 'would delete';
    return { resource, target, status, reason: mine.map((c) => c.reason).join('; ') };
  };
  const { desired, changes, observed } = plan;
  if (desired.rolesAnywhere) return rolesAnywhereRows(plan, row, done);

  // The organization's side goes first: one row per resource the plan deletes or refuses.
  for (const resource of ['stack-instances', 'stack-set', 'member-role'] as const) {
    const mine = changes.filter((c) => c.resource === resource);
    const refusal = refusalOf(resource);
    if (mine.length > 0 || refusal) rows.push(row(RESOURCE_TITLES[resource], mine[0]?.target ?? '-', mine, refusal, ''));
  }

  if (plan.teleportSkipped)
    rows.push({ resource: 'Teleport integration', target: desired.integration?.metadata.name ?? '-', status: 'skipped', reason: 'skip-teleport is set' });
  else {
    for (const change of changes.filter((c) => c.action === 'delete-discovery-config')) {
      rows.push(row('Teleport discovery_config', change.target, [change], undefined, ''));
    }
    for (const refusal of plan.refusals.filter((r) => r.resource === 'teleport-discovery-config')) {
      rows.push({ resource: 'Teleport discovery_config', target: refusal.target ?? '-', status: 'refused', reason: refusal.message });
    }
    const tokenDeletions = changes.filter((c) => c.action === 'delete-join-token');
    const token = observed.joinToken;
    if (tokenDeletions.length > 0) rows.push(row('Teleport join token', tokenDeletions[0].target, tokenDeletions, undefined, ''));
    else if (token) {
      rows.push({
        resource: 'Teleport join token',
        target: `token/${token.metadata.name}`,
        status: 'kept',
        reason: 'not labelled for this integration by this action: never deleted',
      });
    }
    const name = changes.find((c) => c.action === 'delete-integration')?.target ?? desired.integration?.metadata.name ?? '-';
    rows.push(
      row(
        'Teleport integration',
        name,
        changes.filter((c) => c.action === 'delete-integration'),
        refusalOf('teleport-integration'),
        'Teleport has no such integration',
      ),
    );
    // What Teleport deletes with the integration (18.2.10+): never this action's own deletions.
    const integrationDeletion = changes.filter((c) => c.action === 'delete-integration');
    for (const server of observed.appServers ?? []) {
      const name = appServerName(server);
      const refusal = refusalOf('teleport-integration', `app_server/${name}`);
      const gone = done !== undefined && integrationDeletion.length > 0 && integrationDeletion.every((c) => done.includes(c));
      rows.push({
        resource: 'Teleport app server (deleted by Teleport with the integration)',
        target: `app_server/${name}`,
        status: refusal ? 'refused' : gone ? 'deleted' : 'would delete',
        reason:
          refusal ??
          `AWS access through this integration${server.spec?.app?.spec?.public_addr ? ` at ${server.spec.app.spec.public_addr}` : ''}; confirmed by confirm-app-servers`,
      });
    }
  }
  for (const document of desired.documents) {
    rows.push(
      row(
        `SSM document (${document.region})`,
        document.arn,
        changes.filter((c) => c.action === 'delete-document' && c.target === document.arn),
        refusalOf('ssm-document', document.arn),
        'no such document in that region',
      ),
    );
  }
  // Console roles are the user's: destroy only takes back what apply added, and the role stays.
  for (const role of desired.consoleRoles) {
    const mine = changes.filter((c) => c.action === 'release-console-role' && c.target.endsWith(`/${role.name}`));
    const live = observed.consoleRoles.get(role.name);
    if (mine.length === 0) {
      rows.push({
        resource: RESOURCE_TITLES['console-role'],
        target: live?.arn ?? role.arn,
        status: live ? 'kept' : 'gone',
        reason: live ? 'nothing this integration added is on it: left as it is' : 'no such role',
      });
      continue;
    }
    const applied = done !== undefined && mine.every((c) => done.includes(c));
    rows.push({ resource: RESOURCE_TITLES['console-role'], target: mine[0].target, status: applied ? 'updated' : 'would change', reason: mine[0].reason });
  }
  if (desired.taskRole) {
    const taskRow = row(
      RESOURCE_TITLES['task-role'],
      observed.taskRole?.role.arn ?? desired.taskRole.name,
      changes.filter((c) => c.action === 'delete-task-role'),
      undefined,
      'no such role',
    );
    rows.push(
      taskRow.status === 'gone' && observed.taskRole
        ? { ...taskRow, status: 'kept', reason: `not tagged for this integration (${tagList(observed.taskRole.role.tags)}): never deleted` }
        : taskRow,
    );
  }
  const roleChanges = changes.filter((c) =>
    ['delete-role-policy', 'detach-role-policy', 'remove-role-from-instance-profile', 'delete-role'].includes(c.action),
  );
  const roleRow = row('IAM role', desired.roleArn, roleChanges, refusalOf('iam-role'), 'no such role');
  if (roleRow.status === 'deleted' || roleRow.status === 'would delete') {
    const { inlinePolicies, managedPolicyArns, instanceProfiles } = observed.attachments;
    const declared = new Set(desired.rolePolicies.map((p) => p.name));
    const named = inlinePolicies.map((p) => (declared.has(p) ? p : `${p} (not declared: added out of band)`));
    roleRow.reason =
      `tagged for this integration; with it: ${count(inlinePolicies.length, 'inline policy', 'inline policies')}` +
      `${named.length > 0 ? ` (${named.join(', ')})` : ''}, ${count(managedPolicyArns.length, 'managed policy', 'managed policies')} detached` +
      `${managedPolicyArns.length > 0 ? ` (${managedPolicyArns.join(', ')})` : ''}, removed from ${count(instanceProfiles.length, 'instance profile', 'instance profiles')}` +
      `${instanceProfiles.length > 0 ? ` (${instanceProfiles.join(', ')})` : ''}`;
  }
  rows.push(roleRow);
  const providerRow = row(
    'OIDC provider',
    desired.providerArn,
    changes.filter((c) => c.action === 'delete-provider'),
    refusalOf('oidc-provider'),
    'no such provider',
  );
  rows.push(plan.providerKept && providerRow.status === 'gone' ? { ...providerRow, status: 'kept', reason: plan.providerKept } : providerRow);
  return rows;
}

/** An aws-ra integration's destroy: its four resources, in the order they go. */
function rolesAnywhereRows(
  plan: DestroyPlan,
  row: (resource: string, target: string, mine: Deletion[], refusal: string | undefined, goneReason: string) => ReportRow,
  rowsDone: Deletion[] | undefined,
): ReportRow[] {
  const ra = plan.desired.rolesAnywhere!;
  const refusalOf = (resource: string) => plan.refusals.find((r) => r.resource === resource)?.message;
  const live = plan.observed;
  // Each row: what it is, what it points at, why it is gone, and what is there (undefined: nothing).
  const entries: [Resource, string, string, unknown][] = [
    ['teleport-ra-integration', ra.integration, 'Teleport has no such integration', live.raIntegration],
    ...ra.accessProfiles.map((p): [Resource, string, string, unknown] => {
      const there = live.accessProfiles?.get(p.name)?.[0];
      return ['access-profile', there?.arn ?? p.name, 'no such profile', there];
    }),
    ['sync-profile', live.syncProfiles?.[0]?.arn ?? ra.syncProfile.name, 'no such profile', live.syncProfiles?.[0]],
    ...ra.profileRoles.map((r): [Resource, string, string, unknown] => {
      const there = live.profileRoles?.get(r.name);
      return ['profile-role', there?.arn ?? r.arn, 'no such role', there];
    }),
    ['trust-anchor', live.trustAnchors?.[0]?.arn ?? ra.trustAnchor.name, 'no such trust anchor', live.trustAnchors?.[0]],
    ['sync-role', ra.syncRoleArn, 'no such role', live.syncRole],
  ];
  return entries.map(([resource, target, gone, there]) => {
    const several = resource === 'access-profile' || resource === 'profile-role';
    const mine = plan.changes.filter((c) => c.resource === resource && (!several || c.target === target));
    // A profile's role stays: destroy only takes back its statement.
    if (resource === 'profile-role' && there) {
      const applied = mine.length > 0 && rowsDone !== undefined && mine.every((c) => rowsDone.includes(c));
      const status: Status = mine.length === 0 ? 'kept' : applied ? 'updated' : 'would change';
      return { resource: RESOURCE_TITLES[resource], target, status, reason: mine[0]?.reason ?? 'nothing this integration added is on it: left as it is' };
    }
    const shown = row(RESOURCE_TITLES[resource], target, mine, refusalOf(resource), gone);
    // There, but not tagged for the integration: kept, never deleted.
    return shown.status === 'gone' && there ? { ...shown, status: 'kept', reason: 'not tagged for this integration: never deleted' } : shown;
  });
}
