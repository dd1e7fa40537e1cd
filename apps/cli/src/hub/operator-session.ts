import type { Ctx } from '../context.js';
import { unlockKey } from '../keys/key-files.js';
import { loadPinnedRoot } from '../trust/pinned-root.js';
import { guardAuditHead } from './guard-audit.js';
import { HubSession } from './session.js';
import type { VerifiedTrust } from './verified-trust.js';
import { approvedAgentKeys, verifyTrustBundle } from './verified-trust.js';

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
    return { hub };
  } catch (e) {
    hub.close();
    throw e;
  }
}

/** The verified trust chain and the agent keys operators approved: what answers are checked against. */
export async function verificationContext(
  ctx: Ctx,
  hub: HubSession,
): Promise<{ trust: VerifiedTrust; agentKeys: Map<string, Uint8Array> }> {
  const pinned = loadPinnedRoot(ctx.config);
  const trust = verifyTrustBundle(await hub.trust(), pinned, ctx.now());
  if (!trust.pinned) {
    ctx.out.alarm(
      `no root is pinned (--root / SERFBORT_ROOT / ${ctx.config.configDir}/root.json): trust was anchored on the hub's own first root`,
    );
  }
  return { trust, agentKeys: approvedAgentKeys(await hub.agentKeys(), trust) };
}
