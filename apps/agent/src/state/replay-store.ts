import type { DeployRequest, ReceiptStatus, ReplayView } from '@serfbort/core';
import { LIMITS } from '@serfbort/core';
import { STATE_FILES, type StateDir } from './state-dir.js';

export interface LastApplied {
  requestId: string;
  version: string;
  issuedAt: number;
  acceptedAt: number;
  status?: ReceiptStatus;
  versionAfter?: string | null;
}

interface ReplayFile {
  /** request id → its expiry (ms); expired ids are refused by rule 4 anyway, so they can go */
  seen: Record<string, number>;
  lastApplied: Record<string, LastApplied>;
}

/**
 * Rules 5 and 6, persisted: the ids this agent accepted and the issued-at of the last
 * request applied per app. Written before a deploy runs, in one atomic file.
 */
export class ReplayStore implements ReplayView {
  private seenIds = new Map<string, number>();
  private last: Record<string, LastApplied> = {};

  constructor(private readonly dir: StateDir) {}

  load(): void {
    const file = this.dir.readJson(STATE_FILES.replay) as ReplayFile | undefined;
    this.seenIds = new Map(Object.entries(file?.seen ?? {}));
    this.last = file?.lastApplied ?? {};
  }

  seen(id: string): boolean {
    return this.seenIds.has(id);
  }

  lastAppliedAt(app: string): number | undefined {
    return this.last[app]?.issuedAt;
  }

  lastAppliedAll(): Readonly<Record<string, LastApplied>> {
    return this.last;
  }

  /** Durable before it returns: only then may the deploy run. */
  recordAccepted(request: DeployRequest, now: number): void {
    this.seenIds.set(request.id, request.expiresAt);
    this.last[request.app] = {
      requestId: request.id,
      version: request.version,
      issuedAt: request.issuedAt,
      acceptedAt: now,
    };
    this.prune(now);
    this.save();
  }

  /**
   * The request was not run after all (its recording failed part-way): rule 6 goes back
   * to `previous`, in memory and with the next save. The id stays seen, so a redelivery
   * is answered and never run.
   */
  notApplied(app: string, requestId: string, previous: LastApplied | undefined): void {
    if (this.last[app]?.requestId !== requestId) return;
    if (previous) this.last[app] = previous;
    else delete this.last[app];
  }

  /** Writes what memory holds (ids refused while the disk was full); throws the write's error. */
  flush(): void {
    this.save();
  }

  recordOutcome(
    app: string,
    requestId: string,
    status: ReceiptStatus,
    versionAfter: string | null,
  ): void {
    const entry = this.last[app];
    if (entry?.requestId !== requestId) return;
    this.last[app] = { ...entry, status, versionAfter };
    this.save();
  }

  private prune(now: number): void {
    // keep a clock-skew margin: a clock stepping back must not revive an expired request
    for (const [id, expiresAt] of this.seenIds)
      if (expiresAt + LIMITS.clockSkewMs < now) this.seenIds.delete(id);
    if (this.seenIds.size <= LIMITS.replayCacheEntries) return;
    const bySoonest = [...this.seenIds].sort((a, b) => a[1] - b[1]);
    for (const [id] of bySoonest.slice(0, this.seenIds.size - LIMITS.replayCacheEntries))
      this.seenIds.delete(id);
  }

  private save(): void {
    const file: ReplayFile = { seen: Object.fromEntries(this.seenIds), lastApplied: this.last };
    this.dir.writeJson(file, STATE_FILES.replay);
  }

  get size(): number {
    return this.seenIds.size;
  }
}
