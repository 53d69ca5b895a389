/** IAM Roles Anywhere and Teleport's aws-ra integration, as this action reads and declares them. */
import type { Tags } from '../config/tags.js';
import type { DesiredOwnedRole } from './aws.js';

/** Said where an ARN is not known before apply creates what it names; apply puts the real one in before writing. */
export const PENDING_TRUST_ANCHOR_ARN = "(the trust anchor's ARN, once apply makes it)";
export const PENDING_PROFILE_ARN = "(the sync profile's ARN, once apply makes it)";

export interface TrustAnchorState {
  id: string;
  arn: string;
  name: string;
  enabled: boolean;
  sourceType: string;
  /** The bundle's certificates, each PEM block normalised (see resources/aws/roles-anywhere/trust-anchor.ts). */
  certificates: string[];
  tags: Tags;
}

export interface ProfileState {
  id: string;
  arn: string;
  name: string;
  enabled: boolean;
  roleArns: string[];
  durationSeconds: number;
  tags: Tags;
}

/** `status.aws_ra.last_profile_sync`, as Teleport reports profile sync (every 5 minutes). */
export interface ProfileSyncStatus {
  start_time?: string;
  end_time?: string;
  status?: string;
  synced_profiles?: number;
  error_message?: string;
}

export interface AwsRaIntegrationResource {
  kind: 'integration';
  sub_kind: 'aws-ra';
  version: 'v1';
  metadata: { name: string; description?: string; labels?: Record<string, string> };
  spec: {
    aws_ra: {
      trust_anchor_arn: string;
      profile_sync_config?: {
        enabled?: boolean;
        profile_arn?: string;
        role_arn?: string;
        profile_accepts_role_session_name?: boolean;
        profile_name_filters?: string[];
      };
    };
  };
  status?: { aws_ra?: { last_profile_sync?: ProfileSyncStatus } };
}

export interface DesiredTrustAnchor {
  name: string;
  /** The cluster's current awsra CA certificates (both during a rotation), as tctl exports them. */
  certificates: string[];
  tags: Tags;
}

/** The profiles this action keeps: profile sync's own, and the access profiles declared. */
export type ProfileKind = 'sync-profile' | 'access-profile';

/** The profile's tag that names its app in Teleport (lib/integrations/awsra/profile_syncer_test.go). */
export const APPLICATION_NAME_TAG = 'TeleportApplicationName';

export interface DesiredProfile {
  name: string;
  roleArns: string[];
  durationSeconds: number;
  tags: Tags;
}

/** A role an access profile names: the user's, made to trust Roles Anywhere from the trust anchor. */
export interface DesiredProfileRole {
  name: string;
  declaredArn: string | undefined;
  arn: string;
}

export interface DesiredRolesAnywhere {
  integration: string;
  trustAnchor: DesiredTrustAnchor;
  /** Its trust names the trust anchor's ARN (PENDING_TRUST_ANCHOR_ARN until apply creates it). */
  syncRole: DesiredOwnedRole;
  syncRoleArn: string;
  syncProfile: DesiredProfile;
  accessProfiles: DesiredProfile[];
  /** Every role the access profiles name, once. */
  profileRoles: DesiredProfileRole[];
  /** The trust anchor's ARN, or PENDING_TRUST_ANCHOR_ARN: what the profile roles' trust names. */
  trustAnchorArn: string;
  resource: AwsRaIntegrationResource;
}
