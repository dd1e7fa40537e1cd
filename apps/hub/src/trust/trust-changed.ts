import type { HubContext, OperatorSocketData } from '../hub-context.js';

/**
 * The trust documents changed (here, or on another hub sharing the database): the
 * agents and operators connected to THIS node get the new bundle, and operators whose
 * key left the keyring lose their session. Each hub tells only its own sockets, so
 * nobody hears it twice.
 */
export function announceTrustHere(ctx: HubContext): void {
  const bundle = ctx.trust.bundle();
  ctx.agents.local.emit('trust:update', bundle);
  ctx.operators.local.emit('trust:update', bundle);
  for (const s of ctx.operators.sockets.values()) {
    const d = s.data as OperatorSocketData;
    if (d.role === 'operator' && d.keyId && !ctx.trust.operator(d.keyId)) s.disconnect(true);
  }
}
