import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = dirname(fileURLToPath(import.meta.url));

/**
 * protocol → services → context → storage: an import may point down or sideways, never
 * up. The composition root (startHub and the entry points) alone sees everything.
 */
const LAYER: Record<string, number> = {
  'hub.ts': 5,
  'main.ts': 5,
  'index.ts': 5,
  'create-services.ts': 5,
  protocol: 4,
  http: 4,
  agents: 3,
  deploy: 3,
  rollouts: 3,
  trust: 3,
  cluster: 3,
  audit: 3,
  operators: 3,
  'hub-context.ts': 2,
  'hub-services.ts': 2,
  db: 1,
  config: 1,
  'metrics.ts': 1,
  'logger.ts': 1,
  'hub-limits.ts': 1,
  'errors.ts': 1,
};

/** A file's unit: its top folder, or the file itself at the root. */
const unitOf = (path: string) => path.split('/')[0]!.replace(/\.js$/, '.ts');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory())
      return e.name === 'testing' || e.name === 'migrations' ? [] : sources(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** Every import between two units, type-only ones included (they knot folders as well). */
function unitEdges(): Map<string, Set<string>> {
  const edges = new Map<string, Set<string>>();
  for (const file of sources(SRC)) {
    const from = unitOf(relative(SRC, file));
    for (const [, spec] of readFileSync(file, 'utf8').matchAll(/from '(\.[^']+)'/g)) {
      const to = unitOf(normalize(relative(SRC, join(dirname(file), spec!))));
      if (to === from) continue;
      edges.set(from, (edges.get(from) ?? new Set()).add(to));
    }
  }
  return edges;
}

function cycleThrough(edges: Map<string, Set<string>>, start: string): string[] | undefined {
  const walk = (at: string, path: string[]): string[] | undefined => {
    for (const next of edges.get(at) ?? []) {
      if (next === start) return [...path, next];
      if (!path.includes(next)) {
        const found = walk(next, [...path, next]);
        if (found) return found;
      }
    }
    return undefined;
  };
  return walk(start, [start]);
}

describe('the hub’s folders', () => {
  const edges = unitEdges();

  it('each belong to a layer', () => {
    const units = new Set([...edges.keys(), ...[...edges.values()].flatMap((s) => [...s])]);
    expect([...units].filter((u) => LAYER[u] === undefined)).toEqual([]);
  });

  it('import nothing from a layer above their own', () => {
    const upward = [...edges].flatMap(([from, tos]) =>
      [...tos].filter((to) => LAYER[to]! > LAYER[from]!).map((to) => `${from} → ${to}`),
    );
    expect(upward).toEqual([]);
  });

  it('import each other without a cycle', () => {
    const cycles = [...edges.keys()].flatMap((u) => cycleThrough(edges, u)?.join(' → ') ?? []);
    expect(cycles).toEqual([]);
  });
});
