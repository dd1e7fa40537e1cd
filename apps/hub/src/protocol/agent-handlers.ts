import { randomBytes } from 'node:crypto';
import type { AgentToHubEvents, Challenge, Envelope, TrustBundle } from '@serfbort/core';
import {
  deployProgressSchema,
  helloOptionsSchema,
  presenceReport,
  tryFromBase64,
} from '@serfbort/core';
import type { Socket } from 'socket.io';
import { z } from 'zod';
import { admitAgent } from '../agents/admit.js';
import type { Evicted, PendingCaps } from '../agents/pending.js';
import { storeReceiptHead } from '../agents/receipt-heads.js';
import { recordAppVersions, recordHello } from '../agents/registry.js';
import type { Expected } from '../agents/verify-hello.js';
import { ClockSkewError, verifyAgentHello } from '../agents/verify-hello.js';
import type { AdmissionConfig } from '../config/admission.js';
import { ReceiptDesk } from '../deploy/receipts.js';
import { HubError } from '../errors.js';
import type { AgentSocketData, HubContext } from '../hub-context.js';
import { sourceOf } from './admission.js';
import type { Guard } from './handle.js';
import { handlerFor } from './handle.js';

const data = (socket: Socket) => socket.data as AgentSocketData;

export const approvedAgent: Guard = (socket) => {
  const status = data(socket).status;
  if (status === 'approved') return undefined;
  return status === 'pending'
    ? { code: 'PENDING_APPROVAL', message: 'this agent key awaits approval' }
    : { code: 'UNAUTHENTICATED', message: 'say hello first' };
};

const pendingCaps = (a: AdmissionConfig): PendingCaps => ({
  perAddress: a.pendingPerAddress,
  total: a.pendingTotal,
  ttlMs: a.pendingTtlMs,
});

function countEvictions(ctx: HubContext, evicted: Evicted): void {
  for (const [cap, n] of Object.entries(evicted))
    if (n > 0) ctx.metrics.pendingEvicted.inc({ cap }, n);
}

export function newChallenge(ctx: HubContext, socket: Socket): Challenge {
  const nonce = randomBytes(24).toString('base64url');
  (socket.data as { nonce?: string }).nonce = nonce;
  return { nonce, hubId: ctx.hubId, serverTime: ctx.now() };
}

/** A hello refused for its clock is shown on the approved host it came from, then refused. */
async function verifiedHello(
  ctx: HubContext,
  envelope: unknown,
  expected: Expected,
  admitted: ReadonlySet<string>,
): Promise<ReturnType<typeof verifyAgentHello>> {
  try {
    return verifyAgentHello(envelope, expected, (k) => admitted.has(k));
  } catch (e) {
    if (e instanceof ClockSkewError && (await ctx.hostProblems.recordSkew(ctx.db, e, ctx.now()))) {
      ctx.log.warn({ host: e.host, skewMs: e.skewMs }, 'agent hello refused: clock skew');
      ctx.hostChanges.publish(e.host);
    }
    throw e;
  }
}

/**
 * The trust bundle for a hello's answer, or only its digest when the agent says it holds
 * exactly that bundle (options it may send after the signed hello; older agents send none).
 */
function trustFor(
  ctx: HubContext,
  options: unknown,
): { trust: TrustBundle } | { trustDigest: string } {
  const held = helloOptionsSchema.safeParse(options);
  const digest = ctx.trust.bundleDigest();
  if (held.success && held.data.trustDigest === digest) return { trustDigest: digest };
  return { trust: ctx.trust.bundle() };
}

