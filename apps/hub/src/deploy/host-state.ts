import type { HostState } from '@serfbort/core';
import { FINAL_HOST_STATES, rooms } from '@serfbort/core';
import { sql } from 'drizzle-orm';
import type { WriteContext } from '../db/write-queue.js';
import { TickBatcher } from '../db/write-queue.js';
import type { HubBase } from '../hub-context.js';
import { HUB_LIMITS } from '../hub-limits.js';
import type { HostChange, HostMoves } from '../hub-services.js';

/** States a host may move to from each state; finals are left only by a receipt. */
const NEXT: Record<string, readonly HostState[]> = {
  pending: ['delivered', 'accepted', 'running', 'expired'],
  // an agent that acknowledged a request and died before recording it: on its return the
  // request is sent again, or ends expired/superseded (a receipt still overrides that)
  delivered: ['accepted', 'running', 'expired'],
  accepted: ['running'],
  running: ['running'],
};

/** The same rule read backwards: the states a host may be in to move to each state. */
const FROM: Record<string, string[]> = {};
for (const [from, tos] of Object.entries(NEXT))
  for (const to of tos) FROM[to] = [...(FROM[to] ?? []), from];

interface Moved {
  state: HostState;
  reason: string | null;
  exitCode: number | null;
  versionBefore: string | null;
  versionAfter: string | null;
  updatedAt: number;
}

const key = (c: { requestId: string; host: string }) => `${c.requestId}\u0000${c.host}`;

/**
 * Moves a batch of hosts forward (never backward) with one UPDATE per round. A host
 * named twice in one batch (accepted, then running) gets its moves in order, one
 * round each, so the transition rule sees the state the previous move left.
 */
async function moveHosts(
  { tx }: WriteContext,
  changes: HostChange[],
  now: () => number,
): Promise<(Moved | null)[]> {
  const results: (Moved | null)[] = changes.map(() => null);
  const rounds: number[][] = [];
  const seen = new Map<string, number>();
  for (const [i, c] of changes.entries()) {
    const n = seen.get(key(c)) ?? 0;
    seen.set(key(c), n + 1);
    const round = rounds[n] ?? [];
    rounds[n] = round;
    round.push(i);
  }
  for (const round of rounds) {
    const at = now();
    // one jsonb parameter however large the batch: thousands of bind parameters break PGlite
    const rows = JSON.stringify(
      round.map((i) => {
        const c = changes[i]!;
        return {
          request_id: c.requestId,
          host: c.host,
          state: c.state,
          reason: c.reason ?? null,
          lines: c.lines?.length ? c.lines : null,
          from_states: FROM[c.state] ?? [],
        };
      }),
    );
    const updated = (await tx.execute(sql`
      update deployment_hosts as d
      set state = v.state, reason = coalesce(v.reason, d.reason), updated_at = ${at},
        output = case when v.lines is null then d.output else coalesce((
          select jsonb_agg(t.e order by t.i) from (
            select e, i from jsonb_array_elements(d.output || v.lines) with ordinality as x(e, i)
            order by i desc limit ${HUB_LIMITS.outputTailLines}) as t), '[]'::jsonb) end
      from jsonb_to_recordset(${rows}::jsonb) as v(request_id text, host text, state text,
        reason text, lines jsonb, from_states text[])
      where d.request_id = v.request_id and d.host = v.host and d.state = any(v.from_states)
      returning d.request_id, d.host, d.state, d.reason, d.exit_code, d.version_before,
        d.version_after`)) as unknown as {
      rows: {
        request_id: string;
        host: string;
        state: HostState;
        reason: string | null;
        exit_code: number | null;
        version_before: string | null;
        version_after: string | null;
      }[];
    };
    const byKey = new Map(round.map((i) => [key(changes[i]!), i]));
    for (const r of updated.rows) {
      const i = byKey.get(key({ requestId: r.request_id, host: r.host }));
      if (i === undefined) continue;
      results[i] = {
        state: r.state,
        reason: r.reason,
        exitCode: r.exit_code,
        versionBefore: r.version_before,
        versionAfter: r.version_after,
        updatedAt: at,
      };
    }
  }
  return results;
}

/**
 * Moves hosts forward (never backward) and streams each change to everyone watching
 * the deployment. Moves of the same tick (a fleet reporting `accepted`) share one
 * statement.
 */
export class HostStateMoves implements HostMoves {
  private readonly batcher: TickBatcher<HostChange, Moved | null>;

  constructor(private readonly ctx: Pick<HubBase, 'writes' | 'now' | 'metrics' | 'operators'>) {
    this.batcher = new TickBatcher(ctx.writes, (w, changes: HostChange[]) =>
      moveHosts(w, changes, () => ctx.now()),
    );
  }

  /** Returns false when the move was not allowed. */
  async advance(change: HostChange): Promise<boolean> {
    const { ctx } = this;
    const moved = await this.batcher.add(change);
    if (!moved) return false;
    if (FINAL_HOST_STATES.includes(change.state))
      ctx.metrics.hostOutcomes.inc({ status: change.state });
    ctx.operators.to(rooms.deployment(change.requestId)).emit('deploy:update', {
      requestId: change.requestId,
      host: {
        host: change.host,
        state: moved.state,
        ...(moved.reason !== null ? { reason: moved.reason } : {}),
        exitCode: moved.exitCode,
        versionBefore: moved.versionBefore,
        versionAfter: moved.versionAfter,
        updatedAt: moved.updatedAt,
      },
      ...(change.lines?.length ? { lines: change.lines } : {}),
    });
    return true;
  }
}
