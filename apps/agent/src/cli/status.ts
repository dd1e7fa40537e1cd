import { fingerprintOf, trustHealth } from '@serfbort/core';
import { nodeVerifier, readPlainKey } from '@serfbort/node';
import type { AgentConfig } from '../config/load.js';
import { Journal } from '../state/journal.js';
import { Outbox } from '../state/outbox.js';
import { ReplayStore } from '../state/replay-store.js';
import { STATE_FILES, StateDir } from '../state/state-dir.js';
import { storageFailure } from '../state/storage-failure.js';
import { TrustKeeper } from '../trust/trust-keeper.js';

const when = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
const inDays = (ms: number, now: number) => `${((ms - now) / 86_400_000).toFixed(1)} days`;

/** `serfbort-agent status`: only local state, so it works while the hub is down. */
export function statusCommand(
  config: AgentConfig,
  out: (line: string) => void,
  now = Date.now(),
): { trustUsable: boolean } {
  const dir = new StateDir(config.stateDir);
  if (dir.exists(STATE_FILES.key)) {
    const key = readPlainKey(dir.file(STATE_FILES.key));
    out(`host ${config.name} · key ${key.keyId} · fingerprint ${fingerprintOf(key.publicKey)}`);
  } else out(`host ${config.name} · no key yet (run serfbort-agent init)`);

  const trust = new TrustKeeper(dir, config.trust, nodeVerifier);
  const loaded = trust.load();
  const s = trust.summary();
  const health = trustHealth(trust.state, now);
  if (!config.trust.root && !config.trust.rootDigest)
    out('trust: no pinned root configured (trust.root or trust.rootFingerprint)');
  out(
    s.root
      ? `trust: root v${s.root.version}, expires ${when(s.root.expiresAt)} (${inDays(s.root.expiresAt, now)})`
      : 'trust: no root yet (it arrives from the hub and must match the pin)',
  );
  out(
    s.keyring
      ? `       keyring v${s.keyring.version}, ${s.keyring.operators} operators, expires ${when(s.keyring.expiresAt)} (${inDays(s.keyring.expiresAt, now)})`
      : '       no keyring yet: every deploy is refused',
  );
  if (!health.usable)
    out(
      `       NOT USABLE (${health.code}): deploys are refused until the hub delivers fresh documents`,
    );
  for (const p of loaded.problems) out(`       stored ${p.doc} refused: ${p.code}`);

  const replay = new ReplayStore(dir);
  replay.load();
  const last = Object.entries(replay.lastAppliedAll());
  out(last.length ? 'last applied:' : 'last applied: nothing yet');
  for (const [app, l] of last)
    out(
      `  ${app}  ${l.version}  ${l.status ?? 'in progress'}  issued ${when(l.issuedAt)}  request ${l.requestId}`,
    );

  // every deploy writes here before it runs: a full disk refuses them all
  if (dir.exists()) {
    try {
      dir.probeWrite(4096);
      out('state: writable');
    } catch (e) {
      const f = storageFailure(e);
      out(
        `state: NOT WRITABLE (${f.errno}): deploys are answered failed/${f.code} until there is room`,
      );
    }
  }

  const outbox = new Outbox(dir);
  outbox.load();
  out(`outbox: ${outbox.size} receipt(s) waiting for the hub`);
  const journal = new Journal(dir).all();
  if (journal.length)
    out(`in progress: ${journal.map((j) => `${j.app}@${j.version} (${j.requestId})`).join(', ')}`);
  return { trustUsable: health.usable };
}
