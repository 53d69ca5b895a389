/**
 * The demo: runs the committed action (dist/index.js) four times, as the GitHub runner runs
 * it, against embedded stand-ins: the moto AWS emulator, a local HTTPS Teleport issuer on
 * 127.0.0.1:443 answering as `localhost`, and the tctl stand-in. The first run creates
 * everything (provider, role, two features' inline policies, an SSM document in two regions,
 * the integration, and EC2 discovery's Teleport side: the join token and the discovery_config);
 * the second changes nothing; the third, a scheduled check, after the Discovery Service has
 * reported, shows discovery's health; the fourth, mode import, reads it all back into the config
 * file that declares it. Then an AWS Organization in the emulator, as AWS runs one: the member
 * role's StackSet operation takes several polls (its progress in the log) and one account fails
 * (the step fails naming it, AWS's reason and what to do); a re-run deploys only that account; a
 * member role changed by hand inside its account is found by a check with drift detection, and
 * apply makes it again. Then a Roles Anywhere (aws-ra) integration: made, its awsra CA rotated
 * (check fails on the trust anchor), and repaired by apply. Prints each run's job summary as a
 * terminal shows it, and writes each as a page (HTML and Markdown) whose path it prints.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startStandIns, type StandIns } from './start-stand-ins.ts';
import { runStep } from '../__tests__/support/runner.ts';
import { buildOrganization } from '../__tests__/support/organization.ts';
import { PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { terminalSummary, writeSummaryPage } from '../__tests__/support/terminal-summary.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

let standIns: StandIns;
try {
  standIns = await startStandIns();
} catch (error) {
  // `npm run demo` starts this through scripts/with-port-443.ts, which finds a way to listen on 443.
  console.error(`The demo could not start its stand-ins (moto, the local Teleport issuer): ${(error as Error).message}`);
  process.exit(1);
}
const { moto, issuer } = standIns;

const env = {
  AWS_ENDPOINT_URL: moto.url,
  AWS_ACCESS_KEY_ID: 'demo',
  AWS_SECRET_ACCESS_KEY: 'demo',
  AWS_REGION: 'us-east-1',
  NODE_EXTRA_CA_CERTS: issuer.caFile,
  TCTL_STANDIN_DIR: mkdtempSync(path.join(os.tmpdir(), 'demo-tctl-')),
};
const inputs = {
  'cluster-url': 'https://localhost',
  integration: 'aws-demo',
  'role-name': 'teleport-demo-role',
  tags: 'team=platform',
  // Two of Teleport's features: EKS enrollment, and EC2 auto-discovery with its SSM document in two regions.
  features: 'eks:\nec2-ssm:\n  regions: [us-east-1, eu-west-1]\n',
  // Teleport's side of EC2 discovery in the same two regions, through the integration.
  discovery: 'group: cloud-discovery-group\nmatchers:\n  - types: [ec2]\n    regions: [us-east-1, eu-west-1]\n    tags: { env: prod }\n',
  mode: 'apply',
  'tctl-path': path.join(root, '__tests__/support/fake-tctl/tctl'),
};

/** What Teleport's Discovery Service would write: the discovery_config's status and a user task for an instance it could not enroll. */
function discoveryServiceReports(): void {
  const file = path.join(env.TCTL_STANDIN_DIR, 'discovery_config-aws-demo.json');
  const config = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  config.status = {
    state: 'DISCOVERY_CONFIG_STATE_RUNNING',
    last_sync_time: new Date().toISOString(),
    integration_discovered_resources: { 'aws-demo': { aws_ec2: { found: 4, enrolled: 3, failed: 1 } } },
  };
  writeFileSync(file, JSON.stringify(config));
  const task = {
    kind: 'user_task',
    version: 'v1',
    metadata: { name: 'demo-task' },
    spec: {
      integration: 'aws-demo',
      task_type: 'discover-ec2',
      issue_type: 'ec2-ssm-agent-not-registered',
      state: 'OPEN',
      discover_ec2: { account_id: '123456789012', region: 'eu-west-1', instances: { 'i-0demo': { instance_id: 'i-0demo', discovery_config: 'aws-demo' } } },
    },
  };
  writeFileSync(path.join(env.TCTL_STANDIN_DIR, 'user_task-demo-task.json'), JSON.stringify(task));
}

