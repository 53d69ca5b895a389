/**
 * `npm run local-action`: @github/local-action runs the action's source against the local
 * stand-ins. (This suite's issuer holds 127.0.0.1:443, so the wrapper runs it in a network
 * namespace of its own, as it would for an ordinary user.) local-action exits 0 even when the
 * step fails, so what counts is what it prints.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './support/harness.js';

function localAction(env: string, live = false): Promise<{ code: number; output: string }> {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'local-action-env-')), '.env');
  writeFileSync(file, env);
  const child = spawn(
    process.execPath,
    ['--no-warnings', 'scripts/with-port-443.ts', process.execPath, '--no-warnings', 'scripts/local-action.ts', file, ...(live ? ['--live'] : [])],
    {
      cwd: ROOT,
      // MOTO_PYTHON, where set, names the interpreter that imports moto (__tests__/support/moto.ts).
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...(process.env.MOTO_PYTHON ? { MOTO_PYTHON: process.env.MOTO_PYTHON } : {}) },
    },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code: code ?? 1, output })));
}

const inputs = [
  'INPUT_CLUSTER-URL=localhost',
  'INPUT_CLUSTER-NAME=teleport.example.com',
  'INPUT_INTEGRATION=aws-local',
  'INPUT_ROLE-NAME=teleport-local-role',
  'INPUT_TCTL-PATH=__tests__/support/fake-tctl/tctl',
];

describe('npm run local-action', () => {
  it('runs the source with @github/local-action against the stand-ins', async () => {
    const { code, output } = await localAction([...inputs, 'INPUT_FEATURES=eks'].join('\n'));
    expect(code, output).toBe(0);
    expect(output).toContain('::info::AWS calls: 9 (3 writes); tctl calls: 2');
    expect(output).toContain(`'{"eks":{"policy":"EKSAccess","status":"created"}}'`);
    expect(output).toContain('No job summary: this runner gives no job summary'); // local-action has none: the report is in the log
    expect(output).toContain('## Teleport AWS OIDC integration: apply');
    expect(output).not.toContain('::error::');
  }, 60_000);

  it('shows a bad input as the error it is', async () => {
    // Bad input fails before any call: no stand-ins needed (--live starts none).
    const { output } = await localAction([...inputs, 'INPUT_FEATURES=lambda'].join('\n'), true);
    expect(output).toMatch(/::error::Input 'features': line 1: \\?"lambda\\?" is not a feature/);
    expect(output).not.toContain('AWS calls:');
  }, 60_000);
});
