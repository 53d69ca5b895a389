/**
 * An aws-ra integration's kinds (Teleport's IAM Roles Anywhere integration), in the order apply
 * writes them: the trust anchor before the roles that trust it, a role before the profile that
 * names it, Teleport's integration last. Destroy goes the other way, so nothing is left naming
 * what is gone: the integration, the profiles, the roles' statements, the trust anchor, the sync role.
 */
import type { ResourceKind } from '../kind.js';
import { ACCESS_PROFILES } from './access-profiles.js';
import { RA_INTEGRATION } from './integration.js';
import { PROFILE_ROLES } from './profile-roles.js';
import { SYNC_PROFILE } from './sync-profile.js';
import { SYNC_ROLE } from './sync-role.js';
import { TRUST_ANCHOR } from './trust-anchor.js';

export const RA_KINDS: readonly ResourceKind[] = [TRUST_ANCHOR, SYNC_ROLE, SYNC_PROFILE, PROFILE_ROLES, ACCESS_PROFILES, RA_INTEGRATION];

export const RA_DESTROY_ORDER: readonly ResourceKind[] = [RA_INTEGRATION, ACCESS_PROFILES, SYNC_PROFILE, PROFILE_ROLES, TRUST_ANCHOR, SYNC_ROLE];
