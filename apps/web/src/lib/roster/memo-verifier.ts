import { toBase64, type Verifier } from '@serfbort/core';
import { browserVerifier } from '../crypto';

const verdicts = new Map<string, boolean>();
const MAX_VERDICTS = 50_000;

/**
 * The dashboard's verifier, remembering each verdict for the page's life: the roster
 * re-verifies every approval on each login, and tweetnacl takes milliseconds a signature.
 * The key holds the whole message, signature and key, so a cached yes answers only the
 * exact bytes that verified.
 */
export const rosterVerifier: Verifier = {
  primitive: browserVerifier.primitive,
  admits: (publicKey) => browserVerifier.admits(publicKey),
  verify(message, signature, publicKey) {
    const key = `${toBase64(publicKey)}.${toBase64(signature)}.${toBase64(message)}`;
    const held = verdicts.get(key);
    if (held !== undefined) return held;
    const ok = browserVerifier.verify(message, signature, publicKey);
    if (verdicts.size >= MAX_VERDICTS) verdicts.clear();
    verdicts.set(key, ok);
    return ok;
  },
};
