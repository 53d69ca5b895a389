/** ec2-ssm's SSM document, one per listed region: each region's refusal is its own. */
import type { Deletion } from '../../model/changes.js';
import {
  applyDocumentChange,
  deleteDocument,
  describeDocumentTags,
  isDocumentChange,
  observeDocument,
  planDocument,
  planDocumentDeletion,
} from '../../resources/aws/ssm-document.js';
import { desiredState, documentRegions } from '../desired.js';
import { kindOf } from './kind.js';

type DocumentDeletion = Extract<Deletion, { action: 'delete-document' }>;

export const SSM_DOCUMENTS = kindOf({
  kind: 'SSM document',
  resources: ['ssm-document'],
  observe: async ({ settings, deps, identity }) => {
    const name = settings.features.find((f) => f.key === 'ec2-ssm')?.params.document;
    const documents = await Promise.all(
      documentRegions(settings.features, deps.aws.region).map(async (region) => {
        const arn = `arn:${identity.partition}:ssm:${region}:${identity.account}:document/${name}`;
        return [region, await observeDocument(deps.aws, region, name!, arn)] as const;
      }),
    );
    return { observed: { documents: new Map(documents) } };
  },
  plan: ({ observed, desired, settings, planned }) => {
    const policy = { adoptExisting: settings.adoptExistingDocument, ownershipTags: desired.ownershipTags };
    return desired.documents.flatMap((document) => planned(() => planDocument(observed.documents.get(document.region), document, policy)));
  },
  owns: isDocumentChange,
  apply: (change, { aws, desired, settings }) =>
    applyDocumentChange(
      aws,
      change,
      desired.documents.find((d) => d.region === change.region)!,
      {
        adoptExisting: settings.adoptExistingDocument,
        ownershipTags: desired.ownershipTags,
      },
    ),
  // Reported with ec2-ssm's feature (report/features.ts).
  rows: () => ({}),
  destruction: {
    // Their tags say whose they are; names and regions do not depend on the cluster's name.
    observe: async ({ settings, deps: { aws }, identity }) => {
      const documents = desiredState(settings, identity, settings.clusterName ?? '', aws.region).documents;
      return { documentTags: new Map(await Promise.all(documents.map(async (d) => [d.region, await describeDocumentTags(aws, d.region, d.name)] as const))) };
    },
    plan: ({ desired, observed, settings, clusterName, planned }) =>
      desired.documents.flatMap((d) =>
        planned(() => planDocumentDeletion(d, observed.documentTags.get(d.region), settings.integration, clusterName)),
      ) as Deletion[],
    deletes: (change): change is DocumentDeletion => change.action === 'delete-document',
    delete: (change: DocumentDeletion, { aws }) => deleteDocument(aws, change),
  },
});
