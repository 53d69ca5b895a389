/**
 * Integrations made as Teleport's web UI and its CloudShell script make them: the provider and
 * role of `teleport integration configure awsoidc-idp` (audience, thumbprint, Teleport's
 * description, trust statement and three tags), the per-feature inline policies of
 * features.md, the SSM document, and the integration resource the web UI writes. Built with
 * the AWS SDK straight into moto and with tctl through the stand-in: not by src/.
 */
import { CreateOpenIDConnectProviderCommand, CreateRoleCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { CreateDocumentCommand, SSMClient } from '@aws-sdk/client-ssm';
import { inject } from 'vitest';
import { discoveryDocumentContent } from '../../src/resources/aws/ssm-document.js';
import { ACCOUNT, PROVIDER_ARN, type Harness } from './harness.js';
import { referenceParameterizedPolicies, referencePolicies } from './teleport-policies.js';
import { workerMotoUrl } from './worker.js';

const CLUSTER = 'teleport.example.com';
export const POLICIES: Record<string, { name: string; document: unknown }> = {
  ...referencePolicies('aws', ACCOUNT, 'us-east-1'),
  ...referenceParameterizedPolicies('aws', ACCOUNT),
};
/** Teleport's trust statement (teleport.md), for the test issuer https://localhost. */
const TRUST_STATEMENT = {
  Effect: 'Allow',
  Action: 'sts:AssumeRoleWithWebIdentity',
  Principal: { Federated: PROVIDER_ARN },
  Condition: { StringEquals: { 'localhost:aud': 'discover.teleport' } },
};

export function webUi(h: Harness) {
  const motoUrl = workerMotoUrl();
  const issuer = inject('issuer');
  const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
  const tags = (integration: string) => [
    { Key: 'teleport.dev/cluster', Value: CLUSTER },
    { Key: 'teleport.dev/origin', Value: 'integration_awsoidc' },
    { Key: 'teleport.dev/integration', Value: integration },
  ];

  /** The provider `teleport integration configure awsoidc-idp` makes: the audience, the thumbprint, the three tags. */
  async function webUiProvider(integration: string, withTags = true): Promise<void> {
    await h.direct().send(
      new CreateOpenIDConnectProviderCommand({
        Url: 'https://localhost',
        ClientIDList: ['discover.teleport'],
        ThumbprintList: [issuer.thumbprint],
        Tags: withTags ? tags(integration) : undefined,
      }),
    );
  }

  /** The role it makes (with Teleport's description and trust statement), its feature policies, and the integration the web UI makes. */
  async function webUiIntegration(integration: string, role: string, features: string[], options: { roleTags?: boolean; path?: string } = {}): Promise<void> {
    await h.direct().send(
      new CreateRoleCommand({
        RoleName: role,
        Path: options.path,
        AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [TRUST_STATEMENT] }),
        Description: 'Used by Teleport to provide access to AWS resources.',
        Tags: options.roleTags === false ? undefined : tags(integration),
      }),
    );
    for (const feature of features) {
      const { name, document } = POLICIES[feature];
      await h.direct().send(new PutRolePolicyCommand({ RoleName: role, PolicyName: name, PolicyDocument: JSON.stringify(document) }));
    }
    h.seed({
      kind: 'integration',
      sub_kind: 'aws-oidc',
      version: 'v1',
      metadata: { name: integration },
      spec: { aws_oidc: { role_arn: `arn:aws:iam::${ACCOUNT}:role${options.path ?? '/'}${role}` } },
    });
  }

  async function webUiDocument(integration: string, region = 'us-east-1'): Promise<void> {
    await new SSMClient({ endpoint: motoUrl, region, credentials }).send(
      new CreateDocumentCommand({
        Name: 'TeleportDiscoveryInstaller',
        Content: discoveryDocumentContent(issuer.url),
        DocumentType: 'Command',
        DocumentFormat: 'YAML',
        Tags: tags(integration),
      }),
    );
  }
  return { tags, webUiProvider, webUiIntegration, webUiDocument };
}
