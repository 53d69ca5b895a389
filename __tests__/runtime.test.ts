/** The tests run on the runtime the action declares, and the action's metadata matches its code. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT } from './support/harness.js';

const action = parse(readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as {
  runs: { using: string; main: string };
  inputs: Record<string, { default?: string; required?: boolean }>;
  outputs: Record<string, unknown>;
};

describe('runtime and metadata', () => {
  it('runs on Node 24, as action.yml declares', () => {
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js' });
    expect(process.versions.node.split('.')[0]).toBe('24');
  });

  it('the bundle is ESM', () => {
    expect(JSON.parse(readFileSync(path.join(ROOT, 'dist/package.json'), 'utf8'))).toEqual({ type: 'module' });
  });

  it('action.yml declares every input the code reads and every output it sets', () => {
    const source = ['src/start.ts', 'src/action.ts', 'src/config/inputs.ts', 'src/config/import-inputs.ts']
      .map((f) => readFileSync(path.join(ROOT, f), 'utf8'))
      .join('\n');
    const read = new Set([...source.matchAll(/read\('([a-z-]+)'\)|getInput\('([a-z-]+)'\)/g)].map((m) => m[1] ?? m[2]));
    expect([...read].sort()).toEqual(Object.keys(action.inputs).sort());
    expect(Object.keys(action.outputs).sort()).toEqual([
      'account-id',
      'changes',
      'config',
      'discovery',
      'drift',
      'features',
      'imported',
      'matrix',
      'plan',
      'provider-arn',
      'results',
      'role-arn',
    ]);
    // cluster-url, integration and role-name are required without config only: the code enforces it.
    expect(Object.entries(action.inputs).filter(([, i]) => i.required)).toEqual([]);
  });

  it('the README documents every input and output', () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    for (const name of [...Object.keys(action.inputs), ...Object.keys(action.outputs)]) expect(readme).toContain(`| \`${name}\` |`);
  });
});
