/**
 * Start-time benchmark (prints figures; not a test): runs our dist/index.js and
 * configure-aws-credentials' committed bundle (../shared/anchors/) alternately with the same
 * Node, as the runner would, with no inputs: both stop at their first missing input. Reports
 * the median wall time of each, the median of the per-pair ratios, and the median peak RSS.
 * `node scripts/bench-start.ts [pairs]` (npm run bench:start).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const anchor = path.resolve(root, '../shared/anchors/configure-aws-credentials-dist.js');
const ours = path.join(root, 'dist/index.js');
const pairs = Number(process.argv[2] ?? 21);
if (!existsSync(anchor)) {
  console.error(`no anchor bundle at ${anchor}`);
  process.exit(1);
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-start-'));
// The anchor's bundle is CommonJS: run a copy under a .cjs name next to nothing else.
const anchorCopy = path.join(dir, 'configure-aws-credentials.cjs');
writeFileSync(anchorCopy, readFileSync(anchor));
// Records the child's peak RSS when it exits (the same few lines in both runs).
const rssFile = path.join(dir, 'rss');
const recorder = `data:text/javascript,import fs from "node:fs";process.on("exit",()=>fs.writeFileSync(${JSON.stringify(rssFile)},String(process.resourceUsage().maxRSS)))`;

function once(bundle: string): { ms: number; rssMiB: number; stoppedAt: string } {
  const output = path.join(dir, 'output');
  writeFileSync(output, '');
  const env = { PATH: process.env.PATH ?? '', GITHUB_OUTPUT: output, GITHUB_ACTIONS: 'true', RUNNER_TEMP: dir };
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, ['--import', recorder, bundle], { env, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const stoppedAt = (result.stdout.match(/::error::.*/)?.[0] ?? result.stderr.split('\n')[0] ?? '').slice(0, 100);
  return { ms, rssMiB: Number(readFileSync(rssFile, 'utf8')) / 1024, stoppedAt };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
// One untimed run each warms the file cache.
once(ours);
once(anchorCopy);
const runs: { ours: ReturnType<typeof once>; anchor: ReturnType<typeof once> }[] = [];
for (let i = 0; i < pairs; i++) {
  // Alternate which goes first, so neither always runs on a warmer machine.
  if (i % 2 === 0) runs.push({ ours: once(ours), anchor: once(anchorCopy) });
  else {
    const anchorRun = once(anchorCopy);
    runs.push({ ours: once(ours), anchor: anchorRun });
  }
}
rmSync(dir, { recursive: true, force: true });

const f = (n: number) => n.toFixed(1);
console.log(`Node ${process.version}, ${pairs} pairs, no inputs (each stops at its first missing input)`);
console.log(`  ours:   stops at ${runs[0].ours.stoppedAt}`);
console.log(`  anchor: stops at ${runs[0].anchor.stoppedAt}`);
console.log(`  median wall time: ours ${f(median(runs.map((r) => r.ours.ms)))} ms, configure-aws-credentials ${f(median(runs.map((r) => r.anchor.ms)))} ms`);
console.log(`  median ratio (ours / anchor, per pair): ${median(runs.map((r) => r.ours.ms / r.anchor.ms)).toFixed(2)}`);
console.log(
  `  median peak RSS: ours ${f(median(runs.map((r) => r.ours.rssMiB)))} MiB, configure-aws-credentials ${f(median(runs.map((r) => r.anchor.rssMiB)))} MiB`,
);
