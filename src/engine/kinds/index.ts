/**
 * Every kind of resource, in the order apply writes them (a provider before the role that
 * trusts it, the role before what trusts or names it, the join token before the discovery_config
 * that names it), and the order destroy deletes them. A new kind: its module, and one line in each.
 */
import type { Change, Deletion } from '../../model/changes.js';
import { CONSOLE_ROLES } from './console-roles.js';
import { DISCOVERY_CONFIG } from './discovery-config.js';
import { INTEGRATION } from './integration.js';
import { JOIN_TOKEN } from './join-token.js';
import type { ResourceKind } from './kind.js';
import { MEMBER_ROLE } from './member-role.js';
import { OIDC_PROVIDER } from './oidc-provider.js';
import { ROLE } from './role.js';
import { ROLE_POLICIES } from './role-policies.js';
import { SSM_DOCUMENTS } from './ssm-documents.js';
import { STACK_SET } from './stack-set.js';
import { TASK_ROLE } from './task-role.js';
import { RA_DESTROY_ORDER, RA_KINDS } from './roles-anywhere/index.js';
import type { Settings } from '../../config/inputs.js';

export const KINDS: readonly ResourceKind[] = [
  OIDC_PROVIDER,
  ROLE,
  ROLE_POLICIES,
  TASK_ROLE,
  CONSOLE_ROLES,
  STACK_SET,
  MEMBER_ROLE,
  SSM_DOCUMENTS,
  INTEGRATION,
  JOIN_TOKEN,
  DISCOVERY_CONFIG,
];

/**
 * Destroy: the member roles first (they trust the integration role), then Teleport's side (it
 * uses the integration), the documents, what apply added to console roles (before the role they trust goes), the task role (deploy-service passes it), the role and
 * what IAM needs gone before it, the provider.
 */
export const DESTROY_ORDER: readonly ResourceKind[] = [
  STACK_SET,
  MEMBER_ROLE,
  DISCOVERY_CONFIG,
  JOIN_TOKEN,
  INTEGRATION,
  SSM_DOCUMENTS,
  CONSOLE_ROLES,
  TASK_ROLE,
  ROLE,
  OIDC_PROVIDER,
];

/** An aws-ra integration (roles-anywhere declared) has kinds of its own (kinds/roles-anywhere/). */
export function kindsFor(settings: Settings): readonly ResourceKind[] {
  return settings.rolesAnywhere ? RA_KINDS : KINDS;
}

export function destroyOrderFor(settings: Settings): readonly ResourceKind[] {
  return settings.rolesAnywhere ? RA_DESTROY_ORDER : DESTROY_ORDER;
}

const EVERY_KIND = [...KINDS, ...RA_KINDS];

/** The kind that writes a change; one no kind owns is a bug, said as such. */
export function writerOf(change: Change): ResourceKind {
  const found = EVERY_KIND.find((kind) => kind.owns(change));
  if (!found) throw new Error(`no resource kind writes ${change.action} (${change.resource}): add it to engine/kinds/`);
  return found;
}

/** The kind that deletes a destroy's change. */
export function deleterOf(change: Deletion): ResourceKind {
  const found = EVERY_KIND.find((kind) => kind.destruction?.deletes(change));
  if (!found) throw new Error(`no resource kind deletes ${change.action} (${change.resource}): add its destruction to engine/kinds/`);
  return found;
}
