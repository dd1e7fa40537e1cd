import type { Envelope, RootDocument, TrustedKey } from '@serfbort/core';
import { admitKeys, openEnvelope, verifySignatures } from '@serfbort/core';
import { nodeVerifier } from '@serfbort/node';

export interface Tally {
  have: number;
  need: number;
  /** key ids of the listed keys that have not signed yet */
  missing: string[];
}

/** How many distinct listed keys signed the envelope, against a threshold. */
export function tally(envelope: Envelope, keys: readonly TrustedKey[], threshold: number): Tally {
  const admitted = admitKeys(keys);
  const lookup = admitted.ok ? admitted.lookup : new Map<string, Uint8Array>();
  const opened = openEnvelope(envelope, envelope.payloadType);
  const verified = opened.ok
    ? verifySignatures(opened.value, (id) => lookup.get(id), nodeVerifier)
    : undefined;
  const signers = verified?.ok ? verified.value.signers : [];
  return {
    have: signers.length,
    need: threshold,
    missing: keys.map((k) => k.keyId).filter((id) => !signers.includes(id)),
  };
}

export const complete = (t: Tally): boolean => t.have >= t.need;

/** A root needs its own threshold and, when it replaces one, the previous root's too. */
export function rootTallies(envelope: Envelope, doc: RootDocument, previous?: RootDocument) {
  return {
    own: tally(envelope, doc.keys, doc.threshold),
    ...(previous ? { previous: tally(envelope, previous.keys, previous.threshold) } : {}),
  };
}
