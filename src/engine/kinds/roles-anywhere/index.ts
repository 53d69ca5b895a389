/**
 * An aws-ra integration's kinds (Teleport's IAM Roles Anywhere integration), in the order apply
 * writes them: the trust anchor before the sync role that trusts it, the role before the profile
 * that names it, Teleport's integration last. Destroy goes the other way, so nothing is left
 * naming what is gone: the integration, the profile, the trust anchor, the sync role.
 */
import type { ResourceKind } from '../kind.js';
import { RA_INTEGRATION } from './integration.js';
import { SYNC_PROFILE } from './sync-profile.js';
import { SYNC_ROLE } from './sync-role.js';
import { TRUST_ANCHOR } from './trust-anchor.js';

export const RA_KINDS: readonly ResourceKind[] = [TRUST_ANCHOR, SYNC_ROLE, SYNC_PROFILE, RA_INTEGRATION];

export const RA_DESTROY_ORDER: readonly ResourceKind[] = [RA_INTEGRATION, SYNC_PROFILE, TRUST_ANCHOR, SYNC_ROLE];
