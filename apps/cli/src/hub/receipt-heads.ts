import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { HeadMemory, HistoryInput, HistoryVerdict } from '@serfbort/client';
import { parseHeadMemory, verifyHistory } from '@serfbort/client';
import { writeFileAtomic } from '@serfbort/node';
import type { CliConfig } from '../config/config.js';
import { CliError, EXIT } from '../errors.js';
import { hubFileName } from './roster-store.js';

export function receiptHeadsPath(config: CliConfig, hubId: string): string {
  return join(config.configDir, 'receipt-heads', `${hubFileName(hubId)}.json`);
}

/**
 * The freshest receipt head this client verified per host of one hub (the client
 * package's head-memory rules), in a file beside the roster. Stored only with a pinned
 * root, like the roster: what a hub's own trust vouched for must not become memory.
 */
export class ReceiptHeads {
  private held: HeadMemory | undefined;
  private dirty = false;

  constructor(
    private readonly config: CliConfig,
    private readonly hubId: string,
    private readonly store: boolean,
  ) {}

  get path(): string {
    return receiptHeadsPath(this.config, this.hubId);
  }

  private memory(): HeadMemory {
    this.held ??= this.read();
    return this.held;
  }

  private read(): HeadMemory {
    if (!existsSync(this.path)) return {};
    let value: unknown;
    try {
      value = JSON.parse(readFileSync(this.path, 'utf8'));
    } catch {
      value = undefined;
    }
    const parsed = parseHeadMemory(value);
    // starting over would let the hub serve old heads again unnoticed: a person decides
    if (!parsed)
      throw new CliError(
        EXIT.hosts,
        'FILE_INVALID',
        `${this.path} is not a list of receipt heads; restore it, or move it away to learn every host's head afresh`,
      );
    return parsed;
  }

  /**
   * The client package's verifyHistory, held against the head remembered for the host,
   * remembering the one it verified when that moves forward (written by `save`).
   */
  verify(input: Omit<HistoryInput, 'remembered'>): HistoryVerdict {
    const memory = this.memory();
    const held = memory[input.host];
    const verdict = verifyHistory({ ...input, ...(held ? { remembered: held } : {}) });
    if (verdict.remember) {
      memory[input.host] = verdict.remember;
      this.dirty = true;
    }
    return verdict;
  }

  save(): void {
    if (!this.store || !this.dirty) return;
    mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
    const sorted = Object.fromEntries(
      Object.entries(this.memory()).sort(([a], [b]) => a.localeCompare(b)),
    );
    writeFileAtomic(this.path, `${JSON.stringify(sorted, null, 2)}\n`, 0o600);
    this.dirty = false;
  }

  /** Forgets one host (`agents forget`); true when something was remembered. */
  forget(host: string): boolean {
    const memory = this.memory();
    if (!(host in memory)) return false;
    delete memory[host];
    this.dirty = true;
    this.save();
    return true;
  }
}
