import type { RolloutOutcome } from '@serfbort/client';
import { RolloutError } from '@serfbort/client';
import type { KeyPair, RolloutView } from '@serfbort/core';
import type { Ctx } from '../context.js';
import { fleetError } from '../errors.js';
import type { HubSession } from '../hub/session.js';
import { CliRolloutIO } from './cli-io.js';
import { pauseOnInterrupt } from './interrupt.js';
import { eventLines, exitOf, outcomeJson, outcomeLines } from './render.js';

/** A driver session: events printed as they come (not with --json), the lock kept alive. */
export function rolloutIO(
  ctx: Ctx,
  hub: HubSession,
  keys: readonly KeyPair[],
  agentKeys: ReadonlyMap<string, Uint8Array>,
  json: boolean,
): CliRolloutIO {
  return new CliRolloutIO(ctx, hub, keys, agentKeys, (e) => {
    if (json) return;
    for (const line of eventLines(e, ctx.out.c)) ctx.out.line(line);
  });
}

/** Runs one driving function to its end and prints the outcome; returns the exit code. */
export async function finishRollout(
  ctx: Ctx,
  io: CliRolloutIO,
  view: RolloutView,
  drive: () => Promise<RolloutOutcome | undefined>,
  json: boolean,
): Promise<number> {
  if (!json)
    ctx.out.note(
      `driving ${view.kind} ${view.id}; if this process stops, continue it with: serfbort rollout resume ${view.id}`,
    );
  const stopWatchingInterrupts = pauseOnInterrupt(ctx, io, view);
  try {
    const outcome = await drive();
    if (!outcome) {
      if (json) ctx.out.document({ rolloutId: view.id, status: 'nothing-to-do' });
      ctx.out.line('nothing to roll back: no host ran the deploy');
      return 0;
    }
    if (json) ctx.out.document(outcomeJson(outcome));
    else {
      ctx.out.line();
      for (const line of outcomeLines(outcome, ctx.out.c)) ctx.out.line(line);
    }
    return exitOf(outcome);
  } catch (e) {
    throw e instanceof RolloutError ? fleetError(e.code, e.message) : e;
  } finally {
    stopWatchingInterrupts();
    io.close();
  }
}
