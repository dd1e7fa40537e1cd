import { sha256Hex } from '../digest.js';
import { parsePayloadType } from '../envelope/payload-types.js';
import { openPayload } from '../envelope/verify.js';
import { requestId } from '../schemas/primitives.js';
import type { Claimed } from './check-request.js';
import type { Admission } from './decide.js';

type Refusal = Extract<Admission, { accept: false }>;

/**
 * What a deploy of a version this build does not read claims to be: enough to address a
 * signed refusal, so its sender learns UNSUPPORTED_VERSION instead of hearing nothing.
 * The fields are read where version 1 has them; nothing here is trusted or acted on.
 */
function claimOfUnreadVersion(input: unknown): Claimed | undefined {
  const type = (input as { payloadType?: unknown } | null)?.payloadType;
  const parsed = typeof type === 'string' ? parsePayloadType(type) : undefined;
  if (parsed?.kind !== 'deploy') return undefined;
  const opened = openPayload(input, 'deploy', [parsed.version]);
  if (!opened.ok || typeof opened.value.payload !== 'object' || opened.value.payload === null)
    return undefined;
  const p = opened.value.payload as Record<string, unknown>;
  if (!requestId.safeParse(p.id).success) return undefined;
  const text = (v: unknown) => (typeof v === 'string' ? v.slice(0, 64) : '');
  const digest = sha256Hex(opened.value.payloadBytes);
  return { id: p.id as string, app: text(p.app), version: text(p.version), digest };
}

/** A refusal for a version this build does not read, given the address its payload claims. */
export function addressUnreadVersion(decision: Refusal, input: unknown): Refusal {
  if (decision.reason !== 'UNSUPPORTED_VERSION' || decision.claimed) return decision;
  const claimed = claimOfUnreadVersion(input);
  return claimed ? { ...decision, claimed } : decision;
}
