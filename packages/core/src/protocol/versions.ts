import { z } from 'zod';
import type { PayloadKind } from '../envelope/payload-types.js';
import {
  MAX_PAYLOAD_VERSION,
  PAYLOAD_KINDS,
  parsePayloadType,
  payloadTypeOf,
} from '../envelope/payload-types.js';

/**
 * The versions of each payload kind this build reads and writes: the one table that
 * says what "speaking" a version means. Within a version unknown fields are still
 * refused, so a new field is a new version here, and a fleet upgrades host by host.
 * The last entry of each list is the one this build signs.
 */
export const SPOKEN_VERSIONS: { readonly [K in PayloadKind]: readonly number[] } = {
  root: [1],
  keyring: [1],
  deploy: [1],
  // v2: numbered per host (`seq`), linked to the previous receipt (`prev`), and the
  // artifact the request named (the digest deployed, or both on a mismatch)
  receipt: [1, 2],
  // v2: signed over the operator's check request (its digest and nonce)
  // v3: the digest of the release the app runs (apps deployed as releases)
  checkAnswer: [1, 2, 3],
  // v2: the approval signs the host's labels too
  approval: [1, 2],
  enrollmentGrant: [1],
  // v2: the hello announces what its sender speaks
  // v3: the hello states the agent's newest receipt (its seq and digest)
  agentAuth: [1, 2, 3],
  operatorAuth: [1, 2],
  lockRelease: [1],
  checkRequest: [1],
  // an agent's signed word on the root and keyring it holds (trust views)
  trustReport: [1],
  // an agent's signed word on its newest receipt, re-signed while it runs (fresh heads)
  receiptHead: [1],
};

/** Kinds that came after hellos said what they speak: a v1 hello cannot speak them. */
const KINDS_AFTER_V1: readonly PayloadKind[] = ['checkRequest', 'trustReport', 'receiptHead'];

/** What a peer says it speaks, per kind. Kinds it does not name are not spoken. */
export type Speaks = Readonly<Partial<Record<string, readonly number[]>>>;

/** What a hello of version 1 means: it predates versions, so version 1 of everything. */
export const SPEAKS_V1: Speaks = Object.fromEntries(
  PAYLOAD_KINDS.filter((k) => !KINDS_AFTER_V1.includes(k)).map((k) => [k, [1]]),
);

/** What this build announces in its hello. */
export const SPEAKS_THIS_BUILD: Speaks = SPOKEN_VERSIONS;

/** The payload type this build signs for a kind: its newest spoken version. */
export function currentPayloadType(kind: PayloadKind): string {
  const versions = SPOKEN_VERSIONS[kind];
  return payloadTypeOf(kind, versions[versions.length - 1]!);
}

/** Whether a peer that speaks `speaks` can read a payload of this type. */
export function speaksType(speaks: Speaks, payloadType: string): boolean {
  const parsed = parsePayloadType(payloadType);
  return parsed !== undefined && (speaks[parsed.kind]?.includes(parsed.version) ?? false);
}

/**
 * The hello's announcement on the wire. Keys are kind names, and a kind this build
 * does not know is allowed (a newer peer may speak one): it is data, not a field, and
 * it only ever narrows what is sent to that peer.
 */
export const speaksSchema = z
  .record(
    z.string().regex(/^[a-z][A-Za-z0-9]{0,39}$/),
    z.array(z.number().int().min(1).max(MAX_PAYLOAD_VERSION)).min(1).max(16),
  )
  .refine((s) => Object.keys(s).length <= 32, 'at most 32 payload kinds');
