import type { Envelope } from '@serfbort/core';
import { SPEAKS_V1, speaksType } from '@serfbort/core';
import { sql } from 'drizzle-orm';
import type { Socket } from 'socket.io';
import type { Db } from '../db/open.js';
import type { AgentSocketData, HubContext } from '../hub-context.js';
import { HUB_LIMITS } from '../hub-limits.js';
import type { Deliveries } from '../hub-services.js';

const sentKey = (requestId: string, host: string) => `${requestId}\u0000${host}`;

/**
 * The agent does not read this payload version (its hello said so): sending it would
 * only earn a refusal, so the host's row ends here with the code instead of hanging.
 */
function notSpoken(ctx: HubContext, requestId: string, host: string): void {
  ctx.log.info({ requestId, host }, 'not relayed: the agent does not speak its version');
  const change = { requestId, host, state: 'expired', reason: 'UNSUPPORTED_VERSION' } as const;
  ctx.track(
    ctx.hostMoves
      .advance(change)
      .catch((err: unknown) =>
        ctx.log.error({ err: err instanceof Error ? err.message : String(err) }, 'marking failed'),
      ),
  );
}

/**
 * Sends the operator's envelope, byte for byte, to one connected agent. Its
 * acknowledgement means "received"; without one the host stays pending and gets the
 * request again when it reconnects.
 */
export function sendRequest(
  ctx: HubContext,
  socket: Socket,
  requestId: string,
  envelope: Envelope,
  since: number,
): void {
  const { host, speaks = SPEAKS_V1 } = socket.data as AgentSocketData;
  if (!host) return;
  if (!speaksType(speaks, envelope.payloadType)) {
    notSpoken(ctx, requestId, host);
    return;
  }
  if (ctx.cluster.enabled) ctx.deliveries.noteSent(requestId, host);
  socket
    .timeout(ctx.config.relayAckTimeoutMs)
    .emit('deploy:request', envelope, (err: Error | null) => {
      if (err) return;
      ctx.metrics.relayLatency.observe((performance.now() - since) / 1000);
      ctx.deliveryMarks.mark({ requestId, host });
    });
}

/** Delivers a new request to the targeted hosts connected to this node. */
export function deliverHere(
  ctx: HubContext,
  requestId: string,
  envelope: Envelope,
  hosts: readonly string[],
  since: number,
): void {
  for (const host of hosts) {
    const socket = ctx.sessions.get(host);
    // with several hubs a late hint may follow a sweep that already sent it
    if (ctx.cluster.enabled && ctx.deliveries.lastSent(requestId, host) !== undefined) continue;
    if (socket) sendRequest(ctx, socket, requestId, envelope, since);
  }
}

interface PendingRow {
  requestId: string;
  app: string;
  expiresAt: number;
  envelope: Envelope;
}

/**
 * Each host's unanswered requests, newest first, for a batch of hosts with one query:
 * pending ones, and delivered ones, since an agent killed after acknowledging a request
 * but before recording it never answers it (it runs it when sent again; one that did
 * record it answers with its real receipt, never twice).
 */
async function pendingFor(db: Db, hosts: string[]): Promise<PendingRow[][]> {
  const result = (await db.execute(sql`
    select dh.host, d.request_id, d.app, d.expires_at, d.envelope
    from deployment_hosts dh join deployments d on d.request_id = dh.request_id
    where dh.state in ('pending', 'delivered')
      and dh.host in (select jsonb_array_elements_text(${JSON.stringify(hosts)}::jsonb))
    order by d.issued_at desc, d.submitted_at desc`)) as unknown as {
    rows: {
      host: string;
      request_id: string;
      app: string;
      expires_at: number | string;
      envelope: Envelope;
    }[];
  };
  const byHost = new Map<string, PendingRow[]>();
  for (const r of result.rows) {
    const list = byHost.get(r.host) ?? [];
    byHost.set(r.host, list);
    list.push({
      requestId: r.request_id,
      app: r.app,
      expiresAt: Number(r.expires_at),
      envelope: r.envelope,
    });
  }
  return hosts.map((h) => byHost.get(h) ?? []);
}

interface Waiting {
  host: string;
  resolve: (rows: PendingRow[]) => void;
  reject: (e: unknown) => void;
}

/**
 * What this node remembers of its own deliveries: when it last sent each request to
 * each host (a sweep must not resend what is in flight), and the pending reads queued.
 */
export class DeliveryLedger implements Deliveries {
  private readonly sent = new Map<string, number>();
  private readonly waiting: Waiting[] = [];
  private busy = false;

  constructor(private readonly db: Db) {}

  noteSent(requestId: string, host: string): void {
    this.sent.set(sentKey(requestId, host), performance.now());
  }

  lastSent(requestId: string, host: string): number | undefined {
    return this.sent.get(sentKey(requestId, host));
  }

  forgetSentBefore(cutoff: number): void {
    for (const [k, at] of this.sent) if (at < cutoff) this.sent.delete(k);
  }

  /**
   * Read straight from the database, not through the write queue, so a host admitted
   * just before a submit has looked before the new request's rows exist (and gets it
   * once, from the submit). One query in flight: hosts admitted meanwhile (a fleet
   * reconnecting) share the next one.
   */
  readPending(host: string): Promise<PendingRow[]> {
    return new Promise<PendingRow[]>((resolve, reject) => {
      this.waiting.push({ host, resolve, reject });
      if (this.waiting.length === 1 && !this.busy) setImmediate(() => this.next());
    });
  }

  private next(): void {
    if (this.busy || this.waiting.length === 0) return;
    this.busy = true;
    const chunk = this.waiting.splice(0, HUB_LIMITS.rowsPerStatement);
    pendingFor(
      this.db,
      chunk.map((w) => w.host),
    )
      .then(
        (rows) => {
          for (const [j, w] of chunk.entries()) w.resolve(rows[j]!);
        },
        (error: unknown) => {
          for (const w of chunk) w.reject(error);
        },
      )
      .finally(() => {
        this.busy = false;
        if (this.waiting.length > 0) setImmediate(() => this.next());
      });
  }
}

/**
 * On (re)connect: the newest unexpired unanswered request per app is delivered; older
 * ones are superseded and expired ones marked expired, so nothing stale is replayed and
 * no host stays `delivered` forever.
 * A fleet reconnecting at once is looked up with one query per tick.
 */
export async function deliverPending(ctx: HubContext, socket: Socket, host: string): Promise<void> {
  const since = performance.now();
  const rows = await ctx.deliveries.readPending(host);
  const now = ctx.now();
  const delivered = new Set<string>();
  const moves: Promise<boolean>[] = [];
  for (const row of rows) {
    if (row.expiresAt <= now) {
      moves.push(
        ctx.hostMoves.advance({
          requestId: row.requestId,
          host,
          state: 'expired',
          reason: 'EXPIRED',
        }),
      );
    } else if (delivered.has(row.app)) {
      moves.push(
        ctx.hostMoves.advance({
          requestId: row.requestId,
          host,
          state: 'expired',
          reason: 'SUPERSEDED',
        }),
      );
    } else {
      delivered.add(row.app);
      if (socket.connected) sendRequest(ctx, socket, row.requestId, row.envelope, since);
    }
  }
  await Promise.all(moves);
}
