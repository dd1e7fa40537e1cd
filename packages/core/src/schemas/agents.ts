import { z } from 'zod';
import { LIMITS } from '../limits.js';
import type { Speaks } from '../protocol/versions.js';
import { SPEAKS_V1, speaksSchema } from '../protocol/versions.js';
import type { Labels } from './primitives.js';
import {
  appName,
  hostName,
  keyId,
  labels,
  publicKeyB64,
  requestId,
  timestamp,
  versionText,
} from './primitives.js';
import type { ReceiptHead } from './receipt-chain.js';
import { receiptHead } from './receipt-chain.js';

/**
 * What an agent signs to log in: a challenge it builds itself around the hub's
 * nonce, under its own payload type, so the hub never gets a signature over bytes it chose.
 */
export const agentAuth = z.strictObject({
  type: z.literal('agent-auth'),
  nonce: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/),
  hubId: z.string().min(1).max(128),
  host: hostName,
  publicKey: publicKeyB64,
  labels,
  apps: z.array(appName).max(LIMITS.appsPerAgent),
  agentVersion: z.string().max(64),
  at: timestamp,
  /** a one-time enrollment token; only its SHA-256 is ever stored */
  enrollmentToken: z
    .string()
    .regex(/^[A-Za-z0-9_-]{16,128}$/)
    .optional(),
});
export type AgentAuth = z.infer<typeof agentAuth>;

export const operatorAuth = z.strictObject({
  type: z.literal('operator-auth'),
  nonce: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/),
  hubId: z.string().min(1).max(128),
  keyId,
  at: timestamp,
});
export type OperatorAuth = z.infer<typeof operatorAuth>;

/** Version 2 of both hellos: the same fields, plus the payload versions the sender speaks. */
export const agentAuthV2 = agentAuth.extend({ speaks: speaksSchema });
export const operatorAuthV2 = operatorAuth.extend({ speaks: speaksSchema });
/** Version 3 of the agent's hello: it also states its newest receipt, signed. */
export const agentAuthV3 = agentAuthV2.extend({ receipts: receiptHead });

export type HelloReading<T> =
  | { ok: true; hello: T; speaks: Speaks; receipts?: ReceiptHead }
  | { ok: false; detail: string };

const issue = (e: z.ZodError) => `${e.issues[0]?.path.join('.')}: ${e.issues[0]?.message}`;

/**
 * A hello payload of the version its envelope named (see openPayload). Version 1
 * predates versions, so its sender speaks version 1 of everything. Strict in every version.
 */
export function readAgentHello(payload: unknown, version: number): HelloReading<AgentAuth> {
  if (version === 1) {
    const v1 = agentAuth.safeParse(payload);
    return v1.success
      ? { ok: true, hello: v1.data, speaks: SPEAKS_V1 }
      : { ok: false, detail: issue(v1.error) };
  }
  if (version === 2) {
    const v2 = agentAuthV2.safeParse(payload);
    if (!v2.success) return { ok: false, detail: issue(v2.error) };
    const { speaks, ...hello } = v2.data;
    return { ok: true, hello, speaks };
  }
  const v3 = agentAuthV3.safeParse(payload);
  if (!v3.success) return { ok: false, detail: issue(v3.error) };
  const { speaks, receipts, ...hello } = v3.data;
  return { ok: true, hello, speaks, receipts };
}

export function readOperatorHello(payload: unknown, version: number): HelloReading<OperatorAuth> {
  if (version === 1) {
    const v1 = operatorAuth.safeParse(payload);
    return v1.success
      ? { ok: true, hello: v1.data, speaks: SPEAKS_V1 }
      : { ok: false, detail: issue(v1.error) };
  }
  const v2 = operatorAuthV2.safeParse(payload);
  if (!v2.success) return { ok: false, detail: issue(v2.error) };
  const { speaks, ...hello } = v2.data;
  return { ok: true, hello, speaks };
}

/** An operator vouches that this key belongs to this host. Clients verify receipts against these. */
export const approval = z.strictObject({
  type: z.literal('approval'),
  host: hostName,
  agentKeyId: keyId,
  agentPublicKey: publicKeyB64,
  approvedAt: timestamp,
});
export type Approval = z.infer<typeof approval>;

/**
 * Version 2: the operator vouches for the host's labels too, so the hub routes by what
 * an operator approved, never by what the agent announces.
 */
export const approvalV2 = approval.extend({ labels });
export type ApprovalV2 = z.infer<typeof approvalV2>;

