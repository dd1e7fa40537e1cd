import { randomBytes } from 'node:crypto';
import type { CheckResult, Envelope, Target } from '@serfbort/core';
import {
  fromBase64,
  PAYLOAD_TYPES,
  rooms,
  SPEAKS_V1,
  speaksType,
  targetMatches,
  tryFromBase64,
  utf8Decode,
  verifyCheckAnswer,
  verifyCheckAnswerV2,
} from '@serfbort/core';
import { nodeVerifier } from '@serfbort/node';
import { inArray } from 'drizzle-orm';
import type { Socket } from 'socket.io';
import { agents } from '../db/schema.js';
import type { AgentSocketData, HubContext } from '../hub-context.js';
import { HUB_LIMITS } from '../hub-limits.js';
import type { SignedCheck } from './signed-check.js';
import { readSignedCheck } from './signed-check.js';

/**
 * check:run — asks the targeted online agents for their version now and gathers
 * their signed answers; offline, silent and badly-signed hosts are named unreachable.
 * The operator's signed request goes, byte for byte, to the agents that speak it; the
 * others get the old unsigned query, and their clients mark freshness unproven.
 */
export async function runCheck(
  ctx: HubContext,
  q: { app: string; target?: Target; timeoutMs?: number; request?: Envelope },
): Promise<CheckResult> {
  const checkId = randomBytes(12).toString('base64url');
  const signed = q.request ? readSignedCheck(q.request, q.app) : undefined;
  const timeoutMs = Math.min(
    q.timeoutMs ?? HUB_LIMITS.checkTimeoutMs,
    HUB_LIMITS.checkMaxTimeoutMs,
  );
  const registry = await ctx.db
    .select({ name: agents.name, labels: agents.labels, apps: agents.apps })
    .from(agents);
  const targeted = registry.filter((h) =>
    q.target ? targetMatches(q.target, h) : h.apps.includes(q.app),
  );
  const answers: Envelope[] = [];
  const unreachable: string[] = [];
  // with several hubs, hosts connected elsewhere are asked through the adapter
  const elsewhere = ctx.cluster.enabled ? targeted.filter((h) => !ctx.sessions.has(h.name)) : [];
  const remote =
    elsewhere.length > 0
      ? askElsewhere(
          ctx,
          elsewhere.map((h) => h.name),
          checkId,
          q.app,
          timeoutMs,
        )
      : Promise.resolve({ answers: [], unreachable: [] });
  await Promise.all(
    targeted.map(async (h) => {
      if (ctx.cluster.enabled && !ctx.sessions.has(h.name)) return;
      const socket = ctx.sessions.get(h.name);
      const data = socket?.data as AgentSocketData | undefined;
      const key = tryFromBase64(data?.publicKey);
      if (!socket || !key) {
        unreachable.push(h.name);
        return;
      }
      const speaks = data?.speaks ?? SPEAKS_V1;
      const relay = signed && speaksType(speaks, PAYLOAD_TYPES.checkRequest) ? signed : undefined;
      const answer = await askOne(socket, h.name, key, { checkId, app: q.app, relay, timeoutMs });
      if (answer) answers.push(answer);
      else unreachable.push(h.name);
    }),
  );
  const far = await remote;
  answers.push(...far.answers);
  unreachable.push(...far.unreachable);
  return { checkId, app: q.app, answers, unreachable: unreachable.sort() };
}

/**
 * One host connected here: the signed request if it speaks it (a v2 answer over its
 * digest), else the unsigned query (a v1 answer to checkId). Undefined if it does not
 * answer in time or its answer does not verify with its approved key.
 */
async function askOne(
  socket: Socket,
  host: string,
  key: Uint8Array,
  q: { checkId: string; app: string; relay: SignedCheck | undefined; timeoutMs: number },
): Promise<Envelope | undefined> {
  const { checkId, app, relay } = q;
  const keys = new Map([[host, key]]);
  try {
    const answer: unknown = await socket
      .timeout(q.timeoutMs)
      .emitWithAck('check:run', { checkId, app, ...(relay ? { request: relay.envelope } : {}) });
    const expect = relay && { host, requestDigest: relay.requestDigest, nonce: relay.nonce };
    const verdict = expect
      ? verifyCheckAnswerV2(answer, expect, keys, nodeVerifier)
      : verifyCheckAnswer(answer, { host, checkId }, keys, nodeVerifier);
    return verdict.ok ? (answer as Envelope) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * One broadcast with acknowledgements to the host rooms of hosts on other hubs; each
 * answer is matched to the host it names and verified with that host's approved key
 * from the database (the other hub's word is not needed).
 */
async function askElsewhere(
  ctx: HubContext,
  hosts: string[],
  checkId: string,
  app: string,
  timeoutMs: number,
): Promise<{ answers: Envelope[]; unreachable: string[] }> {
  const rows = await ctx.db
    .select({ name: agents.name, publicKey: agents.publicKey, presence: agents.presence })
    .from(agents)
    .where(inArray(agents.name, hosts));
  const keys = new Map<string, Uint8Array>();
  for (const r of rows) {
    const k = tryFromBase64(r.publicKey);
    if (k && r.presence === 'online') keys.set(r.name, k);
  }
  const responses = await new Promise<unknown[]>((resolve) => {
    if (keys.size === 0) return resolve([]);
    ctx.agents
      .to([...keys.keys()].map((h) => rooms.host(h)))
      .timeout(timeoutMs)
      .emit('check:run', { checkId, app }, (_err: Error | null, got: unknown[]) =>
        resolve(got ?? []),
      );
  });
  const answered = new Map<string, Envelope>();
  for (const answer of responses) {
    const host = claimedHost(answer);
    if (!host || answered.has(host) || !keys.has(host)) continue;
    const verdict = verifyCheckAnswer(answer, { host, checkId }, keys, nodeVerifier);
    if (verdict.ok) answered.set(host, answer as Envelope);
  }
  return {
    answers: [...answered.values()],
    unreachable: hosts.filter((h) => !answered.has(h)),
  };
}

/** The host an answer says it is from (verified right after, against that host's key). */
function claimedHost(answer: unknown): string | undefined {
  try {
    const payload = (answer as { payload?: unknown }).payload;
    if (typeof payload !== 'string') return undefined;
    const parsed = JSON.parse(utf8Decode(fromBase64(payload))) as { host?: unknown };
    return typeof parsed.host === 'string' ? parsed.host : undefined;
  } catch {
    return undefined;
  }
}
