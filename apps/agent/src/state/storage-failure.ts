import type { AgentProblem } from '@serfbort/core';

/** A write to the state directory that failed, named by its errno for the operator. */
export interface StorageFailure {
  code: 'DISK_FULL' | 'STATE_UNWRITABLE';
  /** ENOSPC, EROFS, …; `error` when the failure carried none */
  errno: string;
  /** the system's own words for it */
  message: string;
}

/** Out of room: freeing space is the fix. Any other write error needs a person too. */
const NO_ROOM = new Set(['ENOSPC', 'EDQUOT']);

export function storageFailure(e: unknown): StorageFailure {
  const errno = (e as NodeJS.ErrnoException | undefined)?.code ?? 'error';
  const message = e instanceof Error ? e.message : String(e);
  return { code: NO_ROOM.has(errno) ? 'DISK_FULL' : 'STATE_UNWRITABLE', errno, message };
}

/** The detail of the `failed` receipt for a request the agent could not record, so did not run. */
export function notRecordedDetail(f: StorageFailure, stateDir: string): string {
  const what = f.code === 'DISK_FULL' ? 'the disk is full' : 'it cannot be written';
  return `not run: the agent cannot record the request in its state directory ${stateDir}, ${what} (${f.errno}); free space or fix the directory, then deploy again`;
}

/** How the failure reads in the agent's presence. */
export function storageProblem(f: StorageFailure, since: number): AgentProblem {
  return {
    code: f.code,
    detail: `${f.code === 'DISK_FULL' ? 'disk full' : 'state unwritable'} (${f.errno})`.slice(
      0,
      256,
    ),
    since,
  };
}
