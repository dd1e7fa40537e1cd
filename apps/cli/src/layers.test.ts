import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = dirname(fileURLToPath(import.meta.url));

/**
 * commands → flows (deploy, rollout, hub session, trust files) → keys and prompts →
 * context, output, config: an import may point down or sideways, never up, so nothing
 * below commands/ imports a command. The entry points alone see everything.
 */
const LAYER: Record<string, number> = {
  'main.ts': 5,
  'program.ts': 5,
  commands: 4,
  deploy: 3,
  rollout: 3,
  hub: 3,
  trust: 3,
  completion: 3,
  keys: 2,
  prompt: 2,
  'context.ts': 1,
  output: 1,
  config: 1,
  'errors.ts': 1,
};

/** A file's unit: its top folder, or the file itself at the root. */
const unitOf = (path: string) => path.split('/')[0]!.replace(/\.js$/, '.ts');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'testing' || e.name === 'e2e' ? [] : sources(path);
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

describe('the CLI’s folders', () => {
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
