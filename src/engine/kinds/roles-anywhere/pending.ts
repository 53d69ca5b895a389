/**
 * Plan cannot know the ARN AWS gives a trust anchor or profile apply creates: it shows a placeholder
 * (model/roles-anywhere.ts). Before a write that names one, the real ARN is read back by name.
 */
import type { Aws } from '../../../clients/aws.js';
import type { Settings } from '../../../config/inputs.js';
import { PENDING_PROFILE_ARN, PENDING_TRUST_ANCHOR_ARN } from '../../../model/roles-anywhere.js';
import { observeSyncProfiles, onlySyncProfile } from '../../../resources/aws/roles-anywhere/sync-profile.js';
import { observeTrustAnchors, onlyTrustAnchor } from '../../../resources/aws/roles-anywhere/trust-anchor.js';

export async function withCreatedArns<T>(aws: Aws, settings: Settings, value: T): Promise<T> {
  let text = JSON.stringify(value);
  const declaration = settings.rolesAnywhere!;
  if (text.includes(PENDING_TRUST_ANCHOR_ARN)) {
    const anchor = onlyTrustAnchor(await observeTrustAnchors(aws, declaration.trustAnchor), declaration.trustAnchor);
    if (!anchor) throw new Error(`trust anchor ${declaration.trustAnchor} was not found after apply created it`);
    text = text.split(JSON.stringify(PENDING_TRUST_ANCHOR_ARN).slice(1, -1)).join(anchor.arn);
  }
  if (text.includes(PENDING_PROFILE_ARN)) {
    const profile = onlySyncProfile(await observeSyncProfiles(aws, declaration.syncProfile), declaration.syncProfile);
    if (!profile) throw new Error(`profile ${declaration.syncProfile} was not found after apply created it`);
    text = text.split(JSON.stringify(PENDING_PROFILE_ARN).slice(1, -1)).join(profile.arn);
  }
  return JSON.parse(text) as T;
}
