import type {
  Admission,
  DeployProgress,
  DeployRequest,
  Envelope,
  Receipt,
  Signer,
} from '@serfbort/core';
import { addressUnreadVersion, decideAdmission } from '@serfbort/core';
import { nodeVerifier } from '@serfbort/node';
import type { Logger } from 'pino';
import type { AgentClock } from '../clock.js';
import type { AgentConfig } from '../config/load.js';
import type { Journal, JournalEntry } from '../state/journal.js';
import type { Outbox, OutboxItem } from '../state/outbox.js';
import type { ReceiptChain } from '../state/receipt-chain.js';
import type { ReplayStore } from '../state/replay-store.js';
import { notRecordedDetail } from '../state/storage-failure.js';
import type { StorageHealth } from '../state/storage-health.js';
import type { TrustKeeper } from '../trust/trust-keeper.js';
import type { ReceiptFields } from './execute.js';
import { executeDeploy } from './execute.js';
import { signReceipt } from './receipt.js';
import { recoverInterrupted } from './recover.js';
import type { VersionCache } from './version-cache.js';

export interface DeployerDeps {
  config: AgentConfig;
  clock: AgentClock;
  signer: Signer;
  trust: TrustKeeper;
  replay: ReplayStore;
  journal: Journal;
  outbox: Outbox;
  chain: ReceiptChain;
  versions: VersionCache;
  /** what the last state write found; a failed write is reported in presence */
  storage: StorageHealth;
  log: Logger;
  progress(p: DeployProgress): void;
  /** a receipt is in the outbox (on disk, or held in memory when the disk refused it): send it */
  receipt(item: OutboxItem, receipt: Receipt | null): void;
}

interface Job {
  request: DeployRequest;
  digest: string;
  entry: JournalEntry;
  controller: AbortController;
  started: boolean;
}

/**
 * Admission, then one deploy at a time per app (apps run in parallel), each ending
 * in a signed receipt that is on disk before it is sent.
 */
export class Deployer {
  private readonly queues = new Map<string, Promise<void>>();
  private readonly jobs = new Map<string, Job>();
  private stopping = false;

  constructor(private readonly deps: DeployerDeps) {}

  /** Every request from the hub, however hostile; never throws. */
  handle(envelope: unknown): void {
    const { config, trust, replay } = this.deps;
    const now = this.deps.clock.now();
    const decision = decideAdmission({
      envelope,
      trust: trust.state,
      agent: { name: config.name, labels: config.labels, apps: Object.keys(config.apps) },
      replay,
      now,
      verifier: nodeVerifier,
    });
    if (decision.accept) this.accept(decision.request, decision.digest, now);
    // a version this agent does not read still gets a signed answer: its sender may be newer
    else this.reject(addressUnreadVersion(decision, envelope), now);
  }

  private reject(d: Extract<Admission, { accept: false }>, now: number): void {
    const { log, outbox } = this.deps;
    log.warn(
      { event: 'deploy.rejected', requestId: d.claimed?.id, reason: d.reason, detail: d.detail },
      'deploy request refused',
    );
    // without an id there is nothing a receipt could answer
    if (!d.claimed) return;
    const id = d.claimed.id;
    // a redelivery of a request still running, or answered but not yet acknowledged: answer with the real receipt
    if (d.reason === 'REPLAYED' && (this.jobs.has(id) || outbox.has(id))) {
      const item = outbox.get(id);
      if (item) this.deps.receipt(item, null);
      return;
    }
    const c = d.claimed;
    this.finishUnrun(
      { requestId: id, requestDigest: c.digest, app: c.app, version: c.version },
      'rejected',
      d.reason,
      now,
      timeRefusalDetail(d.reason, d.detail, this.deps.clock),
    );
  }

  private accept(request: DeployRequest, digest: string, now: number): void {
    const { replay, journal, log } = this.deps;
    const entry: JournalEntry = {
      requestId: request.id,
      requestDigest: digest,
      app: request.app,
      version: request.version,
      acceptedAt: now,
    };
    const lastApplied = replay.lastAppliedAll()[request.app];
    try {
      // rule 5 holds across crashes only if the id is on disk before anything runs
      replay.recordAccepted(request, now);
      journal.put(entry);
    } catch (e) {
      replay.notApplied(request.app, request.id, lastApplied);
      // the id is not on disk, so the request must not run; the operator hears why from a
      // signed answer (held in memory if the disk refuses it too)
      const failure = this.deps.storage.failed(e, now);
      log.error(
        {
          event: 'deploy.state-error',
          requestId: request.id,
          code: failure.code,
          errno: failure.errno,
          err: failure.message,
        },
        'cannot record the request; not running it',
      );
      this.finishUnrun(
        entry,
        'failed',
        failure.code,
        now,
        notRecordedDetail(failure, this.deps.config.stateDir),
      );
      return;
    }
    log.info(
      {
        event: 'deploy.accepted',
        requestId: request.id,
        app: request.app,
        version: request.version,
        // the instant rule 4 was checked at: the log line itself can be written much later on a busy host
        acceptedAt: now,
      },
      'deploy accepted',
    );
    this.deps.progress({ requestId: request.id, app: request.app, state: 'accepted' });
    const job: Job = { request, digest, entry, controller: new AbortController(), started: false };
    this.jobs.set(request.id, job);
    const previous = this.queues.get(request.app) ?? Promise.resolve();
    const next = previous.then(() => this.run(job));
    this.queues.set(request.app, next);
    void next.then(() => {
      if (this.queues.get(request.app) === next) this.queues.delete(request.app);
    });
  }

