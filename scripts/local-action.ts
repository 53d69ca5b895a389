/**
 * `npm run local-action [env file]`: runs the action's source with @github/local-action
 * against local stand-ins it starts (moto, the HTTPS Teleport issuer on 127.0.0.1:443 as
 * `localhost`, the tctl stand-in), then stops them. Inputs come from the env file: .env if
 * present, else .env.example. A debugging aid: local-action exits 0 even when the step fails.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startIssuerServer } from '../__tests__/support/issuer-server.ts';
import { startMoto } from '../__tests__/support/moto.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const envFile = path.resolve(process.argv[2] ?? (existsSync(path.join(root, '.env')) ? '.env' : '.env.example'));
const moto = await startMoto();
const issuer = await startIssuerServer({ host: '127.0.0.1', port: 443, issuer: 'https://localhost', clusterName: 'teleport.example.com' }).catch(
  async (error: Error) => {
    await moto.stop();
    throw error;
  },
);
let status: number;
try {
  const env = {
    ...process.env,
    AWS_ENDPOINT_URL: moto.url,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_REGION: 'us-east-1',
    // Read by Node at start: it has to be in local-action's environment, not in the env file.
    NODE_EXTRA_CA_CERTS: issuer.caFile,
    TCTL_STANDIN_DIR: mkdtempSync(path.join(os.tmpdir(), 'local-action-tctl-')),
  };
  console.log(`local-action with ${path.relative(root, envFile)} against moto (${moto.url}) and the issuer on 127.0.0.1:443`);
  const localAction = path.join(root, 'node_modules/.bin/local-action');
  // Not spawnSync: the stand-ins serve from this process's event loop.
  const child = spawn(localAction, ['run', root, 'src/start.ts', envFile], { cwd: root, env, stdio: 'inherit' });
  status = await new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? 1)));
} finally {
  await issuer.close();
  await moto.stop();
}
process.exit(status);
