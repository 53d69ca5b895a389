/**
 * EC2 auto-discovery's SSM document (feature ec2-ssm), kept in every listed region: created
 * with Teleport's content, repaired (a new version made default) only when it carries this
 * integration's tags, compared with the random install path masked so a re-run writes nothing.
 */
import { randomUUID } from 'node:crypto';
import type { DescribeDocumentResult, GetDocumentResult, UpdateDocumentResult } from '@aws-sdk/client-ssm';
import { parse } from 'yaml';

/** The SSM SDK, loaded only by runs that declare ec2-ssm. */
const ssmSdk = () => import('@aws-sdk/client-ssm');
import { isAwsError, type Aws } from '../../clients/aws.js';
import type { Change, Superseded } from '../../model/changes.js';
import { RefusalError } from '../../errors.js';
import { CLUSTER_TAG, INTEGRATION_TAG, missingTags, notOwnedBecause, tagList, tagsFromList, tagsToList } from './tags.js';
import type { Tags } from '../../config/tags.js';
import type { DesiredDocument } from '../../model/aws.js';

export interface DocumentState {
  region: string;
  name: string;
  arn: string;
  type: string;
  /** The default version's content, in whatever format it is stored. */
  content: string;
  tags: Tags;
}

export interface DocumentPolicy {
  adoptExisting: boolean;
  /** The integration's ownership tags. */
  ownershipTags: Tags;
}

/**
 * Teleport's EC2 discovery installer (lib/cloud/aws/ssm_documents.go), byte for byte: the
 * install path is random so an attacker on the instance cannot guess and pre-create it.
 */
export function discoveryDocumentContent(proxyUrl: string, installId: string = randomUUID()): string {
  const installPath = `/tmp/installTeleport-${installId}.sh`;
  return `
schemaVersion: '2.2'
description: aws:runShellScript
parameters:
  token:
    type: String
    description: "(Required) The Teleport invite token to use when joining the cluster."
  scriptName:
    type: String
    description: "(Required) The Teleport installer script to use when joining the cluster."
mainSteps:
- action: aws:downloadContent
  name: downloadContent
  inputs:
    sourceType: "HTTP"
    destinationPath: "${installPath}"
    sourceInfo:
      url: "${proxyUrl}/webapi/scripts/installer/{{ scriptName }}"
- action: aws:runShellScript
  name: runShellScript
  inputs:
    timeoutSeconds: '300'
    runCommand:
      - /bin/sh ${installPath} "{{ token }}"
`;
}

const INSTALL_PATH = /\/tmp\/installTeleport-[A-Za-z0-9-]+\.sh/g;

