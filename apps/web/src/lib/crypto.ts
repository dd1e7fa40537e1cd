import { createVerifier, randomId, tweetnaclEd25519 } from '@serfbort/core';

/** The strict policy in front of tweetnacl: the one verifier the dashboard uses. */
export const browserVerifier = createVerifier(tweetnaclEd25519);

/** Cryptographically random bytes from the browser's CSPRNG. */
export function randomBytes(length: number): Uint8Array {
  const out = new Uint8Array(length);
  crypto.getRandomValues(out);
  return out;
}

/** A fresh request or rollout id (core's one rule for ids). */
export function newRequestId(): string {
  return randomId(randomBytes);
}
