import type { AgentProblem } from '@serfbort/core';
import type { Logger } from 'pino';
import type { StateDir } from './state-dir.js';
import type { StorageFailure } from './storage-failure.js';
import { storageFailure, storageProblem } from './storage-failure.js';

/** About one receipt: room for this is room for the next state write. */
const PROBE_BYTES = 4096;

/**
 * Whether the state directory takes writes, as the last write or probe found it. Kept in
 * memory, the one place a full disk cannot refuse, and re-probed on the presence timer.
 */
export class StorageHealth {
  private current: AgentProblem | undefined;

  constructor(
    private readonly dir: StateDir,
    private readonly log: Logger,
  ) {}

  get problem(): AgentProblem | undefined {
    return this.current;
  }

  /** A state write failed: say so once per kind of failure, and remember it. */
  failed(e: unknown, now: number): StorageFailure {
    const f = storageFailure(e);
    if (this.current?.code !== f.code) {
      this.current = storageProblem(f, now);
      this.log.error(
        { event: 'state.unwritable', code: f.code, errno: f.errno, err: f.message },
        `cannot write the state directory ${this.dir.path} (${f.errno}): deploys are answered failed/${f.code} until there is room`,
      );
    }
    return f;
  }

  /** Tries a write now. `cleared` when a problem just went away. */
  probe(now: number): 'ok' | 'cleared' | 'failing' {
    try {
      this.dir.probeWrite(PROBE_BYTES);
    } catch (e) {
      this.failed(e, now);
      return 'failing';
    }
    if (!this.current) return 'ok';
    this.current = undefined;
    this.log.info(
      { event: 'state.writable', path: this.dir.path },
      'the state directory takes writes again',
    );
    return 'cleared';
  }
}