/** The agent namespace: hello, presence, progress, receipts, goodbye. */
export function registerAgentHandlers(ctx: HubContext): void {
  const receipts = new ReceiptDesk(ctx);
  ctx.agents.on('connection', (socket) => {
    const on = handlerFor<AgentToHubEvents>(ctx, socket);

    on('auth:challenge', null, null, async () => newChallenge(ctx, socket));

    on('auth:hello', z.unknown(), null, async (envelope, more) => {
      if (data(socket).status === 'approved')
        throw new HubError('CONFLICT', 'this connection is already authenticated');
      const expected = { nonce: data(socket).nonce, hubId: ctx.hubId, now: ctx.now() };
      // a nonce answers one hello only
      data(socket).nonce = undefined;
      const admitted = await ctx.admittedKeys.all();
      const { hello, keyId, speaks } = await verifiedHello(ctx, envelope, expected, admitted);
      // what this agent reads decides what is relayed to it (deliver.ts)
      data(socket).speaks = speaks;
      // the token is redacted by the logger; this line proves it in the tests
      ctx.log.debug({ hello }, 'agent hello verified');
      const known = await ctx.agentWrites.recordKnownHello({
        host: hello.host,
        keyId,
        labels: hello.labels,
        apps: hello.apps,
        agentVersion: hello.agentVersion,
        now: ctx.now(),
        node: ctx.config.nodeName,
        connection: socket.id,
        hello: envelope as Envelope,
      });
      // stored with the agents row when a later approval admits it (admit.ts)
      if (!known) data(socket).hello = envelope as Envelope;
      const source = sourceOf(socket);
      // a key nobody approved, with no token to vouch for it, draws on its address's bucket
      if (
        !known &&
        hello.enrollmentToken === undefined &&
        !ctx.admission.unknownHello(socket, ctx.now())
      )
        throw new HubError('RATE_LIMITED', 'too many hellos of unapproved keys from this address');
      const outcome = known
        ? { status: 'approved' as const, agent: known }
        : await ctx.writes.run((w) =>
            recordHello(w, {
              hello,
              keyId,
              envelope: envelope as never,
              now: ctx.now(),
              node: ctx.config.nodeName,
              connection: socket.id,
              source,
              caps: pendingCaps(ctx.config.admission),
            }),
          );
      ctx.log.info({ host: hello.host, keyId, status: outcome.status }, 'agent hello');
      if (outcome.status === 'name-taken')
        throw new HubError('NAME_TAKEN', `the name ${hello.host} belongs to another key`);
      if (outcome.status === 'token-invalid') throw new HubError('TOKEN_INVALID', outcome.why);
      if (outcome.status === 'pending') {
        countEvictions(ctx, outcome.evicted);
        Object.assign(data(socket), { status: 'pending', host: hello.host, keyId });
        socket.join(`pending:${keyId}`);
        return { status: 'pending' as const, ...trustFor(ctx, more[0]) };
      }
      if (ctx.hostProblems.clear(hello.host)) ctx.hostChanges.publish(hello.host);
      void ctx.admittedKeys.remember(outcome.agent.publicKey).catch(() => undefined);
      await admitAgent(ctx, socket, outcome.agent);
      return { status: 'approved' as const, ...trustFor(ctx, more[0]) };
    });

    on('presence', presenceReport, approvedAgent, async (report) => {
      const { host, keyId } = data(socket);
      await ctx.writes.run((w) => recordAppVersions(w, host!, keyId!, report.apps, ctx.now()));
      if (ctx.hostProblems.report(host!, report.problems ?? []))
        ctx.log.warn({ host, problems: report.problems ?? [] }, 'agent reports its problems');
      ctx.hostChanges.publish(host!);
      return null;
    });

    on('trust:report', z.unknown(), approvedAgent, async (envelope) => {
      const { host, keyId, publicKey } = data(socket);
      const key = tryFromBase64(publicKey!)!;
      ctx.trustReports?.accept(
        host!,
        keyId!,
        publicKey!,
        envelope,
        ctx.admittedKeys.verifierFor(key),
      );
      ctx.hostChanges.publish(host!);
      return null;
    });

    on('agent:head', z.unknown(), approvedAgent, async (envelope) => {
      const { host, keyId, publicKey } = data(socket);
      const key = tryFromBase64(publicKey!)!;
      await storeReceiptHead(
        ctx.writes,
        { host: host!, keyId: keyId!, publicKey: publicKey! },
        envelope,
        ctx.admittedKeys.verifierFor(key),
      );
      return null;
    });

    on('deploy:progress', deployProgressSchema, approvedAgent, async (p) => {
      const moved = await ctx.hostMoves.advance({
        requestId: p.requestId,
        host: data(socket).host!,
        state: p.state,
        ...(p.lines ? { lines: p.lines } : {}),
      });
      if (!moved && p.state !== 'running')
        throw new HubError(
          'CONFLICT',
          `request ${p.requestId} cannot move to ${p.state} on this host`,
        );
      return null;
    });

    on('deploy:receipt', z.unknown(), approvedAgent, async (envelope) => {
      const { host, publicKey } = data(socket);
      return receipts.accept(host!, publicKey!, envelope);
    });

    on('leave', null, approvedAgent, async () => {
      data(socket).leaving = true;
      const { host, keyId } = data(socket);
      await ctx.agentWrites.recordPresence({
        host: host!,
        keyId: keyId!,
        presence: 'left',
        now: ctx.now(),
        connection: socket.id,
        ...(ctx.cluster.onlyNode !== undefined ? { onlyNode: ctx.cluster.onlyNode } : {}),
      });
      ctx.hostChanges.publish(host!);
      return null;
    });

    socket.on('disconnect', () => {
      const d = data(socket);
      if (d.status !== 'approved' || !d.host || d.replaced) return;
      if (!ctx.sessions.delete(d.host, socket)) return;
      ctx.hostProblems.forget(d.host);
      const presence = d.leaving ? 'left' : 'lost';
      ctx.track(
        ctx.agentWrites
          .recordPresence({
            host: d.host,
            keyId: d.keyId!,
            presence,
            now: ctx.now(),
            connection: socket.id,
            ...(ctx.cluster.onlyNode !== undefined ? { onlyNode: ctx.cluster.onlyNode } : {}),
          })
          .then(() => ctx.hostChanges.publish(d.host!))
          .catch(() => undefined),
      );
    });
  });
}
