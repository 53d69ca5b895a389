/**
 * `npm run local-action [env file]`: runs the action's source with @github/local-action
 * against local stand-ins it starts (moto, the HTTPS Teleport issuer on 127.0.0.1:443 as
 * `localhost`, the tctl stand-in), then stops them. Inputs come from the env file: .env if
 * present, else .env.example. A debugging aid: local-action exits 0 even when the step fails.
 *
 * `npm run local-action:live [env file]` (`--live`): no stand-ins. The action runs against
 * whatever this shell reaches (AWS credentials from the environment or a profile, tctl signed
 * in): for `mode: import` from a laptop (.env.import.example).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startStandIns } from './start-stand-ins.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const live = process.argv.includes('--live');
const [envArg] = process.argv.slice(2).filter((arg) => arg !== '--live');
const envFile = path.resolve(envArg ?? (live ? '.env.import' : existsSync(path.join(root, '.env')) ? '.env' : '.env.example'));
const localAction = path.join(root, 'node_modules/.bin/local-action');

function runLocalAction(env: NodeJS.ProcessEnv): Promise<number> {
  // Not spawnSync: the stand-ins serve from this process's event loop.
  const child = spawn(localAction, ['run', root, 'src/start.ts', envFile], { cwd: root, env, stdio: 'inherit' });
  return new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? 1)));
}

if (live) {
  if (!existsSync(envFile)) {
    console.error(`${path.relative(root, envFile)} does not exist: copy .env.import.example to it and fill it in`);
    process.exit(2);
  }
  console.log(`local-action with ${path.relative(root, envFile)} against what this shell reaches (no stand-ins)`);
  // A temp folder of its own, as the wrapper gives the stand-in runs (tsx's fixed-name IPC folder).
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'local-action-live-'));
  const code = await runLocalAction({ ...process.env, TMPDIR: tmp });
  rmSync(tmp, { recursive: true, force: true });
  process.exit(code);
}
const standIns = await startStandIns();
const { moto, issuer } = standIns;
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
  status = await runLocalAction(env);
} finally {
  await standIns.stop();
}
process.exit(status);
