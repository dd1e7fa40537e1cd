import type { ReceiptHead } from '@serfbort/core';
import { receiptHead } from '@serfbort/core';
import { STATE_FILES, type StateDir, StateError } from './state-dir.js';

/**
 * This host's receipt chain head: the number and digest of the newest receipt it signed.
 * Each new receipt takes the next number and links to this digest, so a hub that drops,
 * reorders or swaps receipts leaves a hole clients can name. Written before the receipt
 * enters the outbox: a crash in between loses a number (a gap the agent caused, rare),
 * never reuses one (a fork).
 */
export class ReceiptChain {
  private current: ReceiptHead = { seq: 0, digest: null };
  /** the head moved on in memory but is not on disk yet (the disk refused it) */
  private unsaved = false;

  constructor(
    private readonly dir: StateDir,
    /** a write the disk refused: the agent reports its storage problem, and keeps going */
    private readonly onUnsaved: (e: unknown) => void = (e) => {
      throw e;
    },
  ) {}

  load(): void {
    const raw = this.dir.readJson(STATE_FILES.receiptChain);
    if (raw === undefined) return;
    const parsed = receiptHead.safeParse(raw);
    if (!parsed.success)
      throw new StateError(
        'STATE_FILE_CORRUPT',
        `${this.dir.file(STATE_FILES.receiptChain)} is not a receipt chain head; restore it from a backup (moving it away restarts the numbering, which clients see as a fork)`,
      );
    this.current = parsed.data;
  }

  get head(): ReceiptHead {
    return this.current;
  }

  /** The place of the next receipt: its number and the digest it links to. */
  next(): { seq: number; prev: string | null } {
    return { seq: this.current.seq + 1, prev: this.current.digest };
  }

  /**
   * Durable before it returns when the disk takes it. A full disk must not stop the answer
   * (a refusal for that very disk is being signed): the head then moves on in memory and
   * is written by `flush` once there is room. Only a crash before that reuses numbers,
   * which clients see as a fork: the truth about a host that lost its state.
   */
  advance(seq: number, digest: string): void {
    this.current = { seq, digest };
    this.unsaved = true;
    try {
      this.flush();
    } catch (e) {
      this.onUnsaved(e);
    }
  }

  /** Writes a head the disk refused earlier; throws while it still refuses. */
  flush(): void {
    if (!this.unsaved) return;
    this.dir.writeJson(this.current, STATE_FILES.receiptChain);
    this.unsaved = false;
  }
}