// Import declares from what exists: only where to write, and the cluster.
const importInputs = { mode: 'import', 'cluster-url': inputs['cluster-url'], config: '.github/teleport-integrations.yml', 'tctl-path': inputs['tctl-path'] };
const runs: [string, Record<string, string>][] = [
  ['first run: creates everything', inputs],
  ['second run: changes nothing', inputs],
  ['scheduled check: drift and discovery health', { ...inputs, mode: 'check' }],
  ['import: the config file that declares what exists (as if it had been made in the web UI)', importInputs],
];
// Outside the run's own temp folder (scripts/with-port-443.ts removes that one when the demo ends).
const pages = mkdtempSync(path.join(process.env.TELEPORT_ACTION_SHARED_TMPDIR ?? os.tmpdir(), 'demo-summaries-'));
let failed = false;
let shown = 0;

/** Prints a run as a terminal shows it, with its progress lines and a path to its summary as a page. */
function show(run: string, result: Awaited<ReturnType<typeof runStep>>, outputs: unknown): void {
  const calls = /AWS calls: .*/.exec(result.stdout)?.[0] ?? '';
  console.log(`\n==================== ${run} (exit ${result.exitCode}; ${calls}) ====================\n`);
  const progress = result.stdout.split('\n').filter((l) => /^(::group::)?StackSet .*(operation|RUNNING|SUCCEEDED|FAILED|waiting)/.test(l));
  if (progress.length > 0) console.log(`log:\n${progress.map((l) => `  ${l.replace('::group::', '▸ ')}`).join('\n')}\n`);
  console.log(terminalSummary(result.summary));
  const page = writeSummaryPage(
    pages,
    `${String(++shown).padStart(2, '0')}-${run
      .replace(/[^a-z0-9]+/gi, '-')
      .replace(/-+$/, '')
      .toLowerCase()
      .slice(0, 50)}`,
    result.summary,
  );
  console.log(`outputs: ${JSON.stringify(outputs)}`);
  console.log(`the summary as a page: ${page}`);
}

try {
  for (const [run, stepInputs] of runs) {
    if (stepInputs.mode === 'check') discoveryServiceReports();
    const result = await runStep({ inputs: stepInputs, env: { ...env, GITHUB_WORKSPACE: mkdtempSync(path.join(os.tmpdir(), 'demo-workspace-')) } });
    const outputs =
      stepInputs.mode === 'import'
        ? { config: result.outputs.config, imported: JSON.parse(result.outputs.imported ?? '[]') as unknown }
        : {
            changes: result.outputs.changes,
            'role-arn': result.outputs['role-arn'],
            features: JSON.parse(result.outputs.features ?? '{}') as unknown,
            discovery: JSON.parse(result.outputs.discovery ?? '{}') as unknown,
          };
    show(run, result, outputs);
    if (result.exitCode !== 0) {
      failed = true;
      console.log(result.stdout, result.stderr);
    }
  }

  if (!process.argv.includes('--no-organization')) await organizationRuns();
  if (!process.argv.includes('--no-roles-anywhere')) await rolesAnywhereRuns();
  console.log(`\nEvery summary as a page (HTML and Markdown): ${pages}`);
} finally {
  await standIns.stop();
}
process.exit(failed ? 1 : 0);