function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, sortedKeys((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}

/**
 * The document as data (YAML or JSON, key order ignored, step order kept) with its install
 * path masked, but only where every step uses the same path: a document that downloads to
 * one path and runs another is broken, and must compare as different.
 */
export function maskedContent(content: string): string {
  let text: string;
  try {
    text = JSON.stringify(sortedKeys(parse(content)));
  } catch {
    return content;
  }
  const paths = new Set(text.match(INSTALL_PATH) ?? []);
  return paths.size === 1 ? text.replace(INSTALL_PATH, '/tmp/installTeleport-<random>.sh') : text;
}

export function sameDocumentContent(a: string, b: string): boolean {
  return maskedContent(a) === maskedContent(b);
}

/** DescribeDocument (type, tags) and GetDocument (content of the default version), concurrently. */
export async function observeDocument(aws: Aws, region: string, name: string, arn: string): Promise<DocumentState | undefined> {
  const [ssm, sdk] = await Promise.all([aws.ssmClient(region), ssmSdk()]);
  try {
    const [described, got] = await Promise.all([
      aws.send<DescribeDocumentResult>(ssm, new sdk.DescribeDocumentCommand({ Name: name })),
      aws.send<GetDocumentResult>(ssm, new sdk.GetDocumentCommand({ Name: name })),
    ]);
    return {
      region,
      name,
      arn,
      type: described.Document?.DocumentType ?? got.DocumentType ?? '',
      content: got.Content ?? '',
      tags: tagsFromList(described.Document?.Tags),
    };
  } catch (error) {
    // SSM answers InvalidDocument for a name it does not know.
    if (isAwsError(error, 'InvalidDocument')) return undefined;
    throw error;
  }
}

/** Refuses a document another cluster or integration owns, one of another type, or an untagged one unless adopting. */
export function checkDocumentOwnership(document: DocumentState, policy: DocumentPolicy): void {
  const where = `SSM document ${document.name} in ${document.region}`;
  for (const key of [CLUSTER_TAG, INTEGRATION_TAG]) {
    const value = document.tags[key];
    if (value !== undefined && value !== policy.ownershipTags[key]) {
      throw new RefusalError(
        'ssm-document',
        `${where} is tagged ${key}=${value}: it belongs to another Teleport ${key === CLUSTER_TAG ? 'cluster' : 'integration'}. ` +
          'Give this integration its own document (ec2-ssm: { document: <another name> }); this action never modifies a document another integration owns.',
        document.arn,
      );
    }
  }
  if (document.tags[INTEGRATION_TAG] === undefined && !policy.adoptExisting) {
    throw new RefusalError(
      'ssm-document',
      `${where} already exists but is not managed by this integration. Add the tags ${tagList(missingTags(document.tags, policy.ownershipTags))} ` +
        'to it, or set adopt-existing-document: true to let this action repair and tag it.',
      document.arn,
    );
  }
  if (document.type !== 'Command') {
    throw new RefusalError(
      'ssm-document',
      `${where} is of type ${document.type || 'unknown'}, not Command: EC2 discovery cannot run it and SSM cannot change a document's type. ` +
        'Choose another name with ec2-ssm: { document: <name> }.',
      document.arn,
    );
  }
}

export function planDocument(observed: DocumentState | undefined, desired: DesiredDocument, policy: DocumentPolicy): Change[] {
  const base = { resource: 'ssm-document' as const, target: desired.arn, region: desired.region, name: desired.name };
  if (!observed) {
    return [
      {
        ...base,
        action: 'create-document',
        reason: `document ${desired.name} is missing in ${desired.region}`,
        after: { content: desired.content, tags: desired.tags },
      },
    ];
  }
  checkDocumentOwnership(observed, policy);
  const changes: Change[] = [];
  if (!sameDocumentContent(observed.content, desired.content)) {
    changes.push({
      ...base,
      action: 'update-document',
      reason: `the default version's content in ${desired.region} differs from Teleport's installer for this cluster`,
      before: observed.content,
      after: desired.content,
    });
  }
  const missing = missingTags(observed.tags, desired.tags);
  if (Object.keys(missing).length > 0) {
    changes.push({
      ...base,
      action: 'tag-document',
      reason: `tags missing or different in ${desired.region}: ${Object.keys(missing).join(', ')}`,
      before: observed.tags,
      after: missing,
    });
  }
  return changes;
}

export type DocumentChange = Extract<Change, { action: 'create-document' | 'update-document' | 'tag-document' }>;

export function isDocumentChange(change: Change): change is DocumentChange {
  return change.action === 'create-document' || change.action === 'update-document' || change.action === 'tag-document';
}

/**
 * Applies one document change. A create that finds the document made meanwhile re-observes
 * it and returns the repairs it still needs (after the ownership check).
 */
export async function applyDocumentChange(aws: Aws, change: DocumentChange, desired: DesiredDocument, policy: DocumentPolicy): Promise<Superseded | undefined> {
  const [ssm, sdk] = await Promise.all([aws.ssmClient(change.region), ssmSdk()]);
  switch (change.action) {
    case 'create-document':
      try {
        await aws.send(
          ssm,
          new sdk.CreateDocumentCommand({
            Name: change.name,
            Content: change.after.content,
            DocumentType: 'Command',
            DocumentFormat: 'YAML',
            Tags: tagsToList(change.after.tags),
          }),
        );
      } catch (error) {
        if (!isAwsError(error, 'DocumentAlreadyExists')) throw error;
        const existing = await observeDocument(aws, change.region, change.name, change.target);
        return { superseded: planDocument(existing, desired, policy) };
      }
      return undefined;
    case 'update-document': {
      // A new version with Teleport's content, then made the default: EC2 discovery runs the default.
      const updated = await aws.send<UpdateDocumentResult>(
        ssm,
        new sdk.UpdateDocumentCommand({ Name: change.name, Content: change.after, DocumentVersion: '$LATEST', DocumentFormat: 'YAML' }),
      );
      const version = updated.DocumentDescription?.DocumentVersion;
      if (!version) throw new Error(`ssm:UpdateDocument returned no version for ${change.name} in ${change.region}`);
      await aws.send(ssm, new sdk.UpdateDocumentDefaultVersionCommand({ Name: change.name, DocumentVersion: version }));
      return undefined;
    }
    case 'tag-document':
      await aws.send(ssm, new sdk.AddTagsToResourceCommand({ ResourceType: 'Document', ResourceId: change.name, Tags: tagsToList(change.after) }));
      return undefined;
  }
}

/** Destroy reads only the document's tags (DescribeDocument); undefined when it is gone. */
export async function describeDocumentTags(aws: Aws, region: string, name: string): Promise<Tags | undefined> {
  try {
    const described = await aws.send<DescribeDocumentResult>(await aws.ssmClient(region), new (await ssmSdk()).DescribeDocumentCommand({ Name: name }));
    return tagsFromList(described.Document?.Tags);
  } catch (error) {
    if (isAwsError(error, 'InvalidDocument')) return undefined;
    throw error;
  }
}

/** Destroy: a document is deleted only when it carries this integration's tags. */
export function planDocumentDeletion(document: DesiredDocument, tags: Tags | undefined, integration: string, cluster: string | undefined): Change[] {
  if (!tags) return [];
  const notOurs = notOwnedBecause(tags, integration, cluster);
  if (notOurs) {
    throw new RefusalError(
      'ssm-document',
      `SSM document ${document.name} in ${document.region} is not this integration's: ${notOurs}. Nothing was deleted.`,
      document.arn,
    );
  }
  return [
    {
      action: 'delete-document',
      resource: 'ssm-document',
      target: document.arn,
      region: document.region,
      name: document.name,
      reason: `tagged for ${integration}`,
    },
  ];
}

export async function deleteDocument(aws: Aws, change: Extract<Change, { action: 'delete-document' }>): Promise<void> {
  try {
    await aws.send(await aws.ssmClient(change.region), new (await ssmSdk()).DeleteDocumentCommand({ Name: change.name }));
  } catch (error) {
    if (!isAwsError(error, 'InvalidDocument')) throw error; // already gone: done
  }
}
