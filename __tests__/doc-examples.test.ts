/**
 * Every YAML example in the README and docs/ is what it claims to be: it parses (a duplicate
 * key is an error, as the config parser says), a config file validates against the schema and
 * the entry rules, and every step of this action (in a workflow or a step list) and every input
 * snippet takes inputs the action accepts. The workflows are also linted (npm run lint).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, parseDocument } from 'yaml';
import { parseConfigFile } from '../src/config/config-file.js';
import { parseImportSettings } from '../src/config/import-inputs.js';
import { parseSettings } from '../src/config/inputs.js';
import { FEATURE_KEYS } from '../src/config/features.js';
import { isWorkflow, yamlExamples, type YamlExample } from '../scripts/doc-examples.js';
import { ROOT } from './support/harness.js';

const ACTION = 'acme/teleport-aws-oidc-integration-action@v1';
const INPUTS = Object.keys((parse(readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as { inputs: object }).inputs);
/** What a snippet of one or two inputs leaves out: the required ones. */
const REQUIRED = { 'cluster-url': 'teleport.example.com', integration: 'aws-prod', 'role-name': 'teleport-aws-prod' };

type Step = { uses?: string; with?: Record<string, unknown> };

/** Validates a step's inputs as the action would, unless they are expressions only a run knows. */
function checkInputs(inputs: Record<string, unknown>, where: string): 'checked' | 'expressions' {
  const values = Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, typeof v === 'string' ? v : String(v)]));
  if (Object.values(values).some((v) => v.includes('${{'))) return 'expressions';
  const read = (name: string) => values[name] ?? '';
  if (values.config) return 'checked'; // the file's own examples are checked below
  expect(() => (values.mode === 'import' ? parseImportSettings(read) : parseSettings(read)), where).not.toThrow();
  return 'checked';
}

function stepsOf(value: unknown): Step[] {
  if (Array.isArray(value)) return value as Step[];
  const jobs = (value as { jobs?: Record<string, { steps?: Step[] }> }).jobs ?? {};
  return Object.values(jobs).flatMap((job) => job.steps ?? []);
}

const examples = yamlExamples(ROOT);
const name = (e: YamlExample) => `${e.file}:${e.line}`;

describe('the YAML examples of README.md and docs/', () => {
  it('are found (every page with examples is read)', () => {
    expect(new Set(examples.map((e) => e.file))).toEqual(
      new Set([
        'README.md',
        'docs/config-file.md',
        'docs/destroy.md',
        'docs/discovery.md',
        'docs/features.md',
        'docs/import.md',
        'docs/organizations.md',
        'docs/permissions.md',
        'docs/roles-anywhere.md',
        'docs/workflows.md',
      ]),
    );
  });

  it.each(examples.map((e) => [name(e), e] as const))('%s parses, and is valid for what it is', (where, example) => {
    const document = parseDocument(example.text, { uniqueKeys: true });
    expect(
      document.errors.map((e) => e.message),
      where,
    ).toEqual([]);
    const value = document.toJS() as unknown;
    if (value && typeof value === 'object' && !Array.isArray(value) && 'integrations' in value) {
      // A config file: the schema and the entry rules, as a run reads it.
      expect(() => parseConfigFile('teleport-integrations.yml', example.text, () => ''), where).not.toThrow();
      return;
    }
    const steps = stepsOf(value).filter((step) => step?.uses === ACTION);
    if (isWorkflow(example) || Array.isArray(value)) {
      for (const step of steps) checkInputs(step.with ?? {}, where);
      if (isWorkflow(example)) expect(steps.length, `${where}: a workflow that runs this action`).toBeGreaterThan(0);
      return;
    }
    const keys = Object.keys(value as object);
    if (keys.every((key) => INPUTS.includes(key))) {
      // A snippet of inputs.
      checkInputs({ ...REQUIRED, ...(value as object) }, where);
      return;
    }
    // Anything else is a Teleport resource to create with tctl.
    expect(value, where).toMatchObject({ kind: expect.any(String), version: expect.any(String), metadata: { name: expect.any(String) } });
  });

  it('catch a duplicate key, as the config parser does', () => {
    const duplicate = 'integrations:\n  - integration: a\n    role-name: r\n    account-id: "123456789012"\n    account-id: "123456789012"\n';
    expect(parseDocument(duplicate, { uniqueKeys: true }).errors).not.toEqual([]);
    expect(() => parseConfigFile('teleport-integrations.yml', duplicate, () => '')).toThrow(/account-id|unique|duplicate/i);
  });
});

describe('the features tables of README.md and docs/features.md', () => {
  /** The keys in the first column of the tables under a heading, up to the next heading of its level. */
  const keysUnder = (file: string, heading: string): string[] => {
    const text = `\n${readFileSync(path.join(ROOT, file), 'utf8')}`;
    const start = text.indexOf(`\n${heading}\n`);
    expect(start, `${file}: ${heading}`).toBeGreaterThan(-1);
    const end = text.indexOf(`\n${heading.split(' ')[0]} `, start + heading.length + 2);
    return [...text.slice(start, end === -1 ? undefined : end).matchAll(/^\| `([a-z0-9-]+)` \|/gm)].map((m) => m[1]);
  };

  it('list every feature key once, each with the Teleport subcommand it replaces', () => {
    for (const [file, heading] of [
      ['README.md', '## Features'],
      ['docs/features.md', '# Features'],
    ]) {
      const keys = keysUnder(file, heading).filter((key) => (FEATURE_KEYS as readonly string[]).includes(key));
      expect(keys, file).toEqual([...FEATURE_KEYS]);
    }
  });
});