  private async run(job: Job): Promise<void> {
    const { request, digest } = job;
    try {
      if (this.stopping) {
        this.finishUnrun(job.entry, 'interrupted', 'AGENT_SHUTDOWN', Date.now());
        return;
      }
      job.started = true;
      const journalStart = (update: Partial<JournalEntry>) => {
        job.entry = { ...job.entry, ...update };
        try {
          this.deps.journal.put(job.entry);
        } catch (e) {
          // the request is recorded already; only a restart's cleanup of this run is weaker
          this.deps.storage.failed(e, Date.now());
        }
        // from here a restarted agent can end this process group if we are killed
        if (update.pgid !== undefined)
          this.deps.log.info(
            { event: 'deploy.running', requestId: request.id, app: request.app, pgid: update.pgid },
            'deploy command running',
          );
      };
      const fields = await executeDeploy(
        { ...this.deps, journalStart },
        request,
        digest,
        job.controller.signal,
      );
      this.finish(fields);
    } catch (e) {
      this.deps.log.error(
        { event: 'deploy.error', requestId: request.id, err: (e as Error).message },
        'deploy failed inside the agent',
      );
    } finally {
      this.jobs.delete(request.id);
    }
  }

  /** A request that never ran: nothing was read from the host, so no exit code and no versions. */
  private finishUnrun(
    asked: Pick<ReceiptFields, 'requestId' | 'requestDigest' | 'app' | 'version'>,
    status: ReceiptFields['status'],
    reason: NonNullable<ReceiptFields['reason']>,
    at: number,
    detail?: string,
  ): void {
    this.finish({
      requestId: asked.requestId,
      requestDigest: asked.requestDigest,
      host: this.deps.config.name,
      app: asked.app,
      version: asked.version,
      status,
      reason,
      exitCode: null,
      versionBefore: null,
      versionAfter: null,
      startedAt: at,
      finishedAt: at,
      ...(detail !== undefined ? { detail } : {}),
    });
  }

  /** Signs, stores in the outbox (see store), notes the outcome, sends. */
  private finish(fields: ReceiptFields): void {
    const { signer, replay, log, chain } = this.deps;
    const { envelope, receipt } = signReceipt(fields, signer, chain);
    const item = this.store(fields.requestId, envelope);
    if (fields.status !== 'rejected') {
      try {
        replay.recordOutcome(fields.app, fields.requestId, fields.status, fields.versionAfter);
      } catch (e) {
        // only the outcome note is lost: the receipt answers the request
        this.deps.storage.failed(e, Date.now());
      }
    }
    log.info(
      {
        event: 'deploy.finished',
        requestId: fields.requestId,
        app: fields.app,
        status: fields.status,
        reason: fields.reason,
        exitCode: fields.exitCode,
        versionAfter: fields.versionAfter,
      },
      `deploy ${fields.status}`,
    );
    this.deps.receipt(item, receipt);
  }

  /**
   * The receipt on disk, then the journal entry goes. A disk that refuses it: the receipt
   * is held in memory and sent anyway, and the journal entry stays until it is acked or
   * written, so an agent restarted before then still answers the request (interrupted).
   */
  private store(requestId: string, envelope: Envelope): OutboxItem {
    const { outbox, journal } = this.deps;
    try {
      const item = outbox.put(requestId, envelope, Date.now());
      journal.remove(requestId);
      return item;
    } catch (e) {
      this.deps.storage.failed(e, Date.now());
      return outbox.hold(requestId, envelope, Date.now(), () => journal.remove(requestId));
    }
  }

  /** After a restart: deploys the journal holds but no receipt answers were interrupted. */
  recover(): Promise<void> {
    return recoverInterrupted(this.deps, (fields) => this.finish(fields));
  }

  running(): string[] {
    return [...this.jobs.values()].filter((j) => j.started).map((j) => j.request.id);
  }

  /** Queued deploys are answered `interrupted`; running ones get `graceMs`, then their group is killed. */
  async shutdown(graceMs: number): Promise<void> {
    this.stopping = true;
    const all = () => Promise.all([...this.queues.values()]);
    let timer: NodeJS.Timeout | undefined;
    const graceOver = new Promise<'timeout'>((r) => {
      timer = setTimeout(() => r('timeout'), graceMs);
    });
    const outcome = await Promise.race([all().then(() => 'done' as const), graceOver]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      for (const job of this.jobs.values()) job.controller.abort();
      await all();
    }
  }
}

/** A request refused for its time may be refused for ours: say so where we know it. */
function timeRefusalDetail(reason: string, detail: string, clock: AgentClock): string {
  const note =
    reason === 'EXPIRED' || reason === 'ISSUED_IN_FUTURE' ? clock.hubSkewNote() : undefined;
  return note ? `${detail}; ${note}` : detail;
}
