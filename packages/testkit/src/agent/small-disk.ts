import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface SmallDisk {
  path: string;
  /** writes until the disk refuses (ENOSPC) */
  fill(): void;
  /** removes what fill() wrote */
  free(): void;
  unmount(): void;
}

/**
 * A real filesystem that runs out of room: a 1 MiB tmpfs. Mounting needs root; without
 * it this returns undefined and the caller skips, saying why.
 */
export function mountSmallDisk(prefix = 'serfbort-smalldisk-'): SmallDisk | undefined {
  const path = mkdtempSync(join(tmpdir(), prefix));
  if (spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', path]).status !== 0) {
    rmSync(path, { recursive: true, force: true });
    return undefined;
  }
  const filler = join(path, 'filler');
  return {
    path,
    fill() {
      try {
        // bounded: 1 MiB of 4 KiB pages is 256 writes
        for (let i = 0; i < 4096; i++) appendFileSync(filler, Buffer.alloc(4096));
      } catch {
        // ENOSPC: the disk is full to the last page
      }
    },
    free: () => rmSync(filler, { force: true }),
    unmount() {
      spawnSync('umount', ['-l', path]);
      rmSync(path, { recursive: true, force: true });
    },
  };
}
