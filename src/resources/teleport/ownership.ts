/**
 * Which Teleport resources are this integration's: the ones labelled with its name and this
 * tool, as Teleport's own Terraform module labels what it makes (`teleport.dev/iac-tool`).
 */
import { RefusalError } from '../../errors.js';
import type { FieldDiff } from '../../model/changes.js';

export const INTEGRATION_LABEL = 'teleport.dev/integration';
export const IAC_TOOL_LABEL = 'teleport.dev/iac-tool';
export const IAC_TOOL = 'teleport-aws-oidc-integration-action';

export function ownershipLabels(integration: string): Record<string, string> {
  return { [INTEGRATION_LABEL]: integration, [IAC_TOOL_LABEL]: IAC_TOOL };
}

export type Ownership = 'ours' | 'unlabelled' | 'theirs';

/** How a labelled Teleport resource of an integration (discovery_config, join token) is planned. */
export interface LabelPolicy {
  /** Take over one that has none of the ownership labels (adopt-existing-discovery). */
  adoptExisting: boolean;
  integration: string;
}

export function ownershipOf(labels: Record<string, string> | undefined, integration: string): Ownership {
  const named = labels?.[INTEGRATION_LABEL];
  const tool = labels?.[IAC_TOOL_LABEL];
  if (named === integration && tool === IAC_TOOL) return 'ours';
  if ((named === undefined || named === integration) && (tool === undefined || tool === IAC_TOOL)) return 'unlabelled';
  return 'theirs';
}

/** Why an update is planned: each field, and whether it takes the resource over. */
function updateReason(labels: Record<string, string> | undefined, integration: string, fields: FieldDiff[]): string {
  const adopted = ownershipOf(labels, integration) !== 'ours' ? 'taken over (adopt-existing-discovery); ' : '';
  return adopted + fields.map((f) => `${f.field} is ${f.live}, declared ${f.declared}`).join('; ');
}

/**
 * Throws a refusal unless the resource is ours, or unlabelled and being adopted. Something
 * labelled for another integration or another tool is never taken: two owners would fight.
 */
function checkOwnership(resource: string, what: string, labels: Record<string, string> | undefined, integration: string, adopt: boolean): void {
  const ownership = ownershipOf(labels, integration);
  if (ownership === 'ours' || (ownership === 'unlabelled' && adopt)) return;
  const shown = `${INTEGRATION_LABEL}=${labels?.[INTEGRATION_LABEL] ?? '(none)'}, ${IAC_TOOL_LABEL}=${labels?.[IAC_TOOL_LABEL] ?? '(none)'}`;
  if (ownership === 'unlabelled') {
    throw new RefusalError(
      resource,
      `${what} exists but is not labelled for integration ${integration} by this action (${shown}): it was made by hand or in the web UI. ` +
        `Nothing was changed. Set adopt-existing-discovery: true to take it over, or choose another name.`,
      what,
    );
  }
  throw new RefusalError(resource, `${what} belongs to someone else (${shown}): it is never taken over. Nothing was changed. Choose another name.`, what);
}

/**
 * Why a labelled resource that exists is updated, or undefined when no field differs; throws a
 * refusal first unless it is ours (or unlabelled and adopted).
 */
export function updateOf(
  resource: string,
  target: string,
  labels: Record<string, string> | undefined,
  policy: LabelPolicy,
  fields: FieldDiff[],
): string | undefined {
  checkOwnership(resource, target, labels, policy.integration, policy.adoptExisting);
  return fields.length === 0 ? undefined : updateReason(labels, policy.integration, fields);
}
