import { sha256 } from '@noble/hashes/sha2.js';
import type { TrustCode } from '../codes.js';
import type { Verifier } from '../crypto/policy.js';
import { toHex } from '../encoding.js';
import type { Envelope } from '../envelope/envelope.js';
import { PAYLOAD_TYPES } from '../envelope/payload-types.js';
import type { Result } from '../envelope/verify.js';
import { fail, ok, openEnvelope, verifySignatures } from '../envelope/verify.js';
import { LIMITS } from '../limits.js';
import type { RootDocument } from '../schemas/trust-docs.js';
import { rootDocument } from '../schemas/trust-docs.js';
import { admitKeys, keyRefusal } from './keys.js';

export interface VerifiedRoot {
  root: RootDocument;
  envelope: Envelope;
  /** SHA-256 hex of the payload bytes: what an agent pins */
  digest: string;
}

/** Distinct keys of `keys` whose signatures verify. */
function countSigners(
  opened: Parameters<typeof verifySignatures>[0],
  lookup: Map<string, Uint8Array>,
  verifier: Verifier,
): number {
  const verified = verifySignatures(opened, (id) => lookup.get(id), verifier);
  return verified.ok ? verified.value.signers.length : 0;
}

interface OpenedRoot {
  opened: Parameters<typeof verifySignatures>[0];
  root: RootDocument;
  digest: string;
}

function openRoot(envelope: unknown): Result<OpenedRoot, TrustCode> {
  const opened = openEnvelope(envelope, PAYLOAD_TYPES.root);
  if (!opened.ok) return fail('TRUST_MALFORMED', opened.detail ?? opened.reason);
  const parsed = rootDocument.safeParse(opened.value.payload);
  if (!parsed.success) return fail('TRUST_MALFORMED', parsed.error.issues[0]?.message);
  return ok({
    opened: opened.value,
    root: parsed.data,
    digest: toHex(sha256(opened.value.payloadBytes)),
  });
}

/**
 * The first root, installed out of band: signed by a threshold of its own keys and,
 * when the agent pinned a fingerprint, equal to it. Expiry is judged separately.
 */
export function verifyInitialRoot(
  envelope: unknown,
  verifier: Verifier,
  pinnedDigest?: string,
): Result<VerifiedRoot, TrustCode> {
  const r = openRoot(envelope);
  if (!r.ok) return r;
  const { digest } = r.value;
  if (pinnedDigest !== undefined && pinnedDigest.toLowerCase() !== digest)
    return fail('TRUST_PIN_MISMATCH', `root digest ${digest} is not the pinned ${pinnedDigest}`);
  return selfSigned(r.value, verifier);
}

/**
 * Rotation, as in TUF: root n+1 needs a threshold of root n's keys (step 1)
 * and a threshold of its own keys (step 2); versions go up by exactly one (step 3).
 */
export function verifyRootUpdate(
  current: RootDocument,
  envelope: unknown,
  verifier: Verifier,
): Result<VerifiedRoot, TrustCode> {
  const r = openRoot(envelope);
  if (!r.ok) return r;
  const { opened, root } = r.value;
  // step 3 first: cheap, and an old root must never be re-applied
  if (root.version <= current.version)
    return fail(
      'TRUST_VERSION_NOT_NEWER',
      `root v${root.version} is not newer than v${current.version}`,
    );
  if (root.version !== current.version + 1)
    return fail('TRUST_VERSION_GAP', `root v${root.version} does not follow v${current.version}`);
  const oldKeys = admitKeys(current.keys);
  if (!oldKeys.ok) return fail('TRUST_BAD_KEY', oldKeys.why);
  // step 1: the keys being replaced agree
  if (countSigners(opened, oldKeys.lookup, verifier) < current.threshold)
    return fail(
      'TRUST_OLD_THRESHOLD',
      `root v${root.version} lacks ${current.threshold} signatures of root v${current.version}'s keys`,
    );
  // step 2: the new keys are really held
  return selfSigned(r.value, verifier);
}

/** A root signed by a threshold of its own keys, which must all be admissible. */
function selfSigned(
  { opened, root, digest }: OpenedRoot,
  verifier: Verifier,
): Result<VerifiedRoot, TrustCode> {
  const keys = admitKeys(root.keys);
  if (!keys.ok) return fail(keyRefusal(keys), `${keys.keyId}: ${keys.why}`);
  if (countSigners(opened, keys.lookup, verifier) < root.threshold)
    return fail(
      'TRUST_NEW_THRESHOLD',
      `root v${root.version} lacks ${root.threshold} signatures of its own keys`,
    );
  return ok({ root, envelope: opened.envelope, digest });
}

/**
 * Walks a chain of root envelopes forward from `current`, skipping versions already
 * held; at most LIMITS.rootRotationsPerUpdate steps. Stops at the first bad link.
 */
export function advanceRoot(
  current: VerifiedRoot,
  chain: readonly unknown[],
  verifier: Verifier,
): Result<VerifiedRoot, TrustCode> {
  let head = current;
  let steps = 0;
  for (const envelope of chain) {
    const r = openRoot(envelope);
    if (!r.ok) return r;
    if (r.value.root.version <= head.root.version) continue;
    if (++steps > LIMITS.rootRotationsPerUpdate)
      return fail('TRUST_VERSION_GAP', 'too many root rotations in one update');
    const next = verifyRootUpdate(head.root, envelope, verifier);
    if (!next.ok) return next;
    head = next.value;
  }
  return ok(head);
}
