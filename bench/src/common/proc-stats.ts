import { readFileSync } from 'node:fs';

/** Linux clock ticks per second for /proc/<pid>/stat (getconf CLK_TCK; 100 on every common kernel). */
const CLOCK_TICKS = 100;

/** User + system CPU time of a process in ms, from /proc (10 ms resolution). */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // the command name may contain spaces; fields restart after its closing paren
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return ((utime + stime) * 1000) / CLOCK_TICKS;
}

/** Resident set size in bytes. */
export function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /VmRSS:\s+(\d+) kB/.exec(status);
  return match ? Number(match[1]) * 1024 : Number.NaN;
}
