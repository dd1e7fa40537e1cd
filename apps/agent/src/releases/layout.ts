import { readFileSync, readlinkSync } from 'node:fs';
import { basename, join } from 'node:path';
import { z } from 'zod';

/**
 * Where a release app's files live, all under its configured `dir`:
 * `releases/<name>/` the unpacked trees, `releases/<name>.json` what each holds (written by
 * the agent beside the tree, never inside it, so an artifact cannot forge it), `current`
 * the link to the running one, `.incoming/` downloads and half-unpacked trees.
 */
export interface ReleaseLayout {
  dir: string;
  releases: string;
  current: string;
  incoming: string;
}

export function layoutOf(dir: string): ReleaseLayout {
  return {
    dir,
    releases: join(dir, 'releases'),
    current: join(dir, 'current'),
    incoming: join(dir, '.incoming'),
  };
}

/** `<version>-<first 12 hex of the digest>`; a version's `/` becomes `_` so it stays one name. */
export function releaseName(version: string, sha256: string): string {
  return `${version.replaceAll('/', '_')}-${sha256.slice(0, 12)}`;
}

export const releaseMeta = z.strictObject({
  version: z.string(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  size: z.number().int().min(0),
  unpackedAt: z.number().int(),
  /** the before hook passed: a rollback to it only switches the link */
  prepared: z.boolean(),
});
export type ReleaseMeta = z.infer<typeof releaseMeta>;

export const metaPath = (layout: ReleaseLayout, name: string): string =>
  join(layout.releases, `${name}.json`);

export function readMeta(layout: ReleaseLayout, name: string): ReleaseMeta | undefined {
  try {
    const parsed = releaseMeta.safeParse(JSON.parse(readFileSync(metaPath(layout, name), 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** The release `current` points to, if it is one of ours with a readable record. */
export function readCurrent(
  layout: ReleaseLayout,
): { name: string; meta: ReleaseMeta } | undefined {
  let target: string;
  try {
    target = readlinkSync(layout.current);
  } catch {
    return undefined;
  }
  const name = basename(target);
  const meta = readMeta(layout, name);
  return meta ? { name, meta } : undefined;
}
