import {
  accessSync,
  constants,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { join } from 'node:path';
import type { StateCode } from '@serfbort/core';
import { writeFileAtomic } from '@serfbort/node';

/** the agent's state-dir codes live in core's union */
export type StateErrorCode = StateCode;

export class StateError extends Error {
  constructor(
    readonly code: StateErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'StateError';
  }
}

/** Names of everything the agent keeps; one place, so `status` and `run` agree. */
export const STATE_FILES = {
  key: 'agent-key.json',
  trust: 'trust.json',
  replay: 'replay.json',
  outbox: 'outbox',
  journal: 'journal',
  receiptChain: 'receipt-chain.json',
} as const;

/**
 * The agent's state directory. Every write is atomic (temp file, fsync, rename),
 * so a crash leaves the old or the new content, never a torn file.
 */
export class StateDir {
  constructor(readonly path: string) {}

  /** Creates the directory tree (owner-only) and proves it is writable before anything runs. */
  ensure(): void {
    try {
      mkdirSync(this.path, { recursive: true, mode: 0o700 });
      for (const sub of [STATE_FILES.outbox, STATE_FILES.journal])
        mkdirSync(join(this.path, sub), { recursive: true, mode: 0o700 });
      accessSync(this.path, constants.W_OK);
      const probe = join(this.path, '.write-probe');
      writeFileAtomic(probe, 'ok\n');
      rmSync(probe, { force: true });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? 'error';
      throw new StateError(
        'STATE_DIR_UNWRITABLE',
        `state directory ${this.path} is not writable (${code}); create it for the agent's user or set stateDir`,
      );
    }
  }

  /** Proves a write of `bytes` fits now (atomic, then removed); throws that write's error. */
  probeWrite(bytes: number): void {
    const probe = join(this.path, '.room-probe');
    try {
      writeFileAtomic(probe, Buffer.alloc(bytes, 0x20));
    } finally {
      rmSync(probe, { force: true });
    }
  }

  file(...parts: string[]): string {
    return join(this.path, ...parts);
  }

  exists(...parts: string[]): boolean {
    try {
      statSync(this.file(...parts));
      return true;
    } catch {
      return false;
    }
  }

  /** Parsed JSON, `undefined` when absent; a damaged file is an error, never silently reset. */
  readJson(...parts: string[]): unknown {
    const path = this.file(...parts);
    let body: string;
    try {
      body = readFileSync(path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
    try {
      return JSON.parse(body);
    } catch {
      throw new StateError(
        'STATE_FILE_CORRUPT',
        `${path} is not valid JSON; move it away to start that part of the state afresh`,
      );
    }
  }

  /**
   * Parsed JSON files of a sub-directory. A damaged file is moved aside (`NAME.corrupt`)
   * and reported, so one bad receipt cannot keep the agent from starting.
   */
  readAll(sub: string, onCorrupt: (path: string) => void): unknown[] {
    const out: unknown[] = [];
    for (const name of this.list(sub)) {
      try {
        out.push(this.readJson(sub, name));
      } catch {
        renameSync(this.file(sub, name), this.file(sub, `${name}.corrupt`));
        onCorrupt(this.file(sub, name));
      }
    }
    return out;
  }

  writeJson(value: unknown, ...parts: string[]): void {
    writeFileAtomic(this.file(...parts), `${JSON.stringify(value)}\n`, 0o600);
  }

  remove(...parts: string[]): void {
    rmSync(this.file(...parts), { force: true });
  }

  /** JSON files of a sub-directory, oldest name first; temp files are skipped. */
  list(sub: string): string[] {
    try {
      return readdirSync(this.file(sub))
        .filter((f) => f.endsWith('.json') && !f.startsWith('.'))
        .sort();
    } catch {
      return [];
    }
  }
}
