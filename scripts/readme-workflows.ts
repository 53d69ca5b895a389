/**
 * Writes every complete workflow shown in the README and docs/ (a ```yaml block with `on:` and
 * `jobs:`) to <dir>/.github/workflows/<page>-<line>.yml, so actionlint and zizmor check the
 * examples users copy: `node scripts/readme-workflows.ts <dir>`. Prints how many it wrote.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isWorkflow, yamlExamples } from './doc-examples.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const target = process.argv[2];
if (!target) {
  console.error('usage: node scripts/readme-workflows.ts <dir>');
  process.exit(2);
}
const workflows = yamlExamples(root).filter(isWorkflow);
if (workflows.length === 0) {
  console.error('README.md and docs/ show no complete workflow: nothing to check');
  process.exit(1);
}
const dir = path.join(target, '.github', 'workflows');
mkdirSync(dir, { recursive: true });
for (const example of workflows) {
  writeFileSync(path.join(dir, `${path.basename(example.file, '.md').toLowerCase()}-${example.line}.yml`), example.text);
}
console.log(`${workflows.length} workflows of README.md and docs/ written to ${dir}`);
