import { EventEmitter } from 'node:events';
import type { AgentProblem, Receipt, TrustBundle } from '@serfbort/core';
import { RECEIPT_HEAD_REFRESH_MS, trustHealth } from '@serfbort/core';
import { nodeSigner, nodeVerifier } from '@serfbort/node';
import type { Logger } from 'pino';
import { AgentClock } from './clock.js';
import type { AgentConfig } from './config/load.js';
import { answerCheck } from './connection/check.js';
import type { AgentSocket, LinkStatus } from './connection/hub-link.js';
import { HubLink } from './connection/hub-link.js';
import { PresenceSender } from './connection/presence.js';
import { ReceiptSender } from './connection/receipt-sender.js';
import { Deployer } from './deploy/deployer.js';
import { VersionCache } from './deploy/version-cache.js';
import { createLogger } from './log.js';
import { loadOrCreateKey } from './state/agent-key.js';
import { Journal } from './state/journal.js';
import { Outbox } from './state/outbox.js';
import { ReceiptChain } from './state/receipt-chain.js';
import { ReplayStore } from './state/replay-store.js';
import { StateDir } from './state/state-dir.js';
import { StorageHealth } from './state/storage-health.js';
import { signReceiptHead, signTrustReport } from './trust/host-statements.js';
import { TrustKeeper } from './trust/trust-keeper.js';
import { trustProblem } from './trust/trust-problem.js';
import { AGENT_VERSION } from './version.js';

/** Trust expiring within this many ms is warned about. */
const TRUST_WARN_MS = 24 * 60 * 60 * 1000;

export interface AgentEvents {
  status: [status: LinkStatus];
  receipt: [receipt: Receipt];
  trust: [summary: ReturnType<TrustKeeper['summary']>];
}

export interface AgentHandle {
  name: string;
  keyId: string;
  publicKey: Uint8Array;
  fingerprint: string;
  readonly status: LinkStatus;
  /** signed receipts the hub has not acknowledged yet */
  readonly pendingReceipts: number;
  /** what keeps this agent from deploying now, as its presence reports it */
  readonly problems: AgentProblem[];
  events: EventEmitter<AgentEvents>;
  /** goodbye, let running deploys finish within the grace period, send what is left, disconnect */
  stop(options?: { graceMs?: number }): Promise<void>;
}

export interface StartOptions {
  logger?: Logger;
}

/**
 * The agent in-process: state, trust, deploys and the hub connection. No signal
 * handlers and no process.env here, so many agents can share one process (tests, benchmarks).
 */
