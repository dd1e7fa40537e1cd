import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const LOCK_FILE = 'serfbort-hub.lock';

/**
 * When the process started, in clock ticks since boot (field 22 of /proc/PID/stat), or
 * undefined where /proc is missing. The command name (field 2) may hold spaces and
 * parentheses, so the fields are counted from the last ')'.
 */
function startTicks(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * A holder is the process named in the lock only if it is alive AND started when the
 * lock says: after a crash the PID is often reused (pid_max is 32768 on many hosts),
 * and a hub that took a stranger for its predecessor would never start again.
 */
function holdsLock(pid: number, started: string | undefined): boolean {
  if (!alive(pid)) return false;
  if (started === undefined) return true; // a lock from an older hub, or no /proc: be safe
  const now = startTicks(pid);
  return now === undefined || now === started;
}

/**
 * One process per embedded data directory: two would corrupt it. A lock file names
 * the holder (PID and start time); one left by a process that died is taken over.
 */
export function lockDataDir(dataDir: string): () => void {
  const path = join(dataDir, LOCK_FILE);
  const mine = [process.pid, startTicks(process.pid)].filter((x) => x !== undefined).join(' ');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(path, mine, { flag: 'wx', mode: 0o600 });
      return () => rmSync(path, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const [pidText, started] = readFileSync(path, 'utf8').trim().split(/\s+/);
      const holder = Number(pidText);
      if (
        Number.isInteger(holder) &&
        holder > 0 &&
        holder !== process.pid &&
        holdsLock(holder, started)
      ) {
        throw new Error(
          `the data directory ${dataDir} is in use by process ${holder}; stop it first`,
        );
      }
      rmSync(path, { force: true });
    }
  }
  throw new Error(`could not lock the data directory ${dataDir}`);
}
