/**
 * Every kind of resource in one shape (engine/kinds/): every change apply can plan is written by
 * exactly one kind, every deletion deleted by exactly one, every report row owned by exactly one.
 */
import { describe, expect, it } from 'vitest';
import { DESTROY_ORDER, deleterOf, KINDS, writerOf } from '../src/engine/kinds/index.js';
import { RA_DESTROY_ORDER, RA_KINDS } from '../src/engine/kinds/roles-anywhere/index.js';
import { RESOURCES, type Change, type ChangeAction, type Deletion } from '../src/model/changes.js';

// A Record over the union: typecheck (part of npm test) fails when an action is added and not listed here.
const RECONCILING: Record<Exclude<ChangeAction, Deletion['action']>, string> = {
  'create-provider': 'OIDC provider',
  'add-client-id': 'OIDC provider',
  'update-thumbprints': 'OIDC provider',
  'tag-provider': 'OIDC provider',
  'create-role': 'IAM role',
  'update-role-description': 'IAM role',
  'update-trust-policy': 'IAM role',
  'tag-role': 'IAM role',
  'create-role-policy': 'inline policy',
  'update-role-policy': 'inline policy',
  'create-document': 'SSM document',
  'update-document': 'SSM document',
  'tag-document': 'SSM document',
  'create-integration': 'Teleport integration',
  'update-integration': 'Teleport integration',
  'create-join-token': 'Teleport join token',
  'update-join-token': 'Teleport join token',
  'create-discovery-config': 'Teleport discovery_config',
  'update-discovery-config': 'Teleport discovery_config',
  'create-stack-set': 'StackSet',
  'redeploy-stack-instances': 'StackSet',
  'update-stack-set': 'StackSet',
  'create-stack-instances': 'StackSet',
  'update-stack-instances': 'StackSet',
  'remove-stack-instances': 'StackSet',
  'create-member-role': 'member role',
  'update-member-role': 'member role',
  'create-task-role': 'task role',
  'update-task-role': 'task role',
  'update-console-role': 'console role',
  'create-trust-anchor': 'Roles Anywhere trust anchor',
  'update-trust-anchor': 'Roles Anywhere trust anchor',
  'create-sync-role': 'profile sync role',
  'update-sync-role': 'profile sync role',
  'create-sync-profile': 'Roles Anywhere profile',
  'update-sync-profile': 'Roles Anywhere profile',
  'create-access-profile': 'access profile',
  'update-access-profile': 'access profile',
  'update-profile-role': "access profiles' role",
  'create-ra-integration': 'Teleport integration (aws-ra)',
  'update-ra-integration': 'Teleport integration (aws-ra)',
};
const DELETING: Record<Deletion['action'], true> = {
  'delete-stack-instances': true,
  'delete-stack-set': true,
  'delete-member-role': true,
  'delete-task-role': true,
  'release-console-role': true,
  'delete-ra-integration': true,
  'delete-access-profile': true,
  'release-profile-role': true,
  'delete-sync-profile': true,
  'delete-trust-anchor': true,
  'delete-sync-role': true,
  'delete-discovery-config': true,
  'delete-join-token': true,
  'delete-integration': true,
  'delete-document': true,
  'delete-role-policy': true,
  'detach-role-policy': true,
  'remove-role-from-instance-profile': true,
  'delete-role': true,
  'delete-provider': true,
};
const change = (action: string) => ({ action, resource: 'iam-role', target: 't', reason: 'r' }) as unknown as Change;

// An aws-oidc integration's kinds, then an aws-ra one's: each change has one writer among all of them.
const EVERY = [...KINDS, ...RA_KINDS];

describe('resource kinds', () => {
  it.each(Object.entries(RECONCILING))('%s is written by exactly one kind: %s', (action, kind) => {
    expect(EVERY.filter((row) => row.owns(change(action))).map((row) => row.kind)).toEqual([kind]);
  });

  it.each(Object.keys(DELETING))('%s is deleted by exactly one kind, and written by none', (action) => {
    expect(EVERY.filter((row) => row.destruction?.deletes(change(action) as Deletion)).length).toBe(1);
    expect(EVERY.filter((row) => row.owns(change(action)))).toEqual([]);
    expect(() => writerOf(change(action))).toThrow(/no resource kind writes/);
    expect(deleterOf(change(action) as Deletion).destruction).toBeDefined();
  });

  it('every report row belongs to exactly one kind, and the kinds are listed in the order apply writes', () => {
    expect(EVERY.flatMap((kind) => kind.resources)).toEqual([...RESOURCES]);
  });

  it('destroy goes through every kind that deletes, each once', () => {
    const deleting = KINDS.filter((kind) => kind.destruction);
    expect(new Set(DESTROY_ORDER)).toEqual(new Set(deleting));
    expect(DESTROY_ORDER.length).toBe(deleting.length);
    expect(new Set(RA_DESTROY_ORDER)).toEqual(new Set(RA_KINDS.filter((kind) => kind.destruction)));
    expect(RA_DESTROY_ORDER.length).toBe(RA_KINDS.length);
  });
});
