import type { FleetMemory } from '@serfbort/client';
import type { Ctx } from '../context.js';
import { CliError } from '../errors.js';
import { unlockKey } from '../keys/key-files.js';
import { terminalSafe } from '../output/terminal-safe.js';
import { loadPinnedRoot } from '../trust/pinned-root.js';
import { guardAuditHead } from './guard-audit.js';
import { ReceiptHeads } from './receipt-heads.js';
import { rememberFleet } from './remember.js';
import { rosterIdFor, rosterPath } from './roster-store.js';
import { HubSession } from './session.js';
import type { VerifiedTrust } from './verified-trust.js';
import { verifyTrustBundle } from './verified-trust.js';

/** Unlocks the operator key first (a wrong passphrase fails before any network), then logs in. */
export async function operatorSession(ctx: Ctx) {
  const key = await unlockKey(ctx.config, ctx.config.keyPath);
  const hub = await HubSession.open(ctx.config.hubs, ctx.out);
  try {
    const who = await hub.authenticate(key);
    await guardAuditHead(ctx, hub);
    return { hub, key, who };
  } catch (e) {
    hub.close();
    throw e;
  }
}

/**
 * For commands that only read: the viewer token when one is configured (no key, no
 * passphrase), else the operator key. What the hub says is verified the same either way.
 */
export async function readerSession(ctx: Ctx): Promise<{ hub: HubSession }> {
  const token = ctx.config.viewerToken;
  if (token === undefined) return operatorSession(ctx);
  const hub = await HubSession.open(ctx.config.hubs, ctx.out);
  try {
    await hub.authenticateViewer(token);
    // a viewer reads the same history: a rebuilt one is refused for it too
    await guardAuditHead(ctx, hub);
    return { hub };
  } catch (e) {
    hub.close();
    throw e;
  }
}

const OPTIONAL_WAIT_MS = 5_000;

export interface VerificationContext {
  trust: VerifiedTrust;
  /** host → key an operator of the verified keyring vouched for, as the hub presents them now */
  agentKeys: Map<string, Uint8Array>;
  /** what the client remembers of this hub's fleet (see the README, "What the client remembers") */
  fleet: FleetMemory;
  /** the freshest receipt head this client verified per host (stored with a pinned root) */
  heads: ReceiptHeads;
}

/**
 * The verified trust chain and the agent keys operators approved: what answers are checked
 * against. Every verified approval seen here is also remembered in the roster.
 */
export async function verificationContext(
  ctx: Ctx,
  hub: HubSession,
  opts: { quiet?: boolean; waitMs?: number } = {},
): Promise<VerificationContext> {
  const pinned = loadPinnedRoot(ctx.config);
  const trust = verifyTrustBundle(await hub.trust(opts.waitMs), pinned, ctx.now());
  if (!trust.pinned && !opts.quiet) {
    ctx.out.alarm(
      `no root is pinned (--root / SERFBORT_ROOT / ${ctx.config.configDir}/root.json): trust was anchored on the hub's own first root`,
    );
  }
  const hubId = hub.hubId ?? 'unknown';
  const rosterId = rosterIdFor(ctx.config, hub.url, hubId, trust.pinned);
  if (rosterId.changedFrom !== undefined)
    ctx.out.alarm(
      `the hub at ${hub.url} now calls itself ${terminalSafe(hubId)}; this client knew it as ${rosterId.changedFrom} and holds it to that roster (remove ${hub.url} from ${rosterPath(ctx.config, 'hubs')} if the hub was reinstalled on purpose)`,
    );
  const records = await hub.agentKeys(opts.waitMs);
  const fleet = rememberFleet(ctx.config, rosterId.id, records, trust);
  return {
    trust,
    agentKeys: fleet.agentKeys,
    fleet,
    heads: new ReceiptHeads(ctx.config, rosterId.id, trust.pinned),
  };
}

/**
 * For commands that work without verified trust (list, approve): the roster's view when
 * trust verifies, else undefined with a warning why (a damaged roster still stops them).
 */
export async function fleetMemoryIfTrusted(
  ctx: Ctx,
  hub: HubSession,
): Promise<VerificationContext | undefined> {
  try {
    // an extra to these commands: a hub slow to answer it delays them a little, not a lot
    return await verificationContext(ctx, hub, { quiet: true, waitMs: OPTIONAL_WAIT_MS });
  } catch (e) {
    if (!(e instanceof CliError) || e.code === 'ROSTER_DAMAGED') throw e;
    ctx.out.warn(`not compared with this client's roster: ${e.message}`);
    return undefined;
  }
}
