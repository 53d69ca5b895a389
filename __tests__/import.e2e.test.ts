/**
 * mode import through the committed dist/index.js, as the runner runs it: the file lands in
 * the workspace and in the job summary, then a plan and an apply with it (also through dist)
 * change nothing; a second import never overwrites the file.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, TCTL_STANDIN, useHarness } from './support/harness.js';
import { runStep } from './support/runner.js';
import { webUi } from './support/web-ui.js';

const h = useHarness();
const { webUiProvider, webUiIntegration, webUiDocument } = webUi(h);
const CONFIG = '.github/teleport-integrations.yml';

describe('mode import through dist/index.js', () => {
  it('writes the file in the workspace and the summary, writes nothing else; a plan and an apply with it change nothing', async () => {
    await webUiProvider('aws-prod');
    await webUiIntegration('aws-prod', 'teleport-aws-prod', ['eks', 'ec2-ssm']);
    await webUiIntegration('aws-dev', 'teleport-aws-dev', ['rds']);
    await webUiDocument('aws-prod');
    const workspace = mkdtempSync(path.join(os.tmpdir(), 'workspace-'));
    const env = h.stepEnv({ GITHUB_WORKSPACE: workspace });
    const step = (inputs: Record<string, string>) => runStep({ inputs: { 'cluster-url': 'localhost', 'tctl-path': TCTL_STANDIN, ...inputs }, env });

    h.proxy.clear();
    const imported = await step({ mode: 'import', config: CONFIG });
    expect(imported.exitCode, imported.stdout).toBe(0);
    expect(h.proxy.writes()).toEqual([]);
    expect(h.tctlWrites()).toBe(0);
    expect(imported.outputs.config).toBe(CONFIG);
    expect(JSON.parse(imported.outputs.imported)).toEqual(['aws-dev', 'aws-prod']);
    expect(imported.stdout).toMatch(/AWS calls: \d+ \(0 writes\); tctl calls: 2 \(0 writes\)/);
    // One listing of each kind: the self-check's plans read them from the import's own reads.
    expect(
      h
        .tctlCalls()
        .map((c) => c.argv.slice(0, 2).join(' '))
        .sort(),
    ).toEqual(['get discovery_config', 'get integrations']);
    const file = readFileSync(path.join(workspace, CONFIG), 'utf8');
    expect(file).toContain(
      '  - integration: aws-prod\n    role-name: teleport-aws-prod\n    account-id: "123456789012"\n    features:\n      eks:\n      ec2-ssm:\n        regions: [us-east-1]\n',
    );
    expect(imported.summary).toContain('**2 integrations imported into .github/teleport-integrations.yml**');
    expect(imported.summary).toContain(`\`\`\`\`yaml\n${file.trimEnd()}\n\`\`\`\``);

    // The file as the next workflow reads it: a plan shows nothing, an apply writes nothing.
    const plan = await step({ 'cluster-url': '', mode: 'plan', config: CONFIG });
    expect(plan.exitCode, plan.stdout).toBe(0);
    expect(plan.outputs.changes).toBe('false');
    h.proxy.clear();
    const apply = await step({ 'cluster-url': '', mode: 'apply', config: CONFIG });
    expect(apply.exitCode, apply.stdout).toBe(0);
    expect(apply.outputs.changes).toBe('false');
    expect(h.proxy.writes()).toEqual([]);
    expect(h.tctlWrites()).toBe(0);

    // Again: the file is there, so it is shown, never overwritten.
    const before = statSync(path.join(workspace, CONFIG)).mtimeMs;
    const again = await step({ mode: 'import', config: CONFIG });
    expect(again.exitCode).toBe(0);
    expect(again.outputs.config).toBe('');
    expect(again.stdout).toContain('::warning title=Config file not written::.github/teleport-integrations.yml already exists: it was not overwritten.');
    expect(again.stdout).toContain('  - integration: aws-dev');
    expect(again.summary).toContain('.github/teleport-integrations.yml already exists and was not overwritten: the file is below');
    expect(statSync(path.join(workspace, CONFIG)).mtimeMs).toBe(before);
    expect(readFileSync(path.join(workspace, CONFIG), 'utf8')).toBe(file);
  });

  it('an account without integrations: nothing to import, no file, a warning', async () => {
    const workspace = mkdtempSync(path.join(os.tmpdir(), 'workspace-'));
    const result = await runStep({
      inputs: { 'cluster-url': 'localhost', 'tctl-path': TCTL_STANDIN, mode: 'import', config: CONFIG },
      env: h.stepEnv({ GITHUB_WORKSPACE: workspace }),
    });
    expect(result.exitCode, result.stdout).toBe(0);
    expect(result.outputs.config).toBe('');
    expect(result.outputs.imported).toBe('[]');
    expect(result.stdout).toContain('::warning title=Nothing imported::Nothing was imported: Teleport has no aws-oidc integration; no file was written.');
    expect(() => statSync(path.join(workspace, CONFIG))).toThrow(/ENOENT/);
  });

  it('npm run local-action:live imports with what the shell reaches (here: moto, the issuer and the tctl stand-in), into GITHUB_WORKSPACE', async () => {
    await webUiProvider('aws-laptop');
    await webUiIntegration('aws-laptop', 'teleport-laptop', ['eks']);
    const workspace = mkdtempSync(path.join(os.tmpdir(), 'workspace-'));
    const envFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'local-action-env-')), '.env.import');
    writeFileSync(
      envFile,
      ['INPUT_MODE=import', 'INPUT_CLUSTER-URL=localhost', `INPUT_CONFIG=${CONFIG}`, `INPUT_TCTL-PATH=${TCTL_STANDIN}`, `GITHUB_WORKSPACE=${workspace}`].join(
        '\n',
      ),
    );
    const child = spawn(process.execPath, ['--no-warnings', 'scripts/local-action.ts', '--live', envFile], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...h.stepEnv() },
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number>((resolve) => child.on('close', (status) => resolve(status ?? 1)));
    expect(code, output).toBe(0);
    expect(output).toContain('against what this shell reaches (no stand-ins)');
    expect(output).not.toContain('::error::');
    expect(h.proxy.writes()).toEqual([]);
    expect(readFileSync(path.join(workspace, CONFIG), 'utf8')).toContain(
      '  - integration: aws-laptop\n    role-name: teleport-laptop\n    account-id: "123456789012"\n    features:\n      eks:\n',
    );
  }, 60_000);
});
