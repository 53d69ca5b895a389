/**
 * How each kind of change is written: one row per resource kind, tried in order by `applyPlan`.
 * A new resource kind is its module (observe, plan, apply) plus one row here.
 */
import type { Aws } from '../clients/aws.js';
import type { Tctl } from '../clients/tctl.js';
import type { Settings } from '../config/inputs.js';
import type { Logger } from '../logger.js';
import type { Change, Superseded } from '../model/changes.js';
import type { DesiredState } from '../model/desired.js';
import { applyProviderChange, isProviderChange } from '../resources/aws/oidc-provider.js';
import { applyRoleChange, isRoleChange } from '../resources/aws/role.js';
import { applyRolePolicyChange, isRolePolicyChange } from '../resources/aws/role-policies.js';
import { applyDocumentChange, isDocumentChange } from '../resources/aws/ssm-document.js';
import { applyMemberRoleChange, isMemberRoleChange } from '../resources/aws/organization/member-role.js';
import { applyStackSetChange, isStackSetChange } from '../resources/aws/organization/stack-set.js';
import { applyDiscoveryConfigChange, isDiscoveryConfigChange } from '../resources/teleport/discovery-config.js';
import { applyIntegrationChange, isIntegrationChange } from '../resources/teleport/integration.js';
import { applyJoinTokenChange, isJoinTokenChange } from '../resources/teleport/join-token.js';

export interface ApplyContext {
  aws: Aws;
  tctl: Tctl | undefined;
  logger: Logger;
  settings: Settings;
  desired: DesiredState;
  /** The thumbprint the issuer serves, as observed. */
  thumbprint: string | undefined;
}

export interface Applier<C extends Change = Change> {
  /** What it writes. */
  kind: string;
  owns(change: Change): change is C;
  /** Writes the change; `Superseded` when a create found it made meanwhile (the repairs to apply instead). */
  apply(change: C, context: ApplyContext): Promise<Superseded | undefined>;
}

const teleport = (context: ApplyContext): Tctl => {
  if (!context.tctl) throw new Error('Teleport changes were planned with skip-teleport set');
  return context.tctl;
};

/** Typed rows: each applier's `apply` takes exactly the changes its `owns` accepts (methods are bivariant, so the list holds them all). */
const applier = <C extends Change>(row: Applier<C>): Applier => row;

export const APPLIERS: Applier[] = [
  applier({
    kind: 'OIDC provider',
    owns: isProviderChange,
    apply: (change, { aws, desired, thumbprint, settings }) =>
      applyProviderChange(aws, change, desired, thumbprint, { adoptExisting: settings.adoptExistingProvider }),
  }),
  applier({
    kind: 'IAM role',
    owns: isRoleChange,
    apply: (change, { aws, desired, settings }) =>
      applyRoleChange(aws, change, desired, { adoptExisting: settings.adoptExistingRole, trustPolicyQuota: settings.trustPolicyQuota }),
  }),
  applier({
    kind: 'inline policy',
    owns: isRolePolicyChange,
    apply: async (change, { aws, desired }) => void (await applyRolePolicyChange(aws, change, desired.roleName)),
  }),
  applier({
    kind: 'SSM document',
    owns: isDocumentChange,
    apply: (change, { aws, desired, settings }) =>
      applyDocumentChange(
        aws,
        change,
        desired.documents.find((d) => d.region === change.region)!,
        {
          adoptExisting: settings.adoptExistingDocument,
          ownershipTags: desired.ownershipTags,
        },
      ),
  }),
  applier({
    kind: 'StackSet',
    owns: isStackSetChange,
    apply: async (change, { aws }) => void (await applyStackSetChange(aws, change)),
  }),
  applier({
    kind: 'member role',
    owns: isMemberRoleChange,
    apply: async (change, { aws }) => void (await applyMemberRoleChange(aws, change)),
  }),
  applier({
    kind: 'Teleport integration',
    owns: isIntegrationChange,
    apply: async (change, context) => void context.logger.info(await applyIntegrationChange(teleport(context), change)),
  }),
  applier({
    kind: 'Teleport join token',
    owns: isJoinTokenChange,
    apply: async (change, context) => void context.logger.info(await applyJoinTokenChange(teleport(context), change)),
  }),
  applier({
    kind: 'Teleport discovery_config',
    owns: isDiscoveryConfigChange,
    apply: async (change, context) => void context.logger.info(await applyDiscoveryConfigChange(teleport(context), change)),
  }),
];

/** The applier of a change; a change no applier owns is a bug, said as such. */
export function applierOf(change: Change): Applier {
  const found = APPLIERS.find((row) => row.owns(change));
  if (!found) throw new Error(`no applier writes ${change.action} (${change.resource}): add its row to engine/appliers.ts`);
  return found;
}
