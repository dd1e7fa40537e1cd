import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

  it('names the holder by PID and start time, and refuses while that process lives', () => {
    const unlock = lockDataDir(dir);
    const [pid, started] = readFileSync(join(dir, 'serfbort-hub.lock'), 'utf8').split(' ');
    expect(Number(pid)).toBe(process.pid);
    expect(started).toMatch(/^\d+$/);
    unlock();
    // the parent (vitest) with its own, true start time still holds a lock written for it
    const parentStart = readFileSync(`/proc/${process.ppid}/stat`, 'utf8')
      .split(') ')[1]!
      .split(' ')[19];
    writeFileSync(join(dir, 'serfbort-hub.lock'), `${process.ppid} ${parentStart}`);
    expect(() => lockDataDir(dir)).toThrow(/in use by process/);
    rmSync(join(dir, 'serfbort-hub.lock'));
  });

  it('takes over a lock whose PID now belongs to another, live process (PID reuse after a crash)', async () => {
    // a live process that is not the hub that wrote the lock: same PID, other start time
    const stranger = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      writeFileSync(join(dir, 'serfbort-hub.lock'), `${stranger.pid} 1`);
      const unlock = lockDataDir(dir);
      expect(readFileSync(join(dir, 'serfbort-hub.lock'), 'utf8')).toMatch(
        new RegExp(`^${process.pid} `),
      );
      unlock();
    } finally {
      stranger.kill();
    }
  });

  it('takes over a lock left by a process that died', () => {
    writeFileSync(join(dir, 'serfbort-hub.lock'), '999999999');
    const unlock = lockDataDir(dir);
    unlock();
  });
});