export async function startAgent(
  config: AgentConfig,
  options: StartOptions = {},
): Promise<AgentHandle> {
  const log = options.logger ?? createLogger({ level: 'silent', name: config.name });
  const dir = new StateDir(config.stateDir);
  const clock = new AgentClock(config.clockOffsetMs);
  dir.ensure();
  const key = loadOrCreateKey(dir);
  if (key.created)
    log.info(
      { event: 'agent.key-created', keyId: key.keyPair.keyId, fingerprint: key.fingerprint },
      'created the agent key',
    );
  const signer = nodeSigner(key.keyPair);
  const events = new EventEmitter<AgentEvents>();
  const replay = new ReplayStore(dir);
  replay.load();
  const outbox = new Outbox(dir, (id) =>
    log.error(
      { event: 'outbox.dropped', requestId: id },
      'outbox full: dropped the oldest receipt',
    ),
  );
  outbox.load((path) =>
    log.error({ event: 'state.corrupt', path }, 'a damaged receipt file was moved aside'),
  );
  const storage = new StorageHealth(dir, log);
  const chain = new ReceiptChain(dir, (e) => storage.failed(e, clock.now()));
  chain.load();
  const trust = new TrustKeeper(dir, config.trust, nodeVerifier);
  const loaded = trust.load();
  for (const p of loaded.problems)
    log.error(
      { event: 'trust.stored-invalid', ...p },
      'a stored trust document no longer verifies',
    );
  const versions = new VersionCache(config);
  const problems = (): AgentProblem[] =>
    [storage.problem, trustProblem(trust.state, clock.now())].filter(
      (p): p is AgentProblem => p !== undefined,
    );
  let link: HubLink | undefined;
  const sender = new ReceiptSender(outbox, () => link?.ready, log);
  const presence = new PresenceSender();
  // deployer is assigned before anything can call this (recover runs after construction)
  const sendPresence = async (socket = link?.ready): Promise<void> => {
    const now = problems();
    await presence.send(socket, {
      ...versions.presence(deployer.running()),
      ...(now.length > 0 ? { problems: now } : {}),
    });
  };
  // an older hub ignores the event (it counts unknown ones): the timeout ends the wait
  const sendTrustReport = (socket = link?.ready): void => {
    const report = signTrustReport(config.name, trust.state, signer, clock.now());
    if (!socket || !report) return;
    void socket
      .timeout(5000)
      .emitWithAck('trust:report', report)
      .catch(() => undefined);
  };
  // after every receipt and every few minutes: a hub cannot keep the head at the last hello
  const sendReceiptHead = (socket = link?.ready): void => {
    if (!socket) return;
    void socket
      .timeout(5000)
      .emitWithAck('agent:head', signReceiptHead(config.name, chain.head, signer, clock.now()))
      .catch(() => undefined);
  };
  const deployer: Deployer = new Deployer({
    config,
    clock,
    signer,
    trust,
    replay,
    journal: new Journal(dir),
    outbox,
    chain,
    versions,
    storage,
    log,
    progress: (p) => link?.ready?.emit('deploy:progress', p, () => {}),
    receipt: (_item, receipt) => {
      if (receipt) events.emit('receipt', receipt);
      sender.flush();
      sendReceiptHead();
      void sendPresence();
    },
  });
  await deployer.recover();

  // freeze-attack defence: expired trust refuses every deploy, and says so every interval.
  // A keyring never published yet (a new fleet) is said once, as the step it waits for.
  let saidNoKeyring = false;
  const reportTrust = () => {
    const health = trustHealth(trust.state, clock.now());
    if (!health.usable && health.code === 'NO_KEYRING') {
      if (!saidNoKeyring)
        log.warn(
          { event: 'trust.unusable', why: health.code },
          'no keyring published yet: deploys are refused until an administrator publishes one (serfbort trust publish)',
        );
      saidNoKeyring = true;
    } else if (!health.usable)
      log.error(
        { event: 'trust.unusable', why: health.code },
        'no usable trust documents: every deploy is refused until fresh ones arrive',
      );
    else if (health.expiresAt - clock.now() < TRUST_WARN_MS)
      log.warn(
        { event: 'trust.expiring', expiresAt: health.expiresAt },
        'trust documents expire within a day; publish a fresh keyring',
      );
  };
  const onTrust = (bundle: TrustBundle) => {
    let result: ReturnType<TrustKeeper['apply']>;
    try {
      result = trust.apply(bundle, clock.now());
    } catch (e) {
      // held in memory (apply sets it before writing); the next hello brings it again
      storage.failed(e, clock.now());
      reportTrust();
      return;
    }
    for (const p of result.problems)
      log.error({ event: 'trust.refused', ...p }, `refused a ${p.doc} document from the hub`);
    if (result.changed) {
      log.info({ event: 'trust.updated', ...trust.summary() }, 'trust documents updated');
      events.emit('trust', trust.summary());
      sendTrustReport();
    }
    reportTrust();
  };
  let stopping = false;
  link = new HubLink({
    urls: config.hubs,
    signer,
    name: config.name,
    labels: config.labels,
    apps: Object.keys(config.apps),
    agentVersion: AGENT_VERSION,
    ...(config.enrollmentToken ? { enrollmentToken: config.enrollmentToken } : {}),
    reconnectMaxMs: config.reconnectMaxMs,
    receiptHead: () => chain.head,
    clock,
    log,
    handlers: {
      trust: onTrust,
      ready: (socket: AgentSocket) => {
        sender.flush();
        sendTrustReport(socket);
        sendReceiptHead(socket);
        void sendPresence(socket)
          .then(() => versions.refreshAll())
          .then(() => sendPresence(socket));
      },
      accepting: () => !stopping,
      request: (envelope) => deployer.handle(envelope),
      check: (query) =>
        answerCheck(query, {
          config,
          signer,
          versions,
          trust: () => trust.state,
          now: () => clock.now(),
        }),
      status: (s) => events.emit('status', s),
    },
  });
  // room again: write what memory held (refused ids, receipts), so a restart keeps them
  const probeStorage = () => {
    if (storage.probe(clock.now()) !== 'cleared') return;
    try {
      replay.flush();
      chain.flush();
      const written = outbox.persistHeld();
      if (written > 0)
        log.info({ event: 'outbox.persisted', receipts: written }, 'held receipts written');
    } catch (e) {
      storage.failed(e, clock.now());
    }
  };
  const presenceTimer = setInterval(() => {
    probeStorage();
    reportTrust();
    sender.flush();
    void versions.refreshAll().then(() => sendPresence());
  }, config.presenceIntervalMs);
  presenceTimer.unref();
  const headTimer = setInterval(() => sendReceiptHead(), RECEIPT_HEAD_REFRESH_MS);
  headTimer.unref();
  link.start();
  log.info(
    {
      event: 'agent.started',
      name: config.name,
      keyId: signer.keyId,
      hubs: config.hubs,
      apps: Object.keys(config.apps),
    },
    'agent started',
  );

  let stopped: Promise<void> | undefined;
  return {
    name: config.name,
    keyId: signer.keyId,
    publicKey: signer.publicKey,
    fingerprint: key.fingerprint,
    get status() {
      return link?.status ?? 'closed';
    },
    get pendingReceipts() {
      return outbox.size;
    },
    get problems() {
      return problems();
    },
    events,
    stop(stopOptions = {}) {
      stopped ??= (async () => {
        stopping = true;
        clearInterval(presenceTimer);
        clearInterval(headTimer);
        await link?.leave();
        log.info(
          { event: 'agent.leaving', running: deployer.running() },
          'said goodbye to the hub; finishing running deploys',
        );
        await deployer.shutdown(stopOptions.graceMs ?? config.shutdownGraceMs);
        await sender.drain(3000);
        link?.close();
        log.info({ event: 'agent.stopped' }, 'agent stopped');
      })();
      return stopped;
    },
  };
}
