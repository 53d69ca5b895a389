/**
 * The source's folders are layers, and an import never goes up one: a newcomer can read each
 * layer knowing only the ones below it, and no two modules import each other round a circle.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './support/harness.js';

/** Bottom to top: a module may import from its own layer and the ones before it. */
const LAYERS: [layer: string, members: string[]][] = [
  ['foundation', ['errors.ts', 'logger.ts', 'text.ts']],
  ['clients', ['clients/']],
  // The user's declarations, parsed: what the model is made of.
  ['config', ['config/']],
  // The vocabulary the layers above share: resources' shapes, changes, desired state, findings.
  ['model', ['model/']],
  ['resources', ['resources/']],
  ['report', ['report/']],
  ['engine', ['engine/']],
  ['adapter', ['action.ts', 'main.ts', 'start.ts', 'secrets.ts']],
];

const SRC = path.join(ROOT, 'src');

function layerOf(file: string): number {
  const relative = path.relative(SRC, file).split(path.sep).join('/');
  const index = LAYERS.findIndex(([, members]) => members.some((m) => (m.endsWith('/') ? relative.startsWith(m) : relative === m)));
  if (index < 0) throw new Error(`src/${relative} belongs to no layer: add it to LAYERS`);
  return index;
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'generated' ? [] : sources(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** Relative imports, `import type` included: a type from above is still an upward dependency. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/\bfrom\s+'(\.{1,2}\/[^']+)'/g)].map((m) => path.resolve(path.dirname(file), m[1].replace(/\.js$/, '.ts')));
}

describe('layers', () => {
  it('no module imports from a layer above its own', () => {
    const upward = sources(SRC).flatMap((file) =>
      importsOf(file)
        .filter((target) => target.startsWith(SRC + path.sep) && !target.includes(`${path.sep}generated${path.sep}`))
        .filter((target) => layerOf(target) > layerOf(file))
        .map((target) => `${path.relative(SRC, file)} (${LAYERS[layerOf(file)][0]}) imports ${path.relative(SRC, target)} (${LAYERS[layerOf(target)][0]})`),
    );
    expect(upward).toEqual([]);
  });

  it('no modules import each other round a circle, within a layer either', () => {
    const graph = new Map(sources(SRC).map((file) => [file, importsOf(file).filter((target) => target.startsWith(SRC + path.sep))]));
    const circles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (file: string, trail: string[]): void => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'open') {
        circles.push([...trail.slice(trail.indexOf(file)), file].map((f) => path.relative(SRC, f)).join(' -> '));
        return;
      }
      state.set(file, 'open');
      for (const target of graph.get(file) ?? []) visit(target, [...trail, file]);
      state.set(file, 'done');
    };
    for (const file of graph.keys()) visit(file, []);
    expect(circles).toEqual([]);
  });
});
