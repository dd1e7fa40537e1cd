import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lockDataDir } from './dir-lock.js';

const dir = mkdtempSync(join(tmpdir(), 'serfbort-lock-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the data directory lock', () => {
  it('lets one process in at a time and releases on close', () => {
    const unlock = lockDataDir(dir);
    writeFileSync(join(dir, 'serfbort-hub.lock'), String(process.ppid));
    expect(() => lockDataDir(dir)).toThrow(/in use by process/);
    writeFileSync(join(dir, 'serfbort-hub.lock'), String(process.pid));
    unlock();
    expect(existsSync(join(dir, 'serfbort-hub.lock'))).toBe(false);
  });

  it('takes over a lock left by a process that died', () => {
    writeFileSync(join(dir, 'serfbort-hub.lock'), '999999999');
    const unlock = lockDataDir(dir);
    unlock();
  });
});
