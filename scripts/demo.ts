/**
 * The demo: runs the committed action (dist/index.js) twice, as the GitHub runner runs it,
 * against embedded stand-ins: the moto AWS emulator, a local HTTPS Teleport issuer on
 * 127.0.0.1:443 answering as `localhost`, and the tctl stand-in. The first run creates
 * everything (provider, role, two features' inline policies, an SSM document in two regions,
 * the integration); the second changes nothing. Prints each run's job summary.
 */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startIssuerServer } from '../__tests__/support/issuer-server.ts';
import { startMoto } from '../__tests__/support/moto.ts';
import { runStep } from '../__tests__/support/runner.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const moto = await startMoto();
let issuer;
try {
  issuer = await startIssuerServer({ host: '127.0.0.1', port: 443, issuer: 'https://localhost', clusterName: 'teleport.example.com' });
} catch (error) {
  await moto.stop();
  // `npm run demo` starts this through scripts/with-port-443.ts, which finds a way to listen on 443.
  console.error(`The demo could not start the local Teleport issuer: ${(error as Error).message}`);
  process.exit(1);
}

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
  mode: 'apply',
  'tctl-path': path.join(root, '__tests__/support/fake-tctl/tctl'),
};

let failed = false;
try {
  for (const run of ['first run: creates everything', 'second run: changes nothing']) {
    const result = await runStep({ inputs, env });
    const calls = /AWS calls: .*/.exec(result.stdout)?.[0] ?? '';
    console.log(`\n==================== ${run} (exit ${result.exitCode}; ${calls}) ====================\n`);
    console.log(result.summary);
    console.log(
      `outputs: ${JSON.stringify({ changes: result.outputs.changes, 'role-arn': result.outputs['role-arn'], features: JSON.parse(result.outputs.features ?? '{}') })}`,
    );
    if (result.exitCode !== 0) {
      failed = true;
      console.log(result.stdout, result.stderr);
    }
  }
} finally {
  await issuer.close();
  await moto.stop();
}
process.exit(failed ? 1 : 0);
