/**
 * The YAML examples the README and docs/ show, read where they stand: each ```yaml block with
 * its file and line, taken out of a list item at its fence's indentation. The workflows among
 * them are linted (scripts/readme-workflows.ts); every block is parsed by a test
 * (__tests__/doc-examples.test.ts).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export interface YamlExample {
  /** Relative to the repository: README.md or docs/<page>.md. */
  file: string;
  line: number;
  text: string;
}

export function documentationFiles(root: string): string[] {
  const docs = readdirSync(path.join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => `docs/${name}`);
  return ['README.md', ...docs];
}

export function yamlExamples(root: string): YamlExample[] {
  return documentationFiles(root).flatMap((file) => {
    const markdown = readFileSync(path.join(root, file), 'utf8');
    return [...markdown.matchAll(/^( *)```yaml\n([\s\S]*?)^ *```/gm)].map((m) => ({
      file,
      line: markdown.slice(0, m.index).split('\n').length,
      text: m[2].replace(new RegExp(`^${m[1]}`, 'gm'), ''),
    }));
  });
}

/** A complete workflow: `on:` and `jobs:` at the top level. */
export const isWorkflow = (example: YamlExample): boolean => /^on:/m.test(example.text) && /^jobs:/m.test(example.text);