export type ApprovalReading =
  | { ok: true; approval: Approval; labels: Labels | null }
  | { ok: false; detail: string };

/** An approval of the version its envelope named; labels are null for version 1 (none signed). */
export function readApproval(payload: unknown, version: number): ApprovalReading {
  if (version === 1) {
    const v1 = approval.safeParse(payload);
    return v1.success
      ? { ok: true, approval: v1.data, labels: null }
      : { ok: false, detail: issue(v1.error) };
  }
  const v2 = approvalV2.safeParse(payload);
  if (!v2.success) return { ok: false, detail: issue(v2.error) };
  const { labels: signed, ...rest } = v2.data;
  return { ok: true, approval: rest, labels: signed };
}

/** An operator allows one agent to enroll itself with a token; the hub sees only the hash. */
export const enrollmentGrant = z.strictObject({
  type: z.literal('enrollment-grant'),
  /** SHA-256 hex of the token */
  tokenHash: z.string().regex(/^[0-9a-f]{64}$/),
  /** restricts the grant to one host name */
  host: hostName.optional(),
  issuedAt: timestamp,
  expiresAt: timestamp,
});
export type EnrollmentGrant = z.infer<typeof enrollmentGrant>;

export const appVersion = z.strictObject({
  version: versionText.nullable(),
  at: timestamp,
  error: z.string().max(512).optional(),
});

/**
 * What keeps an online agent from deploying, as it reports it: a state directory it cannot
 * write (a full disk above all) or trust documents that expired. Only its operator can fix these.
 */
export const AGENT_PROBLEM_CODES = ['DISK_FULL', 'STATE_UNWRITABLE', 'TRUST_EXPIRED'] as const;
export type AgentProblemCode = (typeof AGENT_PROBLEM_CODES)[number];

export const agentProblem = z.strictObject({
  code: z.enum(AGENT_PROBLEM_CODES),
  detail: z.string().max(256),
  /** when the agent first saw it (for trust: when the document expired) */
  since: timestamp,
});
export type AgentProblem = z.infer<typeof agentProblem>;

/** Agent heartbeat: current version of each app (from its version-report command). */
export const presenceReport = z.strictObject({
  apps: z
    .record(appName, appVersion)
    .refine(
      (a) => Object.keys(a).length <= LIMITS.appsPerAgent,
      `at most ${LIMITS.appsPerAgent} apps`,
    ),
  running: z.array(requestId).max(LIMITS.appsPerAgent),
  /**
   * Sent only while there is one, so a healthy agent's heartbeat is what older hubs read;
   * an older hub refuses the field and the agent sends the heartbeat again without it.
   */
  problems: z.array(agentProblem).max(AGENT_PROBLEM_CODES.length).optional(),
});
export type PresenceReport = z.infer<typeof presenceReport>;

/** A host's signed answer to a check. */
export const checkAnswer = z.strictObject({
  type: z.literal('check-answer'),
  checkId: requestId,
  host: hostName,
  app: z.string().max(64),
  configured: z.boolean(),
  version: versionText.nullable(),
  error: z.string().max(512).optional(),
  at: timestamp,
});
export type CheckAnswer = z.infer<typeof checkAnswer>;

export const lockRelease = z.strictObject({
  type: z.literal('lock-release'),
  app: appName,
  rolloutId: requestId,
  at: timestamp,
});

/**
 * An agent's word on the trust it holds, signed by its key: clients compare it with the
 * newest versions they verified themselves, so a hub that keeps one agent on an older
 * keyring is seen. Agents never go back a version, so a replayed report only shows less.
 */
export const trustReport = z.strictObject({
  type: z.literal('trust-report'),
  host: hostName,
  root: z.number().int().min(1).max(100_000_000),
  rootDigest: z.string().regex(/^[0-9a-f]{64}$/),
  /** null until the agent holds a keyring */
  keyring: z.number().int().min(1).max(100_000_000).nullable(),
  at: timestamp,
});
export type TrustReport = z.infer<typeof trustReport>;

/**
 * An agent's signed word on its newest receipt, sent after each receipt and re-signed
 * every few minutes while it runs: the head in its hello is only as fresh as its last
 * reconnect, and a hub could hide every receipt signed since. A replayed statement only
 * shows an older head, and its `at` says how old.
 */
export const receiptHeadStatement = receiptHead.extend({
  type: z.literal('receipt-head'),
  host: hostName,
  at: timestamp,
});
export type ReceiptHeadStatement = z.infer<typeof receiptHeadStatement>;
