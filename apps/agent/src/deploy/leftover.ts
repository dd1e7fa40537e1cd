import { readFileSync } from 'node:fs';

/**
 * A deploy's process group survives a SIGKILLed agent (it runs detached). After a
 * restart the journal names it; it is ended only if its leader still runs the
 * journaled program, so a reused process id is never hit.
 */
export function endLeftoverGroup(pgid: number, program: string): boolean {
  try {
    const cmdline = readFileSync(`/proc/${pgid}/cmdline`, 'utf8').split('\0');
    if (!cmdline.includes(program)) return false;
    process.kill(-pgid, 'SIGKILL');
    return true;
  } catch {
    return false;
  }
}
