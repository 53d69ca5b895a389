/**
 * Plan cannot know the ARN AWS gives a trust anchor or profile apply creates: it shows a placeholder
 * (model/roles-anywhere.ts). Before a write that names one, the real ARN is put in: the one the
 * create answered with in this run, else read back by name.
 */
import type { Aws } from '../../../clients/aws.js';
import type { Settings } from '../../../config/inputs.js';
import { PENDING_PROFILE_ARN, PENDING_TRUST_ANCHOR_ARN } from '../../../model/roles-anywhere.js';
import { createdArn } from '../../../resources/aws/roles-anywhere/common.js';
import { profileArnByName } from '../../../resources/aws/roles-anywhere/sync-profile.js';
import { trustAnchorArnByName } from '../../../resources/aws/roles-anywhere/trust-anchor.js';

export async function withCreatedArns<T>(aws: Aws, settings: Settings, value: T): Promise<T> {
  let text = JSON.stringify(value);
  const { trustAnchor, syncProfile } = settings.rolesAnywhere!;
  if (text.includes(PENDING_TRUST_ANCHOR_ARN)) {
    const arn = createdArn(aws, 'trust-anchor', trustAnchor) ?? (await trustAnchorArnByName(aws, trustAnchor));
    if (!arn) throw new Error(`trust anchor ${trustAnchor} was not found after apply created it`);
    text = text.split(PENDING_TRUST_ANCHOR_ARN).join(arn);
  }
  if (text.includes(PENDING_PROFILE_ARN)) {
    const arn = createdArn(aws, 'profile', syncProfile) ?? (await profileArnByName(aws, syncProfile));
    if (!arn) throw new Error(`profile ${syncProfile} was not found after apply created it`);
    text = text.split(PENDING_PROFILE_ARN).join(arn);
  }
  return JSON.parse(text) as T;
}
