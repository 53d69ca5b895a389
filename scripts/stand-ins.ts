/**
 * Starts the demo's stand-ins and keeps them running until killed: the moto AWS emulator and
 * the local HTTPS Teleport issuer on 127.0.0.1:443 (as `localhost`). Prints the environment a
 * step needs as KEY=value lines, and appends them to $GITHUB_ENV when set, so a later
 * `uses: ./` step in the project's own workflow runs the committed action against them.
 */
import { appendFileSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startStandIns } from './start-stand-ins.ts';

const standIns = await startStandIns();
const { moto, issuer } = standIns;
const env: Record<string, string> = {
  AWS_ENDPOINT_URL: moto.url,
  AWS_ACCESS_KEY_ID: 'stand-in',
  AWS_SECRET_ACCESS_KEY: 'stand-in',
  AWS_REGION: 'us-east-1',
  NODE_EXTRA_CA_CERTS: issuer.caFile,
  TCTL_STANDIN_DIR: mkdtempSync(path.join(os.tmpdir(), 'stand-in-tctl-')),
};
const lines =
  Object.entries(env)
    .map(([key, value]) => `${key}=${value}`)
    .join('\n') + '\n';
if (process.env.GITHUB_ENV) appendFileSync(process.env.GITHUB_ENV, lines);
process.stdout.write(lines);
const stop = async () => {
  await standIns.stop();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
