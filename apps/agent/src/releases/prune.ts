import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { ReleaseLayout } from './layout.js';
import { readCurrent, readMeta } from './layout.js';

/**
 * Keeps the newest `keep` releases (the current one always among them) and removes the
 * rest, tree and record. Returns the names removed.
 */
export function pruneReleases(layout: ReleaseLayout, keep: number): string[] {
  const current = readCurrent(layout)?.name;
  const known = readdirSync(layout.releases, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !d.name.startsWith('.'))
    .map((d) => ({ name: d.name, at: readMeta(layout, d.name)?.unpackedAt ?? 0 }))
    .sort((a, b) => b.at - a.at);
  const kept = new Set(current ? [current] : []);
  for (const r of known) if (kept.size < keep) kept.add(r.name);
  const removed = known.filter((r) => !kept.has(r.name)).map((r) => r.name);
  for (const name of removed) {
    rmSync(join(layout.releases, name), { recursive: true, force: true });
    rmSync(join(layout.releases, `${name}.json`), { force: true });
  }
  return removed;
}
