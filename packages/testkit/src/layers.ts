import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';

/** A file's unit: its top folder, or the file itself at the root. */
const unitOf = (path: string) => path.split('/')[0]!.replace(/\.js$/, '.ts');

function sources(dir: string, skip: readonly string[]): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return skip.includes(e.name) ? [] : sources(path, skip);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** Every import between two units of `src`, type-only ones included (they knot folders as well). */
export function unitEdges(src: string, skip: readonly string[] = []): Map<string, Set<string>> {
  const edges = new Map<string, Set<string>>();
  for (const file of sources(src, skip)) {
    const from = unitOf(relative(src, file));
    for (const [, spec] of readFileSync(file, 'utf8').matchAll(/from '(\.[^']+)'/g)) {
      const to = unitOf(normalize(relative(src, join(dirname(file), spec!))));
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

/**
 * What breaks a layered layout: units with no layer, imports pointing to a higher layer,
 * and cycles between units. Each list is empty in a layout that holds.
 */
export function layerViolations(
  edges: Map<string, Set<string>>,
  layer: Readonly<Record<string, number>>,
): { unplaced: string[]; upward: string[]; cycles: string[] } {
  const units = new Set([...edges.keys(), ...[...edges.values()].flatMap((s) => [...s])]);
  return {
    unplaced: [...units].filter((u) => layer[u] === undefined),
    upward: [...edges].flatMap(([from, tos]) =>
      [...tos].filter((to) => layer[to]! > layer[from]!).map((to) => `${from} → ${to}`),
    ),
    cycles: [...edges.keys()].flatMap((u) => cycleThrough(edges, u)?.join(' → ') ?? []),
  };
}