/** `npm run demo -- --no-organization` leaves this part out. */
async function organizationRuns(): Promise<void> {
  // An organization of 4 member accounts in 2 units, discovered through a second integration.
  const org = await buildOrganization(moto.url, { prod: 3, sandbox: 1 });
  const orgInputs = {
    'cluster-url': 'https://localhost',
    integration: 'aws-demo-org',
    'role-name': 'teleport-demo-org',
    'tctl-path': inputs['tctl-path'],
    discovery: `group: cloud-discovery-group\nmatchers:\n  - types: [ec2]\n    regions: ['*']\n    organization:\n      units: { include: [${org.units.prod}] }\n`,
  };
  // The emulator's StackSet operations take 3 polls (here 100 ms apart; AWS's are 10 s apart).
  const orgEnv = { ...env, TELEPORT_ACTION_TEST_OPERATION_POLL_MS: '100' };
  const denied = org.accounts.prod[1];
  const edited = org.accounts.prod[0];
  const orgRuns: [string, Record<string, string>, number, () => Promise<void>][] = [
    [
      'organization apply: a slow operation, one account failing',
      orgInputs,
      1,
      () => org.faults({ operationPolls: 3, fail: { [denied]: 'AccessDenied: iam:CreateRole with an explicit deny in a service control policy' } }),
    ],
    ['organization apply again, the SCP fixed: only that account is deployed', orgInputs, 0, () => org.faults({ operationPolls: 3, fail: {} })],
    [
      'organization check with drift detection: a member role changed by hand',
      { ...orgInputs, mode: 'check', 'detect-drift': 'true' },
      1,
      async () => {
        const iam = await org.memberIam(edited);
        const everything = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
        await iam.send(
          new PutRolePolicyCommand({
            RoleName: 'teleport-organization-discovery-child-account-role',
            PolicyName: 'TeleportEC2Discovery',
            PolicyDocument: JSON.stringify(everything),
          }),
        );
      },
    ],
    ['organization apply: the changed member role made again', orgInputs, 0, async () => {}],
  ];
  for (const [run, stepInputs, expected, before] of orgRuns) {
    await before();
    const result = await runStep({ inputs: stepInputs, env: orgEnv });
    show(`${run}${expected === 0 ? '' : ' (this run fails on purpose)'}`, result, { changes: result.outputs.changes, drift: result.outputs.drift });
    if (result.exitCode !== expected) {
      failed = true;
      console.log(result.stdout, result.stderr);
    }
  }
}

/**
 * `npm run demo -- --no-roles-anywhere` leaves this part out. An aws-ra integration: made, then the
 * cluster's awsra CA rotates (a second certificate), check fails on it and apply repairs it.
 */
async function rolesAnywhereRuns(): Promise<void> {
  const raInputs = {
    'cluster-url': 'https://localhost',
    integration: 'aws-demo-ra',
    'roles-anywhere': "{ profile-filters: ['prod-*'] }",
    'tctl-path': inputs['tctl-path'],
  };
  // Roles Anywhere's pace is one call per family a second; the demo does not wait for it.
  const raEnv = { ...env, TELEPORT_ACTION_TEST_ROLES_ANYWHERE_INTERVAL_MS: '0' };
  const ca = (n: number) => readFileSync(path.join(root, `__tests__/support/fixtures/awsra-ca-${n}.pem`), 'utf8');
  const rotate = async () => writeFileSync(path.join(env.TCTL_STANDIN_DIR, 'cert_authority-awsra.json'), JSON.stringify({ certificates: [ca(1), ca(2)] }));
  const raRuns: [string, Record<string, string>, number, () => Promise<void>][] = [
    ['roles-anywhere apply: trust anchor, sync role and profile, Teleport integration', raInputs, 0, async () => {}],
    ["roles-anywhere check after the awsra CA's rotation", { ...raInputs, mode: 'check', 'fail-on-drift': 'true' }, 1, rotate],
    ['roles-anywhere apply: the trust anchor gets the new certificate', raInputs, 0, async () => {}],
  ];
  for (const [run, stepInputs, expected, before] of raRuns) {
    await before();
    const result = await runStep({ inputs: stepInputs, env: raEnv });
    show(`${run}${expected === 0 ? '' : ' (this run fails on purpose)'}`, result, { changes: result.outputs.changes, 'role-arn': result.outputs['role-arn'] });
    if (result.exitCode !== expected) {
      failed = true;
      console.log(result.stdout, result.stderr);
    }
  }
}
