import { randomBytes } from 'node:crypto';
import { readlinkSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { ReleaseLayout } from './layout.js';

/** Where `current` points now (as written, relative), or null when there is no link. */
export function currentTarget(layout: ReleaseLayout): string | null {
  try {
    return readlinkSync(layout.current);
  } catch {
    return null;
  }
}

/**
 * Points `current` at a release in one step: a new link under a temporary name, renamed
 * over the old one, so a reader sees the old tree or the new one, never neither.
 */
export function switchCurrent(layout: ReleaseLayout, name: string): void {
  pointCurrent(layout, relative(layout.dir, join(layout.releases, name)));
}

/** Back to what `current` was before (a switch's undo); no link before means none after. */
export function restoreCurrent(layout: ReleaseLayout, previous: string | null): void {
  if (previous === null) rmSync(layout.current, { force: true });
  else pointCurrent(layout, previous);
}

function pointCurrent(layout: ReleaseLayout, target: string): void {
  const tmp = join(layout.dir, `.current-${randomBytes(6).toString('hex')}`);
  symlinkSync(target, tmp);
  try {
    renameSync(tmp, layout.current);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}
