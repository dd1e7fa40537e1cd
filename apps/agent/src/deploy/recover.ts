import type { Logger } from 'pino';
import type { AgentConfig } from '../config/load.js';
import type { Journal } from '../state/journal.js';
import type { Outbox } from '../state/outbox.js';
import type { ReceiptFields } from './execute.js';
import { endLeftoverGroup } from './leftover.js';
import type { VersionCache } from './version-cache.js';

export interface RecoverDeps {
  config: AgentConfig;
  journal: Journal;
  outbox: Outbox;
  versions: VersionCache;
  log: Logger;
}

/**
 * Start-up after a crash or SIGKILL: every journaled deploy that no receipt answers
 * was interrupted. Its leftover process group is ended first, then the host's
 * version is read, so the receipt says what state the app was left in.
 */
export async function recoverInterrupted(
  deps: RecoverDeps,
  finish: (fields: ReceiptFields) => void,
): Promise<void> {
  const { journal, outbox, config, versions, log } = deps;
  const corrupt = (path: string) =>
    log.error({ event: 'state.corrupt', path }, 'a damaged journal entry was moved aside');
  for (const entry of journal.all(corrupt)) {
    // the receipt was written just before the crash: it will be sent from the outbox
    if (outbox.has(entry.requestId)) {
      journal.remove(entry.requestId);
      continue;
    }
    if (entry.pgid !== undefined && entry.program && endLeftoverGroup(entry.pgid, entry.program)) {
      log.warn(
        { event: 'deploy.leftover-killed', requestId: entry.requestId, pgid: entry.pgid },
        'ended the deploy left running by the previous agent',
      );
    }
    const app = config.apps[entry.app];
    const after = app ? await versions.refresh(app) : undefined;
    finish({
      requestId: entry.requestId,
      requestDigest: entry.requestDigest,
      host: config.name,
      app: entry.app,
      version: entry.version,
      status: 'interrupted',
      reason: 'AGENT_RESTARTED',
      exitCode: null,
      versionBefore: entry.versionBefore ?? null,
      versionAfter: after?.version ?? null,
      startedAt: entry.startedAt ?? entry.acceptedAt,
      finishedAt: Date.now(),
      detail: 'the agent stopped while this deploy was queued or running',
    });
  }
}
