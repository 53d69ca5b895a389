/** Teleport's aws-ra integration (resources/teleport/aws-ra-integration.ts), and the awsra CA's certificates it is read with. */
import { RefusalError } from '../../../errors.js';
import type { Deletion } from '../../../model/changes.js';
import type { AwsRaIntegrationResource } from '../../../model/roles-anywhere.js';
import { isRaIntegrationChange, planRaIntegration, readRaIntegration, writeRaIntegration } from '../../../resources/teleport/aws-ra-integration.js';
import { kindOf, teleportOf, teleportRead } from '../kind.js';
import { withCreatedArns } from './pending.js';

type RaIntegrationDeletion = Extract<Deletion, { action: 'delete-ra-integration' }>;

/** An integration of that name that is not aws-ra (an aws-oidc one, say) is another integration: never replaced. */
function checkSubKind(live: AwsRaIntegrationResource | undefined, name: string): void {
  if (live && live.sub_kind !== 'aws-ra') {
    throw new RefusalError(
      'teleport-ra-integration',
      `Teleport integration ${name} exists as ${live.sub_kind as string}, not aws-ra: it is never replaced. Name this Roles Anywhere integration otherwise.`,
      name,
    );
  }
}

export const RA_INTEGRATION = kindOf({
  kind: 'Teleport integration (aws-ra)',
  resources: ['teleport-ra-integration'],
  // The CA's certificates are what the trust anchor must hold: read with the integration, in one round.
  observe: async ({ settings, deps: { tctl } }) => {
    if (!tctl) return { observed: {} };
    const [integration, certificates] = await Promise.all([
      teleportRead(readRaIntegration(tctl, settings.integration)),
      teleportRead(tctl.exportAwsRaCertificates()),
    ]);
    return { observed: { raIntegration: integration.value, awsraCertificates: certificates.value }, teleportError: integration.error ?? certificates.error };
  },
  plan: ({ observed, desired, settings }) => {
    if (observed.teleportError) return [];
    checkSubKind(observed.raIntegration, settings.integration);
    return planRaIntegration(observed.raIntegration, desired.rolesAnywhere!.resource);
  },
  owns: isRaIntegrationChange,
  apply: async (change, context) => {
    const resolved = await withCreatedArns(context.aws, context.settings, change);
    context.logger.info(await writeRaIntegration(teleportOf(context), resolved.after));
    return undefined;
  },
  rows: ({ desired }) => ({
    'teleport-ra-integration': {
      target: desired.rolesAnywhere!.integration,
      unchanged: 'aws-ra, naming the trust anchor and profile sync as declared',
    },
  }),
  destruction: {
    observe: async ({ settings, deps: { tctl }, mustRead }) => ({
      raIntegration: tctl
        ? await mustRead(readRaIntegration(tctl, settings.integration), 'the Teleport integration must be checked before what it uses goes.')
        : undefined,
    }),
    plan: ({ observed, settings, teleport, refuse }) => {
      const live = observed.raIntegration;
      if (!teleport || !live) return [];
      if (live.sub_kind !== 'aws-ra') {
        refuse(
          new RefusalError(
            'teleport-ra-integration',
            `Teleport integration ${settings.integration} is ${live.sub_kind as string}, not aws-ra: never deleted here. Nothing was deleted.`,
            settings.integration,
          ),
        );
        return [];
      }
      const ours = observed.trustAnchors?.[0]?.arn;
      // Pointing at another trust anchor, it is someone else's integration of the same name.
      if (ours !== undefined && live.spec?.aws_ra?.trust_anchor_arn !== ours) {
        refuse(
          new RefusalError(
            'teleport-ra-integration',
            `Teleport integration ${settings.integration} points at trust anchor ${live.spec?.aws_ra?.trust_anchor_arn ?? '(none)'}, not ${ours}: it is not this action's. Nothing was deleted.`,
            settings.integration,
          ),
        );
        return [];
      }
      return [
        {
          action: 'delete-ra-integration',
          resource: 'teleport-ra-integration',
          target: settings.integration,
          reason: 'aws-ra, pointing at this trust anchor',
          name: settings.integration,
        },
      ];
    },
    deletes: (change): change is RaIntegrationDeletion => change.action === 'delete-ra-integration',
    delete: async (change: RaIntegrationDeletion, context) => void context.logger.info(await teleportOf(context).remove(change.name, 'integration')),
  },
});
