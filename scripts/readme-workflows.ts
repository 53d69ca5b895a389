/**
 * Writes every complete workflow shown in the README (a ```yaml block with `on:` and `jobs:`)
 * to <dir>/.github/workflows/readme-<n>.yml, so actionlint and zizmor check the examples users
 * copy: `node scripts/readme-workflows.ts <dir>`. Prints how many it wrote.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const target = process.argv[2];
if (!target) {
  console.error('usage: node scripts/readme-workflows.ts <dir>');
  process.exit(2);
}
const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
// Blocks inside a list item are indented: taken out at their fence's indentation.
const blocks = [...readme.matchAll(/^( *)```yaml\n([\s\S]*?)^ *```/gm)]
  .map((m) => m[2].replace(new RegExp(`^${m[1]}`, 'gm'), ''))
  .filter((text) => /^on:/m.test(text) && /^jobs:/m.test(text));
if (blocks.length === 0) {
  console.error('README.md shows no complete workflow: nothing to check');
  process.exit(1);
}
const dir = path.join(target, '.github', 'workflows');
mkdirSync(dir, { recursive: true });
blocks.forEach((text, i) => writeFileSync(path.join(dir, `readme-${i + 1}.yml`), text));
console.log(`${blocks.length} README workflows written to ${dir}`);
