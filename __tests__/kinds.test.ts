/** Every change apply can plan has exactly one applier; deletions have none (destroy applies them). */
import { describe, expect, it } from 'vitest';
import { APPLIERS, applierOf } from '../src/engine/appliers.js';
import type { Change, ChangeAction, Deletion } from '../src/model/changes.js';

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
  'update-stack-set': 'StackSet',
  'create-stack-instances': 'StackSet',
  'update-stack-instances': 'StackSet',
  'remove-stack-instances': 'StackSet',
  'create-member-role': 'member role',
  'update-member-role': 'member role',
};
const DELETING: Record<Deletion['action'], true> = {
  'delete-stack-instances': true,
  'delete-stack-set': true,
  'delete-member-role': true,
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

describe('appliers', () => {
  it.each(Object.entries(RECONCILING))('%s is written by exactly one applier: %s', (action, kind) => {
    expect(APPLIERS.filter((row) => row.owns(change(action))).map((row) => row.kind)).toEqual([kind]);
  });

  it('no applier takes a deletion, and applying one says it is a bug', () => {
    for (const action of Object.keys(DELETING)) {
      expect(APPLIERS.filter((row) => row.owns(change(action)))).toEqual([]);
      expect(() => applierOf(change(action))).toThrow(/no applier writes/);
    }
  });
});
